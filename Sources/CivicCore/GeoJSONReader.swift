import GeoValues

/// Reads GeoJSON (RFC 7946, and the older forms still found in the wild) into ``Feature`` values.
///
/// Coordinates go straight from the bytes into `[Position]` arrays, with no JSON tree in between;
/// only `properties` become ``JSONObject``s. A 20 MB FeatureCollection of 40,000 features reads in a
/// few hundredths of a second in a release build.
///
/// Accepted at the root: a FeatureCollection, a single Feature, or a bare geometry (which becomes one
/// feature with no id and no properties). A `crs` member is accepted only when it names WGS84
/// longitude/latitude (`urn:ogc:def:crs:OGC:1.3:CRS84`, `EPSG:4326`, `urn:ogc:def:crs:EPSG::4326`).
///
/// Strict where it matters: malformed JSON is a ``CivicError/syntax(file:line:column:reason:hint:)``;
/// a well-formed file with a wrong feature is ``CivicError/invalid(file:line:place:field:reason:hint:)``
/// naming the feature (`features[3] (id 17)`), the line where it starts, and the field
/// (`geometry.coordinates`, `properties`, …). Checked here: geometry types, nesting depth per type,
/// numbers (finite, in range: longitude -180…180, latitude -90…90), rings closed and of 4 positions
/// or more, line strings of 2 or more, non-empty GeometryCollections. A third value in a position
/// (altitude) is accepted and dropped. Not checked here: self-intersections (CivicRules' `GeometryCheck`, which needs GEOS).
public enum GeoJSONReader {
    /// The features of a GeoJSON text, in file order.
    ///
    /// `progress`, when given, is told the number of features read so far every
    /// ``progressStride`` features and once at the end, for a live count on a terminal.
    public static func features(in bytes: [UInt8], file: String,
                                progress: ((Int) -> Void)? = nil) throws(CivicError) -> [Feature] {
        try bytes.withUnsafeBufferPointer { (buffer) throws(CivicError) -> [Feature] in
            var reader = GeoJSONPullReader(scanner: ByteScanner(buffer), file: file)
            reader.progress = progress
            do throws(ReadFailure) {
                return try reader.readDocument()
            } catch {
                throw reader.scanner.civicError(error, file: file, line: reader.rootLine, place: "root")
            }
        }
    }

    /// How many features pass between two calls of a progress callback: a few dozen calls for
    /// a city of 400,000, none worth measuring for a file of a hundred.
    public static let progressStride = 8_192

    /// The geometry types of RFC 7946, as they are spelled in a file.
    public static let geometryTypes = [
        "Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection",
    ]

    /// The names of WGS84 longitude/latitude that a legacy `crs` member may carry, upper-cased.
    static let wgs84Names: Set<String> = [
        "URN:OGC:DEF:CRS:OGC:1.3:CRS84", "URN:OGC:DEF:CRS:OGC::CRS84", "OGC:CRS84", "CRS84",
        "EPSG:4326", "URN:OGC:DEF:CRS:EPSG::4326", "URN:OGC:DEF:CRS:EPSG:4326",
        "HTTP://WWW.OPENGIS.NET/DEF/CRS/OGC/1.3/CRS84", "HTTP://WWW.OPENGIS.NET/DEF/CRS/EPSG/0/4326",
    ]
}

/// The pull reader behind ``GeoJSONReader``: one pass over the bytes, peeking ahead on a copy of the
/// scanner when a member it needs first (a `type`, an `id` for a message) comes later in an object.
struct GeoJSONPullReader {
    var scanner: ByteScanner
    let file: String
    /// The line where the root value starts, for messages about the file as a whole.
    var rootLine = 1
    /// Reused for every list of positions, which is then copied out at its exact size: one
    /// allocation per ring instead of one per doubling.
    var scratch: [Position] = []
    /// Told the count of features read, every ``GeoJSONReader/progressStride`` and at the end.
    var progress: ((Int) -> Void)?

    init(scanner: ByteScanner, file: String) {
        self.scanner = scanner
        self.file = file
    }

