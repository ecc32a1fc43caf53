#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CivicCore

/// The POSIX calls behind a dataset's durability: whole-file reads, atomic replacement
/// (temporary file, fsync, rename, fsync of the folder), journal appends and the lock.
///
/// Every failure is a ``CivicError/io(path:reason:)`` naming the path and the system's reason.
enum DurableFiles {
    /// Temporary files are named `.<target>.civic-<pid>-<random>.tmp`, in the target's own folder
    /// so that the rename stays on one file system and is atomic.
    static let temporaryMarker = ".civic-"
    static let temporarySuffix = ".tmp"

    /// The whole file, or nil when it does not exist.
    static func contents(of path: String) throws(CivicError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw failure(path, "cannot open")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure(path, "cannot stat") }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw CivicError.io(path: path, reason: "is a folder, not a file") }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(info.st_size) + 1)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw failure(path, "cannot read")
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return bytes
    }

    /// Replaces `path` with `bytes` so that a reader sees either the old file or the new one,
    /// and a crash at any point leaves one of the two whole:
    /// write a temporary file beside it, fsync it, rename it over the target, fsync the folder.
    ///
    /// `mode` is the permission of a new file; an existing target keeps its own, unless
    /// `forceMode` (contacts stay 0600 whatever happened to the old file).
    ///
    /// One file on its own: a change to a dataset's files goes through the journal instead
    /// (``Dataset/update(_:)``), so that several files change together.
    static func replace(_ path: String, with bytes: [UInt8], mode: mode_t = 0o644,
                        forceMode: Bool = false) throws(CivicError) {
        let (folder, name) = split(path)
        let temporary = folder + "/" + temporaryName(for: name, tag: String(getpid()) + "-"
            + String(UInt64.random(in: 0...UInt64.max), radix: 16))
        try writeNew(temporary, bytes, mode: permissions(for: path, mode: mode, forceMode: forceMode))
        do {
            try move(temporary, over: path)
        } catch {
            unlink(temporary)
            throw error
        }
        try syncFolder(folder)
    }

    /// `.<name>.civic-<tag>.tmp`: the name of a temporary file for `name`, in the same folder so that
    /// the rename stays on one file system and is atomic.
    static func temporaryName(for name: String, tag: String) -> String {
        "." + name + temporaryMarker + tag + temporarySuffix
    }

    /// The permission bits a replacement of `path` gets: the existing file's own, unless `forceMode`
    /// or there is none; then `mode`.
    static func permissions(for path: String, mode: mode_t, forceMode: Bool) -> mode_t {
        guard !forceMode else { return mode }
        var old = stat()
        return stat(path, &old) == 0 ? old.st_mode & 0o7777 : mode
    }

    /// Creates `path`, which must not exist yet, with exactly `mode`, writes `bytes` and fsyncs it.
    /// A failure removes what was created.
    static func writeNew(_ path: String, _ bytes: [UInt8], mode: mode_t) throws(CivicError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw failure(path, "cannot create a temporary file") }
        do throws(CivicError) {
            defer { close(fd) }
            // The umask may have taken bits away at creation; set exactly what was asked for.
            guard fchmod(fd, mode) == 0 else { throw failure(path, "cannot set permissions") }
            try writeAll(fd, bytes, path: path)
            guard fsync(fd) == 0 else { throw failure(path, "cannot fsync") }
        } catch {
            unlink(path)
            throw error
        }
    }

    /// Renames `source` over `target` (atomic within one file system). Not durable until the
    /// folder is synced (``syncFolder(_:)``).
    static func move(_ source: String, over target: String) throws(CivicError) {
        guard rename(source, target) == 0 else { throw failure(target, "cannot rename \(source) over it") }
    }

    /// Appends `bytes` in one `write` and fsyncs, creating the file when missing.
    static func append(_ path: String, _ bytes: [UInt8], mode: mode_t = 0o644) throws(CivicError) {
        let existed = exists(path)
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, mode)
        guard fd >= 0 else { throw failure(path, "cannot open for appending") }
        do {
            defer { close(fd) }
            try writeAll(fd, bytes, path: path)
            guard fsync(fd) == 0 else { throw failure(path, "cannot fsync") }
        }
        // A new file's name is an entry in the folder, durable only once the folder is.
        if !existed { try syncFolder(split(path).folder) }
    }

    /// Cuts the file to `length` bytes and fsyncs it.
    static func truncate(_ path: String, to length: Int) throws(CivicError) {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure(path, "cannot open") }
        defer { close(fd) }
        guard ftruncate(fd, off_t(length)) == 0 else { throw failure(path, "cannot truncate") }
        guard fsync(fd) == 0 else { throw failure(path, "cannot fsync") }
    }

    /// Makes a rename or a new entry in `folder` durable.
    static func syncFolder(_ folder: String) throws(CivicError) {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw failure(folder, "cannot open folder") }
        defer { close(fd) }
        // Some file systems refuse fsync on a folder (EINVAL); there is nothing more to make durable.
        if fsync(fd) != 0, errno != EINVAL { throw failure(folder, "cannot fsync folder") }
    }

    /// Creates `path` (and missing parents) as folders with `mode`; an existing folder is left as it is.
    static func makeFolder(_ path: String, mode: mode_t = 0o755) throws(CivicError) {
        if isFolder(path) { return }
        let (parent, _) = split(path)
        if parent != path, !parent.isEmpty, !isFolder(parent) { try makeFolder(parent) }
        if mkdir(path, mode) != 0 {
            if errno == EEXIST, isFolder(path) { return }
            throw failure(path, "cannot create folder")
        }
        // As for files, the umask must not widen or narrow what was asked for (private/ is 0700).
        guard chmod(path, mode) == 0 else { throw failure(path, "cannot set permissions") }
        try syncFolder(parent.isEmpty ? "." : parent)
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    static func isFolder(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The names in a folder, without `.` and `..`.
    static func names(in folder: String) throws(CivicError) -> [String] {
        guard let dir = opendir(folder) else { throw failure(folder, "cannot list folder") }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return names
    }

    /// True for a name this module gives its temporary files.
    static func isTemporaryName(_ name: String) -> Bool {
        name.hasPrefix(".") && name.hasSuffix(temporarySuffix) && name.contains(temporaryMarker)
    }

    /// `a/b/c.json` → (`a/b`, `c.json`); a bare name lies in `.`.
    static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let folder = String(path[..<slash])
        return (folder.isEmpty ? "/" : folder, String(path[path.index(after: slash)...]))
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(CivicError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw failure(path, "cannot write")
            }
            offset += n
        }
    }

    static func failure(_ path: String, _ what: String) -> CivicError {
        let code = errno
        return .io(path: path, reason: "\(what): \(String(cString: strerror(code)))")
    }
}

