import GeoValues

/// A feature's id as RFC 7946 allows it: a string or a number. A number keeps its literal text,
/// so an OpenStreetMap id beyond 2^53 (`9007199254740993`) is never rounded through a Double.
public enum FeatureID: Hashable, Sendable, CustomStringConvertible {
    case string(String)
    /// The number as written, for example `"17"`.
    case number(String)

    /// A number id from an integer, such as an entity's id.
    public static func number(_ value: Int) -> FeatureID { .number(String(value)) }

    /// The id as a person reads it: the number's literal or the string without quotes.
    public var description: String {
        switch self {
        case .string(let s): s
        case .number(let n): n
        }
    }

    /// The id as a JSON value: a string, or a number with its literal text.
    public var json: JSONValue {
        switch self {
        case .string(let s): .string(s)
        case .number(let n): .number(n)
        }
    }
}

/// A GeoJSON Feature as civic reads and writes it.
///
/// `line` records where the feature starts in the file it came from, for messages; it is 0 for a
/// feature made in memory and takes no part in equality, so the same feature read from a compact
/// and from a pretty-printed file compares equal.
public struct Feature: Hashable, Sendable {
    /// The `id` member, when there is one.
    public var id: FeatureID?
    /// The `properties` member in file order; empty for `"properties": null`.
    public var properties: JSONObject
    /// nil for `"geometry": null` (RFC 7946 allows it; whether a model allows it is the model's business).
    public var geometry: Geometry?
    /// The 1-based line of the file where the feature starts; 0 when unknown.
    public var line: Int

    /// A feature; `line` is for features read from a file.
    public init(id: FeatureID? = nil, properties: JSONObject = JSONObject(), geometry: Geometry?, line: Int = 0) {
        self.id = id
        self.properties = properties
        self.geometry = geometry
        self.line = line
    }

    /// Equal id, properties (in order) and geometry; `line` does not count.
    public static func == (a: Feature, b: Feature) -> Bool {
        a.id == b.id && a.properties == b.properties && a.geometry == b.geometry
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(properties)
        hasher.combine(geometry)
    }

    /// How messages name the feature at `index` of a `features` array: `features[3] (id 17)`,
    /// or `features[3]` when it has no id; `feature` for a lone Feature at the root (index nil).
    public static func place(index: Int?, id: FeatureID?) -> String {
        let base = index.map { "features[\($0)]" } ?? "feature"
        guard let id else { return base }
        return "\(base) (id \(CivicError.excerpt(id.description)))"
    }
}
