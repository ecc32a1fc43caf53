import CivicCore
import CivicTestSupport
import GeoEngine
import GeoValues
import Testing
@testable import CivicAnalysis

@Suite("Gaps")
struct GapsTests {
    @Test("one reach in a large district: one gap, the district with a 64-gon hole, merged across tiles")
    func oneHole() async throws {
        let square = try Metres.district("a", [Metres.box(-3000, -3000, 3000, 3000)])
        var request = CoverageRequest(districts: [square], entities: [Metres.entity(1, try Metres.point(10, 20))],
                                      radius: 500, crs: Metres.epsg)
        var fine = Tiling()
        fine.coarseTile = 0.9
        fine.maxReachesPerLeaf = 0
        fine.minTile = 0.2
        request.tiling = fine
        let report = try await request.gaps(minArea: 0)
        #expect(report.gaps.count == 1, "one connected gap, found \(report.gaps.count)")
        let gap = try #require(report.gaps.first)
        #expect(close(gap.area, 36e6 - reachArea(500), 0.01), "\(gap.area)")
        #expect(gap.polygon.innerRings.count == 1, "the reach is a hole")
        #expect(gap.districtID == "a" && gap.districtName == "Район a")
    }

    @Test("rings follow RFC 7946: outer counter-clockwise, holes clockwise, in WGS84")
    func winding() async throws {
        let square = try Metres.district("a", [Metres.box(-3000, -3000, 3000, 3000)])
        let report = try await CoverageRequest(districts: [square], entities: [Metres.entity(1, try Metres.point(0, 0))],
                                               radius: 500).gaps(minArea: 0)
        let features = try report.features()
        #expect(features.count == report.gaps.count)
        for feature in features {
            guard case .polygon(let polygon) = feature.geometry else {
                Issue.record("a gap is a Polygon, found \(String(describing: feature.geometry))")
                continue
            }
            #expect(signedArea(polygon.outerRing) > 0, "outer ring counter-clockwise")
            for hole in polygon.innerRings { #expect(signedArea(hole) < 0, "hole clockwise") }
            #expect(polygon.outerRing.allSatisfy { abs($0.x - 81) < 1 && abs($0.y - 49.9) < 1 }, "lon/lat")
            #expect(polygon.outerRing.first == polygon.outerRing.last, "closed")
        }
        let feature = try #require(features.first)
        #expect(feature.properties["district_id"] == .string("a"))
        #expect(feature.properties["area_m2"] != nil && feature.properties["district_name"] != nil)
    }

    @Test("with --min-area 0 the gaps of each district add up to its area minus its covered area",
          arguments: [4, 5] as [UInt64])
    func addUp(seed: UInt64) async throws {
        let city = try randomCity(seed: seed, entities: 120)
        let request = CoverageRequest(districts: city.districts, entities: city.entities, radius: 250)
        let coverage = try await request.coverage()
        let gaps = try await request.gaps(minArea: 0)
        for district in coverage.districts {
            let total = gaps.gaps.filter { $0.districtID == district.id }.reduce(0) { $0 + $1.area }
            #expect(close(total, district.area - district.covered, 1e-6 * district.area + 0.05),
                    "\(district.id): gaps \(total), uncovered \(district.area - district.covered)")
        }
        #expect(zip(gaps.gaps, gaps.gaps.dropFirst()).allSatisfy { $0.area >= $1.area }, "largest first")
    }

    @Test("--min-area drops the small parts and says how many")
    func minArea() async throws {
        // A reach of 510 m at the centre of a 1 km square crosses all four sides and leaves four
        // separate corners of about 50,000 m²; a second district of 9,000 m² has no entity at all.
        let square = try Metres.district("a", [Metres.box(0, 0, 1000, 1000)])
        let small = try Metres.district("b", [Metres.box(2000, 0, 2090, 100)])
        let request = CoverageRequest(districts: [square, small], entities: [Metres.entity(1, try Metres.point(500, 500))],
                                      radius: 510, crs: Metres.epsg)
        let all = try await request.gaps(minArea: 0)
        #expect(all.gaps.count == 5 && all.dropped == 0, "\(all.gaps.map(\.area))")
        let corners = all.gaps.filter { $0.districtID == "a" }
        #expect(corners.count == 4 && corners.allSatisfy { close($0.area, corners[0].area, 0.01) }, "\(corners.map(\.area))")
        let large = try await request.gaps()
        #expect(large.gaps.count == 4 && large.dropped == 1, "\(large.gaps.map(\.area)), dropped \(large.dropped)")
        #expect(large.gaps.allSatisfy { $0.districtID == "a" })
        let none = try await request.gaps(minArea: 60_000)
        #expect(none.gaps.isEmpty && none.dropped == 5)
    }

    private func signedArea(_ ring: [Position]) -> Double {
        var sum = 0.0
        for i in 0..<(ring.count - 1) { sum += ring[i].x * ring[i + 1].y - ring[i + 1].x * ring[i].y }
        return sum / 2
    }
}
