import CivicTestSupport
import CivicCore
import Foundation
import GeoValues
import Testing

/// Errors raised while a test reads a fixture, so that `#require` failures say which file.
struct FixtureMissing: Error, CustomStringConvertible {
    let name: String
    var description: String { "fixture \(name) is not in the test bundle" }
}

/// The bytes of `Fixtures/<name>`.
func fixture(_ name: String) throws -> [UInt8] {
    guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures") else {
        throw FixtureMissing(name: name)
    }
    return Array(try Data(contentsOf: url))
}

/// The error `GeoJSONReader` raises for `text`, or nil when it reads.
func readFailure(_ text: String, file: String = "t.geojson") -> CivicError? {
    readFailure(Array(text.utf8), file: file)
}

func readFailure(_ bytes: [UInt8], file: String = "t.geojson") -> CivicError? {
    do {
        _ = try GeoJSONReader.features(in: bytes, file: file)
        return nil
    } catch {
        return error
    }
}

/// The error `JSON.parse` raises for `bytes`, or nil when it parses.
func parseFailure(_ bytes: [UInt8], file: String = "t.json") -> CivicError? {
    do {
        _ = try JSON.parse(bytes, file: file)
        return nil
    } catch {
        return error
    }
}

func parseFailure(_ text: String, file: String = "t.json") -> CivicError? {
    parseFailure(Array(text.utf8), file: file)
}

/// The parts of an error, for exact comparisons that say what differed.
struct ErrorShape: Equatable, CustomStringConvertible {
    var kind: String
    var file: String?
    var line: Int?
    var column: Int?
    var place: String?
    var field: String?

    var description: String {
        "\(kind)(file: \(file ?? "-"), line: \(line.map(String.init) ?? "-"), column: \(column.map(String.init) ?? "-"), place: \(place ?? "-"), field: \(field ?? "-"))"
    }

    static func syntax(_ file: String, line: Int, column: Int) -> ErrorShape {
        ErrorShape(kind: "syntax", file: file, line: line, column: column)
    }

    static func invalid(_ file: String, line: Int?, place: String, field: String?) -> ErrorShape {
        ErrorShape(kind: "invalid", file: file, line: line, place: place, field: field)
    }
}

extension CivicError {
    var shape: ErrorShape {
        switch self {
        case let .syntax(file, line, column, _, _):
            ErrorShape(kind: "syntax", file: file, line: line, column: column)
        case let .invalid(file, line, place, field, _, _):
            ErrorShape(kind: "invalid", file: file, line: line, place: place, field: field)
        case .refused:
            ErrorShape(kind: "refused")
        case let .io(path, _):
            ErrorShape(kind: "io", file: path)
        }
    }

    var reason: String {
        switch self {
        case let .syntax(_, _, _, reason, _), let .invalid(_, _, _, _, reason, _), let .refused(reason, _): reason
        case let .io(_, reason): reason
        }
    }
}

/// Checks an error's shape exactly and that its reason (and hint) mention what matters.
func expectError(_ error: CivicError?, _ shape: ErrorShape, reason: String, hint: String? = nil,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    guard let error else {
        Issue.record("expected \(shape), but it was accepted", sourceLocation: sourceLocation)
        return
    }
    #expect(error.shape == shape, "\(error)", sourceLocation: sourceLocation)
    #expect(error.reason.contains(reason), "reason «\(error.reason)» lacks «\(reason)»", sourceLocation: sourceLocation)
    if let hint {
        #expect(error.hint?.contains(hint) == true, "hint «\(error.hint ?? "none")» lacks «\(hint)»",
                sourceLocation: sourceLocation)
    }
}

/// A FeatureCollection of one line per feature, from the features' JSON texts.
func collection(_ features: String...) -> String {
    "{\"type\":\"FeatureCollection\",\"features\":[\n" + features.joined(separator: ",\n") + "\n]}\n"
}

/// A feature with the given id and geometry JSON, on one line.
func feature(id: String = "7", geometry: String, properties: String = "{\"name\":\"x\"}") -> String {
    "{\"type\":\"Feature\",\"id\":\(id),\"properties\":\(properties),\"geometry\":\(geometry)}"
}

/// Seconds taken by `body`.
func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = ContinuousClock.now
    try body()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}
