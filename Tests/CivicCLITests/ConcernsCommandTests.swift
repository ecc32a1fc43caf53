import CivicCore
import CivicStore
import CivicTestSupport
import Foundation
import Testing

/// A register of the square city's reception office, Windows-1251 with `;` and CRLF as Excel
/// saves it: five lighting appeals within a few metres of each other in the west district, two
/// elsewhere, each with a private text, reporter, phone and e-mail, and exact points with six
/// decimals that no snapped centre shares.
enum SquareRegister {
    static let rows: [(ref: String, theme: String, lat: String, lon: String, district: String, received: String,
                       status: String, resolved: String, text: String, reporter: String, phone: String, email: String)] = [
        ("501", "освещение", "49,951234", "82,601234", "", "03.03.2026", "открыто", "", "Не горит фонарь у подъезда 4",
         "Жанна Абенова", "+7 701 555 01 01", "zhanna.abenova@mail.kz"),
        ("502", "освещение", "49,951301", "82,601377", "", "04.03.2026", "решено", "08.03.2026", "Темно на детской площадке",
         "Олег Бредихин", "+7 702 555 02 02", "o.bredikhin@example.kz"),
        ("503", "Освещение", "49,951456", "82,601512", "", "2026-03-05", "открыто", "", "Мигает свет во дворе",
         "Гульнара Сейтказы", "+7 705 555 03 03", "gulnara.s@example.kz"),
        ("504", "lighting", "49,951088", "82,601655", "", "06.03.2026", "в работе", "", "Нет освещения у гаражей",
         "Арман Тулегенов", "+7 707 555 04 04", "arman.t@example.kz"),
        ("505", "street lighting", "49,951599", "82,601166", "", "07.03.2026", "шешілді", "12.03.2026", "Фонарь разбит",
         "Светлана Ким", "+7 708 555 05 05", "svetlana.kim@example.kz"),
        ("506", "отопление", "49,958765", "82,643217", "", "08.03.2026", "открыто", "", "Холодно в квартире 17",
         "Ерлан Мусин", "+7 747 555 06 06", "erlan.musin@example.kz"),
        ("507", "дворы", "", "", "Западный", "09.03.2026", "открыто", "", "Сломана скамейка",
         "Надежда Павлова", "+7 771 555 07 07", "nadezhda.p@example.kz"),
    ]

    static var bytes: Data {
        var text = "Номер;Тема;Широта;Долгота;Район;Дата обращения;Статус;Дата решения;Текст;ФИО;Телефон;E-mail;;\r\n"
        for r in rows {
            text += [r.ref, r.theme, r.lat, r.lon, r.district, r.received, r.status, r.resolved, r.text, r.reporter,
                     r.phone, r.email].joined(separator: ";") + ";;\r\n"
            if r.ref == "503" { text += "\r\n" }
        }
        // Windows-1251 has no ә ғ қ ң ө ұ ү һ: the rows keep to the letters it has (шешілді has only і).
        return text.data(using: .windowsCP1251) ?? Data("no Windows-1251 form".utf8)
    }

    /// Every private value the register gave: texts, names, phones, e-mails, exact coordinates (as
    /// written with a decimal point), and the register's row ids.
    static var secrets: [String] {
        rows.flatMap { r in
            [r.text, r.reporter, r.phone, r.email, r.lat.replacingOccurrences(of: ",", with: "."),
             r.lon.replacingOccurrences(of: ",", with: ".")].filter { !$0.isEmpty }
        }
    }

    static func dataset(in dir: String) throws -> (dataset: String, register: String) {
        let path = try makeSquareDataset(in: dir)
        _ = try addVenue(path, name: "Фонарщики Бажова", lat: "49.9400", lon: "82.5900")
        let register = dir + "/appeals.csv"
        try bytes.write(to: URL(fileURLWithPath: register))
        let result = try civic("import", "concerns", register, "--encoding", "cp1251", "--dataset", path)
        #expect(result.status == 0, "\(result)")
        return (path, register)
    }
}