    enum GeometryKind: String {
        case point = "Point"
        case multiPoint = "MultiPoint"
        case lineString = "LineString"
        case multiLineString = "MultiLineString"
        case polygon = "Polygon"
        case multiPolygon = "MultiPolygon"
        case geometryCollection = "GeometryCollection"

        /// What the coordinates of this type look like, for hints.
        var shape: String {
            switch self {
            case .point: "a Point's coordinates are one position: [longitude, latitude]"
            case .multiPoint: "a MultiPoint's coordinates are a list of positions: [[lon, lat], …]"
            case .lineString: "a LineString's coordinates are a list of positions: [[lon, lat], …]"
            case .multiLineString:
                "a MultiLineString's coordinates are a list of line strings: [[[lon, lat], …], …]"
            case .polygon: "a Polygon's coordinates are a list of rings: [[[lon, lat], …], …]"
            case .multiPolygon: "a MultiPolygon's coordinates are a list of polygons: [[[[lon, lat], …], …], …]"
            case .geometryCollection: "a GeometryCollection has geometries, not coordinates"
            }
        }
    }

    // MARK: - The root

    mutating func readDocument() throws(ReadFailure) -> [Feature] {
        try scanner.beginDocument()
        rootLine = scanner.line
        guard scanner.current == JSONByte.openBrace else {
            // Well-formed JSON of another kind is a GeoJSON problem; anything else is a syntax error.
            let kind = Self.valueKind(scanner.current)
            try scanner.skipValue(depth: 0)
            try scanner.endDocument()
            throw .problem(field: nil, reason: "the root is \(kind ?? "not a value"), not a GeoJSON object",
                           hint: "a GeoJSON file holds one object: {\"type\": \"FeatureCollection\", \"features\": […]}",
                           line: rootLine)
        }
        let rootStart = scanner.pos
        let type = try peekType(inObjectAt: rootStart, path: "", depth: 1).map { scanner.text($0) }
        var features: [Feature]
        switch type {
        case "FeatureCollection":
            features = try readCollection()
        case "Feature":
            features = [try readFeature(index: nil, depth: 1)]
        case let name? where GeometryKind(rawValue: name) != nil:
            features = [Feature(geometry: try readGeometry(path: "", depth: 1), line: rootLine)]
        case nil:
            // Some old writers leave out the type of the collection; its features say enough.
            guard try memberExists("features", inObjectAt: rootStart, depth: 1) else {
                throw .problem(field: "type", reason: "missing: this is not a GeoJSON object",
                               hint: "a GeoJSON file holds {\"type\": \"FeatureCollection\", \"features\": […]}",
                               line: rootLine)
            }
            features = try readCollection()
        case "Topology":
            // TopoJSON shares arcs between shapes; its coordinates are not positions until decoded.
            throw .problem(field: "type", reason: "unknown GeoJSON type \"Topology\": the file is TopoJSON, which civic does not read",
                           hint: "convert it first: mapshaper in.topojson -o format=geojson out.geojson, "
                               + "or ogr2ogr -f GeoJSON out.geojson in.topojson",
                           line: rootLine)
        case let name?:
            throw .problem(field: "type", reason: "unknown GeoJSON type \"\(CivicError.excerpt(name))\"",
                           hint: "expected FeatureCollection, Feature or a geometry type"
                               + Self.spellingHint(for: name, among: ["FeatureCollection", "Feature"] + GeoJSONReader.geometryTypes),
                           line: rootLine)
        }
        try scanner.endDocument()
        return features
    }

    /// A FeatureCollection, at its `{`.
    mutating func readCollection() throws(ReadFailure) -> [Feature] {
        var features: [Feature]?
        var seen: UInt8 = 0
        if !scanner.openObject() {
            repeat {
                scanner.skipWhitespace()
                let keyOffset = scanner.pos
                let key = try scanner.readKeyToken()
                switch member(key) {
                case .type:
                    try once(&seen, 1, "type", at: keyOffset)
                    try scanner.skipValue(depth: 1)
                case .features:
                    try once(&seen, 2, "features", at: keyOffset)
                    features = try readFeatureArray()
                case .crs:
                    try once(&seen, 4, "crs", at: keyOffset)
                    try checkCRS(field: "crs", depth: 1)
                default:
                    try scanner.skipValue(depth: 1)
                }
            } while try scanner.next(orClose: JSONByte.closeBrace)
        }
        guard let features else {
            throw .problem(field: "features", reason: "missing: a FeatureCollection needs a features array",
                           hint: nil, line: rootLine)
        }
        return features
    }

