import CivicCore
import CivicTestSupport
import GeoEngine
import GeoValues
import Testing
@testable import CivicAnalysis

/// Walking coverage (DESIGN §5b) on small networks drawn in metres, each covered area worked out by
/// hand. R = 500 m, A = 100 m: a place reached with d ≤ R − A = 400 m covers a 64-gon of radius
/// 100 m; beyond it the radius shrinks as fast as one walks, so along a street drawn on an axis
/// (a direction of a 64-gon's vertex) those pieces lie inside the last full 64-gon. Every region is
/// then a union of "capsules": the hull of two 64-gons of radius r whose centres lie L apart on an
/// axis, of area a64(r) + 2 r L.
@Suite("Walking coverage: networks computed by hand")
struct WalkCoverageTests {
    let radius = 500.0
    let offStreet = 100.0
    var a64: Double { reachArea(100) }

    func capsule(_ length: Double, _ r: Double = 100) -> Double { reachArea(r) + 2 * r * length }

    /// A street through the given points (metres), with node ids when given.
    func street(_ id: String, _ points: [(Double, Double)], nodes: [String]? = nil) throws -> StreetWay {
        let line = try Metres.wgs84(.lineString(points.map { Position(x: $0.0, y: $0.1) }))
        guard case .lineString(let positions) = line else { throw CivicError.refused(reason: "not a line") }
        return StreetWay(source: "osm:way/\(id)", highway: "residential", nodes: nodes, positions: positions)
    }

    func measure(_ districts: [District], _ entities: [Entity], _ ways: [StreetWay], residents: [Residents]? = nil,
                 walking: Bool = true) async throws -> CoverageReport {
        var request = CoverageRequest(districts: districts, entities: entities, residents: residents, radius: radius)
        if walking { request.walk = WalkSettings(network: ways, offStreet: offStreet) }
        return try await request.coverage()
    }

    var square: District { get throws { try Metres.district("a", [Metres.box(-2000, -2000, 2000, 2000)]) } }

    @Test("a straight street: a capsule 800 m long, the entity at its middle")
    func straightStreet() async throws {
        let ways = [try street("1", [(-1000, 0), (-300, 0), (1000, 0)])]
        let report = try await measure([try square], [Metres.entity(1, try Metres.point(0, 0))], ways)
        let a = report.districts[0]
        #expect(close(a.covered, capsule(800), 0.01), "covered \(a.covered), by hand \(capsule(800))")
        #expect(a.entities == 1)
        #expect(report.walk?.offStreet == 100 && report.walk?.entitiesAwayFromStreets == 0)
        #expect(report.json.objectValue?["mode"] == .string("walk"))
        #expect(report.json.objectValue?["off_street_m"] == .number("100"))
    }

    @Test("a T junction: three arms of 400 m of full reach")
    func tJunction() async throws {
        let ways = [try street("1", [(-1000, 0), (0, 0), (1000, 0)]), try street("2", [(0, 0), (0, 1000)])]
        let report = try await measure([try square], [Metres.entity(1, try Metres.point(0, 0))], ways)
        // The horizontal capsule, and above it the vertical arm: a 200 × 300 m band and half a 64-gon.
        let byHand = capsule(800) + 200 * 300 + a64 / 2
        #expect(close(report.districts[0].covered, byHand, 0.01), "covered \(report.districts[0].covered), by hand \(byHand)")
    }

    @Test("a dead end stops the reach: 300 m of street, all of it within 400 m")
    func deadEnd() async throws {
        let ways = [try street("1", [(0, 0), (300, 0)])]
        let report = try await measure([try square], [Metres.entity(1, try Metres.point(0, 0))], ways)
        #expect(close(report.districts[0].covered, capsule(300), 0.01))
    }

