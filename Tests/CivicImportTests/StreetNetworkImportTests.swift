import CivicCore
import CivicImport
import CivicStore
import CivicTestSupport
import Foundation
import GeoValues
import Testing

/// The path of a fixture in the test bundle.
func fixturePath(_ name: String) throws -> String {
    try #require(Bundle.module.resourceURL?.appendingPathComponent("Fixtures/\(name)").path, "no resource folder")
}

/// What `streets.osm` holds, way by way (DESIGN §5b): 2001 residential, 2002 footway, 2003 primary,
/// 2006 service with access=private but foot=yes, 2010 a track in the steppe 60 km away, 2011 steps
/// on a bridge are walkable; 2004 motorway, 2005 service access=private, 2007 footway foot=no,
/// 2009 construction are not; 2008 residential misses node 1999; 2012/2013 are a park's outline.
enum StreetsFixture {
    static let walkable = ["osm:way/2001", "osm:way/2002", "osm:way/2003", "osm:way/2006", "osm:way/2010", "osm:way/2011"]
    static let notWalkable: Set<String> = ["osm:way/2004", "osm:way/2005", "osm:way/2007", "osm:way/2009"]
    /// In the dataset: all but the steppe track, more than 1 km from the city.
    static let inDataset = ["osm:way/2001", "osm:way/2002", "osm:way/2003", "osm:way/2006", "osm:way/2011"]
}