    mutating func readFeatureArray() throws(ReadFailure) -> [Feature] {
        scanner.skipWhitespace()
        guard scanner.current == JSONByte.openBracket else {
            guard let kind = Self.valueKind(scanner.current) else { throw scanner.unexpected("an array") }
            throw .problem(field: "features", reason: "must be an array of features, found \(kind)", hint: nil,
                           line: scanner.line)
        }
        var features: [Feature] = []
        if scanner.openArray() { return features }
        var index = 0
        repeat {
            scanner.skipWhitespace()
            guard scanner.current == JSONByte.openBrace else {
                guard let kind = Self.valueKind(scanner.current) else { throw scanner.unexpected("a feature") }
                throw .complete(.invalid(file: file, line: scanner.line, place: Feature.place(index: index, id: nil),
                                         field: nil, reason: "a feature must be an object, found \(kind)"))
            }
            features.append(try readFeature(index: index, depth: 3))
            index += 1
            if let progress, index % GeoJSONReader.progressStride == 0 { progress(index) }
        } while try scanner.next(orClose: JSONByte.closeBracket)
        progress?(index)
        return features
    }

    // MARK: - Features

    /// A Feature at its `{`; `depth` is the nesting level of the feature object itself.
    /// Problems inside it are named with the feature's index and id and the line where it starts.
    mutating func readFeature(index: Int?, depth: Int) throws(ReadFailure) -> Feature {
        let start = scanner.pos
        let line = scanner.line
        var id: FeatureID?
        var properties = JSONObject()
        var geometry: Geometry?
        var type: ByteScanner.Token?
        var seen: UInt8 = 0
        do throws(ReadFailure) {
            if !scanner.openObject() {
                repeat {
                    scanner.skipWhitespace()
                    let keyOffset = scanner.pos
                    let key = try scanner.readKeyToken()
                    scanner.skipWhitespace()
                    switch member(key) {
                    case .type:
                        try once(&seen, 1, "type", at: keyOffset)
                        guard scanner.current == JSONByte.quote else {
                            throw problem("type", "must be the string \"Feature\", found \(kindHere)")
                        }
                        type = try scanner.readToken()
                    case .id:
                        try once(&seen, 2, "id", at: keyOffset)
                        id = try readID()
                    case .properties:
                        try once(&seen, 4, "properties", at: keyOffset)
                        properties = try readProperties(depth: depth)
                    case .geometry:
                        try once(&seen, 8, "geometry", at: keyOffset)
                        if scanner.current == JSONByte.openBrace {
                            geometry = try readGeometry(path: "geometry", depth: depth + 1)
                        } else if scanner.current == JSONByte.lowerN {
                            _ = try scanner.readLiteral()
                        } else {
                            throw problem("geometry", "must be a geometry object or null, found \(kindHere)")
                        }
                    case .crs:
                        try once(&seen, 16, "crs", at: keyOffset)
                        try checkCRS(field: "crs", depth: depth)
                    default:
                        try scanner.skipValue(depth: depth)
                    }
                } while try scanner.next(orClose: JSONByte.closeBrace)
            }
            guard let typeToken = type else {
                throw problem("type", "missing: a feature needs \"type\": \"Feature\"")
            }
            guard scanner.token(typeToken, is: "Feature") else {
                let type = scanner.text(typeToken)
                if GeometryKind(rawValue: type) != nil {
                    throw problem("type", "is \"\(CivicError.excerpt(type))\", not \"Feature\"",
                                  hint: "wrap the geometry: {\"type\": \"Feature\", \"properties\": {}, \"geometry\": {…}}")
                }
                throw problem("type", "must be \"Feature\", found \"\(CivicError.excerpt(type))\"")
            }
        } catch {
            guard case let .problem(field, reason, hint, _) = error else { throw error }
            let knownID = id ?? peekID(inObjectAt: start, depth: depth)
            throw .complete(.invalid(file: file, line: line, place: Feature.place(index: index, id: knownID),
                                     field: field, reason: reason, hint: hint))
        }
        return Feature(id: id, properties: properties, geometry: geometry, line: line)
    }

