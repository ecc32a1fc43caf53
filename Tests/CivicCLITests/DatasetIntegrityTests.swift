import CivicTestSupport
import Foundation
import Testing

@Suite("writers at once and writers killed")
struct DatasetIntegrityTests {
    @Test func thirtyConcurrentAddsAllLand() throws {
        try withTemporaryDirectory { dir in
            let path = try makeSquareDataset(in: dir)
            var processes: [(Process, Pipe)] = []
            for i in 0..<30 {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: civicBinary)
                // Names differ and points are ~110 m apart, so none is a near-duplicate of another.
                let lat = 49.931 + Double(i) * 0.001
                process.arguments = ["add", "--dataset", path, "--kind", "venue", "--name", "Площадка \(i)",
                                     "--lat", String(lat), "--lon", "82.61", "--theme", "culture"]
                let out = Pipe()
                process.standardOutput = out
                process.standardError = FileHandle.nullDevice
                try process.run()
                processes.append((process, out))
            }
            var ids: [Int] = []
            for (process, out) in processes {
                let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                #expect(process.terminationStatus == 0)
                if let id = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) { ids.append(id) }
            }
            #expect(ids.sorted() == Array(1...30), "ids: \(ids.sorted())")
            let lines = readText(path + "/entities.geojson").split(separator: "\n")
            #expect(lines.count == 32, "30 features plus the two lines of the collection")
            let journalAdds = readText(path + "/history.jsonl").split(separator: "\n").filter { $0.contains("\"action\":\"add\"") }
            #expect(journalAdds.count == 30)
            let validate = try civic("validate", "--dataset", path)
            #expect(validate.status == 0, "\(validate)")
        }
    }

    /// Kills writers at many moments of their run; after each, the dataset is either as before or
    /// with the one new entity, and always valid.
    @Test func aWriterKilledMidWriteLeavesTheLastValidState() throws {
        try withTemporaryDirectory { dir in
            let path = try makeSquareDataset(in: dir)
            var count = 0
            for attempt in 0..<24 {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: civicBinary)
                process.arguments = ["add", "--dataset", path, "--kind", "venue", "--name", "Убитый \(attempt)",
                                     "--lat", String(49.931 + Double(attempt) * 0.001), "--lon", "82.63", "--theme", "culture"]
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                usleep(UInt32(attempt * 2_500))
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                let list = try civic("list", "--dataset", path, "--format", "csv")
                #expect(list.status == 0, "attempt \(attempt): \(list)")
                let now = list.stdout.split(separator: "\r\n").count - 1
                #expect(now == count || now == count + 1, "attempt \(attempt): \(count) → \(now)")
                count = now
            }
            let validate = try civic("validate", "--dataset", path)
            #expect(validate.status == 0, "\(validate)")
            // A writer after all those kills still works.
            let id = try addVenue(path, name: "После", lat: "49.96", lon: "82.65")
            #expect(id > 0)
        }
    }

    @Test func cyrillicAndKazakhNamesRoundTripExactly() throws {
        try withTemporaryDirectory { dir in
            let path = try makeSquareDataset(in: dir)
            let name = "Қоғамдық кеңес «Өскемен-Үлбі» ӘҒҚҢӨҰҮҺІ әғқңөұүһі"
            let kk = "Ұлттық кітапхана"
            let id = try addVenue(path, name: name, extra: ["--name-kk", kk, "--address", "ул. Қабанбай батыр, 1"])
            let entities = readText(path + "/entities.geojson")
            #expect(entities.contains(name) && entities.contains(kk), "written as is, without \\u escapes")
            let show = try civic("show", String(id), "--dataset", path, "--format", "geojson")
            #expect(show.stdout.contains(name) && show.stdout.contains(kk))
            try withTemporaryDirectory { out in
                _ = try civic("export", "entities", "--dataset", path, "-o", out + "/e.csv")
                #expect(readText(out + "/e.csv").contains(name))
            }
        }
    }
}

