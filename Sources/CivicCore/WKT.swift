import GeoValues

/// Well-known text (OGC 06-103, the 2D subset) for the geometries an entity can have: `POINT`,
/// `POLYGON` and `MULTIPOLYGON`. CSV exports carry an entity's geometry in one WKT cell, so that a
/// park's outline survives a trip through a spreadsheet and back (`civic import csv`); QGIS and
/// `ogr2ogr` read such a column too (`-oo GEOM_POSSIBLE_NAMES=geometry_wkt`).
///
/// Written as the GeoJSON writer writes coordinates: longitude first, at most 7 decimals, polygons by
/// the right-hand rule. So a geometry read back from its WKT is the one `entities.geojson` holds.
///
/// ```swift
/// WKT.text(.point(Position(lon: 82.6101, lat: 49.9512)))   // "POINT (82.6101 49.9512)"
/// try WKT.geometry("POLYGON ((0 0, 1 0, 1 1, 0 0))")
/// ```
public enum WKT {
    /// The WKT of a Point, Polygon or MultiPolygon; nil for the other types (an entity has none).
    public static func text(_ geometry: Geometry) -> String? {
        switch geometry.rightHanded {
        case .point(let p):
            return "POINT (\(coordinate(p)))"
        case .polygon(let polygon):
            return "POLYGON " + rings(polygon)
        case .multiPolygon(let polygons):
            return "MULTIPOLYGON (" + polygons.map(rings).joined(separator: ", ") + ")"
        default:
            return nil
        }
    }

    /// Why a WKT text cannot be read: what was expected, and where (a character offset).
    public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        public var reason: String
        public var offset: Int

        /// `expected '(' at character 9`.
        public var description: String { "\(reason) at character \(offset + 1)" }
    }

    /// A Point, Polygon or MultiPolygon from its WKT, in any case, with any spacing. `EMPTY`, Z/M
    /// coordinates and other types are refused: an entity has a place and is flat. Rings are
    /// taken as written (closing, validity and winding are the store's rules, as for GeoJSON).
    public static func geometry(_ text: String) throws(ParseError) -> Geometry {
        var parser = Parser(Array(text.utf8))
        let type = parser.word().uppercased()
        let geometry: Geometry
        switch type {
        case "POINT":
            try parser.open()
            geometry = .point(try parser.position())
            try parser.close()
        case "POLYGON":
            geometry = .polygon(try parser.polygon())
        case "MULTIPOLYGON":
            try parser.open()
            var polygons = [try parser.polygon()]
            while try parser.commaOrClose() { polygons.append(try parser.polygon()) }
            geometry = .multiPolygon(polygons)
        case "":
            throw ParseError(reason: "expected POINT, POLYGON or MULTIPOLYGON", offset: parser.offset)
        default:
            throw ParseError(reason: "\(type) is not an entity's geometry (POINT, POLYGON or MULTIPOLYGON)", offset: 0)
        }
        parser.skipSpaces()
        guard parser.atEnd else { throw ParseError(reason: "unexpected text after the geometry", offset: parser.offset) }
        return geometry
    }

    private static func coordinate(_ p: Position) -> String {
        JSONNumber.format(p.x, decimals: GeoJSONWriter.coordinateDecimals) + " "
            + JSONNumber.format(p.y, decimals: GeoJSONWriter.coordinateDecimals)
    }

    private static func rings(_ polygon: Polygon) -> String {
        "(" + polygon.rings.map { "(" + $0.map(coordinate).joined(separator: ", ") + ")" }.joined(separator: ", ") + ")"
    }

    /// A cursor over the UTF-8 bytes of the text.
    private struct Parser {
        let bytes: [UInt8]
        var offset = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { offset >= bytes.count }

        mutating func skipSpaces() {
            while offset < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[offset]) { offset += 1 }
        }

        mutating func word() -> String {
            skipSpaces()
            let start = offset
            while offset < bytes.count, (bytes[offset] | 0x20) >= 0x61, (bytes[offset] | 0x20) <= 0x7A { offset += 1 }
            return String(decoding: bytes[start..<offset], as: UTF8.self)
        }

        mutating func expect(_ byte: UInt8, _ what: String) throws(ParseError) {
            skipSpaces()
            guard offset < bytes.count, bytes[offset] == byte else {
                if byte == UInt8(ascii: "("), case let next = word(), !next.isEmpty {
                    throw ParseError(reason: next.uppercased() == "EMPTY" ? "an EMPTY geometry has no place"
                                                                          : "\(next.uppercased()): only 2D coordinates are read",
                                     offset: offset - next.utf8.count)
                }
                throw ParseError(reason: "expected \(what)", offset: offset)
            }
            offset += 1
        }

        mutating func open() throws(ParseError) { try expect(UInt8(ascii: "("), "'('") }
        mutating func close() throws(ParseError) { try expect(UInt8(ascii: ")"), "')'") }

        /// True after a comma (another item follows), false after the closing parenthesis.
        mutating func commaOrClose() throws(ParseError) -> Bool {
            skipSpaces()
            if offset < bytes.count, bytes[offset] == UInt8(ascii: ",") { offset += 1; return true }
            try expect(UInt8(ascii: ")"), "',' or ')'")
            return false
        }

        mutating func number() throws(ParseError) -> Double {
            skipSpaces()
            let start = offset
            while offset < bytes.count, "+-.0123456789eE".utf8.contains(bytes[offset]) { offset += 1 }
            guard let value = Double(String(decoding: bytes[start..<offset], as: UTF8.self)), value.isFinite else {
                throw ParseError(reason: "expected a number", offset: start)
            }
            return value
        }

        mutating func position() throws(ParseError) -> Position {
            let x = try number(), y = try number()
            skipSpaces()
            if offset < bytes.count, bytes[offset] != UInt8(ascii: ","), bytes[offset] != UInt8(ascii: ")") {
                throw ParseError(reason: "expected ',' or ')' after two coordinates (only 2D is read)", offset: offset)
            }
            return Position(x: x, y: y)
        }

        mutating func ring() throws(ParseError) -> [Position] {
            try open()
            var ring = [try position()]
            while try commaOrClose() { ring.append(try position()) }
            return ring
        }

        mutating func polygon() throws(ParseError) -> Polygon {
            try open()
            let outer = try ring()
            var inner: [[Position]] = []
            while try commaOrClose() { inner.append(try ring()) }
            return Polygon(outerRing: outer, innerRings: inner)
        }
    }
}
