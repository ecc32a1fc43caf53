import CivicCore
import GeoValues

/// Reads the JSON the Overpass API returns (`[out:json]`): nodes, ways by node reference, ways
/// and relation members with inline `geometry` (`out geom`), and a way's `center` (`out center`)
/// when nothing else locates it.
///
/// Ids are read from the number's literal text, never through a Double. A file that breaks off is
/// refused with the parser's line and column and the element it broke in.
public enum OverpassJSONReader {
    /// The elements of an Overpass JSON file, and its `remark` when the server left one.
    public static func read(_ bytes: [UInt8], file: String) throws(CivicError) -> OSMExtract {
        let root: JSONValue
        do {
            root = try JSON.parse(bytes, file: file)
        } catch {
            throw namingElement(error, bytes: bytes)
        }
        guard let object = root.objectValue else {
            throw CivicError.invalid(file: file, place: "root", reason: "expected an object with \"elements\"",
                                     hint: "this reads Overpass API JSON ([out:json]); GeoJSON is not an OSM extract")
        }
        guard let elements = object["elements"]?.arrayValue else {
            let hint = object["type"]?.stringValue == "FeatureCollection"
                ? "this is GeoJSON; civic import osm reads Overpass JSON ([out:json]) or OSM XML (.osm)" : nil
            throw CivicError.invalid(file: file, place: "root", field: "elements", reason: "missing or not an array",
                                     hint: hint)
        }
        var extract = OSMExtract()
        if let remark = object["remark"]?.stringValue { extract.remarks.append(remark) }
        for (index, value) in elements.enumerated() {
            try read(value, index: index, file: file, into: &extract)
        }
        return extract
    }

    private static func read(_ value: JSONValue, index: Int, file: String, into extract: inout OSMExtract) throws(CivicError) {
        guard let element = value.objectValue else {
            throw CivicError.invalid(file: file, place: "elements[\(index)]", reason: "expected an object")
        }
        let typeText = element["type"]?.stringValue ?? ""
        let idText: String? = switch element["id"] {
        case .number(let literal)?: literal
        case .string(let text)?: text
        default: nil
        }
        guard let type = OSMElementType(rawValue: typeText) else {
            // Overpass also prints `area` and `count` elements; they are not map data.
            if ["area", "count", "stat"].contains(typeText) { return }
            throw CivicError.invalid(file: file, place: "elements[\(index)]", field: "type",
                                     reason: "'\(typeText)' is not node, way or relation")
        }
        guard let id = idText, OSMRef.isValidID(id) else {
            throw CivicError.invalid(file: file, place: "elements[\(index)] (\(typeText))", field: "id",
                                     reason: "missing or not an integer")
        }
        let place = "elements[\(index)] (\(typeText)/\(id))"
        let tags = try readTags(element["tags"], place: place, file: file)
        switch type {
        case .node:
            var position: Position?
            if element["lat"] != nil || element["lon"] != nil {
                position = try readPosition(element, place: place, file: file)
            }
            extract.add(OSMNode(id: id, position: position, tags: tags))
        case .way:
            var refs: [String] = []
            if let nodes = element["nodes"] {
                guard let array = nodes.arrayValue else {
                    throw CivicError.invalid(file: file, place: place, field: "nodes", reason: "not an array")
                }
                for (k, node) in array.enumerated() {
                    guard case .number(let literal) = node, OSMRef.isValidID(literal) else {
                        throw CivicError.invalid(file: file, place: place, field: "nodes[\(k)]", reason: "not a node id")
                    }
                    refs.append(literal)
                }
            }
            var geometry = try readGeometry(element["geometry"], place: place, file: file)
            if geometry == nil, let center = element["center"]?.objectValue {
                // `out center` gives a way only its centre; that locates it as a point.
                geometry = [try readPosition(center, place: place + ".center", file: file)]
                refs = []
            }
            extract.add(OSMWay(id: id, nodeRefs: refs, geometry: geometry, tags: tags))
        case .relation:
            var members: [OSMMember] = []
            if let list = element["members"] {
                guard let array = list.arrayValue else {
                    throw CivicError.invalid(file: file, place: place, field: "members", reason: "not an array")
                }
                for (k, item) in array.enumerated() {
                    let memberPlace = "\(place).members[\(k)]"
                    guard let member = item.objectValue,
                          let memberType = member["type"]?.stringValue.flatMap(OSMElementType.init(rawValue:)),
                          case .number(let ref)? = member["ref"], OSMRef.isValidID(ref) else {
                        throw CivicError.invalid(file: file, place: memberPlace, reason: "expected type, ref and role")
                    }
                    let geometry = try readGeometry(member["geometry"], place: memberPlace, file: file)
                    members.append(OSMMember(ref: OSMRef(memberType, ref), role: member["role"]?.stringValue ?? "",
                                             geometry: geometry))
                }
            }
            extract.add(OSMRelation(id: id, members: members, tags: tags))
        }
    }

