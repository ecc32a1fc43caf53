import CivicCore
import CivicTestSupport
import GeoEngine
import GeoValues
import Testing
@testable import CivicAnalysis

@Suite("Coverage: figures computed by hand")
struct CoverageTests {
    let r = 500.0
    var a64: Double { reachArea(r) }

    func request(_ districts: [District], _ entities: [Entity], residents: [Residents]? = nil,
                 selection: EntitySelection = EntitySelection()) -> CoverageRequest {
        CoverageRequest(districts: districts, entities: entities, residents: residents, radius: r,
                        crs: Metres.epsg, selection: selection)
    }

    @Test("one point in a square district covers the area of the 64-gon")
    func onePoint() async throws {
        let square = try Metres.district("a", [Metres.box(-2000, -2000, 2000, 2000)])
        let report = try await request([square], [Metres.entity(1, try Metres.point(100, -50))]).coverage()
        let a = try #require(report.district("a"))
        #expect(close(a.area, 16e6, 1e-3), "area \(a.area)")
        #expect(close(a.covered, a64), "covered \(a.covered), by hand \(a64)")
        #expect(close(a.coveredShare, a64 / 16e6, 1e-12))
        #expect(a.entities == 1)
        #expect(report.crs == "EPSG:32644")
        #expect(report.city.entities == 1 && close(report.city.covered, a64))
    }

    @Test("the CRS defaults to the UTM zone of the districts' centre")
    func defaultCRS() async throws {
        let square = try Metres.district("a", [Metres.box(-2000, -2000, 2000, 2000)])
        let report = try await CoverageRequest(districts: [square], entities: [], radius: r).coverage()
        #expect(report.crs == "EPSG:32644")
        #expect(report.districts[0].covered == 0 && report.districts[0].coveredShare == 0)
    }

    @Test("two reaches: the same place counts once, far apart twice, overlapping as their union")
    func twoReaches() async throws {
        let square = try Metres.district("a", [Metres.box(-3000, -3000, 3000, 3000)])
        let same = try await request([square], [Metres.entity(1, try Metres.point(0, 0)),
                                                Metres.entity(2, try Metres.point(0, 0))]).coverage()
        #expect(close(same.districts[0].covered, a64))
        let apart = try await request([square], [Metres.entity(1, try Metres.point(-1500, 0)),
                                                 Metres.entity(2, try Metres.point(1500, 0))]).coverage()
        #expect(close(apart.districts[0].covered, 2 * a64))
        // Overlapping by 400 m: the union of the two 64-gons, which GEOS measures independently.
        let overlap = try await request([square], [Metres.entity(1, try Metres.point(-300, 0)),
                                                   Metres.entity(2, try Metres.point(300, 0))]).coverage()
        let context = try GeometryContext()
        let union = try context.make(.point(Position(x: -300, y: 0))).buffer(r)
            .union(context.make(.point(Position(x: 300, y: 0))).buffer(r)).area
        #expect(close(overlap.districts[0].covered, union), "covered \(overlap.districts[0].covered), GEOS \(union)")
        #expect(overlap.districts[0].covered < 2 * a64 && overlap.districts[0].entities == 2)
    }

    @Test("a reach across a border is shared by both districts; the entity counts for both")
    func acrossBorder() async throws {
        // The entity sits on the shared edge x = 0 (its vertex with the districts in WGS84).
        let west = try Metres.district("w", [Metres.box(-2000, -2000, 0, 2000)])
        let east = try Metres.district("e", [Metres.box(0, -2000, 2000, 2000)])
        let onEdge = try Metres.wgs84(.point(Position(x: 0, y: 2000)))
        let sharedVertex = Metres.entity(1, onEdge)
        let inside = Metres.entity(2, try Metres.point(0.25, 0))
        let report = try await request([west, east], [sharedVertex, inside]).coverage()
        let w = try #require(report.district("w")), e = try #require(report.district("e"))
        // The reach around (0.25, 0) and the half reach around (0, 2000) split by the border.
        #expect(close(w.covered + e.covered, a64 + a64 / 2, 0.01), "w \(w.covered) + e \(e.covered)")
        #expect(close(w.covered, e.covered, 0.25 * 2 * 1000 + 0.01), "nearly symmetric")
        #expect(w.entities == 1 && e.entities == 2, "w \(w.entities), e \(e.entities)")
        #expect(report.city.entities == 2, "each entity once in the city")
    }

