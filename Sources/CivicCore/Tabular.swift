/// Rows of text cells rendered for people (an aligned table) or for spreadsheets (CSV).
///
/// One writer for every listing, so `list`, `export` and `coverage` print the same way.
public struct Tabular: Sendable {
    /// How a column's cells line up: text to the left, numbers to the right.
    public enum Alignment: Sendable { case left, right }

    public var header: [String]
    public var rows: [[String]]
    /// Per column; columns without an entry are left-aligned.
    public var alignments: [Alignment]

    public init(header: [String], rows: [[String]] = [], alignments: [Alignment] = []) {
        self.header = header
        self.rows = rows
        self.alignments = alignments
    }

    /// Columns padded to the widest cell, measured in terminal columns, so that Cyrillic and Kazakh
    /// names (one column per letter, however many UTF-8 bytes) line up; a trailing newline.
    public func table() -> String {
        let all = [header] + rows
        var widths = [Int](repeating: 0, count: header.count)
        for row in all {
            for (i, cell) in row.enumerated() where i < widths.count {
                widths[i] = max(widths[i], Self.displayWidth(cell))
            }
        }
        var out = ""
        for (r, row) in all.enumerated() {
            var line = ""
            for (i, width) in widths.enumerated() {
                let cell = i < row.count ? Self.singleLine(row[i]) : ""
                let pad = String(repeating: " ", count: width - Self.displayWidth(cell))
                let right = i < alignments.count && alignments[i] == .right
                let padded = right ? pad + cell : cell + pad
                line += i == 0 ? padded : "  " + padded
            }
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
            if r == 0 {
                out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
            }
        }
        return out
    }

    /// RFC 4180 CSV with a header row and CRLF line ends, as spreadsheet programs expect.
    /// A cell starting with `=`, `+`, `-`, `@`, tab or carriage return is prefixed with `'`, so a
    /// spreadsheet shows it as text and never runs it as a formula; numbers (`-12.5`) stay numbers.
    public func csv() -> String {
        ([header] + rows).map { row in row.map(Self.csvCell).joined(separator: ",") + "\r\n" }.joined()
    }

    static func csvCell(_ cell: String) -> String {
        var text = cell
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first),
           Double(text) == nil {
            text = "'" + text
        }
        if text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == ";" }) {
            return "\"" + text.replacingQuotes() + "\""
        }
        return text
    }

    static func singleLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }

    /// Terminal columns: combining marks take none, East Asian wide letters two, others one.
    public static func displayWidth(_ text: String) -> Int {
        var width = 0
        for scalar in text.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .enclosingMark, .format, .control: continue
            default: break
            }
            let v = scalar.value
            let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v)
                || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v)
                || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
                || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1FAFF).contains(v)
                || (0x20000...0x3FFFD).contains(v)
            width += wide ? 2 : 1
        }
        return width
    }
}

private extension String {
    func replacingQuotes() -> String {
        var out = ""
        for ch in self {
            if ch == "\"" { out += "\"\"" } else { out.append(ch) }
        }
        return out
    }
}
