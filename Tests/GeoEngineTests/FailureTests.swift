import Foundation
@testable import GeoEngine
import GeoValues
import Testing

@Suite("Library failures are thrown with the library's own words")
struct FailureTests {
    /// What GEOS 3.11 raises when a buffer's coordinates overflow to infinity.
    static let overflow = "IllegalArgumentException: CGAlgorithmsDD::orientationIndex encountered NaN/Inf numbers"

    @Test("a GEOS exception comes back as a thrown error carrying GEOS's message; the context lives on")
    func geosExceptionIsThrown() throws {
        let context = try GeometryContext()
        let square = try context.make(square(x: 0, y: 0, side: 100))
        // A buffer of 1e308 m overflows every coordinate to infinity, which GEOS refuses.
        let error = #expect(throws: GeoEngineError.self) { try square.buffer(1e308) }
        #expect(error == GeoEngineError(operation: "GEOS buffer", messages: [Self.overflow]),
                "\(String(describing: error))")
        // The context keeps working, and the next failure carries only its own message.
        #expect(try square.buffer(10).area > 10_000)
        let again = #expect(throws: GeoEngineError.self) { try square.buffer(1e308, quadrantSegments: 4) }
        #expect(again?.messages == [Self.overflow], "\(String(describing: again))")
    }

    @Test("a GEOS failure during the validity check is thrown, never reported as an invalid geometry")
    func validityFailureIsThrown() throws {
        let context = try GeometryContext()
        let district = try context.make(square(x: 0, y: 0, side: 100))
        // GEOS 3.11's validity check raises only when memory runs out, so the test stands in for
        // GEOS: its handler receives the message, and the check returns 2 (exception).
        context.log.errors.append(Self.overflow)
        let error = #expect(throws: GeoEngineError.self) {
            try district.validity(checkResult: 2, reason: nil, location: nil)
        }
        #expect(error?.description == "GEOS validity check failed: \(Self.overflow)")
        // The same handle, checked for real, is valid, and the message was not kept for later.
        #expect(try district.validity() == .valid)
        #expect(context.log.errors.isEmpty)
    }

    @Test("PROJ's log from a successful call is not attached to a later failure")
    func projLogOfSuccessStaysBehind() throws {
        // PROJ 9.1 creates this transformation (it returns a PJ) but logs, twice, that the grid is
        // missing and the pipeline step bad; every transform with it then fails.
        let transform = try CoordinateTransform(
            from: "EPSG:4326", to: "+proj=utm +zone=44 +ellps=WGS84 +nadgrids=civic-no-such-grid.gsb")
        let error = #expect(throws: GeoEngineError.self) {
            try transform.forward([Position(lon: 82.6, lat: 49.95)])
        }
        let messages = error?.messages ?? []
        #expect(!messages.contains { $0.contains("grid") || $0.contains("Bad step") },
                "the creation's log leaked into the transform's error: \(messages)")
        #expect(messages.last == "position 0 (82.6, 49.95) could not be transformed", "\(messages)")
        #expect(error?.operation.hasPrefix("PROJ forward transform") == true)
    }

    @Test("a PROJ failure after another carries only its own messages")
    func projFailuresDoNotAccumulate() throws {
        let transform = try CoordinateTransform(from: "EPSG:4326", to: "EPSG:32644")
        let first = #expect(throws: GeoEngineError.self) { try transform.forward([Position(lon: 82.6, lat: 95)]) }
        #expect(try transform.forward([Position(lon: 82.6, lat: 49.95)]).count == 1)
        let second = #expect(throws: GeoEngineError.self) { try transform.forward([Position(lon: 82.6, lat: -96)]) }
        #expect(first?.messages == ["utm: Invalid latitude", "Invalid coordinate",
                                    "position 0 (82.6, 95.0) could not be transformed"], "\(String(describing: first))")
        #expect(second?.messages == ["utm: Invalid latitude", "Invalid coordinate",
                                     "position 0 (82.6, -96.0) could not be transformed"], "\(String(describing: second))")
    }

    @Test("no fatalError is left in Sources: a library failure never aborts the process")
    func noFatalErrorInSources() throws {
        let sources = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources")
        let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
        #expect(files.count > 20, "found only \(files.count) Swift files under \(sources.path)")
        var offenders: [String] = []
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where line.contains("fatalError(") {
                offenders.append("\(file.lastPathComponent):\(n + 1): \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
        #expect(offenders.isEmpty, "\(offenders.joined(separator: "\n"))")
    }
}
