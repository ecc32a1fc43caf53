import CivicCore
import CivicRules
@testable import CivicStore
import CivicTestSupport
import Foundation
import GeoValues
import Testing

/// A draft of a courtyard council at a point, as `civic add` builds it.
func council(_ name: String, lon: Double, lat: Double) -> EntityDraft {
    EntityDraft(kind: "community", name: name, themes: ["courtyards"], geometry: .point(Position(lon: lon, lat: lat)))
}

/// Adds through the store's own rules, as `civic add` does; returns the entity as stored.
@discardableResult
func admit(_ draft: EntityDraft, to dataset: Dataset, options: AdmissionOptions = AdmissionOptions()) throws -> Entity {
    try dataset.update { state, journal in
        let rules = try EntityRules(info: state.info, districts: state.districts)
        let (entity, entry) = try state.add(draft, id: try dataset.nextEntityID(in: state), rules: rules, options: options,
                                            now: Timestamp.now())
        journal.append(entry)
        return entity
    }
}

/// Edits through the store's own rules, as `civic edit` does.
@discardableResult
func change(_ id: Int, in dataset: Dataset, _ patch: EntityPatch, options: AdmissionOptions = AdmissionOptions()) throws -> Entity {
    try dataset.update { state, journal in
        let rules = try EntityRules(info: state.info, districts: state.districts)
        let (entity, entry) = try state.edit(id: id, patch, rules: rules, options: options, now: Timestamp.now())
        if !entry.changes.isEmpty { journal.append(entry) }
        return entity
    }
}

func moved(lon: Double, lat: Double) -> EntityPatch {
    var patch = EntityPatch()
    patch.geometry = .point(Position(lon: lon, lat: lat))
    return patch
}

@Suite("remembered choices: what add and edit let through, validate notes")
struct StoreRememberedChoicesTests {
    // The sample districts span 82.55–82.65° E, 49.93–49.98° N; 49.90° N is 3.3 km south of them.

    @Test("allowOutside marks an entity that is outside, and only such; validate notes it, without the mark it is a problem")
    func outside() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Sample.dataset(in: folder)
            let allow = AdmissionOptions(allowOutside: true)
            let inside = try admit(council("Совет дома", lon: 82.61, lat: 49.95), to: dataset, options: allow)
            #expect(inside.allowed.isEmpty)
            let far = try admit(council("Дачный совет", lon: 82.6, lat: 49.9), to: dataset, options: allow)
            #expect(far.allowed == Allowances(outside: true))
            #expect(try text(dataset.path + "/entities.geojson").contains("\"allow\":{\"outside\":true}"))
            #expect(try dataset.load().entity(id: far.id)?.allowed.outside == true)
            #expect(try dataset.journal().last?.changes["allow"] == .object(JSONObject([("outside", .bool(true))])))

