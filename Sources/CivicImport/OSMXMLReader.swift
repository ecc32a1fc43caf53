import CivicCore
import GeoValues

/// Reads OSM XML (`.osm`), as the OSM website's Export, JOSM and Overpass (`[out:xml]`) write it.
///
/// A small streaming tokenizer over the bytes, not a general XML parser: it knows elements,
/// attributes, the five named entities and character references, comments, processing
/// instructions and a DOCTYPE, which is all OSM files use. A DOCTYPE's internal subset
/// (`<!DOCTYPE osm [ … ]>`) is skipped as XML defines it, quoted literals and comments included,
/// and the general entities it declares (`<!ENTITY dk "Дворец культуры">`) are expanded in
/// attribute values. Elements JOSM marks
/// `action="delete"` and history exports mark `visible="false"` are left out.
/// A file that ends inside an element is refused, naming the element and the line where it opened.
public enum OSMXMLReader {
    /// The elements of an OSM XML file; syntax errors carry the line and column.
    public static func read(_ bytes: [UInt8], file: String) throws(CivicError) -> OSMExtract {
        if let bad = TextDecoding.firstInvalidUTF8(bytes[...]) {
            let at = TextDecoding.position(of: bad, in: bytes)
            throw CivicError.syntax(file: file, line: at.line, column: at.column, reason: "the file is not valid UTF-8",
                                    hint: "OSM XML is UTF-8; was the file changed by another program?")
        }
        var reader = Reader(bytes: bytes, file: file)
        return try reader.run()
    }

    /// One open element and what it has gathered so far.
    private struct Open {
        var name: String
        var line: Int
        var attributes: [String: String]
        var tags: [String: String] = [:]
        var nodeRefs: [String] = []
        var inline: [Position?] = []
        var members: [OSMMember] = []
        var text: [UInt8] = []

        /// `way/123` for an element that has an id, else `<name>`.
        var label: String {
            if let id = attributes["id"], ["node", "way", "relation"].contains(name) { return "\(name)/\(id)" }
            return "<\(name)>"
        }
    }

    private struct Reader {
        let bytes: [UInt8]
        let file: String
        var i = 0
        var line = 1
        var lineStart = 0
        var stack: [Open] = []
        var extract = OSMExtract()
        var sawRoot = false
        /// General entities declared in the DOCTYPE's internal subset, by name: their replacement text.
        var declaredEntities: [String: [UInt8]] = [:]
        /// Bytes produced by declared entities so far: a hostile file could make a small one expand
        /// to gigabytes, and ``maxExpansion`` stops it.
        var expandedBytes = 0
        static let maxExpansion = 64 << 20

        init(bytes: [UInt8], file: String) {
            self.bytes = bytes
            self.file = file
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3; lineStart = 3 }
        }

        mutating func run() throws(CivicError) -> OSMExtract {
            while i < bytes.count {
                let b = bytes[i]
                if b == UInt8(ascii: "<") {
                    try markup()
                } else {
                    if b == 0x0A { line += 1; lineStart = i + 1 }
                    if !stack.isEmpty, stack[stack.count - 1].name == "remark" { stack[stack.count - 1].text.append(b) }
                    else if !isSpace(b) && stack.isEmpty {
                        throw syntax("text outside the <osm> element")
                    }
                    i += 1
                }
            }
            if let open = stack.last {
                let outer = stack.last { ["node", "way", "relation"].contains($0.name) } ?? open
                throw CivicError.syntax(
                    file: file, line: line, column: i - lineStart + 1,
                    reason: "the file ends inside \(outer.label) (opened on line \(outer.line)): it looks truncated",
                    hint: "download or export the file again")
            }
            guard sawRoot else {
                throw CivicError.syntax(file: file, line: line, column: 1, reason: "no <osm> element: the file is empty or not OSM XML")
            }
            return extract
        }

        // MARK: markup

