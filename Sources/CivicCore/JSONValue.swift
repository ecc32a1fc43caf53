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
///
/// Keys are told apart by their UTF-8 bytes, as RFC 8259 compares names: «café» written with a
/// composed é (U+00E9) and with e + U+0301 are two keys, although Swift's `==` on `String` calls them
/// equal (canonical equivalence). Equality is by members in order. Members are kept in an array: properties have a handful of
/// keys, and a linear search is faster than hashing there; an object grown beyond
/// ``indexThreshold`` members also keeps a dictionary of positions, so lookups stay fast in large
/// objects such as `contacts.json`.
public struct JSONObject: Hashable, Sendable, Sequence {
    /// One member: a key and its value.
    public typealias Member = (key: String, value: JSONValue)

    private var members: [Member] = []
    /// Positions by key; only for objects of more than `indexThreshold` members.
    private var positions: [ByteKey: Int]?
    static let indexThreshold = 16

    /// An empty object.
    public init() {}

    /// An empty object with room for `capacity` members, for the parser.
    init(reservingCapacity capacity: Int) {
        members.reserveCapacity(capacity)
    }

    /// An object of these members in this order; a repeated key keeps its first place and last value.
    public init(_ members: [(String, JSONValue)]) {
        for (key, value) in members { self[key] = value }
    }

    /// The keys in order.
    public var keys: [String] { members.map(\.key) }

    private func position(of key: String) -> Int? {
        if let positions { return positions[ByteKey(key)] }
        // String's == (canonical equivalence) is the fast filter; bytes decide among its matches.
        return members.firstIndex { $0.key == key && $0.key.utf8.elementsEqual(key.utf8) }
    }

    /// Setting a value keeps the key's position; setting nil removes the key.
    public subscript(key: String) -> JSONValue? {
        get { position(of: key).map { members[$0].value } }
        set {
            if let i = position(of: key) {
                if let newValue {
                    members[i].value = newValue
                } else {
                    members.remove(at: i)
                    rebuildPositions()
                }
            } else if let newValue {
                _ = appendNew(key, newValue)
            }
        }
    }

    /// Appends a member whose key is not there yet; false (and no change) when it is.
    mutating func appendNew(_ key: String, _ value: JSONValue) -> Bool {
        if position(of: key) != nil { return false }
        members.append((key, value))
        if positions != nil {
            positions?[ByteKey(key)] = members.count - 1
        } else if members.count > Self.indexThreshold {
            rebuildPositions()
        }
        return true
    }

    private mutating func rebuildPositions() {
        guard members.count > Self.indexThreshold else {
            positions = nil
            return
        }
        var index: [ByteKey: Int] = [:]
        index.reserveCapacity(members.count)
        for (i, member) in members.enumerated() { index[ByteKey(member.key)] = i }
        positions = index
    }

    /// The number of members.
    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }

    /// The members in order.
    public func makeIterator() -> IndexingIterator<[Member]> {
        members.makeIterator()
    }

    public static func == (a: JSONObject, b: JSONObject) -> Bool {
        guard a.members.count == b.members.count else { return false }
        for (x, y) in zip(a.members, b.members) where x.key != y.key || !x.key.utf8.elementsEqual(y.key.utf8) || x.value != y.value {
            return false
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(members.count)
        for member in members {
            hasher.combine(member.key)
            hasher.combine(member.value)
        }
    }
}

/// A key compared and hashed by its UTF-8 bytes, not by canonical equivalence as `String` is.
private struct ByteKey: Hashable {
    let text: String

    init(_ text: String) { self.text = text }

    static func == (a: ByteKey, b: ByteKey) -> Bool { a.text == b.text && a.text.utf8.elementsEqual(b.text.utf8) }

    /// String's own hash: keys equal by bytes are canonically equivalent, so they hash alike.
    func hash(into hasher: inout Hasher) { hasher.combine(text) }
}

