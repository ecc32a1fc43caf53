import Foundation
import Testing

/// The result of one run of a built executable.
struct RunResult: CustomStringConvertible {
    var status: Int32
    var stdout: String
    var stderr: String

    var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
    var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
}

/// Where `swift build` put the products: beside the test bundle, whatever the scratch path.
let productsDirectory: URL = {
    var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    // On Linux the runner is `<products>/civicPackageTests.xctest`; walk up until `civic` is found.
    for _ in 0..<4 {
        if FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("civic").path) { return url }
        url.deleteLastPathComponent()
    }
    return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
}()

let civicBinary = productsDirectory.appendingPathComponent("civic").path

/// The repository root (for the bundled dataset and the examples).
let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

let bundledDataset = repositoryRoot.appendingPathComponent("geodata/oskemen").path
let bundledDistricts = repositoryRoot.appendingPathComponent("geodata/oskemen/districts.geojson").path

/// Runs an executable with arguments, optional stdin and extra environment; waits for it.
@discardableResult
func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
         currentDirectory: String? = nil, input: Data? = nil) throws -> RunResult {
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
    FileManager.default.createFile(atPath: outURL.path, contents: nil)
    FileManager.default.createFile(atPath: errURL.path, contents: nil)
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
    return RunResult(status: process.terminationStatus,
                     stdout: String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self),
                     stderr: String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self))
}

/// Runs `civic` with the arguments.
@discardableResult
func civic(_ arguments: String..., environment: [String: String] = [:], input: Data? = nil) throws -> RunResult {
    try run(civicBinary, arguments, environment: environment, input: input)
}

@discardableResult
func civic(arguments: [String], environment: [String: String] = [:]) throws -> RunResult {
    try run(civicBinary, arguments, environment: environment)
}

/// A fresh temporary folder for the body, removed afterwards.
func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("civic-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try body(url.path)
}

/// A new dataset made by `civic init` from the bundled districts, inside `folder`.
func makeDataset(in folder: String, name: String = "city") throws -> String {
    let path = folder + "/" + name
    let result = try civic("init", path, "--name", "Тест Өскемен", "--districts", bundledDistricts)
    #expect(result.status == 0, "civic init failed: \(result)")
    return path
}

/// Every file under the dataset, by relative path, with its bytes: for "unchanged byte for byte".
func snapshot(_ folder: String) throws -> [String: Data] {
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

func readText(_ path: String) -> String {
    String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
}

func writeText(_ text: String, to path: String) throws {
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
}

/// Whether a program is on PATH (for ogrinfo, which CI installs with gdal-bin).
func which(_ program: String) -> String? {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
        let path = "\(dir)/\(program)"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}
