import GeoValues

/// One walkable way of the street network (DESIGN §2, §5b): a line of positions with where it came
/// from, so that a re-import updates it in place and a planner can trace it back to OpenStreetMap.
public struct StreetWay: Hashable, Sendable {
    /// Where the way came from: `osm:way/123` from OpenStreetMap, or the id a loose file gave it
    /// (`features[3]` when it gave none).
    public var source: String
    /// The OSM `highway` value (`residential`, `footway`, …), when known.
    public var highway: String?
    /// The street's name, when it has one.
    public var name: String?
    /// The OSM node id of each position, when known; `nil` for a drawn or loose line, whose vertices
    /// are then matched by their coordinates.
    public var nodes: [String]?
    /// The positions along the way, at least two.
    public var positions: [Position]

    /// A way; `nodes`, when given, has one id per position.
    public init(source: String, highway: String? = nil, name: String? = nil, nodes: [String]? = nil,
                positions: [Position]) {
        self.source = source
        self.highway = highway
        self.name = name
        self.nodes = nodes
        self.positions = positions
    }
}

/// The street network as GeoJSON: the dataset's `network.geojson` and loose `--network` files.
///
/// One reader for both, so a network written by `civic import osm` and one drawn in QGIS are read by
/// the same rules: every feature is a LineString (or a MultiLineString, one way per part) of at least
/// two positions; `source`, `highway`, `name` and `nodes` are read when present. The writer keeps the
/// dataset layout of DESIGN §3: one way per line, sorted by source, so a git diff shows one line per
/// changed way.
public enum StreetNetworkFile {
    /// The ways of a GeoJSON FeatureCollection (or a single Feature or geometry), in file order.
    /// Throws on the first feature that is not a line, naming it.
    public static func ways(in bytes: [UInt8], file: String) throws(CivicError) -> [StreetWay] {
        let features = try GeoJSONReader.features(in: bytes, file: file)
        return try ways(of: features, file: file)
    }

    /// The ways of features already read; `file` names them in errors.
    public static func ways(of features: [Feature], file: String) throws(CivicError) -> [StreetWay] {
        var ways: [StreetWay] = []
        ways.reserveCapacity(features.count)
        for (index, feature) in features.enumerated() {
            ways += try self.ways(of: feature, index: index, file: file)
        }
        return ways
    }

    /// The way (or, for a MultiLineString, the ways) of one feature, `features[index]` of `file`:
    /// for a reader that goes on past a bad feature (`civic validate` lists every one).
    public static func ways(of feature: Feature, index: Int, file: String) throws(CivicError) -> [StreetWay] {
        let place = Feature.place(index: index, id: feature.id)
        func fail(_ field: String?, _ reason: String, hint: String? = nil) -> CivicError {
            .invalid(file: file, line: feature.line > 0 ? feature.line : nil, place: place, field: field,
                     reason: reason, hint: hint)
        }
        let properties = feature.properties
        let source = properties["source"]?.stringValue
            ?? feature.id.map { idText($0) }
            ?? "features[\(index)]"
        let highway = properties["highway"]?.stringValue
        let name = properties["name"]?.stringValue
        let lines: [[Position]]
        switch feature.geometry {
        case .lineString(let positions)?: lines = [positions]
        case .multiLineString(let parts)?: lines = parts
        case nil:
            throw fail("geometry", "a street needs a line, found null")
        case let other?:
            throw fail("geometry", "a street network holds LineStrings, found a \(other.typeName)",
                       hint: "keep only the streets (e.g. ogr2ogr -nlt LINESTRING), or give an OSM file")
        }
        var nodes: [String]?
        if let value = properties["nodes"], value != .null {
            guard lines.count == 1, let items = value.arrayValue,
                  items.count == lines[0].count else {
                throw fail("nodes", "must list one node id per position of a LineString")
            }
            var ids: [String] = []
            ids.reserveCapacity(items.count)
            for item in items {
                switch item {
                case .string(let s) where !s.isEmpty: ids.append(s)
                case .number(let n): ids.append(n)
                default: throw fail("nodes", "node ids are text or numbers, found \(item.inMessage)")
                }
            }
            nodes = ids
        }
        var ways: [StreetWay] = []
        for (part, positions) in lines.enumerated() {
            guard positions.count >= 2 else {
                throw fail("geometry", "a street needs at least two positions, found \(positions.count)")
            }
            let partSource = lines.count == 1 ? source : "\(source)#\(part + 1)"
            ways.append(StreetWay(source: partSource, highway: highway, name: name, nodes: nodes,
                                  positions: positions))
        }
        return ways
    }

    /// The dataset's `network.geojson`: one LineString feature per way and per line, sorted by source
    /// (OSM way ids in numeric order), properties `source`, `highway`, `name`, `nodes` as present.
    public static func text(of ways: [StreetWay]) -> String {
        let sorted = ways.sorted { sourceOrder($0.source, $1.source) }
        let features = sorted.map { way -> Feature in
            var properties = JSONObject()
            properties["source"] = .string(way.source)
            if let highway = way.highway { properties["highway"] = .string(highway) }
            if let name = way.name { properties["name"] = .string(name) }
            if let nodes = way.nodes { properties["nodes"] = .array(nodes.map { .string($0) }) }
            return Feature(properties: properties, geometry: .lineString(way.positions))
        }
        return GeoJSONWriter.featureCollection(features, onePerLine: true)
    }

    /// Sources in the dataset's order: the same prefix sorts by the number after its last `/`
    /// (`osm:way/9` before `osm:way/10`), anything else by its text.
    public static func sourceOrder(_ a: String, _ b: String) -> Bool {
        if let (prefixA, numberA) = split(a), let (prefixB, numberB) = split(b), prefixA == prefixB {
            if numberA.count != numberB.count { return numberA.count < numberB.count }
            if numberA != numberB { return numberA < numberB }
            return a < b
        }
        return a < b
    }

    private static func split(_ source: String) -> (Substring, Substring)? {
        guard let slash = source.lastIndex(of: "/") else { return nil }
        let number = source[source.index(after: slash)...]
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && $0.isNumber }), number.first != "0" else {
            return nil
        }
        return (source[..<slash], number)
    }

    private static func idText(_ id: FeatureID) -> String {
        switch id {
        case .string(let s): s
        case .number(let n): n
        }
    }
}
