import CivicTestSupport
import Foundation
import Testing

/// The README's own commands run as written (issue 11): every shell block of "A volunteer's
/// workflow", on a fresh folder that holds the bundled data as the repository does, with `civic`
/// on PATH as the README installs it.
@Suite struct ReadmeCommandsTests {
    /// The shell commands of one README section, continuation lines joined, comments kept
    /// (bash ignores them).
    static func shellCommands(ofSection title: String) -> [String] {
        let readme = readText(repositoryRoot.appendingPathComponent("README.md").path)
        guard let start = readme.range(of: "\n## \(title)\n") else { return [] }
        let rest = readme[start.upperBound...]
        let section = rest.range(of: "\n## ").map { rest[..<$0.lowerBound] } ?? rest
        var commands: [String] = []
        var inShell = false
        var pending = ""
        for line in section.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("```") {
                inShell = !inShell && line == "```sh"
                continue
            }
            guard inShell, !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            if line.hasSuffix("\\") {
                pending += line.dropLast() + " "
            } else {
                commands.append(pending + line)
                pending = ""
            }
        }
        return commands
    }

    /// Commands that need what the repository does not ship: another city's file.
    static let needsFilesNotShipped = ["bezirksgrenzen.geojson"]

    @Test func theSectionHasTheCommandsThisTestRuns() {
        let commands = Self.shellCommands(ofSection: "A volunteer's workflow")
        #expect(commands.count >= 15, "\(commands)")
        #expect(commands.contains { $0.contains("--polygon examples/park.geojson") }, "\(commands)")
    }

    @Test func everyVolunteerWorkflowCommandRunsAsWritten() throws {
        let commands = Self.shellCommands(ofSection: "A volunteer's workflow")
            .filter { command in !Self.needsFilesNotShipped.contains { command.contains($0) } }
            .filter { command in !command.hasPrefix("ogr2ogr") || which("ogr2ogr") != nil }
        try withTemporaryDirectory { (folder: String) in
            let fileManager = FileManager.default
            for shipped in ["geodata", "examples"] {
                try fileManager.createSymbolicLink(atPath: folder + "/" + shipped,
                                                   withDestinationPath: repositoryRoot.appendingPathComponent(shipped).path)
            }
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
            for written in ["center.csv", "entities.geojson", "lighting.csv", "districts.geojson", "city.gpkg"] {
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
