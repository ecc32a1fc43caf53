#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CivicCore

/// Where a command's result goes (`-o FILE`, DESIGN §4): standard output for `-` or no file, else a
/// file that is never inside the dataset, replaced atomically and only when its content changed.
///
/// The store is the one module that knows what a dataset folder is, so the rule "outputs never touch
/// the dataset" lives here, for every command alike. A path is judged by where the bytes would
/// really land: relative paths and `..` are resolved against the current folder, symbolic links are
/// followed (a link to a file writes that file, as a shell's `>` would), and a file that does not exist
/// yet is placed by the real path of its folder. A target is inside the dataset when the dataset
/// folder is that target or one of its ancestors, compared by device and inode, so that two names
/// of one folder (a symbolic link, a bind mount) cannot tell it apart. Any other folder that holds
/// a civic dataset (a `dataset.json` and a `history.jsonl`) is refused too, named or not.
///
/// ```swift
/// let writer = try OutputWriter(path: "coverage.json", dataset: "oskemen")  // refuses oskemen/…
/// try writer.write(Array(json.utf8))
/// ```
public struct OutputWriter: Sendable {
    /// The path as the user gave it; nil for standard output.
    public let path: String?
    /// The dataset folder to protect, as the user named it (`--dataset` or `CIVIC_DATASET`).
    public let dataset: String?
    /// Files the command reads, which the output must not replace either (loose `--districts` …).
    public let inputs: [String]

    /// Checks `path` at once, so that a command refuses before it does any work.
    ///
    /// - Parameters:
    ///   - path: the file to write; `nil` or `-` is standard output.
    ///   - dataset: the dataset folder whose files no output may replace or add to; nil when the
    ///     command has none. A folder that does not exist protects nothing.
    ///   - inputs: the files the command reads.
    /// - Throws: ``CivicError/refused(reason:hint:)`` for a path inside the dataset or naming an input;
    ///   ``CivicError/io(path:reason:)`` for a folder, a missing parent folder or a link loop.
    public init(path: String?, dataset: String?, inputs: [String] = []) throws(CivicError) {
        self.path = path == "-" ? nil : path
        self.dataset = dataset.flatMap { $0.isEmpty ? nil : $0 }
        self.inputs = inputs
        _ = try destination()
    }

    /// Whether the result goes to standard output.
    public var isStandardOutput: Bool { path == nil }

    /// What ``write(_:)`` did.
    public enum Outcome: Equatable, Sendable {
        /// The bytes went to standard output.
        case standardOutput
        /// The file was created or replaced.
        case written
        /// The file already held exactly these bytes and was left alone (its time stamps too).
        case unchanged
    }

    /// Writes `bytes` to standard output, or replaces the file with them (temporary file in the
    /// same folder, fsync, rename, fsync of the folder), unless it already holds them.
    ///
    /// The path is checked again, as a link may have changed since ``init(path:dataset:inputs:)``.
    /// A device or a pipe (`/dev/null`, a FIFO) is written in place: renaming over it would replace it.
    @discardableResult
    public func write(_ bytes: [UInt8]) throws(CivicError) -> Outcome {
        switch try destination() {
        case .standardOutput:
            // Whatever `print` buffered goes first, so that stdout holds things in the order written.
            fflush(nil)
            try DurableFiles.writeAll(1, bytes, path: "standard output")
            return .standardOutput
        case .special(let target):
            let path = path ?? target
            let fd = open(target, O_WRONLY | O_CLOEXEC)
            guard fd >= 0 else { throw DurableFiles.failure(path, "cannot open") }
            defer { close(fd) }
            try DurableFiles.writeAll(fd, bytes, path: path)
            return .written
        case .file(let target):
            let path = path ?? target
            if let old = try? DurableFiles.contents(of: target), old == bytes { return .unchanged }
            do {
                try DurableFiles.replace(target, with: bytes, mode: Self.newFileMode)
            } catch {
                // The system's reason, on the name the user gave rather than on a temporary file's.
                if case .io(_, let reason) = error { throw CivicError.io(path: path, reason: reason) }
                throw error
            }
            return .written
        }
    }

    /// Writes `text` as UTF-8, as the byte form of `write` does.
    @discardableResult
    public func write(_ text: String) throws(CivicError) -> Outcome { try write(Array(text.utf8)) }

    // MARK: judging the path

    private enum Destination {
        /// Standard output.
        case standardOutput
        /// A regular file, existing or not, by its real path.
        case file(String)
        /// An existing device, pipe or socket, by the path to open.
        case special(String)
    }

