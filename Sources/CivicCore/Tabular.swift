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
    /// Columns (by index) that hold numbers: in CSV they are never quoted or guarded, and the
    /// ``CSVDialect/excel`` dialect writes them with a decimal comma.
    public var numberColumns: Set<Int>

    public init(header: [String], rows: [[String]] = [], alignments: [Alignment] = [], numberColumns: Set<Int> = []) {
        self.header = header
        self.rows = rows
        self.alignments = alignments
        self.numberColumns = numberColumns
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

    /// RFC 4180 CSV with a header row and CRLF line ends, as spreadsheet programs expect; in the
    /// ``CSVDialect/excel`` dialect `;` between cells, a decimal comma in ``numberColumns`` and a
    /// UTF-8 byte-order mark first, so a Russian- or Kazakh-locale Excel or LibreOffice reads the
    /// numbers as numbers.
    ///
    /// A cell starting with `=`, `+`, `-`, `@`, tab or carriage return is prefixed with `'`, so a
    /// spreadsheet shows it as text and never runs it as a formula; numbers (`-12.5`) and phone
    /// numbers (`+7 777 123 45 67`) are left as they are.
    ///
    /// ```swift
    /// Tabular(header: ["id", "share"], rows: [["7", "0.25"]], numberColumns: [1]).csv(.excel)
    /// // "\u{FEFF}id;share\r\n7;0,25\r\n"
    /// ```
    public func csv(_ dialect: CSVDialect = .rfc4180) -> String {
        let delimiter = dialect == .excel ? ";" : ","
        let body = ([header] + rows).enumerated().map { r, row in
            row.enumerated().map { c, cell in
                r > 0 && numberColumns.contains(c) && Self.isPlainNumber(cell)
                    ? (dialect == .excel ? String(cell.map { $0 == "." ? "," : $0 }) : cell)
                    : Self.csvCell(cell, delimiter: dialect == .excel ? ";" : ",")
            }.joined(separator: delimiter) + "\r\n"
        }.joined()
        return dialect == .excel ? "\u{FEFF}" + body : body
    }

    /// One text cell: guarded against formulas, quoted when it holds the delimiter, a quote or a
    /// line end (and, in RFC 4180, a `;` too, which some readers take for a delimiter).
    static func csvCell(_ cell: String, delimiter: Character = ",") -> String {
        var text = cell
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first),
           Double(text) == nil, !isPhoneNumber(text) {
            text = "'" + text
        }
        if text.contains(where: { $0 == delimiter || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == ";" }) {
            return "\"" + text.replacingQuotes() + "\""
        }
        return text
    }

    /// A number as civic writes it (`-12.5`, `354770`): no exponent, no grouping, no sign but `-`.
    /// Only such a cell has its point turned into a decimal comma; anything else stays text.
    static func isPlainNumber(_ cell: String) -> Bool {
        var digits = 0, points = 0
        for (i, ch) in cell.enumerated() {
            if ch.isASCII && ch.isNumber { digits += 1 }
            else if ch == "." { points += 1 }
            else if ch == "-" && i == 0 { continue }
            else { return false }
        }
        return digits > 0 && points <= 1
    }

    /// A phone number as people write it: digits, spaces, parentheses, dots and dashes, a `+` only
    /// in front, at least five digits (`+7 777 123 45 67`, `+7 (7232) 57-00-11`). Such a cell holds
    /// no function name, reference or operator a spreadsheet would run, so it is not guarded;
    /// `+1+2` or `-SUM(A1)` are.
    static func isPhoneNumber(_ text: String) -> Bool {
        var digits = 0
        for (i, ch) in text.enumerated() {
            if ch.isASCII && ch.isNumber { digits += 1 }
            else if ch == "+" && i == 0 { continue }
            else if !" ().-".contains(ch) { return false }
        }
        return digits >= 5 && text.first.map { $0 == "+" || $0 == "(" || $0.isNumber } == true
    }

    static func singleLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }

    /// Terminal columns, as a terminal draws the text: the one width function of every table
    /// civic prints. Counted per character (grapheme cluster), so a letter with combining marks
    /// («й» written as и + U+0306, «é» as e + U+0301) is one column, and an emoji sequence
    /// (👨‍👩‍👧, a flag 🇰🇿, ☕, ❤️ with its variation selector) is two; East Asian wide letters (漢字,
    /// 한글, full-width forms) are two; controls and format characters alone take none.
    public static func displayWidth(_ text: String) -> Int {
        var width = 0
        for character in text {
            width += characterWidth(character)
        }
        return width
    }

    static func characterWidth(_ character: Character) -> Int {
        var visible = false
        for scalar in character.unicodeScalars {
            let properties = scalar.properties
            switch properties.generalCategory {
            case .nonspacingMark, .enclosingMark, .format, .control:
                // U+FE0F asks for the emoji form of what it follows: two columns.
                if scalar.value == 0xFE0F, visible, character.unicodeScalars.count > 1 { return 2 }
                continue
            default: break
            }
            if properties.isEmojiPresentation || isWide(scalar.value) { return 2 }
            visible = true
        }
        return visible ? 1 : 0
    }

    /// East Asian Wide and Fullwidth ranges (UAX #11) civic's names may hold.
    static func isWide(_ v: UInt32) -> Bool {
        (0x1100...0x115F).contains(v) || (0x2E80...0x303E).contains(v) || (0x3041...0x33FF).contains(v)
            || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0xA000...0xA4CF).contains(v)
            || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v)
            || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v)
            || (0x1F900...0x1F9FF).contains(v) || (0x20000...0x3FFFD).contains(v)
    }
}

/// How CSV is spelled, for the spreadsheet that opens it.
public enum CSVDialect: String, Sendable, CaseIterable {
    /// RFC 4180: `,` between cells, a decimal point; what English-locale spreadsheets, QGIS,
    /// pandas and most tools read.
    case rfc4180
    /// What Russian- and Kazakh-locale Excel and LibreOffice open with numbers as numbers: `;`
    /// between cells, a decimal comma, a UTF-8 byte-order mark, CRLF line ends.
    case excel

    /// The dialect a dataset's language implies: `excel` for `ru` and `kk` (their spreadsheets
    /// use a decimal comma), `rfc4180` for `en` and when no dataset is known.
    public static func implied(byLanguage language: String?) -> CSVDialect {
        language == "ru" || language == "kk" ? .excel : .rfc4180
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

extension String {
    /// `12.5` with 2 decimals becomes `12.50`, so that a column of figures lines up on the point.
    public func padded(decimals: Int) -> String {
        guard decimals > 0 else { return self }
        guard let dot = firstIndex(of: ".") else { return self + "." + String(repeating: "0", count: decimals) }
        let have = distance(from: index(after: dot), to: endIndex)
        return have >= decimals ? self : self + String(repeating: "0", count: decimals - have)
    }
}