    mutating func readID() throws(ReadFailure) -> FeatureID? {
        guard let b = scanner.current else { throw scanner.unexpected("a value") }
        switch b {
        case JSONByte.quote:
            return .string(try scanner.readString())
        case JSONByte.minus, JSONByte.zero...JSONByte.nine:
            return .number(try scanner.readNumberLiteral())
        case JSONByte.lowerN:
            _ = try scanner.readLiteral() // `"id": null`, as some exporters write: no id
            return nil
        default:
            throw problem("id", "must be a string or a number, found \(kindHere)")
        }
    }

    mutating func readProperties(depth: Int) throws(ReadFailure) -> JSONObject {
        switch scanner.current {
        case JSONByte.openBrace:
            if case .object(let object) = try scanner.readValue(depth: depth) { return object }
            return JSONObject()
        case JSONByte.lowerN:
            _ = try scanner.readLiteral()
            return JSONObject()
        default:
            throw problem("properties", "must be an object or null, found \(kindHere)")
        }
    }

    /// The id of the feature at `start`, read ahead for a message; nil when it has none (or the
    /// rest of the feature cannot be read).
    func peekID(inObjectAt start: Int, depth: Int) -> FeatureID? {
        var ahead = scanner
        ahead.pos = start
        do throws(ReadFailure) {
            if ahead.openObject() { return nil }
            repeat {
                let key = try ahead.readKey()
                ahead.skipWhitespace()
                if key == "id" {
                    if ahead.current == JSONByte.quote { return .string(try ahead.readString()) }
                    if let b = ahead.current, b == JSONByte.minus || JSONByte.isDigit(b) {
                        return .number(try ahead.readNumberLiteral())
                    }
                    return nil
                }
                try ahead.skipValue(depth: depth)
            } while try ahead.next(orClose: JSONByte.closeBrace)
        } catch {
            return nil
        }
        return nil
    }

    // MARK: - Geometries

    /// A geometry object at its `{`; `path` prefixes field names (`geometry`, `geometry.geometries[1]`,
    /// empty at the root), `depth` is the nesting level of the object itself.
    mutating func readGeometry(path: String, depth: Int) throws(ReadFailure) -> Geometry {
        guard let typeToken = try peekType(inObjectAt: scanner.pos, path: path, depth: depth) else {
            throw problem(Self.field(path, "type"), "missing: a geometry needs a type",
                          hint: "one of " + GeoJSONReader.geometryTypes.joined(separator: ", "))
        }
        guard let kind = geometryKind(typeToken) else {
            let typeName = scanner.text(typeToken)
            throw problem(Self.field(path, "type"), "unknown geometry type \"\(CivicError.excerpt(typeName))\"",
                          hint: "GeoJSON geometries are " + GeoJSONReader.geometryTypes.joined(separator: ", ")
                              + Self.spellingHint(for: typeName, among: GeoJSONReader.geometryTypes))
        }
        var geometry: Geometry?
        var seen: UInt8 = 0
        if !scanner.openObject() {
            repeat {
                scanner.skipWhitespace()
                let keyOffset = scanner.pos
                let key = try scanner.readKeyToken()
                scanner.skipWhitespace()
                switch member(key) {
                case .type:
                    try once(&seen, 1, "type", at: keyOffset)
                    try scanner.skipValue(depth: depth)
                case .coordinates where kind != .geometryCollection:
                    try once(&seen, 2, "coordinates", at: keyOffset)
                    // The usual path has a constant field name: no string is built per feature.
                    let field = path == "geometry" ? "geometry.coordinates" : Self.field(path, "coordinates")
                    geometry = try readCoordinates(kind, field: field)
                case .geometries where kind == .geometryCollection:
                    try once(&seen, 2, "geometries", at: keyOffset)
                    geometry = .geometryCollection(try readGeometries(path: path, depth: depth))
                case .crs:
                    try once(&seen, 4, "crs", at: keyOffset)
                    try checkCRS(field: Self.field(path, "crs"), depth: depth)
                default:
                    try scanner.skipValue(depth: depth)
                }
            } while try scanner.next(orClose: JSONByte.closeBrace)
        }
        guard let geometry else {
            if kind == .geometryCollection {
                throw problem(Self.field(path, "geometries"), "missing: a GeometryCollection needs a geometries array")
            }
            throw problem(Self.field(path, "coordinates"), "missing: a \(kind.rawValue) needs coordinates",
                          hint: kind.shape)
        }
        return geometry
    }

