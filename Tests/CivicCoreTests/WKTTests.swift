import CivicCore
import GeoValues
import Testing

@Suite("Well-known text of entity geometries")
struct WKTTests {
    @Test("a point, a polygon with a hole and a multipolygon are written as GDAL writes them, at 7 decimals")
    func writes() {
        #expect(WKT.text(.point(Position(lon: 82.61012345678, lat: 49.9512))) == "POINT (82.6101235 49.9512)")
        // A clockwise outer ring is rewound by the right-hand rule, as the GeoJSON writer does.
        let clockwise = Polygon(outerRing: [Position(x: 0, y: 0), Position(x: 0, y: 1), Position(x: 1, y: 1), Position(x: 1, y: 0),
                                            Position(x: 0, y: 0)])
        #expect(WKT.text(.polygon(clockwise)) == "POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))")
        let square = Polygon(outerRing: [Position(x: 0, y: 0), Position(x: 4, y: 0), Position(x: 4, y: 4), Position(x: 0, y: 4),
                                         Position(x: 0, y: 0)],
                             innerRings: [[Position(x: 1, y: 1), Position(x: 1, y: 2), Position(x: 2, y: 2), Position(x: 2, y: 1),
                                           Position(x: 1, y: 1)]])
        #expect(WKT.text(.multiPolygon([square, clockwise.rightHanded]))
                == "MULTIPOLYGON (((0 0, 4 0, 4 4, 0 4, 0 0), (1 1, 1 2, 2 2, 2 1, 1 1)), ((0 0, 1 0, 1 1, 0 1, 0 0)))")
        #expect(WKT.text(.lineString([Position(x: 0, y: 0), Position(x: 1, y: 1)])) == nil)
    }

    @Test("what is written reads back to the same geometry, and other spellings of WKT are read too")
    func readsBack() throws {
        let park = Geometry.multiPolygon([
            Polygon(outerRing: [Position(lon: 82.6, lat: 49.93), Position(lon: 82.604, lat: 49.93), Position(lon: 82.604, lat: 49.933),
                                Position(lon: 82.6, lat: 49.933), Position(lon: 82.6, lat: 49.93)],
                    innerRings: [[Position(lon: 82.601, lat: 49.931), Position(lon: 82.601, lat: 49.932),
                                  Position(lon: 82.602, lat: 49.932), Position(lon: 82.602, lat: 49.931), Position(lon: 82.601, lat: 49.931)]]),
            Polygon(outerRing: [Position(lon: 82.606, lat: 49.935), Position(lon: 82.608, lat: 49.935), Position(lon: 82.608, lat: 49.9365),
                                Position(lon: 82.606, lat: 49.9365), Position(lon: 82.606, lat: 49.935)]),
        ])
        let text = try #require(WKT.text(park))
        #expect(try WKT.geometry(text) == park)
        #expect(try WKT.geometry("point(82.6268   49.9541)") == .point(Position(lon: 82.6268, lat: 49.9541)))
        #expect(try WKT.geometry(" Polygon((0 0,1 0,1 1,0 0)) ")
                == .polygon(Polygon(outerRing: [Position(x: 0, y: 0), Position(x: 1, y: 0), Position(x: 1, y: 1), Position(x: 0, y: 0)])))
        #expect(try WKT.geometry("POINT (-1.5e1 +2)") == .point(Position(x: -15, y: 2)))
    }

    @Test("broken or foreign WKT is refused with what was expected and where", arguments: [
        ("", "expected POINT, POLYGON or MULTIPOLYGON at character 1"),
        ("LINESTRING (0 0, 1 1)", "LINESTRING is not an entity's geometry (POINT, POLYGON or MULTIPOLYGON) at character 1"),
        ("POINT EMPTY", "an EMPTY geometry has no place at character 7"),
        ("POINT Z (1 2 3)", "Z: only 2D coordinates are read at character 7"),
        ("POINT (1 2 3)", "expected ',' or ')' after two coordinates (only 2D is read) at character 12"),
        ("POINT (1 north)", "expected a number at character 10"),
        ("POLYGON ((0 0, 1 0, 1 1, 0 0)", "expected ',' or ')' at character 30"),
        ("POINT (1 2) x", "unexpected text after the geometry at character 13"),
        ("POINT (1 nan)", "expected a number at character 10"),
    ])
    func refuses(text: String, message: String) {
        #expect(throws: WKT.ParseError.self) { try WKT.geometry(text) }
        do {
            _ = try WKT.geometry(text)
        } catch {
            #expect(error.description == message, "\(text)")
        }
    }
}