    @Test("a reach exactly halved by a border: each district gets half the 64-gon")
    func halved() async throws {
        let west = try Metres.district("w", [Metres.box(-2000, -2000, 0, 2000)])
        let east = try Metres.district("e", [Metres.box(0, -2000, 2000, 2000)])
        let report = try await request([west, east], [Metres.entity(1, try Metres.point(0, 0))]).coverage()
        #expect(close(report.districts[0].covered, a64 / 2, 0.01), "\(report.districts[0].covered)")
        #expect(close(report.districts[1].covered, a64 / 2, 0.01), "\(report.districts[1].covered)")
    }

    @Test("a district with a hole: the hole is neither area nor covered, and its entities are outside")
    func hole() async throws {
        let holed = try Metres.district("h", [Metres.box(-2000, -2000, 2000, 2000, holes: [(-100, -100, 100, 100)])])
        let report = try await request([holed], [Metres.entity(1, try Metres.point(0, 0))]).coverage()
        let h = report.districts[0]
        #expect(close(h.area, 16e6 - 40_000, 1e-3), "area \(h.area)")
        #expect(close(h.covered, a64 - 40_000), "covered \(h.covered), by hand \(a64 - 40_000)")
        #expect(h.entities == 0, "the entity stands in the hole")
    }

    @Test("a multipolygon district adds up its parts")
    func multipolygon() async throws {
        let twoParts = try Metres.district("m", [Metres.box(-5000, -1000, -3000, 1000), Metres.box(3000, -1000, 5000, 1000)])
        let one = try await request([twoParts], [Metres.entity(1, try Metres.point(-4000, 0))]).coverage()
        #expect(close(one.districts[0].area, 8e6, 1e-3))
        #expect(close(one.districts[0].covered, a64))
        let both = try await request([twoParts], [Metres.entity(1, try Metres.point(-4000, 0)),
                                                  Metres.entity(2, try Metres.point(4000, 0))]).coverage()
        #expect(close(both.districts[0].covered, 2 * a64))
        #expect(both.districts[0].entities == 2)
    }

    @Test("an area entity reaches as GEOS buffers it")
    func areaEntity() async throws {
        let square = try Metres.district("a", [Metres.box(-3000, -3000, 3000, 3000)])
        let park = Metres.box(-100, -50, 100, 50)
        let report = try await request([square], [Metres.entity(1, try Metres.wgs84(.polygon(park)))]).coverage()
        let context = try GeometryContext()
        let expected = try context.make(.polygon(park)).buffer(r, quadrantSegments: 16).area
        #expect(close(report.districts[0].covered, expected, 0.01), "\(report.districts[0].covered) vs \(expected)")
        #expect(report.districts[0].entities == 1)
    }

    @Test("inactive entities are ignored; --kind is any of, --theme any overlap")
    func selection() async throws {
        let square = try Metres.district("a", [Metres.box(-5000, -5000, 5000, 5000)])
        let entities = [
            Metres.entity(1, try Metres.point(-3000, 0), kind: "venue", themes: ["culture"]),
            Metres.entity(2, try Metres.point(0, 0), kind: "community", themes: ["youth", "lighting"]),
            Metres.entity(3, try Metres.point(3000, 0), kind: "initiative_group", themes: ["roads"], status: .inactive),
        ]
        let all = try await request([square], entities).coverage()
        #expect(close(all.districts[0].covered, 2 * a64) && all.districts[0].entities == 2)
        let kinds = try await request([square], entities, selection: EntitySelection(kinds: ["community", "initiative_group"])).coverage()
        #expect(close(kinds.districts[0].covered, a64) && kinds.districts[0].entities == 1)
        let themes = try await request([square], entities, selection: EntitySelection(themes: ["lighting", "roads"])).coverage()
        #expect(close(themes.districts[0].covered, a64) && themes.districts[0].entities == 1)
        let none = try await request([square], entities, selection: EntitySelection(kinds: ["venue"], themes: ["youth"])).coverage()
        #expect(none.districts[0].covered == 0 && none.districts[0].entities == 0)
    }

