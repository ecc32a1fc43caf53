/// Why reading a JSON or GeoJSON text stopped, before the public entry point knows how to name
/// the place: a syntax error carries a byte offset (turned into line and column only when reported),
/// a problem carries the field at fault (the feature around it adds its own name and line).
enum ReadFailure: Error {
    /// The text is not well-formed JSON at `offset`.
    case syntax(offset: Int, reason: String, hint: String?)
    /// Well-formed, but wrong for GeoJSON; `line`, when known, overrides the line of the enclosing object.
    case problem(field: String?, reason: String, hint: String?, line: Int?)
    /// Already named in full (by an inner feature that knew its index and id).
    case complete(CivicError)
}

/// Bytes of the ASCII characters JSON's grammar is made of.
enum JSONByte {
    static let tab: UInt8 = 0x09
    static let newline: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let quote: UInt8 = 0x22
    static let plus: UInt8 = 0x2B
    static let comma: UInt8 = 0x2C
    static let minus: UInt8 = 0x2D
    static let dot: UInt8 = 0x2E
    static let slash: UInt8 = 0x2F
    static let zero: UInt8 = 0x30
    static let nine: UInt8 = 0x39
    static let colon: UInt8 = 0x3A
    static let lessThan: UInt8 = 0x3C
    static let upperE: UInt8 = 0x45
    static let upperI: UInt8 = 0x49
    static let upperN: UInt8 = 0x4E
    static let openBracket: UInt8 = 0x5B
    static let backslash: UInt8 = 0x5C
    static let closeBracket: UInt8 = 0x5D
    static let lowerE: UInt8 = 0x65
    static let lowerF: UInt8 = 0x66
    static let lowerN: UInt8 = 0x6E
    static let lowerT: UInt8 = 0x74
    static let openBrace: UInt8 = 0x7B
    static let closeBrace: UInt8 = 0x7D
    static let apostrophe: UInt8 = 0x27

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- zero < 10 }
}

/// A pull scanner over the bytes of a JSON text: strict RFC 8259, no recursion, nesting bounded by
/// ``maxDepth``, every string checked to be valid UTF-8. Shared by ``JSON`` and ``GeoJSONReader``.
///
/// A value type: copying it and reading ahead on the copy is how the GeoJSON reader peeks at a member
/// that comes later in an object (`type` after `coordinates`, `id` after `geometry`).
struct ByteScanner {
    /// The deepest nesting of arrays and objects accepted; far beyond what any GeoJSON or
    /// dataset file needs, and low enough that hostile input cannot exhaust memory or time.
    static let maxDepth = 64

    let bytes: UnsafeBufferPointer<UInt8>
    /// Where the text starts: 3 after a UTF-8 byte order mark, else 0.
    private(set) var start = 0
    var pos = 0
    /// The 1-based line of `pos`; a newline can only occur in whitespace, so skipping whitespace counts lines.
    var line = 1

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    var count: Int { bytes.count }
    var atEnd: Bool { pos >= bytes.count }

    /// The byte at `pos`, or nil at the end.
    @inline(__always) var current: UInt8? { pos < bytes.count ? bytes[pos] : nil }

    // MARK: - Start and end of a document