    @Test("two parallel streets 300 m apart, joined only at their ends: the other street is 800 m away on foot")
    func parallelStreets() async throws {
        let ways = [try street("1", [(0, 0), (1000, 0)]), try street("2", [(0, 300), (1000, 300)]),
                    try street("3", [(0, 0), (0, 300)]), try street("4", [(1000, 0), (1000, 300)])]
        let residents = [Residents(geometry: try Metres.point(500, 300), count: 100),
                         Residents(geometry: try Metres.point(500, 50), count: 50)]
        let entities = [Metres.entity(1, try Metres.point(500, 0))]
        let walking = try await measure([try square], entities, ways, residents: residents)
        #expect(close(walking.districts[0].covered, capsule(800), 0.01), "covered \(walking.districts[0].covered)")
        #expect(walking.districts[0].coveredPopulation == 50)
        let straight = try await measure([try square], entities, ways, residents: residents, walking: false)
        #expect(straight.districts[0].coveredPopulation == 150)
        #expect(close(straight.districts[0].covered, reachArea(500), 0.01))
    }

    @Test("a river crossed by one bridge: the far bank is reached only over it")
    func bridgeOverRiver() async throws {
        // Banks at x = −200 and x = 200, the river between; the bridge at y = 600 (far) or y = 100 (near).
        let west = try Metres.district("west", [Metres.box(-2000, -2000, 0, 2000)])
        let east = try Metres.district("east", [Metres.box(0, -2000, 2000, 2000)])
        let entities = [Metres.entity(1, try Metres.point(-200, 0))]
        func network(bridgeAt y: Double) throws -> [StreetWay] {
            [try street("1", [(-200, -1000), (-200, y), (-200, 1000)]),
             try street("2", [(200, -1000), (200, y), (200, 1000)]),
             try street("3", [(-200, y), (200, y)])]
        }
        let far = try await measure([west, east], entities, try network(bridgeAt: 600))
        #expect(close(try #require(far.district("west")).covered, capsule(800), 0.01))
        #expect(try #require(far.district("east")).covered == 0)
        #expect(far.district("west")?.entities == 1 && far.district("east")?.entities == 0)
        let straight = try await measure([west, east], entities, try network(bridgeAt: 600), walking: false)
        #expect(try #require(straight.district("east")).covered > 100_000)
        // Bridge at y = 100: 300 m of it within 400 m, so the east bank gets x ∈ [0, 100] × [0, 200]
        // and half a 64-gon round (100, 100); the east street is reached at d = R exactly, with nothing left.
        let near = try await measure([west, east], entities, try network(bridgeAt: 100))
        #expect(close(try #require(near.district("west")).covered, capsule(800) + 100 * 200, 0.01))
        #expect(close(try #require(near.district("east")).covered, 100 * 200 + a64 / 2, 0.01),
                "east \(near.district("east")?.covered ?? -1), by hand \(100 * 200 + a64 / 2)")
    }

    @Test("a bridge passing over a street without a shared node does not connect to it")
    func bridgeWithoutSharedNode() async throws {
        let road = try street("1", [(-1000, 0), (1000, 0)], nodes: ["1", "2"])
        let over = try street("2", [(0, -1000), (0, 1000)], nodes: ["3", "4"])
        let entities = [Metres.entity(1, try Metres.point(-100, 0))]
        let apart = try await measure([try square], entities, [road, over])
        #expect(close(apart.districts[0].covered, capsule(800), 0.01), "covered \(apart.districts[0].covered)")
        // The same streets meeting at a shared node (5): the cross street adds two arms of 300 m.
        let crossing = [try street("1", [(-1000, 0), (0, 0), (1000, 0)], nodes: ["1", "5", "2"]),
                        try street("2", [(0, -1000), (0, 0), (0, 1000)], nodes: ["3", "5", "4"])]
        let met = try await measure([try square], entities, crossing)
        let byHand = capsule(800) + 2 * (200 * 200) + a64
        #expect(close(met.districts[0].covered, byHand, 0.01), "covered \(met.districts[0].covered), by hand \(byHand)")
    }

    @Test("a park with a street through it joins the street where it crosses the park, at cost 0")
    func polygonWithStreetInside() async throws {
        let park = try Metres.wgs84(.polygon(Metres.box(-100, -100, 100, 100)))
        let ways = [try street("1", [(-1000, 0), (1000, 0)])]
        let report = try await measure([try square], [Metres.entity(1, park)], ways)
        // The street within 400 m of the park's edge: x ∈ [−500, 500]; the park buffered by 100 m
        // (a 200 m square grown by 100 m with 64-gon corners) adds what lies above and below the street's band.
        let buffered = 200.0 * 200 + 4 * 200 * 100 + a64
        let byHand = capsule(1000) + buffered - 400 * 200
        #expect(close(report.districts[0].covered, byHand, 0.05), "covered \(report.districts[0].covered), by hand \(byHand)")
        #expect(report.districts[0].entities == 1)
    }

    @Test("an entity farther than the allowance from every street covers its surroundings and reaches the street late")
    func awayFromStreets() async throws {
        let ways = [try street("1", [(-1000, 0), (1000, 0)])]
        let report = try await measure([try square], [Metres.entity(1, try Metres.point(0, 450))], ways)
        // Its own 64-gon of 100 m, and at the street (d = 450) a 64-gon of 50 m.
        #expect(close(report.districts[0].covered, a64 + reachArea(50), 0.01), "covered \(report.districts[0].covered)")
        #expect(report.walk?.entitiesAwayFromStreets == 1)
    }

    @Test("an allowance beyond the radius is refused")
    func allowanceBeyondRadius() async throws {
        var request = CoverageRequest(districts: [try square], entities: [], radius: 50)
        request.walk = WalkSettings(network: [], offStreet: 100)
        await #expect(throws: CivicError.self) { try await request.coverage() }
    }

    @Test("vertices: node ids where both ways have them, else coordinates at 7 decimals")
    func vertexRule() throws {
        let transform = try CoordinateTransform(from: "EPSG:4326", to: "EPSG:\(Metres.epsg)")
        let a = try street("1", [(0, 0), (100, 0)], nodes: ["1", "2"])
        let b = try street("2", [(100, 0), (200, 0)], nodes: ["3", "4"])       // same place, another node
        let c = try street("3", [(100, 0), (100, 100)])                          // no ids: joins by coordinates
        let network = try WalkNetwork(ways: [a, b, c], transform: transform)
        #expect(network.vertexCount == 5)
        #expect(network.edgeCount == 3)
        let joined = try WalkNetwork(ways: [a, try street("2", [(100, 0), (200, 0)], nodes: ["2", "4"])], transform: transform)
        #expect(joined.vertexCount == 3)
    }

    @Test("the distance along an edge: the least of its ends and of the joins on it, cut where r changes slope")
    func pieces() throws {
        let transform = try CoordinateTransform(from: "EPSG:4326", to: "EPSG:\(Metres.epsg)")
        let network = try WalkNetwork(ways: [try street("1", [(0, 0), (1000, 0)])], transform: transform)
        let joins = network.join(point: Position(x: Metres.origin.x + 300, y: Metres.origin.y + 20))
        #expect(joins.count == 1 && abs(joins[0].offset - 300) < 1e-6 && abs(joins[0].cost - 20) < 1e-6)
        let d = network.distances(joins: joins, vertexSeeds: [], limit: radius)
        #expect(abs(d[0] - 320) < 1e-6 && d[1] == .infinity)
        let pieces = network.pieces(distances: d, joins: joins, radius: radius, offStreet: offStreet)
        // d = 20 + |s − 300|: full reach for s ∈ [−80 → 0, 680], tapering to s = 780.
        let full = pieces.filter { $0.ra == 100 && $0.rb == 100 }
        #expect(full.count == 1)
        let length = full.map { Planar.distance($0.a, $0.b) }.reduce(0, +)
        #expect(abs(length - 680) < 1e-6, "full reach \(length) m")
        #expect(pieces.allSatisfy { $0.ra <= 100 && $0.rb <= 100 })
    }
    @Test("pieces cut edge range by edge range, put end to end, are the pieces of the whole network in order")
    func piecesByEdgeRange() throws {
        let transform = try CoordinateTransform(from: "EPSG:4326", to: "EPSG:\(Metres.epsg)")
        // A 7 × 7 grid of 150 m blocks with two entities: many edges, some reached from both ends,
        // some from joins in their middle, some cut by R − A and R.
        var ways: [StreetWay] = []
        for k in 0..<7 {
            let c = Double(k) * 150
            ways.append(try street("h\(k)", (0..<7).map { (Double($0) * 150, c) }))
            ways.append(try street("v\(k)", (0..<7).map { (c, Double($0) * 150) }))
        }
        let network = try WalkNetwork(ways: ways, transform: transform)
        let joins = network.join(point: Position(x: Metres.origin.x + 230, y: Metres.origin.y + 310))
            + network.join(point: Position(x: Metres.origin.x + 800, y: Metres.origin.y + 75))
        let d = network.distances(joins: joins, vertexSeeds: [], limit: radius)
        let whole = network.pieces(distances: d, joins: joins, radius: radius, offStreet: offStreet)
        let byEdge = WalkNetwork.joinsByEdge(joins, radius: radius)
        #expect(network.edgeCount == 84 && whole.count > 40, "\(network.edgeCount) edges, \(whole.count) pieces")
        for size in [1, 5, 13, 84] {
            let ranges = stride(from: 0, to: network.edgeCount, by: size).map { $0..<min(network.edgeCount, $0 + size) }
            let joined = ranges.flatMap {
                network.pieces(distances: d, joinsByEdge: byEdge, radius: radius, offStreet: offStreet, edges: $0)
            }
            #expect(joined == whole, "ranges of \(size) edges")
        }
    }
}

