import GeoEngine
import GeoValues
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("CRS facts from PROJ")
struct CRSFactsTests {
    @Test("UTM 44N is projected in metres")
    func utm() throws {
        let facts = try CRSFacts("EPSG:32644")
        #expect(facts.name == "WGS 84 / UTM zone 44N")
        #expect(facts.kind == .projected && facts.isProjected && !facts.isGeographic)
        #expect(facts.unitName == "metre")
        #expect(facts.metresPerUnit == 1)
        #expect(facts.measuresInMetres)
    }

    @Test("WGS84 is geographic, in degrees, with no length per unit")
    func wgs84() throws {
        let facts = try CRSFacts("EPSG:4326")
        #expect(facts.kind == .geographic && facts.isGeographic)
        #expect(facts.unitName == "degree")
        #expect(facts.metresPerUnit == nil)
        #expect(!facts.measuresInMetres)
    }

    @Test("a state plane CRS in US survey feet: 1200/3937 m per unit, not metres")
    func feet() throws {
        let facts = try CRSFacts("EPSG:2263")
        #expect(facts.kind == .projected)
        #expect(facts.unitName == "US survey foot")
        let metres = try #require(facts.metresPerUnit)
        #expect(abs(metres - 1200.0 / 3937.0) < 1e-15, "\(metres)")
        #expect(!facts.measuresInMetres)
    }

    @Test("Web Mercator is projected in metres: its units are fine, its areas are not (see scale factors)")
    func webMercator() throws {
        let facts = try CRSFacts("EPSG:3857")
        #expect(facts.name == "WGS 84 / Pseudo-Mercator")
        #expect(facts.measuresInMetres)
    }

    @Test("PROJ strings, with or without +type=crs, bound to a datum shift, or in kilometres")
    func projStrings() throws {
        let bare = try CRSFacts("+proj=utm +zone=44 +datum=WGS84")
        #expect(bare.kind == .projected && bare.metresPerUnit == 1)
        let typed = try CRSFacts("+proj=utm +zone=44 +datum=WGS84 +type=crs")
        #expect(typed.kind == .projected && typed.unitName == "metre")
        // +towgs84 makes a bound CRS; its horizontal CRS is what is described.
        let bound = try CRSFacts("+proj=utm +zone=44 +ellps=krass +towgs84=25,-141,-78.5,0,0.35,0.736,0 +type=crs")
        #expect(bound.kind == .projected && bound.measuresInMetres)
        let kilometres = try CRSFacts("+proj=tmerc +lon_0=82 +ellps=WGS84 +units=km")
        #expect(kilometres.unitName == "kilometre" && kilometres.metresPerUnit == 1000)
        #expect(kilometres.definition == "+proj=tmerc +lon_0=82 +ellps=WGS84 +units=km")
    }

    @Test("a compound CRS is described by its horizontal part; a geocentric one is not projected")
    func compoundAndGeocentric() throws {
        let compound = try CRSFacts("EPSG:5972")  // ETRS89 / UTM zone 32N + NN2000 height
        #expect(compound.kind == .projected && compound.measuresInMetres)
        let geocentric = try CRSFacts("EPSG:4978")
        #expect(geocentric.kind == .geocentric && geocentric.metresPerUnit == 1)
        #expect(!geocentric.measuresInMetres)
    }

    @Test("an unknown code or a non-CRS is refused with PROJ's reason")
    func refused() throws {
        let unknown = #expect(throws: GeoEngineError.self) { try CRSFacts("EPSG:999999") }
        #expect(unknown?.operation == "PROJ describe CRS EPSG:999999")
        #expect(unknown?.description.contains("crs not found") == true, "\(String(describing: unknown))")
        let nonsense = #expect(throws: GeoEngineError.self) { try CRSFacts("+proj=nonsense") }
        #expect(nonsense?.description.contains("Unknown projection") == true, "\(String(describing: nonsense))")
    }
}

@Suite("Scale factors from PROJ")
struct ScaleFactorTests {
    @Test("UTM on its central meridian: both scales k0 = 0.9996, areal 0.9996²")
    func utmCentralMeridian() throws {
        let factors = try CRSFacts("EPSG:32644").scaleFactors(at: Position(lon: 81, lat: 49.95))
        #expect(abs(factors.meridional - 0.9996) < 1e-9, "\(factors)")
        #expect(abs(factors.parallel - 0.9996) < 1e-9, "\(factors)")
        #expect(abs(factors.areal - 0.9996 * 0.9996) < 1e-9, "\(factors)")
        #expect(factors.arealDistortion < 0.001)
    }

