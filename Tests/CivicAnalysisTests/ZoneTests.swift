import CivicCore
import CivicTestSupport
import GeoEngine
import GeoValues
import Testing
@testable import CivicAnalysis

/// A country shaped like Kazakhstan's district map: 174 districts in 29 columns and 6 rows spanning
/// 46–87° E and 41–55° N (eight UTM zones, 38 to 45), corners jittered so that no two are alike,
/// neighbours sharing their vertices exactly, edges densified every 0.05° as real boundaries are.
enum Country {
    static let columns = 29
    static let rows = 6
    static let west = 46.0, east = 87.0, south = 41.0, north = 55.0

    static func districts(seed: UInt64 = 174) -> [District] {
        var random = SeededRandom(state: seed)
        let dx = (east - west) / Double(columns), dy = (north - south) / Double(rows)
        // Corner nodes; inner ones moved by up to a quarter of a cell.
        var nodes: [[Position]] = []
        for j in 0...rows {
            var row: [Position] = []
            for i in 0...columns {
                var p = Position(x: west + Double(i) * dx, y: south + Double(j) * dy)
                if i > 0 && i < columns { p.x += Double.random(in: -0.25...0.25, using: &random) * dx }
                if j > 0 && j < rows { p.y += Double.random(in: -0.25...0.25, using: &random) * dy }
                row.append(p)
            }
            nodes.append(row)
        }
        // Each edge once, from its lower node to its higher one, so both neighbours hold the same
        // positions.
        func edge(_ a: (Int, Int), _ b: (Int, Int)) -> [Position] {
            let (from, to) = (a.1, a.0) < (b.1, b.0) ? (a, b) : (b, a)
            let p = nodes[from.1][from.0], q = nodes[to.1][to.0]
            let steps = max(1, Int((max(abs(q.x - p.x), abs(q.y - p.y)) / 0.05).rounded(.up)))
            let points = (0...steps).map { k -> Position in
                let t = Double(k) / Double(steps)
                return Position(x: p.x + t * (q.x - p.x), y: p.y + t * (q.y - p.y))
            }
            return from == a ? points : points.reversed()
        }
        var districts: [District] = []
        for j in 0..<rows {
            for i in 0..<columns {
                let corners = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1), (i, j)]
                var ring: [Position] = []
                for k in 0..<4 { ring += edge(corners[k], corners[k + 1]).dropLast() }
                ring.append(ring[0])
                let id = "kz\(j * columns + i + 1)"
                districts.append(District(id: id, name: "Аудан \(j * columns + i + 1)", population: 20_000,
                                          geometry: .polygon(Polygon(outerRing: ring))))
            }
        }
        return districts
    }
}

@Suite("One UTM zone per district: true areas at every extent")
struct ZoneTests {
    @Test("a country across eight zones: every district's area within 0.2 % of its geodesic area, each in its own zone")
    func country() async throws {
        let districts = Country.districts()
        #expect(districts.count == 174)
        let report = try await CoverageRequest(districts: districts, entities: [Entity](), radius: 500).coverage()
        #expect(report.crs == CoverageReport.perDistrictCRS)
        var worst = 0.0
        var zones = Set<String>()
        for (row, district) in zip(report.districts, districts) {
            let geodesic = Geodesy.ellipsoidalArea(of: district.geometry)
            let error = abs(row.area - geodesic) / geodesic
            worst = max(worst, error)
            #expect(error < 0.002, "\(row.id): \(row.area) m² against the geodesic \(geodesic) m²")
            let box = try #require(district.geometry.boundingBox)
            #expect(row.crs == "EPSG:\(UTM.epsg(for: box))", "\(row.id) in \(row.crs)")
            zones.insert(row.crs)
        }
        #expect(zones.count == 8, "\(zones.sorted())")
        #expect(worst > 0, "areas are measured, not copied")
        // The city's total is the sum of the districts' own areas: they do not overlap.
        #expect(abs(report.city.area - report.districts.reduce(0) { $0 + $1.area }) < 1)
        #expect(report.notices.overlaps.isEmpty && report.notices.overlapArea == 0)
    }

    @Test("one zone forced on the whole country distorts areas by far more than 1 %: refused with the measured distortion")
    func oneZoneRefused() async throws {
        let request = CoverageRequest(districts: Country.districts(), entities: [Entity](), radius: 500, crs: 32642)
        do {
            _ = try await request.coverage()
            Issue.record("EPSG:32642 was accepted for districts 23° of longitude from its central meridian")
        } catch let error as CivicError {
            #expect(error.description.hasPrefix("EPSG:32642 distorts areas by "), "\(error)")
            #expect(error.description.hasSuffix("coverage needs areas true to within 1 %"), "\(error)")
            #expect(error.hint?.hasPrefix("leave --crs out to measure each district in the UTM zone of its own centre") == true)
        }
    }

