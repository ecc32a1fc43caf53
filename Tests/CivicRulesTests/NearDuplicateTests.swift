import CivicCore
import CivicRules
import GeoValues
import Testing

@Suite("Near duplicates: the one rule")
struct NearDuplicateTests {
    @Test("one predicate for add, import and validate: same name within 100 m, unless two distinct OSM objects")
    func nearDuplicateRule() throws {
        func probe(_ name: String, _ lon: Double, _ lat: Double, _ source: String?) throws -> EntityRules.DuplicateProbe {
            try #require(EntityRules.DuplicateProbe(name: name, geometry: .point(Position(lon: lon, lat: lat)), source: source))
        }
        let a = try probe("Детская площадка", 82.6300, 49.9560, "osm:node/1")
        // Two distinct OSM objects are two places.
        #expect(!EntityRules.areLikelyDuplicates(a, try probe("детская  площадка!", 82.6300, 49.95627, "osm:way/2")))
        // One OSM object twice, or an OSM object and a hand-added or spreadsheet entity, are likely one place.
        #expect(EntityRules.areLikelyDuplicates(a, try probe("Детская площадка", 82.6300, 49.95627, "osm:node/1")))
        #expect(EntityRules.areLikelyDuplicates(a, try probe("Детская площадка", 82.6300, 49.95627, nil)))
        #expect(EntityRules.areLikelyDuplicates(a, try probe("Детская площадка", 82.6300, 49.95627, "csv:list.csv#4")))
        let c = try probe("Совет дома", 82.6300, 49.9560, "csv:list.csv#2")
        #expect(EntityRules.areLikelyDuplicates(c, try probe("Совет дома", 82.6300, 49.95627, "csv:list.csv#3")))
        // Farther than 100 m, or another name: not duplicates.
        #expect(!EntityRules.areLikelyDuplicates(c, try probe("Совет дома", 82.6300, 49.9570, "csv:list.csv#3")))
        #expect(!EntityRules.areLikelyDuplicates(c, try probe("Совет двора", 82.6300, 49.9560, nil)))
        #expect(EntityRules.DuplicateProbe(name: "«—»", geometry: .point(Position(lon: 82.63, lat: 49.956)), source: nil) == nil)
    }

    @Test("validate's pairs: same name nearby, then the OSM exception, as two tests the rule is made of")
    func partsOfTheRule() throws {
        func probe(_ lat: Double, _ source: String?) throws -> EntityRules.DuplicateProbe {
            try #require(EntityRules.DuplicateProbe(name: "Детская площадка", geometry: .point(Position(lon: 82.63, lat: lat)),
                                                    source: source))
        }
        let node = try probe(49.9560, "osm:node/3411000101"), way = try probe(49.95627, "osm:way/412000101")
        #expect(EntityRules.shareNameNearby(node, way) && EntityRules.areDistinctOSMObjects(node, way))
        #expect(!EntityRules.areDistinctOSMObjects(node, try probe(49.95627, "osm:node/3411000101")))
        #expect(!EntityRules.areDistinctOSMObjects(node, try probe(49.95627, nil)))
        #expect(!EntityRules.shareNameNearby(node, try probe(49.9570, nil)))
    }

    @Test("every likely duplicate of a draft, for the store to remember beside which it was kept")
    func everyDuplicate() {
        func entity(_ id: Int, _ name: String, _ lat: Double) -> Entity {
            Entity(id: id, kind: "venue", name: name, themes: ["culture"], geometry: .point(Position(lon: 82.63, lat: lat)))
        }
        let entities = [entity(1, "Библиотека", 49.956), entity(2, "БИБЛИОТЕКА", 49.9562), entity(3, "Клуб", 49.956),
                        entity(4, "Библиотека", 49.96)]
        let found = EntityRules.likelyDuplicates(of: "библиотека", at: .point(Position(lon: 82.63, lat: 49.9561)), among: entities)
        #expect(found.map(\.id) == [1, 2])
        #expect(EntityRules.likelyDuplicates(of: "библиотека", at: .point(Position(lon: 82.63, lat: 49.9561)), among: entities,
                                             excluding: 1).map(\.id) == [2])
        #expect(EntityRules.likelyDuplicate(of: "библиотека", at: .point(Position(lon: 82.63, lat: 49.9561)), among: entities)?.id == 1)
    }

    @Test("outsideProblem says what checkLocation would refuse, without refusing, and words the swap hint as asked")
    func outsideProblem() throws {
        let city = District(id: "c", name: "Центр", geometry: .polygon(Polygon(outerRing: [
            Position(lon: 82.58, lat: 49.93), Position(lon: 82.66, lat: 49.93), Position(lon: 82.66, lat: 49.98),
            Position(lon: 82.58, lat: 49.98), Position(lon: 82.58, lat: 49.93)])))
        let rules = try EntityRules(info: DatasetInfo(name: "o", city: "Өскемен"), districts: [city])
        #expect(try rules.outsideProblem(.point(Position(lon: 82.6, lat: 49.95))) == nil)
        #expect(try rules.outsideProblem(.point(Position(lon: 82.6, lat: 49.925))) == nil)  // 556 m: within 1 km
        let far = try rules.outsideProblem(.point(Position(lon: 82.6, lat: 49.9)))
        #expect(far?.description == "lat 49.9, lon 82.6 is 3.3 km outside every district")
        let swapped = try rules.outsideProblem(.point(Position(lon: 49.95, lat: 82.6))) { "swap: \($0.y),\($0.x)" }
        #expect(swapped?.hint == "swap: 82.6,49.95")
    }
}
