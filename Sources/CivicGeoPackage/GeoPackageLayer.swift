import CivicCore
import GeoValues

/// What went wrong while writing a GeoPackage.
public enum GeoPackageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// SQLite refused a call; `reason` is SQLite's own message.
    case sqlite(path: String, reason: String)
    /// The scratch file could not be made, read or removed.
    case io(path: String, reason: String)
    /// A feature whose geometry type its layer cannot hold (a LineString among points).
    case geometryType(layer: String, feature: String, found: String, expected: String)

    /// One line, without the `civic: error:` prefix.
    public var description: String {
        switch self {
        case let .sqlite(path, reason): "\(path): SQLite: \(reason)"
        case let .io(path, reason): "\(path): \(reason)"
        case let .geometryType(layer, feature, found, expected):
            "layer \(layer): feature \(feature): a \(found) in a layer of \(expected)"
        }
    }
}

/// One feature table of a GeoPackage: its name, its one geometry type, its features and the style
/// QGIS opens it with.
///
/// Properties become columns: a list of strings or numbers becomes one text field joined by `;`
/// (`culture;education`, which a Shapefile can hold, unlike a list field); an object of plain values
/// becomes one column per member (`names` → `name_ru`, `name_kk`, `name_en`; anything else → `key_member`).
/// A feature id becomes an `id` column unless a property already has that name.
///
/// ```swift
/// let layer = GeoPackageLayer(name: "districts", geometryType: .multiPolygon, features: features)
/// ```
public struct GeoPackageLayer: Sendable {
    /// The geometry types a layer can declare. Every GIS takes one type per layer; Shapefiles require it.
    public enum GeometryType: String, Sendable {
        case point = "POINT"
        /// Lines: the street network, one way per row.
        case lineString = "LINESTRING"
        case polygon = "POLYGON"
        /// Polygons and MultiPolygons alike; a Polygon is stored as a MultiPolygon of one part.
        case multiPolygon = "MULTIPOLYGON"
    }

    /// The table name (`entities_points`); also the layer name GDAL and QGIS show.
    public var name: String
    /// A sentence for `gpkg_contents.description`.
    public var description: String
    /// The one geometry type of the `geom` column.
    public var geometryType: GeometryType
    /// The rows, in order: `fid` 1, 2, … follows it.
    public var features: [Feature]
    /// The default style written to `layer_styles`; nil for none.
    public var style: LayerStyle?

    /// A layer; features whose geometry does not fit `geometryType` are refused when it is written.
    public init(name: String, description: String = "", geometryType: GeometryType, features: [Feature],
                style: LayerStyle? = nil) {
        self.name = name
        self.description = description
        self.geometryType = geometryType
        self.features = features
        self.style = style
    }

    /// Splits features of mixed types into a Point layer `<prefix>_points` and a MultiPolygon layer
    /// `<prefix>_areas` (Polygons and MultiPolygons), both always present so that the file's layers
    /// do not depend on the data. Features without a geometry go with the points.
    /// - Throws: ``GeoPackageError/geometryType(layer:feature:found:expected:)`` for any other type.
    public static func byGeometryType(_ features: [Feature], prefix: String,
                                      pointStyle: LayerStyle? = nil,
                                      areaStyle: LayerStyle? = nil) throws(GeoPackageError) -> [GeoPackageLayer] {
        var points: [Feature] = [], areas: [Feature] = []
        for feature in features {
            switch feature.geometry {
            case .point?, nil: points.append(feature)
            case .polygon?, .multiPolygon?: areas.append(feature)
            case let other?:
                throw .geometryType(layer: prefix, feature: feature.id?.description ?? "without id",
                                    found: other.typeName, expected: "Points and Polygons")
            }
        }
        return [
            GeoPackageLayer(name: prefix + "_points", description: "\(prefix): the Points",
                            geometryType: .point, features: points, style: pointStyle),
            GeoPackageLayer(name: prefix + "_areas", description: "\(prefix): the Polygons and MultiPolygons",
                            geometryType: .multiPolygon, features: areas, style: areaStyle),
        ]
    }

    /// The street network as a LineString layer `network`: one row per way with its `source`,
    /// `highway` and `name` (the OSM node ids stay in `network.geojson`: walking needs them, a map
    /// does not), styled as ``CivicStyles/network``.
    public static func network(_ ways: [StreetWay]) -> GeoPackageLayer {
        let features = ways.map { way -> Feature in
            var properties = JSONObject([("source", .string(way.source))])
            properties["highway"] = way.highway.map(JSONValue.string) ?? .null
            properties["name"] = way.name.map(JSONValue.string) ?? .null
            return Feature(properties: properties, geometry: .lineString(way.positions))
        }
        return GeoPackageLayer(name: "network", description: "the walkable street network",
                               geometryType: .lineString, features: features, style: CivicStyles.network)
    }

