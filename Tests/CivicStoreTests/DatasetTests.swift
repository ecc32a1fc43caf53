import CivicCore
import CivicStore
import CivicTestSupport
import Foundation
import GeoValues
import Testing

@Suite("Dataset: creating, loading, updating")
struct DatasetTests {
    @Test("create then load gives back the same dataset, Cyrillic and Kazakh names exactly")
    func createThenLoad() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Sample.dataset(in: folder)
            let loaded = try dataset.load(includeContacts: true)
            #expect(loaded.info == Sample.info)
            #expect(loaded.districts == Sample.districts)
            #expect(loaded.entities.isEmpty)
            #expect(loaded.contacts.isEmpty)

            let name = "Совет дома «Үлбі» — ә ғ қ ң ө ұ ү һ і"
            let contact = Contacts(phone: "+7 777 123 4567", email: "aigerim@example.kz", contactPerson: "Әйгерім Қасымова")
            let id = try add(name, to: dataset, contacts: contact)
            let again = try Dataset(path: dataset.path).load(includeContacts: true)
            let entity = try #require(again.entity(id: id), "entity \(id) was not read back")
            #expect(entity.name == name)
            #expect(entity.names == ["kk": name + " (қаз.)"])
            #expect(entity.address == "ул. Бажова 5")
            #expect(entity.geometry == .point(Position(lon: 82.61, lat: 49.95)))
            #expect(again.contacts == [id: contact])

