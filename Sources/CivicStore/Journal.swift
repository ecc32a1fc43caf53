import CivicCore

/// One line of a dataset's `history.jsonl`: who did what to which entity, and when.
///
/// ```swift
/// entries.append(JournalEntry(action: "add", id: 17, name: "Совет дома «Ульбинский»",
///                             changes: entity.feature.properties))
/// ```
public struct JournalEntry: Sendable, Hashable {
    /// ISO 8601 UTC to the second, `2026-11-25T09:00:00Z`.
    public var time: String
    /// `add`, `edit`, `remove`, `import` or `init`.
    public var action: String
    /// The entity concerned, when there is one.
    public var id: Int?
    /// The entity's (or, for `init`, the dataset's) name, so the journal reads without a lookup.
    public var name: String?
    /// For `edit`, field → `{"from": old, "to": new}`; for `add`, the public properties.
    public var changes: JSONObject

    public init(time: String = Timestamp.now(), action: String, id: Int? = nil, name: String? = nil,
                changes: JSONObject = JSONObject()) {
        self.time = time
        self.action = action
        self.id = id
        self.name = name
        self.changes = changes
    }

    /// The entry as the journal stores it, members in a fixed order; absent `id` and `name` are left out.
    public var json: JSONValue {
        var object = JSONObject()
        object["time"] = .string(time)
        object["action"] = .string(action)
        if let id { object["id"] = .number(id) }
        if let name { object["name"] = .string(name) }
        object["changes"] = .object(changes)
        return .object(object)
    }

    /// Reads one journal line's value; `file` and `line` go into the error.
    public init(json: JSONValue, file: String, line: Int) throws(CivicError) {
        let place = "line \(line)"
        guard let object = json.objectValue else {
            throw CivicError.invalid(file: file, line: line, place: place, reason: "a journal entry must be a JSON object")
        }
        guard let time = object["time"]?.stringValue else {
            throw CivicError.invalid(file: file, line: line, place: place, field: "time", reason: "missing or not a string")
        }
        guard let action = object["action"]?.stringValue, !action.isEmpty else {
            throw CivicError.invalid(file: file, line: line, place: place, field: "action", reason: "missing or not a string")
        }
        var id: Int?
        if let value = object["id"], value != .null {
            guard let int = value.intValue else {
                throw CivicError.invalid(file: file, line: line, place: place, field: "id", reason: "not an integer")
            }
            id = int
        }
        var name: String?
        if let value = object["name"], value != .null {
            guard let string = value.stringValue else {
                throw CivicError.invalid(file: file, line: line, place: place, field: "name", reason: "not a string")
            }
            name = string
        }
        var changes = JSONObject()
        if let value = object["changes"], value != .null {
            guard let members = value.objectValue else {
                throw CivicError.invalid(file: file, line: line, place: place, field: "changes", reason: "not an object")
            }
            changes = members
        }
        self.init(time: time, action: action, id: id, name: name, changes: changes)
    }
}

/// Reading and appending `history.jsonl`.
enum Journal {
    /// The entries of a journal file, oldest first.
    ///
    /// Every line that ends in a newline must be a journal entry. A last line without its newline
    /// is kept when it reads as an entry (someone saved the file by hand); otherwise it is the torn
    /// tail of an append that a killed writer never finished, and is skipped (``tornTailLength(_:file:)``).
    static func entries(_ bytes: [UInt8], file: String) throws(CivicError) -> [JournalEntry] {
        var entries: [JournalEntry] = []
        var start = 0
        var line = 1
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n"))
            let slice = Array(bytes[start..<(end ?? bytes.count)])
            defer {
                start = (end ?? bytes.count) + 1
                line += 1
            }
            if slice.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            do {
                entries.append(try entry(slice, file: file, line: line))
            } catch {
                if end == nil { break }
                throw error
            }
        }
        return entries
    }

    /// How many bytes at the end of the journal are an unfinished, unreadable last line
    /// (0 when the journal ends cleanly).
    static func tornTailLength(_ bytes: [UInt8], file: String) -> Int {
        guard let last = bytes.last, last != UInt8(ascii: "\n") else { return 0 }
        let start = (bytes.lastIndex(of: UInt8(ascii: "\n")) ?? -1) + 1
        let tail = Array(bytes[start...])
        if tail.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return 0 }
        return (try? entry(tail, file: file, line: 1)) == nil ? tail.count : 0
    }

    /// One line per entry, each ending in a newline, ready for one append.
    static func lines(_ entries: [JournalEntry]) -> [UInt8] {
        var bytes: [UInt8] = []
        for entry in entries {
            bytes += Array(JSON.serialize(entry.json, pretty: false).utf8)
            bytes.append(UInt8(ascii: "\n"))
        }
        return bytes
    }

    private static func entry(_ line: [UInt8], file: String, line number: Int) throws(CivicError) -> JournalEntry {
        let value: JSONValue
        do {
            value = try JSON.parse(line, file: file)
        } catch {
            // The parser counts lines within this one line; put the error on the journal's line.
            if case let .syntax(_, _, column, reason, hint) = error {
                throw CivicError.syntax(file: file, line: number, column: column, reason: reason, hint: hint)
            }
            throw error
        }
        return try JournalEntry(json: value, file: file, line: number)
    }
}

extension Timestamp {
    /// True for text of the form `YYYY-MM-DDTHH:MM:SSZ`, as the journal stores times.
    static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        let pattern = Array("dddd-dd-ddTdd:dd:ddZ".utf8)
        guard bytes.count == pattern.count else { return false }
        for (b, p) in zip(bytes, pattern) {
            if p == UInt8(ascii: "d") {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) else { return false }
            } else if b != p {
                return false
            }
        }
        return true
    }
}
