import CivicTestSupport
import Foundation
import Testing

typealias RunResult = ProgramRun

let productsDirectory = Programs.productsDirectory
let civicBinary = Programs.civic

/// The repository root (for the bundled dataset and the examples).
let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

let bundledDataset = repositoryRoot.appendingPathComponent("geodata/oskemen").path
let bundledDistricts = repositoryRoot.appendingPathComponent("geodata/oskemen/districts.geojson").path

/// Two streets of Oskemen as a loose `--network` file with OSM-shaped properties, for the walking
/// tests: улица Казахстан along 49.95° N from 82.57° to 82.63° E (node ids 1–3), and a footway
/// without ids or a name along 82.595° E that crosses it at its middle node by coordinates.
let twoStreets = """
    {"type":"FeatureCollection","features":[
    {"type":"Feature","properties":{"source":"osm:way/101","highway":"residential","name":"улица Казахстан","nodes":["1","2","3"]},"geometry":{"type":"LineString","coordinates":[[82.57,49.95],[82.595,49.95],[82.63,49.95]]}},
    {"type":"Feature","properties":{"source":"osm:way/102","highway":"footway","name":null},"geometry":{"type":"LineString","coordinates":[[82.595,49.94],[82.595,49.95],[82.595,49.96]]}}
    ]}
    """

/// Runs an executable with arguments, optional stdin and extra environment; waits for it.
@discardableResult
func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
         currentDirectory: String? = nil, input: Data? = nil) throws -> RunResult {
    try Programs.run(executable, arguments, environment: environment, currentDirectory: currentDirectory, input: input)
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

/// A new dataset made by `civic init` from the bundled districts, inside `folder`.
func makeDataset(in folder: String, name: String = "city") throws -> String {
    let path = folder + "/" + name
    let result = try civic("init", path, "--name", "Тест Өскемен", "--districts", bundledDistricts)
    #expect(result.status == 0, "civic init failed: \(result)")
    return path
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
