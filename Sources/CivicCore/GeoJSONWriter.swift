import GeoValues

/// The one GeoJSON writer of civic: datasets, exports, coverage and gaps all go through it.
///
/// RFC 7946: longitude/latitude, polygons by the right-hand rule (outer rings counter-clockwise,
/// holes clockwise — rewound here when they come the other way), no `crs` member, coordinates with
/// at most 7 decimals (about 1 cm) and trailing zeros dropped, never an exponent, non-ASCII text as
/// is, UTF-8 without a byte order mark. Members in a fixed order: `type`, `id`, `properties`,
/// `geometry`; properties in the order of the feature's ``JSONObject``.
///
/// With `onePerLine`, the layout a dataset keeps in git, so that a diff shows one line per feature:
/// ```
/// {"type":"FeatureCollection","features":[
/// {"type":"Feature","id":1,"properties":{"name":"Үлбі"},"geometry":{"type":"Point","coordinates":[82.6101234,49.9512345]}},
/// {"type":"Feature","id":2,"properties":{…},"geometry":{…}}
/// ]}
/// ```
public enum GeoJSONWriter {
    /// Decimals kept in coordinates: 1e-7 degrees is about 1 cm.
    public static let coordinateDecimals = 7

    /// A FeatureCollection, ending with a newline. With `onePerLine`, the layout above; without it,
    /// the whole collection on one line.
    public static func featureCollection(_ features: [Feature], onePerLine: Bool) -> String {
        var writer = JSONTextWriter(reservingCapacity: 256 + features.count * 160)
        writer.raw("{\"type\":\"FeatureCollection\",\"features\":[")
        for (i, feature) in features.enumerated() {
            if i > 0 { writer.byte(JSONByte.comma) }
            if onePerLine { writer.byte(JSONByte.newline) }
            write(feature, to: &writer)
        }
        if onePerLine { writer.byte(JSONByte.newline) }
        writer.raw("]}\n")
        return writer.text
    }

    /// One Feature on one line, without a newline.
    public static func feature(_ feature: Feature) -> String {
        var writer = JSONTextWriter()
        write(feature, to: &writer)
        return writer.text
    }

    /// One geometry object on one line (right-hand rule, 7 decimals), without a newline.
    public static func geometry(_ geometry: Geometry) -> String {
        var writer = JSONTextWriter()
        write(geometry, to: &writer)
        return writer.text
    }

    static func write(_ feature: Feature, to writer: inout JSONTextWriter) {
        writer.raw("{\"type\":\"Feature\"")
        if let id = feature.id {
            writer.raw(",\"id\":")
            switch id {
            case .string(let s): writer.string(s)
            case .number(let n): writer.number(n)
            }
        }
        writer.raw(",\"properties\":")
        writer.write(.object(feature.properties), pretty: false, indent: 0)
        writer.raw(",\"geometry\":")
        if let geometry = feature.geometry {
            write(geometry, to: &writer)
        } else {
            writer.raw("null")
        }
        writer.byte(JSONByte.closeBrace)
    }

    static func write(_ geometry: Geometry, to writer: inout JSONTextWriter) {
        writer.raw("{\"type\":\"")
        writer.raw(geometry.typeName)
        writer.byte(JSONByte.quote)
        if case .geometryCollection(let parts) = geometry {
            writer.raw(",\"geometries\":[")
            for (i, part) in parts.enumerated() {
                if i > 0 { writer.byte(JSONByte.comma) }
                write(part, to: &writer)
            }
            writer.raw("]}")
            return
        }
        writer.raw(",\"coordinates\":")
        switch geometry {
        case .point(let p):
            write(p, to: &writer)
        case .multiPoint(let positions), .lineString(let positions):
            write(positions, to: &writer)
        case .multiLineString(let lines):
            write(lines, to: &writer)
        case .polygon(let polygon):
            write(polygon, to: &writer)
        case .multiPolygon(let polygons):
            writer.byte(JSONByte.openBracket)
            for i in polygons.indices {
                if i > 0 { writer.byte(JSONByte.comma) }
                write(polygons[i], to: &writer)
            }
            writer.byte(JSONByte.closeBracket)
        case .geometryCollection:
            break
        }
        writer.byte(JSONByte.closeBrace)
    }

    /// The rings by the right-hand rule: outer counter-clockwise, holes clockwise; a ring wound
    /// the other way is written backwards rather than copied.
    static func write(_ polygon: Polygon, to writer: inout JSONTextWriter) {
        writer.byte(JSONByte.openBracket)
        write(polygon.outerRing, backwards: Ring.signedArea(polygon.outerRing) < 0, to: &writer)
        for ring in polygon.innerRings {
            writer.byte(JSONByte.comma)
            write(ring, backwards: Ring.signedArea(ring) > 0, to: &writer)
        }
        writer.byte(JSONByte.closeBracket)
    }

    static func write(_ lists: [[Position]], to writer: inout JSONTextWriter) {
        writer.byte(JSONByte.openBracket)
        for i in lists.indices {
            if i > 0 { writer.byte(JSONByte.comma) }
            write(lists[i], to: &writer)
        }
        writer.byte(JSONByte.closeBracket)
    }

    static func write(_ positions: [Position], backwards: Bool = false, to writer: inout JSONTextWriter) {
        writer.byte(JSONByte.openBracket)
        let count = positions.count
        for i in 0..<count {
            if i > 0 { writer.byte(JSONByte.comma) }
            write(positions[backwards ? count - 1 - i : i], to: &writer)
        }
        writer.byte(JSONByte.closeBracket)
    }

    static func write(_ p: Position, to writer: inout JSONTextWriter) {
        writer.byte(JSONByte.openBracket)
        JSONNumber.appendFixed(p.x, decimals: coordinateDecimals, to: &writer.bytes)
        writer.byte(JSONByte.comma)
        JSONNumber.appendFixed(p.y, decimals: coordinateDecimals, to: &writer.bytes)
        writer.byte(JSONByte.closeBracket)
    }
}
