import CivicCore
import CivicTestSupport
import Foundation
import Testing

/// `civic map --walk`: the walking reach is outlined (a dark line on a white casing) so that it
/// reads apart from the streets at A4, and the legend says what the outline is, in the map's language.
@Suite("civic map --walk: the walking reach's outline and its legend key")
struct MapWalkReachTests {
    static let walking = WalkAwayFromStreetsTests.walking

    @Test("the key's words in ru, kk and en, with the radius and the allowance asked for",
          arguments: [("ru", "Пешая доступность: 500\u{00A0}м по улицам и до 100\u{00A0}м от улицы"),
                      ("kk", "Жаяу қолжетімділік: көшелермен 500\u{00A0}м және көшеден 100\u{00A0}м дейін"),
                      ("en", "Walking reach: 500\u{00A0}m along the streets, up to 100\u{00A0}m off the street")])
    func legendKey(language: String, words: String) async throws {
        try await withTemporaryDirectory { folder in
            try WalkAwayFromStreetsTests().writeCity(to: folder)
            let result = try CivicBinary.run(["map"] + Self.walking + ["--language", language, "-o", "walk.svg"], in: folder)
            #expect(result.status == 0, "\(result.stderr)")
            let root = try parseXML(readText(folder.appendingPathComponent("walk.svg").path))
            let key = try #require(root.byID("legend-walk-reach"), "no key for the walking reach")
            // The words may wrap over lines; together they are the whole label.
            #expect(key.descendants("text").map(\.fullText).joined(separator: " ") == words)
            // The key is outlined as the reach is drawn.
            let reach = try #require(root.byID("walk-reach"), "no walking reach drawn")
            #expect(key.descendants("rect").map { $0["stroke"] } == reach.descendants("path").map { $0["stroke"] })
        }
    }

    @Test("the outline rings the club on the crossing and the group away from the streets; none in straight lines")
    func outline() async throws {
        try await withTemporaryDirectory { folder in
            try WalkAwayFromStreetsTests().writeCity(to: folder)
            let other = ["--radius", "300", "--off-street", "50"]
            let result = try CivicBinary.run(["map"] + Self.walking + other + ["--language", "en", "-o", "walk.svg"], in: folder)
            #expect(result.status == 0, "\(result.stderr)")
            let svg = readText(folder.appendingPathComponent("walk.svg").path)
            let root = try parseXML(svg)
            let paths = try #require(root.byID("walk-reach")).descendants("path")
            #expect(paths.count == 2 && paths[0]["d"] == paths[1]["d"])
            let rings = pathRings(try #require(paths.first?["d"]))
            // Two separate reaches: the club's cross of streets and the group's own disc of 50 m.
            #expect(rings.count == 2, "\(rings.count) rings")
            #expect(root.byID("legend-walk-reach")?.descendants("text").map(\.fullText).joined(separator: " ")
                    == "Walking reach: 300\u{00A0}m along the streets, up to 50\u{00A0}m off the street")
            let straight = try CivicBinary.run(["map", "--districts", "districts.geojson", "--entities", "entities.geojson",
                                                "-o", "straight.svg"], in: folder)
            #expect(straight.status == 0, "\(straight.stderr)")
            let text = readText(folder.appendingPathComponent("straight.svg").path)
            #expect(!text.contains("walk-reach"))
            // The web page draws it too, and lets the pointer through it to the districts.
            let page = try CivicBinary.run(["map"] + Self.walking + ["-o", "walk.html"], in: folder)
            #expect(page.status == 0, "\(page.stderr)")
            let html = readText(folder.appendingPathComponent("walk.html").path)
            #expect(html.contains("<g id=\"walk-reach\"") && html.contains("#walk-reach,"))
        }
    }

    /// The rings of SVG path data as civic writes it (`M x,y x,y … Z`), as lists of their points.
    func pathRings(_ d: String) -> [String] {
        d.split(separator: "M").map { String($0) }.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    }
}
