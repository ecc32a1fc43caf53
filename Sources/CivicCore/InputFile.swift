#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads an input file the user named, whole: a regular file, a pipe (`import csv <(iconv …)`,
/// `/dev/stdin`, a FIFO) or `-` for standard input.
///
/// It reads until the end of the data, never by the size the file system reports: a pipe's size
/// is 0, and a file that is still being written grows. Every failure names the path and the
/// system's reason (`Permission denied`, `Not a directory`).
///
/// ```swift
/// let bytes = try InputFile.bytes(atPath: "volunteers.csv")
/// ```
public enum InputFile {
    /// The whole content of `path`; `-` is standard input.
    public static func bytes(atPath path: String) throws(CivicError) -> [UInt8] {
        if path == "-" { return try readAll(STDIN_FILENO, path: "stdin") }
        // A FIFO blocks here until a writer opens it, as `cat` does; that is what its user expects.
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT { throw CivicError.io(path: path, reason: "no such file") }
            throw CivicError.io(path: path, reason: "cannot open: \(systemReason(code))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw CivicError.io(path: path, reason: "cannot read: \(systemReason(errno))")
        }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw CivicError.io(path: path, reason: "is a folder, not a file") }
        return try readAll(fd, path: path, sizeHint: (info.st_mode & S_IFMT) == S_IFREG ? Int(info.st_size) : 0)
    }

    /// Reads `fd` to its end, retrying reads a signal interrupted.
    static func readAll(_ fd: Int32, path: String, sizeHint: Int = 0) throws(CivicError) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(sizeHint + 1)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                let code = errno
                if code == EINTR { continue }
                if code == EISDIR { throw CivicError.io(path: path, reason: "is a folder, not a file") }
                throw CivicError.io(path: path, reason: "cannot read: \(systemReason(code))")
            }
            if n == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<n])
        }
    }

    /// The C library's text for an errno value.
    static func systemReason(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}

/// An input file read piece by piece, for formats too large to hold whole (an OSM PBF of a region,
/// a compressed extract): the same paths as ``InputFile/bytes(atPath:)`` (`-` for stdin, pipes), read
/// in order, never by the size the file system reports. Owns its file descriptor and closes it when
/// released. Not thread-safe.
public final class InputStream {
    /// The path as given.
    public let path: String
    private let fd: Int32
    private let ownsDescriptor: Bool
    /// Bytes read ahead (by ``peek(_:)``) and not yet consumed.
    private var ahead: [UInt8] = []
    /// How many bytes were consumed: the offset of the next byte, for messages.
    public private(set) var offset = 0

    /// Opens `path` (`-` for standard input).
    public init(path: String) throws(CivicError) {
        self.path = path
        if path == "-" {
            fd = STDIN_FILENO
            ownsDescriptor = false
            return
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT { throw CivicError.io(path: path, reason: "no such file") }
            throw CivicError.io(path: path, reason: "cannot open: \(InputFile.systemReason(code))")
        }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw CivicError.io(path: path, reason: "is a folder, not a file")
        }
        self.fd = fd
        ownsDescriptor = true
    }

    deinit {
        if ownsDescriptor { close(fd) }
    }

    /// Up to `count` bytes from the current place, without consuming them; fewer at the end.
    public func peek(_ count: Int) throws(CivicError) -> [UInt8] {
        while ahead.count < count {
            let more = try readSome(count - ahead.count)
            if more.isEmpty { break }
            ahead += more
        }
        return Array(ahead.prefix(count))
    }

    /// Up to `count` bytes; fewer only at the end of the file (empty there).
    public func read(upTo count: Int) throws(CivicError) -> [UInt8] {
        var bytes: [UInt8] = []
        if !ahead.isEmpty {
            let taken = min(count, ahead.count)
            bytes = Array(ahead.prefix(taken))
            ahead.removeFirst(taken)
        }
        while bytes.count < count {
            let more = try readSome(count - bytes.count)
            if more.isEmpty { break }
            bytes += more
        }
        offset += bytes.count
        return bytes
    }

    /// Whatever one read(2) gives, at most `count` bytes; empty at the end.
    private func readSome(_ count: Int) throws(CivicError) -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: min(count, 1 << 20))
        while true {
            let n = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                let code = errno
                if code == EINTR { continue }
                if code == EISDIR { throw CivicError.io(path: path, reason: "is a folder, not a file") }
                throw CivicError.io(path: path, reason: "cannot read: \(InputFile.systemReason(code))")
            }
            chunk.removeLast(chunk.count - n)
            return chunk
        }
    }
}

/// read(2), under a name the stream's own `read` does not hide.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}