    mutating func readGeometries(path: String, depth: Int) throws(ReadFailure) -> [Geometry] {
        let field = Self.field(path, "geometries")
        guard scanner.current == JSONByte.openBracket else {
            throw problem(field, "must be an array of geometries, found \(kindHere)")
        }
        try scanner.checkDepth(depth + 2)
        if scanner.openArray() {
            throw problem(field, "an empty GeometryCollection",
                          hint: "write \"geometry\": null for a feature without a geometry")
        }
        var parts: [Geometry] = []
        repeat {
            scanner.skipWhitespace()
            let partPath = "\(field)[\(parts.count)]"
            guard scanner.current == JSONByte.openBrace else {
                guard let kind = Self.valueKind(scanner.current) else { throw scanner.unexpected("a geometry") }
                throw problem(partPath, "must be a geometry object, found \(kind)")
            }
            parts.append(try readGeometry(path: partPath, depth: depth + 2))
        } while try scanner.next(orClose: JSONByte.closeBracket)
        return parts
    }

    // MARK: - Coordinates

    mutating func readCoordinates(_ kind: GeometryKind, field: String) throws(ReadFailure) -> Geometry {
        switch kind {
        case .point:
            return .point(try readPosition(kind, field: field))
        case .multiPoint:
            return .multiPoint(try readPositions(kind, field: field))
        case .lineString:
            let line = try readPositions(kind, field: field)
            try checkLine(line, name: "the line string", field: field)
            return .lineString(line)
        case .multiLineString:
            var index = 0
            let lines = try readList(kind, field: field) { (reader) throws(ReadFailure) -> [Position] in
                let line = try reader.readPositions(kind, field: field)
                try reader.checkLine(line, name: "line string \(index)", field: field)
                index += 1
                return line
            }
            return .multiLineString(lines)
        case .polygon:
            let rings = try readList(kind, field: field) { (reader) throws(ReadFailure) -> [Position] in
                try reader.readPositions(kind, field: field)
            }
            return .polygon(try polygon(rings, field: field, prefix: ""))
        case .multiPolygon:
            var index = 0
            let polygons = try readList(kind, field: field) { (reader) throws(ReadFailure) -> Polygon in
                let rings = try reader.readList(kind, field: field) { (reader) throws(ReadFailure) -> [Position] in
                    try reader.readPositions(kind, field: field)
                }
                defer { index += 1 }
                return try reader.polygon(rings, field: field, prefix: "polygon \(index): ")
            }
            return .multiPolygon(polygons)
        case .geometryCollection:
            throw problem(field, "a GeometryCollection has geometries, not coordinates")
        }
    }

    /// `[` element, element, … `]`, for the levels above positions.
    mutating func readList<Element>(
        _ kind: GeometryKind, field: String, _ element: (inout GeoJSONPullReader) throws(ReadFailure) -> Element
    ) throws(ReadFailure) -> [Element] {
        scanner.skipWhitespace()
        guard scanner.current == JSONByte.openBracket else { throw shapeProblem(kind, field: field) }
        var items: [Element] = []
        if scanner.openArray() { return items }
        repeat {
            items.append(try element(&self))
        } while try scanner.next(orClose: JSONByte.closeBracket)
        return items
    }

