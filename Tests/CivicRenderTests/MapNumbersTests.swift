@testable import CivicAnalysis
import CivicCore
import CivicTestSupport
import Foundation
import GeoEngine
import GeoValues
import Testing
@testable import CivicRender

/// Numbers people read on a map (legends, titles, labels, the page's tooltips) are grouped by
/// thousands in the map's language, as the tables group them.
@Suite("Numbers on maps, grouped in the map's language")
struct MapNumbersTests {
    static let nbsp = "\u{00A0}"

    @Test("MapWords.number groups four digits and more: 8 329 in Russian and Kazakh, 8,329 in English")
    func grouping() {
        for language in ["ru", "kk"] {
            let words = MapWords.of(language)
            #expect(words.number(8329) == "8\(Self.nbsp)329")
            #expect(words.number(1_816_704) == "1\(Self.nbsp)816\(Self.nbsp)704")
            #expect(words.number(999) == "999" && words.number(0) == "0")
            #expect(words.number(-5000) == "-5\(Self.nbsp)000")
            #expect(words.number(1234.5, decimals: 1) == "1\(Self.nbsp)234,5")
            #expect(words.area(5000) == "5\(Self.nbsp)000\(Self.nbsp)м²")
        }
        let english = MapWords.of("en")
        #expect(english.number(8329) == "8,329" && english.number(1_816_704) == "1,816,704")
        #expect(english.number(-5000) == "-5,000" && english.number(1234.5, decimals: 1) == "1,234.5")
        // The one grouping the tables use, with their thin space.
        #expect(TableWords.people(8329) == "8\u{2009}329" && TableWords.people(-1_816_704.4) == "-1\u{2009}816\u{2009}704")
        #expect(TableWords.grouped("123", separator: ",") == "123" && TableWords.grouped("1234", separator: ",") == "1,234")
    }

    /// A small city's map in `language` with one suggested site that adds 8,329 residents and one
    /// concern cell of 1,234 lighting concerns.
    func map(_ language: String) async throws -> CivicMap {
        let city = try SyntheticCity(columns: 4, rows: 3, entities: 60)
        var spec = try await city.spec(language: language)
        let inside = try #require(spec.measured.districts.first?.geometry.boundingBox?.center)
        spec.suggestedSites = [SuggestedSite(rank: 1, id: nil, position: inside, gain: 8329.4, districtID: spec.measured.districts[0].id)]
        let zone = 32644
        let transform = try CoordinateTransform(from: "EPSG:4326", to: "EPSG:\(zone)")
        let centre = try transform.forward([inside])[0]
        let column = Int((centre.x / 250).rounded(.down)), row = Int((centre.y / 250).rounded(.down))
        let corners = try transform.inverse([Position(x: Double(column) * 250, y: Double(row) * 250),
                                        Position(x: Double(column + 1) * 250, y: Double(row) * 250),
                                        Position(x: Double(column + 1) * 250, y: Double(row + 1) * 250),
                                        Position(x: Double(column) * 250, y: Double(row + 1) * 250)])
        spec.concernCells = [ConcernCell(districtID: spec.measured.districts[0].id, districtName: spec.measured.districts[0].name,
                                         theme: "lighting", epsg: zone, column: column, row: row, concerns: 1234, open: 1000,
                                         centre: inside, square: Polygon(outerRing: corners + [corners[0]]))]
        return try CivicMap(spec)
    }

    @Test("the SVG's legend, labels and titles: the site's gain, the concerns' count, the city's residents",
          arguments: [("ru", "8\u{00A0}329", "1\u{00A0}234"), ("kk", "8\u{00A0}329", "1\u{00A0}234"), ("en", "8,329", "1,234")])
    func svgNumbers(language: String, gain: String, concerns: String) async throws {
        let map = try await map(language)
        let root = try parseXML(map.svg())
        let texts = root.all.filter { $0.name == "text" || $0.name == "title" }.map(\.fullText)
        #expect(texts.contains { $0.contains("1 — +\(gain) ") }, "\(texts)")
        #expect(root.byID("concern-counts")?.descendants("text").first?.fullText == concerns)
        #expect(root.byID("concerns")?.descendants("title").first?.fullText.hasSuffix(": \(concerns)") == true)
        // No run of four digits or more is left ungrouped anywhere a reader looks, but the date.
        let ungrouped = try Regex("[0-9]{4,}")
        for element in root.all where element.name == "text" || element.name == "title" || element.name == "tspan" {
            // A CRS's code is a name, not a quantity.
            let text = element.fullText.replacing(try Regex("EPSG:[0-9]+"), with: "EPSG")
            if element["id"] == "date" || text.contains(map.words.date("2026-11-25")) { continue }
            #expect(text.firstMatch(of: ungrouped) == nil, "ungrouped number in <\(element.name)>: \(text)")
        }
        // The districts' details for the page's tooltips, as read there.
        for path in root.byID("districts")?.descendants("path") ?? [] {
            for key in ["data-pop", "data-p", "data-e"] {
                if let value = path[key] { #expect(value.firstMatch(of: ungrouped) == nil, "\(key)=\(value)") }
            }
        }
    }

    @Test("the web page: the legend's gain grouped, and the separators the page hands its script are MapWords'",
          arguments: ["ru", "kk", "en"])
    func htmlNumbers(language: String) async throws {
        let html = try await map(language).html()
        let words = MapWords.of(language)
        #expect(html.contains("1 — +\(words.number(8329)) "), "no grouped gain in the page")
        #expect(html.contains("\"decimal\":\"\(words.decimalSeparator)\"") && html.contains("\"group\":\"\(words.groupSeparator)\""))
        #expect(!html.contains("groupFrom"))
    }

    @Test("the page's script writes numbers (tooltips, the count shown, the scale bar) as MapWords.number does",
          .enabled(if: nodeExecutable != nil, "needs node on the PATH"), arguments: ["ru", "kk", "en"])
    func scriptNumbers(language: String) throws {
        let words = MapWords.of(language)
        let node = try #require(nodeExecutable)
        // The script's own fmt, given the page's separators.
        let script = CivicMap.script
        let start = try #require(script.range(of: "function fmt("))
        let end = try #require(script.range(of: "function length(", range: start.upperBound..<script.endIndex))
        let fmt = String(script[start.lowerBound..<end.lowerBound])
        let values: [(Double, Int)] = [(8329, 0), (1_816_704, 0), (999, 0), (-5000, 0), (1234.5, 1), (17.4, 1)]
        let separators = try #require(String(data: try JSONSerialization.data(withJSONObject: [
            "decimal": words.decimalSeparator, "group": words.groupSeparator]), encoding: .utf8))
        let program = """
        var D = \(separators);
        \(fmt)
        console.log(JSON.stringify([\(values.map { "fmt(\($0.0), \($0.1))" }.joined(separator: ", "))]));
        """
        try withTemporaryDirectory { folder in
            let file = folder + "/fmt.js"
            try program.write(toFile: file, atomically: true, encoding: .utf8)
            let run = try Programs.run(node, [file])
            #expect(run.status == 0, "\(run)")
            let printed = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String], "\(run)")
            #expect(printed == values.map { words.number($0.0, decimals: $0.1) })
        }
    }
}