@Suite("civic import concerns and civic concerns")
struct ConcernsCommandTests {
    @Test func importsAWindows1251RegisterAndAReimportChangesNothing() throws {
        try withTemporaryDirectory { dir in
            let (path, register) = try SquareRegister.dataset(in: dir)
            let state = try Dataset(path: path).load(includeContacts: true, concerns: true)
            #expect(state.concerns.map(\.district) == ["west", "west", "west", "west", "west", "east", "west"])
            #expect(state.concerns.map(\.status.rawValue) == ["open", "resolved", "open", "open", "resolved", "open", "open"])
            #expect(state.concernPrivate[1]?.reporter == "Жанна Абенова")
            let before = snapshot(path)
            let again = try civic("import", "concerns", register, "--encoding", "cp1251", "--dataset", path)
            #expect(again.status == 0 && again.stderr.contains("0 added, 0 updated, 7 unchanged"), "\(again)")
            #expect(snapshot(path) == before)
        }
    }

    @Test func aRefusedRegisterNamesEveryBadLineAndLeavesTheDataset() throws {
        try withTemporaryDirectory { dir in
            let path = try makeSquareDataset(in: dir)
            let before = snapshot(path)
            let file = dir + "/bad.csv"
            try writeText("""
                номер;тема;широта;долгота;дата обращения
                1;освещение;49,95;82,60;05.03.2026
                2;освещение;50,95;82,60;05.03.2026
                3;освещение;49,95;82,60;32.03.2026

                """, to: file)
            let result = try civic("import", "concerns", file, "--dataset", path)
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.contains("civic: error: \(file):3: lat 50.95, lon 82.6 lies outside every district"), "\(result)")
            #expect(result.stderr.contains("civic: error: \(file):4: received date '32.03.2026' is not a date"), "\(result)")
            #expect(result.stderr.contains("2 of 3 rows refused; nothing was imported"), "\(result)")
            #expect(snapshot(path) == before)
        }
    }

    @Test func addPrintsTheIDAndRefusesAPointOutside() throws {
        try withTemporaryDirectory { dir in
            let path = try makeSquareDataset(in: dir)
            let added = try civic("concerns", "add", "--dataset", path, "--theme", "уборка снега", "--district", "Восточный",
                                  "--received", "01.03.2026", "--resolved", "05.03.2026")
            #expect(added.status == 0 && added.stdout == "1\n", "\(added)")
            let before = snapshot(path)
            let outside = try civic("concerns", "add", "--dataset", path, "--theme", "roads", "--lat", "49.99", "--lon", "82.6")
            #expect(outside.status == 1 && outside.stderr.contains("lies outside every district"), "\(outside)")
            let usage = try civic("concerns", "add", "--dataset", path, "--theme", "roads")
            #expect(usage.status == 64, "\(usage)")
            let badTheme = try civic("concerns", "summary", "--dataset", path, "--theme", "shops")
            #expect(badTheme.status == 64, "\(badTheme)")
            let badSince = try civic("concerns", "summary", "--dataset", path, "--since", "вчера")
            #expect(badSince.status == 64, "\(badSince)")
            #expect(snapshot(path) == before)
        }
    }

    @Test func summaryShowsFiveAndHidesFour() throws {
        try withTemporaryDirectory { dir in
            let (path, _) = try SquareRegister.dataset(in: dir)
            let json = try civic("concerns", "summary", "--dataset", path, "--format", "json")
            #expect(json.status == 0, "\(json)")
            let value = try JSON.parse(json.stdout, file: "stdout")
            let rows = value.objectValue?["rows"]?.arrayValue?.compactMap(\.objectValue) ?? []
            #expect(rows.map { $0["theme"]?.stringValue ?? "" } == ["courtyards", "lighting", "heating"], "\(json.stdout)")
            let lighting = try #require(rows.first { $0["theme"] == .string("lighting") })
            #expect(lighting["concerns"] == .number(5) && lighting["open"] == .string("<5"))
            #expect(lighting["per_1000"] == .number("0.417"), "5 of 12,000 residents")
            let heating = try #require(rows.first { $0["theme"] == .string("heating") })
            #expect(heating["concerns"] == .string("<5") && heating["per_1000"] == nil)
            let exact = try civic("concerns", "summary", "--dataset", path, "--format", "json", "--include-private")
            #expect(exact.stdout.contains("\"concerns\": 1,") && exact.stderr.contains("do not publish"), "\(exact)")
            let hotspots = try civic("concerns", "hotspots", "--dataset", path, "--theme", "освещение")
            #expect(hotspots.status == 0 && hotspots.stdout.contains("\"concerns_outside\":5"), "\(hotspots)")
        }
    }

    /// DESIGN §10: no public output shows a concern's text, reporter, contacts or exact point. Every
    /// public output of every command is scanned for every private value the register gave; the
    /// private export must hold them, so the scan can fail.
    @Test func noPublicOutputShowsAPrivateValue() throws {
        try withTemporaryDirectory { dir in
            let (path, register) = try SquareRegister.dataset(in: dir)
            let outputs: [(String, [String])] = [
                ("summary table", ["concerns", "summary"]),
                ("summary json", ["concerns", "summary", "--format", "json"]),
                ("summary csv", ["concerns", "summary", "--format", "csv"]),
                ("hotspots geojson", ["concerns", "hotspots", "--theme", "lighting"]),
                ("hotspots table", ["concerns", "hotspots", "--theme", "lighting", "--format", "table"]),
                ("export", ["export", "concerns"]),
                ("map svg", ["map", "--concerns", "-o", dir + "/map.svg"]),
                ("map html", ["map", "--concerns", "-o", dir + "/map.html"]),
                ("list", ["list"]),
                ("list json", ["list", "--format", "json"]),
                ("show", ["show", "1"]),
                ("validate", ["validate"]),
                ("log", ["log"]),
                ("log json", ["log", "--format", "json"]),
                ("export all", ["export", "all", "-o", dir + "/city.gpkg"]),
                ("import dry run", ["import", "concerns", register, "--encoding", "cp1251", "--dry-run"]),
                ("add", ["concerns", "add", "--theme", "roads", "--lat", "49.955555", "--lon", "82.644444",
                         "--text", "Секретная яма", "--reporter", "Тайный Житель"]),
            ]
            var scanned = 0
            for (name, arguments) in outputs {
                let result = try civic(arguments: arguments + ["--dataset", path])
                #expect(result.status == 0, "\(name): \(result)")
                var text = result.stdout + result.stderr
                for file in ["map.svg", "map.html", "city.gpkg"] where arguments.contains(dir + "/" + file) {
                    text += String(decoding: FileManager.default.contents(atPath: dir + "/" + file) ?? Data(), as: UTF8.self)
                }
                for secret in SquareRegister.secrets + ["Секретная яма", "Тайный Житель", "49.955555", "82.644444"] {
                    #expect(!text.contains(secret), "\(name) shows the private value «\(secret)»")
                }
                scanned += text.count
            }
            #expect(scanned > 10_000, "the outputs said something")
            // The public files of the dataset, which a team publishes with git, hold none either.
            for file in ["concerns.geojson", "history.jsonl", "entities.geojson"] {
                let text = String(decoding: FileManager.default.contents(atPath: path + "/" + file) ?? Data(), as: UTF8.self)
                for secret in SquareRegister.rows.flatMap({ [$0.text, $0.reporter, $0.phone, $0.email] }) {
                    #expect(!text.contains(secret), "\(file) holds «\(secret)»")
                }
            }
            // The private export holds every one of them, and says so.
            let all = try civic("export", "concerns", "--include-private", "--dataset", path)
            #expect(all.stderr.contains("civic: warning: the export includes"), "\(all)")
            for secret in SquareRegister.secrets {
                #expect(all.stdout.contains(secret), "the private export lacks «\(secret)»")
            }
        }
    }

    @Test func theExportDrawsOnlyCellsOfFiveAtTheirCentres() throws {
        try withTemporaryDirectory { dir in
            let (path, _) = try SquareRegister.dataset(in: dir)
            let result = try civic("export", "concerns", "--dataset", path)
            #expect(result.status == 0, "\(result)")
            let features = try GeoJSONReader.features(in: Array(result.stdout.utf8), file: "stdout")
            #expect(features.count == 1, "the five lighting appeals; the heating one is alone in its cell")
            #expect(features.first?.properties["concerns"] == .number(5) && features.first?.properties["open"] == .string("<5"))
            #expect(result.stderr.contains("1 cell with fewer than 5 concerns not drawn"), "\(result)")
        }
    }

    /// The README shows what the bundled city's summary and hotspots print, to the character.
    @Test func theReadmeShowsWhatTheBundledCityPrints() throws {
        let readme = String(decoding: FileManager.default.contents(atPath: repositoryRoot.appendingPathComponent("README.md").path)
                            ?? Data(), as: UTF8.self)
        let summary = try civic("concerns", "summary", "--dataset", bundledDataset, "--theme", "roads")
        #expect(summary.status == 0 && summary.stdout.hasPrefix("район "), "\(summary)")
        #expect(readme.contains("```\n" + summary.stdout + "```\n"), "README's summary differs from:\n\(summary.stdout)")
        let hotspots = try civic("concerns", "hotspots", "--dataset", bundledDataset, "--theme", "roads", "--format", "table")
        #expect(hotspots.status == 0 && readme.contains("```\n" + hotspots.stdout + "```\n"),
                "README's hotspots differ from:\n\(hotspots.stdout)")
        let validate = try civic("validate", "--dataset", bundledDataset)
        #expect(validate.status == 0, "\(validate)")
    }

    /// With --walk, the covered share is walking coverage's, exactly as `civic coverage --walk --theme T` gives it.
    @Test func walkingSharesAreThoseOfWalkingCoverage() throws {
        let summary = try civic("concerns", "summary", "--dataset", bundledDataset, "--theme", "roads", "--walk",
                                "--format", "json", "--include-private")
        #expect(summary.status == 0, "\(summary)")
        // The same streets, named as a file: coverage's --walk reads them so on main at the time of writing.
        let coverage = try civic("coverage", "--dataset", bundledDataset, "--theme", "roads", "--walk", "--format", "json",
                                 "--network", bundledDataset + "/network.geojson")
        #expect(coverage.status == 0, "\(coverage)")
        let rows = try JSON.parse(summary.stdout, file: "summary").objectValue?["rows"]?.arrayValue?.compactMap(\.objectValue) ?? []
        let districts = try JSON.parse(coverage.stdout, file: "coverage").objectValue?["districts"]?.arrayValue?
            .compactMap(\.objectValue) ?? []
        let walked = Dictionary(districts.map { ($0["id"]?.stringValue ?? "", $0["covered_share"]?.doubleValue ?? -1) },
                                uniquingKeysWith: { a, _ in a })
        #expect(rows.count == 14)
        for row in rows {
            let id = row["district_id"]?.stringValue ?? ""
            let share = row["theme_covered_share"]?.doubleValue ?? -1
            #expect(abs(share - (walked[id] ?? -2)) < 0.00005, "\(id): summary \(share), coverage --walk \(walked[id] ?? -2)")
        }
        let straight = try civic("concerns", "summary", "--dataset", bundledDataset, "--theme", "roads", "--format", "json")
        #expect(straight.stdout != summary.stdout, "walking changes the shares")
        let noWalk = try civic("concerns", "summary", "--dataset", bundledDataset, "--off-street", "50")
        #expect(noWalk.status == 64, "\(noWalk)")
    }
}