    /// A list of positions; the hot path of the reader.
    mutating func readPositions(_ kind: GeometryKind, field: String) throws(ReadFailure) -> [Position] {
        scanner.skipWhitespace()
        guard scanner.current == JSONByte.openBracket else { throw shapeProblem(kind, field: field) }
        if scanner.openArray() { return [] }
        scratch.removeAll(keepingCapacity: true)
        repeat {
            scratch.append(try readPosition(kind, field: field))
        } while try scanner.next(orClose: JSONByte.closeBracket)
        return [Position](unsafeUninitializedCapacity: scratch.count) { buffer, count in
            _ = buffer.initialize(fromContentsOf: scratch)
            count = scratch.count
        }
    }

    /// `[longitude, latitude]`, or with more numbers (altitude, measure), which are checked and dropped.
    mutating func readPosition(_ kind: GeometryKind, field: String) throws(ReadFailure) -> Position {
        scanner.skipWhitespace()
        guard scanner.current == JSONByte.openBracket else { throw shapeProblem(kind, field: field) }
        scanner.pos += 1
        let x = try readCoordinate(kind, field: field)
        scanner.skipWhitespace()
        if scanner.current == JSONByte.closeBracket {
            throw problem(field, "the position [\(Self.messageNumber(x))] has one number; a position needs a longitude and a latitude",
                          hint: kind.shape)
        }
        try scanner.expect(JSONByte.comma, "','")
        let y = try readCoordinate(kind, field: field)
        while try scanner.next(orClose: JSONByte.closeBracket) {
            _ = try readCoordinate(kind, field: field)
        }
        if x < -180 || x > 180 || y < -90 || y > 90 {
            throw rangeProblem(x, y, field: field)
        }
        return Position(x: x, y: y)
    }

    mutating func readCoordinate(_ kind: GeometryKind, field: String) throws(ReadFailure) -> Double {
        scanner.skipWhitespace()
        guard let b = scanner.current else { throw scanner.unexpected("a number") }
        if b == JSONByte.minus || JSONByte.isDigit(b) {
            if b == JSONByte.minus, scanner.pos + 1 < scanner.count, scanner.bytes[scanner.pos + 1] == JSONByte.upperI {
                throw problem(field, "-Infinity is not a finite number", hint: "every coordinate must be a finite number")
            }
            let from = scanner.pos
            let value = try scanner.readDouble()
            guard value.isFinite else {
                let literal = String(decoding: UnsafeBufferPointer(rebasing: scanner.bytes[from..<scanner.pos]), as: UTF8.self)
                throw problem(field, "\(CivicError.excerpt(literal)) is not a finite number",
                              hint: "every coordinate must be a finite number of degrees")
            }
            return value
        }
        switch b {
        case JSONByte.quote:
            let text = try scanner.readString()
            throw problem(field, "coordinates are strings (\"\(CivicError.excerpt(text))\"), not numbers",
                          hint: "write the numbers without quotes: [82.61, 49.95]")
        case JSONByte.openBracket:
            throw problem(field, "nested deeper than a \(kind.rawValue) needs", hint: kind.shape)
        case JSONByte.closeBracket:
            throw problem(field, "an empty position []", hint: kind.shape)
        case JSONByte.upperN where scanner.matches("NaN"):
            throw problem(field, "NaN is not a finite number", hint: "every coordinate must be a finite number")
        case JSONByte.upperI where scanner.matches("Infinity"):
            throw problem(field, "Infinity is not a finite number", hint: "every coordinate must be a finite number")
        default:
            guard let found = Self.valueKind(b) else { throw scanner.unexpected("a number") }
            throw problem(field, "a coordinate must be a number, found \(found)", hint: kind.shape)
        }
    }

