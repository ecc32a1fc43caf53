import CivicCore
import CivicTestSupport
import GeoEngine
import GeoValues
import Testing
@testable import CivicAnalysis

@Suite("Results stay in the projected CRS; WGS84 only at the output edge")
struct ProjectedResultsTests {
    @Test("gaps come out in metres; features(), table() and csv() turn them into WGS84 with PROJ's inverse")
    func gapsInMetres() async throws {
        let square = try Metres.district("a", [Metres.box(-3000, -3000, 3000, 3000)])
        let report = try await CoverageRequest(districts: [square], entities: [Metres.entity(1, try Metres.point(10, 20))],
                                               radius: 500, crs: Metres.epsg).gaps(minArea: 0)
        let gap = try #require(report.gaps.first)
        #expect(report.crs == "EPSG:32644")
        // Metres around the origin of the test geometry, and the area is the polygon's own.
        let origin = Metres.origin
        #expect(gap.polygon.outerRing.allSatisfy { abs($0.x - origin.x) <= 3000.001 && abs($0.y - origin.y) <= 3000.001 },
                "\(gap.polygon.outerRing.prefix(3))")
        #expect(close(gap.polygon.planarArea, gap.area, 1e-6))
        #expect(Ring.signedArea(gap.polygon.outerRing) > 0 && gap.polygon.innerRings.allSatisfy { Ring.signedArea($0) < 0 })
        #expect(abs(gap.anchor.x - origin.x) < 3000 && abs(gap.anchor.y - origin.y) < 3000)

        let transform = try CoordinateTransform(from: "EPSG:4326", to: "EPSG:32644")
        let expected = try transform.inverse(gap.polygon.outerRing)
        let feature = try #require(try report.features().first)
        guard case .polygon(let polygon) = feature.geometry else {
            Issue.record("not a Polygon: \(String(describing: feature.geometry))")
            return
        }
        #expect(polygon.outerRing == expected, "the WGS84 ring is PROJ's inverse of the projected one")
        let anchor = try transform.inverse([gap.anchor])[0]
        let row = try #require(try report.csv().rows.first)
        #expect(row[4] == JSONNumber.format(anchor.y, decimals: 7) && row[5] == JSONNumber.format(anchor.x, decimals: 7),
                "\(row)")
        let line = try #require(try report.table().rows.first)
        #expect(line[4] == JSONNumber.format(anchor.y, decimals: 5) + ", " + JSONNumber.format(anchor.x, decimals: 5))
    }

    @Test("no gaps: every output is empty, and none needs PROJ")
    func noGaps() async throws {
        let report = GapReport(crs: "EPSG:999999", radius: 500, minArea: 0, gaps: [], dropped: 0)
        #expect(try report.features().isEmpty && report.table().rows.isEmpty && report.csv().rows.isEmpty)
    }

    @Test("one projection for everything: the map's inputs are the figures' own, in the report's CRS",
          arguments: [6, 7] as [UInt64])
    func oneProjection(seed: UInt64) async throws {
        let city = try randomCity(seed: seed, entities: 150)
        let selection = EntitySelection(themes: ["culture", "youth"])
        let request = CoverageRequest(districts: city.districts, entities: city.entities, radius: 250, selection: selection)
        let measured = try await request.projectedCoverage(minGapArea: 1000)
        // The same figures and gaps as asked for alone.
        #expect(measured.coverage == (try await request.coverage()))
        #expect(measured.gaps == (try await request.gaps(minArea: 1000)))
        #expect(measured.crs == "EPSG:32644" && measured.selection == selection)
        // Districts and selected entities, in the order given, projected as the measure projected them.
        let transform = try CoordinateTransform(from: "EPSG:4326", to: measured.crs)
        #expect(measured.districts == city.districts)
        #expect(measured.districtShapes == (try transform.forward(city.districts.map(\.geometry))))
        let selected = city.entities.filter(selection.includes)
        #expect(selected.count > 10 && selected.count < city.entities.count)
        #expect(measured.entities.map(\.entity) == selected.map(CoverageEntity.init))
        #expect(measured.entities.map(\.shape) == (try transform.forward(selected.map(\.geometry))))
        #expect(measured.entities.contains { if case .polygon = $0.shape { true } else { false } }, "areas too")
    }
}
