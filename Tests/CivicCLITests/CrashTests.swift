import CivicCore
import CivicStore
import CivicTestSupport
import Foundation
import Testing

// DESIGN §3: a writer killed at any instant leaves the old state or the new one once the next
// command has run; never a change missing from the journal, never an entity whose contacts were
// lost, never an id handed out twice. Proved by killing the built `civic` at every durable step of
// every kind of write (CIVIC_FAULT_AFTER_STEP), and with the kernel's file-size limit.

/// A dataset as the crash tests compare it: every entity, contact and journal entry, without the
/// times that differ from run to run.
struct DatasetFingerprint: Equatable, CustomStringConvertible {
    var entities: [String]
    var contacts: [String]
    var journal: [String]
    /// The street network's ways: source, name and positions.
    var network: [String] = []
    /// Each concern with its private fields: a concern whose text was lost would differ.
    var concerns: [String] = []

    /// Every id the entities, the contacts and the journal name.
    var ids: Set<Int> {
        Set(entities.compactMap { Int($0.prefix { $0 != "|" }) })
            .union(contacts.compactMap { Int($0.prefix { $0 != "|" }) })
            .union(journal.compactMap { Int($0.split(separator: "|", omittingEmptySubsequences: false)[1]) })
    }

    var description: String {
        (["entities:"] + entities + ["contacts:"] + contacts + ["journal:"] + journal + ["network:"] + network
            + ["concerns:"] + concerns)
            .joined(separator: "\n  ")
    }
}

/// Reads a dataset through the store (the shared lock, the one reader) into a fingerprint.
func fingerprint(_ path: String) throws -> DatasetFingerprint {
    let dataset = try Dataset(path: path)
    let state = try dataset.load(includeContacts: true, network: true, concerns: true)
    return DatasetFingerprint(
        entities: state.entities.map { e in
            [String(e.id), e.kind, e.name, e.themes.joined(separator: ","), e.status.rawValue, e.geometry.summary]
                .joined(separator: "|")
        },
        contacts: state.contacts.keys.sorted().map { id in
            let c = state.contacts[id] ?? Contacts()
            return [String(id), c.phone ?? "", c.email ?? "", c.contactPerson ?? ""].joined(separator: "|")
        },
        journal: try dataset.journal().map { [$0.action, $0.id.map(String.init) ?? "", $0.name ?? ""].joined(separator: "|") },
        network: (state.network ?? []).map { "\($0.source)|\($0.name ?? "")|\($0.positions.count)" },
        concerns: state.concerns.map { c in
            let p = state.concernPrivate[c.id] ?? ConcernPrivate()
            return [String(c.id), c.theme, c.status.rawValue, c.district ?? "", p.text ?? "", p.reporter ?? "", p.phone ?? "",
                    p.ref ?? ""].joined(separator: "|")
        })
}

/// The temporary files of the store left in a dataset (none once a command has recovered).
func temporaryFiles(in path: String) -> [String] {
    snapshot(path).keys.filter { $0.split(separator: "/").last?.hasPrefix(".") == true && $0.hasSuffix(".tmp") }.sorted()
}

/// Copies a dataset folder.
func copyDataset(_ source: String, to target: String) throws {
    try? FileManager.default.removeItem(atPath: target)
    try FileManager.default.copyItem(atPath: source, toPath: target)
}

@Suite("crash-atomic writes: a writer killed at every step")
struct CrashTests {
    /// A small city with history: 1 and 2 with contacts, 3 added and removed (so the journal alone
    /// remembers id 3).
    static func base(in dir: String) throws -> String {
        let path = try makeSquareDataset(in: dir)
        _ = try addVenue(path, name: "Первый", lat: "49.95", lon: "82.60", extra: ["--phone", "+7 777 100 00 01"])
        _ = try addVenue(path, name: "Второй", lat: "49.96", lon: "82.61",
                         extra: ["--phone", "+7 777 100 00 02", "--email", "vtoroy@example.kz"])
        _ = try addVenue(path, name: "Третий", lat: "49.94", lon: "82.64")
        let remove = try civic("remove", "3", "--dataset", path)
        #expect(remove.status == 0, "\(remove)")
        let concern = try civic("concerns", "add", "--dataset", path, "--theme", "lighting", "--lat", "49.951", "--lon", "82.601",
                                "--received", "2026-03-02", "--text", "Темно у подъезда", "--reporter", "Первая Жительница")
        #expect(concern.status == 0 && concern.stdout == "1\n", "\(concern)")
        return path
    }

