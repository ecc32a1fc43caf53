import CivicCore
import CivicTestSupport
import Foundation
import GeoEngine
import GeoValues
@testable import CivicAnalysis

/// Test geometry drawn in metres in UTM zone 44N around Oskemen, handed to civic in WGS84.
///
/// The round trip through PROJ moves positions by about 1e-9 m, so areas computed by hand hold to
/// far better than the 1e-3 m² the tests allow.
enum Metres {
    static let epsg = 32644
    static let origin = Position(x: 500_000, y: 5_530_000)

    static func wgs84(_ geometry: Geometry) throws -> Geometry {
        let transform = try CoordinateTransform(from: "EPSG:4326", to: "EPSG:\(epsg)")
        let shifted = map(geometry) { Position(x: $0.x + origin.x, y: $0.y + origin.y) }
        var positions: [Position] = []
        collect(shifted, into: &positions)
        let moved = try transform.inverse(positions)
        var index = 0
        return map(shifted) { _ in
            defer { index += 1 }
            return moved[index]
        }
    }

    static func point(_ x: Double, _ y: Double) throws -> Geometry { try wgs84(.point(Position(x: x, y: y))) }

    /// A rectangle, counter-clockwise, optionally with rectangular holes (clockwise).
    static func box(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double,
                    holes: [(Double, Double, Double, Double)] = []) -> Polygon {
        Polygon(outerRing: ring(x0, y0, x1, y1, counterClockwise: true),
                innerRings: holes.map { ring($0.0, $0.1, $0.2, $0.3, counterClockwise: false) })
    }

    static func ring(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, counterClockwise: Bool) -> [Position] {
        let ccw = [Position(x: x0, y: y0), Position(x: x1, y: y0), Position(x: x1, y: y1), Position(x: x0, y: y1),
                   Position(x: x0, y: y0)]
        return counterClockwise ? ccw : ccw.reversed()
    }

    static func district(_ id: String, _ polygons: [Polygon], population: Int? = nil) throws -> District {
        let geometry: Geometry = polygons.count == 1 ? .polygon(polygons[0]) : .multiPolygon(polygons)
        return District(id: id, name: "Район \(id)", population: population, geometry: try wgs84(geometry))
    }

    static func entity(_ id: Int, _ geometry: Geometry, kind: String = "venue", themes: [String] = ["culture"],
                       status: EntityStatus = .active) -> Entity {
        Entity(id: id, kind: kind, name: "Место \(id)", themes: themes, status: status, geometry: geometry)
    }

    private static func collect(_ g: Geometry, into out: inout [Position]) {
        out.append(contentsOf: g.allPositions)
    }

    private static func map(_ g: Geometry, _ f: (Position) -> Position) -> Geometry {
        func polygon(_ p: Polygon) -> Polygon {
            Polygon(outerRing: p.outerRing.map(f), innerRings: p.innerRings.map { $0.map(f) })
        }
        switch g {
        case .point(let p): return .point(f(p))
        case .multiPoint(let ps): return .multiPoint(ps.map(f))
        case .lineString(let ps): return .lineString(ps.map(f))
        case .multiLineString(let ls): return .multiLineString(ls.map { $0.map(f) })
        case .polygon(let p): return .polygon(polygon(p))
        case .multiPolygon(let ps): return .multiPolygon(ps.map(polygon))
        case .geometryCollection(let gs): return .geometryCollection(gs.map { map($0, f) })
        }
    }
}

/// The area of a point's reach by hand: the regular 64-gon inscribed in the circle.
func reachArea(_ r: Double) -> Double { 0.5 * 64 * r * r * sin(2 * Double.pi / 64) }

extension CoverageReport {
    func district(_ id: String) -> DistrictCoverage? { districts.first { $0.id == id } }
}

/// `a` and `b` agree to `tolerance` (absolute) — with a message that says by how much they differ.
func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-3) -> Bool { abs(a - b) <= tolerance }
