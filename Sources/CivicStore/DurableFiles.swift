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
    static func replace(_ path: String, with bytes: [UInt8], mode: mode_t = 0o644,
                        forceMode: Bool = false) throws(CivicError) {
        let (folder, name) = split(path)
        let temporary = folder + "/." + name + temporaryMarker + String(getpid()) + "-"
            + String(UInt64.random(in: 0...UInt64.max), radix: 16) + temporarySuffix
        var permissions = mode
        if !forceMode {
            var old = stat()
            if stat(path, &old) == 0 { permissions = old.st_mode & 0o7777 }
        }
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, permissions)
        guard fd >= 0 else { throw failure(temporary, "cannot create a temporary file") }
        var done = false
        defer {
            if !done { unlink(temporary) }
        }
        do {
            defer { close(fd) }
            // The umask may have taken bits away at creation; set exactly what was asked for.
            guard fchmod(fd, permissions) == 0 else { throw failure(temporary, "cannot set permissions") }
            try writeAll(fd, bytes, path: temporary)
            guard fsync(fd) == 0 else { throw failure(temporary, "cannot fsync") }
        }
        guard rename(temporary, path) == 0 else { throw failure(path, "cannot rename \(temporary) over it") }
        done = true
        try syncFolder(folder)
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

    /// Removes the temporary files a killed writer left in `folder`.
    /// Only call it while holding the dataset's lock: then no live writer owns one.
    @discardableResult
    static func removeStaleTemporaryFiles(in folder: String) throws(CivicError) -> [String] {
        guard isFolder(folder) else { return [] }
        var removed: [String] = []
        for name in try names(in: folder) where isTemporaryName(name) {
            let path = folder + "/" + name
            if unlink(path) == 0 { removed.append(path) } else if errno != ENOENT {
                throw failure(path, "cannot remove a temporary file left by an interrupted write")
            }
        }
        if !removed.isEmpty { try syncFolder(folder) }
        return removed
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

/// An exclusive `flock` on a dataset's `.civic.lock`, held from `init` until ``release()``.
///
/// `flock` locks belong to an open file description: two `DatasetLock`s exclude each other even in
/// one process, and the kernel drops the lock when a holder dies, so a killed writer never leaves
/// a dataset locked. The lock file itself is never removed (removing it would let two writers
/// lock two different files).
final class DatasetLock {
    private var fd: Int32

    init(path: String) throws(CivicError) {
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw DurableFiles.failure(path, "cannot open the lock file") }
        while flock(fd, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            let error = DurableFiles.failure(path, "cannot lock")
            close(fd)
            throw error
        }
    }

    func release() {
        guard fd >= 0 else { return }
        // Closing the descriptor releases the flock.
        close(fd)
        fd = -1
    }

    deinit { release() }
}
