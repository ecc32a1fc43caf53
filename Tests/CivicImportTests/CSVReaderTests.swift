import CivicTestSupport
import CivicCore
@testable import CivicImport
import Testing

@Suite("CSV reading (RFC 4180) and text decoding")
struct CSVReaderTests {
    @Test("quoted cells, doubled quotes and line breaks inside quotes, with the line each record starts on")
    func quoting() throws {
        let text = "name,description\r\n\"Клуб \"\"Ветеран\"\"\",\"первая строка\r\nвторая, с запятой\"\r\nпросто,текст\r\n"
        let records = try CSVReader.records(text, delimiter: ",", file: "t.csv")
        #expect(records.map(\.line) == [1, 2, 4])
        #expect(records[1].fields == ["Клуб \"Ветеран\"", "первая строка\nвторая, с запятой"])
        #expect(records[2].fields == ["просто", "текст"])
    }

    @Test("LF, CRLF and CR line ends; a last line without one; blank lines kept as blank records")
    func lineEnds() throws {
        let records = try CSVReader.records("a;b\n1;2\r\n\r\n3;4\r5;6", delimiter: ";", file: "t.csv")
        #expect(records.map(\.fields) == [["a", "b"], ["1", "2"], [""], ["3", "4"], ["5", "6"]])
        #expect(records.map(\.line) == [1, 2, 3, 4, 5])
        #expect(records[2].isBlank)
        #expect(CSVRecord(fields: ["", " ", ""], line: 9).isBlank)
    }

    @Test("a quote that never closes is an error naming the line where it opened")
    func unclosedQuote() {
        let error = civicError { _ = try CSVReader.records("a,b\n1,2\n\"open,3\n4,5\n", delimiter: ",", file: "t.csv") }
        guard case let .syntax(file, line, _, reason, _)? = error else {
            Issue.record("expected a syntax error, got \(String(describing: error))")
            return
        }
        #expect(file == "t.csv")
        #expect(line == 3)
        #expect(reason.contains("never closed"))
    }

    @Test("the delimiter comes from the header: semicolon, tab, comma; quotes and blank lines do not fool it")
    func delimiterDetection() {
        #expect(CSVReader.detectDelimiter("Название;Тип;Широта\n1,5;2,5;3") == ";")
        #expect(CSVReader.detectDelimiter("name\tkind\tlat\n") == "\t")
        #expect(CSVReader.detectDelimiter("name,kind,lat\n\"a;b;c;d\",x,1") == ",")
        #expect(CSVReader.detectDelimiter("\"a;b;c\",kind\n") == ",")
        #expect(CSVReader.detectDelimiter("\n\nname;kind\n") == ";")
        #expect(CSVReader.detectDelimiter("name\n") == ",")
    }

    @Test("UTF-8 with and without a BOM reads the same")
    func byteOrderMark() throws {
        let plain = Array("name\nӘсем".utf8)
        #expect(try TextDecoding.decode([0xEF, 0xBB, 0xBF] + plain, as: .utf8, file: "t.csv") == "name\nӘсем")
        #expect(try TextDecoding.decode(plain, as: .utf8, file: "t.csv") == "name\nӘсем")
    }

    @Test("invalid UTF-8 is refused naming the first bad line, with the Windows-1251 hint for a Russian export")
    func invalidUTF8() throws {
        let bytes = try fixture("volunteers-cp1251.csv")
        let error = civicError { _ = try TextDecoding.decode(bytes, as: .utf8, file: "volunteers.csv") }
        guard case let .syntax(_, line, column, reason, hint)? = error else {
            Issue.record("expected a syntax error, got \(String(describing: error))")
            return
        }
        #expect(line == 1 && column == 1)
        #expect(reason.contains("not valid UTF-8"))
        #expect(hint?.contains("--encoding cp1251") == true)

        // A later bad line is the one named; a stray byte in Latin text gets no Windows-1251 hint.
        let later: [UInt8] = Array("name\nok\nbad ".utf8) + [0xFF, 0x41]
        let second = civicError { _ = try TextDecoding.decode(later, as: .utf8, file: "t.csv") }
        guard case let .syntax(_, line2, _, _, hint2)? = second else {
            Issue.record("expected a syntax error, got \(String(describing: second))")
            return
        }
        #expect(line2 == 3)
        #expect(hint2?.contains("cp1251") == false)
    }

    @Test("Windows-1251: every byte decodes as Python's cp1251 codec does; 0x98 is refused")
    func cp1251() throws {
        // "Ёё№«»—Жжі" and all of А…я, encoded by Python's `.encode('cp1251')`.
        let bytes: [UInt8] = [0xA8, 0xB8, 0xB9, 0xAB, 0xBB, 0x97, 0xC6, 0xE6, 0xB3]
            + Array(0xC0...0xFF)
        let text = try TextDecoding.decode(bytes, as: .cp1251, file: "t.csv")
        #expect(text == "Ёё№«»—Жжі" + "АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдежзийклмнопрстуфхцчшщъыьэюя")
        #expect(civicError { _ = try TextDecoding.decode([0x41, 0x98], as: .cp1251, file: "t.csv") } != nil)
        // A UTF-8 file read as Windows-1251 would be mojibake: refused.
        let utf8 = civicError { _ = try TextDecoding.decode(Array("Совет дома".utf8), as: .cp1251, file: "t.csv") }
        #expect(utf8?.hint?.contains("drop --encoding cp1251") == true)
        #expect(TextEncoding(name: "Windows-1251") == .cp1251)
        #expect(TextEncoding(name: "UTF-8") == .utf8)
        #expect(TextEncoding(name: "koi8-r") == nil)
    }

    @Test("UTF-16 (Excel's Unicode text) is refused with a hint to save as UTF-8")
    func utf16() {
        let error = civicError { _ = try TextDecoding.decode([0xFF, 0xFE, 0x6E, 0x00], as: .utf8, file: "t.txt") }
        #expect(error?.description.contains("UTF-16") == true)
        #expect(error?.hint?.contains("UTF-8") == true)
    }
}