        mutating func markup() throws(CivicError) {
            if starts("<!--") { return try skip(past: "-->", what: "comment") }
            if starts("<?") { return try skip(past: "?>", what: "processing instruction") }
            if starts("<![CDATA[") { return try skip(past: "]]>", what: "CDATA section") }
            if starts("<!DOCTYPE") { return try doctype() }
            if starts("<!") { return try skip(past: ">", what: "declaration") }
            let tagLine = line
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "/") {
                i += 1
                let name = try readName()
                skipSpace()
                try expect(">")
                guard let open = stack.popLast() else { throw syntax("</\(name)> closes nothing") }
                guard open.name == name else {
                    throw syntax("</\(name)> closes <\(open.name)>, opened on line \(open.line)")
                }
                try close(open)
                return
            }
            let name = try readName()
            var attributes: [String: String] = [:]
            while true {
                skipSpace()
                guard i < bytes.count else { throw truncated(inside: "<\(name)> (line \(tagLine))") }
                if bytes[i] == UInt8(ascii: "/") {
                    i += 1
                    try expect(">")
                    try open(Open(name: name, line: tagLine, attributes: attributes), selfClosing: true)
                    return
                }
                if bytes[i] == UInt8(ascii: ">") {
                    i += 1
                    try open(Open(name: name, line: tagLine, attributes: attributes), selfClosing: false)
                    return
                }
                let key = try readName()
                skipSpace()
                try expect("=")
                skipSpace()
                attributes[key] = try readQuoted(element: name, line: tagLine)
            }
        }

        /// `<!DOCTYPE osm SYSTEM "…" [ internal subset ]>`: quoted literals may hold `>` and `]`, the
        /// subset holds declarations, comments and processing instructions (XML 1.0 §2.8).
        mutating func doctype() throws(CivicError) {
            let startLine = line
            i += "<!DOCTYPE".utf8.count
            while i < bytes.count {
                switch bytes[i] {
                case UInt8(ascii: "\""), UInt8(ascii: "'"):
                    _ = try literal(what: "the DOCTYPE (line \(startLine))")
                case UInt8(ascii: "["):
                    i += 1
                    try internalSubset(startLine: startLine)
                case UInt8(ascii: ">"):
                    i += 1
                    return
                default:
                    advance()
                }
            }
            throw truncated(inside: "the DOCTYPE (line \(startLine))")
        }

        /// From after `[` to after the `]` that closes the internal subset.
        mutating func internalSubset(startLine: Int) throws(CivicError) {
            let what = "the DOCTYPE's internal subset (line \(startLine))"
            while i < bytes.count {
                if starts("<!--") { try skip(past: "-->", what: "comment"); continue }
                if starts("<?") { try skip(past: "?>", what: "processing instruction"); continue }
                if starts("<!ENTITY") { try entityDeclaration(what: what); continue }
                switch bytes[i] {
                case UInt8(ascii: "\""), UInt8(ascii: "'"):
                    _ = try literal(what: what)  // an ATTLIST default such as "]>" is not the end
                case UInt8(ascii: "]"):
                    i += 1
                    return
                default:
                    advance()
                }
            }
            throw truncated(inside: what)
        }

        /// `<!ENTITY name "text">` is kept for attribute values; parameter (`%`) and external
        /// (`SYSTEM`, `PUBLIC`) entities are skipped: an OSM file never needs them.
        mutating func entityDeclaration(what: String) throws(CivicError) {
            i += "<!ENTITY".utf8.count
            skipSpace()
            var parameter = false
            if i < bytes.count, bytes[i] == UInt8(ascii: "%") {
                parameter = true
                i += 1
                skipSpace()
            }
            let name = try readName()
            skipSpace()
            var replacement: [UInt8]?
            if i < bytes.count, bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") {
                replacement = try literal(what: what)
            }
            while i < bytes.count, bytes[i] != UInt8(ascii: ">") {
                if bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") {
                    _ = try literal(what: what)
                } else {
                    advance()
                }
            }
            guard i < bytes.count else { throw truncated(inside: what) }
            i += 1
            // The first declaration of a name binds (XML 1.0 §4.2).
            if !parameter, let replacement, declaredEntities[name] == nil {
                declaredEntities[name] = try expandCharacterReferences(replacement)
            }
        }

        /// A quoted literal at its opening quote; returns its bytes and moves past the closing quote.
        mutating func literal(what: String) throws(CivicError) -> [UInt8] {
            let quote = bytes[i]
            i += 1
            let start = i
            while i < bytes.count, bytes[i] != quote { advance() }
            guard i < bytes.count else { throw truncated(inside: what) }
            let text = Array(bytes[start..<i])
            i += 1
            return text
        }

        /// An entity's value with its character references (`&#1178;`) and the five named entities
        /// replaced, as XML does when it reads the declaration; other references stay as written.
        func expandCharacterReferences(_ value: [UInt8]) throws(CivicError) -> [UInt8] {
            var out: [UInt8] = []
            var k = 0
            while k < value.count {
                if value[k] == UInt8(ascii: "&"), let semicolon = value[k...].prefix(12).firstIndex(of: UInt8(ascii: ";")),
                   let scalar = Self.predefined(String(decoding: value[(k + 1)..<semicolon], as: UTF8.self)) {
                    out += Array(String(Character(scalar)).utf8)
                    k = semicolon + 1
                } else {
                    out.append(value[k])
                    k += 1
                }
            }
            return out
        }

        /// One byte on, counting lines.
        mutating func advance() {
            if bytes[i] == 0x0A { line += 1; lineStart = i + 1 }
            i += 1
        }

        mutating func open(_ element: Open, selfClosing: Bool) throws(CivicError) {
            if stack.isEmpty {
                guard element.name == "osm" else {
                    throw syntax("the root element is <\(element.name)>, not <osm>: this is not an OSM XML file")
                }
                guard !sawRoot else { throw syntax("a second <osm> element") }
                sawRoot = true
            }
            if selfClosing { try close(element) } else { stack.append(element) }
        }

        /// An element is complete: hand it to its parent, or store it.
        mutating func close(_ element: Open) throws(CivicError) {
            let parent = stack.indices.last
            switch element.name {
            case "tag":
                guard let parent, let key = element.attributes["k"] else { return }
                stack[parent].tags[key] = element.attributes["v"] ?? ""
            case "nd":
                guard let parent else { return }
                let position = try position(element, optional: true)
                if stack[parent].name == "way", let ref = element.attributes["ref"] {
                    stack[parent].nodeRefs.append(ref)
                    stack[parent].inline.append(position)
                } else if stack[parent].name == "member" {
                    stack[parent].inline.append(position)  // `out geom`: a member way's positions
                }
            case "member":
                guard let parent, stack[parent].name == "relation" else { return }
                guard let typeText = element.attributes["type"], let type = OSMElementType(rawValue: typeText),
                      let ref = element.attributes["ref"], OSMRef.isValidID(ref) else {
                    throw CivicError.syntax(file: file, line: element.line, column: 1,
                                            reason: "\(stack[parent].label): a <member> without a valid type and ref")
                }
                let inline = element.inline.compactMap { $0 }
                let geometry = inline.isEmpty || inline.count != element.inline.count ? nil : inline
                stack[parent].members.append(OSMMember(ref: OSMRef(type, ref), role: element.attributes["role"] ?? "",
                                                       geometry: geometry))
            case "node", "way", "relation":
                try store(element)
            case "remark":
                extract.remarks.append(String(decoding: element.text, as: UTF8.self).trimmingSpaces)
            default:
                break  // <osm>, <bounds>, <meta>, <note>: nothing an entity needs
            }
        }

        mutating func store(_ element: Open) throws(CivicError) {
            guard let id = element.attributes["id"], OSMRef.isValidID(id) else {
                throw CivicError.syntax(file: file, line: element.line, column: 1,
                                        reason: "a <\(element.name)> without a valid id (\(element.attributes["id"] ?? "none"))")
            }
            if element.attributes["action"] == "delete" || element.attributes["visible"] == "false" { return }
            switch element.name {
            case "node":
                extract.add(OSMNode(id: id, position: try position(element, optional: true), tags: element.tags,
                                    line: element.line))
            case "way":
                let inline = element.inline.compactMap { $0 }
                let geometry = inline.count == element.nodeRefs.count && !inline.isEmpty ? inline : nil
                extract.add(OSMWay(id: id, nodeRefs: element.nodeRefs, geometry: geometry, tags: element.tags,
                                   line: element.line))
            default:
                extract.add(OSMRelation(id: id, members: element.members, tags: element.tags, line: element.line))
            }
        }

        /// `lat` and `lon` of a node or `nd`; nil when both are absent and that is allowed.
        func position(_ element: Open, optional: Bool) throws(CivicError) -> Position? {
            let lat = element.attributes["lat"], lon = element.attributes["lon"]
            if lat == nil && lon == nil && optional { return nil }
            guard let latText = lat, let lonText = lon, let y = Double(latText), let x = Double(lonText),
                  (-90...90).contains(y), (-180...180).contains(x) else {
                let owner = element.name == "nd" ? (stack.last?.label ?? "<nd>") + ": <nd>" : element.label
                throw CivicError.syntax(file: file, line: element.line, column: 1,
                                        reason: "\(owner): lat '\(lat ?? "")', lon '\(lon ?? "")' are not coordinates")
            }
            return Position(lon: x, lat: y)
        }

        // MARK: tokens

        func starts(_ text: StaticString) -> Bool {
            let count = text.utf8CodeUnitCount
            guard i + count <= bytes.count else { return false }
            let pointer = text.utf8Start
            for k in 0..<count where bytes[i + k] != pointer[k] { return false }
            return true
        }

        mutating func skip(past end: StaticString, what: String) throws(CivicError) {
            let startLine = line
            while i < bytes.count {
                if starts(end) {
                    i += end.utf8CodeUnitCount
                    return
                }
                if bytes[i] == 0x0A { line += 1; lineStart = i + 1 }
                i += 1
            }
            throw truncated(inside: "a \(what) (line \(startLine))")
        }

        mutating func readName() throws(CivicError) -> String {
            let start = i
            while i < bytes.count {
                let b = bytes[i]
                if isSpace(b) || b == UInt8(ascii: ">") || b == UInt8(ascii: "/") || b == UInt8(ascii: "=") { break }
                i += 1
            }
            guard i > start else {
                if i >= bytes.count { throw truncated(inside: stack.last.map(\.label) ?? "<osm>") }
                throw syntax("expected a name")
            }
            return String(decoding: bytes[start..<i], as: UTF8.self)
        }

        mutating func readQuoted(element: String, line tagLine: Int) throws(CivicError) -> String {
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") else {
                if i >= bytes.count { throw truncated(inside: "<\(element)> (line \(tagLine))") }
                throw syntax("an attribute value must be in quotes")
            }
            let quote = bytes[i]
            i += 1
            var value: [UInt8] = []
            while i < bytes.count, bytes[i] != quote {
                let b = bytes[i]
                if b == UInt8(ascii: "&") {
                    value += try entity()
                    continue
                }
                if b == UInt8(ascii: "<") { throw syntax("'<' inside an attribute value") }
                if b == 0x0A { line += 1; lineStart = i + 1 }
                value.append(b)
                i += 1
            }
            guard i < bytes.count else { throw truncated(inside: "<\(element)> (line \(tagLine))") }
            i += 1
            return String(decoding: value, as: UTF8.self)
        }

        /// `&amp;` and friends, `&#1072;`, `&#x430;`, and the entities the DOCTYPE declared.
        mutating func entity() throws(CivicError) -> [UInt8] {
            guard let semicolon = bytes[i...].prefix(66).firstIndex(of: UInt8(ascii: ";")) else {
                throw syntax("'&' that does not start an entity (write &amp;)")
            }
            let name = String(decoding: bytes[(i + 1)..<semicolon], as: UTF8.self)
            if let scalar = Self.predefined(name) {
                i = semicolon + 1
                return Array(String(Character(scalar)).utf8)
            }
            guard let declared = declaredEntities[name] else { throw syntax("unknown entity &\(name);") }
            expandedBytes += declared.count
            guard expandedBytes <= Self.maxExpansion else {
                throw syntax("the entities the DOCTYPE declares expand to more than 64 MB: this is not an OSM export")
            }
            i = semicolon + 1
            return declared
        }

        /// The character of a predefined entity (`amp`, `lt`, `gt`, `quot`, `apos`) or of a
        /// character reference (`#1072`, `#x430`); nil for any other name.
        static func predefined(_ name: String) -> Unicode.Scalar? {
            switch name {
            case "amp": "&"
            case "lt": "<"
            case "gt": ">"
            case "quot": "\""
            case "apos": "'"
            default:
                if name.hasPrefix("#x") || name.hasPrefix("#X") {
                    UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                } else if name.hasPrefix("#") {
                    UInt32(name.dropFirst(), radix: 10).flatMap(Unicode.Scalar.init)
                } else {
                    nil
                }
            }
        }

        mutating func expect(_ ch: Character) throws(CivicError) {
            guard i < bytes.count else { throw truncated(inside: stack.last.map(\.label) ?? "<osm>") }
            guard bytes[i] == ch.asciiValue else { throw syntax("expected '\(ch)'") }
            i += 1
        }

        mutating func skipSpace() {
            while i < bytes.count, isSpace(bytes[i]) {
                if bytes[i] == 0x0A { line += 1; lineStart = i + 1 }
                i += 1
            }
        }

        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 }

        func syntax(_ reason: String) -> CivicError {
            .syntax(file: file, line: line, column: i - lineStart + 1, reason: reason)
        }

        func truncated(inside what: String) -> CivicError {
            let outer = stack.last { ["node", "way", "relation"].contains($0.name) }
            let place = outer.map { "\($0.label) (opened on line \($0.line))" } ?? what
            return .syntax(file: file, line: line, column: i - lineStart + 1,
                           reason: "the file ends inside \(place): it looks truncated",
                           hint: "download or export the file again")
        }
    }
}

extension String {
    /// Without leading and trailing spaces and line ends (no Foundation needed).
    var trimmingSpaces: String {
        // Most cells start and end with a visible ASCII character: nothing to trim, and no need to
        // walk Characters (100,000 rows of a register have a million cells).
        if let first = utf8.first, let last = utf8.last, (0x21..<0x7F).contains(first), (0x21..<0x7F).contains(last) {
            return self
        }
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