    /// What is wrong when an array was expected and something else came.
    func shapeProblem(_ kind: GeometryKind, field: String) -> ReadFailure {
        guard let b = scanner.current, let found = Self.valueKind(b) else { return scanner.unexpected("'['") }
        if b == JSONByte.minus || JSONByte.isDigit(b) {
            return problem(field, "nested less deeply than a \(kind.rawValue) needs", hint: kind.shape)
        }
        if b == JSONByte.quote {
            return problem(field, "coordinates are strings, not numbers", hint: "write the numbers without quotes")
        }
        return problem(field, "must be an array, found \(found)", hint: kind.shape)
    }

    func rangeProblem(_ x: Double, _ y: Double, field: String) -> ReadFailure {
        let position = "[\(Self.messageNumber(x)), \(Self.messageNumber(y))]"
        let what = x < -180 || x > 180
            ? "longitude \(Self.messageNumber(x)) is outside -180…180"
            : "latitude \(Self.messageNumber(y)) is outside -90…90"
        var hint: String?
        if abs(x) <= 90, abs(y) <= 180 {
            hint = "the two may be swapped: a GeoJSON position is [longitude, latitude]"
        } else if abs(x) > 360 || abs(y) > 360 {
            hint = "these look like projected coordinates (metres), not degrees; reproject the file: ogr2ogr -t_srs EPSG:4326 out.geojson in.geojson"
        }
        return problem(field, "position \(position): \(what)", hint: hint)
    }

    func checkLine(_ line: [Position], name: String, field: String) throws(ReadFailure) {
        if line.count < 2 {
            throw problem(field, "\(name) has \(line.count) position\(line.count == 1 ? "" : "s"); a line string needs at least 2")
        }
    }

    /// A Polygon from its rings, each closed and of 4 positions or more.
    func polygon(_ rings: [[Position]], field: String, prefix: String) throws(ReadFailure) -> Polygon {
        guard let outer = rings.first else {
            throw problem(field, "\(prefix)a polygon without rings",
                          hint: "write \"geometry\": null for a feature without a geometry")
        }
        for (r, ring) in rings.enumerated() {
            let name = prefix + (r == 0 ? "the outer ring" : "inner ring \(r)")
            if ring.count < 4 {
                throw problem(field, "\(name) has \(ring.count) position\(ring.count == 1 ? "" : "s"); a ring needs at least 4",
                              hint: "a ring is closed: a triangle is 4 positions, the last repeating the first")
            }
            if let first = ring.first, let last = ring.last, first != last {
                throw problem(field, "\(name) is not closed: it starts at [\(Self.messageNumber(first.x)), \(Self.messageNumber(first.y))] and ends at [\(Self.messageNumber(last.x)), \(Self.messageNumber(last.y))]",
                              hint: "repeat the first position at the end of the ring")
            }
        }
        return Polygon(outerRing: outer, innerRings: Array(rings.dropFirst()))
    }

    // MARK: - CRS

    /// A legacy `crs` member: null or a named WGS84 passes; anything else is refused with the fix.
    mutating func checkCRS(field: String, depth: Int) throws(ReadFailure) {
        scanner.skipWhitespace()
        let line = scanner.line
        let value = try scanner.readValue(depth: depth)
        if value == .null { return }
        var described = "not a named CRS"
        if case .object(let crs) = value, let name = crs["properties"]?.objectValue?["name"]?.stringValue {
            if crs["type"]?.stringValue == "name",
               GeoJSONReader.wgs84Names.contains(name.filter { !$0.isWhitespace }.uppercased()) {
                return
            }
            described = "\"\(CivicError.excerpt(name))\""
        }
        throw .problem(field: field, reason: "the coordinates are in \(described); civic reads WGS84 longitude/latitude only",
                       hint: "reproject the file: ogr2ogr -t_srs EPSG:4326 out.geojson in.geojson", line: line)
    }

    // MARK: - Helpers

