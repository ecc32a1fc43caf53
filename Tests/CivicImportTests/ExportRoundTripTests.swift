import CivicCore
import CivicRules
import CivicStore
import CivicTestSupport
import Foundation
import GeoValues
import Testing
@testable import CivicImport

/// `civic export entities -o x.csv` then `civic import csv x.csv`, in process: the export's CSV
/// (``EntityListing``), read back by ``SpreadsheetImport`` and brought into a dataset by
/// ``DatasetImport``, as the two commands do. The command-line trip on the bundled city is in
/// CivicCLITests (ExportImportRoundTripTests); here a 40,000-entity city, built in Swift so the test
/// needs no Python and takes seconds.
@Suite("Export → import round trip")
struct ExportRoundTripTests {
    /// A city of `count` entities inside ``Oskemen/district``: points and, every 12th, an area (a
    /// square, or a square with a courtyard plus a second square); every 7th from OSM with
    /// `addr:*` and `opening_hours`; every 20th inactive; every 500th has a twin of its name 30 m
    /// away kept with `--allow-duplicate`, a few kept outside the city; cells that spreadsheets
    /// would take for formulas, `;`, quotes and line ends in the text; contacts for every 9th.
    static func city(_ count: Int) -> DatasetState {
        var random = SeededRandom(seed: 11)
        let themes = Vocabulary.standard.themes.map(\.id)
        let kinds = Vocabulary.standard.kinds.map(\.id)
        var entities: [Entity] = []
        var contacts: [Int: Contacts] = [:]
        var id = 0
        while entities.count < count {
            id += 1 + (id % 97 == 0 ? 1 : 0)  // a few ids removed long ago
            let lon = 82.51 + Double.random(in: 0..<0.23, using: &random)
            let lat = 49.89 + Double.random(in: 0..<0.12, using: &random)
            let round7 = { (v: Double) in (v * 1e7).rounded() / 1e7 }
            var geometry = Geometry.point(Position(lon: round7(lon), lat: round7(lat)))
            let n = entities.count
            if n % 12 == 5 {
                let d = 0.0005
                func square(_ x: Double, _ y: Double, _ s: Double) -> [Position] {
                    [Position(lon: round7(x), lat: round7(y)), Position(lon: round7(x + s), lat: round7(y)),
                     Position(lon: round7(x + s), lat: round7(y + s)), Position(lon: round7(x), lat: round7(y + s)),
                     Position(lon: round7(x), lat: round7(y))]
                }
                if n % 24 == 5 {
                    geometry = .polygon(Polygon(outerRing: square(lon, lat, d)))
                } else {
                    let courtyard = square(lon + d / 4, lat + d / 4, d / 4).reversed()
                    geometry = .multiPolygon([Polygon(outerRing: square(lon, lat, d), innerRings: [Array(courtyard)]),
                                              Polygon(outerRing: square(lon + 2 * d, lat, d))])
                }
            }
            var entity = Entity(
                id: id, kind: kinds[n % kinds.count], name: "Совет дома «Абая, \(n)»",
                themes: Array(Set((0..<(1 + n % 3)).map { themes[($0 * 5 + n) % themes.count] })).sorted(),
                status: n % 20 == 3 ? .inactive : .active, geometry: geometry)
            if n % 4 == 0 { entity.names = ["kk": "«Абай, \(n)» үй кеңесі", "ru": entity.name] }
            if n % 8 == 1 { entity.names["en"] = "House council \(n)" }
            if n % 5 == 0 { entity.description = ["Собрания по средам; \"чай\"", "-5 °C: дежурство\nвторая строка",
                                                  "=СУММ(A1)", "@все"][n / 5 % 4] }
            if n % 6 == 0 { entity.address = "ул. Абая, \(n % 300)" }
            if n % 11 == 0 { entity.website = "https://example.kz/\(n)" }
            if n % 7 == 0 {
                entity.source = "osm:\(["node", "way", "relation"][n % 3])/\(9_000_000_000 + n)"
                entity.extra = ["addr:street": "Абая", "addr:housenumber": "\(n % 200)",
                                "opening_hours": "Mo-Fr 09:00-18:00; Sa 10:00-14:00"]
            } else if n % 3 == 0 {
                entity.source = "csv:volunteers.csv#\(n + 2)"
            }
            entity.created = "2026-11-2\(n % 7)T10:00:00Z"
            entity.updated = entity.created
            if n % 9 == 0 { contacts[id] = Contacts(phone: "+7 777 \(100 + n % 900) 45 67", contactPerson: "Анна Ёлкина") }
            if n % 10_000 == 9 {
                entity.geometry = .point(Position(lon: 82.9, lat: round7(lat)))  // 10 km east of the district
                entity.allowed.outside = true
            }
            entities.append(entity)
            if n % 500 == 2, case .point(let p) = entity.geometry {
                id += 1
                var twin = entity
                twin.id = id
                twin.source = nil
                twin.extra = [:]
                twin.geometry = .point(Position(lon: p.x, lat: round7(p.y + 0.00027)))  // 30 m north
                twin.allowed = Allowances(duplicateOf: [entity.id])
                entities.append(twin)
            }
        }
        return DatasetState(info: DatasetInfo(name: "Гражданская карта", city: "Өскемен"), districts: [Oskemen.district],
                            entities: entities, contacts: contacts)
    }

