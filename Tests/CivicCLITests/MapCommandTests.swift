import CivicTestSupport
import Foundation
import Testing

/// `civic` run in `folder` as a user would, on a fixed day (`SOURCE_DATE_EPOCH`), so the map's date is known.
func runCivic(_ arguments: [String], in folder: String) throws -> ProgramRun {
    try Programs.run(Programs.civic, arguments, environment: ["SOURCE_DATE_EPOCH": "1795564800"],  // 2026-11-25
                     currentDirectory: folder)
}

@Suite("civic map, run as a user would")
struct MapCommandTests {
    @Test("writes the bundled city as SVG and as a web page")
    func endToEnd() throws {
        try withTemporaryDirectory { folder in
            let dataset = repositoryRoot.appendingPathComponent("geodata/oskemen").path
            let svg = try runCivic(["map", "--dataset", dataset, "-o", "x.svg"], in: folder)
            #expect(svg.status == 0, "\(svg)")
            #expect(svg.stdout.isEmpty, "data goes to the file, nothing to stdout")
            let text = try String(contentsOf: URL(fileURLWithPath: folder + "/x.svg"), encoding: .utf8)
            let root = try parseXML(text)
            #expect(root.byID("districts")?.descendants("path").count == 14)
            #expect(root.byID("title")?.fullText == "Гражданское пространство Өскемен")
            #expect(root.byID("date")?.fullText == "25.11.2026")
            #expect(root["civic:crs"] == "EPSG:32644")
            // The worst districts as a table a planner reads out: name, covered share, residents left out.
            let table = try #require(root.byID("ranking"), "no table of the worst districts")
            #expect(table.byID("ranking-head")?.descendants("text").map(\.fullText) == ["Район", "Охват", "Вне охвата"])
            #expect(table.children.filter { $0.name == "g" && $0["id"] == nil }.allSatisfy { $0.descendants("text").count == 3 })
            // A city of a few dozen entities has nothing to cluster, and nothing lies off the map.
            #expect(root.byID("clusters")?.children.isEmpty == true && root.byID("legend-outside") == nil)

            let html = try runCivic(["map", "--dataset", dataset, "--language", "kk", "--theme", "youth",
                                     "-o", "x.html"], in: folder)
            #expect(html.status == 0, "\(html)")
            let page = try String(contentsOf: URL(fileURLWithPath: folder + "/x.html"), encoding: .utf8)
            #expect(page.contains("<html lang=\"kk\">") && page.contains("тақырыптар: жастар"))
            #expect(externalLoads(in: page) == [])
            // Every district in the sortable table beside the map.
            #expect(page.components(separatedBy: "<tr data-id=").count - 1 == 14)
        }
    }

    @Test("refuses a file name that is neither .svg nor .html, with exit 64")
    func wrongExtension() throws {
        try withTemporaryDirectory { folder in
            let dataset = repositoryRoot.appendingPathComponent("geodata/oskemen").path
            let result = try runCivic(["map", "--dataset", dataset, "-o", "x.png"], in: folder)
            #expect(result.status == 64, "\(result)")
            #expect(result.stderr.contains("civic: error:") && result.stderr.contains(".svg or .html"))
            #expect(!FileManager.default.fileExists(atPath: folder + "/x.png"))
            let size = try runCivic(["map", "--dataset", dataset, "--size", "b5", "-o", "x.svg"], in: folder)
            #expect(size.status == 64 && size.stderr.contains("--size b5"), "\(size)")
        }
    }
}
