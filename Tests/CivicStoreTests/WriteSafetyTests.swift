import CivicTestSupport
import CivicCore
@testable import CivicStore
import Foundation
import Synchronization
import Testing

@Suite("Dataset: concurrent writers, killed writers, the journal")
struct WriteSafetyTests {
    @Test("30 writers at once: every entity lands, each with its own id")
    func concurrentWriters() throws {
        try withTemporaryDirectory { folder in
            let path = try Sample.dataset(in: folder).path
            let writers = 30
            // One thread per writer, each with its own `Dataset` and so its own open of .civic.lock:
            // flock locks belong to the open file description, so opens in one process exclude
            // each other exactly as separate processes do. (The CLI tests run real processes.)
            let outcomes = Mutex<[Result<Int, CivicError>]>([])
            let done = DispatchGroup()
            for n in 0..<writers {
                done.enter()
                let thread = Thread {
                    defer { done.leave() }
                    let outcome: Result<Int, CivicError>
                    do {
                        let dataset = try Dataset(path: path)
                        outcome = .success(try add("Писатель №\(n) — ұйым", to: dataset))
                    } catch let error as CivicError {
                        outcome = .failure(error)
                    } catch {
                        outcome = .failure(.refused(reason: "\(error)"))
                    }
                    outcomes.withLock { $0.append(outcome) }
                }
                thread.start()
            }
            #expect(done.wait(timeout: .now() + 120) == .success, "writers did not finish in 2 minutes")

            let results = outcomes.withLock { $0 }
            let failures = results.compactMap { if case .failure(let e) = $0 { e } else { nil } }
            #expect(failures.isEmpty, "writers failed: \(failures)")
            let ids = results.compactMap { try? $0.get() }
            #expect(Set(ids) == Set(1...writers), "ids handed out: \(ids.sorted())")

            let dataset = try Dataset(path: path)
            let state = try dataset.load()
            #expect(state.entities.map(\.id) == Array(1...writers))
            #expect(Set(state.entities.map(\.name)).count == writers)
            let adds = try dataset.journal().filter { $0.action == "add" }
            #expect(adds.count == writers)
            #expect(Set(adds.compactMap(\.id)) == Set(1...writers))
        }
    }

    @Test("a writer killed between its temporary file and the rename leaves the old state; the next update cleans up")
    func killedWriterLeavesPreviousState() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Sample.dataset(in: folder)
            try add("до сбоя", to: dataset, contacts: Contacts(phone: "+7 777 111 2233"))
            let state = try dataset.load(includeContacts: true)
            let files = snapshot(dataset.path)

            // What a SIGKILL after write() and before rename() leaves behind: half-written temporary
            // files, named as the store names them, beside the targets.
            let stale = [
                dataset.path + "/.entities.geojson.civic-99999-5eed.tmp",
                dataset.path + "/private/.contacts.json.civic-99999-beef.tmp",
            ]
            let half = Array(try text(dataset.path + "/entities.geojson").utf8.prefix(40))
            for path in stale {
                #expect(DurableFiles.isTemporaryName(String(path.split(separator: "/").last ?? "")))
                try Data(half).write(to: URL(fileURLWithPath: path))
            }
            // Not ours: must survive.
            let foreign = dataset.path + "/.notes.tmp"
            try Data("keep".utf8).write(to: URL(fileURLWithPath: foreign))