    /// The `type` member of the object at `start`, read ahead; nil when there is none.
    /// `path` names the object in messages (empty for the root).
    func peekType(inObjectAt start: Int, path: String, depth: Int) throws(ReadFailure) -> ByteScanner.Token? {
        var ahead = scanner
        ahead.pos = start
        if ahead.openObject() { return nil }
        repeat {
            let name = try ahead.readKeyToken()
            ahead.skipWhitespace()
            if ahead.token(name, is: "type") {
                guard ahead.current == JSONByte.quote else {
                    throw problem(Self.field(path, "type"), "must be a string, found \(Self.valueKind(ahead.current) ?? "nothing")")
                }
                return try ahead.readToken()
            }
            try ahead.skipValue(depth: depth)
        } while try ahead.next(orClose: JSONByte.closeBrace)
        return nil
    }

    func memberExists(_ key: String, inObjectAt start: Int, depth: Int) throws(ReadFailure) -> Bool {
        var ahead = scanner
        ahead.pos = start
        if ahead.openObject() { return false }
        repeat {
            if try ahead.readKey() == key { return true }
            try ahead.skipValue(depth: depth)
        } while try ahead.next(orClose: JSONByte.closeBrace)
        return false
    }

    /// The members the reader knows, told apart without building a String.
    enum Member {
        case type, id, properties, geometry, coordinates, geometries, features, crs, other
    }

    func member(_ token: ByteScanner.Token) -> Member {
        if scanner.token(token, is: "type") { return .type }
        if scanner.token(token, is: "coordinates") { return .coordinates }
        if scanner.token(token, is: "geometry") { return .geometry }
        if scanner.token(token, is: "properties") { return .properties }
        if scanner.token(token, is: "id") { return .id }
        if scanner.token(token, is: "features") { return .features }
        if scanner.token(token, is: "geometries") { return .geometries }
        if scanner.token(token, is: "crs") { return .crs }
        return .other
    }

    func geometryKind(_ token: ByteScanner.Token) -> GeometryKind? {
        if scanner.token(token, is: "Point") { return .point }
        if scanner.token(token, is: "Polygon") { return .polygon }
        if scanner.token(token, is: "LineString") { return .lineString }
        if scanner.token(token, is: "MultiPolygon") { return .multiPolygon }
        if scanner.token(token, is: "MultiPoint") { return .multiPoint }
        if scanner.token(token, is: "MultiLineString") { return .multiLineString }
        if scanner.token(token, is: "GeometryCollection") { return .geometryCollection }
        return nil
    }

    /// A member may appear once; a second one would make the file mean different things to different readers.
    func once(_ seen: inout UInt8, _ bit: UInt8, _ key: String, at offset: Int) throws(ReadFailure) {
        if seen & bit != 0 { throw scanner.duplicateKey(key, at: offset) }
        seen |= bit
    }

    func problem(_ field: String?, _ reason: String, hint: String? = nil) -> ReadFailure {
        .problem(field: field, reason: reason, hint: hint, line: nil)
    }

    /// The kind of the value at the cursor, for a message.
    var kindHere: String { Self.valueKind(scanner.current) ?? "something that is not a value" }

    /// "an object", "a number", … for the value starting with `b`; nil when no value starts so.
    static func valueKind(_ b: UInt8?) -> String? {
        guard let b else { return nil }
        return switch b {
        case JSONByte.openBrace: "an object"
        case JSONByte.openBracket: "an array"
        case JSONByte.quote: "a string"
        case JSONByte.minus, JSONByte.zero...JSONByte.nine: "a number"
        case JSONByte.lowerT, JSONByte.lowerF: "a boolean"
        case JSONByte.lowerN: "null"
        default: nil
        }
    }

    static func field(_ path: String, _ member: String) -> String {
        path.isEmpty ? member : "\(path).\(member)"
    }

    /// A number for a message: plain up to 1e15, Swift's short form beyond (never 300 digits).
    static func messageNumber(_ value: Double) -> String {
        abs(value) < 1e15 ? JSONNumber.format(value) : "\(value)"
    }

    /// `; did you mean "Point"?` when `name` differs from a known name only in case.
    static func spellingHint(for name: String, among names: [String]) -> String {
        guard let match = names.first(where: { $0.lowercased() == name.lowercased() }) else { return "" }
        return "; did you mean \"\(match)\"? (names are case-sensitive)"
    }
}
