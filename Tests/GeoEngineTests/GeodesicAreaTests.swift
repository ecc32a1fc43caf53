import GeoEngine
import GeoValues
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("Geodesic areas on the WGS84 ellipsoid")
struct GeodesicAreaTests {
    /// The area between two meridians and two parallels on the ellipsoid, in closed form
    /// (authalic latitude), for checking geod_polygonarea independently. The cell's east–west
    /// edges are geodesics there, so the two differ by the bulge of the northern and southern
    /// edges: a few parts in 100,000 for 1°.
    func cellArea(west: Double, east: Double, south: Double, north: Double) -> Double {
        let e = wgs84E2.squareRoot()
        let b = 6_378_137 * (1 - 1 / 298.257_223_563)
        func q(_ latitude: Double) -> Double {
            let s = sin(latitude * Double.pi / 180)
            return s / (1 - wgs84E2 * s * s) + log((1 + e * s) / (1 - e * s)) / (2 * e)
        }
        return (east - west) * Double.pi / 180 * b * b / 2 * (q(north) - q(south))
    }

    func cell(west: Double, south: Double, side: Double) -> Polygon {
        Polygon(outerRing: squareRing(x: west, y: south, side: side))
    }

    @Test("a 1°×1° cell on the equator: 12,308.8 km², within 3e-5 of the closed form")
    func degreeCell() {
        let area = Geodesy.ellipsoidalArea(of: cell(west: 0, south: 0, side: 1))
        let closedForm = cellArea(west: 0, east: 1, south: 0, north: 1)
        #expect(abs(area / closedForm - 1) < 3e-5, "\(area) vs \(closedForm)")
        #expect(abs(area - 12_308_778_361.47) < 1, "\(area)")
        // At Oskemen's latitude the same cell is a third smaller.
        let north = Geodesy.ellipsoidalArea(of: cell(west: 82, south: 49, side: 1))
        #expect(abs(north / cellArea(west: 82, east: 83, south: 49, north: 50) - 1) < 3e-5, "\(north)")
    }

    @Test("winding does not matter; a hole is subtracted, however it is wound")
    func hole() {
        let outer = squareRing(x: 82.5, y: 49.9, side: 0.1)
        let hole = squareRing(x: 82.52, y: 49.92, side: 0.02)
        let outerArea = Geodesy.ellipsoidalArea(of: Polygon(outerRing: outer))
        let holeArea = Geodesy.ellipsoidalArea(of: Polygon(outerRing: hole))
        #expect(Geodesy.ellipsoidalArea(of: Polygon(outerRing: outer.reversed())) == outerArea)
        let withHole = Geodesy.ellipsoidalArea(of: Polygon(outerRing: outer, innerRings: [hole.reversed()]))
        #expect(abs(withHole - (outerArea - holeArea)) < 1e-6, "\(withHole)")
        #expect(Geodesy.ellipsoidalArea(of: Polygon(outerRing: outer, innerRings: [hole])) == withHole)
        // 0.1° × 0.1° at 49.95° N: about 11.1 km × 7.2 km.
        #expect(abs(outerArea / cellArea(west: 82.5, east: 82.6, south: 49.9, north: 50) - 1) < 1e-6)
        #expect(abs(holeArea / cellArea(west: 82.52, east: 82.54, south: 49.92, north: 49.94) - 1) < 1e-7)
    }

    @Test("a district measured in its UTM zone is within 0.2 % of its geodesic area")
    func utmAgreesWithGeodesic() throws {
        let district = Geometry.multiPolygon([
            Polygon(outerRing: squareRing(x: 82.55, y: 49.9, side: 0.1),
                    innerRings: [Array(squareRing(x: 82.58, y: 49.93, side: 0.01).reversed())]),
            Polygon(outerRing: squareRing(x: 82.7, y: 49.9, side: 0.05)),
        ])
        let geodesic = Geodesy.ellipsoidalArea(of: district)
        let projected = try CoordinateTransform(from: "EPSG:4326", to: "EPSG:32644").forward(district)
        let planar = try GeometryContext().make(projected).area
        // UTM shrinks areas by the areal scale there (0.9995); nothing else may differ.
        let scale = try CRSFacts("EPSG:32644").scaleFactors(at: Position(lon: 82.65, lat: 49.95)).areal
        #expect(abs(planar / geodesic - 1) < 0.002, "\(planar) vs \(geodesic)")
        #expect(abs(planar / geodesic - scale) < 1e-4, "\(planar / geodesic) vs \(scale)")
    }

    @Test("points and lines have no area; collections add their polygons")
    func otherTypes() {
        #expect(Geodesy.ellipsoidalArea(of: .point(Position(lon: 82.6, lat: 49.95))) == 0)
        #expect(Geodesy.ellipsoidalArea(of: .lineString([Position(lon: 82.6, lat: 49.95),
                                                         Position(lon: 82.7, lat: 49.95)])) == 0)
        let a = cell(west: 82, south: 49, side: 0.5), b = cell(west: 83, south: 49, side: 0.5)
        let sum = Geodesy.ellipsoidalArea(of: a) + Geodesy.ellipsoidalArea(of: b)
        #expect(Geodesy.ellipsoidalArea(of: .multiPolygon([a, b])) == sum)
        #expect(Geodesy.ellipsoidalArea(of: .geometryCollection([.polygon(a), .polygon(b),
                                                                 .point(Position(lon: 0, lat: 0))])) == sum)
    }
}