    /// The geometry as the layer stores it: a Polygon promoted in a MultiPolygon layer.
    func stored(_ feature: Feature) throws(GeoPackageError) -> Geometry? {
        guard let geometry = feature.geometry else { return nil }
        switch (geometryType, geometry) {
        case (.point, .point), (.lineString, .lineString), (.polygon, .polygon), (.multiPolygon, .multiPolygon): return geometry
        case (.multiPolygon, .polygon(let polygon)): return .multiPolygon([polygon])
        default:
            throw .geometryType(layer: name, feature: feature.id?.description ?? "without id",
                                found: geometry.typeName, expected: geometryType.rawValue)
        }
    }
}

/// A column of a feature table, with the SQLite type its values share.
struct Column: Equatable {
    enum Kind: String { case integer = "INTEGER", real = "REAL", boolean = "BOOLEAN", text = "TEXT" }
    var name: String
    var kind: Kind
}

/// The flat fields of features and the columns that hold them, inferred from every feature.
struct FlatTable {
    var columns: [Column]
    /// One value per column for each feature, in column order.
    var rows: [[JSONValue]]

    init(_ features: [Feature]) {
        var order: [String] = []
        var columnOf: [String: Int] = [:]
        var taken: Set<String> = ["fid", "geom"]
        var rows: [[JSONValue]] = []
        rows.reserveCapacity(features.count)
        for feature in features {
            var row = [JSONValue](repeating: .null, count: order.count)
            for (key, value) in Self.fields(of: feature) {
                // SQLite column names ignore case, and fid and geom are the table's own: a property
                // `NAME` beside `name` gets a column of its own (`NAME_2`), never merged into another.
                let column: Int
                if let known = columnOf[key] {
                    column = known
                } else {
                    var candidate = key, n = 2
                    while taken.contains(candidate.lowercased()) {
                        candidate = "\(key)_\(n)"
                        n += 1
                    }
                    taken.insert(candidate.lowercased())
                    column = order.count
                    columnOf[key] = column
                    order.append(candidate)
                    row.append(.null)
                }
                // The first value wins when a flattened name repeats one (`names.ru` and `name_ru`).
                if case .null = row[column] { row[column] = value }
            }
            rows.append(row)
        }
        // Rows made before a column appeared are shorter: pad them with nulls.
        for index in rows.indices where rows[index].count < order.count {
            rows[index] += [JSONValue](repeating: .null, count: order.count - rows[index].count)
        }
        columns = order.enumerated().map { column, name in
            Column(name: name, kind: Self.kind(of: rows.lazy.map { $0[column] }))
        }
        self.rows = rows
    }

    /// The feature's id (as `id`, unless a property has that name) and its properties, flattened.
    static func fields(of feature: Feature) -> [(String, JSONValue)] {
        var fields: [(String, JSONValue)] = []
        if let id = feature.id, !feature.properties.keys.contains(where: { $0.lowercased() == "id" }) {
            fields.append(("id", id.json))
        }
        for (key, value) in feature.properties {
            switch value {
            case .object(let object) where object.allSatisfy({ isPlain($0.value) }):
                let prefix = key == "names" ? "name_" : key + "_"
                for (member, inner) in object { fields.append((prefix + member, inner)) }
            case .array(let items) where items.allSatisfy({ isPlain($0) && $0 != .null }):
                fields.append((key, .string(items.map(text).joined(separator: ";"))))
            case .object, .array:
                fields.append((key, .string(JSON.serialize(value, pretty: false))))
            default:
                fields.append((key, value))
            }
        }
        return fields
    }

    private static func isPlain(_ value: JSONValue) -> Bool {
        switch value {
        case .object, .array: false
        default: true
        }
    }

    /// The narrowest type that holds every non-null value.
    static func kind<S: Sequence>(of values: S) -> Column.Kind where S.Element == JSONValue {
        var integers = true, numbers = true, booleans = true, any = false
        for value in values {
            switch value {
            case .null: continue
            case .bool: integers = false; numbers = false
            case .number(let n):
                booleans = false
                if integers && Int64(n) == nil { integers = false }
                if !integers && numbers && Double(n) == nil { numbers = false }
            default: return .text
            }
            any = true
        }
        if !any { return .text }
        return booleans ? .boolean : integers ? .integer : numbers ? .real : .text
    }

    /// A plain value as text, for text columns and joined lists.
    static func text(_ value: JSONValue) -> String {
        switch value {
        case .null: ""
        case .bool(let b): b ? "true" : "false"
        case .number(let n), .string(let n): n
        case .array, .object: JSON.serialize(value, pretty: false)
        }
    }

    /// The value bound for `column`.
    static func bound(_ value: JSONValue, as kind: Column.Kind) -> SQLiteValue {
        if value == .null { return .null }
        switch kind {
        case .integer: if case .number(let n) = value, let i = Int64(n) { return .integer(i) }
        case .real: if case .number(let n) = value, let x = Double(n) { return .real(x) }
        case .boolean: if case .bool(let b) = value { return .integer(b ? 1 : 0) }
        case .text: break
        }
        return .text(text(value))
    }
}
