import GeoValues
import Testing

@Suite("UTM zones and distances")
struct UTMTests {
    @Test("Oskemen is EPSG:32644; the equator counts as north")
    func oskemen() {
        #expect(UTM.zone(longitude: 82.6) == 44)
        #expect(UTM.epsg(longitude: 82.6, latitude: 49.95) == 32644)
        #expect(UTM.epsg(longitude: 82.6, latitude: 0) == 32644)
    }

    @Test("southern points get 327zz")
    func south() {
        #expect(UTM.epsg(longitude: -70.65, latitude: -33.45) == 32719)
        #expect(UTM.epsg(longitude: 151.2, latitude: -33.87) == 32756)  // Sydney
    }

    @Test("edges: −180 is zone 1, 179.99 and 180 zone 60, zone boundaries go east")
    func edges() {
        #expect(UTM.zone(longitude: -180) == 1)
        #expect(UTM.zone(longitude: 179.99) == 60)
        #expect(UTM.zone(longitude: 180) == 60)
        #expect(UTM.zone(longitude: 0) == 31)
        #expect(UTM.zone(longitude: -0.0001) == 30)
        #expect(UTM.zone(longitude: 84) == 45)
        #expect(UTM.epsg(longitude: -180, latitude: -10) == 32701)
    }

    @Test("a bounding box uses its centre")
    func box() {
        let oskemen = BoundingBox(minX: 82.45, minY: 49.85, maxX: 82.8, maxY: 50.05)
        #expect(UTM.epsg(for: oskemen) == 32644)
        let straddling = BoundingBox(minX: 83, minY: -1, maxX: 86, maxY: 0.5)  // centre 84.5, −0.25
        #expect(UTM.epsg(for: straddling) == 32745)
    }

    @Test("haversine: 1° of latitude is R·π/180 ≈ 111195 m")
    func haversine() {
        let d = Geodesy.distanceMetres(Position(lon: 82.6, lat: 49), Position(lon: 82.6, lat: 50))
        #expect(abs(d - 6_371_008.8 * Double.pi / 180) < 1e-6)
        #expect(abs(d - 111_195.08) < 0.01)
        #expect(Geodesy.distanceMetres(Position(lon: 82.6, lat: 49.95), Position(lon: 82.6, lat: 49.95)) == 0)
        // Antipodes: half the circumference.
        let half = Geodesy.distanceMetres(Position(lon: 0, lat: 0), Position(lon: 180, lat: 0))
        #expect(abs(half - 6_371_008.8 * Double.pi) < 1e-6)
    }
}