    @Test("UTM grows with the distance from the central meridian: Oskemen, 1.6° east of it, is still within 0.05 %")
    func utmOffMeridian() throws {
        let utm = try CRSFacts("EPSG:32644")
        let factors = try utm.scaleFactors(at: [Position(lon: 81, lat: 49.95), Position(lon: 82.6, lat: 49.95),
                                                Position(lon: 91, lat: 49.95)])
        #expect(factors.count == 3)
        #expect(factors[0].areal < factors[1].areal && factors[1].areal < factors[2].areal, "\(factors)")
        #expect(factors[1].arealDistortion < 0.0005, "\(factors[1])")
        // 10° from the central meridian (two zones away) is past 1 %.
        #expect(factors[2].arealDistortion > 0.01, "\(factors[2])")
    }

    @Test("Web Mercator at 52° N: areas 2.63 times too large, matching the closed form")
    func webMercator() throws {
        let φ = 52.0 * Double.pi / 180
        let factors = try CRSFacts("EPSG:3857").scaleFactors(at: Position(lon: 13.4, lat: 52))
        // Pseudo-Mercator puts spherical Mercator on the ellipsoid: y = a·ln tan(π/4 + φ/2), x = a·λ.
        let w = (1 - wgs84E2 * sin(φ) * sin(φ)).squareRoot()
        let parallel = w / cos(φ)                          // a / (N cos φ)
        let meridional = w * w * w / ((1 - wgs84E2) * cos(φ))   // (a / cos φ) / M
        #expect(abs(factors.parallel - parallel) < 1e-6, "\(factors.parallel) vs \(parallel)")
        #expect(abs(factors.meridional - meridional) < 1e-6, "\(factors.meridional) vs \(meridional)")
        #expect(abs(factors.areal - parallel * meridional) < 1e-6, "\(factors.areal)")
        #expect(abs(factors.areal - 2.634) < 0.001)
        #expect(factors.arealDistortion > 1.6)
    }

    @Test("an equal-area projection has areal scale 1 even where shapes are stretched")
    func equalArea() throws {
        let factors = try CRSFacts("EPSG:6933").scaleFactors(at: Position(lon: 13.4, lat: 52))
        #expect(abs(factors.areal - 1) < 1e-9, "\(factors)")
        #expect(abs(factors.parallel - 1) > 0.1, "EASE-Grid 2.0 stretches the parallels at 52° N")
    }

    @Test("a CRS in feet has the same scale factors as in metres (PROJ's own answer would be 4e14)")
    func feetAreMeasuredAsMetres() throws {
        let inFeet = try CRSFacts("+proj=tmerc +lon_0=82 +ellps=WGS84 +units=us-ft +type=crs")
            .scaleFactors(at: Position(lon: 82.6, lat: 49.95))
        let inMetres = try CRSFacts("+proj=tmerc +lon_0=82 +ellps=WGS84 +type=crs")
            .scaleFactors(at: Position(lon: 82.6, lat: 49.95))
        #expect(abs(inFeet.areal - inMetres.areal) < 1e-12, "\(inFeet) vs \(inMetres)")
        #expect(inMetres.areal > 1 && inMetres.areal < 1.0001, "\(inMetres)")
        let longIsland = try CRSFacts("EPSG:2263").scaleFactors(at: Position(lon: -74, lat: 40.7))
        #expect(longIsland.arealDistortion < 0.0001, "\(longIsland)")
    }

    @Test("a geographic CRS has no scale factors; a position outside the projection is named")
    func refused() throws {
        let geographic = #expect(throws: GeoEngineError.self) {
            try CRSFacts("EPSG:4326").scaleFactors(at: Position(lon: 82.6, lat: 49.95))
        }
        #expect(geographic?.description == "PROJ scale factors of EPSG:4326 failed: EPSG:4326 is a geographic CRS, not a projected one")
        let outside = #expect(throws: GeoEngineError.self) {
            try CRSFacts("EPSG:32644").scaleFactors(at: [Position(lon: 82.6, lat: 49.95), Position(lon: 82.6, lat: 95)])
        }
        #expect(outside?.messages.last == "position 1 (82.6, 95.0) has no scale factors", "\(String(describing: outside))")
        #expect(outside?.messages.contains { $0.contains("Invalid latitude") } == true, "\(String(describing: outside))")
        #expect(try CRSFacts("EPSG:32644").scaleFactors(at: [Position]()) == [])
    }
}