@Suite("list, show, edit, remove, log")
struct EditingTests {
    @Test func listFiltersByKindThemeDistrictAndDistance() throws {
        try withTemporaryDirectory { dir in
            let path = try makeSquareDataset(in: dir)
            _ = try addVenue(path, name: "Запад")                                  // west, culture
            _ = try addVenue(path, name: "Восток", lat: "49.95", lon: "82.64")     // east, culture
            let group = try civic("add", "--dataset", path, "--kind", "initiative_group", "--name", "Фонари",
                                  "--lat", "49.96", "--lon", "82.61", "--theme", "lighting")
            #expect(group.status == 0)
            func names(_ args: String...) throws -> [String] {
                let result = try civic(arguments: ["list", "--dataset", path, "--format", "csv", "--csv", "rfc4180"] + args)
                #expect(result.status == 0, "\(result)")
                return result.stdout.split(separator: "\r\n").dropFirst().map { String($0.split(separator: ",")[2]) }
            }
            #expect(try names("--kind", "venue") == ["Запад", "Восток"])
            #expect(try names("--theme", "lighting") == ["Фонари"])
            #expect(try names("--district", "east") == ["Восток"])
            // The west venue is at 49.95,82.60; Фонари is 1.1 km north-east and Восток 2.9 km east.
            #expect(try names("--near", "49.95,82.60", "--within", "1000") == ["Запад"])
            #expect(try names("--near", "49.95,82.60", "--within", "1500") == ["Запад", "Фонари"])
            let unknown = try civic("list", "--dataset", path, "--district", "north")
            #expect(unknown.status == 64 && unknown.stderr.contains("west"), "\(unknown)")
        }
    }

    @Test func tableAlignsCyrillicColumns() throws {
        try withTemporaryDirectory { dir in
            let path = try makeSquareDataset(in: dir)
            _ = try addVenue(path, name: "Дом")
            _ = try addVenue(path, name: "Library", lat: "49.95", lon: "82.64")
            let table = try civic("list", "--dataset", path)
            let lines = table.stdout.split(separator: "\n").map(String.init)
            #expect(lines.count == 4, "\(table)")
            // The column after the name starts at the same character position on every row.
            let starts = lines.filter { !$0.hasPrefix("-") }.compactMap { line -> Int? in
                guard let range = line.range(of: "culture") ?? line.range(of: "культура") ?? line.range(of: "themes") else { return nil }
                return line.distance(from: line.startIndex, to: range.lowerBound)
            }
            #expect(Set(starts).count == 1, "\(table.stdout)")
        }
    }

    @Test func editChangesOnlyWhatIsGivenAndJournalsIt() throws {
        try withTemporaryDirectory { dir in
            let path = try makeSquareDataset(in: dir)
            let id = try addVenue(path)
            let edit = try civic("edit", String(id), "--dataset", path, "--add-theme", "youth", "--remove-theme",
                                 "culture", "--status", "inactive", "--name", "Дворец молодёжи")
            #expect(edit.status == 0, "\(edit)")
            let show = try civic("show", String(id), "--dataset", path, "--format", "json")
            #expect(show.stdout.contains("\"themes\": [\n    \"youth\"\n  ]") || show.stdout.contains("\"youth\""), "\(show)")
            #expect(!show.stdout.contains("culture") && show.stdout.contains("\"status\": \"inactive\""), "\(show)")
            let log = try civic("log", "--dataset", path, "--format", "json")
            let newest = log.stdout.split(separator: "\n").first.map(String.init) ?? ""
            #expect(newest.contains("\"action\":\"edit\"") && newest.contains("Дворец молодёжи"), "\(log)")
            #expect(newest.contains("\"from\":\"active\"") && newest.contains("\"to\":\"inactive\""), "\(newest)")
        }
    }

    @Test func aRefusedEditLeavesTheDatasetUnchanged() throws {
        try withTemporaryDirectory { dir in
            let path = try makeSquareDataset(in: dir)
            let id = try addVenue(path)
            let before = snapshot(path)
            for args in [["--remove-theme", "culture"], ["--add-theme", "parking"], ["--lat", "10", "--lon", "10"],
                         ["--kind", "shop"], ["--email", "@@"]] {
                let result = try civic(arguments: ["edit", String(id), "--dataset", path] + args)
                #expect(result.status == 1, "\(args): \(result)")
                #expect(snapshot(path) == before, "\(args) changed the dataset")
            }
            let missing = try civic("edit", "99", "--dataset", path, "--name", "x")
            #expect(missing.status == 1 && missing.stderr.contains("no entity with id 99"), "\(missing)")
        }
    }