    /// The entities as a dataset holds them, but for what the importing dataset gives (id, times)
    /// and the allowances, which are compared as pairs.
    static func publicFields(_ entity: Entity) -> String {
        var copy = entity
        copy.id = 0
        copy.created = nil
        copy.updated = nil
        copy.allowed.duplicateOf = []
        return GeoJSONWriter.feature(copy.feature)
    }

    static func keptPairs(_ entities: [Entity], renumber: [Int: Int] = [:]) -> Set<[Int]> {
        Set(entities.flatMap { e in e.allowed.duplicateOf.map { [renumber[e.id] ?? e.id, renumber[$0] ?? $0].sorted() } })
    }

    /// Exports `state`, imports the CSV into a fresh dataset of the same districts, and checks
    /// every entity came back whole; then imports it into `state` itself, which must not change.
    static func roundTrip(_ state: DatasetState, dialect: CSVDialect, includePrivate: Bool) throws {
        let listing = EntityListing(includePrivate: includePrivate, language: "ru", vocabulary: state.info.vocabulary)
        let csv = listing.csv(state.entities, contacts: state.contacts).csv(dialect)
        let batch = try SpreadsheetImport.batch(Array(csv.utf8), path: "entities.csv")
        #expect(batch.problems.isEmpty, "\(batch.problems.prefix(3))")
        #expect(batch.warnings.isEmpty, "\(batch.warnings)")

        var fresh = DatasetState(info: state.info, districts: state.districts)
        let (report, entries) = try DatasetImport.apply(batch, to: &fresh, options: ImportOptions(), now: "2026-11-28T00:00:00Z",
                                                        nextID: { ($0.entities.last?.id ?? 0) + 1 })
        #expect(report.problems.isEmpty, "\(report.problems.prefix(3))")
        #expect(report.summary == "\(state.entities.count) added, 0 updated, 0 unchanged, 0 skipped")
        #expect(entries.count == state.entities.count)
        try #require(fresh.entities.count == state.entities.count)
        var renumber: [Int: Int] = [:]
        var differing: [String] = []
        for (old, new) in zip(state.entities, fresh.entities) {
            renumber[old.id] = new.id
            if publicFields(old) != publicFields(new) { differing.append("\(publicFields(old))\n≠ \(publicFields(new))") }
        }
        #expect(differing.isEmpty, "\(differing.count) differ, first: \(differing.first ?? "")")
        #expect(keptPairs(fresh.entities) == keptPairs(state.entities, renumber: renumber))
        #expect(!keptPairs(state.entities).isEmpty && fresh.entities.contains { $0.allowed.outside })
        // The imported dataset passes the rules `validate` applies to near-duplicates.
        let duplicates = EntityRules.likelyDuplicates(of: fresh.entities[3].name, at: fresh.entities[3].geometry,
                                                      source: fresh.entities[3].source, among: fresh.entities)
        #expect(duplicates.allSatisfy { $0.id == fresh.entities[3].id || fresh.entities[3].isKeptBeside($0) })
        if includePrivate {
            let renumbered = Dictionary(uniqueKeysWithValues: state.contacts.map { (renumber[$0.key] ?? 0, $0.value) })
            #expect(fresh.contacts == renumbered)
        } else {
            #expect(fresh.contacts.isEmpty)
        }

        // Into the dataset it came from: every row finds its entity, nothing changes.
        var same = state
        let (again, changes) = try DatasetImport.apply(batch, to: &same, options: ImportOptions(), now: "2026-11-28T00:00:00Z",
                                                       nextID: { ($0.entities.last?.id ?? 0) + 1 })
        #expect(again.summary == "0 added, 0 updated, \(state.entities.count) unchanged, 0 skipped")
        #expect(changes.isEmpty && same == state)
    }

