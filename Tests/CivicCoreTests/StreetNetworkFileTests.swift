import CivicCore
import GeoValues
import Testing

@Suite("Street network file: one reader for network.geojson and loose --network files")
struct StreetNetworkFileTests {
    private func ways(_ text: String) throws -> [StreetWay] {
        try StreetNetworkFile.ways(in: Array(text.utf8), file: "streets.geojson")
    }

    @Test func readsWhatItWritesWithNodesNamesAndNumericOrder() throws {
        let original = [
            StreetWay(source: "osm:way/10", highway: "residential", name: "улица Казахстан",
                      nodes: ["5", "6"], positions: [Position(lon: 82.61, lat: 49.95), Position(lon: 82.62, lat: 49.95)]),
            StreetWay(source: "osm:way/9", highway: "footway", name: nil, nodes: nil,
                      positions: [Position(lon: 82.6, lat: 49.9), Position(lon: 82.6, lat: 49.91),
                                  Position(lon: 82.61, lat: 49.91)]),
        ]
        let text = StreetNetworkFile.text(of: original)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[1].hasPrefix("{\"type\":\"Feature\",\"properties\":{\"source\":\"osm:way/9\",\"highway\":\"footway\"}"))
        #expect(lines[2].contains("\"name\":\"улица Казахстан\",\"nodes\":[\"5\",\"6\"]"))
        #expect(try ways(text) == [original[1], original[0]])
    }

    @Test func aLooseFileGetsSourcesFromIdsOrPlacesAndSplitsMultiLineStrings() throws {
        let read = try ways("""
        {"type":"FeatureCollection","features":[
        {"type":"Feature","id":"A-7","properties":{"NAME":"Main"},"geometry":{"type":"LineString","coordinates":[[0,0],[0,1]]}},
        {"type":"Feature","properties":{"highway":"primary"},"geometry":{"type":"MultiLineString","coordinates":[[[1,0],[1,1]],[[2,0],[2,1]]]}}
        ]}
        """)
        #expect(read.map(\.source) == ["A-7", "features[1]#1", "features[1]#2"])
        #expect(read.map(\.highway) == [nil, "primary", "primary"])
        #expect(read[2].positions == [Position(lon: 2, lat: 0), Position(lon: 2, lat: 1)])
    }

    @Test func refusesWhatIsNotAStreetNamingTheFeature() throws {
        #expect(throws: CivicError.invalid(file: "streets.geojson", line: 2, place: "features[0]", field: "geometry",
                                           reason: "a street network holds LineStrings, found a Point",
                                           hint: "keep only the streets (e.g. ogr2ogr -nlt LINESTRING), or give an OSM file")) {
            try ways("{\"type\":\"FeatureCollection\",\"features\":[\n{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Point\",\"coordinates\":[0,0]}}\n]}")
        }
        #expect(throws: CivicError.self) {
            try ways("{\"type\":\"Feature\",\"properties\":{\"nodes\":[\"1\"]},\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[0,0],[0,1]]}}")
        }
        #expect(throws: CivicError.self) {
            try ways("{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[0,0]]}}")
        }
    }
}
