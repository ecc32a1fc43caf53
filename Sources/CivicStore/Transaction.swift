#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CivicCore

// One commit, crash-atomic across files (DESIGN §3).
//
// A change that replaces several files is a transaction, written ahead in `history.jsonl`:
//
//  1. under the exclusive lock, each changed file's new content goes to a temporary file beside
//     it, named after the transaction (`.entities.geojson.civic-<txn>.tmp`), and is fsynced;
//     then the folders holding them are fsynced, so that the names are durable too;
//  2. an unfinished end a killed writer left in the journal is cut off; the transaction's journal
//     lines are appended in one write and fsynced: the user's entries,
//     each tagged `"txn":"<txn>"`, the last one also carrying `"commit":{"files":[…]}` with each
//     file's name, temporary file, size and checksum (a change without entries gets one
//     line of bookkeeping alone). The transaction is committed exactly when that closing line is
//     whole in the journal;
//  3. each temporary file is renamed over its target, and the folders are fsynced.
//
// It is complete when none of its temporary files is left. Why this and not the full contents in
// the journal: the journal stays the readable history that `civic log` shows and git diffs, a line
// per change, while `entities.geojson` of a 40,000-entity city is 17 MB; the new content is
// written once (to the temporary file that then becomes the file), as an atomic replace would
// write it anyway, and costs one checksum pass (a few ms) and one more folder fsync.
//
// The next command, reader or writer, looks for temporary files first (a `readdir` of two small
// folders, nothing more when there are none) and, holding the lock exclusive, recovers:
// - when the journal's last committed line closes a transaction, its temporary files that are
//   still there are checked against the record and renamed over their targets (rolled forward);
// - every other temporary file belongs to a transaction that never committed and is removed
//   (rolled back). An unfinished end of the journal (a torn last line, or lines of a transaction
//   without their closing line) is not part of the history: readers skip it, and the next commit
//   cuts it off before it appends, so a refused change never touches it.
// Each recovery step is idempotent, so a recovery killed half-way is finished by the next one.
//
// So whatever instant a writer dies at, the next reader sees the old state (before step 2
// completes) or the new one (after), the journal and the files agree, contacts and entities
// change together, and the id floor (the highest id in the journal, the entities and the
// contacts) never goes down: an id is never handed out twice.

/// A file a transaction replaces: its name in the dataset folder and its new content.
struct PendingFile {
    var name: String
    var bytes: [UInt8]
    /// The permission of a new file; an existing one keeps its own unless `forceMode`.
    var mode: mode_t = 0o644
    var forceMode = false
}

extension Dataset {
    /// Commits `files` and `entries` as one transaction (steps 1–3 above). Call it holding the
    /// exclusive lock, after ``recover()``, with the journal as recovery left it.
    ///
    /// A failure before the journal line is whole undoes what was written (the dataset stays byte
    /// for byte as it was) and rethrows; after it, the change is committed and the next command
    /// finishes it, which the error says.
    func commit(_ files: [PendingFile], entries: [JournalEntry], journal: JournalFile, now: String) throws(CivicError) {
        var steps = FaultInjection(.commit)
        let transaction = Self.newTransactionID()
        var records: [CommitRecord.File] = []
        var folders: [String] = []
        let historyFile = file(DatasetLayout.history)

        var appending = false
        // After a failure (a full disk, a file-size limit): nothing of this transaction stays.
        func undo() {
            for record in records { unlink(file(record.temporary)) }
            if appending { try? DurableFiles.truncate(historyFile, to: journal.committedLength) }
        }

        do {
            for pending in files {
                let temporary = DatasetLayout.temporary(for: pending.name, transaction: transaction)
                let folder = DurableFiles.split(pending.name).folder
                if folder != ".", !DurableFiles.isFolder(file(folder)) {
                    // A clone from git has no private/; it is made closed to others.
                    try DurableFiles.makeFolder(file(folder), mode: 0o700)
                }
                let mode = DurableFiles.permissions(for: file(pending.name), mode: pending.mode, forceMode: pending.forceMode)
                records.append(CommitRecord.File(name: pending.name, temporary: temporary, size: pending.bytes.count,
                                                 checksum: Checksum.of(pending.bytes)))
                try DurableFiles.writeNew(file(temporary), pending.bytes, mode: mode)
                steps.stepDone()
                if !folders.contains(folder) { folders.append(folder) }
            }
            // The journal line names the temporary files: their names must be durable before it is.
            for folder in folders {
                try DurableFiles.syncFolder(folder == "." ? path : file(folder))
                steps.stepDone()
            }
            // What a killed writer's append left unfinished is not part of the history: cut it first.
            if let start = journal.unfinishedStart {
                try DurableFiles.truncate(historyFile, to: start)
                steps.stepDone()
            }
            var lines = Journal.lines(entries, transaction: transaction, commit: CommitRecord(files: records), time: now)
            if journal.needsNewline { lines.insert(UInt8(ascii: "\n"), at: 0) }
            appending = true
            try DurableFiles.append(historyFile, lines)
            steps.stepDone()
        } catch {
            undo()
            throw error
        }

        do {
            for record in records {
                try DurableFiles.move(file(record.temporary), over: file(record.name))
                steps.stepDone()
            }
            for folder in folders {
                try DurableFiles.syncFolder(folder == "." ? path : file(folder))
                steps.stepDone()
            }
        } catch {
            throw CivicError.refused(
                reason: "\(error.description); the change is recorded in \(DatasetLayout.history) but not finished",
                hint: "the next civic command on this dataset finishes it")
        }
    }

