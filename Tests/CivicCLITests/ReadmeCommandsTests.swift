import CivicTestSupport
import Foundation
import Testing

/// The README's own commands run as written (issue 11): every ```sh block of the README, section
/// after section in one shell (so `export CIVIC_DATASET=oskemen` of the volunteer's workflow holds
/// for the planner's and the map's commands, as for a reader going down the page), on a fresh
/// folder that holds the bundled data as the repository does, with `civic` on PATH as the README
/// installs it. A section added later (walking, suggestions, concerns) is run as soon as it has a
/// ```sh block. A block that cannot run here says so on the line before its fence:
/// `<!-- readme-test: skip: <why> -->` (installing packages, another city's files).
@Suite struct ReadmeCommandsTests {
    /// One ```sh block: the README section it is in, its commands (continuation lines joined,
    /// comments kept: bash ignores them) and, when marked, why it is not run.
    struct ShellBlock {
        var section: String
        var commands: [String]
        var skipReason: String?
    }

    static let skipMarker = "<!-- readme-test: skip:"

    /// Every ```sh block of the README, in order.
    static func shellBlocks() -> [ShellBlock] {
        let readme = readText(repositoryRoot.appendingPathComponent("README.md").path)
        var blocks: [ShellBlock] = []
        var section = ""
        var current: ShellBlock?
        var pending = ""
        var previous = ""
        for line in readme.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            defer { if !line.trimmingCharacters(in: .whitespaces).isEmpty { previous = line } }
            if current == nil && line.hasPrefix("## ") { section = String(line.dropFirst(3)) }
            if line.hasPrefix("```") {
                if let block = current {
                    blocks.append(block)
                    current = nil
                } else if line == "```sh" {
                    let reason = previous.hasPrefix(skipMarker)
                        ? previous.dropFirst(skipMarker.count).replacingOccurrences(of: "-->", with: "")
                            .trimmingCharacters(in: .whitespaces) : nil
                    current = ShellBlock(section: section, commands: [], skipReason: reason)
                } else {
                    // Another language's block (text, json): not shell; a placeholder that is never run.
                    current = ShellBlock(section: section, commands: [], skipReason: "not a shell block")
                }
                continue
            }
            guard current != nil, !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            if line.hasSuffix("\\") {
                pending += line.dropLast() + " "
            } else {
                current?.commands.append(pending + line)
                pending = ""
            }
        }
        return blocks.filter { $0.skipReason != "not a shell block" }
    }

    /// The shell commands of one README section that the test runs.
    static func shellCommands(ofSection title: String) -> [String] {
        shellBlocks().filter { $0.section == title && $0.skipReason == nil }.flatMap(\.commands)
    }

    /// The README's examples name the files a user has (a volunteers' sheet, an OSM export, a
    /// population file); the test gives each such name a real file of the same shape, from the
    /// tests' fixtures or made here.
    static func placeStandIns(in folder: String) throws {
        let fixtures = repositoryRoot.appendingPathComponent("Tests/CivicImportTests/Fixtures")
        let fileManager = FileManager.default
        for (name, fixture) in [("volunteers.csv", "volunteers-cp1251.csv"), ("oskemen.osm", "oskemen.osm"),
                                ("overpass.json", "oskemen-overpass.json"), ("mapping.json", "mapping.json"),
                                ("appeals.csv", "appeals-oskemen-cp1251.csv"),
                                ("east-kazakhstan.osm.pbf", "streets.osm.pbf")] {
            try fileManager.createSymbolicLink(atPath: folder + "/" + name,
                                               withDestinationPath: fixtures.appendingPathComponent(fixture).path)
        }
        try fileManager.createSymbolicLink(atPath: folder + "/d.geojson", withDestinationPath: bundledDistricts)
        try fileManager.createSymbolicLink(atPath: folder + "/e.geojson",
                                           withDestinationPath: repositoryRoot.appendingPathComponent("geodata/oskemen/entities.geojson").path)
        // A sheet that Excel saved as "Unicode text": UTF-16 with a byte-order mark, tabs between cells.
        let sheet = "name\tkind\tlat\tlon\tthemes\nСовет дома «Абая, 12»\tсообщество\t49,9512\t82,6105\tдворы\n"
        try (sheet.data(using: .utf16) ?? Data()).write(to: URL(fileURLWithPath: folder + "/sheet.txt"))
        // Residents as points with their count, inside three of the bundled districts.
        let residents = [(82.6268, 49.9541, 1200), (82.664, 49.977, 800), (82.628, 49.948, 450)].map { lon, lat, n in
            "{\"type\":\"Feature\",\"properties\":{\"population\":\(n)},\"geometry\":{\"type\":\"Point\",\"coordinates\":[\(lon),\(lat)]}}"
        }
        try writeText("{\"type\":\"FeatureCollection\",\"features\":[\n" + residents.joined(separator: ",\n") + "\n]}\n",
                      to: folder + "/residents.geojson")
    }

    /// How the test runs a README line that builds civic first: with the civic under test.
    static func asTested(_ command: String) -> String {
        command.replacingOccurrences(of: "swift run -c release civic ", with: "civic ")
    }

    @Test func theSectionHasTheCommandsThisTestRuns() {
        let commands = Self.shellCommands(ofSection: "A volunteer's workflow")
        #expect(commands.count >= 15, "\(commands)")
        #expect(commands.contains { $0.contains("--polygon examples/park.geojson") }, "\(commands)")
        let sections = Set(Self.shellBlocks().filter { $0.skipReason == nil }.map(\.section))
        for section in ["A volunteer's workflow", "Bringing in spreadsheets and OpenStreetMap",
                        "A planner's questions: coverage and gaps", "Maps"] {
            #expect(sections.contains(section), "\(section) has no block this test runs: \(sections)")
        }
    }

    @Test("every skipped block says why, and only blocks that cannot run here are skipped")
    func skippedBlocksSayWhy() {
        let skipped = Self.shellBlocks().filter { $0.skipReason != nil }
        #expect(skipped.allSatisfy { !($0.skipReason ?? "").isEmpty }, "\(skipped)")
        for block in skipped {
            let why = block.commands.contains { command in
                ["apt-get", "swift build", "swift test", "/usr/local/bin", "bezirk", "berlin", "Berlin"].contains { command.contains($0) }
            }
            #expect(why, "a skipped block that looks runnable: \(block.commands)")
        }
    }

    @Test func everyReadmeShellBlockRunsAsWritten() throws {
        let ogr2ogr = which("ogr2ogr"), rsvg = which("rsvg-convert")
        try #require(ogr2ogr != nil && rsvg != nil, "the README uses ogr2ogr and rsvg-convert (gdal-bin, librsvg2-bin; .ci/run installs them)")
        let commands = Self.shellBlocks().filter { $0.skipReason == nil }.flatMap(\.commands).map(Self.asTested)
        try withTemporaryDirectory { (folder: String) in
            let fileManager = FileManager.default
            for shipped in ["geodata", "examples"] {
                try fileManager.createSymbolicLink(atPath: folder + "/" + shipped,
                                                   withDestinationPath: repositoryRoot.appendingPathComponent(shipped).path)
            }
            try Self.placeStandIns(in: folder)
            let bin = folder + "/bin"
            try fileManager.createDirectory(atPath: bin, withIntermediateDirectories: true)
            try fileManager.createSymbolicLink(atPath: bin + "/civic", withDestinationPath: civicBinary)
            // One shell, so that `export CIVIC_DATASET=oskemen` holds for the commands after it;
            // `set -e` stops at the first command that fails, and the trap names it.
            let script = "set -euo pipefail\ntrap 'echo \"README command failed: $BASH_COMMAND\" >&2' ERR\n"
                + commands.joined(separator: "\n") + "\necho README-DONE\n"
            let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
            let result = try run("/bin/bash", ["-c", script], environment: ["PATH": bin + ":" + path],
                                 currentDirectory: folder)
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.hasSuffix("README-DONE\n"), "\(result)")
            // What the commands wrote is where the README says, and the park is an area in a district.
            for written in ["center.csv", "entities.geojson", "lighting.csv", "districts.geojson", "city.gpkg",
                            "all-entities.csv", "copy/entities.geojson", "entities-points/points.shp", "coverage.json",
                            "gaps.geojson", "oskemen.svg", "youth.html"] {
                #expect(fileManager.fileExists(atPath: folder + "/" + written), "\(written) missing: \(result)")
            }
            let park = try civic("show", "3", "--dataset", folder + "/oskemen")
            #expect(park.stdout.contains("Парк Дружбы") && park.stdout.contains("Polygon"), "\(park)")
            #expect(park.stdout.contains("district"), "\(park)")
        }
    }

    @Test func theReadmeMapCommandLeavesTheTrackedPictureAlone() {
        let readme = readText(repositoryRoot.appendingPathComponent("README.md").path)
        let writesTrackedMap = readme.split(separator: "\n").contains { line in
            line.contains("civic map") && line.contains("-o docs/")
        }
        #expect(!writesTrackedMap, "a README command overwrites a tracked file under docs/")
    }

    /// With no $CIVIC, the script takes the binary the README's first command built instead of
    /// building a second configuration in silence.
    @Test func theFirstSessionUsesTheBuiltReleaseBinary() throws {
        try withTemporaryDirectory { (folder: String) in
            let fileManager = FileManager.default
            let repository = folder + "/repo"
            try fileManager.createDirectory(atPath: repository + "/examples", withIntermediateDirectories: true)
            try fileManager.createDirectory(atPath: repository + "/.build/release", withIntermediateDirectories: true)
            try fileManager.copyItem(atPath: repositoryRoot.appendingPathComponent("examples/first-session.sh").path,
                                     toPath: repository + "/examples/first-session.sh")
            try fileManager.createSymbolicLink(atPath: repository + "/geodata",
                                               withDestinationPath: repositoryRoot.appendingPathComponent("geodata").path)
            try fileManager.createSymbolicLink(atPath: repository + "/.build/release/civic", withDestinationPath: civicBinary)
            // No `swift` on this PATH: a build attempt would fail the run.
            let result = try run("/bin/bash", [repository + "/examples/first-session.sh", folder + "/work"],
                                 environment: ["PATH": "/usr/bin:/bin", "CIVIC": ""])
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains("== done"), "\(result)")
            #expect(!result.stderr.contains("building"), "\(result)")
        }
    }
}