/// Formatting of numbers for output. Nothing civic writes is ever in exponent notation, so that
/// every tool (and every person) reads the numbers the same way.
public enum JSONNumber {
    /// A number a person typed, as messages echo it: `nan`, `inf` and `-inf` for what JSON cannot
    /// hold (`--off-street 1e309` reads as infinity), an exponent for magnitudes that would be
    /// dozens of digits (`1e-300`), else ``format(_:)``. Never for data: only to name an option's value.
    public static func typed(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        if value != 0 && (abs(value) < 1e-6 || abs(value) >= 1e15) {
            // Swift writes 1e-09 and 1e+20; people write 1e-9 and 1e20.
            let text = "\(value)"
            guard let e = text.firstIndex(of: "e") else { return text }
            var exponent = text[text.index(after: e)...]
            let negative = exponent.first == "-"
            exponent = exponent.drop { $0 == "+" || $0 == "-" || $0 == "0" }
            return text[..<e] + "e" + (negative ? "-" : "") + exponent
        }
        return format(value)
    }

    /// The shortest decimal text that reads back to the same Double, without an exponent
    /// (`1e-7` is `0.0000001`, `1e20` is `100000000000000000000`); integral values have no `.0`.
    /// Non-finite values, which JSON cannot hold, are `null`.
    public static func format(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == 0 { return "0" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return ShortestDecimal(value).plain(decimals: nil)
    }

    /// At most `decimals` decimals, rounded half away from zero, trailing zeros dropped, never an
    /// exponent: `49.9512000` becomes `49.9512`, `0.00000004` with 7 decimals becomes `0`.
    public static func format(_ value: Double, decimals: Int) -> String {
        var out: [UInt8] = []
        appendFixed(value, decimals: decimals, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static let scales: [Double] = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12]
    private static let integerScales: [UInt64] = [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000,
        10_000_000_000, 100_000_000_000, 1_000_000_000_000,
    ]

    /// ``format(_:decimals:)`` appending to a byte buffer; the writer's hot path for coordinates.
    static func appendFixed(_ value: Double, decimals: Int, to out: inout [UInt8]) {
        guard value.isFinite else {
            out.append(contentsOf: "null".utf8)
            return
        }
        guard decimals >= 0, decimals < scales.count else {
            out.append(contentsOf: ShortestDecimal(value).plain(decimals: decimals).utf8)
            return
        }
        let scaled = value * scales[decimals]
        // Below 2^53 the scaled value holds every digit that matters, and one rounding suffices;
        // larger values (far beyond any coordinate) go through their shortest decimal text.
        guard abs(scaled) < 9.0e15 else {
            out.append(contentsOf: ShortestDecimal(value).plain(decimals: decimals).utf8)
            return
        }
        let rounded = scaled.rounded()
        if rounded == 0 {
            out.append(JSONByte.zero)
            return
        }
        if rounded < 0 { out.append(JSONByte.minus) }
        let magnitude = UInt64(abs(rounded))
        let unit = integerScales[decimals]
        appendDigits(magnitude / unit, width: 0, to: &out)
        var fraction = magnitude % unit
        guard fraction != 0 else { return }
        var width = decimals
        while fraction % 10 == 0 {
            fraction /= 10
            width -= 1
        }
        out.append(JSONByte.dot)
        appendDigits(fraction, width: width, to: &out)
    }

    /// Appends the decimal digits of `value`, padded with leading zeros to `width`, in place
    /// (no temporary array: this runs for every coordinate written).
    private static func appendDigits(_ value: UInt64, width: Int, to out: inout [UInt8]) {
        var count = 1
        var rest = value
        while rest >= 10 {
            rest /= 10
            count += 1
        }
        count = max(count, width)
        let start = out.count
        for _ in 0..<count { out.append(JSONByte.zero) }
        rest = value
        var i = start + count - 1
        while rest > 0 {
            out[i] = JSONByte.zero + UInt8(rest % 10)
            rest /= 10
            i -= 1
        }
    }

    /// Whether `text` is a number as JSON's grammar has it (`-0.5e3` yes; `+1`, `01`, `.5`, `NaN` no).
    public static func isValidLiteral(_ text: String) -> Bool {
        var bytes = text.utf8.makeIterator()
        var b = bytes.next()
        if b == JSONByte.minus { b = bytes.next() }
        guard let first = b, JSONByte.isDigit(first) else { return false }
        b = bytes.next()
        if first != JSONByte.zero {
            while let d = b, JSONByte.isDigit(d) { b = bytes.next() }
        }
        if b == JSONByte.dot {
            b = bytes.next()
            guard let d = b, JSONByte.isDigit(d) else { return false }
            while let d = b, JSONByte.isDigit(d) { b = bytes.next() }
        }
        if b == JSONByte.lowerE || b == JSONByte.upperE {
            b = bytes.next()
            if b == JSONByte.plus || b == JSONByte.minus { b = bytes.next() }
            guard let d = b, JSONByte.isDigit(d) else { return false }
            while let d = b, JSONByte.isDigit(d) { b = bytes.next() }
        }
        return b == nil
    }
}

/// A finite Double as the digits of its shortest decimal text and the place of the decimal point:
/// `0.00123` is digits 1 2 3 with the point at -2.
struct ShortestDecimal {
    var negative: Bool
    /// Digit values 0...9, no leading or trailing zeros (empty for zero).
    var digits: [UInt8]
    /// How many of `digits` stand before the decimal point; negative or beyond `digits.count` as needed.
    var point: Int

    init(_ value: Double) {
        // Swift's description is the shortest text that reads back exactly, sometimes with an exponent.
        var text = Array("\(value)".utf8)
        negative = text.first == JSONByte.minus
        if negative { text.removeFirst() }
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == JSONByte.lowerE || $0 == JSONByte.upperE }) {
            exponent = Int(String(decoding: text[(e + 1)...], as: UTF8.self)) ?? 0
            text.removeSubrange(e...)
        }
        var digits: [UInt8] = []
        var point = 0
        var seenDot = false
        for b in text {
            if b == JSONByte.dot {
                seenDot = true
            } else {
                digits.append(b &- JSONByte.zero)
                if !seenDot { point += 1 }
            }
        }
        point += exponent
        while let first = digits.first, first == 0 {
            digits.removeFirst()
            point -= 1
        }
        while let last = digits.last, last == 0 { digits.removeLast() }
        if digits.isEmpty { point = 0 }
        self.digits = digits
        self.point = point
    }