/// A `flock` on a dataset's `.civic.lock`, held from `init` until ``release()``: exclusive for a
/// writer, shared for a reader, so that a reader never sees the files of two updates at once.
///
/// `flock` locks belong to an open file description: two `DatasetLock`s exclude each other even in
/// one process, and the kernel drops the lock when a holder dies, so a killed writer never leaves
/// a dataset locked. The lock file itself is never removed (removing it would let two writers
/// lock two different files).
public final class DatasetLock {
    /// Who may hold the lock beside this holder.
    enum Mode {
        /// Readers alike; no writer.
        case shared
        /// Nobody else.
        case exclusive
    }

    private var fd: Int32
    private let path: String
    /// The mode held now; nil when the lock could not be taken at all (see ``init(path:mode:)``).
    private(set) var mode: Mode?

    /// Takes the lock in `mode`, waiting for holders of a conflicting mode.
    ///
    /// A reader of a folder it may not write to (a dataset on read-only media, or another user's)
    /// cannot create the lock file; it then opens an existing one read-only, and when there is none
    /// reads without a lock (``mode`` is nil): nobody can be writing a folder where no lock file
    /// can be made. A writer always needs the lock.
    init(path: String, mode: Mode) throws(CivicError) {
        self.path = path
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        if fd < 0, mode == .shared, errno == EACCES || errno == EROFS || errno == EPERM {
            fd = open(path, O_RDONLY | O_CLOEXEC)
            if fd < 0, errno == ENOENT || errno == EACCES {
                self.mode = nil
                return
            }
        }
        guard fd >= 0 else { throw DurableFiles.failure(path, "cannot open the lock file") }
        do {
            try take(mode)
        } catch {
            close(fd)
            fd = -1
            throw error
        }
    }

