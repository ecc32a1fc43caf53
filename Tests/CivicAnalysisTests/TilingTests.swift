import CivicCore
import CivicTestSupport
import GeoEngine
import GeoValues
import Testing
@testable import CivicAnalysis

/// A small random city (seeded): a 4 × 3 grid of districts, one with a hole and one in two parts,
/// points in clusters and a few small parks, some inactive.
func randomCity(seed: UInt64, entities count: Int = 400) throws -> (districts: [District], entities: [Entity]) {
    var random = SeededRandom(state: seed)
    var districts: [District] = []
    for row in 0..<3 {
        for column in 0..<4 {
            let x0 = Double(column) * 1500 - 3000, y0 = Double(row) * 1200 - 1800
            let id = "d\(row * 4 + column + 1)"
            if row == 1 && column == 1 {
                districts.append(try Metres.district(id, [Metres.box(x0, y0, x0 + 1500, y0 + 1200,
                                                                     holes: [(x0 + 400, y0 + 300, x0 + 900, y0 + 700)])]))
            } else if row == 2 && column == 3 {
                districts.append(try Metres.district(id, [Metres.box(x0, y0, x0 + 700, y0 + 1200),
                                                          Metres.box(x0 + 800, y0, x0 + 1500, y0 + 1200)]))
            } else {
                districts.append(try Metres.district(id, [Metres.box(x0, y0, x0 + 1500, y0 + 1200)]))
            }
        }
    }
    let clusters = (0..<5).map { _ in
        Position(x: Double.random(in: -3000...3000, using: &random), y: Double.random(in: -1800...1800, using: &random))
    }
    var entities: [Entity] = []
    for id in 1...count {
        let centre = clusters[Int.random(in: 0..<clusters.count, using: &random)]
        let x = centre.x + Double.random(in: -900...900, using: &random)
        let y = centre.y + Double.random(in: -900...900, using: &random)
        let status: EntityStatus = Int.random(in: 0..<20, using: &random) == 0 ? .inactive : .active
        let geometry: Geometry
        if id % 13 == 0 {
            let side = Double.random(in: 20...150, using: &random)
            geometry = try Metres.wgs84(.polygon(Metres.box(x, y, x + side, y + side * 0.7)))
        } else {
            geometry = try Metres.point(x, y)
        }
        entities.append(Metres.entity(id, geometry, status: status))
    }
    return (districts, entities)
}

/// Coverage the straightforward way, independent of civic's tiling and 64-gons: per district, GEOS
/// buffers every selected entity, unions them all and intersects the district.
func straightforwardCoverage(_ districts: [District], _ entities: [Entity], radius: Double) throws -> [Double] {
    let transform = try CoordinateTransform(from: "EPSG:4326", to: "EPSG:\(Metres.epsg)")
    let context = try GeometryContext()
    let reaches = try entities.filter { $0.status == .active }.map {
        try context.make(transform.forward($0.geometry)).buffer(radius, quadrantSegments: 16)
    }
    let union = try context.union(reaches)
    return try districts.map { try context.make(transform.forward($0.geometry)).intersection(union).area }
}

@Suite("Tiling gives the straightforward answer")
struct TilingTests {
    @Test("on a random city, with tiling on, off, and cut very fine", arguments: [1, 2, 3] as [UInt64])
    func sameAsStraightforward(seed: UInt64) async throws {
        let city = try randomCity(seed: seed)
        let expected = try straightforwardCoverage(city.districts, city.entities, radius: 300)
        var request = CoverageRequest(districts: city.districts, entities: city.entities, radius: 300, crs: Metres.epsg)
        var fine = Tiling()
        fine.coarseTile = 0.7
        fine.maxReachesPerLeaf = 1
        fine.minTile = 1.0 / 64
        var off = Tiling()
        off.enabled = false
        for tiling in [Tiling(), fine, off] {
            request.tiling = tiling
            let report = try await request.coverage()
            for (district, area) in zip(report.districts, expected) {
                #expect(close(district.covered, area, 1e-6 * district.area + 1e-3),
                        "\(district.id): \(district.covered) vs \(area) (tiling \(tiling))")
            }
        }
    }

    @Test("entity counts match GEOS's intersects on the random city")
    func entityCounts() async throws {
        let city = try randomCity(seed: 7)
        let report = try await CoverageRequest(districts: city.districts, entities: city.entities, radius: 300).coverage()
        let context = try GeometryContext()
        let districts = try city.districts.map { try context.make($0.geometry) }
        var inCity = 0
        var counts = [Int](repeating: 0, count: districts.count)
        for entity in city.entities where entity.status == .active {
            let shape = try context.make(entity.geometry)
            var any = false
            for (i, district) in districts.enumerated() where try district.intersects(shape) {
                counts[i] += 1
                any = true
            }
            if any { inCity += 1 }
        }
        #expect(report.districts.map(\.entities) == counts)
        #expect(report.city.entities == inCity)
    }
}