    /// Plain decimal text, rounded half up to `decimals` decimals when given; never an exponent.
    func plain(decimals: Int?) -> String {
        var digits = self.digits
        var point = self.point
        if let decimals, digits.count - point > decimals {
            let keep = point + decimals
            if keep < 0 { return "0" }
            let roundUp = digits[keep] >= 5
            digits.removeSubrange(keep...)
            if roundUp {
                var i = keep - 1
                while i >= 0, digits[i] == 9 {
                    digits[i] = 0
                    i -= 1
                }
                if i >= 0 {
                    digits[i] += 1
                } else {
                    digits.insert(1, at: 0)
                    point += 1
                }
            }
            while let last = digits.last, last == 0 { digits.removeLast() }
        }
        guard !digits.isEmpty else { return "0" }
        var out: [UInt8] = negative ? [JSONByte.minus] : []
        if point <= 0 {
            out.append(JSONByte.zero)
        } else {
            for i in 0..<point { out.append(JSONByte.zero + (i < digits.count ? digits[i] : 0)) }
        }
        if digits.count > point {
            out.append(JSONByte.dot)
            for _ in 0..<max(0, -point) { out.append(JSONByte.zero) }
            for d in digits[max(0, point)...] { out.append(JSONByte.zero + d) }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension JSONValue {
    /// The value as a message quotes one it did not expect: `the string "17"`, `the number 1.5`,
    /// `an array`, `null`; long text cut with `…`.
    public var inMessage: String {
        switch self {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .number(let n): "the number \(CivicError.excerpt(n))"
        case .string(let s): "the string \"\(CivicError.excerpt(s))\""
        case .array: "an array"
        case .object: "an object"
        }
    }
}
