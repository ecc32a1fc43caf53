import CivicCore
@testable import CivicStore
import CivicTestSupport
import Foundation
import GeoValues
import Testing

/// Small networks whose figures are worked out by hand: along a meridian the haversine length is
/// exactly R·Δφ, so 0.01° of latitude is 6,371,008.8 × π/180 × 0.01 = 1,111.95 m; along a parallel
/// at φ it is 2R·asin(cos φ · sin(Δλ/2)).
enum Streets {
    static let metresPerHundredthOfLatitude = 6_371_008.8 * Double.pi / 180 * 0.01

    static func p(_ lon: Double, _ lat: Double) -> Position { Position(lon: lon, lat: lat) }

    /// Three ways in a chain along 82.62°E: two share OSM node 2, the third (drawn, no node ids)
    /// meets node 3 by its coordinates. Inside the sample district «Защита».
    static let chain = [
        StreetWay(source: "osm:way/10", highway: "residential", name: "улица Бажова", nodes: ["1", "2"],
                  positions: [p(82.62, 49.94), p(82.62, 49.95)]),
        StreetWay(source: "osm:way/9", highway: "footway", nodes: ["2", "3"],
                  positions: [p(82.62, 49.95), p(82.62, 49.96)]),
        StreetWay(source: "drawn:1", highway: "path", positions: [p(82.62, 49.96), p(82.62, 49.97)]),
    ]

    /// A bridge crossing the chain's first way between 49.94 and 49.95 without a shared node: its
    /// own piece.
    static let bridge = StreetWay(source: "osm:way/77", highway: "primary", name: "Ульбинский мост", nodes: ["70", "71"],
                                  positions: [p(82.615, 49.945), p(82.625, 49.945)])

    static var bridgeMetres: Double {
        let φ = 49.945 * Double.pi / 180, Δλ = 0.01 * Double.pi / 180
        return 2 * 6_371_008.8 * asin(cos(φ) * sin(Δλ / 2))
    }

    static func write(_ text: String, to dataset: Dataset) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: dataset.path + "/network.geojson"))
    }
}

@Suite("the street network in the dataset: network.geojson")
struct NetworkStoreTests {
    @Test("size and pieces by the vertex rule: shared node ids, else equal coordinates; a bridge without a shared node is apart")
    func summaryByHand() {
        let chain = NetworkSummary(Streets.chain)
        #expect(chain.ways == 3)
        #expect(chain.nodes == 4, "nodes 1, 2, 3 and the drawn end; the drawn start is node 3")
        #expect(chain.pieces == 1)
        #expect(abs(chain.lengthMetres - 3 * Streets.metresPerHundredthOfLatitude) < 1e-6, "\(chain.lengthMetres)")
        #expect(chain.largestPieceShare == 1)

        let crossed = NetworkSummary(Streets.chain + [Streets.bridge])
        #expect(crossed.nodes == 6)
        #expect(crossed.pieces == 2)
        #expect(abs(crossed.lengthMetres - (3 * Streets.metresPerHundredthOfLatitude + Streets.bridgeMetres)) < 1e-6)
        #expect(abs(crossed.largestPieceMetres - 3 * Streets.metresPerHundredthOfLatitude) < 1e-6)
        #expect(abs(Streets.bridgeMetres - 715.6) < 0.5, "\(Streets.bridgeMetres)")

        // Without node ids, the same positions at 7 decimals are one vertex; 8th-decimal noise is not another.
        let drawn = NetworkSummary([
            StreetWay(source: "a", positions: [Streets.p(82.62, 49.94), Streets.p(82.62, 49.95)]),
            StreetWay(source: "b", positions: [Streets.p(82.62000000004, 49.95), Streets.p(82.63, 49.95)]),
        ])
        #expect(drawn.nodes == 3 && drawn.pieces == 1)
    }

