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