    @Test("entities are measured in the zone of the district they reach: a 64-gon inside, shared at a zone border")
    func entitiesPerZone() async throws {
        let districts = Country.districts()
        // Inside a district far from every border: the reach's own area, as that district's zone measures it.
        let inner = districts[2 * Country.columns + 10]
        let centre = try #require(inner.geometry.boundingBox).center
        // On the border between two districts of different zones: on a shared vertex, halfway up the edge.
        var west = 0, east = 0
        for i in 0..<(Country.columns - 1) {
            let a = districts[3 * Country.columns + i], b = districts[3 * Country.columns + i + 1]
            if UTM.epsg(for: a.geometry.boundingBox!) != UTM.epsg(for: b.geometry.boundingBox!) {
                (west, east) = (3 * Country.columns + i, 3 * Country.columns + i + 1)
                break
            }
        }
        #expect(west != east, "two neighbours in different zones")
        let shared = Set(districts[west].geometry.allPositions).intersection(districts[east].geometry.allPositions)
        let border = try #require(shared.sorted { $0.y < $1.y }.dropFirst(shared.count / 2).first)
        // And one in the Balkans, far from every district and from every zone's reach.
        let far = Position(x: 20, y: 45)
        let entities = [Metres.entity(1, .point(centre)), Metres.entity(2, .point(border)), Metres.entity(3, .point(far))]
        let report = try await CoverageRequest(districts: districts, entities: entities, radius: 2000).coverage()
        let a64 = reachArea(2000)
        let row = try #require(report.district(inner.id))
        #expect(abs(row.covered - a64) / a64 < 1e-9, "\(row.covered) against \(a64)")
        #expect(row.entities == 1)
        let w = try #require(report.district(districts[west].id)), e = try #require(report.district(districts[east].id))
        // Each half is measured in its own zone; together they are one reach, to 0.2 %.
        #expect(abs(w.covered + e.covered - a64) / a64 < 0.002, "\(w.covered) + \(e.covered) against \(a64)")
        #expect(w.covered > 0.3 * a64 && e.covered > 0.3 * a64)
        #expect(w.entities == 1 && e.entities == 1)
        #expect(report.city.entities == 2 && report.city.entitiesOutside == 1, "each entity once for the country")
        // The far one is named with its distance on the ellipsoid to the country's western edge.
        let westEdge = districts.flatMap(\.geometry.allPositions).filter { $0.x == Country.west }
        let expected = westEdge.map { Geodesy.distanceMetres(far, $0) }.min() ?? 0
        let nearest = try #require(report.notices.nearestEntityOutside)
        #expect(nearest.label == "id 3 («Место 3»)" && abs(nearest.distance - expected) / expected < 0.005,
                "\(nearest.distance) m against \(expected) m")
    }

    @Test("gaps across zones: each in its district's zone, in WGS84 near its district, adding up to the uncovered area")
    func gapsAcrossZones() async throws {
        let districts = Array(Country.districts()[(2 * Country.columns)..<(2 * Country.columns + 12)])
        let request = CoverageRequest(districts: districts, entities: districts.enumerated().map { i, d in
            Metres.entity(i + 1, .point(d.geometry.boundingBox!.center))
        }, radius: 3000)
        let coverage = try await request.coverage()
        #expect(coverage.crs == CoverageReport.perDistrictCRS)
        let gaps = try await request.gaps(minArea: 0)
        #expect(gaps.crs == CoverageReport.perDistrictCRS && gaps.gaps.count == districts.count)
        let features = try gaps.features()
        for (gap, feature) in zip(gaps.gaps, features) {
            let row = try #require(coverage.district(gap.districtID))
            #expect(gap.crs == row.crs)
            #expect(abs(gap.area - (row.area - row.covered)) < 1, "\(gap.districtID): \(gap.area)")
            let district = try #require(districts.first { $0.id == gap.districtID })
            let box = try #require(district.geometry.boundingBox)
            let gapBox = try #require(feature.geometry?.boundingBox)
            #expect(abs(gapBox.minX - box.minX) < 1e-6 && abs(gapBox.maxY - box.maxY) < 1e-6,
                    "\(gap.districtID): \(gapBox) against \(box)")
        }
    }

    @Test("the map gets one CRS to draw: the zone of the country's centre, the figures as each zone measured them")
    func mapAcrossZones() async throws {
        let districts = Array(Country.districts()[(2 * Country.columns)..<(2 * Country.columns + 12)])
        let request = CoverageRequest(districts: districts, entities: [Metres.entity(1, .point(districts[0].geometry.boundingBox!.center))],
                                      radius: 3000)
        let measured = try await request.projectedCoverage(minGapArea: 0)
        let display = "EPSG:\(request.epsg)"
        #expect(measured.crs == display && measured.gaps.crs == display)
        #expect(measured.coverage == (try await request.coverage()))
        let transform = try CoordinateTransform(from: "EPSG:4326", to: display)
        #expect(measured.districtShapes == (try transform.forward(districts.map(\.geometry))))
        #expect(measured.gaps.gaps.allSatisfy { $0.crs == display })
        #expect(measured.entities.map(\.shape) == [try transform.forward(Geometry.point(districts[0].geometry.boundingBox!.center))])
    }

    @Test("a city within one zone keeps it: one CRS, no per-district crs in the JSON")
    func cityKeepsOneZone() async throws {
        let city = try randomCity(seed: 3, entities: 60)
        let report = try await CoverageRequest(districts: city.districts, entities: city.entities, radius: 300).coverage()
        #expect(report.crs == "EPSG:32644" && report.districts.allSatisfy { $0.crs == "EPSG:32644" })
        let forced = try await CoverageRequest(districts: city.districts, entities: city.entities, radius: 300,
                                               crs: 32644).coverage()
        #expect(forced == report, "the default is the zone, measured the same way")
        let rows = try #require(report.json.objectValue?["districts"]?.arrayValue)
        #expect(rows.allSatisfy { $0.objectValue?["crs"] == nil })
    }
}
