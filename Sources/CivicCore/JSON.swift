/// Reading and writing JSON text: a strict RFC 8259 parser over bytes and a serializer with a
/// stable key order. Foundation's JSON classes are not used: they lose number literals, escape
/// non-ASCII text and do not say where a file broke.
///
/// ```swift
/// let value = try JSON.parse(Array(text.utf8), file: "dataset.json")
/// let text = JSON.serialize(value, pretty: true)
/// ```
public enum JSON {
    /// Parses one JSON value (any type at the root). Accepts a UTF-8 byte order mark.
    ///
    /// Errors are ``CivicError/syntax(file:line:column:reason:hint:)`` with a 1-based line and a
    /// 1-based column counted in characters. Nesting deeper than 64 levels is refused, so hostile
    /// input costs time and memory in proportion to its size and never exhausts the stack.
    /// Numbers keep their literal text (`1e400` is kept; callers that need a Double check it is finite).
    public static func parse(_ bytes: [UInt8], file: String) throws(CivicError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { (buffer) throws(CivicError) -> JSONValue in
            var scanner = ByteScanner(buffer)
            do throws(ReadFailure) {
                try scanner.beginDocument()
                let value = try scanner.readValue(depth: 0)
                try scanner.endDocument()
                return value
            } catch {
                throw scanner.civicError(error, file: file, line: nil, place: "root")
            }
        }
    }

    /// Parses the UTF-8 text of `text`.
    public static func parse(_ text: String, file: String) throws(CivicError) -> JSONValue {
        try parse(Array(text.utf8), file: file)
    }

    /// The JSON text of `value`, without a final newline.
    ///
    /// Object members keep their order; non-ASCII text is written as is; only `"`, `\` and control
    /// characters are escaped (`/` is not). Compact output has no spaces at all; pretty output puts
    /// each member and element on its own line, indented by 2 spaces, with `": "` after names.
    public static func serialize(_ value: JSONValue, pretty: Bool) -> String {
        var writer = JSONTextWriter()
        writer.write(value, pretty: pretty, indent: 0)
        return writer.text
    }
}

extension ByteScanner {
    /// Names a failure for the user: syntax errors get line and column, problems the given place.
    /// A file that does not parse because git left conflict markers in it is named as such, at the
    /// first marker: the dataset lives in git, and "found '<'" would send the user looking for XML.
    func civicError(_ failure: ReadFailure, file: String, line: Int?, place: String) -> CivicError {
        switch failure {
        case let .syntax(offset, reason, hint):
            if let conflict = mergeConflict() {
                let count = conflict.count == 1 ? "" : " (\(conflict.count) conflicts in the file)"
                return .syntax(file: file, line: conflict.firstLine, column: 1,
                               reason: "unresolved merge conflict at line \(conflict.firstLine)\(count)",
                               hint: "resolve it: keep the lines you want between <<<<<<<, ======= and >>>>>>>, "
                                   + "delete the marker lines, then run `civic validate`")
            }
            let at = location(of: offset)
            return .syntax(file: file, line: at.line, column: at.column, reason: reason, hint: hint)
        case let .problem(field, reason, hint, problemLine):
            return .invalid(file: file, line: problemLine ?? line, place: place, field: field, reason: reason,
                            hint: hint)
        case let .complete(error):
            return error
        }
    }
}

/// Builds JSON text as UTF-8 bytes; shared by ``JSON/serialize(_:pretty:)`` and ``GeoJSONWriter``.
struct JSONTextWriter {
    var bytes: [UInt8] = []

    init(reservingCapacity capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    mutating func raw(_ s: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    mutating func raw(_ s: String) {
        bytes.append(contentsOf: s.utf8)
    }

    mutating func byte(_ b: UInt8) {
        bytes.append(b)
    }

    /// A string in double quotes: `"`, `\` and control characters escaped, everything else as is.
    mutating func string(_ s: String) {
        bytes.append(JSONByte.quote)
        for b in s.utf8 {
            switch b {
            case JSONByte.quote: raw("\\\"")
            case JSONByte.backslash: raw("\\\\")
            case JSONByte.newline: raw("\\n")
            case JSONByte.carriageReturn: raw("\\r")
            case JSONByte.tab: raw("\\t")
            case 0x08: raw("\\b")
            case 0x0C: raw("\\f")
            case 0..<0x20:
                raw("\\u")
                raw(ByteScanner.hex4(UInt32(b)).lowercased())
            default: bytes.append(b)
            }
        }
        bytes.append(JSONByte.quote)
    }

    /// A number literal, or `null` when the text is not a JSON number (NaN made in code, say):
    /// the output must stay valid JSON whatever the value holds.
    mutating func number(_ literal: String) {
        if JSONNumber.isValidLiteral(literal) {
            raw(literal)
        } else {
            raw("null")
        }
    }

    mutating func newline(indent: Int) {
        bytes.append(JSONByte.newline)
        for _ in 0..<indent { bytes.append(JSONByte.space) }
    }

    mutating func write(_ value: JSONValue, pretty: Bool, indent: Int) {
        switch value {
        case .null: raw("null")
        case .bool(let b): b ? raw("true") : raw("false")
        case .number(let n): number(n)
        case .string(let s): string(s)
        case .array(let items):
            guard !items.isEmpty else { raw("[]"); return }
            byte(JSONByte.openBracket)
            for (i, item) in items.enumerated() {
                if i > 0 { byte(JSONByte.comma) }
                if pretty { newline(indent: indent + 2) }
                write(item, pretty: pretty, indent: indent + 2)
            }
            if pretty { newline(indent: indent) }
            byte(JSONByte.closeBracket)
        case .object(let object):
            guard !object.isEmpty else { raw("{}"); return }
            byte(JSONByte.openBrace)
            var first = true
            for (key, member) in object {
                if !first { byte(JSONByte.comma) }
                first = false
                if pretty { newline(indent: indent + 2) }
                string(key)
                pretty ? raw(": ") : byte(JSONByte.colon)
                write(member, pretty: pretty, indent: indent + 2)
            }
            if pretty { newline(indent: indent) }
            byte(JSONByte.closeBrace)
        }
    }
}
