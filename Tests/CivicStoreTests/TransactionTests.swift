import CivicCore
@testable import CivicStore
import CivicTestSupport
import Foundation
import GeoValues
import Synchronization
import Testing

/// Writes what a writer killed right after its journal line leaves behind: the new contents in
/// the transaction's temporary files and the closing journal line, no rename done. `tamper`
/// changes one temporary file after its checksum was taken.
func leaveCommittedTransaction(_ dataset: Dataset, state: DatasetState, entry: JournalEntry,
                               tamper: Bool = false) throws {
    let transaction = "feedfacecafebeef"
    var records: [CommitRecord.File] = []
    for (name, bytes) in [(DatasetLayout.entities, Dataset.entitiesBytes(state.entities)),
                          (DatasetLayout.contacts, Dataset.contactsBytes(state.contacts))] {
        let temporary = DatasetLayout.temporary(for: name, transaction: transaction)
        records.append(CommitRecord.File(name: name, temporary: temporary, size: bytes.count,
                                         checksum: Checksum.of(bytes)))
        var written = bytes
        if tamper, name == DatasetLayout.entities { written[written.count / 2] ^= 0x20 }
        try Data(written).write(to: URL(fileURLWithPath: dataset.path + "/" + temporary))
    }
    let lines = Journal.lines([entry], transaction: transaction, commit: CommitRecord(files: records), time: entry.time)
    try appendText(String(decoding: lines, as: UTF8.self), to: dataset.path + "/history.jsonl")
}

func storeTemporaryFiles(_ dataset: Dataset) -> [String] {
    snapshot(dataset.path).keys.filter { DurableFiles.isTemporaryName(String($0.split(separator: "/").last ?? "")) }.sorted()
}

@Suite("one commit: what the next command does with an interrupted transaction")
struct RecoveryTests {
    @Test("a committed transaction whose renames never happened is finished by the next reading")
    func rollForward() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Sample.dataset(in: folder)
            try add("бір", to: dataset, contacts: Contacts(phone: "+7 777 100 00 01"))
            var state = try dataset.load(includeContacts: true)
            state.entities[0].name = "бір (жаңа)"
            state.contacts[1] = Contacts(phone: "+7 777 200 00 02")
            try leaveCommittedTransaction(dataset, state: state,
                                          entry: JournalEntry(action: "edit", id: 1, name: "бір (жаңа)"))
            #expect(try text(dataset.path + "/entities.geojson").contains("\"бір\""), "the old file is still in place")
            #expect(storeTemporaryFiles(dataset).count == 2)

            let loaded = try dataset.load(includeContacts: true)
            #expect(loaded.entities.map(\.name) == ["бір (жаңа)"])
            #expect(loaded.contacts[1]?.phone == "+7 777 200 00 02")
            #expect(storeTemporaryFiles(dataset).isEmpty)
            #expect(try dataset.journal().map(\.action) == ["init", "add", "edit"])
            #expect(permissions(dataset.path + "/private/contacts.json") == 0o600)
            #expect(dataset.validate().problems.isEmpty)
        }
    }

    @Test("a temporary file that is not what the journal recorded is never installed")
    func damagedTemporaryFileRefused() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Sample.dataset(in: folder)
            try add("бір", to: dataset, contacts: Contacts(phone: "+7 777 100 00 01"))
            var state = try dataset.load(includeContacts: true)
            state.entities[0].name = "бір (жаңа)"
            try leaveCommittedTransaction(dataset, state: state, entry: JournalEntry(action: "edit", id: 1), tamper: true)
            let entities = try text(dataset.path + "/entities.geojson")

            let error = #expect(throws: CivicError.self) { try dataset.load() }
            #expect(error?.description.contains("is not what history.jsonl says was written") == true,
                    "\(String(describing: error))")
            #expect(error?.hint?.contains("copy the whole folder") == true)
            #expect(try text(dataset.path + "/entities.geojson") == entities)
            #expect(storeTemporaryFiles(dataset).contains { $0.hasPrefix(".entities.geojson.civic-") },
                    "the evidence is kept")
            #expect(throws: CivicError.self) { try add("екі", to: dataset) }
        }
    }

    @Test("temporary files of a transaction that never committed are removed; the old state stays")
    func rollBack() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Sample.dataset(in: folder)
            try add("бір", to: dataset, contacts: Contacts(phone: "+7 777 100 00 01"))
            let state = try dataset.load(includeContacts: true)
            let history = dataset.path + "/history.jsonl"
            let journal = try text(history)
            var changed = state
            changed.entities.removeAll()
            changed.contacts.removeAll()
            try leaveCommittedTransaction(dataset, state: changed, entry: JournalEntry(action: "remove", id: 1))
            // The journal line was torn: the transaction never committed.
            let torn = try text(history)
            try Data((journal + torn.dropFirst(journal.count).prefix(80)).utf8).write(to: URL(fileURLWithPath: history))

            #expect(try dataset.load(includeContacts: true) == state)
            #expect(storeTemporaryFiles(dataset).isEmpty)
            #expect(try dataset.journal().map(\.action) == ["init", "add"])
            #expect(try add("екі", to: dataset) == 2)
            #expect(try text(history).hasPrefix(journal) && !(try text(history)).contains("feedfacecafebeef"))
        }
    }
}