    static let concernsCSV = """
        номер;тема;широта;долгота;дата обращения;статус;текст;ФИО
        77;освещение;49,952;82,602;05.03.2026;открыто;Нет света во дворе;Сидоров С. С.
        78;дворы;49,953;82,63;06.03.2026;открыто;Сломаны качели;Петрова П. П.

        """

    static let csv = """
        name,kind,latitude,longitude,themes,phone
        Клуб «Импорт-1»,venue,49.945,82.605,culture,+7 702 222 22 22
        Клуб «Импорт-2»,venue,49.935,82.61,youth,+7 703 333 33 33

        """

    /// Every kind of write the volunteers make, each touching entities and contacts together.
    static let operations: [String: [String]] = [
        "add": ["add", "--kind", "venue", "--name", "Новый", "--lat", "49.955", "--lon", "82.605", "--theme", "culture",
                "--phone", "+7 700 000 00 00"],
        "edit": ["edit", "1", "--name", "Первый (новое имя)", "--phone", "+7 701 111 11 11"],
        "remove": ["remove", "2"],
        "import csv": ["import", "csv", "IMPORT_FILE"],
        // Entities, contacts and the street network in one transaction.
        "import osm": ["import", "osm", importFixtures + "/streets.osm"],
        "concerns add": ["concerns", "add", "--theme", "roads", "--lat", "49.96", "--lon", "82.64", "--received", "2026-03-04",
                         "--text", "Яма на дороге", "--phone", "+7 705 555 55 55"],
        "import concerns": ["import", "concerns", "CONCERNS_FILE"],
    ]

    static func arguments(_ operation: String, dataset: String, csv: String) -> [String] {
        let concerns = (csv as NSString).deletingLastPathComponent + "/appeals.csv"
        return (operations[operation] ?? []).map { $0 == "IMPORT_FILE" ? csv : $0 == "CONCERNS_FILE" ? concerns : $0 }
            + ["--dataset", dataset]
    }

