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

    /// An entry stamped `time` (now unless given).
    public init(time: String = Timestamp.now(), action: String, id: Int? = nil, name: String? = nil,
                changes: JSONObject = JSONObject()) {
        self.time = time
        self.action = action
        self.id = id
        self.name = name
        self.changes = changes
    }

    /// The entry as the journal stores it, members in a fixed order; absent `id` and `name` are left out.
    /// The store's own bookkeeping (the transaction a line belongs to) is not part of it.
    public var json: JSONValue { .object(members) }

    var members: JSONObject {
        var object = JSONObject()
        object["time"] = .string(time)
        object["action"] = .string(action)
        if let id { object["id"] = .number(id) }
        if let name { object["name"] = .string(name) }
        object["changes"] = .object(changes)
        return object
    }

    /// Reads one journal line's value; `file` and `line` go into the error.
    public init(json: JSONValue, file: String, line: Int) throws(CivicError) {
        let place = "entry"
        guard let object = json.objectValue else {
            throw CivicError.invalid(file: file, line: line, place: place, reason: "a journal entry must be a JSON object")
        }
        guard let time = object["time"]?.stringValue else {
            throw CivicError.invalid(file: file, line: line, place: place, field: "time", reason: "missing or not a string",
                                     hint: "every journal line has \"time\" and \"action\"; civic writes the journal itself")
        }
        guard let action = object["action"]?.stringValue, !action.isEmpty else {
            throw CivicError.invalid(file: file, line: line, place: place, field: "action", reason: "missing or not a string",
                                     hint: "every journal line has \"time\" and \"action\"; civic writes the journal itself")
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

/// What a transaction's closing journal line records (DESIGN §3): each file it replaces, the
/// temporary file beside it that already holds the new content (written and fsynced before the
/// line), and that content's size and checksum. With it, the next command can finish the
/// transaction by renaming whichever temporary files are still there, after checking them.
///
/// In `history.jsonl`: `"commit":{"files":[{"file":"entities.geojson",
/// "temporary":".entities.geojson.civic-3f9c2a61d07e4b85.tmp","bytes":17105193,"checksum":"…"}]}`.
struct CommitRecord: Hashable {
    /// One replaced file.
    struct File: Hashable {
        /// The file, relative to the dataset folder (one of ``DatasetLayout/transactionFiles``).
        var name: String
        /// The temporary file with the new content, relative to the dataset folder.
        var temporary: String
        /// The new content's length.
        var size: Int
        /// The new content's ``Checksum``, 16 hex digits.
        var checksum: String
    }

    var files: [File]

    var json: JSONValue {
        .object(JSONObject([("files", .array(files.map { file in
            .object(JSONObject([("file", .string(file.name)), ("temporary", .string(file.temporary)),
                                ("bytes", .number(file.size)), ("checksum", .string(file.checksum))]))
        }))]))
    }

    /// Reads the record of transaction `transaction`, refusing any file or temporary name the store
    /// would not write itself: recovery renames these files, so a hand-made line must not be able
    /// to point it anywhere else.
    init(json: JSONValue, transaction: String, file: String, line: Int) throws(CivicError) {
        func fail(_ reason: String) -> CivicError {
            .invalid(file: file, line: line, place: "entry", field: "commit", reason: reason,
                     hint: "civic writes this record itself; restore the line from a backup or git")
        }
        guard let items = json.objectValue?["files"]?.arrayValue else { throw fail("expected an object with a files array") }
        var files: [File] = []
        for item in items {
            guard let object = item.objectValue, let name = object["file"]?.stringValue,
                  let temporary = object["temporary"]?.stringValue, let size = object["bytes"]?.intValue, size >= 0,
                  let checksum = object["checksum"]?.stringValue else {
                throw fail("each file needs file, temporary, bytes and checksum")
            }
            guard DatasetLayout.transactionFiles.contains(name) else {
                throw fail("'\(name.prefix(60))' is not a file of the dataset")
            }
            guard temporary == DatasetLayout.temporary(for: name, transaction: transaction) else {
                throw fail("'\(temporary.prefix(60))' is not the temporary file of \(name)")
            }
            guard checksum.utf8.count == 16, checksum.utf8.allSatisfy(Checksum.isHexDigit) else {
                throw fail("checksum must be 16 hex digits")
            }
            files.append(File(name: name, temporary: temporary, size: size, checksum: checksum))
        }
        self.files = files
    }

    init(files: [File]) {
        self.files = files
    }
}

/// One line of `history.jsonl` as the store reads it: a user's entry, the store's bookkeeping, or both.
struct JournalLine {
    /// The entry that `civic log` shows; nil on a line that only closes a transaction without
    /// entries (an update that changed files without saying why).
    var entry: JournalEntry?
    /// The transaction the line belongs to; nil on lines written before transactions existed.
    var transaction: String?
    /// On the last line of a transaction: what it changed.
    var commit: CommitRecord?
    /// 1-based line number.
    var number: Int
    /// Offset of the line's first byte in the file.
    var start: Int
}

/// A journal file as read.
///
/// Committed lines only: an append that a killed writer never finished leaves either a torn last
/// line (not even JSON) or the first lines of a transaction without its closing line. Those are
/// not part of the history: ``unfinishedStart`` says where they begin, readers skip them and the
/// next writer cuts them off (the transaction is undone; its temporary files are removed).
struct JournalFile {
    var bytes: [UInt8]
    var lines: [JournalLine] = []
    /// Where an unfinished end begins, or nil when the journal ends cleanly.
    var unfinishedStart: Int?
    /// The line number where the unfinished end begins.
    var unfinishedLine: Int?

    /// The user-facing entries, oldest first.
    var entries: [JournalEntry] { lines.compactMap(\.entry) }

    /// The highest entity id any entry names.
    var highestID: Int { lines.reduce(0) { max($0, $1.entry?.id ?? 0) } }

    /// The highest concern id any entry names (``ConcernJournal``): concern ids are never reused either.
    var highestConcernID: Int { lines.reduce(0) { max($0, $1.entry.map(ConcernJournal.highestID) ?? 0) } }

    /// The record of the last committed transaction, when the last committed line closes one: the
    /// only transaction that may still have files to rename.
    var lastCommit: (transaction: String, record: CommitRecord)? {
        guard let last = lines.last, let transaction = last.transaction, let record = last.commit else { return nil }
        return (transaction, record)
    }

    /// The bytes that remain once the unfinished end is cut off.
    var committedLength: Int { unfinishedStart ?? bytes.count }

    /// True when the committed part does not end with a newline (a last line saved by hand).
    var needsNewline: Bool {
        let end = committedLength
        return end > 0 && bytes[end - 1] != UInt8(ascii: "\n")
    }
}

/// Reading and appending `history.jsonl`.
enum Journal {
    /// Reads a journal. Every complete line must be an entry or the store's bookkeeping, with the
    /// lines of one transaction together and closed by its record; a bad line is reported to
    /// `problems` (which throws in a command's reading and collects in `civic validate`).
    static func read(_ bytes: [UInt8], file: String, problems: inout ProblemLog) throws(CivicError) -> JournalFile {
        var journal = JournalFile(bytes: bytes)
        var start = 0
        var number = 1
        // The transaction whose lines are being read and which has not been closed yet.
        var open: (transaction: String, index: Int)?
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n"))
            let lineStart = start, lineNumber = number
            start = (end ?? bytes.count) + 1
            number += 1
            let slice = Array(bytes[lineStart..<(end ?? bytes.count)])
            if slice.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            let line: JournalLine
            do {
                line = try Self.line(slice, file: file, number: lineNumber, start: lineStart)
            } catch {
                // A last line without its newline that is not even JSON is the torn end of an append.
                if end == nil, case .syntax = error {
                    journal.unfinishedStart = lineStart
                    journal.unfinishedLine = lineNumber
                    break
                }
                try problems.report(error)
                continue
            }
            if let current = open, line.transaction != current.transaction {
                let first = journal.lines[current.index]
                try problems.report(.invalid(
                    file: file, line: first.number, place: "entry", field: "txn",
                    reason: "transaction \(current.transaction) has no closing line before line \(lineNumber)",
                    hint: "the journal was edited or merged by hand; restore it from a backup or git"))
                open = nil
            }
            if let transaction = line.transaction, line.commit == nil, open == nil {
                open = (transaction, journal.lines.count)
            }
            if line.commit != nil { open = nil }
            journal.lines.append(line)
        }
        if let current = open {
            // The first lines of a transaction whose closing line was never written: not committed.
            let first = journal.lines[current.index]
            journal.unfinishedStart = first.start
            journal.unfinishedLine = first.number
            journal.lines.removeSubrange(current.index...)
        }
        return journal
    }

    /// One line per entry, each ending in a newline, without transaction bookkeeping (`civic init`).
    static func lines(_ entries: [JournalEntry]) -> [UInt8] {
        var bytes: [UInt8] = []
        for entry in entries {
            bytes += Array(JSON.serialize(entry.json, pretty: false).utf8)
            bytes.append(UInt8(ascii: "\n"))
        }
        return bytes
    }

    /// The lines of one transaction, ready for one append: each entry tagged with `transaction`,
    /// the last one also carrying `commit`. Without entries, one line of bookkeeping stamped `time`.
    static func lines(_ entries: [JournalEntry], transaction: String, commit: CommitRecord, time: String) -> [UInt8] {
        var objects = entries.map(\.members)
        if objects.isEmpty { objects = [JSONObject([("time", .string(time))])] }
        var bytes: [UInt8] = []
        for (index, var object) in objects.enumerated() {
            object["txn"] = .string(transaction)
            if index == objects.count - 1 { object["commit"] = commit.json }
            bytes += Array(JSON.serialize(.object(object), pretty: false).utf8)
            bytes.append(UInt8(ascii: "\n"))
        }
        return bytes
    }

    /// True for a transaction id the store could have made: letters, digits and `-`, at most 64.
    static func isTransactionID(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 64 && text.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-")
        }
    }

    private static func line(_ bytes: [UInt8], file: String, number: Int, start: Int) throws(CivicError) -> JournalLine {
        let value: JSONValue
        do {
            value = try JSON.parse(bytes, file: file)
        } catch {
            // The parser counts lines within this one line; put the error on the journal's line.
            if case let .syntax(_, _, column, reason, hint) = error {
                throw CivicError.syntax(file: file, line: number, column: column, reason: reason, hint: hint)
            }
            throw error
        }
        let place = "entry"
        var transaction: String?
        var commit: CommitRecord?
        if let object = value.objectValue {
            if let member = object["txn"] {
                guard let text = member.stringValue, isTransactionID(text) else {
                    throw CivicError.invalid(file: file, line: number, place: place, field: "txn",
                                             reason: "must be a transaction id (letters, digits and -)")
                }
                transaction = text
            }
            if let member = object["commit"] {
                guard let transaction else {
                    throw CivicError.invalid(file: file, line: number, place: place, field: "commit",
                                             reason: "a commit record needs the txn it closes")
                }
                commit = try CommitRecord(json: member, transaction: transaction, file: file, line: number)
            }
            // A transaction without entries is closed by a line of bookkeeping alone.
            if commit != nil, object["action"] == nil {
                guard object["time"]?.stringValue != nil else {
                    throw CivicError.invalid(file: file, line: number, place: place, field: "time",
                                             reason: "missing or not a string")
                }
                return JournalLine(entry: nil, transaction: transaction, commit: commit, number: number, start: start)
            }
        }
        let entry = try JournalEntry(json: value, file: file, line: number)
        return JournalLine(entry: entry, transaction: transaction, commit: commit, number: number, start: start)
    }
}

/// The checksum of a file's new content, so that finishing an interrupted transaction never
/// installs a temporary file that is not what the journal says was written: FNV-1a's step
/// (xor, then multiply by the 64-bit FNV prime) over 8-byte little-endian words, the last 0–7
/// bytes zero-padded into one more word, seeded with the FNV offset basis xor the length; 16 hex
/// digits. Each step is a bijection of the running value, so any single changed word changes the
/// result. Not a defence against a forger (anyone who can write the folder can change the files
/// anyway), and cheap: a few milliseconds for the 17 MB `entities.geojson` of a 40,000-entity city.
enum Checksum {
    static func of(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(bytes.count)
        let prime: UInt64 = 0x0000_0100_0000_01B3
        bytes.withUnsafeBytes { raw in
            let words = raw.count / 8
            for i in 0..<words {
                hash = (hash ^ UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self))) &* prime
            }
            if raw.count % 8 != 0 {
                var last: UInt64 = 0
                for (shift, byte) in raw[(words * 8)...].enumerated() { last |= UInt64(byte) << (8 * shift) }
                hash = (hash ^ last) &* prime
            }
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    static func isHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
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
