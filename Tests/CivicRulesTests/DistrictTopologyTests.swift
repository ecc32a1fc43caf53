import CivicCore
import CivicRules
import CivicTestSupport
import Foundation
import GeoValues
import Testing

@Suite("How districts fit together: overlaps and holes")
struct DistrictTopologyTests {
    /// A lon/lat rectangle as a district, counter-clockwise.
    func district(_ id: String, _ west: Double, _ south: Double, _ east: Double, _ north: Double,
                  holes: [[Position]] = []) -> District {
        District(id: id, name: id, geometry: .polygon(Polygon(outerRing: [
            Position(x: west, y: south), Position(x: east, y: south), Position(x: east, y: north),
            Position(x: west, y: north), Position(x: west, y: south)], innerRings: holes)))
    }

    @Test("two OSM-Boundaries units overlapping by about 9 km² are reported with the area and a point inside")
    func overlapReported() throws {
        // At 50° N, 0.1° of longitude is 7.17 km and 0.0113° of latitude 1.256 km: 9.0 km².
        let a = district("r1", 82.0, 49.9, 82.2, 50.0)
        let b = district("r2", 82.1, 49.9887, 82.3, 50.1)
        let overlaps = try DistrictTopology.overlaps([a, b])
        try #require(overlaps.count == 1)
        #expect(overlaps[0].first == "r1" && overlaps[0].second == "r2")
        #expect(abs(overlaps[0].areaM2 - 9.0e6) < 0.05e6, "\(overlaps[0].areaM2)")
        #expect((82.1...82.2).contains(overlaps[0].at.x) && (49.9887...50.0).contains(overlaps[0].at.y))
        #expect(DistrictTopology.describe(overlaps[0], names: ["r1": "Улан"]).hasPrefix("districts r1 (Улан) and r2 overlap by 9"))
    }

    @Test("neighbours that share a border, or overlap by a digitising sliver, are not reported")
    func neighboursAndSlivers() throws {
        let a = district("a", 82.0, 49.9, 82.1, 50.0)
        let touching = district("b", 82.1, 49.9, 82.2, 50.0)
        // 0.00001° of longitude is 0.7 m: a 0.8 m × 11 km sliver, 8,000 m², 0.01 % of either district.
        let sliver = district("c", 81.90001, 49.9, 82.00001, 50.0)
        #expect(try DistrictTopology.overlaps([a, touching, sliver]).isEmpty)
    }

    @Test("a hole enclosed by districts is found; the outside of the city is not a hole")
    func holes() throws {
        // A ring of four districts around an empty square of 0.02° × 0.02° (about 1.43 km × 2.22 km).
        let ring = [district("w", 82.0, 49.9, 82.02, 49.96), district("e", 82.04, 49.9, 82.06, 49.96),
                    district("s", 82.02, 49.9, 82.04, 49.92), district("n", 82.02, 49.94, 82.04, 49.96)]
        let holes = try DistrictTopology.holes(ring)
        try #require(holes.count == 1)
        #expect(abs(holes[0].areaM2 - 3.18e6) < 0.05e6, "\(holes[0].areaM2)")
        #expect((82.02...82.04).contains(holes[0].at.x))
        #expect(try DistrictTopology.holes([ring[0]]).isEmpty)
    }

    @Test("the bundled Oskemen districts neither overlap nor leave holes")
    func bundledCity() throws {
        let file = Repository.root.appendingPathComponent("geodata/oskemen/districts.geojson").path
        let districts = try DistrictFile.parse(Array(try Data(contentsOf: URL(fileURLWithPath: file))), file: file)
        #expect(try DistrictTopology.overlaps(districts).isEmpty)
        #expect(try DistrictTopology.holes(districts).isEmpty)
    }
}

@Suite("District topology as messages: where an overlap is in the file")
struct DistrictTopologyMessageTests {
    @Test("an overlap is named at the later district's feature and line, with both ids and names")
    func problemNamesTheFeature() throws {
        let file = """
            {"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"name":"Уланский район","name_en":"Ulan District"},"geometry":{"type":"Polygon","coordinates":[[[82.0,49.9],[82.2,49.9],[82.2,50.0],[82.0,50.0],[82.0,49.9]]]}},
            {"type":"Feature","properties":{"name":"Глубоковский район"},"geometry":{"type":"Polygon","coordinates":[[[82.1,49.9887],[82.3,49.9887],[82.3,50.1],[82.1,50.1],[82.1,49.9887]]]}}
            ]}

            """
        let (districts, lines) = try DistrictFile.parseWithLines(Array(file.utf8), file: "vko.geojson")
        #expect(lines == [2, 3])
        let overlap = try #require(try DistrictTopology.overlaps(districts).first)
        let problem = DistrictTopology.problem(overlap, districts: districts, lines: lines, file: "vko.geojson", hint: "fix it")
        #expect(problem.description == "vko.geojson:3: features[1] (id d2): geometry: districts d1 (Уланский район) and d2 "
                + "(Глубоковский район) overlap by 9.01 km² around lon 82.15, lat 49.99435")
        #expect(problem.hint == "fix it")
    }

    @Test("districts written [lat, lon] are one problem of the file, with the QGIS fix")
    func swappedAxesProblem() {
        let arctic = District(id: "c", name: "Центр", geometry: .polygon(Polygon(outerRing: [
            Position(lon: 49.93, lat: 82.58), Position(lon: 49.93, lat: 82.66), Position(lon: 49.98, lat: 82.66),
            Position(lon: 49.98, lat: 82.58), Position(lon: 49.93, lat: 82.58)])))
        let problem = DistrictFile.swappedAxesProblem([arctic], file: "districts.geojson")
        #expect(problem?.description.hasPrefix("districts.geojson: features: geometry: the districts lie beyond 70° N") == true)
        #expect(problem?.hint?.contains("Swap X and Y coordinates") == true)
        #expect(DistrictFile.swappedAxesProblem([], file: "districts.geojson") == nil)
    }
}
