import CivicCore
import CivicTestSupport
import GeoEngine
import GeoValues
import Testing
@testable import CivicAnalysis

@Suite("Inputs: bad files are one clear error, --skip-invalid skips and counts")
struct InputsTests {
    let file = "entities.geojson"

    func collection(_ features: [String]) -> [UInt8] {
        Array(("{\"type\":\"FeatureCollection\",\"features\":[\n" + features.joined(separator: ",\n") + "\n]}\n").utf8)
    }

    func feature(_ id: Int, _ geometry: String) -> String {
        "{\"type\":\"Feature\",\"id\":\(id),\"properties\":{\"kind\":\"venue\",\"name\":\"Клуб\",\"themes\":[\"youth\"]},\"geometry\":\(geometry)}"
    }

    var good: String { feature(1, "{\"type\":\"Point\",\"coordinates\":[82.61,49.95]}") }
    var bowTie: String {
        feature(2, "{\"type\":\"Polygon\",\"coordinates\":[[[82.60,49.90],[82.62,49.92],[82.62,49.90],[82.60,49.92],[82.60,49.90]]]}")
    }
    var noGeometry: String { feature(3, "null") }

    @Test("an invalid polygon is an error naming the file and the feature")
    func invalidPolygon() throws {
        do {
            _ = try CoverageInputs.entities(in: collection([good, bowTie]), file: file, skipInvalid: false) { _ in }
            Issue.record("a bow-tie polygon was accepted")
        } catch let error as CivicError {
            let text = error.description
            #expect(text.contains(file) && text.contains("features[1]") && text.contains("id 2"), "\(text)")
            #expect(text.lowercased().contains("self-intersection"), "\(text)")
            #expect(!text.contains("\n"), "one line")
        }
    }

    @Test("a missing geometry is an error naming the feature")
    func missingGeometry() throws {
        #expect(throws: CivicError.self) {
            _ = try CoverageInputs.entities(in: collection([good, noGeometry]), file: file, skipInvalid: false) { _ in }
        }
    }

    @Test("--skip-invalid leaves both out with one warning each")
    func skip() throws {
        var warnings: [String] = []
        let result = try CoverageInputs.entities(in: collection([good, bowTie, noGeometry]), file: file,
                                                 skipInvalid: true) { warnings.append($0.description) }
        #expect(result.entities.map(\.id) == [.number(1)])
        #expect(result.skipped == 2 && warnings.count == 2, "\(warnings)")
        #expect(warnings.allSatisfy { $0.contains(file) })
    }

    // An entity without a kind used to be refused here too; issue 10 makes it unclassified
    // (LooseEntityTests), so a kind that is not text stands for the problems --skip-invalid never excuses.
    @Test("--skip-invalid does not excuse a broken file or a kind that is not text")
    func notExcused() throws {
        #expect(throws: CivicError.self) {
            _ = try CoverageInputs.entities(in: Array("{\"type\":\"FeatureCollection\",\"features\":[".utf8), file: file,
                                            skipInvalid: true) { _ in }
        }
        let numberKind = "{\"type\":\"Feature\",\"id\":4,\"properties\":{\"name\":\"x\",\"kind\":7},\"geometry\":{\"type\":\"Point\",\"coordinates\":[82.6,49.9]}}"
        #expect(throws: CivicError.self) {
            _ = try CoverageInputs.entities(in: collection([good, numberKind]), file: file, skipInvalid: true) { _ in }
        }
    }

    @Test("residents need a number population and a Point or Polygon")
    func residents() throws {
        let ok = "{\"type\":\"Feature\",\"properties\":{\"population\":12},\"geometry\":{\"type\":\"Point\",\"coordinates\":[82.6,49.9]}}"
        let text = "{\"type\":\"Feature\",\"properties\":{\"population\":\"many\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[82.6,49.9]}}"
        let line = "{\"type\":\"Feature\",\"properties\":{\"population\":3},\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[82.6,49.9],[82.7,49.9]]}}"
        #expect(try CoverageInputs.residents(in: collection([ok]), file: "p.geojson").map(\.count) == [12])
        for bad in [text, line] {
            do {
                _ = try CoverageInputs.residents(in: collection([ok, bad]), file: "p.geojson")
                Issue.record("accepted \(bad)")
            } catch let error as CivicError {
                #expect(error.description.contains("p.geojson") && error.description.contains("features[1]"), "\(error)")
            }
        }
    }
}