/// A process that holds `.civic.lock` with flock(1) (`-x` exclusive, `-s` shared) until killed.
func lockHolder(_ path: String, mode: String) throws -> Process {
    // The shell opens the lock file on fd 9 and locks it (the lock belongs to the shared open file
    // description, so it outlives flock(1)), says so, then becomes `sleep`.
    let holder = Process()
    holder.executableURL = URL(fileURLWithPath: "/bin/sh")
    holder.arguments = ["-c", "exec 9>>\"$1\"; /usr/bin/flock \(mode) 9; echo locked; exec sleep 60", "sh", path + "/.civic.lock"]
    let out = Pipe()
    holder.standardOutput = out
    try holder.run()
    let said = String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
    #expect(said.hasPrefix("locked"), "the lock holder said: \(said)")
    return holder
}

let canHoldLocks = FileManager.default.isExecutableFile(atPath: "/bin/sh")
    && FileManager.default.isExecutableFile(atPath: "/usr/bin/flock")

/// Work run on a thread of its own; its result is there once it is done.
final class Background<T: Sendable>: Sendable {
    let done = DispatchGroup()
    private let outcome = Mutex<Result<T, any Error>?>(nil)

    init(_ work: @escaping @Sendable () throws -> T) {
        done.enter()
        Thread { [self] in
            let result = Result { try work() }
            outcome.withLock { $0 = result }
            done.leave()
        }.start()
    }

    /// nil while the work runs.
    var result: Result<T, any Error>? { outcome.withLock { $0 } }
}

@Suite("readers take the lock shared", .enabled(if: canHoldLocks, "needs /bin/sh and flock(1) (util-linux)"))
struct ReaderLockTests {
    @Test("a reader waits while a writer holds the lock, so it never reads half an update")
    func readerWaitsForWriter() throws {
        try withTemporaryDirectory { folder in
            let path = try Sample.dataset(in: folder).path
            try add("бір", to: Dataset(path: path), contacts: Contacts(phone: "+7 777 100 00 01"))
            let writer = try lockHolder(path, mode: "-x")
            defer { if writer.isRunning { kill(writer.processIdentifier, SIGKILL) } }
            let reader = Background { try Dataset(path: path).load(includeContacts: true).contacts.count }
            Thread.sleep(forTimeInterval: 0.5)
            #expect(reader.result == nil, "the reader did not wait for the writer")
            kill(writer.processIdentifier, SIGKILL)
            writer.waitUntilExit()
            #expect(reader.done.wait(timeout: .now() + 30) == .success, "the reader still waits after the writer died")
            #expect(try reader.result?.get() == 1)
        }
    }

    @Test("readers share the lock with each other, and a writer waits for them")
    func readersShare() throws {
        try withTemporaryDirectory { folder in
            let path = try Sample.dataset(in: folder).path
            let otherReader = try lockHolder(path, mode: "-s")
            defer { if otherReader.isRunning { kill(otherReader.processIdentifier, SIGKILL) } }
            let reader = Background { try Dataset(path: path).journal().count }
            #expect(reader.done.wait(timeout: .now() + 30) == .success, "a reader waited for another reader")
            #expect(try reader.result?.get() == 1)

            let writer = Background { try add("бір", to: Dataset(path: path)) }
            Thread.sleep(forTimeInterval: 0.5)
            #expect(writer.result == nil, "the writer did not wait for the reader")
            kill(otherReader.processIdentifier, SIGKILL)
            otherReader.waitUntilExit()
            #expect(writer.done.wait(timeout: .now() + 30) == .success)
            #expect(try writer.result?.get() == 1)
        }
    }

    @Test("readers never see an entity with the contacts of another update")
    func readersNeverMixUpdates() throws {
        try withTemporaryDirectory { folder in
            let path = try Sample.dataset(in: folder).path
            try add("версия 0", to: Dataset(path: path), contacts: Contacts(phone: "+7 700 1000"))
            let writer = Background {
                let dataset = try Dataset(path: path)
                for version in 1...40 {
                    try dataset.update { state, _ in
                        state.entities[0].name = "версия \(version)"
                        state.contacts[1] = Contacts(phone: "+7 700 \(1000 + version)")
                    }
                }
            }
            let mixed = Mutex<[String]>([])
            let readers = (0..<2).map { _ in
                Background {
                    let dataset = try Dataset(path: path)
                    var reads = 0
                    while writer.result == nil || reads == 0 {
                        let state = try dataset.load(includeContacts: true)
                        let version = state.entities[0].name.split(separator: " ").last.flatMap { Int($0) } ?? -1
                        let phone = state.contacts[1]?.phone ?? "no phone"
                        if !phone.hasSuffix(" \(1000 + version)") { mixed.withLock { $0.append("\(state.entities[0].name) / \(phone)") } }
                        reads += 1
                    }
                    return reads
                }
            }
            #expect(writer.done.wait(timeout: .now() + 120) == .success)
            #expect(throws: Never.self) { try writer.result?.get() }
            for reader in readers {
                #expect(reader.done.wait(timeout: .now() + 60) == .success)
                #expect(try (reader.result?.get() ?? 0) > 0)
            }
            #expect(mixed.withLock { $0 }.isEmpty, "mixed reads: \(mixed.withLock { $0 }.prefix(5))")
        }
    }
}