@Suite("the walkable ways of an OSM extract: the street network")
struct StreetNetworkImportTests {
    @Test("the walkable rule of DESIGN §5b, way by way; a way missing a node is skipped and counted")
    func walkableRule() throws {
        let extract = try OSMImport.read(try fixture("streets.osm"), path: "streets.osm")
        let extraction = StreetNetworkImport.ways(in: extract, file: "streets.osm")
        #expect(extraction.ways.map(\.source) == StreetsFixture.walkable)
        #expect(extraction.incomplete == 1)
        #expect(extraction.notWalkable == StreetsFixture.notWalkable)
        #expect(extraction.remarks == ["streets.osm: 1 walkable way skipped: some of their nodes are not in the file (the edge of the export)"])
        let prospect = try #require(extraction.ways.first { $0.source == "osm:way/2003" })
        #expect(prospect.highway == "primary" && prospect.name == "проспект Независимости")
        #expect(prospect.nodes == ["1010", "1002", "1005", "1006"])
        #expect(prospect.positions == [Position(lon: 82.6121, lat: 49.9544), Position(lon: 82.6124, lat: 49.9503),
                                       Position(lon: 82.6127, lat: 49.9482), Position(lon: 82.6131, lat: 49.9461)])
        #expect(extraction.ways.first { $0.source == "osm:way/2002" }?.name == nil)
    }

    @Test("the loose-file entry point reads XML, Overpass JSON and PBF alike")
    func looseFiles() throws {
        let (xml, remarks) = try StreetNetworkImport.ways(fromFile: try fixturePath("streets.osm"), displayName: "streets.osm")
        #expect(xml.map(\.source) == StreetsFixture.walkable)
        #expect(remarks.count == 1 && remarks[0].hasPrefix("streets.osm: 1 walkable way skipped"), "\(remarks)")
        for name in ["streets-overpass.json", "streets.osm.pbf", "streets.osm.gz", "streets.osm.bz2"] {
            let (ways, _) = try StreetNetworkImport.ways(fromFile: try fixturePath(name), displayName: name)
            #expect(ways == xml, "\(name)")
        }
    }

    @Test("a mapping file's \"walkable\" adds to, removes from or replaces the list")
    func mappingChangesTheList() throws {
        let extract = try OSMImport.read(try fixture("streets.osm"), path: "streets.osm")
        func walkable(_ json: String) throws -> [String] {
            let mapping = try OSMMapping(json: try JSON.parse(Array(json.utf8), file: "mapping.json"), file: "mapping.json",
                                         vocabulary: .standard)
            return StreetNetworkImport.ways(in: extract, file: "streets.osm", mapping: mapping).ways.map(\.source)
        }
        #expect(try walkable(#"{"rules": [], "walkable": {"add": ["motorway"], "remove": ["steps", "track"]}}"#)
                == ["osm:way/2001", "osm:way/2002", "osm:way/2003", "osm:way/2004", "osm:way/2006"])
        #expect(try walkable(#"{"rules": [], "walkable": ["footway"]}"#) == ["osm:way/2002"])
        // foot=no stays out whatever the list says.
        #expect(try walkable(#"{"rules": [], "walkable": ["footway", "construction"]}"#) == ["osm:way/2002", "osm:way/2009"])
        let error = civicError {
            _ = try OSMMapping(json: try JSON.parse(Array(#"{"rules": [], "walkable": {"plus": ["x"]}}"#.utf8), file: "m.json"),
                               file: "m.json", vocabulary: .standard)
        }
        #expect(error?.description == "m.json: root: walkable.plus: unknown member", "\(String(describing: error))")
        let notText = civicError {
            _ = try OSMMapping(json: try JSON.parse(Array(#"{"rules": [], "walkable": [1]}"#.utf8), file: "m.json"),
                               file: "m.json", vocabulary: .standard)
        }
        #expect(notText?.description.contains("expected highway values such as \"footway\", found") == true,
                "\(String(describing: notText))")
    }

    @Test("an import keeps the streets near the city with the entities, in one commit; a re-import updates them in place")
    func importAndReimport() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Oskemen.dataset(in: folder)
            let report = try DatasetImport.run(try osm("streets.osm"), into: dataset, options: ImportOptions())
            #expect(report.summary == "2 added, 0 updated, 0 unchanged, 11 skipped (11 not civic)")
            let network = try #require(report.network)
            #expect(network.summary == "5 streets (5 added, 2 skipped: 1 outside the city, 1 incomplete)")
            let state = try dataset.load(includeContacts: true, network: true)
            #expect(state.network?.map(\.source) == StreetsFixture.inDataset)
            #expect(Set(state.entities.map { $0.source ?? "" }) == ["osm:node/1011", "osm:relation/3001"])
            let journal = try dataset.journal()
            #expect(journal.last?.action == "import" && journal.last?.name == "network.geojson")
            #expect(journal.last?.changes["added"] == .number("5"), "\(String(describing: journal.last))")
            #expect(dataset.validate().problems.isEmpty)

            // The same file again: nothing changes, byte for byte.
            let before = snapshot(dataset.path)
            let again = try DatasetImport.run(try osm("streets.osm"), into: dataset, options: ImportOptions())
            #expect(again.network?.summary == "5 streets (2 skipped: 1 outside the city, 1 incomplete)")
            #expect(snapshot(dataset.path) == before)

            // A newer extract: the footway is closed to people on foot, the street renamed.
            var text = String(decoding: try fixture("streets.osm"), as: UTF8.self)
            text = text.replacingOccurrences(of: "<tag k=\"name\" v=\"улица Казахстан\"/>",
                                             with: "<tag k=\"name\" v=\"улица Қазақстан\"/>")
            text = text.replacingOccurrences(of: "<nd ref=\"1004\"/>\n    <tag k=\"highway\" v=\"footway\"/>",
                                             with: "<nd ref=\"1004\"/>\n    <tag k=\"highway\" v=\"footway\"/>\n    <tag k=\"foot\" v=\"no\"/>")
            let newer = OSMImport.batch(try OSMImport.read(Array(text.utf8), path: "streets-2025.osm"), path: "streets-2025.osm",
                                        language: "ru")
            let update = try DatasetImport.run(newer, into: dataset, options: ImportOptions())
            #expect(update.network?.summary == "4 streets (1 updated, 1 removed, 2 skipped: 1 outside the city, 1 incomplete)")
            let updated = try #require(try dataset.load(network: true).network)
            #expect(updated.map(\.source) == ["osm:way/2001", "osm:way/2003", "osm:way/2006", "osm:way/2011"])
            #expect(updated.first?.name == "улица Қазақстан")
        }
    }

    @Test("without the network (--no-network) an import leaves network.geojson alone")
    func noNetwork() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Oskemen.dataset(in: folder)
            let batch = OSMImport.batch(try OSMImport.read(try fixture("streets.osm"), path: "streets.osm"), path: "streets.osm",
                                        language: "ru", network: false)
            let report = try DatasetImport.run(batch, into: dataset, options: ImportOptions())
            #expect(report.network == nil)
            #expect(report.count(.add) == 2)
            #expect(!FileManager.default.fileExists(atPath: dataset.path + "/network.geojson"))
        }
    }

    @Test("the same data as OSM XML, Overpass JSON and PBF gives the same entities and network")
    func sameFromEveryFormat() throws {
        var results: [[String]] = []
        for name in ["streets.osm", "streets-overpass.json", "streets.osm.pbf"] {
            try withTemporaryDirectory { folder in
                let dataset = try Oskemen.dataset(in: folder)
                let extract = try OSMImport.read(fileAt: try fixturePath(name), displayName: "streets")
                let report = try DatasetImport.run(OSMImport.batch(extract, path: "streets", language: "ru"), into: dataset,
                                                   options: ImportOptions())
                #expect(report.network?.streets == 5, "\(name)")
                let state = try dataset.load(includeContacts: true, network: true)
                let entities = state.entities.map { e in
                    "\(e.source ?? "")|\(e.name)|\(e.names.sorted { $0.key < $1.key })|\(GeoJSONWriter.geometry(e.geometry))|\(state.contacts[e.id]?.phone ?? "")"
                }
                let network = try String(contentsOfFile: dataset.path + "/network.geojson", encoding: .utf8)
                results.append(entities + [network])
            }
        }
        #expect(results.count == 3)
        #expect(results[0] == results[1], "XML and Overpass JSON differ")
        #expect(results[0] == results[2], "XML and PBF differ")
    }
}