    @Test("a small city comes back whole in both CSV dialects, contacts only when exported")
    func small() throws {
        let state = Self.city(1_200)
        try Self.roundTrip(state, dialect: .rfc4180, includePrivate: false)
        try Self.roundTrip(state, dialect: .excel, includePrivate: true)
    }

    @Test("a 40,000-entity city comes back whole: areas, kept properties, sources, allowed duplicates")
    func fortyThousand() throws {
        let state = Self.city(40_000)
        #expect(state.entities.count >= 40_000)
        try Self.roundTrip(state, dialect: .excel, includePrivate: false)
    }

    @Test("WKT and lat/lon that disagree, a bad WKT and bad allowances are refused by line")
    func refusals() throws {
        let header = "id,name,kind,themes,geometry_type,lat,lon,geometry_wkt,allow_outside,allow_duplicate_of,source\n"
        let rows = [
            "1,Парк,venue,culture,Point,49.95,82.6,POINT (82.6 49.95),,,osm:way/1",
            "2,Сквер,venue,culture,Point,49.95,82.7,POINT (82.6 49.95),,,",
            "3,Двор,venue,culture,Polygon,,,\"POLYGON ((82.6 49.95, 82.61 49.95))\",,,",
            "4,Клуб,venue,culture,Point,,,LINESTRING (82.6 49.95),,,",
            "5,Клуб 2,venue,culture,Point,49.95,82.6,,maybe,,",
            "6,Клуб 3,venue,culture,Point,49.95,82.6,,,one,",
            "7,Только WKT,venue,culture,,,,\"POLYGON ((82.6 49.95, 82.601 49.95, 82.601 49.951, 82.6 49.95))\",,,",
        ]
        let batch = try SpreadsheetImport.batch(Array((header + rows.joined(separator: "\n")).utf8), path: "e.csv")
        #expect(batch.problems.map(\.description) == [
            "e.csv:3: lat/lon 49.95 82.7 is not where geometry_wkt puts the entity (49.95 82.6)",
            "e.csv:5: geometry_wkt: LINESTRING is not an entity's geometry (POINT, POLYGON or MULTIPOLYGON) at character 1",
            "e.csv:6: allow_outside 'maybe' is neither true nor false",
            "e.csv:7: allow_duplicate_of 'one' is not a list of entity ids",
        ])
        #expect(batch.candidates.map(\.draft.name) == ["Парк", "Двор", "Только WKT"])
        #expect(batch.candidates[0].draft.source == "osm:way/1" && batch.candidates[0].statesSource)
        // Civic's export: an empty source stays empty.
        #expect(batch.candidates[2].draft.source == nil)
        guard case .polygon = batch.candidates[2].draft.geometry else {
            Issue.record("not a polygon: \(batch.candidates[2].draft.geometry)")
            return
        }
        // A ring of two positions is read; the store's shape rule refuses it when the row is imported.
        var state = DatasetState(info: DatasetInfo(name: "т", city: "Өскемен"), districts: [Oskemen.district])
        let (report, _) = try DatasetImport.apply(batch, to: &state, options: ImportOptions(), now: "2026-11-28T00:00:00Z",
                                                  nextID: { ($0.entities.last?.id ?? 0) + 1 })
        #expect(report.problems.count == 5 && report.problems.last?.line == 4, "\(report.problems)")
    }

    @Test("a volunteer's sheet is not civic's export: its unknown columns are named, not imported; its rows get csv: sources")
    func volunteersSheet() throws {
        let text = "name;kind;lat;lon;themes;Заметки;source\nБиблиотека;venue;49,95;82,6;culture;звонить после 18;\nКлуб;venue;49,96;82,6;youth;;osm:node/5\n"
        let batch = try SpreadsheetImport.batch(Array(text.utf8), path: "volunteers.csv")
        #expect(batch.warnings == ["volunteers.csv: column not imported: «Заметки»"])
        #expect(batch.candidates.map(\.draft.extra) == [[:], [:]])
        #expect(batch.candidates.map(\.draft.source) == ["csv:volunteers.csv#2", "osm:node/5"])
    }
}