    /// Changes the mode of the lock held. Not atomic: the kernel drops the old lock before it takes
    /// the new one, so another process may change the dataset in between; look again afterwards.
    func change(to mode: Mode) throws(CivicError) {
        guard fd >= 0, self.mode != mode else { return }
        try take(mode)
    }

    /// Called when the lock is busy, just before waiting for it, so that the command line can say
    /// why it seems to hang ("waiting for another civic command to finish…"). nil: wait silently.
    ///
    /// Set it once at the start of the process, before any dataset is opened, and never again:
    /// it is read without a lock (a `Mutex` would need macOS 15; the package supports 13).
    nonisolated(unsafe) public static var whenBusy: (@Sendable () -> Void)?

    private func take(_ mode: Mode) throws(CivicError) {
        let operation = mode == .exclusive ? LOCK_EX : LOCK_SH
        // Try without waiting first: only a lock that is really held by someone else is announced.
        var waiting = false
        while flock(fd, waiting ? operation : operation | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            if !waiting && errno == EWOULDBLOCK {
                DatasetLock.whenBusy?()
                waiting = true
                continue
            }
            throw DurableFiles.failure(path, "cannot lock")
        }
        self.mode = mode
    }

    func release() {
        guard fd >= 0 else { return }
        // Closing the descriptor releases the flock.
        close(fd)
        fd = -1
        mode = nil
    }

    deinit { release() }
}

/// Deterministic crash tests (DESIGN §3): with `CIVIC_FAULT_AFTER_STEP=N` in the environment, the
/// process kills itself with SIGKILL right after the N-th durable step of a commit (a temporary
/// file fsynced, a folder fsynced, the journal line fsynced, a rename); with
/// `CIVIC_FAULT_AFTER_STEP=recovery:N`, after the N-th durable step of finishing or undoing an
/// interrupted commit. The variable is read here and nowhere else; without it every step costs one
/// comparison.
struct FaultInjection {
    /// The durable sequences that count their steps.
    enum Sequence: Sendable {
        case commit, recovery
    }

    /// The step after which to die, by sequence, from the environment (read once).
    private static let plan: (sequence: Sequence, step: Int)? = {
        guard let raw = getenv("CIVIC_FAULT_AFTER_STEP") else { return nil }
        let text = String(cString: raw)
        let sequence: Sequence = text.hasPrefix("recovery:") ? .recovery : .commit
        let number = sequence == .recovery ? String(text.dropFirst("recovery:".count)) : text
        guard let step = Int(number), step > 0 else { return nil }
        return (sequence, step)
    }()

    private let sequence: Sequence
    private var done = 0

    /// A counter for one run of `sequence`, starting at step 0.
    init(_ sequence: Sequence) {
        self.sequence = sequence
    }

    /// Counts one durable step; dies here when the environment asks for it.
    mutating func stepDone() {
        done += 1
        if let plan = Self.plan, plan.sequence == sequence, plan.step == done {
            // SIGKILL, as the kernel's OOM killer or `kill -9` would: no cleanup, no buffered output.
            raise(SIGKILL)
        }
    }
}
