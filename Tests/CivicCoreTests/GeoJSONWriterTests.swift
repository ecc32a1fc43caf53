import CivicTestSupport
import CivicCore
import GeoValues
import Testing

@Suite("GeoJSON writer: RFC 7946, one layout")
struct GeoJSONWriterTests {
    @Test func onePerLineLayoutIsExact() {
        let features = [
            Feature(id: .number(1), properties: JSONObject([("name", .string("Үлбі")), ("population", .number(1200))]),
                    geometry: .point(Position(lon: 82.61012344, lat: 49.9512345))),
            Feature(id: .string("ulbinsky"), geometry: nil),
            Feature(properties: JSONObject([("note", .string("a \"quoted\"\nline / slash"))]),
                    geometry: .lineString([Position(x: 1, y: 2), Position(x: 3.5, y: -4.25)])),
        ]
        let expected = """
            {"type":"FeatureCollection","features":[
            {"type":"Feature","id":1,"properties":{"name":"Үлбі","population":1200},"geometry":{"type":"Point","coordinates":[82.6101234,49.9512345]}},
            {"type":"Feature","id":"ulbinsky","properties":{},"geometry":null},
            {"type":"Feature","properties":{"note":"a \\"quoted\\"\\nline / slash"},"geometry":{"type":"LineString","coordinates":[[1,2],[3.5,-4.25]]}}
            ]}

            """
        #expect(GeoJSONWriter.featureCollection(features, onePerLine: true) == expected)
        #expect(GeoJSONWriter.featureCollection([], onePerLine: true) == "{\"type\":\"FeatureCollection\",\"features\":[\n]}\n")
        #expect(GeoJSONWriter.featureCollection(Array(features[1...1]), onePerLine: false)
            == "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"id\":\"ulbinsky\",\"properties\":{},\"geometry\":null}]}\n")
    }

    @Test func clockwiseExteriorsAndCounterClockwiseHolesAreRewound() throws {
        let features = try GeoJSONReader.features(in: try fixture("clockwise-square.geojson"), file: "cw.geojson")
        let expected = String(decoding: try fixture("clockwise-square.expected.geojson"), as: UTF8.self)
        let written = GeoJSONWriter.featureCollection(features, onePerLine: true)
        #expect(written == expected)
        // What is written reads back wound right, and writes back the same.
        let again = try GeoJSONReader.features(in: Array(written.utf8), file: "again")
        let polygon = try #require(again.first?.geometry?.polygons.first, "a polygon")
        #expect(Ring.signedArea(polygon.outerRing) > 0)
        #expect(Ring.signedArea(polygon.innerRings[0]) < 0)
        #expect(GeoJSONWriter.featureCollection(again, onePerLine: true) == expected)
    }

    @Test func everyPolygonOfAMultiPolygonIsRewound() {
        let clockwise = [Position(x: 0, y: 0), Position(x: 0, y: 1), Position(x: 1, y: 1), Position(x: 1, y: 0), Position(x: 0, y: 0)]
        let geometry = Geometry.multiPolygon([Polygon(outerRing: clockwise), Polygon(outerRing: clockwise.map { Position(x: $0.x + 5, y: $0.y) })])
        #expect(GeoJSONWriter.geometry(geometry)
            == #"{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,1],[0,0]]],[[[5,0],[6,0],[6,1],[5,1],[5,0]]]]}"#)
        #expect(GeoJSONWriter.geometry(.geometryCollection([.point(Position(x: 1, y: 2)), geometry])).hasPrefix(
            #"{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]},{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0]"#))
    }

    @Test(arguments: [
        (82.61012345678, "82.6101235"), (49.95123449, "49.9512345"), (1e-7, "0.0000001"), (-1e-7, "-0.0000001"),
        (1e-8, "0"), (-0.00000004, "0"), (180, "180"), (-90, "-90"), (0.1, "0.1"), (-179.99999996, "-180"),
        (82.6, "82.6"), (1e20, "100000000000000000000"), (123456789012.5, "123456789012.5"), (Double.leastNonzeroMagnitude, "0"),
    ])
    func coordinatesHaveAtMostSevenDecimalsAndNoExponent(value: Double, text: String) {
        #expect(JSONNumber.format(value, decimals: 7) == text)
        let written = GeoJSONWriter.geometry(.point(Position(x: value, y: 0)))
        #expect(written == "{\"type\":\"Point\",\"coordinates\":[\(text),0]}")
        #expect(!text.contains("e") && !text.contains("E"), "no exponent in \(text)")
    }

    @Test func shortestNumbersHaveNoExponentEither() {
        #expect(JSONNumber.format(1e-7) == "0.0000001")
        #expect(JSONNumber.format(1e20) == "100000000000000000000")
        #expect(JSONNumber.format(-1.5e-5) == "-0.000015")
        #expect(JSONNumber.format(0.1) == "0.1")
        #expect(JSONNumber.format(-0.0) == "0")
        #expect(JSONNumber.format(500) == "500")
        #expect(JSONNumber.format(Double.nan) == "null")
        #expect(JSONNumber.isValidLiteral("-0.5e3") && !JSONNumber.isValidLiteral("01") && !JSONNumber.isValidLiteral("inf"))
    }

    @Test func outputHasNoBOMAndNoCRS() throws {
        let features = try GeoJSONReader.features(in: try fixture("legacy-crs84.geojson"), file: "legacy")
        let written = Array(GeoJSONWriter.featureCollection(features, onePerLine: true).utf8)
        #expect(written.first == UInt8(ascii: "{"))
        #expect(!String(decoding: written, as: UTF8.self).contains("crs"))
        #expect(String(decoding: written, as: UTF8.self).contains("[82.6,49.95]"), "altitude dropped")
    }

    @Test func kazakhAndCyrillicNamesRoundTripExactly() throws {
        let bytes = try fixture("entities-compact.geojson")
        let features = try GeoJSONReader.features(in: bytes, file: "entities.geojson")
        let written = GeoJSONWriter.featureCollection(features, onePerLine: true)
        #expect(written == String(decoding: bytes, as: UTF8.self), "the writer's own layout comes back byte for byte")
        for name in ["«Үлбі»", "ҚҰҒҢӘІҮҺ", "Өскемен"] {
            #expect(written.contains(name), "\(name) written as is")
        }
        #expect(!written.contains("\\u"), "no \\u escapes")
        let again = try GeoJSONReader.features(in: Array(written.utf8), file: "again")
        #expect(again == features)
    }
}
