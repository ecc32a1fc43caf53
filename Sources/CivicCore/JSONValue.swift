/// A JSON value for the small documents civic reads and writes (`dataset.json`, properties,
/// contacts, journal lines). Large coordinate arrays never pass through it.
///
/// Numbers keep their literal text, so an OSM id beyond 2^53 survives a round trip exactly.
public indirect enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    /// The number as written in the source (for example `"9007199254740993"` or `"49.95"`).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    public static func number(_ value: Int) -> JSONValue { .number(String(value)) }
    public static func number(_ value: Double) -> JSONValue { .number(JSONNumber.format(value)) }

    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    public var doubleValue: Double? { if case .number(let n) = self { Double(n) } else { nil } }
    public var intValue: Int? { if case .number(let n) = self { Int(n) ?? Double(n).flatMap { Int(exactly: $0) } } else { nil } }
    public var objectValue: JSONObject? { if case .object(let o) = self { o } else { nil } }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
}

/// A JSON object that keeps its members in order, so that what civic writes has a stable key order.
public struct JSONObject: Hashable, Sendable, Sequence {
    public private(set) var keys: [String] = []
    private var values: [String: JSONValue] = [:]

    public init() {}

    public init(_ members: [(String, JSONValue)]) {
        for (key, value) in members { self[key] = value }
    }

    /// Setting a value keeps the key's position; setting nil removes the key.
    public subscript(key: String) -> JSONValue? {
        get { values[key] }
        set {
            if let newValue {
                if values.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if values.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    public func makeIterator() -> AnyIterator<(key: String, value: JSONValue)> {
        var index = 0
        return AnyIterator {
            guard index < keys.count else { return nil }
            defer { index += 1 }
            let key = keys[index]
            return (key, values[key]!)
        }
    }
}

/// Formatting of numbers for output: the shortest text that reads back to the same Double.
public enum JSONNumber {
    public static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// At most `decimals` decimals, trailing zeros dropped: `49.9512000` becomes `49.9512`.
    public static func format(_ value: Double, decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        if rounded == 0 { return "0" }
        return format(rounded)
    }
}