    /// Finishes or undoes the transaction a killed writer left (see above). Call it holding the
    /// exclusive lock. Returns the journal as read, with the problems of its lines
    /// (collected, not thrown: a bad line elsewhere in the journal must not keep a committed
    /// transaction from being finished; a writer then refuses to go on).
    @discardableResult
    func recover() throws(CivicError) -> (file: JournalFile, problems: [CivicError]) {
        var steps = FaultInjection(.recovery)
        let historyFile = file(DatasetLayout.history)
        var log = ProblemLog(mode: .everyProblem)
        let journal = try Journal.read(try DurableFiles.contents(of: historyFile) ?? [], file: historyFile, problems: &log)
        var temporaries = try temporaryFiles()

        if let (transaction, record) = journal.lastCommit.map({ ($0.transaction, $0.record) }), !temporaries.isEmpty {
            var folders: [String] = []
            for entry in record.files where temporaries.contains(entry.temporary) {
                let temporary = file(entry.temporary)
                let bytes = try DurableFiles.contents(of: temporary) ?? []
                guard bytes.count == entry.size, Checksum.of(bytes) == entry.checksum else {
                    throw CivicError.refused(
                        reason: "\(temporary): cannot finish transaction \(transaction): the file is not what "
                            + "\(DatasetLayout.history) says was written (\(entry.size) bytes, checksum \(entry.checksum))",
                        hint: "the disk may be failing: copy the whole folder somewhere safe before anything else")
                }
                // Contacts stay closed to others, whoever made the temporary file.
                if entry.name == DatasetLayout.contacts, chmod(temporary, 0o600) != 0 {
                    throw DurableFiles.failure(temporary, "cannot set permissions")
                }
                try DurableFiles.move(temporary, over: file(entry.name))
                steps.stepDone()
                temporaries.removeAll { $0 == entry.temporary }
                let folder = DurableFiles.split(entry.name).folder
                if !folders.contains(folder) { folders.append(folder) }
            }
            for folder in folders {
                try DurableFiles.syncFolder(folder == "." ? path : file(folder))
                steps.stepDone()
            }
        }

        if !temporaries.isEmpty {
            var folders: [String] = []
            for temporary in temporaries {
                if unlink(file(temporary)) != 0, errno != ENOENT {
                    throw DurableFiles.failure(file(temporary), "cannot remove a temporary file left by an interrupted write")
                }
                let folder = DurableFiles.split(temporary).folder
                if !folders.contains(folder) { folders.append(folder) }
            }
            for folder in folders { try DurableFiles.syncFolder(folder == "." ? path : file(folder)) }
            steps.stepDone()
        }

        return (journal, log.problems)
    }

    /// The temporary files of this module in the dataset's folders, relative to the dataset folder.
    func temporaryFiles() throws(CivicError) -> [String] {
        var found: [String] = []
        for folder in DatasetLayout.transactionFolders {
            let full = folder.isEmpty ? path : file(folder)
            guard DurableFiles.isFolder(full) else { continue }
            for name in try DurableFiles.names(in: full) where DurableFiles.isTemporaryName(name) {
                found.append(folder.isEmpty ? name : folder + "/" + name)
            }
        }
        return found.sorted()
    }

    /// 16 random hex digits.
    private static func newTransactionID() -> String {
        let digits = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

extension CivicError {
    /// The line of the file the error names, when it names one.
    var line: Int? {
        switch self {
        case let .syntax(_, line, _, _, _): line
        case let .invalid(_, line, _, _, _, _): line
        case .refused, .io: nil
        }
    }
}
