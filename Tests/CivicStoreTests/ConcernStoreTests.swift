import CivicCore
import CivicStore
import CivicTestSupport
import Foundation
import GeoValues
import Testing

/// Adds a concern the way `civic concerns add` does: the id from the store, under the lock.
@discardableResult
func addConcern(_ theme: String, to dataset: Dataset, at point: Position? = Position(lon: 82.57, lat: 49.95),
                district: String = "ulbinsky", text: String? = nil, phone: String? = nil) throws -> Int {
    try dataset.update { state, journal in
        let id = try dataset.nextConcernID(in: state)
        state.concerns.append(Concern(id: id, theme: theme, source: "appeal", status: .open, received: "2026-03-05",
                                      district: district, point: point))
        let entry = ConcernPrivate(text: text, phone: phone)
        if !entry.isEmpty { state.concernPrivate[id] = entry }
        journal.append(ConcernJournal.entry(action: ConcernJournal.addAction, added: [id], updated: 0, time: Timestamp.now()))
        return id
    }
}

@Suite("concerns in the store: one reader, one commit")
struct ConcernStoreTests {
    @Test func concernsAreWrittenOnePerLineSortedWithTheirPrivateFieldsApart() throws {
        try withTemporaryDirectory { dir in
            let dataset = try Sample.dataset(in: dir)
            #expect(!FileManager.default.fileExists(atPath: dataset.path + "/concerns.geojson"), "no concerns, no file")
            try addConcern("lighting", to: dataset, text: "Темно во дворе", phone: "+7 777 000 00 01")
            try addConcern("heating", to: dataset, at: nil, district: "zashchita")
            let text = String(decoding: try #require(FileManager.default.contents(atPath: dataset.path + "/concerns.geojson")),
                              as: UTF8.self)
            #expect(text == """
                {"type":"FeatureCollection","features":[
                {"type":"Feature","id":1,"properties":{"theme":"lighting","source":"appeal","status":"open","received":"2026-03-05","district":"ulbinsky"},"geometry":{"type":"Point","coordinates":[82.57,49.95]}},
                {"type":"Feature","id":2,"properties":{"theme":"heating","source":"appeal","status":"open","received":"2026-03-05","district":"zashchita"},"geometry":null}
                ]}

                """)
            #expect(permissions(dataset.path + "/private/concerns.json") == 0o600)
            let state = try dataset.load(includeContacts: true, concerns: true)
            #expect(state.concernPrivate == [1: ConcernPrivate(text: "Темно во дворе", phone: "+7 777 000 00 01")])
            #expect(try dataset.load(concerns: true).concernPrivate.isEmpty, "private fields only when asked for")
            #expect(try dataset.load().concerns.isEmpty, "commands that do not ask do not pay for reading them")
            #expect(dataset.validate().problems.isEmpty)
        }
    }

    @Test func concernIDsAreNeverReusedEvenWhenTheFileLosesTheLastOne() throws {
        try withTemporaryDirectory { dir in
            let dataset = try Sample.dataset(in: dir)
            try addConcern("lighting", to: dataset)
            try addConcern("lighting", to: dataset)
            #expect(try add("Совет дома", to: dataset) == 1, "entity ids are their own sequence")
            // Concern 2 taken out of the file by hand: the journal still remembers it.
            let path = dataset.path + "/concerns.geojson"
            var lines = String(decoding: try #require(FileManager.default.contents(atPath: path)), as: UTF8.self)
                .split(separator: "\n").map(String.init)
            #expect(lines.count == 4 && lines[2].contains("\"id\":2"), "\(lines)")
            lines.remove(at: 2)
            lines[1].removeLast()  // the comma before the removed feature
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
            #expect(try dataset.load(concerns: true).concerns.map(\.id) == [1])
            #expect(try addConcern("roads", to: dataset) == 3)
            #expect(try add("Двор на Бажова", to: dataset) == 2)
        }
    }

    @Test func validateListsEveryProblemOfTheConcernFilesAndACommandStopsAtTheFirst() throws {
        try withTemporaryDirectory { dir in
            let dataset = try Sample.dataset(in: dir)
            try addConcern("lighting", to: dataset, text: "Темно")
            let broken = """
                {"type":"FeatureCollection","features":[
                {"type":"Feature","id":1,"properties":{"theme":"lighting","source":"appeal","status":"open","received":"2026-03-05","district":"ulbinsky"},"geometry":{"type":"Point","coordinates":[82.57,49.95]}},
                {"type":"Feature","id":1,"properties":{"theme":"lighting","source":"appeal","status":"open","received":"2026-03-05","district":"ulbinsky"},"geometry":null},
                {"type":"Feature","id":3,"properties":{"theme":"shops","source":"appeal","status":"open","received":"2026-03-05","district":"ulbinsky"},"geometry":null},
                {"type":"Feature","id":4,"properties":{"theme":"roads","source":"appeal","status":"open","received":"05.03.2026","district":"ulbinsky"},"geometry":null},
                {"type":"Feature","id":5,"properties":{"theme":"roads","source":"appeal","status":"open","received":"2026-03-05","district":"nowhere"},"geometry":null},
                {"type":"Feature","id":6,"properties":{"theme":"roads","source":"appeal","status":"open","received":"2026-03-05","district":"ulbinsky","phone":"+7 700 1"},"geometry":null}
                ]}

                """
            try Data(broken.utf8).write(to: URL(fileURLWithPath: dataset.path + "/concerns.geojson"))
            try Data(#"{"1": {"text": "Темно"}, "9": {"text": "Чей-то"}}"#.utf8)
                .write(to: URL(fileURLWithPath: dataset.path + "/private/concerns.json"))
            let problems = dataset.validate().problems.map(\.description)
            let expected = [
                "concerns.geojson:3: features[1] (id 1): id: duplicate id",
                "concerns.geojson:4: features[2] (id 3): theme: unknown theme 'shops'",
                "concerns.geojson:5: features[3] (id 4): received: must be a date such as 2026-03-05",
                "concerns.geojson:6: features[4] (id 5): district: no district has the id 'nowhere'",
                "concerns.geojson:7: features[5] (id 6): phone: a private field in the public file",
                "private/concerns.json: \"9\": no concern in concerns.geojson has this id",
            ]
            #expect(problems.count == expected.count, "\(problems)")
            for (problem, start) in zip(problems, expected) {
                #expect(problem.contains(start), "\(problem) should contain \(start)")
            }
            #expect(throws: CivicError.self) { try dataset.load(concerns: true) }
            let before = snapshot(dataset.path)
            #expect(throws: CivicError.self) { try addConcern("roads", to: dataset) }
            #expect(snapshot(dataset.path) == before, "a refused change leaves every byte")
        }
    }

    @Test func theStoreRefusesAConcernThatBreaksARule() throws {
        try withTemporaryDirectory { dir in
            let dataset = try Sample.dataset(in: dir)
            try addConcern("lighting", to: dataset)
            let before = snapshot(dataset.path)
            let bad: [(String, Concern)] = [
                ("unknown theme", Concern(id: 2, theme: "shops", source: "appeal", status: .open, received: "2026-03-05",
                                          district: "ulbinsky")),
                ("no district", Concern(id: 2, theme: "roads", source: "appeal", status: .open, received: "2026-03-05",
                                        district: "nowhere")),
                ("before received", Concern(id: 2, theme: "roads", source: "appeal", status: .resolved, received: "2026-03-05",
                                            resolved: "2026-03-01", district: "ulbinsky")),
            ]
            for (why, concern) in bad {
                #expect(throws: CivicError.self, "\(why)") {
                    try dataset.update { state, _ in state.concerns.append(concern) }
                }
                #expect(snapshot(dataset.path) == before, "\(why): every byte kept")
            }
            // A removed concern's id is not given again.
            try dataset.update { state, _ in state.concerns.removeAll() }
            #expect(throws: CivicError.self) {
                try dataset.update { state, _ in
                    state.concerns.append(Concern(id: 1, theme: "roads", source: "appeal", status: .open,
                                                  received: "2026-03-05", district: "ulbinsky"))
                }
            }
        }
    }
}
