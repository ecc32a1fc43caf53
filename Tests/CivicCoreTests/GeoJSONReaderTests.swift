import CivicTestSupport
import CivicCore
import GeoValues
import Testing

@Suite("GeoJSON reader: what it accepts")
struct GeoJSONReaderAcceptsTests {
    @Test func readsAFeatureCollection() throws {
        let features = try GeoJSONReader.features(in: try fixture("entities-compact.geojson"), file: "entities.geojson")
        #expect(features.map(\.id) == [.number("1"), .number("2"), .number("3")])
        #expect(features.map(\.line) == [2, 3, 4])
        #expect(features[0].properties["name"] == .string("Совет двора «Үлбі»"))
        #expect(features[0].properties.keys == ["kind", "name", "names", "themes", "status", "address", "source"])
        #expect(features[0].geometry == .point(Position(lon: 82.6101234, lat: 49.9512345)))
        #expect(features[1].properties["name"] == .string("ҚҰҒҢӘІҮҺ"))
        guard case .multiPolygon(let polygons)? = features[2].geometry else {
            Issue.record("feature 3 is not a MultiPolygon: \(String(describing: features[2].geometry))")
            return
        }
        #expect(polygons.count == 2)
        #expect(polygons[0].innerRings.count == 1)
        #expect(polygons[1].outerRing.count == 4)
    }

    @Test func prettyAndCompactFilesGiveEqualFeatures() throws {
        let compact = try GeoJSONReader.features(in: try fixture("entities-compact.geojson"), file: "a")
        let pretty = try GeoJSONReader.features(in: try fixture("entities-pretty.geojson"), file: "b")
        #expect(compact == pretty)
        #expect(pretty.map(\.line) != compact.map(\.line), "lines differ, equality ignores them")
    }

    @Test func aByteOrderMarkIsAccepted() throws {
        let withBOM = try GeoJSONReader.features(in: try fixture("bom.geojson"), file: "bom.geojson")
        let without = try GeoJSONReader.features(in: try fixture("entities-compact.geojson"), file: "x")
        #expect(withBOM == without)
        #expect(withBOM.map(\.line) == [2, 3, 4])
    }

