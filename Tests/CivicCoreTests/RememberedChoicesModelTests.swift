import CivicCore
import CivicTestSupport
import GeoValues
import Testing

@Suite("Remembered choices in the files: an entity's allow, dataset.json's allow")
struct RememberedChoicesModelTests {
    static let point = Geometry.point(Position(lon: 82.61, lat: 49.95))

    func entity(_ line: String) throws -> Entity {
        let features = try GeoJSONReader.features(in: Array(("{\"type\":\"FeatureCollection\",\"features\":[\n" + line + "\n]}\n").utf8),
                                                   file: "entities.geojson")
        return try Entity(feature: features[0], index: 0, file: "entities.geojson")
    }

    @Test("allow is written after updated and before the kept tags, only when something is allowed, and reads back")
    func roundTrip() throws {
        let kept = Entity(id: 14, kind: "venue", name: "Библиотека", themes: ["culture"], updated: "2026-11-25T09:00:00Z",
                          extra: ["opening_hours": "Mo-Fr 09:00-18:00"],
                          allowed: Allowances(outside: true, duplicateOf: [13, 2, 13]), geometry: Self.point)
        let line = GeoJSONWriter.feature(kept.feature)
        #expect(line.contains(#""updated":"2026-11-25T09:00:00Z","allow":{"outside":true,"duplicate_of":[2,13]},"opening_hours""#),
                "\(line)")
        #expect(try entity(line) == kept)
        var plain = kept
        plain.allowed = Allowances()
        #expect(!GeoJSONWriter.feature(plain.feature).contains("allow"))
        // An extra property called "allow" (an OSM tag) never overwrites the remembered choices.
        plain.extra["allow"] = "yes"
        #expect(!GeoJSONWriter.feature(plain.feature).contains("allow"))
    }

    @Test("a malformed allow names the member and what it must be", arguments: [
        (#""allow":"outside""#, #"allow: must be an object such as {"outside": true, "duplicate_of": [12]}, found the string "outside""#),
        (#""allow":{"outside":1}"#, "allow.outside: must be true or false, found the number 1"),
        (#""allow":{"duplicate_of":[3,"4"]}"#, #"allow.duplicate_of: item 1 is the string "4"; expected an entity id"#),
        (#""allow":{"duplicate_of":[0]}"#, "allow.duplicate_of: item 0 is the number 0; expected an entity id"),
        (#""allow":{"nearby":true}"#, "allow.nearby: unknown choice"),
    ])
    func malformed(member: String, message: String) throws {
        let line = #"{"type":"Feature","id":3,"properties":{"kind":"venue","name":"Клуб","themes":["culture"],"# + member
            + #"},"geometry":{"type":"Point","coordinates":[82.61,49.95]}}"#
        let error = #expect(throws: CivicError.self) { try entity(line) }
        #expect(error?.description == "entities.geojson:2: features[0] (id 3): " + message, "\(String(describing: error))")
    }

    @Test("dataset.json: allow.overlaps reads as unordered pairs and is written only when there is one")
    func datasetOverlaps() throws {
        var info = DatasetInfo(name: "ВКО", city: "Өскемен")
        #expect(info.json.objectValue?["allow"] == nil)
        info.allowedOverlaps = [["r2", "r1"], ["d7", "d3"]]
        let text = JSON.serialize(info.json, pretty: false)
        #expect(text.hasSuffix(#","allow":{"overlaps":[["d3","d7"],["r1","r2"]]}}"#), "\(text)")
        let back = try DatasetInfo(json: try JSON.parse(Array(text.utf8), file: "dataset.json"), file: "dataset.json")
        #expect(Set(back.allowedOverlaps) == Set(info.allowedOverlaps))
        #expect(back.allowsOverlap("r1", "r2") && back.allowsOverlap("r2", "r1") && !back.allowsOverlap("r1", "d3"))
    }
}

@Suite("--district by id or name")
struct DistrictLookupTests {
    static let districts = [
        District(id: "59054962B6587591574618", name: "Ulan District", names: ["ru": "Уланский район", "kk": "Ұлан ауданы"],
                 geometry: .point(Position(lon: 0, lat: 0))),
        District(id: "d2", name: "Усть-Каменогорск", names: ["kk": "Өскемен"], geometry: .point(Position(lon: 0, lat: 0))),
        District(id: "d3", name: "Центральный", geometry: .point(Position(lon: 0, lat: 0))),
        District(id: "d4", name: "центральный", names: ["en": "Central"], geometry: .point(Position(lon: 0, lat: 0))),
    ]

    func found(_ text: String) -> String? {
        if case .found(let district) = DistrictLookup.find(text, in: Self.districts) { return district.id }
        return nil
    }

    @Test("an opaque id, or any name in any language and case, finds the one district")
    func unique() {
        #expect(found("59054962B6587591574618") == "59054962B6587591574618")
        #expect(found("ulan district") == "59054962B6587591574618")
        #expect(found("УЛАНСКИЙ РАЙОН") == "59054962B6587591574618")
        #expect(found("ұлан ауданы") == "59054962B6587591574618")
        #expect(found("усть каменогорск") == "d2")
        #expect(found("ӨСКЕМЕН") == "d2")
        #expect(found("D2") == "d2")
        #expect(found("central") == "d4")
    }

    @Test("a name two districts share is ambiguous, with both; no match is unknown")
    func ambiguousAndUnknown() {
        #expect(DistrictLookup.find("ЦЕНТРАЛЬНЫЙ", in: Self.districts) == .ambiguous([Self.districts[2], Self.districts[3]]))
        #expect(DistrictLookup.find("Алтай", in: Self.districts) == .unknown)
        #expect(DistrictLookup.find("  ", in: Self.districts) == .unknown)
        #expect(DistrictLookup.label(Self.districts[1]) == "d2 (Усть-Каменогорск)")
    }
}