    private static func readTags(_ value: JSONValue?, place: String, file: String) throws(CivicError) -> [String: String] {
        guard let value, value != .null else { return [:] }
        guard let object = value.objectValue else {
            throw CivicError.invalid(file: file, place: place, field: "tags", reason: "not an object")
        }
        var tags: [String: String] = [:]
        for (key, tag) in object {
            switch tag {
            case .string(let text): tags[key] = text
            case .number(let literal): tags[key] = literal
            case .bool(let flag): tags[key] = flag ? "yes" : "no"
            default: throw CivicError.invalid(file: file, place: place, field: "tags.\(key)", reason: "not a string")
            }
        }
        return tags
    }

    private static func readPosition(_ object: JSONObject, place: String, file: String) throws(CivicError) -> Position {
        guard let lat = object["lat"]?.doubleValue, let lon = object["lon"]?.doubleValue,
              (-90...90).contains(lat), (-180...180).contains(lon) else {
            throw CivicError.invalid(file: file, place: place, field: "lat/lon", reason: "missing or out of range")
        }
        return Position(lon: lon, lat: lat)
    }

    /// `out geom` positions; nil when absent, or when any is null (a node outside the query's box).
    private static func readGeometry(_ value: JSONValue?, place: String, file: String) throws(CivicError) -> [Position]? {
        guard let value, value != .null else { return nil }
        guard let array = value.arrayValue else {
            throw CivicError.invalid(file: file, place: place, field: "geometry", reason: "not an array")
        }
        var positions: [Position] = []
        for (k, item) in array.enumerated() {
            guard let object = item.objectValue else { return nil }
            positions.append(try readPosition(object, place: "\(place).geometry[\(k)]", file: file))
        }
        return positions.isEmpty ? nil : positions
    }

    /// Adds to a syntax error the element the file broke in: the last `"type": "…", "id": …` that
    /// began before the error.
    static func namingElement(_ error: CivicError, bytes: [UInt8]) -> CivicError {
        guard case let .syntax(file, line, column, reason, hint) = error else { return error }
        var offset = 0, currentLine = 1
        while offset < bytes.count, currentLine < line {
            if bytes[offset] == 0x0A { currentLine += 1 }
            offset += 1
        }
        var characters = 1
        while offset < bytes.count, characters < column {
            offset += 1
            while offset < bytes.count, bytes[offset] & 0xC0 == 0x80 { offset += 1 }
            characters += 1
        }
        guard let element = lastElement(before: offset, in: bytes) else { return error }
        let truncated = offset >= bytes.count - 1 || bytes[offset...].allSatisfy { [0x20, 0x0A, 0x0D, 0x09].contains($0) }
        let what = truncated ? "the file ends inside \(element): it looks truncated" : "in \(element)"
        return .syntax(file: file, line: line, column: column, reason: "\(reason) (\(what))",
                       hint: hint ?? (truncated ? "download the extract again; a query that timed out can stop mid-file" : nil))
    }

    /// `way/123` for the last element whose `"type"` appears before `end`.
    static func lastElement(before end: Int, in bytes: [UInt8]) -> String? {
        let key = Array("\"type\"".utf8)
        var i = min(end, bytes.count) - key.count
        while i >= 0 {
            if bytes[i] == UInt8(ascii: "\""), Array(bytes[i..<(i + key.count)]) == key {
                var j = i + key.count
                func skipSpaces() { while j < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[j]) { j += 1 } }
                skipSpaces()
                if j < bytes.count, bytes[j] == UInt8(ascii: ":") {
                    j += 1
                    skipSpaces()
                    for type in ["node", "way", "relation"] {
                        let quoted = Array("\"\(type)\"".utf8)
                        if j + quoted.count <= bytes.count, Array(bytes[j..<(j + quoted.count)]) == quoted {
                            var k = j + quoted.count
                            while k < bytes.count, [0x20, 0x2C, 0x0A, 0x0D, 0x09].contains(bytes[k]) { k += 1 }
                            let ref = Array("\"ref\"".utf8)
                            // A relation's member ({"type": "way", "ref": …}) is not an element.
                            if k + ref.count <= bytes.count, Array(bytes[k..<(k + ref.count)]) == ref { break }
                            return "\(type)/" + (idAfter(j + quoted.count, in: bytes, limit: end) ?? "?")
                        }
                    }
                }
            }
            i -= 1
        }
        return nil
    }

    /// The digits of the first `"id": N` after `start`, within 200 bytes and before `limit`.
    private static func idAfter(_ start: Int, in bytes: [UInt8], limit: Int) -> String? {
        let key = Array("\"id\"".utf8)
        var i = start
        let stop = min(bytes.count, limit, start + 200)
        while i + key.count <= stop {
            if Array(bytes[i..<(i + key.count)]) == key {
                var j = i + key.count
                while j < stop, [0x20, 0x3A, 0x0A, 0x0D, 0x09].contains(bytes[j]) { j += 1 }
                let digitsStart = j
                while j < stop, (0x30...0x39).contains(bytes[j]) || bytes[j] == UInt8(ascii: "-") { j += 1 }
                return j > digitsStart ? String(decoding: bytes[digitsStart..<j], as: UTF8.self) : nil
            }
            i += 1
        }
        return nil
    }
}
