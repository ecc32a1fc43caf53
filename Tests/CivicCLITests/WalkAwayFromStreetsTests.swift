import CivicCore
import CivicTestSupport
import Foundation
import Testing

/// Every command that walks says, in the one wording of `coverage --walk`, how many selected
/// entities lie farther than the off-street allowance from every street.
@Suite("the away-from-streets warning of every walking command, run as a program")
struct WalkAwayFromStreetsTests {
    static let warning = "civic: warning: 1 selected entity lies farther than 100 m (--off-street) from every street"

    /// Two districts of Oskemen split at 82.60° E with residents; улица Казахстан along 49.95° N
    /// and a footway across it at 82.595° E. The club stands on the crossing; the courtyard group
    /// stands 0.0027° (300 m) north of улица Казахстан and 1.8 km east of the footway, so 300 m
    /// from every street.
    func writeCity(to folder: URL) throws {
        let districts = """
        {"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"id":"west","name":"Левобережный","population":12000},"geometry":{"type":"Polygon","coordinates":[[[82.56,49.93],[82.60,49.93],[82.60,49.97],[82.56,49.97],[82.56,49.93]]]}},
        {"type":"Feature","properties":{"id":"east","name":"Правобережный","population":9000},"geometry":{"type":"Polygon","coordinates":[[[82.60,49.93],[82.64,49.93],[82.64,49.97],[82.60,49.97],[82.60,49.93]]]}}
        ]}
        """
        let entities = """
        {"type":"FeatureCollection","features":[
        {"type":"Feature","id":"node/9001","properties":{"name":"Клуб «Ұлан»","kind":"venue","themes":["youth"],"status":"active"},"geometry":{"type":"Point","coordinates":[82.595,49.95]}},
        {"type":"Feature","id":"csv:dvory.csv#4","properties":{"name":"Совет дома, ул. Бажова 12","kind":"initiative_group","themes":["courtyards"],"status":null},"geometry":{"type":"Point","coordinates":[82.62,49.9527]}}
        ]}
        """
        for (name, text) in [("districts.geojson", districts), ("entities.geojson", entities), ("streets.geojson", twoStreets)] {
            try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
    }

    static let walking = ["--districts", "districts.geojson", "--entities", "entities.geojson",
                          "--walk", "--network", "streets.geojson"]

    /// The command's stderr, after checking it ran.
    func stderr(_ arguments: [String], in folder: URL) throws -> String {
        let result = try CivicBinary.run(arguments, in: folder)
        #expect(result.status == 0, "civic \(arguments.joined(separator: " ")): \(result.stderr)")
        return result.stderr
    }

    @Test("coverage, gaps, map and suggest --walk give the same one warning, with its hint, once")
    func sameWarningEverywhere() async throws {
        try await withTemporaryDirectory { folder in
            try writeCity(to: folder)
            let commands: [[String]] = [
                ["coverage"] + Self.walking,
                ["gaps"] + Self.walking + ["-o", "gaps.geojson"],
                ["map"] + Self.walking + ["-o", "map.svg"],
                ["map"] + Self.walking + ["--suggest", "1", "-o", "sites.html"],
                ["suggest"] + Self.walking + ["--count", "1"],
            ]
            let coverage = try stderr(commands[0], in: folder)
            let line = try #require(coverage.split(separator: "\n").first { $0.hasPrefix(Self.warning) },
                                    "coverage --walk: \(coverage)")
            for command in commands {
                let text = try stderr(command, in: folder)
                let lines = text.split(separator: "\n")
                #expect(lines.filter { $0 == line }.count == 1, "civic \(command[0]): \(text)")
                #expect(lines.contains("hint: a network that misses streets (a partial export) strands places; look at it with civic map --walk"),
                        "civic \(command[0]): \(text)")
            }
        }
    }

    @Test("an allowance that reaches the group (400 m) or straight lines: no warning")
    func noWarningWhenNear() async throws {
        try await withTemporaryDirectory { folder in
            try writeCity(to: folder)
            let near = ["--radius", "500", "--off-street", "400"]
            for command in [["gaps"] + Self.walking + near + ["-o", "gaps.geojson"],
                            ["suggest"] + Self.walking + near + ["--count", "1"],
                            ["gaps", "--districts", "districts.geojson", "--entities", "entities.geojson", "-o", "straight.geojson"],
                            ["suggest", "--districts", "districts.geojson", "--entities", "entities.geojson", "--count", "1"]] {
                let text = try stderr(command, in: folder)
                #expect(!text.contains("from every street"), "civic \(command.joined(separator: " ")): \(text)")
            }
            // 250 m is still short of the group: the warning names the allowance asked for.
            let short = try stderr(["gaps"] + Self.walking + ["--off-street", "250", "-o", "gaps.geojson"], in: folder)
            #expect(short.contains("civic: warning: 1 selected entity lies farther than 250 m (--off-street) from every street"), "\(short)")
        }
    }

    @Test("concerns summary --walk: one warning per theme with places away from the streets, the hint once")
    func concernsSummaryPerTheme() throws {
        let result = try civic("concerns", "summary", "--walk", "--dataset", bundledDataset)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        // Shapely, EPSG:32644: «Согринские мамы» 126 m and «Соседи 20-го микрорайона» 135 m from the
        // nearest drawn street; every other active entity within 100 m.
        #expect(lines.contains("civic: warning: theme courtyards: 2 selected entities lie farther than 100 m (--off-street) from every street: "
                               + "each covers its own surroundings within 100 m and reaches the streets at that cost"),
                "\(result.stderr)")
        #expect(lines.filter { $0.hasPrefix("hint: a network that misses streets") }.count == 1, "\(result.stderr)")
        let straight = try civic("concerns", "summary", "--dataset", bundledDataset)
        #expect(!straight.stderr.contains("from every street"), "\(straight.stderr)")
    }
}