    @Test("residents on a vertex shared by two districts count for both, and once for the city")
    func residentsOnBoundary() async throws {
        let west = try Metres.district("w", [Metres.box(-2000, -2000, 0, 2000)])
        let east = try Metres.district("e", [Metres.box(0, -2000, 2000, 2000)])
        let corner = try Metres.wgs84(.point(Position(x: 0, y: 2000)))
        let residents = [
            Residents(geometry: corner, count: 10),                                // on the border, near
            Residents(geometry: try Metres.point(-1000, 1700), count: 7),          // 300 m away: near
            Residents(geometry: try Metres.point(1000, -1999), count: 5),          // far
            Residents(geometry: try Metres.point(9000, 9000), count: 100),         // in no district
        ]
        let report = try await request([west, east], [Metres.entity(1, try Metres.point(-1000, 2000))],
                                       residents: residents).coverage()
        let w = try #require(report.district("w")), e = try #require(report.district("e"))
        #expect(w.population == 17 && w.coveredPopulation == 7, "w: \(String(describing: w.population)) / \(String(describing: w.coveredPopulation))")
        #expect(e.population == 15 && e.coveredPopulation == 0, "e: \(String(describing: e.population)) / \(String(describing: e.coveredPopulation))")
        #expect(report.city.population == 22 && report.city.coveredPopulation == 7)
    }

    @Test("a resident is covered at 499 m from the nearest entity and not at 501 m")
    func residentsByDistance() async throws {
        let square = try Metres.district("a", [Metres.box(-3000, -3000, 3000, 3000)])
        let park = Metres.box(1000, -100, 1200, 100)
        let residents = [
            Residents(geometry: try Metres.point(499, 0), count: 1),      // 499 m from the point: near
            Residents(geometry: try Metres.point(-501, 0), count: 2),     // 501 m: far
            Residents(geometry: try Metres.point(1699.9, 0), count: 4),   // 499.9 m from the park's edge: near
            Residents(geometry: try Metres.point(1100, 602), count: 8),   // 502 m from the park: far
        ]
        let entities = [Metres.entity(1, try Metres.point(0, 0)), Metres.entity(2, try Metres.wgs84(.polygon(park)))]
        let report = try await request([square], entities, residents: residents).coverage()
        #expect(report.districts[0].population == 15)
        #expect(report.districts[0].coveredPopulation == 5, "\(String(describing: report.districts[0].coveredPopulation))")
    }

    @Test("a residents' polygon is shared out by area and covered by its part in the reach")
    func residentsPolygon() async throws {
        let west = try Metres.district("w", [Metres.box(-2000, -2000, 0, 2000)])
        let east = try Metres.district("e", [Metres.box(0, -2000, 2000, 2000)])
        // 1000 people over 2 km × 1 km, half in each district; the reach fits the western half.
        let block = Residents(geometry: try Metres.wgs84(.polygon(Metres.box(-1000, 0, 1000, 1000))), count: 1000)
        let report = try await request([west, east], [Metres.entity(1, try Metres.point(-500, 500))],
                                       residents: [block]).coverage()
        let w = try #require(report.district("w")), e = try #require(report.district("e"))
        #expect(close(w.population ?? 0, 500, 1e-6) && close(e.population ?? 0, 500, 1e-6))
        #expect(close(w.coveredPopulation ?? 0, 1000 * a64 / 2e6, 1e-6), "\(String(describing: w.coveredPopulation))")
        #expect(close(e.coveredPopulation ?? -1, 0, 1e-6))
        #expect(close(report.city.population ?? 0, 1000, 1e-6))
    }

    @Test("without a population file, a district's own population times its covered share")
    func ownPopulation() async throws {
        let a = try Metres.district("a", [Metres.box(-2000, -2000, 2000, 2000)], population: 16_000)
        let b = try Metres.district("b", [Metres.box(2000, -2000, 6000, 2000)])
        let report = try await request([a, b], [Metres.entity(1, try Metres.point(0, 0))]).coverage()
        #expect(report.districts[0].population == 16_000)
        #expect(close(report.districts[0].coveredPopulation ?? 0, 16_000 * a64 / 16e6, 1e-6))
        #expect(report.districts[1].population == nil && report.districts[1].coveredPopulation == nil)
        #expect(report.city.population == 16_000)
    }
}