    @Test func removeKeepsTheEntityInTheJournalAndNeverReusesItsId() throws {
        try withTemporaryDirectory { dir in
            let path = try makeSquareDataset(in: dir)
            _ = try addVenue(path, name: "Первый")
            let second = try addVenue(path, name: "Второй", lat: "49.96")
            let remove = try civic("remove", String(second), "--dataset", path)
            #expect(remove.status == 0, "\(remove)")
            #expect(!readText(path + "/entities.geojson").contains("Второй"))
            let log = try civic("log", "--dataset", path, "--limit", "1")
            #expect(log.stdout.contains("remove") && log.stdout.contains("Второй"), "\(log)")
            let third = try addVenue(path, name: "Третий", lat: "49.955")
            #expect(third == second + 1, "id \(second) was reused")
        }
    }

    @Test func logIsNewestFirst() throws {
        try withTemporaryDirectory { dir in
            let path = try makeSquareDataset(in: dir)
            _ = try addVenue(path, name: "Первый")
            _ = try addVenue(path, name: "Второй", lat: "49.96")
            let log = try civic("log", "--dataset", path)
            let body = log.stdout.split(separator: "\n").dropFirst(2).map(String.init)
            #expect(body.count == 3, "\(log)")
            #expect(body[0].contains("Второй") && body[1].contains("Первый") && body[2].contains("init"), "\(log)")
        }
    }
}

@Suite("privacy of contacts")
struct PrivacyTests {
    func datasetWithContacts(_ dir: String) throws -> String {
        let path = try makeSquareDataset(in: dir)
        _ = try addVenue(path, name: "С контактами", extra: ["--phone", "+7 777 123 45 67", "--email", "aigul@example.kz",
                                                             "--contact-person", "Айгүл Серікқызы"])
        return path
    }

    @Test func listingsAndExportsLeaveContactsOut() throws {
        try withTemporaryDirectory { dir in
            let path = try datasetWithContacts(dir)
            #expect(!readText(path + "/entities.geojson").contains("aigul"), "contacts in the public file")
            #expect(!readText(path + "/history.jsonl").contains("aigul"), "contacts in the journal")
            for format in ["table", "json", "csv", "geojson"] {
                let list = try civic("list", "--dataset", path, "--format", format)
                #expect(list.status == 0)
                #expect(!list.stdout.contains("aigul") && !list.stdout.contains("777") && !list.stdout.contains("Айгүл"), "\(format): \(list)")
            }
            let show = try civic("show", "1", "--dataset", path)
            #expect(!show.stdout.contains("aigul") && show.stderr.contains("--include-private"), "\(show)")
            for file in ["e.geojson", "e.csv"] {
                let export = try civic("export", "entities", "--dataset", path, "-o", dir + "/" + file)
                #expect(export.status == 0 && export.stderr.contains("left out"), "\(export)")
                #expect(!readText(dir + "/" + file).contains("aigul"), "\(file)")
            }
        }
    }

    @Test func includePrivateShowsThem() throws {
        try withTemporaryDirectory { dir in
            let path = try datasetWithContacts(dir)
            let list = try civic("list", "--dataset", path, "--format", "csv", "--include-private")
            #expect(list.stdout.contains("aigul@example.kz") && list.stdout.contains("Айгүл Серікқызы"), "\(list)")
            let export = try civic("export", "entities", "--dataset", path, "-o", dir + "/e.geojson", "--include-private")
            #expect(export.status == 0 && readText(dir + "/e.geojson").contains("\"phone\":\"+7 777 123 45 67\""))
            let mode = try FileManager.default.attributesOfItem(atPath: path + "/private/contacts.json")[.posixPermissions] as? Int
            #expect(mode == 0o600, "contacts.json is readable by others: \(String(mode ?? 0, radix: 8))")
        }
    }
}
