import CivicTestSupport
import Foundation
import Testing

/// CSV that Russian- and Kazakh-locale Excel and LibreOffice open with numbers as numbers (issue 11).
/// LibreOffice is not installed here, so the tests check the bytes the spreadsheet parses.
@Suite("CSV for spreadsheets: --csv excel | rfc4180")
struct SpreadsheetDialectTests {
    /// The file's bytes as text, after checking and removing the UTF-8 byte-order mark.
    func withoutMark(_ text: String) -> String? {
        text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : nil
    }

    @Test func coverageOfARussianDatasetIsExcelCSVWithoutTheCityRow() throws {
        let result = try civic("coverage", "--dataset", bundledDataset, "--format", "csv")
        #expect(result.status == 0, "\(result)")
        let body = try #require(withoutMark(result.stdout), "excel CSV starts with a byte-order mark: \(result.stdout.prefix(20))")
        #expect(body.hasPrefix("id;name;area_m2;covered_m2;covered_share;entities;population;covered_population\r\n"), "\(body)")
        let lines = body.components(separatedBy: "\r\n").dropLast()
        #expect(body.hasSuffix("\r\n") && !body.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "CRLF only")
        // 14 districts, each once; no total row among them (it has an empty id and the name "city").
        #expect(lines.count == 15, "\(lines)")
        #expect(!lines.contains { $0.hasPrefix(";") || $0.contains(";city;") }, "\(body)")
        let center = try #require(lines.first { $0.hasPrefix("center;") }, "\(body)")
        let cells = center.components(separatedBy: ";")
        #expect(cells.count == 8, "\(center)")
        for number in cells[2...] {
            // A decimal comma, no quotes, no thousands separators: the spreadsheet reads a number.
            #expect(number.allSatisfy { $0.isNumber || $0 == "," } && !number.isEmpty, "\(number) in \(center)")
        }
        #expect(cells[4].hasPrefix("0,"), "covered_share with a decimal comma: \(center)")
    }