    @Test("killed after each durable step, the next command leaves the old state or the new one",
          arguments: ["add", "edit", "remove", "import csv", "import osm", "concerns add", "import concerns"])
    func everyStep(of operation: String) throws {
        try withTemporaryDirectory { dir in
            let base = try Self.base(in: dir)
            let csv = dir + "/volunteers.csv"
            try writeText(Self.csv, to: csv)
            try writeText(Self.concernsCSV, to: dir + "/appeals.csv")
            let before = try fingerprint(base)

            // The state the operation leaves when nothing goes wrong.
            let clean = dir + "/clean"
            try copyDataset(base, to: clean)
            let run = try civic(arguments: Self.arguments(operation, dataset: clean, csv: csv))
            #expect(run.status == 0, "\(operation) without a fault: \(run)")
            let after = try fingerprint(clean)
            #expect(after != before, "\(operation) changed nothing")

            var step = 1
            var sawOld = false, sawNew = false
            while step < 40 {
                let path = dir + "/step\(step)"
                try copyDataset(base, to: path)
                let crashed = try civic(arguments: Self.arguments(operation, dataset: path, csv: csv),
                                        environment: ["CIVIC_FAULT_AFTER_STEP": String(step)])
                if crashed.status == 0 { break }
                #expect(crashed.status == SIGKILL, "\(operation), step \(step): not killed: \(crashed)")

                // The next command finishes or undoes the transaction, and finds nothing wrong.
                let validate = try civic("validate", "--dataset", path)
                #expect(validate.status == 0 && validate.stderr.contains("no problems found"),
                        "\(operation), step \(step): \(validate)")
                #expect(temporaryFiles(in: path).isEmpty, "\(operation), step \(step): \(temporaryFiles(in: path))")
                // Journal and files agree, and every entity has its contacts: the whole old or the whole new state.
                let now = try fingerprint(path)
                #expect(now == before || now == after,
                        "\(operation), step \(step):\n\(now)\nneither the old\n\(before)\nnor the new\n\(after)")
                sawOld = sawOld || now == before
                sawNew = sawNew || now == after

                // The next write works and hands out an id nobody had.
                let next = try civic("add", "--dataset", path, "--kind", "venue", "--name", "После сбоя",
                                     "--lat", "49.965", "--lon", "82.65", "--theme", "culture")
                #expect(next.status == 0, "\(operation), step \(step): \(next)")
                let id = Int(next.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
                #expect(id > (now.ids.max() ?? 0) && id > 3, "\(operation), step \(step): id \(id) after \(now.ids.sorted())")
                // And a new concern gets an id no concern has had.
                let concern = try civic("concerns", "add", "--dataset", path, "--theme", "heating", "--district", "east",
                                        "--received", "2026-03-07")
                let concernID = Int(concern.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
                let seenConcerns = now.concerns.compactMap { Int($0.prefix { $0 != "|" }) }
                #expect(concern.status == 0 && concernID > (seenConcerns.max() ?? 0),
                        "\(operation), step \(step): concern id \(concernID) after \(seenConcerns): \(concern)")
                step += 1
            }
            #expect(step > 5 && step < 40, "\(operation): \(step - 1) durable steps")
            #expect(sawOld && sawNew, "\(operation): the steps should fall on both sides of the journal line")
        }
    }

    /// The transaction is committed (its journal line is whole) and then the command that finishes
    /// it is killed too, at each of its own steps.
    @Test func recoveryKilledAtEveryStepIsFinishedByTheNextCommand() throws {
        try withTemporaryDirectory { dir in
            let base = try Self.base(in: dir)
            let clean = dir + "/clean"
            try copyDataset(base, to: clean)
            #expect(try civic("remove", "2", "--dataset", clean).status == 0)
            let after = try fingerprint(clean)

            // remove 2 replaces entities and contacts: 2 temporary files, 2 folder syncs, then the journal (step 5).
            var step = 1
            while step < 20 {
                let path = dir + "/recovery\(step)"
                try copyDataset(base, to: path)
                let crashed = try civic("remove", "2", "--dataset", path, environment: ["CIVIC_FAULT_AFTER_STEP": "5"])
                #expect(crashed.status == SIGKILL, "\(crashed)")
                #expect(temporaryFiles(in: path).count == 2, "\(temporaryFiles(in: path))")
                let reader = try civic("list", "--dataset", path, "--format", "csv",
                                       environment: ["CIVIC_FAULT_AFTER_STEP": "recovery:\(step)"])
                if reader.status == 0 {
                    #expect(reader.stdout.contains("Первый") && !reader.stdout.contains("Второй"), "\(reader)")
                    break
                }
                #expect(reader.status == SIGKILL, "recovery step \(step): \(reader)")
                let show = try civic("show", "1", "--dataset", path, "--include-private", "--format", "json")
                #expect(show.status == 0 && show.stdout.contains("+7 777 100 00 01"), "recovery step \(step): \(show)")
                #expect(try fingerprint(path) == after, "recovery step \(step)")
                #expect(try civic("validate", "--dataset", path).status == 0, "recovery step \(step)")
                step += 1
            }
            #expect(step > 2 && step < 20, "recovery took \(step - 1) steps")
        }
    }

    /// The bug of issue 9: an add and then its remove, each killed, let the next add hand out the
    /// add's id again. Now each pair of crashes at the same step leaves a fresh id for the next add.
    @Test func twoCrashesNeverHandOutAnIDTwice() throws {
        try withTemporaryDirectory { dir in
            let base = try Self.base(in: dir)
            var step = 1
            while step < 20 {
                let path = dir + "/twice\(step)"
                try copyDataset(base, to: path)
                let add = try civic(arguments: Self.arguments("add", dataset: path, csv: ""),
                                    environment: ["CIVIC_FAULT_AFTER_STEP": String(step)])
                if add.status == 0 { break }
                // Whatever id 4 became, remove it if it is there, killed at the same step.
                _ = try civic("remove", "4", "--dataset", path, environment: ["CIVIC_FAULT_AFTER_STEP": String(step)])
                let seen = try fingerprint(path).ids
                let next = try civic("add", "--dataset", path, "--kind", "venue", "--name", "Ещё один",
                                     "--lat", "49.965", "--lon", "82.65", "--theme", "culture")
                #expect(next.status == 0, "step \(step): \(next)")
                let id = Int(next.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
                #expect(!seen.contains(id) && id > (seen.max() ?? 0), "step \(step): id \(id), seen \(seen.sorted())")
                let journal = try fingerprint(path).journal.filter { $0.hasPrefix("add|") }
                #expect(Set(journal).count == journal.count, "step \(step): an add journalled twice: \(journal)")
                step += 1
            }
            #expect(step > 5, "add took \(step - 1) steps")
        }
    }
}