            let validation = dataset.validate()
            #expect(validation.problems.isEmpty, "\(validation.problems)")
            #expect(validation.notes.count == 1 && validation.notes[0].contains("(id 2): geometry: lat 49.9, lon 82.6 is 3.3 km "
                                                                                  + "outside every district; kept there on purpose"),
                    "\(validation.notes)")

            // The same place without the remembered choice, as a file written before civic remembered them.
            try dataset.update { state, _ in state.entities[1].allowed = Allowances() }
            let unmarked = dataset.validate()
            #expect(unmarked.notes.isEmpty)
            #expect(unmarked.problems.map(\.description) == [
                "\(dataset.path)/entities.geojson:3: features[1] (id 2): geometry: lat 49.9, lon 82.6 is 3.3 km outside every district",
            ])
            #expect(unmarked.problems.first?.hint == "correct it (civic edit 2 --lat … --lon …), or keep it there: civic edit 2 --allow-outside")
        }
    }

    @Test("allowDuplicate remembers every entity it was kept beside; a copy added past the rule unmarked is still a problem")
    func duplicates() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Sample.dataset(in: folder)
            try admit(council("Совет дома", lon: 82.61, lat: 49.95), to: dataset)
            let refused = #expect(throws: CivicError.self) {
                try admit(council("совет  дома", lon: 82.6101, lat: 49.9501), to: dataset)
            }
            #expect(refused?.description.contains("looks like a duplicate of entity 1") == true)
            let second = try admit(council("совет  дома", lon: 82.6101, lat: 49.9501), to: dataset,
                                   options: AdmissionOptions(allowDuplicate: true))
            #expect(second.allowed == Allowances(duplicateOf: [1]))
            let third = try admit(council("СОВЕТ ДОМА", lon: 82.6102, lat: 49.9502), to: dataset,
                                  options: AdmissionOptions(allowDuplicate: true))
            #expect(third.allowed.duplicateOf == [1, 2])
            #expect(dataset.validate().problems.isEmpty)
            #expect(dataset.validate().notes.count == 3)

            // Past the rule without remembering (skipDuplicateCheck, as a hand edit): a problem beside each.
            try admit(council("Совет Дома", lon: 82.6103, lat: 49.9503), to: dataset,
                      options: AdmissionOptions(skipDuplicateCheck: true))
            let validation = dataset.validate()
            #expect(validation.problems.map(\.description) == [1, 2, 3].map { other in
                "\(dataset.path)/entities.geojson:5: features[3] (id 4): likely duplicate of entity \(other) "
                    + "'\(["", "Совет дома", "совет  дома", "СОВЕТ ДОМА"][other])' (same name within 100 m)"
            }, "\(validation.problems)")
            #expect(validation.notes.count == 3)
        }
    }

    @Test("edit: moving needs allowOutside again; moving inside forgets; allowOutside alone records the entity as it is")
    func editOutside() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Sample.dataset(in: folder)
            let far = try admit(council("Дачный совет", lon: 82.6, lat: 49.9), to: dataset, options: AdmissionOptions(allowOutside: true))
            let before = snapshot(dataset.path)
            #expect(throws: CivicError.self) { try change(far.id, in: dataset, moved(lon: 82.6, lat: 49.89)) }
            #expect(snapshot(dataset.path) == before)
            // Renaming leaves the place, and the choice, alone.
            var renamed = EntityPatch()
            renamed.name = "Совет садоводов"
            #expect(try change(far.id, in: dataset, renamed).allowed.outside)
            #expect(try change(far.id, in: dataset, moved(lon: 82.6, lat: 49.89), options: AdmissionOptions(allowOutside: true))
                .allowed.outside)
            #expect(try change(far.id, in: dataset, moved(lon: 82.6, lat: 49.95)).allowed.isEmpty)
            #expect(!(try text(dataset.path + "/entities.geojson")).contains("\"allow\""))

            // An entity outside with no mark (written before civic remembered choices): allowOutside alone marks it.
            try dataset.update { state, _ in state.entities[0].geometry = .point(Position(lon: 82.6, lat: 49.9)) }
            #expect(dataset.validate().problems.count == 1)
            #expect(try change(far.id, in: dataset, EntityPatch(), options: AdmissionOptions(allowOutside: true)).allowed.outside)
            #expect(dataset.validate().problems.isEmpty)
            #expect(try dataset.journal().last?.changes.keys == ["allow"])
        }
    }

    @Test("edit: entities kept side by side stay so when either moves; a new neighbour of the name needs allowDuplicate")
    func editDuplicates() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Sample.dataset(in: folder)
            try admit(council("Совет дома", lon: 82.61, lat: 49.95), to: dataset)
            try admit(council("Совет дома", lon: 82.6101, lat: 49.9501), to: dataset, options: AdmissionOptions(allowDuplicate: true))
            // Either may move a few metres: entity 2 remembers being kept beside entity 1.
            #expect(try change(1, in: dataset, moved(lon: 82.6102, lat: 49.9502)).allowed.isEmpty)
            #expect(try change(2, in: dataset, moved(lon: 82.6103, lat: 49.9501)).allowed.duplicateOf == [1])
            // A third, renamed into the name: refused, then kept with the flag, beside both.
            try admit(council("Клуб", lon: 82.6101, lat: 49.9502), to: dataset)
            var rename = EntityPatch()
            rename.name = "Совет дома"
            let refused = #expect(throws: CivicError.self) { try change(3, in: dataset, rename) }
            #expect(refused?.description.contains("would duplicate entity 1") == true)
            #expect(try change(3, in: dataset, rename, options: AdmissionOptions(allowDuplicate: true)).allowed.duplicateOf == [1, 2])
            // Renamed away, it forgets: nobody shares its name any more.
            rename.name = "Клуб"
            #expect(try change(3, in: dataset, rename).allowed.isEmpty)
            #expect(dataset.validate().problems.isEmpty)
            #expect(dataset.validate().notes.count == 1)
        }
    }

    @Test("a malformed allow property is a problem of its feature and field, in every reading and in validate")
    func malformedAllow() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Sample.dataset(in: folder)
            try appendFeature("{\"type\":\"Feature\",\"id\":1,\"properties\":{\"kind\":\"community\",\"name\":\"Совет\","
                              + "\"themes\":[\"courtyards\"],\"allow\":{\"outside\":\"yes\"}},"
                              + "\"geometry\":{\"type\":\"Point\",\"coordinates\":[82.61,49.95]}}", to: dataset)
            let load = #expect(throws: CivicError.self) { try dataset.load() }
            #expect(load?.description == "\(dataset.path)/entities.geojson:2: features[0] (id 1): allow.outside: "
                    + "must be true or false, found the string \"yes\"", "\(String(describing: load))")
            #expect(dataset.validate().problems == [try #require(load)])
        }
    }
}

