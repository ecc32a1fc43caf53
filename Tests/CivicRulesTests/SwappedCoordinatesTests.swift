import CivicCore
import CivicRules
import GeoValues
import Testing

@Suite("Swapped coordinates: said only of a point far away whose swap lands inside")
struct SwappedCoordinatesTests {
    /// West Kazakhstan, roughly: where |lat| ≈ |lon|, so a point over the border swaps into the region.
    /// Its edges carry a vertex every 0.1°, as real boundaries do: a long straight edge between two
    /// far corners would bulge 1 km past the parallel once projected.
    let westKazakhstan: District = {
        var ring: [Position] = []
        for i in 0..<30 { ring.append(Position(lon: 50 + Double(i) * 0.1, lat: 49)) }
        for i in 0..<25 { ring.append(Position(lon: 53, lat: 49 + Double(i) * 0.1)) }
        for i in 0..<30 { ring.append(Position(lon: 53 - Double(i) * 0.1, lat: 51.5)) }
        for i in 0..<25 { ring.append(Position(lon: 50, lat: 51.5 - Double(i) * 0.1)) }
        ring.append(ring[0])
        return District(id: "wko", name: "Батыс Қазақстан", geometry: .polygon(Polygon(outerRing: ring)))
    }()

    func rules() throws -> EntityRules {
        try EntityRules(info: DatasetInfo(name: "kz", city: "Kazakhstan"), districts: [westKazakhstan])
    }

    @Test("a Russian village 5.6 km over the border is outside, not swapped, and the message says how far")
    func borderVillage() throws {
        let village = Position(lon: 51.0, lat: 51.55)
        let placement = try #require(try rules().placement(of: village))
        #expect(!placement.looksSwapped)
        #expect(abs(placement.distance - 5_570) < 60, "\(placement.distance)")
        do {
            try rules().checkLocation(.point(village), allowOutside: false)
            Issue.record("a village 5.6 km outside was accepted")
        } catch let error as CivicError {
            #expect(error.description == "lat 51.55, lon 51 is 5.5 km outside every district")
            #expect(error.hint == "check the coordinates, or pass --allow-outside to keep it anyway")
        }
        try rules().checkLocation(.point(village), allowOutside: true)
    }

    @Test("far away but its swap is not inside either: outside, not swapped; inside: no verdict at all")
    func farButNotSwapped() throws {
        let far = Position(lon: 49.5, lat: 82.5)  // the swap, lon 82.5 lat 49.5, is Oskemen, not this region
        let placement = try #require(try rules().placement(of: far))
        #expect(!placement.looksSwapped)
        #expect(placement.distance > 3_000_000)
        let inside = Position(lon: 50.4, lat: 50.5)  // |lat| ≈ |lon|: both ways inside, nothing to say
        let verdict = try #require(try rules().placement(of: inside))
        #expect(verdict.distance == 0 && !verdict.looksSwapped)
    }

    @Test("Oskemen written lat, lon: 3,788 km away, swapped")
    func oskemen() throws {
        let city = District(id: "c", name: "Центр", geometry: .polygon(Polygon(outerRing: [
            Position(lon: 82.58, lat: 49.93), Position(lon: 82.66, lat: 49.93), Position(lon: 82.66, lat: 49.98),
            Position(lon: 82.58, lat: 49.98), Position(lon: 82.58, lat: 49.93)])))
        let rules = try EntityRules(info: DatasetInfo(name: "o", city: "Өскемен"), districts: [city])
        let given = Position(lon: 49.9541, lat: 82.6268)
        let placement = try #require(try rules.placement(of: given))
        #expect(placement.looksSwapped)
        do {
            try rules.checkLocation(.point(given), allowOutside: false)
            Issue.record("accepted")
        } catch let error as CivicError {
            #expect(error.description.hasPrefix("lat 82.6268, lon 49.9541 is 37"))
            #expect(error.description.hasSuffix("km outside every district, and latitude and longitude look swapped"))
            #expect(error.hint == "try --lat 49.9541 --lon 82.6268")
        }
    }

    @Test("swapped back into the river between two districts (300 m from both): still swapped")
    func swappedIntoTheRiver() throws {
        // Two banks of a river 600 m wide at lon 82.62–82.6284 (about 600 m at 49.95° N).
        let west = District(id: "w", name: "Левобережье", geometry: .polygon(Polygon(outerRing: [
            Position(lon: 82.58, lat: 49.93), Position(lon: 82.62, lat: 49.93), Position(lon: 82.62, lat: 49.98),
            Position(lon: 82.58, lat: 49.98), Position(lon: 82.58, lat: 49.93)])))
        let east = District(id: "e", name: "Центр", geometry: .polygon(Polygon(outerRing: [
            Position(lon: 82.6284, lat: 49.93), Position(lon: 82.67, lat: 49.93), Position(lon: 82.67, lat: 49.98),
            Position(lon: 82.6284, lat: 49.98), Position(lon: 82.6284, lat: 49.93)])))
        let rules = try EntityRules(info: DatasetInfo(name: "o", city: "Өскемен"), districts: [west, east])
        let inTheRiver = Position(lon: 49.95, lat: 82.6242)
        let placement = try #require(try rules.placement(of: inTheRiver))
        #expect(placement.looksSwapped)
        let farInTheSteppe = Position(lon: 49.95, lat: 82.7)  // swapped back, 2.4 km east of the city
        #expect(try #require(try rules.placement(of: farInTheSteppe)).looksSwapped == false)
    }
}

@Suite("Districts written [lat, lon]")
struct SwappedDistrictsTests {
    @Test("Oskemen's districts written latitude first are refused at once, with the fix")
    func swappedFile() throws {
        let bytes = Array("""
        {"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"name":"Центр"},"geometry":{"type":"Polygon","coordinates":[[[49.93,82.58],[49.93,82.66],[49.98,82.66],[49.98,82.58],[49.93,82.58]]]}}
        ]}
        """.utf8)
        do {
            _ = try DistrictFile.parse(bytes, file: "districts.geojson")
            Issue.record("a city in the Arctic Ocean was accepted")
        } catch let error as CivicError {
            #expect(error.description == "districts.geojson: features: geometry: the districts lie beyond 70° N (latitude 82.58 and farther), where no city is mapped by district: latitude and longitude look swapped")
            #expect(error.hint?.contains("Swap X and Y coordinates") == true)
        }
    }

    @Test("Norilsk at 69.3° N passes")
    func realNorth() throws {
        let norilsk = District(id: "n", name: "Норильск", geometry: .polygon(Polygon(outerRing: [
            Position(lon: 88.1, lat: 69.3), Position(lon: 88.3, lat: 69.3), Position(lon: 88.3, lat: 69.4),
            Position(lon: 88.1, lat: 69.4), Position(lon: 88.1, lat: 69.3)])))
        #expect(DistrictFile.swappedAxes([norilsk]) == nil)
    }
}
