import CivicCore
import CivicImport
import CivicStore
import CivicTestSupport
import Foundation
import GeoValues
import Testing

/// The register of a reception office as its Excel saves it: Windows-1251, `;`, decimal commas,
/// CRLF, trailing empty columns, blank lines, a Russian header, both date forms.
func appeals() throws -> ConcernBatch {
    try ConcernImport.batch(try fixture("appeals-cp1251.csv"), path: "appeals-cp1251.csv", encoding: .cp1251)
}

@Suite("import concerns: a reception office's register")
struct ConcernImportTests {
    @Test func readsEveryRowOfTheWindows1251Register() throws {
        let batch = try appeals()
        #expect(batch.problems.isEmpty, "\(batch.problems)")
        #expect(batch.rows.map(\.ref) == ["1024", "1025", "1026", "1027", "1028"])
        #expect(batch.rows.map(\.line) == [2, 3, 5, 6, 7], "blank lines are skipped but counted")
        let first = batch.rows[0]
        #expect(first.draft.theme == "Освещение")
        #expect(first.draft.point == Position(lon: 82.6271, lat: 49.9512), "decimal commas with ';'")
        #expect(first.draft.received == "03.03.2026")
        #expect(first.draft.status == "Открыто")
        #expect(first.draft.source == "Приёмная акима")
        #expect(first.draft.privateFields == ConcernPrivate(
            text: "Не горят фонари во дворе дома 12 по ул. Бажова", reporter: "Иванова Анна Петровна",
            phone: "+7 777 123 45 67", email: "anna.ivanova@mail.kz", ref: "1024"))
        #expect(batch.rows[2].draft.point == nil && batch.rows[2].draft.district == "Усть-Каменогорск")
        #expect(batch.rows[4].draft.privateFields.text == "Яма на перекрёстке; машины объезжают по тротуару",
                "a quoted cell keeps its ';'")
        #expect(batch.warnings.isEmpty, "\(batch.warnings)")
    }

    @Test func importsAllRowsAndAReimportChangesNothing() throws {
        try withTemporaryDirectory { dir in
            let dataset = try Oskemen.dataset(in: dir)
            let report = try ConcernImport.run(try appeals(), into: dataset, dryRun: false)
            #expect(report.problems.isEmpty, "\(report.problems)")
            #expect((report.added, report.updated, report.unchanged) == (5, 0, 0))
            let state = try dataset.load(includeContacts: true, concerns: true)
            #expect(state.concerns.map(\.id) == [1, 2, 3, 4, 5])
            #expect(state.concerns.map(\.theme) == ["lighting", "snow_removal", "courtyards", "heating", "roads"])
            #expect(state.concerns.map(\.status) == [.open, .resolved, .open, .resolved, .open], "«в работе» is open")
            #expect(state.concerns.map(\.received) == ["2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06", "2026-03-07"])
            #expect(state.concerns[1].resolved == "2026-03-09" && state.concerns[3].resolved == "2026-03-10")
            #expect(state.concerns.allSatisfy { $0.district == "oskemen" })
            #expect(state.concerns[2].point == nil)
            #expect(state.concernPrivate[2]?.phone == "8 (7232) 25-11-03")

            // The public file holds no private value.
            let publicText = String(decoding: try #require(FileManager.default.contents(atPath: dataset.path + "/concerns.geojson")),
                                    as: UTF8.self)
            for secret in ["Иванова", "+7 777", "anna.ivanova", "фонари", "1024"] {
                #expect(!publicText.contains(secret), "concerns.geojson holds '\(secret)'")
            }

            let before = snapshot(dataset.path)
            let again = try ConcernImport.run(try appeals(), into: dataset, dryRun: false)
            #expect((again.added, again.updated, again.unchanged) == (0, 0, 5))
            #expect(snapshot(dataset.path) == before, "a re-import writes nothing, not even a journal line")
        }
    }

    @Test func aReimportWithAChangedStatusUpdatesTheSameConcern() throws {
        try withTemporaryDirectory { dir in
            let dataset = try Oskemen.dataset(in: dir)
            try ConcernImport.run(try appeals(), into: dataset, dryRun: false)
            let text = "номер;тема;широта;долгота;дата обращения;статус;дата решения\r\n"
                + "1024;освещение;49,9512;82,6271;03.03.2026;решено;12.03.2026\r\n"
            let batch = try ConcernImport.batch(Array(text.utf8), path: "april.csv")
            let report = try ConcernImport.run(batch, into: dataset, dryRun: false)
            #expect((report.added, report.updated) == (0, 1), "\(report.problems)")
            let state = try dataset.load(includeContacts: true, concerns: true)
            #expect(state.concerns.count == 5)
            #expect(state.concerns[0].status == .resolved && state.concerns[0].resolved == "2026-03-12")
            #expect(state.concernPrivate[1]?.ref == "1024")
        }
    }

    @Test func aBadRowRefusesTheWholeFileAndNamesEveryLine() throws {
        try withTemporaryDirectory { dir in
            let dataset = try Oskemen.dataset(in: dir)
            let before = snapshot(dataset.path)
            let text = """
                номер;тема;широта;долгота;район;дата обращения;статус;дата решения
                1;освещение;49,95;82,60;;05.03.2026;открыто;
                2;освещение;50,30;82,60;;05.03.2026;открыто;
                3;магазины;49,95;82,60;;05.03.2026;открыто;
                4;дворы;;;Левобережье;05.03.2026;открыто;
                5;дворы;49,95;82,60;;31.02.2026;открыто;
                6;дворы;49,95;82,60;;05.03.2026;открыто;01.03.2026
                7;дворы;49,95;82,60;;05.03.2026;не знаю;
                1;дворы;49,95;82,60;;05.03.2026;открыто;

                """
            let batch = try ConcernImport.batch(Array(text.utf8), path: "bad.csv")
            let report = try ConcernImport.run(batch, into: dataset, dryRun: false)
            #expect(report.refused)
            let byLine = Dictionary(report.problems.map { ($0.line ?? 0, $0.description) }, uniquingKeysWith: { a, _ in a })
            #expect(byLine.keys.sorted() == [3, 4, 5, 6, 7, 8, 9], "\(report.problems)")
            #expect(byLine[3]?.contains("bad.csv:3: lat 50.3, lon 82.6 lies outside every district") == true, "\(byLine[3] ?? "")")
            #expect(byLine[4]?.contains("unknown theme 'магазины'") == true)
            #expect(byLine[5]?.contains("no district has the id or name 'Левобережье'") == true)
            #expect(byLine[6]?.contains("'31.02.2026' is not a date") == true)
            #expect(byLine[7]?.contains("before the received date") == true)
            #expect(byLine[8]?.contains("neither open nor resolved") == true)
            #expect(byLine[9]?.contains("row id «1» is on line 2 too") == true)
            #expect(snapshot(dataset.path) == before, "a refused import leaves every byte")
        }
    }

    @Test func aDryRunReportsAndWritesNothing() throws {
        try withTemporaryDirectory { dir in
            let dataset = try Oskemen.dataset(in: dir)
            let before = snapshot(dataset.path)
            let report = try ConcernImport.run(try appeals(), into: dataset, dryRun: true)
            #expect(report.added == 5 && report.steps.map(\.id) == [1, 2, 3, 4, 5])
            #expect(snapshot(dataset.path) == before)
        }
    }

    @Test("dates as spreadsheets write them, day first", arguments: [
        ("2026-03-05", "2026-03-05"), ("05.03.2026", "2026-03-05"), ("5.3.2026", "2026-03-05"), ("05/03/2026", "2026-03-05"),
        ("29.02.2028", "2028-02-29"), ("05.03.2026 14:30", "2026-03-05"), ("05.03.2026 9:05:59", "2026-03-05"),
        ("2026-03-05T14:30:00", "2026-03-05"), ("2026-03-05 00:00", "2026-03-05"),
    ])
    func dates(_ text: String, _ expected: String) {
        #expect(CivilDate(text)?.description == expected)
    }

    @Test("not dates", arguments: ["2026-3-5", "31.02.2026", "29.02.2026", "03/05/26", "2026-13-01", "вчера", "",
                                   "05.03.2026 24:00", "05.03.2026 14:60", "05.03.2026 14", "05.03.2026 14:3", "05.03.2026 утром",
                                   "2026-03-05T", "05 03 2026", "14:30"])
    func notDates(_ text: String) {
        #expect(CivilDate(text) == nil)
    }

    @Test("a day later or earlier across months, years and 29 February")
    func addingDays() throws {
        let cases: [(String, Int, String)] = [("2026-11-28", 1, "2026-11-29"), ("2026-11-30", 1, "2026-12-01"),
                                             ("2026-12-31", 1, "2027-01-01"), ("2028-02-28", 1, "2028-02-29"),
                                             ("2028-03-01", -1, "2028-02-29"), ("2026-03-01", -1, "2026-02-28"),
                                             ("2026-03-05", 365, "2027-03-05")]
        for (from, days, to) in cases {
            #expect(try #require(CivilDate(from)).adding(days: days).description == to, "\(from) + \(days)")
        }
    }

    @Test("a received or resolved day after tomorrow (a typo in the year) is refused; tomorrow is not, for UTC+6")
    func datesInTheFuture() throws {
        try withTemporaryDirectory { dir in
            let state = try Oskemen.dataset(in: dir).load()
            let admission = try ConcernAdmission(state: state, today: CivilDate("2026-03-10"))
            func draft(_ received: String, resolved: String? = nil) -> ConcernDraft {
                ConcernDraft(theme: "Освещение", point: Position(lon: 82.6271, lat: 49.9512), received: received,
                             status: resolved == nil ? "Открыто" : "Решено", resolved: resolved, source: "Приёмная акима")
            }
            #expect(try admission.concern(draft("11.03.2026"), id: 1).received == "2026-03-11", "tomorrow in UTC is today at UTC+6")
            #expect(civicError { _ = try admission.concern(draft("12.03.2026"), id: 1) }?.description
                    == "received date 2026-03-12 is in the future (today is 2026-03-10, UTC)")
            #expect(civicError { _ = try admission.concern(draft("2099-03-01"), id: 1) }?.description
                    == "received date 2099-03-01 is in the future (today is 2026-03-10, UTC)")
            #expect(civicError { _ = try admission.concern(draft("01.03.2026", resolved: "05.03.2099"), id: 1) }?.description
                    == "resolved date 2099-03-05 is in the future (today is 2026-03-10, UTC)")
            #expect(try admission.concern(draft("01.03.2026", resolved: "10.03.2026"), id: 1).resolved == "2026-03-10")
        }
    }

    @Test func statusesInThreeLanguages() {
        for open in ["open", "Открыто", "в работе", "ашық"] { #expect(ConcernAdmission.status(open) == .open, "\(open)") }
        for done in ["resolved", "Решено", "закрыто", "шешілді"] { #expect(ConcernAdmission.status(done) == .resolved, "\(done)") }
        #expect(ConcernAdmission.status("maybe") == nil)
    }
}