@Suite("districts as a whole in validate: overlaps, holes, [lat, lon]")
struct StoreDistrictFindingsTests {
    /// Two OSM units overlapping by about 9 km² (0.1° × 0.0113° at 50° N).
    static let overlapping = [
        District(id: "r1", name: "Улан", geometry: Sample.rectangle(west: 82.0, south: 49.9, east: 82.2, north: 50.0)),
        District(id: "r2", name: "Глубокое", geometry: Sample.rectangle(west: 82.1, south: 49.9887, east: 82.3, north: 50.1)),
    ]

    @Test("an overlap is a problem unless dataset.json keeps it; then a note")
    func overlaps() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Dataset.create(at: folder + "/vko", info: Sample.info, districts: Self.overlapping)
            let validation = dataset.validate()
            #expect(validation.problems.map(\.description) == [
                "\(dataset.path)/districts.geojson:3: features[1] (id r2): geometry: districts r1 (Улан) and r2 (Глубокое) "
                    + "overlap by 9.01 km² around lon 82.15, lat 49.99435",
            ])
            #expect(validation.problems.first?.hint?.hasSuffix("\"allow\": {\"overlaps\": [[\"r1\", \"r2\"]]} in dataset.json") == true)
            // Commands do not refuse it: a write still goes through.
            try admit(council("Совет", lon: 82.05, lat: 49.95), to: dataset)

            try dataset.update { state, _ in state.info.allowedOverlaps = [["r2", "r1"]] }
            #expect(try text(dataset.path + "/dataset.json").contains("\"allow\": {\n    \"overlaps\": [\n      [\n        \"r1\",\n        \"r2\""))
            #expect(try dataset.load().info.allowsOverlap("r1", "r2"))
            let kept = dataset.validate()
            #expect(kept.problems.isEmpty, "\(kept.problems)")
            #expect(kept.notes == ["\(dataset.path)/districts.geojson:3: features[1] (id r2): geometry: districts r1 (Улан) and r2 "
                                   + "(Глубокое) overlap by 9.01 km² around lon 82.15, lat 49.99435; kept on purpose "
                                   + "(dataset.json: allow.overlaps)"])
        }
    }

    @Test("a dataset.json allow that is not pairs of district ids is a problem naming the member")
    func malformedAllowedOverlaps() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Dataset.create(at: folder + "/vko", info: Sample.info, districts: Self.overlapping)
            let info = dataset.path + "/dataset.json"
            try Data(try text(info).replacingOccurrences(of: "\n}", with: ",\n  \"allow\": {\"overlaps\": [[\"r1\"]]}\n}").utf8)
                .write(to: URL(fileURLWithPath: info))
            let problems = dataset.validate().problems.map(\.description)
            #expect(problems.first == "\(info): dataset: allow.overlaps[0]: must be two different district ids, such as [\"d1\", \"d2\"]",
                    "\(problems)")
            // What dataset.json failed to keep stays a problem too.
            #expect(problems.count == 2 && problems[1].contains("overlap by 9.01 km²"), "\(problems)")
        }
    }

    @Test("a dataset without overlaps or holes has no notes, and its dataset.json no allow")
    func cleanDistricts() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Sample.dataset(in: folder)
            #expect(dataset.validate().notes.isEmpty)
            #expect(!(try text(dataset.path + "/dataset.json")).contains("allow"))
        }
    }
}
