import CivicCore
import Testing

@Suite("CSV dialects: the bytes a spreadsheet opens")
struct TabularCSVTests {
    /// Two districts as `civic coverage` writes them: an id, a Cyrillic name, figures.
    let coverage = Tabular(header: ["id", "name", "area_m2", "covered_share", "entities"],
                           rows: [["center", "Центр", "4619924.59", "0.93089", "14"],
                                  ["ulbinsky", "Ульбинский; левый берег", "7769648.46", "-0.5", "5"]],
                           numberColumns: [2, 3, 4])

    @Test func excelHasBOMSemicolonsDecimalCommasAndCRLF() {
        let bytes = Array(coverage.csv(.excel).utf8)
        #expect(bytes.prefix(3) == [0xEF, 0xBB, 0xBF], "starts with the UTF-8 byte-order mark")
        let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        #expect(text == "id;name;area_m2;covered_share;entities\r\n"
                     + "center;Центр;4619924,59;0,93089;14\r\n"
                     + "ulbinsky;\"Ульбинский; левый берег\";7769648,46;-0,5;5\r\n", "\(text)")
    }

    @Test func rfc4180KeepsCommasAndPointsWithoutAMark() {
        #expect(coverage.csv(.rfc4180) == "id,name,area_m2,covered_share,entities\r\n"
                                        + "center,Центр,4619924.59,0.93089,14\r\n"
                                        + "ulbinsky,\"Ульбинский; левый берег\",7769648.46,-0.5,5\r\n")
    }

    @Test func textThatLooksLikeANumberStaysTextOutsideNumberColumns() {
        // An address "12.5" is not a figure: no decimal comma in a text column.
        let table = Tabular(header: ["address", "lat"], rows: [["12.5", "49.95"]], numberColumns: [1])
        #expect(table.csv(.excel) == "\u{FEFF}address;lat\r\n12.5;49,95\r\n")
    }

    @Test func excelQuotesOnlyWhatItMust() {
        let table = Tabular(header: ["description"], rows: [["залы, клубы"], ["сказал \"да\""], ["две\nстроки"]])
        #expect(table.csv(.excel) == "\u{FEFF}description\r\nзалы, клубы\r\n\"сказал \"\"да\"\"\"\r\n\"две\nстроки\"\r\n")
    }

    @Test(arguments: ["+7 777 123 45 67", "+7 (7232) 57-00-11", "8 705 123 4567", "+7.777.123.45.67"])
    func phoneNumbersAreNotGuarded(phone: String) {
        let table = Tabular(header: ["phone"], rows: [[phone]])
        #expect(table.csv(.excel) == "\u{FEFF}phone\r\n\(phone)\r\n")
        #expect(table.csv(.rfc4180) == "phone\r\n\(phone)\r\n")
    }

    @Test(arguments: [
        ("=HYPERLINK(\"http://evil\")", "\"'=HYPERLINK(\"\"http://evil\"\")\""),
        ("+1+2", "'+1+2"), ("-SUM(A1:A9)", "'-SUM(A1:A9)"), ("@home", "'@home"),
        ("+1 234", "'+1 234"), ("\tcmd", "'\tcmd"), ("+7 777 CALL", "'+7 777 CALL"),
    ])
    func formulasStayGuarded(cell: String, written: String) {
        let table = Tabular(header: ["x"], rows: [[cell]])
        #expect(table.csv(.excel) == "\u{FEFF}x\r\n\(written)\r\n")
    }

    @Test func numberColumnsAreNeverQuotedOrGuarded() {
        let table = Tabular(header: ["lat", "lon"], rows: [["-33.8688", "151.2093"]], numberColumns: [0, 1])
        #expect(table.csv(.excel) == "\u{FEFF}lat;lon\r\n-33,8688;151,2093\r\n")
        #expect(table.csv(.rfc4180) == "lat,lon\r\n-33.8688,151.2093\r\n")
    }

    @Test func theDatasetLanguageChoosesTheDialect() {
        #expect(CSVDialect.implied(byLanguage: "ru") == .excel)
        #expect(CSVDialect.implied(byLanguage: "kk") == .excel)
        #expect(CSVDialect.implied(byLanguage: "en") == .rfc4180)
        #expect(CSVDialect.implied(byLanguage: nil) == .rfc4180)
    }
}