            #expect(try dataset.load(includeContacts: true) == state)
            for (name, bytes) in files { #expect(snapshot(dataset.path)[name] == bytes, "\(name) changed") }

            let id = try add("после сбоя", to: dataset)
            #expect(id == 2)
            for path in stale {
                #expect(!FileManager.default.fileExists(atPath: path), "\(path) was not cleaned up")
            }
            #expect(FileManager.default.fileExists(atPath: foreign))
            #expect(try dataset.load().entities.map(\.name) == ["до сбоя", "после сбоя"])
        }
    }

    @Test("an update waits for another process's lock, and a killed holder does not wedge the dataset",
          .enabled(if: canHoldLocks, "needs /bin/sh and flock(1) (util-linux)"))
    func lockAcrossProcesses() throws {
        try withTemporaryDirectory { folder in
            let path = try Sample.dataset(in: folder).path
            // The shell opens the lock file on fd 9, locks it with flock(1) (the lock belongs to the
            // shared open file description, so it outlives flock(1)), says so, then becomes `sleep`.
            let holder = Process()
            holder.executableURL = URL(fileURLWithPath: "/bin/sh")
            holder.arguments = ["-c", "exec 9>>\"$1\"; /usr/bin/flock -x 9; echo locked; exec sleep 60",
                                "sh", path + "/.civic.lock"]
            let out = Pipe()
            holder.standardOutput = out
            try holder.run()
            defer { if holder.isRunning { kill(holder.processIdentifier, SIGKILL) } }
            let said = String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
            #expect(said.hasPrefix("locked"), "the lock holder said: \(said)")

            let finished = Mutex<Result<Int, CivicError>?>(nil)
            let done = DispatchGroup()
            done.enter()
            Thread {
                defer { done.leave() }
                do {
                    let id = try add("ждал замок", to: Dataset(path: path))
                    finished.withLock { $0 = .success(id) }
                } catch {
                    finished.withLock { $0 = .failure(.refused(reason: "\(error)")) }
                }
            }.start()
            Thread.sleep(forTimeInterval: 0.5)
            #expect(finished.withLock { $0 } == nil, "the update did not wait for the lock")

            kill(holder.processIdentifier, SIGKILL)
            holder.waitUntilExit()
            #expect(done.wait(timeout: .now() + 30) == .success, "the update is still waiting after the holder died")
            #expect(finished.withLock { $0 } == .success(1))
        }
    }

    @Test("journal entries append in order, one valid JSON object per line")
    func journalOrder() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Sample.dataset(in: folder)
            try add("бір", to: dataset)
            try dataset.update { state, journal in
                for name in ["екі", "үш"] {
                    let id = try dataset.nextEntityID(in: state)
                    state.entities.append(Sample.entity(id: id, name: name))
                    journal.append(JournalEntry(action: "import", id: id, name: name))
                }
            }
            try dataset.update { state, journal in
                let index = try #require(state.entityIndex(id: 2))
                let old = state.entities[index].name
                state.entities[index].name = "екі (жаңа)"
                journal.append(JournalEntry(action: "edit", id: 2, name: "екі (жаңа)", changes: JSONObject([
                    ("name", .object(JSONObject([("from", .string(old)), ("to", .string("екі (жаңа)"))]))),
                ])))
            }

            let journal = try dataset.journal()
            #expect(journal.map(\.action) == ["init", "add", "import", "import", "edit"])
            #expect(journal.map(\.id) == [nil, 1, 2, 3, 2])
            #expect(journal.allSatisfy { Timestamp.isValid($0.time) }, "times: \(journal.map(\.time))")
            #expect(journal.last?.changes["name"]?.objectValue?["from"] == .string("екі"))

            let path = dataset.path + "/history.jsonl"
            let raw = try text(path)
            #expect(raw.hasSuffix("\n"))
            let lines = raw.split(separator: "\n")
            #expect(lines.count == journal.count)
            for (n, line) in lines.enumerated() {
                let value = try JSON.parse(Array(line.utf8), file: "history.jsonl line \(n + 1)")
                #expect(value.objectValue?.keys.first == "time", "line \(n + 1): \(line)")
            }
            #expect(raw.contains("екі (жаңа)"), "names are written as is")
        }
    }

    @Test("a journal line torn by a killed writer is skipped on reading and cut before the next append")
    func tornJournalTail() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Sample.dataset(in: folder)
            try add("бір", to: dataset)
            let path = dataset.path + "/history.jsonl"
            let handle = try #require(FileHandle(forWritingAtPath: path))
            handle.seekToEndOfFile()
            handle.write(Data("{\"time\":\"2026-11-25T09:00:00Z\",\"action\":\"add\",\"id\":2,\"na".utf8))
            handle.closeFile()

            #expect(try dataset.journal().map(\.action) == ["init", "add"])
            try add("екі", to: dataset)
            #expect(try dataset.journal().map(\.id) == [nil, 1, 2])
            #expect(!(try text(path)).contains("\"na\n"), "the torn tail is still there")

            // A broken line that is *not* the unfinished last one is reported, with its line number.
            try Data((try text(path)).replacingOccurrences(of: "\"action\":\"add\"", with: "\"action\" \"add\"").utf8)
                .write(to: URL(fileURLWithPath: path))
            let error = #expect(throws: CivicError.self) { try dataset.journal() }
            #expect(error?.description.contains("history.jsonl:2:") == true, "\(String(describing: error))")
        }
    }

    @Test("an atomic replace leaves no temporary file and keeps the file's permissions")
    func replaceLeavesNoTemporaryFiles() throws {
        try withTemporaryDirectory { folder in
            let target = folder + "/data.json"
            try DurableFiles.replace(target, with: Array("one\n".utf8))
            #expect(permissions(target) == 0o644)
            chmod(target, 0o640)
            try DurableFiles.replace(target, with: Array("two\n".utf8))
            #expect(try text(target) == "two\n")
            #expect(permissions(target) == 0o640, "an existing file keeps its mode")
            try DurableFiles.replace(target, with: Array("three\n".utf8), mode: 0o600, forceMode: true)
            #expect(permissions(target) == 0o600)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["data.json"])

            // A failing replace (the folder is gone) reports the path and leaves nothing behind.
            let error = #expect(throws: CivicError.self) {
                try DurableFiles.replace(folder + "/missing/data.json", with: [])
            }
            #expect(error?.description.contains("missing") == true)
        }
    }

    @Test("update inside an update of the same dataset is refused instead of waiting for itself")
    func nestedUpdateRefused() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Sample.dataset(in: folder)
            #expect(throws: CivicError.self) {
                try dataset.update { _, _ in try dataset.update { _, _ in } }
            }
            // The lock was released: the next update goes through.
            #expect(try add("после", to: dataset) == 1)
        }
    }
}
