import CivicTestSupport
import Foundation
import Testing

/// Hand damage a dataset meets in real life (a merge, an editor, a killed writer), each with what
/// it must do: refuse every write, or nothing at all.
enum Damage: String, CaseIterable, CustomStringConvertible {
    case noteInJournal, journalLineWithoutTime, brokenLineInTheMiddle
    case tornLastLine, unfinishedTransaction, handSavedLastLine
    case strayContactsKey, malformedEmail, contactOfNoEntity
    case bowTieEntity, unknownKind, duplicateEntityID, newerFormatVersion

    var description: String { rawValue }

    /// True when the store takes it in its stride: an interrupted append it cuts, a last line saved
    /// without its newline, a contact left without its entity.
    var harmless: Bool {
        switch self {
        case .tornLastLine, .unfinishedTransaction, .handSavedLastLine, .contactOfNoEntity: true
        default: false
        }
    }

    /// Journal damage that must stay the last line, so cannot go with another such.
    var endsTheJournal: Bool { self == .tornLastLine || self == .handSavedLastLine || self == .unfinishedTransaction }

    /// Damages the dataset in `path` (made by `CrashTests.base`: entities 1 and 2 with contacts).
    func apply(to path: String) throws {
        let history = path + "/history.jsonl", contacts = path + "/private/contacts.json"
        func append(_ text: String, to file: String) throws {
            try writeText(readText(file) + text, to: file)
        }
        func addContact(_ member: String) throws {
            let text = readText(contacts)
            try writeText("{\n  " + member + (text.contains("\"") ? "," : "") + String(text.dropFirst()), to: contacts)
        }
        func addEntity(id: Int, kind: String = "venue", geometry: String) throws {
            var lines = readText(path + "/entities.geojson").split(separator: "\n").map(String.init)
            let feature = "{\"type\":\"Feature\",\"id\":\(id),\"properties\":{\"kind\":\"\(kind)\",\"name\":\"Рука \(id)\","
                + "\"themes\":[\"culture\"],\"status\":\"active\"},\"geometry\":\(geometry)}"
            let last = lines.count - 1
            if lines[last - 1].hasPrefix("{\"type\":\"Feature\"") { lines[last - 1] += "," }
            lines.insert(feature, at: last)
            try writeText(lines.joined(separator: "\n") + "\n", to: path + "/entities.geojson")
        }
        switch self {
        case .noteInJournal:
            try append("{\"note\":\"merged by hand\"}\n", to: history)
        case .journalLineWithoutTime:
            try append("{\"action\":\"add\",\"id\":9,\"name\":\"без времени\"}\n", to: history)
        case .brokenLineInTheMiddle:
            var lines = readText(history).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            lines.insert("{\"time\":\"2026-11-25T09:00:00Z\",\"action\" \"add\"}", at: 1)
            try writeText(lines.joined(separator: "\n"), to: history)
        case .tornLastLine:
            try append("{\"time\":\"2026-11-25T09:00:00Z\",\"action\":\"add\",\"id\":9,\"na", to: history)
        case .unfinishedTransaction:
            try append("{\"time\":\"2026-11-25T09:00:00Z\",\"action\":\"import\",\"id\":9,\"name\":\"x\",\"changes\":{},"
                       + "\"txn\":\"00deadbeef00cafe\"}\n", to: history)
        case .handSavedLastLine:
            try append("{\"time\":\"2026-11-25T09:00:00Z\",\"action\":\"note\",\"name\":\"saved by hand\",\"changes\":{}}",
                       to: history)
        case .strayContactsKey:
            try addContact("\"abc\": {\"phone\": \"+7 777 000 00 00\"}")
        case .malformedEmail:
            try addContact("\"1\": {\"email\": \"not an address\"}")
        case .contactOfNoEntity:
            try addContact("\"77\": {\"phone\": \"+7 777 000 00 77\"}")
        case .bowTieEntity:
            try addEntity(id: 5, geometry: "{\"type\":\"Polygon\",\"coordinates\":[[[82.60,49.94],[82.61,49.95],"
                          + "[82.61,49.94],[82.60,49.95],[82.60,49.94]]]}")
        case .unknownKind:
            try addEntity(id: 6, kind: "shop", geometry: "{\"type\":\"Point\",\"coordinates\":[82.63,49.955]}")
        case .duplicateEntityID:
            try addEntity(id: 2, geometry: "{\"type\":\"Point\",\"coordinates\":[82.64,49.955]}")
        case .newerFormatVersion:
            let info = readText(path + "/dataset.json")
            try writeText(info.replacingOccurrences(of: "\"format_version\": 1", with: "\"format_version\": 99"),
                          to: path + "/dataset.json")
        }
    }
}

@Suite("validate passes exactly when a write succeeds")
struct ValidateAgreementTests {
    /// Runs `validate`, then an `add`, on the damaged dataset; a refused add must leave every byte.
    func outcome(_ damages: [Damage], in dir: String, base: String) throws -> (validate: ProgramRun, add: ProgramRun) {
        let path = dir + "/" + damages.map(\.rawValue).joined(separator: "+")
        try copyDataset(base, to: path)
        // Damage to the journal's end goes last, as it happens last.
        for damage in damages.sorted(by: { !$0.endsTheJournal && $1.endsTheJournal }) { try damage.apply(to: path) }
        let validate = try civic("validate", "--dataset", path)
        let before = snapshot(path)
        let add = try civic("add", "--dataset", path, "--kind", "venue", "--name", "Проверка", "--lat", "49.965",
                            "--lon", "82.65", "--theme", "culture")
        if add.status != 0 {
            #expect(snapshot(path) == before, "\(damages): the refused add changed the dataset")
            #expect(add.status == 1 && add.stderrLines.first?.hasPrefix("civic: error: ") == true, "\(damages): \(add)")
        }
        return (validate, add)
    }

    @Test(arguments: Damage.allCases)
    func oneDamage(_ damage: Damage) throws {
        try withTemporaryDirectory { dir in
            let base = try CrashTests.base(in: dir)
            let (validate, add) = try outcome([damage], in: dir, base: base)
            #expect((validate.status == 0) == damage.harmless, "\(damage): validate \(validate)")
            #expect((add.status == 0) == damage.harmless, "\(damage): add \(add)")
            if !damage.harmless {
                // Both name the same place: the first problem validate lists is the one add refuses.
                let first = validate.stderrLines.first ?? ""
                let refused = add.stderrLines.first ?? ""
                #expect(first == refused, "\(damage):\nvalidate: \(first)\nadd:      \(refused)")
            }
        }
    }

    @Test func randomCombinationsAgree() throws {
        var generator = SeededRandom(seed: 9)
        try withTemporaryDirectory { dir in
            let base = try CrashTests.base(in: dir)
            var tried = Set<[Damage]>()
            for _ in 0..<16 {
                var damages: [Damage] = []
                for _ in 0..<(2 + Int(generator.next() % 2)) {
                    let damage = Damage.allCases[Int(generator.next() % UInt64(Damage.allCases.count))]
                    if damages.contains(damage) || (damage.endsTheJournal && damages.contains(where: \.endsTheJournal)) {
                        continue
                    }
                    damages.append(damage)
                }
                damages.sort { $0.rawValue < $1.rawValue }
                guard tried.insert(damages).inserted else { continue }
                let (validate, add) = try outcome(damages, in: dir, base: base)
                #expect((validate.status == 0) == (add.status == 0), "\(damages):\n\(validate)\n\(add)")
                #expect((add.status == 0) == damages.allSatisfy(\.harmless), "\(damages): \(add)")
            }
            #expect(tried.count >= 10)
        }
    }
}