    @Test func crlfLinesAreCountedOnce() throws {
        let features = try GeoJSONReader.features(in: try fixture("crlf.geojson"), file: "crlf.geojson")
        #expect(features.map(\.line) == [4, 30])
        let text = "{\"type\":\"FeatureCollection\",\r\n\"features\":[\r\n"
            + feature(id: "1", geometry: #"{"type":"Point","coordinates":[82.6,49.9]}"#) + ",\r\n"
            + feature(id: "2", geometry: #"{"type":"Point","coordinates":[282.6,49.9]}"#) + "\r\n]}\r\n"
        expectError(readFailure(text), .invalid("t.geojson", line: 4, place: "features[1] (id 2)", field: "geometry.coordinates"),
                    reason: "longitude 282.6 is outside -180…180")
    }

    @Test func aSingleFeatureOrABareGeometryAtTheRoot() throws {
        let single = try GeoJSONReader.features(in: Array(feature(id: "5", geometry: #"{"type":"Point","coordinates":[1,2]}"#).utf8),
                                                file: "f.geojson")
        #expect(single == [Feature(id: .number("5"), properties: JSONObject([("name", .string("x"))]),
                                   geometry: .point(Position(x: 1, y: 2)))])
        let bare = try GeoJSONReader.features(in: Array("\n{\"coordinates\":[[1,2],[3,4]],\"type\":\"LineString\"}".utf8),
                                              file: "g.geojson")
        #expect(bare == [Feature(geometry: .lineString([Position(x: 1, y: 2), Position(x: 3, y: 4)]))])
        #expect(bare.first?.line == 2)
        // Problems in them are named as well.
        expectError(readFailure(feature(id: "5", geometry: #"{"type":"Point","coordinates":[1]}"#)),
                    .invalid("t.geojson", line: 1, place: "feature (id 5)", field: "geometry.coordinates"),
                    reason: "has one number")
        expectError(readFailure("\n\n{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[0,0]]]}"),
                    .invalid("t.geojson", line: 3, place: "root", field: "coordinates"),
                    reason: "the outer ring has 3 positions; a ring needs at least 4")
    }

    @Test func aWGS84CRSIsAcceptedAndAltitudeDropped() throws {
        let features = try GeoJSONReader.features(in: try fixture("legacy-crs84.geojson"), file: "legacy.geojson")
        #expect(features.map(\.geometry) == [.point(Position(lon: 82.6, lat: 49.95))])
        for name in ["EPSG:4326", "urn:ogc:def:crs:EPSG::4326", "urn:ogc:def:crs:OGC:1.3:CRS84"] {
            let text = #"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"\#(name)"}},"features":[]}"#
            #expect(readFailure(text) == nil, "crs \(name)")
        }
    }

    @Test func nullGeometryAndPropertiesAndForeignMembers() throws {
        let text = collection(
            #"{"type":"Feature","id":"a","properties":null,"geometry":null}"#,
            #"{"type":"Feature","properties":{"nested":{"deep":[1,{"x":[]}]}},"bbox":[0,0,1,1],"title":"foreign","geometry":{"type":"Point","coordinates":[0.5,0.5],"bbox":[0,0,1,1]}}"#,
            #"{"type":"Feature","properties":{}}"#)
        let features = try GeoJSONReader.features(in: Array(text.utf8), file: "t")
        #expect(features.count == 3)
        #expect(features[0].geometry == nil && features[0].properties.isEmpty && features[0].id == .string("a"))
        #expect(features[1].id == nil && features[1].geometry == .point(Position(x: 0.5, y: 0.5)))
        #expect(features[1].properties["nested"]?.objectValue?["deep"]?.arrayValue?.count == 2)
        #expect(features[2].geometry == nil)
    }

    @Test func memberOrderDoesNotMatter() throws {
        let text = collection(#"{"geometry":{"coordinates":[[[0,0],[1,0],[1,1],[0,0]]],"type":"Polygon"},"properties":{},"id":4,"type":"Feature"}"#)
        let features = try GeoJSONReader.features(in: Array(("{\"features\":" + text.dropFirst(39)).utf8), file: "t")
        #expect(features.first?.id == .number("4"))
        #expect(features.first?.geometry?.polygons.first?.outerRing.count == 4)
    }

    @Test func geometryCollectionsAndMultiGeometries() throws {
        let text = collection(feature(geometry: #"{"type":"GeometryCollection","geometries":[{"type":"MultiPoint","coordinates":[[1,2],[3,4]]},{"type":"MultiLineString","coordinates":[[[0,0],[1,1]],[[2,2],[3,3]]]}]}"#))
        let features = try GeoJSONReader.features(in: Array(text.utf8), file: "t")
        #expect(features.first?.geometry == .geometryCollection([
            .multiPoint([Position(x: 1, y: 2), Position(x: 3, y: 4)]),
            .multiLineString([[Position(x: 0, y: 0), Position(x: 1, y: 1)], [Position(x: 2, y: 2), Position(x: 3, y: 3)]]),
        ]))
    }

    @Test func numbersAreReadExactly() throws {
        let literals = ["82.6101234", "-179.9999999", "0.1", "49.95123456789012345678", "1e-7", "12.5E1", "-0", "180"]
        for literal in literals {
            let text = feature(geometry: #"{"type":"Point","coordinates":[\#(literal),0]}"#)
            let features = try GeoJSONReader.features(in: Array(text.utf8), file: "t")
            let expected = try #require(Double(literal), "Swift reads \(literal)")
            #expect(features.first?.geometry == .point(Position(x: expected, y: 0)), "\(literal)")
        }
    }

    @Test func bigIDsStayExact() throws {
        let text = collection(feature(id: "9007199254740993", geometry: "null"))
        let features = try GeoJSONReader.features(in: Array(text.utf8), file: "t")
        #expect(features.first?.id == .number("9007199254740993"))
        #expect(GeoJSONWriter.featureCollection(features, onePerLine: true) == text)
    }

    @Test func aLargeCollectionReadsQuickly() throws {
        // 4,000 features, about 2 MB; the release build reads 40,000 (20 MB) in a few hundredths of a second.
        var lines: [String] = []
        for i in 1...4_000 {
            let ring = (0...40).map { k -> String in
                let angle = Double(k % 40) / 40 * 2 * Double.pi
                let x = 82.6 + Double(i % 100) * 0.001 + 0.0005 * cosine(angle)
                let y = 49.95 + Double(i / 100) * 0.001 + 0.0005 * sine(angle)
                return "[\(JSONNumber.format(x, decimals: 7)),\(JSONNumber.format(y, decimals: 7))]"
            }
            lines.append(feature(id: "\(i)", geometry: "{\"type\":\"Polygon\",\"coordinates\":[[\(ring.joined(separator: ","))]]}",
                                 properties: #"{"name":"Объект \#(i)","themes":["youth"]}"#))
        }
        let bytes = Array(collection(lines[...]).utf8)
        var count = 0
        let time = try seconds { count = try GeoJSONReader.features(in: bytes, file: "big").count }
        #expect(count == 4_000)
        #expect(time < 5, "took \(time) s for \(bytes.count) bytes in a debug build")
    }
}

/// Enough of cos and sin for test data, without Foundation's maths.
private func cosine(_ x: Double) -> Double { sine(x + Double.pi / 2) }
private func sine(_ x: Double) -> Double {
    var term = x, sum = x
    for n in 1..<12 {
        term *= -x * x / Double((2 * n) * (2 * n + 1))
        sum += term
    }
    return sum
}

private func collection(_ features: ArraySlice<String>) -> String {
    "{\"type\":\"FeatureCollection\",\"features\":[\n" + features.joined(separator: ",\n") + "\n]}\n"
}

@Suite("GeoJSON reader: what it refuses, and how it says so")
struct GeoJSONReaderRefusesTests {
    static let point = #"{"type":"Point","coordinates":[82.6,49.9]}"#

    @Test func hostileFilesAreSyntaxErrors() {
        expectError(readFailure(""), .syntax("t.geojson", line: 1, column: 1), reason: "the file is empty")
        expectError(readFailure("<?xml version=\"1.0\"?>\n<gml:FeatureCollection/>"), .syntax("t.geojson", line: 1, column: 1),
                    reason: "found '<'", hint: "ogr2ogr")
        expectError(readFailure(String(repeating: "[", count: 100_000)), .syntax("t.geojson", line: 1, column: 65),
                    reason: "nesting deeper than 64 levels")
        let deepProperties = collection(feature(geometry: "null", properties: String(repeating: "{\"a\":", count: 1000)))
        expectError(readFailure(deepProperties), .syntax("t.geojson", line: 2, column: 38 + 61 * 5 + 1),
                    reason: "nesting deeper than 64 levels")
        expectError(readFailure(collection(feature(geometry: Self.point)) + "garbage"),
                    .syntax("t.geojson", line: 4, column: 1), reason: "unexpected 'g' after the end")
    }

    @Test func aTruncatedFileSaysSo() throws {
        let bytes = try fixture("entities-compact.geojson")
        // Cut inside a string, the error points at its opening quote; cut between numbers, at the end.
        expectError(readFailure(Array(bytes[..<600])), .syntax("t.geojson", line: 3, column: 149),
                    reason: "a string is not closed before the end of the file", hint: "truncated")
        expectError(readFailure(Array(bytes[..<645])), .syntax("t.geojson", line: 3, column: 200),
                    reason: "unexpected end of file; expected a number", hint: "truncated")
    }

    @Test func invalidUTF8InPropertiesNamesLineAndColumn() {
        var bytes = Array(collection(feature(geometry: Self.point), feature(geometry: Self.point, properties: "{\"name\":\"Өске\u{1}\"}")).utf8)
        let at = bytes.firstIndex(of: 0x01) ?? 0
        bytes[at] = 0xFF
        expectError(readFailure(bytes), .syntax("t.geojson", line: 3, column: 52), reason: "invalid UTF-8 (byte 0xFF)")
    }

    @Test func theRootMustBeAnObject() {
        expectError(readFailure("\n[1, 2]"), .invalid("t.geojson", line: 2, place: "root", field: nil),
                    reason: "the root is an array, not a GeoJSON object")
        expectError(readFailure(#"{"type":"Topology"}"#), .invalid("t.geojson", line: 1, place: "root", field: "type"),
                    reason: "unknown GeoJSON type \"Topology\"")
        expectError(readFailure(#"{"name":"x"}"#), .invalid("t.geojson", line: 1, place: "root", field: "type"),
                    reason: "missing")
    }

    @Test("TopoJSON is named as such, with the commands that convert it")
    func topoJSONGetsAConversionHint() throws {
        let error = readFailure(try fixture("districts.topojson"), file: "districts.topojson")
        expectError(error, .invalid("districts.topojson", line: 1, place: "root", field: "type"),
                    reason: "the file is TopoJSON", hint: "mapshaper in.topojson -o format=geojson out.geojson")
        #expect(error?.hint?.contains("ogr2ogr -f GeoJSON out.geojson in.topojson") == true)
    }

    @Test("an entities file git left with conflict markers is named an unresolved merge conflict at its line")
    func mergeConflictIsNamed() throws {
        let bytes = try fixture("entities-merge-conflict.geojson")
        let error = readFailure(bytes, file: "entities.geojson")
        expectError(error, .syntax("entities.geojson", line: 3, column: 1),
                    reason: "unresolved merge conflict at line 3 (2 conflicts in the file)", hint: "civic validate")
        #expect(error?.hint?.contains("XML") == false, "not the KML hint: \(String(describing: error?.hint))")
        #expect(error?.description.hasPrefix("entities.geojson:3:1: unresolved merge conflict at line 3") == true,
                "\(String(describing: error))")
        // dataset.json and the other JSON files go through the same parser.
        let dataset = "{\n  \"name\": \"Гражданская карта\",\n<<<<<<< HEAD\n  \"radius_m\": 500\n=======\n  \"radius_m\": 800\n>>>>>>> other\n}\n"
        expectError(parseFailure(dataset, file: "dataset.json"), .syntax("dataset.json", line: 3, column: 1),
                    reason: "unresolved merge conflict at line 3")
        // A '<' that is not a conflict marker keeps the XML hint.
        expectError(readFailure("<kml>\n<<<<<<<<x\n"), .syntax("t.geojson", line: 1, column: 1),
                    reason: "found '<'", hint: "KML")
    }

    @Test func featuresMustBeAnArrayOfObjects() {
        expectError(readFailure(#"{"type":"FeatureCollection"}"#), .invalid("t.geojson", line: 1, place: "root", field: "features"),
                    reason: "missing: a FeatureCollection needs a features array")
        expectError(readFailure("{\"type\":\"FeatureCollection\",\n\"features\":{\"a\":1}}"),
                    .invalid("t.geojson", line: 2, place: "root", field: "features"),
                    reason: "must be an array of features, found an object")
        expectError(readFailure(collection(feature(geometry: Self.point), "42")),
                    .invalid("t.geojson", line: 3, place: "features[1]", field: nil),
                    reason: "a feature must be an object, found a number")
        expectError(readFailure(collection(#"{"type":"Point","coordinates":[1,2]}"#)),
                    .invalid("t.geojson", line: 2, place: "features[0]", field: "type"),
                    reason: "is \"Point\", not \"Feature\"", hint: "wrap the geometry")
        expectError(readFailure(collection(#"{"properties":{},"geometry":null}"#)),
                    .invalid("t.geojson", line: 2, place: "features[0]", field: "type"), reason: "missing")
    }

    @Test func unknownGeometryTypes() {
        expectError(readFailure(collection(feature(geometry: Self.point), feature(id: "17", geometry: #"{"type":"Circle","coordinates":[1,2],"radius":5}"#))),
                    .invalid("t.geojson", line: 3, place: "features[1] (id 17)", field: "geometry.type"),
                    reason: "unknown geometry type \"Circle\"")
        expectError(readFailure(collection(feature(id: "\"a\"", geometry: #"{"type":"point","coordinates":[1,2]}"#))),
                    .invalid("t.geojson", line: 2, place: "features[0] (id a)", field: "geometry.type"),
                    reason: "unknown geometry type \"point\"", hint: "did you mean \"Point\"")
        expectError(readFailure(collection(feature(geometry: #"{"coordinates":[1,2]}"#))),
                    .invalid("t.geojson", line: 2, place: "features[0] (id 7)", field: "geometry.type"), reason: "missing")
        expectError(readFailure(collection(feature(geometry: #"{"type":"Point"}"#))),
                    .invalid("t.geojson", line: 2, place: "features[0] (id 7)", field: "geometry.coordinates"),
                    reason: "missing: a Point needs coordinates")
    }

    @Test(arguments: [
        (#"["82.6","49.9"]"#, "coordinates are strings (\"82.6\"), not numbers"),
        ("[82.6]", "the position [82.6] has one number"),
        ("[NaN,49.9]", "NaN is not a finite number"),
        ("[Infinity,49.9]", "Infinity is not a finite number"),
        ("[82.6,-Infinity]", "-Infinity is not a finite number"),
        ("[1e400,49.9]", "1e400 is not a finite number"),
        ("[82.6,-1E999]", "-1E999 is not a finite number"),
        ("[[82.6,49.9]]", "nested deeper than a Point needs"),
        ("82.6", "nested less deeply than a Point needs"),
        ("[]", "an empty position []"),
        ("[82.6,null]", "a coordinate must be a number, found null"),
        ("{\"x\":1}", "must be an array, found an object"),
    ])
    func badPointCoordinates(coordinates: String, reason: String) {
        let text = collection(feature(geometry: Self.point),
                              feature(id: "17", geometry: "{\"type\":\"Point\",\"coordinates\":\(coordinates)}"))
        expectError(readFailure(text), .invalid("t.geojson", line: 3, place: "features[1] (id 17)", field: "geometry.coordinates"),
                    reason: reason)
    }

    @Test func coordinatesOutOfRange() {
        func point(_ coordinates: String) -> CivicError? {
            readFailure(collection(feature(id: "3", geometry: "{\"type\":\"Point\",\"coordinates\":\(coordinates)}")))
        }
        let shape = ErrorShape.invalid("t.geojson", line: 2, place: "features[0] (id 3)", field: "geometry.coordinates")
        expectError(point("[182.5,49.9]"), shape, reason: "position [182.5, 49.9]: longitude 182.5 is outside -180…180")
        expectError(point("[49.95,95]"), shape, reason: "latitude 95 is outside -90…90", hint: "swapped")
        expectError(point("[-82.6,-120.25]"), shape, reason: "latitude -120.25 is outside", hint: "swapped")
        expectError(point("[9196000.5,6425000.25]"), shape, reason: "longitude 9196000.5 is outside",
                    hint: "ogr2ogr -t_srs EPSG:4326")
    }

    @Test func ringsMustBeClosedAndLongEnough() {
        func polygon(_ coordinates: String, type: String = "Polygon") -> CivicError? {
            readFailure(collection(feature(geometry: Self.point),
                                   feature(id: "\"park\"", geometry: "{\"type\":\"\(type)\",\"coordinates\":\(coordinates)}")))
        }
        let shape = ErrorShape.invalid("t.geojson", line: 3, place: "features[1] (id park)", field: "geometry.coordinates")
        expectError(polygon("[[[0,0],[1,0],[1,1],[0,1]]]"), shape,
                    reason: "the outer ring is not closed: it starts at [0, 0] and ends at [0, 1]", hint: "repeat the first position")
        expectError(polygon("[[[0,0],[1,0],[0,0]]]"), shape, reason: "the outer ring has 3 positions; a ring needs at least 4")
        expectError(polygon("[[[0,0],[4,0],[4,4],[0,0]],[[1,1],[2,1],[2,2]]]"), shape, reason: "inner ring 1 has 3 positions")
        expectError(polygon("[]"), shape, reason: "a polygon without rings")
        expectError(polygon("[[[[0,0],[1,0],[1,1],[0,0]]],[[[5,5],[6,5],[6,6],[5,5]],[[5.1,5.1],[5.2,5.1],[5.2,5.2],[5.1,5.2]]]]",
                            type: "MultiPolygon"),
                    shape, reason: "polygon 1: inner ring 1 is not closed")
        expectError(polygon("[[0,0],[1,0],[1,1],[0,0]]"), shape, reason: "nested less deeply than a Polygon needs")
        expectError(polygon("[[[[0,0],[1,0],[1,1],[0,0]]]]"), shape, reason: "nested deeper than a Polygon needs")
        expectError(polygon("[[[[[0,0],[1,0],[1,1],[0,0]]]]]", type: "MultiPolygon"), shape,
                    reason: "nested deeper than a MultiPolygon needs")
    }

    @Test func lineStringsNeedTwoPositions() {
        let shape = ErrorShape.invalid("t.geojson", line: 2, place: "features[0] (id 7)", field: "geometry.coordinates")
        expectError(readFailure(collection(feature(geometry: #"{"type":"LineString","coordinates":[[1,2]]}"#))), shape,
                    reason: "the line string has 1 position; a line string needs at least 2")
        expectError(readFailure(collection(feature(geometry: #"{"type":"MultiLineString","coordinates":[[[1,2],[3,4]],[]]}"#))),
                    shape, reason: "line string 1 has 0 positions")
    }

    @Test func propertiesMustBeAnObjectOrNull() {
        expectError(readFailure(collection(feature(geometry: Self.point, properties: "[1]"))),
                    .invalid("t.geojson", line: 2, place: "features[0] (id 7)", field: "properties"),
                    reason: "must be an object or null, found an array")
        expectError(readFailure(collection(feature(geometry: Self.point, properties: "\"name\""))),
                    .invalid("t.geojson", line: 2, place: "features[0] (id 7)", field: "properties"),
                    reason: "found a string")
    }

    @Test func geometryCollectionsMustNotBeEmpty() {
        expectError(readFailure(collection(feature(geometry: #"{"type":"GeometryCollection","geometries":[]}"#))),
                    .invalid("t.geojson", line: 2, place: "features[0] (id 7)", field: "geometry.geometries"),
                    reason: "an empty GeometryCollection", hint: "\"geometry\": null")
        expectError(readFailure(collection(feature(geometry: #"{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]},{"type":"Point","coordinates":[1,"2"]}]}"#))),
                    .invalid("t.geojson", line: 2, place: "features[0] (id 7)", field: "geometry.geometries[1].coordinates"),
                    reason: "coordinates are strings")
    }

    @Test func theIDIsNamedEvenWhenItComesLast() {
        let text = collection(#"{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2,"x"]},"properties":{},"id":"late"}"#,
                              #"{"type":"Feature","geometry":{"type":"Point","coordinates":[1]},"properties":{}}"#)
        expectError(readFailure(text), .invalid("t.geojson", line: 2, place: "features[0] (id late)", field: "geometry.coordinates"),
                    reason: "coordinates are strings")
        expectError(readFailure(collection(#"{"type":"Feature","geometry":{"type":"Point","coordinates":[1]},"properties":{}}"#)),
                    .invalid("t.geojson", line: 2, place: "features[0]", field: "geometry.coordinates"), reason: "one number")
        expectError(readFailure(collection(#"{"type":"Feature","id":{"n":1},"geometry":null}"#)),
                    .invalid("t.geojson", line: 2, place: "features[0]", field: "id"), reason: "must be a string or a number")
    }

    @Test func aForeignCRSIsRefusedWithTheFix() throws {
        expectError(readFailure(try fixture("projected-3857.geojson"), file: "districts.geojson"),
                    .invalid("districts.geojson", line: 4, place: "root", field: "crs"),
                    reason: "\"urn:ogc:def:crs:EPSG::3857\"", hint: "ogr2ogr -t_srs EPSG:4326")
        let linked = collection(#"{"type":"Feature","crs":{"type":"link","properties":{"href":"x.prj"}},"properties":{},"geometry":null}"#)
        expectError(readFailure(linked), .invalid("t.geojson", line: 2, place: "features[0]", field: "crs"),
                    reason: "not a named CRS", hint: "ogr2ogr")
    }

    @Test func duplicateMembersAreRefused() {
        let text = collection(#"{"type":"Feature","geometry":null,"properties":{},"geometry":{"type":"Point","coordinates":[1,2]}}"#)
        expectError(readFailure(text), .syntax("t.geojson", line: 2, column: 51), reason: "duplicate member \"geometry\"")
    }

    @Test func randomByteDamageNeverCrashes() throws {
        let original = try fixture("entities-pretty.geojson")
        var generator = SeededRandom(seed: 20_261_125)
        var accepted = 0, refused = 0
        let time = seconds {
            for _ in 0..<500 {
                var bytes = original
                for _ in 0..<Int.random(in: 1...8, using: &generator) {
                    let at = Int.random(in: 0..<bytes.count, using: &generator)
                    switch Int.random(in: 0..<3, using: &generator) {
                    case 0: bytes[at] = UInt8.random(in: 0...255, using: &generator)
                    case 1: bytes.remove(at: at)
                    default: bytes.insert(UInt8.random(in: 0...255, using: &generator), at: at)
                    }
                }
                do throws(CivicError) {
                    _ = try GeoJSONReader.features(in: bytes, file: "damaged.geojson")
                    accepted += 1
                } catch {
                    // Every failure is a CivicError (typed throws) that names the file.
                    #expect(error.description.hasPrefix("damaged.geojson"), "\(error)")
                    refused += 1
                }
                _ = try? JSON.parse(bytes, file: "damaged.geojson")
            }
        }
        #expect(accepted + refused == 500)
        #expect(refused > 250, "most damage is noticed (accepted \(accepted))")
        #expect(time < 10, "took \(time) s")
    }
}
