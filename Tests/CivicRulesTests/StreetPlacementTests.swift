import CivicCore
import CivicRules
import GeoValues
import Testing

@Suite("street ways against the districts: far means every vertex more than 1 km away")
struct StreetPlacementTests {
    /// One district, 82.60–82.62° E × 49.94–49.96° N. 0.01° of latitude is 1,111.95 m.
    static let district = District(id: "c", name: "Центр", geometry: .polygon(Polygon(outerRing: [
        Position(lon: 82.60, lat: 49.94), Position(lon: 82.62, lat: 49.94), Position(lon: 82.62, lat: 49.96),
        Position(lon: 82.60, lat: 49.96), Position(lon: 82.60, lat: 49.94),
    ])))

    /// A way north along 82.61° E from `fromLat` to `toLat`, a vertex every 0.001° (111 m).
    static func way(fromLat: Double, toLat: Double) -> StreetWay {
        let steps = Int(((toLat - fromLat) / 0.001).rounded())
        let positions = (0...steps).map { Position(lon: 82.61, lat: fromLat + Double($0) * 0.001) }
        return StreetWay(source: "osm:way/1", highway: "track", positions: positions)
    }

    @Test("a long way that starts 3 km out and ends 0.9 km from the district is near; one that stops at 1.1 km is far")
    func approachingWay() throws {
        let placement = try StreetPlacement(info: DatasetInfo(name: "Тест", city: "Өскемен"), districts: [Self.district])
        // From 49.99 (3.3 km north of the district's edge at 49.96) south to 49.968 (0.89 km).
        #expect(try !placement.isFar(Self.way(fromLat: 49.968, toLat: 49.99)), "last vertex 0.89 km away")
        #expect(try placement.isFar(Self.way(fromLat: 49.970, toLat: 49.99)), "nearest vertex 1.11 km away")
        #expect(try !placement.isFar(Self.way(fromLat: 49.95, toLat: 49.99)), "starts inside")
        // Far on both sides: every vertex is more than 1 km away, though the line between them is not checked.
        let across = StreetWay(source: "osm:way/2", positions: [Position(lon: 82.61, lat: 49.90), Position(lon: 82.61, lat: 50.0)])
        #expect(try placement.isFar(across))
    }

    @Test("a network for walking needs a way within 1 km: none, all far, all swapped are refused, each saying which")
    func streetsNearTheDistricts() throws {
        let placement = try StreetPlacement(districts: [Self.district])
        func refusal(_ ways: [StreetWay]) -> String? {
            do {
                try placement.requireStreetsNear(ways, file: "streets.geojson")
                return nil
            } catch {
                return "\(error)"
            }
        }
        #expect(refusal([]) == "streets.geojson: no streets to walk: the network has no ways")
        // 1.11 km north of the district, and again farther: all far, another place.
        let far = [Self.way(fromLat: 49.970, toLat: 49.99), Self.way(fromLat: 50.1, toLat: 50.2)]
        #expect(refusal(far) == "streets.geojson: all 2 of its ways lie more than 1 km from every district "
                + "(osm:way/1 is 1.1 km away): the streets of another place")
        // The district's own street written [lat, lon].
        let swapped = StreetWay(source: "osm:way/7", positions: [Position(lon: 49.945, lat: 82.605), Position(lon: 49.955, lat: 82.615)])
        #expect(refusal([swapped])?.hasSuffix("and its latitude and longitude look swapped") == true, "\(refusal([swapped]) ?? "")")
        // One near way among far ones is a network.
        #expect(refusal(far + [Self.way(fromLat: 49.968, toLat: 49.99)]) == nil)
    }
}