    @Test func districtRowsSumToTheCityTotalOfTheJSON() throws {
        let csv = try civic("coverage", "--dataset", bundledDataset, "--csv", "rfc4180", "--format", "csv")
        let json = try civic("coverage", "--dataset", bundledDataset, "--format", "json")
        #expect(csv.status == 0 && json.status == 0, "\(csv)\n\(json)")
        let rows = csv.stdout.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }
        let area = rows.compactMap { Double($0.components(separatedBy: ",")[2]) }.reduce(0, +)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let city = try #require(object["city"] as? [String: Any])
        let cityArea = try #require(city["area_m2"] as? Double)
        #expect(rows.count == 14 && abs(area - cityArea) < 1, "sum \(area), city \(cityArea)")
    }

    @Test func rfc4180OnRequestAndForLooseFiles() throws {
        let asked = try civic("coverage", "--dataset", bundledDataset, "--csv", "rfc4180", "--format", "csv")
        #expect(asked.stdout.hasPrefix("id,name,area_m2,covered_m2,covered_share,"), "\(asked)")
        #expect(asked.stdout.contains("center,Центр,") && asked.stdout.contains("\r\n"), "\(asked.stdout)")
        let loose = try civic("coverage", "--districts", bundledDataset + "/districts.geojson",
                              "--entities", bundledDataset + "/entities.geojson", "--format", "csv")
        #expect(loose.status == 0 && loose.stdout.hasPrefix("id,name,area_m2,"), "no dataset, no language: \(loose)")
    }

    @Test func gapsAndDistrictExportFollowTheDialect() throws {
        let gaps = try civic("gaps", "--dataset", bundledDataset, "--radius", "300", "--format", "csv")
        let gapsBody = try #require(withoutMark(gaps.stdout), "\(gaps)")
        #expect(gapsBody.hasPrefix("rank;district_id;district_name;area_m2;lat;lon\r\n1;"), "\(gapsBody.prefix(80))")
        let firstGap = gapsBody.components(separatedBy: "\r\n")[1].components(separatedBy: ";")
        #expect(firstGap.count == 6, "\(firstGap)")
        for number in firstGap.dropFirst(3) {
            #expect(number.contains(",") && Double(number.replacingOccurrences(of: ",", with: ".")) != nil, "\(firstGap)")
        }
        let districts = try civic("export", "districts", "--dataset", bundledDataset, "--format", "csv")
        let districtsBody = try #require(withoutMark(districts.stdout), "\(districts)")
        #expect(districtsBody.hasPrefix("id;name;name_ru;name_kk;name_en;population;geometry_type"), "\(districtsBody.prefix(80))")
        #expect(districtsBody.contains("\r\ncenter;Центр;"), "\(districtsBody.prefix(300))")
    }

    @Test func aPhoneReadsAsAPhoneAndAFormulaStaysGuarded() throws {
        try withTemporaryDirectory { dir in
            let path = try makeSquareDataset(in: dir)
            _ = try addVenue(path, name: "Двор на Протозанова", extra: ["--phone", "+7 777 123 45 67"])
            _ = try addVenue(path, name: "=HYPERLINK(\"http://evil\")", lat: "49.951",
                             extra: ["--description", "+1+2", "--phone", "+7 (7232) 57-00-11"])
            let out = dir + "/contacts.csv"
            let export = try civic("export", "entities", "--dataset", path, "--include-private", "-o", out)
            #expect(export.status == 0, "\(export)")
            let bytes = try #require(FileManager.default.contents(atPath: out))
            #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF], "one byte-order mark")
            #expect(!bytes.dropFirst(3).starts(with: [0xEF, 0xBB, 0xBF]), "not two")
            let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
            #expect(text.contains(";+7 777 123 45 67;") && text.contains(";+7 (7232) 57-00-11;"), "\(text)")
            #expect(!text.contains("'+7"), "\(text)")
            #expect(text.contains(";\"'=HYPERLINK(\"\"http://evil\"\")\";") && text.contains(";'+1+2;"), "\(text)")
            #expect(text.contains(";49,95;82,6"), "lat and lon with a decimal comma: \(text)")
            // The excel file imports back into a new dataset: civic reads its own dialect.
            let copy = dir + "/copy"
            #expect(try civic("init", copy, "--name", "Копия", "--districts", twoDistricts).status == 0)
            let imported = try civic("import", "csv", out, "--dataset", copy)
            #expect(imported.status == 0 && imported.stderr.contains("2 added"), "\(imported)")
        }
    }

    @Test func anEnglishDatasetWritesRFC4180AndExcelIsAChoice() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/en"
            #expect(try civic("init", path, "--name", "Squares", "--language", "en", "--districts", twoDistricts).status == 0)
            _ = try addVenue(path)
            let plain = try civic("list", "--dataset", path, "--format", "csv")
            #expect(plain.stdout.hasPrefix("id,kind,name,") && plain.stdout.contains(",49.95,82.6"), "\(plain)")
            let excel = try civic("list", "--dataset", path, "--format", "csv", "--csv", "excel")
            #expect(excel.stdout.hasPrefix("\u{FEFF}id;kind;name;") && excel.stdout.contains(";49,95;82,6"), "\(excel)")
        }
    }

    @Test func csvDialectWithoutCSVOutputIsAUsageError() throws {
        let result = try civic("coverage", "--dataset", bundledDataset, "--csv", "excel", "--format", "json")
        #expect(result.status == 64 && result.stdout.isEmpty, "\(result)")
        #expect(result.stderr.hasPrefix("civic: error: --csv excel applies to CSV output only\nhint: "), "\(result.stderr)")
        let unknown = try civic("coverage", "--dataset", bundledDataset, "--csv", "semicolon", "--format", "csv")
        #expect(unknown.status == 64, "\(unknown)")
    }
}