@Suite("crash-atomic writes: the kernel's file-size limit", .enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/bash")))
struct FileSizeLimitTests {
    /// Runs civic under `ulimit -f` (1024-byte blocks), as the issue's reproduction does. The kernel
    /// kills it with SIGXFSZ when a write would pass the limit; with `ignoringSignal`, the write
    /// fails with EFBIG instead and civic reports it.
    func limited(_ blocks: Int, _ arguments: [String], ignoringSignal: Bool = false) throws -> ProgramRun {
        let trap = ignoringSignal ? "trap '' XFSZ; " : ""
        return try run("/bin/bash", ["-c", trap + "ulimit -c 0; ulimit -f \(blocks); exec \"$0\" \"$@\"", civicBinary]
                       + arguments)
    }

    /// Valid journal lines (an action of its own) until the file is `size` bytes long.
    func padJournal(_ path: String, to size: Int) throws {
        let file = path + "/history.jsonl"
        var text = readText(file)
        var n = 0
        // `{"time":"2026-01-01T00:00:00Z","action":"note","name":"` + name + `","changes":{}}` + newline
        let frame = 71
        while size - text.utf8.count >= frame + 1 {
            n += 1
            let room = size - text.utf8.count
            let name = room >= 200 ? "padding \(n)" : String(repeating: "x", count: room - frame)
            text += "{\"time\":\"2026-01-01T00:00:00Z\",\"action\":\"note\",\"name\":\"\(name)\",\"changes\":{}}\n"
        }
        try writeText(text, to: file)
    }

    func expectConsistent(_ path: String, before: DatasetFingerprint, _ what: String) throws {
        let validate = try civic("validate", "--dataset", path)
        #expect(validate.status == 0, "\(what): \(validate)")
        #expect(temporaryFiles(in: path).isEmpty, "\(what): \(temporaryFiles(in: path))")
        #expect(try fingerprint(path) == before, "\(what): the refused change left a trace")
        let next = try addVenue(path, name: "После ulimit", lat: "49.935", lon: "82.655")
        #expect(next > (before.ids.max() ?? 0), "\(what): id \(next) after \(before.ids.sorted())")
    }

    @Test func killedMidJournalLeavesTheOldState() throws {
        try withTemporaryDirectory { dir in
            // The journal crosses 16 KB in the middle of the new line.
            let path = try CrashTests.base(in: dir)
            try padJournal(path, to: 16 * 1024 - 120)
            let before = try fingerprint(path)
            let add = try limited(16, ["add", "--dataset", path, "--kind", "venue", "--name", "Лимит", "--lat", "49.955",
                                       "--lon", "82.605", "--theme", "culture", "--phone", "+7 700 000 00 00"])
            #expect(add.status != 0, "the limit did not bite: \(add)")
            #expect(!readText(path + "/history.jsonl").hasSuffix("\n") || add.status == 1,
                    "the append was not torn: \(add)")
            try expectConsistent(path, before: before, "mid-line")
            #expect(readText(path + "/history.jsonl").hasSuffix("\n"), "the torn line was not cut")
        }
    }

    @Test func aWriteThatFailsLeavesEveryByte() throws {
        try withTemporaryDirectory { dir in
            // Not killed this time: the append fails half-way with "File too large".
            let path = try CrashTests.base(in: dir)
            try padJournal(path, to: 16 * 1024 - 120)
            let before = snapshot(path)
            let add = try limited(16, ["add", "--dataset", path, "--kind", "venue", "--name", "Лимит", "--lat", "49.955",
                                       "--lon", "82.605", "--theme", "culture", "--phone", "+7 700 000 00 00"],
                                  ignoringSignal: true)
            #expect(add.status == 1, "\(add)")
            #expect(add.stderrLines.first?.hasPrefix("civic: error: ") == true && add.stderr.contains("history.jsonl"),
                    "\(add)")
            #expect(snapshot(path) == before, "a failed write left a trace")
        }
    }

    @Test func journalAlreadyOverTheLimitLeavesTheOldState() throws {
        try withTemporaryDirectory { dir in
            // Issue 9's reproduction: a 24 KB journal, `ulimit -f 16`, then add and remove.
            let path = try CrashTests.base(in: dir)
            try padJournal(path, to: 24 * 1024)
            let before = try fingerprint(path)
            let add = try limited(16, ["add", "--dataset", path, "--kind", "venue", "--name", "Лимит", "--lat", "49.955",
                                       "--lon", "82.605", "--theme", "culture"])
            #expect(add.status != 0, "\(add)")
            let validate = try civic("validate", "--dataset", path)
            #expect(validate.status == 0, "\(validate)")
            #expect(try fingerprint(path) == before, "an add the journal never recorded")
            let remove = try limited(16, ["remove", "1", "--dataset", path])
            #expect(remove.status != 0, "\(remove)")
            try expectConsistent(path, before: before, "journal over the limit")
        }
    }

    @Test func killedMidEntitiesKeepsTheEntityAndItsPhone() throws {
        try withTemporaryDirectory { dir in
            // Issue 9's reproduction: an entity with --phone among 200 others; entities.geojson > 16 KB.
            let path = try makeSquareDataset(in: dir)
            var rows = ["name,kind,latitude,longitude,themes,phone"]
            for i in 0..<201 {
                let lat = 49.931 + Double(i % 20) * 0.002, lon = 82.581 + Double(i / 20) * 0.007
                rows.append("Место \(i),venue,\(lat),\(lon),culture,\(i == 0 ? "+7 777 123 45 67" : "")")
            }
            try writeText(rows.joined(separator: "\n") + "\n", to: dir + "/many.csv")
            let imported = try civic("import", "csv", dir + "/many.csv", "--dataset", path)
            #expect(imported.status == 0, "\(imported)")
            #expect(readText(path + "/entities.geojson").utf8.count > 16 * 1024)
            let before = try fingerprint(path)

            let remove = try limited(16, ["remove", "1", "--dataset", path])
            #expect(remove.status != 0, "the limit did not bite: \(remove)")
            let show = try civic("show", "1", "--dataset", path, "--include-private", "--format", "json")
            #expect(show.status == 0 && show.stdout.contains("+7 777 123 45 67"), "\(show)")
            #expect(readText(path + "/private/contacts.json").contains("+7 777 123 45 67"))
            try expectConsistent(path, before: before, "mid-entities")
        }
    }
}
