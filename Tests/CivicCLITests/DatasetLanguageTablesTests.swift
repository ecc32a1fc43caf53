import CivicTestSupport
import Foundation
import Testing
import CivicCore

@Suite("tables in the dataset's language; whole city or all districts")
struct DatasetLanguageTablesTests {
    @Test("coverage, gaps and list of a Kazakh city; a region's totals are all districts; loose files say so in English")
    func words() throws {
        try withTemporaryDirectory { dir in
            let city = dir + "/city"
            #expect(try civic("init", city, "--name", "Өскемен", "--language", "kk", "--districts", bundledDistricts).status == 0)
            #expect(try civic("add", "--dataset", city, "--kind", "venue", "--name", "Мәдениет үйі 🎭", "--lat", "49.9541",
                              "--lon", "82.6268", "--theme", "culture", "--status", "inactive").status == 0)
            #expect(try civic("add", "--dataset", city, "--kind", "community", "--name", "Би\u{0438}\u{0306}ск үйі",
                              "--lat", "49.9556", "--lon", "82.6221", "--theme", "youth").status == 0)
            let coverage = try civic("coverage", "--dataset", city)
            let lines = coverage.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first?.hasPrefix("аудан ") == true && lines.last?.hasPrefix("бүкіл қала ") == true, "\(coverage)")
            let list = try civic("list", "--dataset", city)
            #expect(list.stdout.hasPrefix("id  түрі") && list.stdout.contains("белсенді емес"), "\(list)")
            // The decomposed й and the emoji do not push their rows' columns out of line.
            let listLines = list.stdout.split(separator: "\n").map(String.init)
            let districtColumn = listLines.map { line in Tabular.displayWidth(String(line.prefix { $0 != "Ц" && $0 != "—" })) }
            #expect(Set(districtColumn.dropFirst(2)).count == 1, "\(list.stdout)")
            let gaps = try civic("gaps", "--dataset", city, "--format", "table")
            #expect(gaps.stdout.hasPrefix(" #  аудан"), "\(gaps)")

            let dryRun = try civic("import", "osm", repositoryRoot.appendingPathComponent("Tests/CivicImportTests/Fixtures/oskemen.osm").path,
                                   "--dataset", city, "--dry-run")
            #expect(dryRun.stdout.hasPrefix("қайдан") && dryRun.stdout.contains("толығырақ"), "\(dryRun)")

            let region = dir + "/region"
            #expect(try civic("init", region, "--name", "Өңір", "--city", "Восточно-Казахстанская область",
                              "--districts", bundledDistricts).status == 0)
            let regional = try civic("coverage", "--dataset", region)
            #expect(regional.stdout.split(separator: "\n").last?.hasPrefix("все районы ") == true, "\(regional)")

            let loose = try civic("coverage", "--districts", bundledDistricts, "--entities", city + "/entities.geojson")
            #expect(loose.stdout.split(separator: "\n").last?.hasPrefix("all districts ") == true, "\(loose)")
            let page = dir + "/map.html"
            #expect(try civic("map", "--districts", bundledDistricts, "--entities", city + "/entities.geojson", "-o", page).status == 0)
            // Loose files have no language of their own; the map speaks Russian by default.
            #expect(readText(page).contains("Все районы") && !readText(page).contains("Весь город"))
        }
    }
}