@Suite("Walking coverage: the comparison and the network file")
struct WalkComparisonTests {
    @Test("the comparison's overstatement is straight minus walking, district by district and for the city")
    func overstatement() async throws {
        let square = try Metres.district("a", [Metres.box(-2000, -2000, 2000, 2000)], population: 1000)
        let line = try Metres.wgs84(.lineString([Position(x: -1000, y: 0), Position(x: 1000, y: 0)]))
        guard case .lineString(let positions) = line else { throw CivicError.refused(reason: "not a line") }
        var request = CoverageRequest(districts: [square], entities: [Metres.entity(1, try Metres.point(0, 0))], radius: 500)
        let straight = try await request.coverage()
        request.walk = WalkSettings(network: [StreetWay(source: "osm:way/1", positions: positions)])
        let walking = try await request.coverage()
        let comparison = try CoverageComparison(straight: straight, walking: walking)
        let row = comparison.districts[0]
        // By hand: a 64-gon of 500 m against a capsule of 800 m with 64-gon ends of 100 m.
        let byHand = reachArea(500) - (reachArea(100) + 2 * 100 * 800)
        #expect(close(row.overstated, byHand, 0.01), "overstated \(row.overstated), by hand \(byHand)")
        #expect(close(row.overstatedShare, byHand / 16e6, 1e-9))
        #expect(close(row.overstatedPopulation ?? -1, 1000 * byHand / 16e6, 1e-6))
        #expect(close(comparison.city.overstated, byHand, 0.01))
        let json = comparison.json.objectValue
        #expect(json?["mode"] == .string("compare") && json?["off_street_m"] == .number("100"))
        let kk = comparison.table(language: "kk").table()
        #expect(kk.contains("жаяу қамту") && kk.contains("қала"), "\(kk)")
        #expect(throws: CivicError.self) { try CoverageComparison(straight: walking, walking: straight) }
    }

    @Test("a --network file is GeoJSON when it opens as GeoJSON, OSM otherwise")
    func networkKinds() {
        let geojson = Array(#"{"type":"FeatureCollection","features":[]}"#.utf8)
        let overpass = Array(#"{"version":0.6,"generator":"Overpass API","elements":[]}"#.utf8)
        let xml = Array("<?xml version='1.0'?><osm/>".utf8)
        #expect(NetworkInput.isGeoJSON(geojson[...]))
        #expect(!NetworkInput.isGeoJSON(overpass[...]))
        #expect(!NetworkInput.isGeoJSON(xml[...]))
        #expect(NetworkInput.isGeoJSON(Array("\u{FEFF}  {\"type\":\"Feature\"}".utf8)[...]))
    }
}