    @Test("written through a transaction, sorted by source, read only when asked, rewritten only when it changes")
    func writeAndRead() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Sample.dataset(in: folder)
            try dataset.update(includeNetwork: true) { state, journal in
                #expect(state.network == nil, "a dataset without network.geojson has no network")
                state.network = Streets.chain
                journal.append(JournalEntry(action: "import", name: "network.geojson"))
            }
            let text = try String(contentsOfFile: dataset.path + "/network.geojson", encoding: .utf8)
            let lines = text.split(separator: "\n")
            #expect(lines.count == 5, "\(text)")
            #expect(lines[1].contains("\"source\":\"drawn:1\""), "\(text)")
            #expect(lines[2].contains("\"source\":\"osm:way/9\"") && lines[3].contains("\"source\":\"osm:way/10\""),
                    "osm:way/9 before osm:way/10: \(text)")
            #expect(lines[3].contains("\"nodes\":[\"1\",\"2\"]") && lines[3].contains("\"name\":\"улица Бажова\""))

            #expect(try dataset.load().network == nil, "a reading that does not ask does not read it")
            let read = try #require(try dataset.load(network: true).network)
            #expect(read.map(\.source) == ["drawn:1", "osm:way/9", "osm:way/10"])
            #expect(Set(read) == Set(Streets.chain))

            // The same ways in another order change nothing: no write, no journal line.
            let before = snapshot(dataset.path)
            let networkInode = inode(dataset.path + "/network.geojson")
            try dataset.update(includeNetwork: true) { state, _ in state.network = Streets.chain.reversed() }
            #expect(snapshot(dataset.path) == before)
            #expect(inode(dataset.path + "/network.geojson") == networkInode, "not rewritten")

            // An update that does not read the network leaves it alone.
            try add("Совет дома", to: dataset)
            #expect(try dataset.load(network: true).network.map(Set.init) == Set(Streets.chain))
        }
    }

    @Test("a network a change sets is checked like the file: no write when a way has one position repeated")
    func refusedNetworkChangesNothing() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Sample.dataset(in: folder)
            try dataset.update(includeNetwork: true) { state, _ in state.network = Streets.chain }
            let before = snapshot(dataset.path)
            let stuck = StreetWay(source: "osm:way/5", highway: "service", nodes: ["5", "5"],
                                  positions: [Streets.p(82.62, 49.95), Streets.p(82.62, 49.95)])
            let error = #expect(throws: CivicError.self) {
                try dataset.update(includeNetwork: true) { state, _ in state.network?.append(stuck) }
            }
            #expect(error?.description.contains("osm:way/5: a street needs at least two distinct positions") == true,
                    "\(String(describing: error))")
            let twice = #expect(throws: CivicError.self) {
                try dataset.update(includeNetwork: true) { state, _ in state.network?.append(Streets.chain[0]) }
            }
            #expect(twice?.description.contains("'osm:way/10' is used twice") == true, "\(String(describing: twice))")
            #expect(snapshot(dataset.path) == before)
        }
    }

    @Test("the network read beside the entities: their problem still comes first, each file counts in its own order")
    func readAlongsideTheEntities() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Sample.dataset(in: folder)
            // Enough entities and ways for both files to report in the middle while they are read at once.
            let count = 2 * GeoJSONReader.progressStride + 100
            try dataset.update { state, journal in
                for n in 0..<count {
                    let id = try dataset.nextEntityID(in: state)
                    state.entities.append(Sample.entity(id: id, name: "Двор \(id)", lon: 82.551 + Double(n % 200) * 0.0004,
                                                        lat: 49.931 + Double(n / 200) * 0.0004))
                }
                state.network = (0..<count).map { n in
                    let lon = 82.551 + Double(n % 200) * 0.0004, lat = 49.931 + Double(n / 200) * 0.0004
                    return StreetWay(source: "osm:way/\(n + 1)", highway: "residential", nodes: ["\(2 * n + 1)", "\(2 * n + 2)"],
                                     positions: [Streets.p(lon, lat), Streets.p(lon + 0.0003, lat)])
                }
                journal.append(JournalEntry(action: "import", id: nil, name: "grid", changes: JSONObject()))
            }
            var reports: [ReadingProgress] = []
            let state = try dataset.load(network: true, progress: { reports.append($0) })
            #expect(state.entities.count == count && state.network?.count == count)
            let stride = GeoJSONReader.progressStride
            for name in ["entities.geojson", "network.geojson"] {
                let own = reports.filter { $0.file == name }
                let expected = [stride, 2 * stride, count].map { ReadingProgress(file: name, stage: .reading, done: $0) }
                    + [0, stride, 2 * stride, count].map { ReadingProgress(file: name, stage: .checking, done: $0, total: count) }
                #expect(own == expected, "\(name): \(own)")
            }
            #expect(reports.count == 14)

            // A broken entities file and a broken network: the entities' error, every time, however
            // quickly the network fails.
            let entities = try String(contentsOfFile: dataset.path + "/entities.geojson", encoding: .utf8)
            try Data(entities.prefix(200).utf8).write(to: URL(fileURLWithPath: dataset.path + "/entities.geojson"))
            try Streets.write(#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"source":"x"},"geometry":{"type":"Point","coordinates":[82.6,49.9]}}]}"#,
                              to: dataset)
            for _ in 0..<20 {
                let error = #expect(throws: CivicError.self) { try dataset.load(network: true) }
                #expect(error?.description.contains("entities.geojson") == true, "\(String(describing: error))")
            }
            // With good entities, the network's own first problem.
            try Data(entities.utf8).write(to: URL(fileURLWithPath: dataset.path + "/entities.geojson"))
            let network = #expect(throws: CivicError.self) { try dataset.load(network: true) }
            #expect(network?.description.contains("network.geojson:1: features[0]: geometry: a street network holds LineStrings, found a Point") == true,
                    "\(String(describing: network))")
        }
    }

    @Test("validate lists every bad way with its line; a command that reads the network stops at the first; list and add never read it")
    func everyProblem() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Sample.dataset(in: folder)
            try add("Совет дома", to: dataset)
            try Streets.write("""
                {"type":"FeatureCollection","features":[
                {"type":"Feature","properties":{"source":"osm:way/1","highway":"residential"},"geometry":{"type":"LineString","coordinates":[[82.62,49.94],[82.62,49.95]]}},
                {"type":"Feature","properties":{"source":"osm:way/2","highway":"footway"},"geometry":{"type":"Point","coordinates":[82.62,49.95]}},
                {"type":"Feature","properties":{"source":"osm:way/3","highway":"service"},"geometry":{"type":"LineString","coordinates":[[82.62,49.95],[82.62,49.95]]}},
                {"type":"Feature","properties":{"source":"osm:way/1","highway":"path"},"geometry":{"type":"LineString","coordinates":[[82.63,49.94],[82.63,49.95]]}},
                {"type":"Feature","properties":{"source":"osm:way/6","nodes":["1"]},"geometry":{"type":"LineString","coordinates":[[82.62,49.94],[82.63,49.95]]}}
                ]}

                """, to: dataset)
            let validation = dataset.validate()
            let descriptions = validation.problems.map(\.description)
            #expect(descriptions.count == 4, "\(descriptions)")
            #expect(descriptions.allSatisfy { $0.contains("network.geojson:") }, "\(descriptions)")
            let expected = [
                ":3: features[1]: geometry: a street network holds LineStrings, found a Point",
                ":4: features[2]: geometry: a street needs at least two distinct positions; all 2 are one",
                ":5: features[3]: source: duplicate source 'osm:way/1': features[0] has it too",
                ":6: features[4]: nodes: must list one node id per position",
            ]
            for (description, part) in zip(descriptions, expected) {
                #expect(description.contains(part), "\(description) should contain \(part)")
            }
            let first = #expect(throws: CivicError.self) { try dataset.load(network: true) }
            #expect(first?.description == validation.problems.first?.description)
            #expect(try dataset.load().entities.count == 1)
            try add("Ещё один совет", to: dataset)

            // A position out of range is refused by the GeoJSON reader itself, naming it.
            try Streets.write("""
                {"type":"FeatureCollection","features":[
                {"type":"Feature","properties":{"source":"osm:way/4"},"geometry":{"type":"LineString","coordinates":[[82.62,49.95],[182.62,49.95]]}}
                ]}

                """, to: dataset)
            let range = dataset.validate().problems.map(\.description)
            #expect(range.count == 1 && range[0].contains("network.geojson:2: features[0]")
                    && range[0].contains("longitude 182.62 is outside -180…180"), "\(range)")
        }
    }

    @Test("validate says the size and pieces; many pieces and ways far from every district are warnings that do not fail it")
    func findings() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Sample.dataset(in: folder)
            try dataset.update(includeNetwork: true) { state, _ in state.network = Streets.chain }
            let clean = dataset.validate()
            #expect(clean.problems.isEmpty, "\(clean.problems)")
            #expect(clean.warnings.isEmpty, "\(clean.warnings)")
            #expect(clean.notes.contains { $0.hasSuffix("network.geojson: 3 ways, 4 nodes, 3.3 km, in 1 connected piece") },
                    "\(clean.notes)")

            // 3.34 km in the chain, 0.72 km of bridge and 2.2 km far away in the steppe: the chain holds 53 %.
            let far = StreetWay(source: "osm:way/500", highway: "track", nodes: ["500", "501"],
                                positions: [Streets.p(83.5, 50.3), Streets.p(83.5, 50.32)])
            try dataset.update(includeNetwork: true) { state, _ in state.network = Streets.chain + [Streets.bridge, far] }
            let partial = dataset.validate()
            #expect(partial.problems.isEmpty, "\(partial.problems)")
            #expect(partial.warnings.count == 2, "\(partial.warnings)")
            #expect(partial.warnings.contains { $0.contains("the largest connected piece holds only 53% of the length (3 pieces)") },
                    "\(partial.warnings)")
            #expect(partial.warnings.contains { $0.contains("1 of 5 ways lie wholly more than 1 km from every district (osm:way/500 (line 6))") },
                    "\(partial.warnings)")
            #expect(partial.notes.contains { $0.hasSuffix("5 ways, 8 nodes, 6.3 km, in 3 connected pieces") }, "\(partial.notes)")
        }
    }
}
