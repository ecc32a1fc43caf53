import CivicCore

/// One record of a CSV file: its cells and the line of the file where it starts.
public struct CSVRecord: Hashable, Sendable {
    public var fields: [String]
    /// 1-based line of the file where the record begins (a quoted cell may span several lines).
    public var line: Int

    public init(fields: [String], line: Int) {
        self.fields = fields
        self.line = line
    }

    /// True for a record with nothing in it: a blank line, or a row of empty cells (`;;;;`).
    public var isBlank: Bool { fields.allSatisfy { $0.allSatisfy(\.isWhitespace) } }
}

/// An RFC 4180 reader: quoted cells, doubled quotes, line breaks inside quotes, LF, CRLF or CR
/// line ends. Lenient where spreadsheet programs are: a quote inside an unquoted cell is kept as
/// a character, and text after a closing quote is appended to the cell.
///
/// ```swift
/// let delimiter = CSVReader.detectDelimiter(text)          // ";" for a Russian Excel export
/// let records = try CSVReader.records(text, delimiter: delimiter, file: "volunteers.csv")
/// ```
public enum CSVReader {
    /// The delimiters civic detects, in the order that breaks a tie.
    public static let detectable: [Character] = ["\t", ";", ","]

    /// The delimiter the header line uses: the most frequent of tab, `;` and `,` outside quotes
    /// (a tie goes to tab, then `;`); `,` when the header has none of them.
    public static func detectDelimiter(_ text: String) -> Character {
        var counts: [Character: Int] = [:]
        var quoted = false
        var seenContent = false
        for ch in text {
            if ch == "\"" { quoted.toggle(); continue }
            if !quoted && (ch == "\n" || ch == "\r" || ch == "\r\n") {
                if seenContent { break }  // blank lines before the header do not count
                continue
            }
            if !ch.isWhitespace || ch == "\t" { seenContent = true }
            if !quoted, detectable.contains(ch) { counts[ch, default: 0] += 1 }
        }
        var best: Character = ","
        var bestCount = 0
        for candidate in detectable where counts[candidate, default: 0] > bestCount {
            best = candidate
            bestCount = counts[candidate, default: 0]
        }
        return best
    }

    /// Every record of `text`, blank ones included (the caller decides what a blank line means).
    /// A quoted cell that never closes is a syntax error naming the line where it opened.
    public static func records(_ text: String, delimiter: Character, file: String) throws(CivicError) -> [CSVRecord] {
        guard let delimiterByte = delimiter.asciiValue, delimiter != "\"", delimiter != "\n", delimiter != "\r" else {
            throw CivicError.refused(reason: "the delimiter must be one ASCII character other than a quote or a line end",
                                     hint: "use --delimiter ';', --delimiter ',' or --delimiter tab")
        }
        let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        var bytes = Array(text.utf8)
        bytes.append(lf)  // a final record without a line end ends here
        var records: [CSVRecord] = []
        var fields: [String] = []
        var cell: [UInt8] = []
        var line = 1
        var recordLine = 1
        var i = 0
        var cellStarted = false  // whether anything (even an empty quoted cell) began this cell

        func endCell() {
            fields.append(String(decoding: cell, as: UTF8.self))
            cell.removeAll(keepingCapacity: true)
        }

        while i < bytes.count {
            let b = bytes[i]
            if b == quote && cell.isEmpty && !cellStarted {
                // A quoted cell: runs to the next quote that is not doubled.
                let openLine = line
                var j = i + 1
                var closed = false
                while j < bytes.count {
                    let c = bytes[j]
                    if c == quote {
                        if j + 1 < bytes.count && bytes[j + 1] == quote {
                            cell.append(quote)
                            j += 2
                            continue
                        }
                        closed = true
                        j += 1
                        break
                    }
                    if c == cr && j + 1 < bytes.count && bytes[j + 1] == lf {
                        j += 1  // a CRLF inside a cell is kept as one line break, "\n"
                        continue
                    }
                    if c == lf || c == cr { line += 1 }
                    cell.append(c == cr ? lf : c)
                    j += 1
                }
                if !closed {
                    throw CivicError.syntax(
                        file: file, line: openLine, column: 1,
                        reason: "a quoted cell opened on line \(openLine) is never closed",
                        hint: "a quote inside a quoted cell is written twice (\"\"); check the quotes on line \(openLine)")
                }
                cellStarted = true
                i = j
                continue
            }
            if b == delimiterByte {
                endCell()
                cellStarted = false
                i += 1
                continue
            }
            if b == lf || b == cr {
                endCell()
                cellStarted = false
                records.append(CSVRecord(fields: fields, line: recordLine))
                fields.removeAll(keepingCapacity: true)
                i += (b == cr && i + 1 < bytes.count && bytes[i + 1] == lf) ? 2 : 1
                line += 1
                recordLine = line
                continue
            }
            cell.append(b)
            cellStarted = true
            i += 1
        }
        // The sentinel makes a last empty record when the file ended with its own line end.
        if let last = records.last, last.fields == [""] { records.removeLast() }
        return records
    }
}
