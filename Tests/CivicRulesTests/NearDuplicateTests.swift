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
}
