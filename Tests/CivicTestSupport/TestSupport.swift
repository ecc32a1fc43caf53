import Foundation

// What every test target needs and none should write again: temporary folders, a seeded random
// source, and running the built programs as a user would.

/// Runs `body` with a fresh folder under the system's temporary folder and removes it afterwards.
public func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
    let url = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: url) }
    return try body(url.path)
}

/// The same for async tests, with the folder as a URL.
public func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let url = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: url) }
    return try await body(url)
}

private func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("civic-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// SplitMix64: a small seeded generator, so that random cities and random damage are the same on
/// every run and a failing case can be replayed.
public struct SeededRandom: RandomNumberGenerator {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }
    public init(state: UInt64) { self.state = state }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The result of one run of a program.
public struct ProgramRun: CustomStringConvertible, Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String

    public var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
    public var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
}

/// The built products (`civic`, `venues-by-theme`) and how to run them.
public enum Programs {
    /// Where `swift build` put the products: beside the test runner, whatever the scratch path.
    public static let productsDirectory: URL = {
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var url = runner.deletingLastPathComponent()
        // The runner may sit inside a bundle (…/debug/x.xctest/Contents/MacOS/x on macOS).
        for _ in 0..<4 {
            if FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("civic").path) { return url }
            url.deleteLastPathComponent()
        }
        return runner.deletingLastPathComponent()
    }()

    /// The `civic` binary; `$CIVIC_BINARY` names another one.
    public static var civic: String {
        ProcessInfo.processInfo.environment["CIVIC_BINARY"] ?? productsDirectory.appendingPathComponent("civic").path
    }

    /// Runs a program and waits for it. `CIVIC_DATASET` is cleared unless `environment` sets it,
    /// so the developer's own dataset never leaks into a test.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                           currentDirectory: String? = nil, input: Data? = nil) throws -> ProgramRun {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["CIVIC_DATASET"] = nil
        for (key, value) in environment { env[key] = value }
        process.environment = env
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        // Output goes to files, not pipes: a child that writes a lot can never block on a full pipe.
        let outURL = FileManager.default.temporaryDirectory.appendingPathComponent("civic-out-\(UUID().uuidString)")
        let errURL = FileManager.default.temporaryDirectory.appendingPathComponent("civic-err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let outHandle = try FileHandle(forWritingTo: outURL), errHandle = try FileHandle(forWritingTo: errURL)
        let inPipe = Pipe()
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = inPipe
        try process.run()
        if let input { inPipe.fileHandleForWriting.write(input) }
        try inPipe.fileHandleForWriting.close()
        process.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        return ProgramRun(status: process.terminationStatus,
                          stdout: String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self),
                          stderr: String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self))
    }
}

/// Every file under the folder (hidden ones included), by relative path, with its bytes: for
/// "the dataset is unchanged byte for byte".
public func snapshot(_ folder: String) -> [String: Data] {
    var files: [String: Data] = [:]
    let enumerator = FileManager.default.enumerator(atPath: folder)
    while let relative = enumerator?.nextObject() as? String {
        var isDirectory: ObjCBool = false
        let full = folder + "/" + relative
        if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue {
            files[relative] = FileManager.default.contents(atPath: full)
        }
    }
    return files
}

/// The repository's own folders, for tests that read the bundled city (geodata/) or the examples.
public enum Repository {
    /// The folder holding Package.swift.
    public static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}