    /// Skips a UTF-8 byte order mark, refuses UTF-16 and empty texts, and stops at the first value.
    mutating func beginDocument() throws(ReadFailure) {
        if count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            start = 3
        } else if count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            throw .syntax(offset: 0, reason: "the file is UTF-16, not UTF-8",
                          hint: "save it as UTF-8 (iconv -f UTF-16 -t UTF-8 in > out)")
        }
        pos = start
        skipWhitespace()
        if atEnd {
            throw .syntax(offset: pos, reason: "the file is empty", hint: nil)
        }
    }

    /// After the root value: only whitespace may follow.
    mutating func endDocument() throws(ReadFailure) {
        skipWhitespace()
        if !atEnd {
            throw .syntax(offset: pos, reason: "unexpected \(describe(at: pos)) after the end of the JSON value",
                          hint: "a JSON file holds exactly one value; is something appended, or a comma or bracket missing?")
        }
    }

    // MARK: - Whitespace and punctuation

    @inline(__always) mutating func skipWhitespace() {
        while pos < bytes.count {
            let b = bytes[pos]
            if b == JSONByte.space || b == JSONByte.tab || b == JSONByte.carriageReturn {
                pos += 1
            } else if b == JSONByte.newline {
                pos += 1
                line += 1
            } else {
                return
            }
        }
    }

    /// Skips whitespace, then consumes `byte` or fails naming what was `expected`.
    @inline(__always) mutating func expect(_ byte: UInt8, _ expected: String) throws(ReadFailure) {
        skipWhitespace()
        guard pos < bytes.count, bytes[pos] == byte else { throw unexpected(expected) }
        pos += 1
    }

    /// After a member or element: true after a comma (another one follows), false after `close`.
    @inline(__always) mutating func next(orClose close: UInt8) throws(ReadFailure) -> Bool {
        skipWhitespace()
        if pos < bytes.count {
            let b = bytes[pos]
            if b == JSONByte.comma { pos += 1; return true }
            if b == close { pos += 1; return false }
        }
        throw unexpected(close == JSONByte.closeBracket ? "',' or ']'" : "',' or '}'")
    }

    /// At `{`: consumes it; true when the object is empty (and then consumes the `}` as well).
    mutating func openObject() -> Bool {
        pos += 1
        skipWhitespace()
        if pos < bytes.count, bytes[pos] == JSONByte.closeBrace {
            pos += 1
            return true
        }
        return false
    }

    /// At `[`: consumes it; true when the array is empty (and then consumes the `]` as well).
    mutating func openArray() -> Bool {
        pos += 1
        skipWhitespace()
        if pos < bytes.count, bytes[pos] == JSONByte.closeBracket {
            pos += 1
            return true
        }
        return false
    }

    /// Reads a member name and the colon after it.
    mutating func readKey() throws(ReadFailure) -> String {
        skipWhitespace()
        guard pos < bytes.count, bytes[pos] == JSONByte.quote else { throw unexpected("a member name in double quotes") }
        let key = try readString()
        try expect(JSONByte.colon, "':'")
        return key
    }

    // MARK: - Strings

    /// Reads a string at `"`; checks UTF-8, escapes and surrogate pairs.
    mutating func readString() throws(ReadFailure) -> String {
        let open = pos
        pos += 1
        let contentStart = pos
        // Fast path: no escapes, so the bytes are the string.
        while pos < bytes.count {
            let b = bytes[pos]
            if b == JSONByte.quote {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[contentStart..<pos]), as: UTF8.self)
                pos += 1
                return text
            }
            if b == JSONByte.backslash { break }
            try stepStringByte(b)
        }
        guard pos < bytes.count else { throw unclosedString(at: open) }
        var out = Array(UnsafeBufferPointer(rebasing: bytes[contentStart..<pos]))
        while pos < bytes.count {
            let b = bytes[pos]
            if b == JSONByte.quote {
                pos += 1
                return String(decoding: out, as: UTF8.self)
            }
            if b == JSONByte.backslash {
                try readEscape(into: &out)
            } else {
                let from = pos
                try stepStringByte(b)
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[from..<pos]))
            }
        }
        throw unclosedString(at: open)
    }

    /// A string read without building it: its raw bytes when it has no escapes (the common case
    /// for member names and GeoJSON type names), else the decoded text.
    enum Token {
        case raw(Range<Int>)
        case decoded(String)
    }

    /// Reads a string at `"` as a ``Token``, checked exactly as ``readString()`` checks it.
    mutating func readToken() throws(ReadFailure) -> Token {
        let open = pos
        pos += 1
        while pos < bytes.count {
            let b = bytes[pos]
            if b == JSONByte.quote {
                pos += 1
                return .raw(open + 1..<pos - 1)
            }
            if b == JSONByte.backslash {
                pos = open
                return .decoded(try readString())
            }
            try stepStringByte(b)
        }
        throw unclosedString(at: open)
    }

    /// Reads a member name as a ``Token`` and the colon after it.
    mutating func readKeyToken() throws(ReadFailure) -> Token {
        skipWhitespace()
        guard pos < bytes.count, bytes[pos] == JSONByte.quote else { throw unexpected("a member name in double quotes") }
        let token = try readToken()
        try expect(JSONByte.colon, "':'")
        return token
    }

    /// Whether a token is the ASCII text `word`.
    func token(_ token: Token, is word: StaticString) -> Bool {
        switch token {
        case .raw(let range):
            let length = word.utf8CodeUnitCount
            guard range.count == length else { return false }
            let w = word.utf8Start
            for i in 0..<length where bytes[range.lowerBound + i] != w[i] { return false }
            return true
        case .decoded(let text):
            return text == word.description
        }
    }

    /// The text of a token.
    func text(_ token: Token) -> String {
        switch token {
        case .raw(let range): String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        case .decoded(let text): text
        }
    }

    /// Skips a string at `"`, checking it exactly as ``readString()`` does.
    mutating func skipString() throws(ReadFailure) {
        let open = pos
        pos += 1
        var sink: [UInt8] = []
        while pos < bytes.count {
            let b = bytes[pos]
            if b == JSONByte.quote {
                pos += 1
                return
            }
            if b == JSONByte.backslash {
                try readEscape(into: &sink)
                sink.removeAll(keepingCapacity: true)
            } else {
                try stepStringByte(b)
            }
        }
        throw unclosedString(at: open)
    }

    /// Moves past one plain (unescaped) character of a string, starting with byte `b`.
    @inline(__always) private mutating func stepStringByte(_ b: UInt8) throws(ReadFailure) {
        if b < 0x20 {
            let hint = b == JSONByte.newline || b == JSONByte.carriageReturn
                ? "a string cannot span lines; write a line break as \\n (or is a closing quote missing?)"
                : "write it escaped, as \\u\(Self.hex4(UInt32(b)))"
            throw .syntax(offset: pos, reason: "control character U+\(Self.hex4(UInt32(b))) inside a string",
                          hint: hint)
        }
        if b < 0x80 {
            pos += 1
        } else {
            guard let length = utf8SequenceLength(at: pos) else { throw invalidUTF8(at: pos) }
            pos += length
        }
    }

    /// At a backslash: appends the escaped character's UTF-8 bytes to `out`.
    private mutating func readEscape(into out: inout [UInt8]) throws(ReadFailure) {
        let escapeStart = pos
        pos += 1
        guard pos < bytes.count else { throw unclosedString(at: escapeStart) }
        let b = bytes[pos]
        pos += 1
        switch b {
        case JSONByte.quote: out.append(JSONByte.quote)
        case JSONByte.backslash: out.append(JSONByte.backslash)
        case JSONByte.slash: out.append(JSONByte.slash)
        case 0x62: out.append(0x08) // \b
        case 0x66: out.append(0x0C) // \f
        case 0x6E: out.append(JSONByte.newline)
        case 0x72: out.append(JSONByte.carriageReturn)
        case 0x74: out.append(JSONByte.tab)
        case 0x75: // \uXXXX
            let unit = try readHex4(escapeStart: escapeStart)
            var scalar = unit
            if (0xD800...0xDBFF).contains(unit) {
                // A high surrogate must be followed at once by an escaped low one.
                guard pos + 1 < bytes.count, bytes[pos] == JSONByte.backslash, bytes[pos + 1] == 0x75 else {
                    throw loneSurrogate(unit, at: escapeStart)
                }
                let lowStart = pos
                pos += 2
                let low = try readHex4(escapeStart: lowStart)
                guard (0xDC00...0xDFFF).contains(low) else { throw loneSurrogate(unit, at: escapeStart) }
                scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(unit) {
                throw loneSurrogate(unit, at: escapeStart)
            }
            Self.appendUTF8(scalar, to: &out)
        default:
            throw .syntax(offset: escapeStart, reason: "invalid escape \\\(describeByte(b)) in a string",
                          hint: "JSON knows \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX; write a backslash as \\\\")
        }
    }

    private mutating func readHex4(escapeStart: Int) throws(ReadFailure) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard pos < bytes.count else { throw unclosedString(at: escapeStart) }
            let b = bytes[pos]
            let digit: UInt32
            switch b {
            case 0x30...0x39: digit = UInt32(b - 0x30)
            case 0x41...0x46: digit = UInt32(b - 0x41 + 10)
            case 0x61...0x66: digit = UInt32(b - 0x61 + 10)
            default:
                throw .syntax(offset: escapeStart, reason: "a \\u escape needs 4 hexadecimal digits", hint: nil)
            }
            value = value << 4 | digit
            pos += 1
        }
        return value
    }

    private func loneSurrogate(_ unit: UInt32, at offset: Int) -> ReadFailure {
        .syntax(offset: offset, reason: "lone surrogate \\u\(Self.hex4(unit)) in a string",
                hint: "a \\uD800–\\uDBFF escape must be followed by a \\uDC00–\\uDFFF one; the text was cut or mis-encoded")
    }

    private func unclosedString(at offset: Int) -> ReadFailure {
        .syntax(offset: offset, reason: "a string is not closed before the end of the file",
                hint: "the file may be truncated")
    }

    // MARK: - Numbers and literals

    /// Reads a number at `-` or a digit, checked against JSON's grammar, and returns its literal text.
    mutating func readNumberLiteral() throws(ReadFailure) -> String {
        let from = pos
        try skipNumber()
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[from..<pos]), as: UTF8.self)
    }

    /// Moves past a number, checking JSON's grammar: no leading zeros, no `+`, no bare `.` or `e`.
    mutating func skipNumber() throws(ReadFailure) {
        if bytes[pos] == JSONByte.minus { pos += 1 }
        guard pos < bytes.count, JSONByte.isDigit(bytes[pos]) else {
            throw unexpected("a digit after '-'")
        }
        if bytes[pos] == JSONByte.zero {
            pos += 1
            if pos < bytes.count, JSONByte.isDigit(bytes[pos]) {
                throw .syntax(offset: pos - 1, reason: "a number with a leading zero",
                              hint: "JSON numbers cannot start with 0 unless they are 0 or 0.something")
            }
        } else {
            while pos < bytes.count, JSONByte.isDigit(bytes[pos]) { pos += 1 }
        }
        if pos < bytes.count, bytes[pos] == JSONByte.dot {
            pos += 1
            guard pos < bytes.count, JSONByte.isDigit(bytes[pos]) else { throw unexpected("a digit after the decimal point") }
            while pos < bytes.count, JSONByte.isDigit(bytes[pos]) { pos += 1 }
        }
        if pos < bytes.count, bytes[pos] == JSONByte.lowerE || bytes[pos] == JSONByte.upperE {
            pos += 1
            if pos < bytes.count, bytes[pos] == JSONByte.plus || bytes[pos] == JSONByte.minus { pos += 1 }
            guard pos < bytes.count, JSONByte.isDigit(bytes[pos]) else { throw unexpected("a digit in the exponent") }
            while pos < bytes.count, JSONByte.isDigit(bytes[pos]) { pos += 1 }
        }
    }

    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// Reads a number at `-` or a digit as a Double (infinite when it overflows, as 1e400 does).
    ///
    /// Coordinates are read this way, without a String per number. When the digits make an integer
    /// of at most 2^53 and the decimal exponent is within ±22, both are exact Doubles and one
    /// correctly rounded multiplication or division gives the correctly rounded result (Clinger's
    /// fast path: `82.6101234` is 826101234 / 10^7); anything else goes through the standard
    /// library's correctly rounded parser.
    mutating func readDouble() throws(ReadFailure) -> Double {
        let from = pos
        let end = bytes.count
        guard let base = bytes.baseAddress else { throw unexpected("a number") }
        var i = pos
        var negative = false
        if base[i] == JSONByte.minus {
            negative = true
            i += 1
        }
        let integerStart = i
        var mantissa: UInt64 = 0
        while i < end {
            let digit = base[i] &- JSONByte.zero
            if digit >= 10 { break }
            mantissa = mantissa &* 10 &+ UInt64(digit)
            i += 1
        }
        var digits = i - integerStart
        if digits == 0 {
            pos = i
            throw unexpected("a digit after '-'")
        }
        if digits > 1, base[integerStart] == JSONByte.zero {
            pos = integerStart + 1
            throw .syntax(offset: integerStart, reason: "a number with a leading zero",
                          hint: "JSON numbers cannot start with 0 unless they are 0 or 0.something")
        }
        var exponent = 0
        if i < end, base[i] == JSONByte.dot {
            i += 1
            let fractionStart = i
            while i < end {
                let digit = base[i] &- JSONByte.zero
                if digit >= 10 { break }
                mantissa = mantissa &* 10 &+ UInt64(digit)
                i += 1
            }
            if i == fractionStart {
                pos = i
                throw unexpected("a digit after the decimal point")
            }
            digits += i - fractionStart
            exponent = fractionStart - i
        }
        if i < end, base[i] == JSONByte.lowerE || base[i] == JSONByte.upperE {
            i += 1
            var exponentNegative = false
            if i < end, base[i] == JSONByte.plus || base[i] == JSONByte.minus {
                exponentNegative = base[i] == JSONByte.minus
                i += 1
            }
            let exponentStart = i
            var written = 0
            while i < end {
                let digit = base[i] &- JSONByte.zero
                if digit >= 10 { break }
                if written < 100_000 { written = written * 10 + Int(digit) }
                i += 1
            }
            if i == exponentStart {
                pos = i
                throw unexpected("a digit in the exponent")
            }
            exponent += exponentNegative ? -written : written
        }
        pos = i
        // 19 digits cannot overflow the mantissa; up to 2^53 it converts to a Double exactly.
        if digits <= 19, mantissa <= 1 << 53, exponent >= -22, exponent <= 22 {
            let magnitude = exponent < 0
                ? Double(mantissa) / Self.powersOfTen[-exponent]
                : Double(mantissa) * Self.powersOfTen[exponent]
            return negative ? -magnitude : magnitude
        }
        if digits <= 19, mantissa == 0 { return negative ? -0.0 : 0 }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[from..<pos]), as: UTF8.self)
        return Double(text) ?? .nan
    }

    /// Reads `true`, `false` or `null` (the caller has seen its first letter).
    mutating func readLiteral() throws(ReadFailure) -> JSONValue {
        if matches("true") { pos += 4; return .bool(true) }
        if matches("false") { pos += 5; return .bool(false) }
        if matches("null") { pos += 4; return .null }
        throw unexpected("a value")
    }

    func matches(_ word: StaticString) -> Bool {
        let length = word.utf8CodeUnitCount
        guard pos + length <= bytes.count else { return false }
        let w = word.utf8Start
        for i in 0..<length where bytes[pos + i] != w[i] { return false }
        return true
    }

    // MARK: - Values

    /// Reads any JSON value into a ``JSONValue``; `depth` is the nesting level of the container the
    /// value sits in (0 for a root value). Recursive, but never deeper than ``maxDepth`` calls.
    mutating func readValue(depth: Int) throws(ReadFailure) -> JSONValue {
        skipWhitespace()
        guard pos < bytes.count else { throw unexpected("a value") }
        switch bytes[pos] {
        case JSONByte.openBrace:
            try checkDepth(depth + 1)
            if openObject() { return .object(JSONObject()) }
            var object = JSONObject(reservingCapacity: 8)
            repeat {
                skipWhitespace()
                let keyOffset = pos
                let key = try readKey()
                let value = try readValue(depth: depth + 1)
                guard object.appendNew(key, value) else { throw duplicateKey(key, at: keyOffset) }
            } while try next(orClose: JSONByte.closeBrace)
            return .object(object)
        case JSONByte.openBracket:
            try checkDepth(depth + 1)
            var items: [JSONValue] = []
            if openArray() { return .array(items) }
            repeat {
                items.append(try readValue(depth: depth + 1))
            } while try next(orClose: JSONByte.closeBracket)
            return .array(items)
        case JSONByte.quote:
            return .string(try readString())
        case JSONByte.minus, JSONByte.zero...JSONByte.nine:
            return .number(try readNumberLiteral())
        case JSONByte.lowerT, JSONByte.lowerF, JSONByte.lowerN:
            return try readLiteral()
        default:
            throw unexpected("a value")
        }
    }

    /// Moves past any JSON value, checking it as ``readValue(depth:)`` does but building nothing.
    /// Iterative: which open containers are objects is one bit each (``maxDepth`` is 64).
    mutating func skipValue(depth: Int) throws(ReadFailure) {
        var objects: UInt64 = 0
        var level = 0
        while true {
            skipWhitespace()
            guard pos < bytes.count else { throw unexpected("a value") }
            switch bytes[pos] {
            case JSONByte.openBrace:
                try checkDepth(depth + level + 1)
                if openObject() { break }
                _ = try readKey()
                objects |= 1 << UInt64(level)
                level += 1
                continue
            case JSONByte.openBracket:
                try checkDepth(depth + level + 1)
                if openArray() { break }
                objects &= ~(1 << UInt64(level))
                level += 1
                continue
            case JSONByte.quote:
                try skipString()
            case JSONByte.minus, JSONByte.zero...JSONByte.nine:
                try skipNumber()
            case JSONByte.lowerT, JSONByte.lowerF, JSONByte.lowerN:
                _ = try readLiteral()
            default:
                throw unexpected("a value")
            }
            while true {
                guard level > 0 else { return }
                if objects & (1 << UInt64(level - 1)) != 0 {
                    if try next(orClose: JSONByte.closeBrace) {
                        _ = try readKey()
                        break
                    }
                } else if try next(orClose: JSONByte.closeBracket) {
                    break
                }
                level -= 1
            }
        }
    }

    func checkDepth(_ depth: Int) throws(ReadFailure) {
        if depth > Self.maxDepth {
            throw .syntax(offset: pos, reason: "nesting deeper than \(Self.maxDepth) levels",
                          hint: "no GeoJSON or civic file needs this; the file is damaged or not what it seems")
        }
    }

    func duplicateKey(_ key: String, at offset: Int) -> ReadFailure {
        .syntax(offset: offset, reason: "duplicate member \"\(CivicError.excerpt(key))\" in an object",
                hint: "keep one of them; readers disagree on which one counts")
    }

    // MARK: - Describing what went wrong

    /// A syntax failure at `pos`: what was found instead of `expected`.
    func unexpected(_ expected: String) -> ReadFailure {
        if pos >= bytes.count {
            return .syntax(offset: pos, reason: "unexpected end of file; expected \(expected)",
                           hint: "the file may be truncated")
        }
        let b = bytes[pos]
        if b >= 0x80, utf8SequenceLength(at: pos) == nil { return invalidUTF8(at: pos) }
        var hint: String?
        switch b {
        case JSONByte.closeBracket, JSONByte.closeBrace:
            if expected == "a value" || expected.hasPrefix("a member name") {
                hint = "JSON allows no comma before a closing bracket or brace"
            }
        case JSONByte.apostrophe:
            hint = "JSON strings and names are written in double quotes"
        case JSONByte.lessThan:
            hint = "this looks like XML (KML or GML?); civic reads GeoJSON: ogr2ogr -f GeoJSON -t_srs EPSG:4326 out.geojson in.kml"
        case JSONByte.upperN, JSONByte.upperI:
            if matches("NaN") || matches("Infinity") {
                hint = "JSON has no NaN or Infinity; write null, or leave the value out"
            }
        case JSONByte.slash:
            hint = "JSON has no comments"
        case JSONByte.quote:
            if expected.hasPrefix("',' or") { hint = "a comma is missing before it" }
        default:
            if expected.hasPrefix("',' or"), b == JSONByte.openBrace || b == JSONByte.openBracket || JSONByte.isDigit(b) {
                hint = "a comma is missing before it"
            }
        }
        return .syntax(offset: pos, reason: "expected \(expected), found \(describe(at: pos))", hint: hint)
    }

    func invalidUTF8(at offset: Int) -> ReadFailure {
        .syntax(offset: offset, reason: "invalid UTF-8 (byte 0x\(Self.hex2(bytes[offset])))",
                hint: "save the file as UTF-8; a file from Excel or an old GIS may be Windows-1251: iconv -f CP1251 -t UTF-8 in > out")
    }

    /// The character at `offset`, for a message: `'x'`, `end of file`, `control character U+0001`.
    func describe(at offset: Int) -> String {
        guard offset < bytes.count else { return "end of file" }
        let b = bytes[offset]
        if b < 0x20 || b == 0x7F { return "control character U+\(Self.hex4(UInt32(b)))" }
        if b < 0x80 { return "'\(Character(Unicode.Scalar(b)))'" }
        guard let length = utf8SequenceLength(at: offset) else { return "invalid UTF-8 (byte 0x\(Self.hex2(b)))" }
        return "'\(String(decoding: UnsafeBufferPointer(rebasing: bytes[offset..<offset + length]), as: UTF8.self))'"
    }

    private func describeByte(_ b: UInt8) -> String {
        b >= 0x21 && b < 0x7F ? String(Character(Unicode.Scalar(b))) : "(byte 0x\(Self.hex2(b)))"
    }

    /// The 1-based line and column of a byte offset; the column counts characters (Unicode scalars),
    /// not bytes, so that it matches what an editor shows on a line of Cyrillic text.
    func location(of offset: Int) -> (line: Int, column: Int) {
        let end = Swift.min(offset, bytes.count)
        var line = 1
        var lineStart = start
        var i = start
        while i < end {
            if bytes[i] == JSONByte.newline {
                line += 1
                lineStart = i + 1
            }
            i += 1
        }
        var column = 1
        i = lineStart
        while i < end {
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return (line, column)
    }

    /// The line of the first git conflict marker (`<<<<<<< HEAD` at the start of a line) and how
    /// many there are; nil when there is none. JSON never has a line that starts with `<`, so such
    /// a line in a file that failed to parse is a conflict git left behind.
    func mergeConflict() -> (firstLine: Int, count: Int)? {
        var line = 1
        var first: Int?
        var count = 0
        var i = start
        var atLineStart = true
        while i < bytes.count {
            let b = bytes[i]
            if atLineStart, b == JSONByte.lessThan, isConflictMarker(at: i) {
                if first == nil { first = line }
                count += 1
            }
            atLineStart = b == JSONByte.newline
            if atLineStart { line += 1 }
            i += 1
        }
        return first.map { ($0, count) }
    }

    /// Seven `<` followed by a space, a line end or the end of the file.
    private func isConflictMarker(at offset: Int) -> Bool {
        guard offset + 7 <= bytes.count else { return false }
        for k in 0..<7 where bytes[offset + k] != JSONByte.lessThan { return false }
        guard offset + 7 < bytes.count else { return true }
        let next = bytes[offset + 7]
        return next == JSONByte.space || next == JSONByte.newline || next == JSONByte.carriageReturn
    }

    // MARK: - UTF-8

    /// The length of the well-formed UTF-8 sequence at `offset` (Unicode's Table 3-7: no overlong
    /// forms, no surrogates, nothing past U+10FFFF), or nil when it is not one.
    @inline(__always) func utf8SequenceLength(at offset: Int) -> Int? {
        let b0 = bytes[offset]
        @inline(__always) func byte(_ i: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
            offset + i < bytes.count && bytes[offset + i] >= low && bytes[offset + i] <= high
        }
        switch b0 {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: return byte(1) ? 2 : nil
        case 0xE0: return byte(1, 0xA0) && byte(2) ? 3 : nil
        case 0xE1...0xEC, 0xEE...0xEF: return byte(1) && byte(2) ? 3 : nil
        case 0xED: return byte(1, 0x80, 0x9F) && byte(2) ? 3 : nil
        case 0xF0: return byte(1, 0x90) && byte(2) && byte(3) ? 4 : nil
        case 0xF1...0xF3: return byte(1) && byte(2) && byte(3) ? 4 : nil
        case 0xF4: return byte(1, 0x80, 0x8F) && byte(2) && byte(3) ? 4 : nil
        default: return nil
        }
    }

    static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | scalar >> 6))
            out.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | scalar >> 12))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        default:
            out.append(UInt8(0xF0 | scalar >> 18))
            out.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    static func hex2(_ b: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(b >> 4)], digits[Int(b & 0xF)]])
    }

    static func hex4(_ value: UInt32) -> String {
        hex2(UInt8(value >> 8 & 0xFF)) + hex2(UInt8(value & 0xFF))
    }
}
