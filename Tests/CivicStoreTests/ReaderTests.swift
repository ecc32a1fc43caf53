import CivicCore
@testable import CivicStore
import CivicTestSupport
import Foundation
import GeoValues
import Testing

/// Appends a feature line to `entities.geojson` by hand, as an editor would.
func appendFeature(_ feature: String, to dataset: Dataset) throws {
    let path = dataset.path + "/entities.geojson"
    var lines = try text(path).split(separator: "\n").map(String.init)
    let last = lines.count - 1
    if lines[last - 1].hasPrefix("{\"type\":\"Feature\"") { lines[last - 1] += "," }
    lines.insert(feature, at: last)
    try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
}

func appendText(_ more: String, to path: String) throws {
    try Data((try text(path) + more).utf8).write(to: URL(fileURLWithPath: path))
}

let bowTie = "{\"type\":\"Polygon\",\"coordinates\":[[[82.60,49.94],[82.61,49.95],[82.61,49.94],[82.60,49.95],[82.60,49.94]]]}"

@Suite("one reader: commands and validate read alike")
struct ReaderTests {
    @Test("a format_version newer than civic's is refused by every reading, and by validate")
    func newerFormatVersion() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Sample.dataset(in: folder)
            try add("бір", to: dataset)
            let info = dataset.path + "/dataset.json"
            try Data(try text(info).replacingOccurrences(of: "\"format_version\": 1", with: "\"format_version\": 7").utf8)
                .write(to: URL(fileURLWithPath: info))
            let before = snapshot(dataset.path)