            // Names are stored as written, not as \u escapes, so files and git diffs stay readable.
            let entities = try text(dataset.path + "/entities.geojson")
            #expect(entities.contains(name), "entities.geojson does not hold the name as is:\n\(entities)")
            #expect(try text(dataset.path + "/dataset.json").contains("Өскемен азаматтық картасы"))
            #expect(try text(dataset.path + "/private/contacts.json").contains("Әйгерім Қасымова"))
        }
    }

    @Test("create lays out the folder of DESIGN §3, with private/ closed to others")
    func createLayout() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Sample.dataset(in: folder)
            for name in datasetFiles + [".gitignore"] {
                #expect(FileManager.default.fileExists(atPath: dataset.path + "/" + name), "missing \(name)")
            }
            let ignored = try text(dataset.path + "/.gitignore").split(separator: "\n")
            #expect(ignored.contains("private/") && ignored.contains(".civic.lock"), "gitignore: \(ignored)")
            #expect(permissions(dataset.path + "/private") == 0o700)
            #expect(permissions(dataset.path + "/private/contacts.json") == 0o600)
            #expect(try text(dataset.path + "/private/contacts.json").trimmingCharacters(in: .whitespacesAndNewlines) == "{}")
            #expect(try text(dataset.path + "/entities.geojson").hasSuffix("\n"))

            let journal = try dataset.journal()
            #expect(journal.count == 1)
            #expect(journal.first?.action == "init")
            #expect(journal.first?.name == Sample.info.name)
        }
    }

    @Test("create refuses a folder that is not empty, and leaves it alone")
    func createRefusesNonEmptyFolder() throws {
        try withTemporaryDirectory { folder in
            let target = folder + "/busy"
            try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
            try Data("notes".utf8).write(to: URL(fileURLWithPath: target + "/notes.txt"))
            #expect(throws: CivicError.self) {
                try Dataset.create(at: target, info: Sample.info, districts: Sample.districts)
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: target) == ["notes.txt"])

            let dataset = try Sample.dataset(in: folder)
            let error = #expect(throws: CivicError.self) {
                try Dataset.create(at: dataset.path, info: Sample.info, districts: [])
            }
            #expect(error?.description.contains("already holds a dataset") == true, "\(String(describing: error))")
        }
    }

    @Test("opening a folder without dataset.json says so and hints at civic init")
    func openRefusesNonDataset() throws {
        try withTemporaryDirectory { folder in
            let error = #expect(throws: CivicError.self) { try Dataset(path: folder) }
            #expect(error?.description.contains("dataset.json") == true, "\(String(describing: error))")
            #expect(error?.hint?.contains("civic init") == true, "hint: \(String(describing: error?.hint))")

            let missing = #expect(throws: CivicError.self) { try Dataset(path: folder + "/nowhere") }
            #expect(missing?.hint?.contains("civic init") == true)
        }
    }

    @Test("an update rewrites only the files whose content changed")
    func updateWritesOnlyChangedFiles() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Sample.dataset(in: folder)
            func inodes() -> [String: UInt64?] {
                Dictionary(uniqueKeysWithValues: datasetFiles.map { ($0, inode(dataset.path + "/" + $0)) })
            }
            let before = inodes()
            try add("Двор на Протозанова", to: dataset)
            let afterAdd = inodes()
            #expect(afterAdd["entities.geojson"] != before["entities.geojson"], "entities.geojson was not replaced")
            for name in ["dataset.json", "districts.geojson", "private/contacts.json"] {
                #expect(afterAdd[name] == before[name], "\(name) was rewritten though it did not change")
            }
            // The journal is appended to in place, never replaced.
            #expect(afterAdd["history.jsonl"] == before["history.jsonl"])

            // A change that sets a value to what it already is writes nothing at all.
            let files = snapshot(dataset.path)
            try dataset.update { state, _ in
                state.entities[0].name = state.entities[0].name
                state.info.city = Sample.info.city
            }
            #expect(inodes() == afterAdd)
            #expect(snapshot(dataset.path) == files)

            // Contacts alone: only contacts.json is replaced.
            try dataset.update { state, _ in state.contacts[state.entities[0].id] = Contacts(phone: "+7 723 222 33 44") }
            let afterContacts = inodes()
            #expect(afterContacts["private/contacts.json"] != afterAdd["private/contacts.json"])
            #expect(afterContacts["entities.geojson"] == afterAdd["entities.geojson"])
        }
    }

    @Test("a change that throws leaves every file byte for byte as it was")
    func throwingChangeWritesNothing() throws {
        struct Refusal: Error {}
        try withTemporaryDirectory { folder in
            let dataset = try Sample.dataset(in: folder)
            try add("Клуб «Ақ ниет»", to: dataset, contacts: Contacts(email: "club@example.kz"))
            let before = snapshot(dataset.path)
            #expect(throws: Refusal.self) {
                try dataset.update { state, journal in
                    state.entities.append(Sample.entity(id: try dataset.nextEntityID(in: state), name: "не будет"))
                    state.contacts[1] = nil
                    state.info.name = "другое"
                    journal.append(JournalEntry(action: "add", id: 2, name: "не будет"))
                    throw Refusal()
                }
            }
            #expect(snapshot(dataset.path) == before)
        }
    }

    @Test("ids are never reused: a removed entity's id stays taken")
    func idsNeverReused() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Sample.dataset(in: folder)
            let ids = try ["первый", "второй", "үшінші"].map { try add($0, to: dataset) }
            #expect(ids == [1, 2, 3])
            try dataset.update { state, journal in
                state.entities.removeAll { $0.id == 3 }
                journal.append(JournalEntry(action: "remove", id: 3, name: "үшінші"))
            }
            #expect(try dataset.nextEntityID(in: dataset.load()) == 4)
            #expect(try add("төртінші", to: dataset) == 4)

            // Even if the last entity is gone and the journal is the only trace of it.
            try dataset.update { state, journal in
                state.entities.removeAll { $0.id == 4 }
                journal.append(JournalEntry(action: "remove", id: 4))
            }
            #expect(try dataset.nextEntityID(in: dataset.load()) == 5)

            // Storing an old id by hand is refused, and nothing is written.
            let before = snapshot(dataset.path)
            let error = #expect(throws: CivicError.self) {
                try dataset.update { state, _ in state.entities.append(Sample.entity(id: 3, name: "снова 3")) }
            }
            #expect(error?.description.contains("never reused") == true, "\(String(describing: error))")
            #expect(snapshot(dataset.path) == before)
        }
    }

    @Test("a broken entities.geojson is reported with its name and place, and an update leaves it alone")
    func brokenEntitiesFileIsReportedNotRewritten() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Sample.dataset(in: folder)
            try add("Совет дома", to: dataset, contacts: Contacts(phone: "+7 777 000 0000"))
            let path = dataset.path + "/entities.geojson"
            var content = try text(path)
            // Cut the file in the middle of its feature line, as a bad hand edit or merge would.
            content = String(content.prefix(content.count / 2)) + "\n"
            try Data(content.utf8).write(to: URL(fileURLWithPath: path))
            let before = snapshot(dataset.path)
            let inodeBefore = inode(path)

            let loadError = #expect(throws: CivicError.self) { try dataset.load() }
            #expect(loadError?.description.contains("entities.geojson") == true, "\(String(describing: loadError))")
            if case .syntax(_, let line, _, _, _)? = loadError {
                #expect(line >= 2, "the place should be inside the feature line, got line \(line)")
            }

            var ran = false
            let updateError = #expect(throws: CivicError.self) {
                try dataset.update { state, journal in
                    ran = true
                    state.entities.append(Sample.entity(id: 99, name: "x"))
                    journal.append(JournalEntry(action: "add", id: 99, name: "x"))
                }
            }
            #expect(!ran, "the change must not run on a dataset that did not read")
            #expect(updateError?.description.contains("entities.geojson") == true)
            #expect(snapshot(dataset.path) == before)
            #expect(inode(path) == inodeBefore)
        }
    }

    @Test("duplicate ids in entities.geojson are reported with the feature")
    func duplicateIDsReported() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Sample.dataset(in: folder)
            try add("один", to: dataset)
            let path = dataset.path + "/entities.geojson"
            var lines = try text(path).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            // FeatureCollection header, the feature, the closing line: repeat the feature line.
            let feature = lines[1].hasSuffix(",") ? lines[1] : lines[1] + ","
            lines.insert(feature, at: 1)
            try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: path))
            let error = #expect(throws: CivicError.self) { try dataset.load() }
            #expect(error?.description.contains("features[1] (id 1)") == true, "\(String(describing: error))")
        }
    }

    @Test("the vocabulary guards every new or changed entity; nothing is written when it refuses")
    func vocabularyRefusal() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Sample.dataset(in: folder)
            let before = snapshot(dataset.path)
            let error = #expect(throws: CivicError.self) {
                try dataset.update { state, _ in
                    var entity = Sample.entity(id: try dataset.nextEntityID(in: state), name: "клуб")
                    entity.kind = "club"
                    state.entities.append(entity)
                }
            }
            #expect(error?.description.contains("club") == true)
            #expect(error?.hint?.contains("initiative_group") == true, "hint: \(String(describing: error?.hint))")
            #expect(snapshot(dataset.path) == before)
        }
    }

    @Test("the store stamps created and updated, and a removed entity takes its contacts along")
    func stampsAndContacts() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Sample.dataset(in: folder)
            let id = try add("Совет дома", to: dataset, contacts: Contacts(phone: "+7 777 123 4567"))
            let keep = try add("Другой совет", to: dataset, contacts: Contacts(email: "b@example.kz"))
            let added = try #require(try dataset.load().entity(id: id))
            let created = try #require(added.created, "created was not set")
            #expect(created.count == 20 && created.hasSuffix("Z"), "created: \(created)")
            #expect(added.updated == nil)

            try dataset.update { state, _ in
                let index = try #require(state.entityIndex(id: id))
                state.entities[index].status = .inactive
            }
            let edited = try #require(try dataset.load().entity(id: id))
            #expect(edited.updated != nil && edited.created == created)

            try dataset.update { state, _ in state.entities.removeAll { $0.id == id } }
            let contacts = try dataset.load(includeContacts: true).contacts
            #expect(contacts[id] == nil)
            #expect(contacts[keep] == Contacts(email: "b@example.kz"))
            #expect(permissions(dataset.path + "/private/contacts.json") == 0o600)
        }
    }

    @Test("a clone from git, without private/, loads and gets private/ back on the first contact")
    func missingPrivateFolder() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Sample.dataset(in: folder)
            try FileManager.default.removeItem(atPath: dataset.path + "/private")
            #expect(try dataset.load(includeContacts: true).contacts.isEmpty)
            try add("Совет", to: dataset)
            #expect(!FileManager.default.fileExists(atPath: dataset.path + "/private"), "no contacts: no private/")
            try add("Совет 2", to: dataset, contacts: Contacts(contactPerson: "Ерлан"))
            #expect(permissions(dataset.path + "/private") == 0o700)
            #expect(permissions(dataset.path + "/private/contacts.json") == 0o600)
            #expect(try dataset.load(includeContacts: true).contacts.count == 1)
        }
    }
}

@Suite("timestamps")
struct TimestampTests {
    @Test func formatsUTCWithWholeSeconds() {
        #expect(Timestamp.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
        // 2026-11-25 09:05:07.9 UTC: the fraction is dropped, not rounded up.
        #expect(Timestamp.format(Date(timeIntervalSince1970: 1_795_597_507.9)) == "2026-11-25T09:05:07Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00Z")
    }
}