    /// Where the bytes would land; refused when that is inside the dataset or an input.
    private func destination() throws(CivicError) -> Destination {
        guard let path else { return .standardOutput }
        if path.isEmpty { throw CivicError.io(path: path, reason: "an empty file name") }
        var info = stat()
        if stat(path, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                try refuseInsideDataset(folder: path)
                throw CivicError.io(path: path, reason: "is a folder; name a file to write")
            case S_IFREG:
                break
            default:
                // /dev/stdout and the like may lead to no path at all (a pipe): keep the name.
                return .special(path)
            }
        }
        let target = try Self.resolve(path)
        try refuseInsideDataset(folder: Self.parent(of: target))
        try refuseInput(target)
        return .file(target)
    }

    /// Refuses when `folder` is the dataset folder or lies inside it, or inside any other civic
    /// dataset (loose files read from a dataset folder do not make its folder a place for outputs).
    private func refuseInsideDataset(folder: String) throws(CivicError) {
        guard var ancestor = Self.realPath(folder) else { return }
        let protected = dataset.flatMap(FileIdentity.init)
        while true {
            let named = protected != nil && FileIdentity(ancestor) == protected
            if named || Self.isDataset(ancestor) {
                let name = named ? dataset ?? ancestor : ancestor
                throw CivicError.refused(
                    reason: "\(path ?? folder): inside the dataset \(name); an output there would overwrite or add to the dataset's files",
                    hint: "name a file outside \(name)")
            }
            if ancestor == "/" { return }
            ancestor = Self.parent(of: ancestor)
        }
    }

    /// Whether `folder` looks like a dataset civic made: its `dataset.json` and its journal.
    private static func isDataset(_ folder: String) -> Bool {
        let base = folder == "/" ? "" : folder
        return DurableFiles.exists(base + "/" + DatasetLayout.info) && DurableFiles.exists(base + "/" + DatasetLayout.history)
    }

    /// Refuses when `target` is one of the files the command reads.
    private func refuseInput(_ target: String) throws(CivicError) {
        let targetIdentity = FileIdentity(target)
        for input in inputs where input != "-" {
            let same = if let targetIdentity, let inputIdentity = FileIdentity(input) {
                targetIdentity == inputIdentity
            } else {
                (try? Self.resolve(input)) == target
            }
            if same {
                throw CivicError.refused(reason: "\(path ?? target): would overwrite the input file \(input)",
                                         hint: "write to another file")
            }
        }
    }

    /// A file or folder as the kernel knows it: two paths with one identity are one file.
    private struct FileIdentity: Equatable {
        var device: UInt64
        var inode: UInt64

        /// What `path` names, links followed; nil when nothing is there.
        init?(_ path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
        }
    }

    // MARK: paths

    /// The absolute path with every link followed and `.` and `..` resolved. The last component
    /// may not exist yet (a new file, or a link to one), but its folder must.
    static func resolve(_ path: String) throws(CivicError) -> String {
        var current = absolute(path)
        // As the kernel does (ELOOP), give up on a chain of 40 links.
        for _ in 0..<40 {
            var info = stat()
            if lstat(current, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK {
                guard let destination = readLink(current) else {
                    throw DurableFiles.failure(path, "cannot read the link \(current)")
                }
                current = destination.hasPrefix("/") ? destination : parent(of: current) + "/" + destination
                continue
            }
            let last = name(of: current)
            if last == "." || last == ".." || last.isEmpty {
                guard let real = realPath(current) else { throw CivicError.io(path: path, reason: "no such folder") }
                return real
            }
            let folder = parent(of: current)
            guard let realFolder = realPath(folder) else {
                throw CivicError.io(path: path, reason: "no such folder: \(folder)")
            }
            return (realFolder == "/" ? "" : realFolder) + "/" + last
        }
        throw CivicError.io(path: path, reason: "too many levels of symbolic links")
    }

    private static func absolute(_ path: String) -> String {
        guard !path.hasPrefix("/"), let cwd = getcwd(nil, 0) else { return path }
        defer { free(cwd) }
        let folder = String(cString: cwd)
        return (folder == "/" ? "" : folder) + "/" + path
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(path, &buffer, buffer.count - 1)
        guard n >= 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `a/b/c` → `a/b`, ignoring trailing slashes; `/x` → `/`; `x` → `.`.
    static func parent(of path: String) -> String {
        let trimmed = withoutTrailingSlashes(path)
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        let folder = trimmed[..<slash]
        return folder.isEmpty ? "/" : String(folder)
    }

    /// `a/b/c` → `c`; `a/b/` → `b`.
    static func name(of path: String) -> String {
        let trimmed = withoutTrailingSlashes(path)
        guard let slash = trimmed.lastIndex(of: "/") else { return String(trimmed) }
        return String(trimmed[trimmed.index(after: slash)...])
    }

    private static func withoutTrailingSlashes(_ path: String) -> Substring {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return trimmed
    }

    /// A new output file gets the permissions a shell's `>` would give it: 0666 less the umask.
    private static var newFileMode: mode_t {
        // The umask can only be read by setting it: set it straight back.
        let mask = umask(0o022)
        umask(mask)
        return 0o666 & ~mask
    }
}