            let load = #expect(throws: CivicError.self) { try dataset.load() }
            #expect(load?.description.contains("dataset.json: dataset: format_version: 7 is newer") == true,
                    "\(String(describing: load))")
            #expect(load?.hint?.contains("update civic") == true)
            let journal = #expect(throws: CivicError.self) { try dataset.journal() }
            #expect(journal == load)
            #expect(dataset.validate().problems == [try #require(load)])
            #expect(throws: CivicError.self) { try add("екі", to: dataset) }
            #expect(snapshot(dataset.path) == before)
        }
    }

    @Test("a contacts key that is not an id: validate and every write refuse it; public listings still read")
    func strayContactsKey() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Sample.dataset(in: folder)
            try add("бір", to: dataset, contacts: Contacts(phone: "+7 777 100 00 01"))
            let contacts = dataset.path + "/private/contacts.json"
            let entries = try text(contacts).dropFirst(2)
            try Data(("{\n  \"abc\": {\"phone\": \"1\"},\n" + entries).utf8).write(to: URL(fileURLWithPath: contacts))
            let before = snapshot(dataset.path)

            #expect(try dataset.load().entities.count == 1)
            let error = #expect(throws: CivicError.self) { try dataset.load(includeContacts: true) }
            #expect(error?.description.hasSuffix("contacts.json: \"abc\": not an entity id") == true, "\(String(describing: error))")
            #expect(dataset.validate().problems == [try #require(error)])
            let refused = #expect(throws: CivicError.self) { try add("екі", to: dataset) }
            #expect(refused == error)
            #expect(snapshot(dataset.path) == before)
        }
    }

    @Test("an entity with invalid geometry: commands refuse it, read-only callers may list it, a write may remove it")
    func invalidGeometry() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Sample.dataset(in: folder)
            try add("бір", to: dataset)
            try appendFeature("{\"type\":\"Feature\",\"id\":2,\"properties\":{\"kind\":\"venue\",\"name\":\"Бант\","
                              + "\"themes\":[\"culture\"]},\"geometry\":\(bowTie)}", to: dataset)
            let expected = "entities.geojson:3: features[1] (id 2): geometry: self-intersection at lon 82.605, lat 49.945"

            let load = #expect(throws: CivicError.self) { try dataset.load() }
            #expect(load?.description.hasSuffix(expected) == true, "\(String(describing: load))")
            let reading = try dataset.read(invalidEntities: .report)
            #expect(reading.invalidEntities.map(\.id) == [2])
            #expect(reading.invalidEntities.first?.rule == .geometry)
            #expect(reading.invalidEntities.first?.description.hasSuffix(expected) == true)
            #expect(reading.state.entities.map(\.id) == [1, 2])
            #expect(reading.validState.entities.map(\.id) == [1])
            #expect(dataset.validate().problems.map(\.description) == [try #require(load).description])

            // A write that leaves it refuses, naming it and what to do; one that removes it goes through.
            let before = snapshot(dataset.path)
            let refused = #expect(throws: CivicError.self) { try add("екі", to: dataset) }
            #expect(refused?.description == load?.description)
            #expect(refused?.hint?.contains("civic remove 2") == true, "\(String(describing: refused?.hint))")
            #expect(snapshot(dataset.path) == before)
            try dataset.update { state, journal in
                let (entity, entry) = try state.remove(id: 2, now: Timestamp.now())
                #expect(entity.name == "Бант")
                journal.append(entry)
            }
            #expect(dataset.validate().problems.isEmpty)
            #expect(try add("екі", to: dataset) == 3)
        }
    }

    @Test("a kind outside the vocabulary: listings read, validate and writes refuse until it is corrected")
    func kindOutsideTheVocabulary() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Sample.dataset(in: folder)
            try appendFeature("{\"type\":\"Feature\",\"id\":1,\"properties\":{\"kind\":\"shop\",\"name\":\"Дүкен\","
                              + "\"themes\":[\"culture\"]},\"geometry\":{\"type\":\"Point\",\"coordinates\":[82.61,49.95]}}",
                              to: dataset)
            #expect(try dataset.load().entities.map(\.kind) == ["shop"])
            let problems = dataset.validate().problems
            #expect(problems.count == 1 && problems[0].description.hasSuffix("features[0] (id 1): kind: unknown kind 'shop'"),
                    "\(problems)")
            let refused = #expect(throws: CivicError.self) { try add("бір", to: dataset) }
            #expect(refused?.description == problems.first?.description)
            #expect(refused?.hint?.contains("civic edit 1") == true)

            try dataset.update { state, _ in
                let index = try #require(state.entityIndex(id: 1))
                state.entities[index].kind = "venue"
            }
            #expect(dataset.validate().problems.isEmpty)
            #expect(try add("бір", to: dataset) == 2)
        }
    }

    @Test("a malformed e-mail in contacts: validate and writes refuse until it is corrected")
    func malformedEmail() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Sample.dataset(in: folder)
            let id = try add("бір", to: dataset, contacts: Contacts(email: "a@example.kz"))
            let contacts = dataset.path + "/private/contacts.json"
            try Data(try text(contacts).replacingOccurrences(of: "a@example.kz", with: "a at example").utf8)
                .write(to: URL(fileURLWithPath: contacts))
            let problems = dataset.validate().problems
            #expect(problems.map(\.description) == ["\(contacts): entity \(id): email: 'a at example' is not an e-mail address"])
            #expect(throws: CivicError.self) { try add("екі", to: dataset) }
            try dataset.update { state, _ in state.contacts[id]?.email = "a@example.kz" }
            #expect(dataset.validate().problems.isEmpty)
        }
    }

    @Test("the store's bookkeeping stays out of the journal's entries; old journals still read")
    func bookkeepingStaysOutOfTheLog() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Sample.dataset(in: folder)
            // A journal as civic wrote it before transactions: plain entries.
            try appendText("{\"time\":\"2025-05-01T10:00:00Z\",\"action\":\"add\",\"id\":7,\"name\":\"старый\",\"changes\":{}}\n",
                           to: dataset.path + "/history.jsonl")
            try dataset.update { state, journal in
                for name in ["бір", "екі"] {
                    let id = try dataset.nextEntityID(in: state)
                    #expect(id > 7, "the old journal's id 7 is taken")
                    state.entities.append(Sample.entity(id: id, name: name))
                    journal.append(JournalEntry(action: "import", id: id, name: name))
                }
            }
            // Contacts alone, without an entry: the transaction is closed by a line of bookkeeping.
            try dataset.update { state, _ in state.contacts[8] = Contacts(phone: "+7 777 100 00 08") }

            let journal = try dataset.journal()
            #expect(journal.map(\.action) == ["init", "add", "import", "import"])
            #expect(journal.map(\.id) == [nil, 7, 8, 9])
            #expect(journal.allSatisfy { $0.json.objectValue?["txn"] == nil && $0.json.objectValue?["commit"] == nil })
            let lines = try text(dataset.path + "/history.jsonl").split(separator: "\n").map {
                try #require(try JSON.parse(Array($0.utf8), file: "history.jsonl").objectValue)
            }
            #expect(lines.count == 5)
            #expect(lines.map { $0.keys.first } == Array(repeating: "time", count: 5))
            #expect(lines[2]["txn"] != nil && lines[2]["commit"] == nil, "the first line of a transaction: \(lines[2])")
            #expect(lines[3]["txn"] == lines[2]["txn"] && lines[3]["commit"] != nil, "its closing line: \(lines[3])")
            #expect(lines[4]["action"] == nil && lines[4]["commit"] != nil, "bookkeeping alone: \(lines[4])")
            #expect(lines[4]["txn"] != lines[3]["txn"])
        }
    }

    @Test("lines of a transaction without their closing line are not history: skipped, noted, cut by the next write")
    func unfinishedTransaction() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Sample.dataset(in: folder)
            try add("бір", to: dataset)
            let history = dataset.path + "/history.jsonl"
            try appendText("{\"time\":\"2026-11-25T09:00:00Z\",\"action\":\"import\",\"id\":2,\"name\":\"екі\",\"changes\":{},"
                           + "\"txn\":\"0123456789abcdef\"}\n", to: history)
            #expect(try dataset.journal().map(\.action) == ["init", "add"])
            let validation = dataset.validate()
            #expect(validation.problems.isEmpty, "\(validation.problems)")
            #expect(validation.notes.count == 1 && validation.notes[0].contains("history.jsonl:3:"), "\(validation.notes)")
            // Id 2 was never committed: it is free.
            #expect(try add("екі", to: dataset) == 2)
            #expect(!(try text(history)).contains("0123456789abcdef"))
            #expect(dataset.validate().notes.isEmpty)
        }
    }

    @Test("a journal line the store did not write is an error in validate and in every write")
    func handMadeJournalLines() throws {
        let cases = [
            ("{\"note\":\"merged by hand\"}", "entry: time: missing or not a string"),
            ("{\"time\":\"2026-11-25T09:00:00Z\",\"txn\":\"abc\",\"commit\":{\"files\":[{\"file\":\"../../etc/passwd\","
             + "\"temporary\":\"x\",\"bytes\":1,\"checksum\":\"0000000000000000\"}]}}",
             "entry: commit: '../../etc/passwd' is not a file of the dataset"),
            ("{\"time\":\"2026-11-25T09:00:00Z\",\"action\":\"add\",\"txn\":\"a/b\"}", "entry: txn: must be a transaction id"),
            ("{\"time\":\"2026-11-25T09:00:00Z\",\"action\":\"add\",\"txn\":\"aaa\"}\n"
             + "{\"time\":\"2026-11-25T09:00:00Z\",\"action\":\"add\",\"id\":5}",
             "entry: txn: transaction aaa has no closing line before line 4"),
        ]
        for (line, expected) in cases {
            try withTemporaryDirectory { folder in
                let dataset = try Sample.dataset(in: folder)
                try add("бір", to: dataset)
                try appendText(line + "\n", to: dataset.path + "/history.jsonl")
                let before = snapshot(dataset.path)
                let problems = dataset.validate().problems.map(\.description)
                #expect(problems.count == 1 && problems[0].contains("history.jsonl:3: " + expected), "\(problems)")
                let error = #expect(throws: CivicError.self) { try add("екі", to: dataset) }
                #expect(error?.description == problems.first, "\(String(describing: error))")
                #expect(throws: CivicError.self) { try dataset.journal() }
                #expect(snapshot(dataset.path) == before)
            }
        }
    }
}
