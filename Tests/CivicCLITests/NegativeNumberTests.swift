import CivicTestSupport
import Foundation
import Testing

/// Issue 10: `--lat -49.95`, `--radius -1` and `show -1` failed as "missing value" — the Southern
/// and Western hemispheres exist, and a wrong number deserves its own message.
@Suite("negative numbers on the command line")
struct NegativeNumberTests {
    @Test("a southern latitude reaches the rules: refused as outside the city, with the distance")
    func southernLatitude() throws {
        try withTemporaryDirectory { dir in
            let dataset = try makeSquareDataset(in: dir)
            let before = snapshot(dataset)
            let result = try civic("add", "--dataset", dataset, "--kind", "venue", "--name", "Южный", "--lat", "-49.95",
                                   "--lon", "82.60", "--theme", "culture")
            #expect(result.status == 1, "\(result)")
            #expect(result.stderrLines.first?.hasPrefix("civic: error: lat -49.95, lon 82.6 is ") == true, "\(result)")
            #expect(result.stderrLines.first?.contains("km outside every district") == true, "\(result)")
            #expect(!result.stderr.contains("Missing value"), "\(result)")
            #expect(snapshot(dataset) == before)
            // With --allow-outside the rules let it in, so the value was read as -49.95.
            let kept = try civic("add", "--dataset", dataset, "--kind", "venue", "--name", "Южный", "--lat", "-49.95",
                                 "--lon", "-82.60", "--theme", "culture", "--allow-outside")
            #expect(kept.status == 0 && kept.stdout == "1\n", "\(kept)")
            #expect(readText(dataset + "/entities.geojson").contains("\"coordinates\":[-82.6,-49.95]"))
            let moved = try civic("edit", "1", "--dataset", dataset, "--lat", "-33.87", "--lon", "-70.65", "--allow-outside")
            #expect(moved.status == 0, "\(moved)")
            #expect(readText(dataset + "/entities.geojson").contains("\"coordinates\":[-70.65,-33.87]"))
            let near = try civic("list", "--dataset", dataset, "--near", "-33.87,-70.65", "--within", "10", "--format", "csv")
            #expect(near.status == 0 && near.stdout.contains("Южный"), "\(near)")
        }
    }

    @Test("--radius -1 is refused as a radius, with exit 64, by every command that takes one",
          arguments: [["coverage"], ["gaps"], ["map", "-o", "m.svg"], ["init", "new", "--name", "N", "--districts", "$F"]])
    func negativeRadius(arguments: [String]) throws {
        try withTemporaryDirectory { dir in
            let dataset = try makeSquareDataset(in: dir)
            let before = snapshot(dataset)
            let result = try run(civicBinary, arguments.map { $0 == "$F" ? twoDistricts : $0 } + ["--radius", "-1"]
                                 + (arguments[0] == "init" ? [] : ["--dataset", dataset]), currentDirectory: dir)
            #expect(result.status == 64, "\(arguments): \(result)")
            let must = arguments[0] == "init" ? "a positive number of metres" : "0 or more metres"
            #expect(result.stderrLines.first == "civic: error: --radius -1: must be \(must)", "\(result)")
            #expect(snapshot(dataset) == before)
            #expect(!FileManager.default.fileExists(atPath: dir + "/new") && !FileManager.default.fileExists(atPath: dir + "/m.svg"))
        }
    }

    @Test("show -1, edit -1 and remove -1 say there is no entity -1, exit 1, and change nothing")
    func negativeIDs() throws {
        try withTemporaryDirectory { dir in
            let dataset = try makeSquareDataset(in: dir)
            _ = try addVenue(dataset)
            let before = snapshot(dataset)
            for arguments in [["show", "-1"], ["show", "--include-private", "-1", "--format", "json"],
                              ["edit", "-1", "--name", "Другое"], ["remove", "-1"]] {
                let result = try civic(arguments: arguments + ["--dataset", dataset])
                #expect(result.status == 1, "\(arguments): \(result)")
                #expect(result.stderrLines.first == "civic: error: no entity with id -1", "\(arguments): \(result)")
            }
            #expect(snapshot(dataset) == before)
            // The usual forms keep working around the id.
            let shown = try civic("show", "--dataset", dataset, "1", "--format", "json")
            #expect(shown.status == 0 && shown.stdout.contains("\"name\": \"Дом культуры\""), "\(shown)")
            let log = try civic("log", "--dataset", dataset, "--id", "-1")
            #expect(log.status == 0 && log.stdout.split(separator: "\n").count == 2, "only the header: \(log)")
            let limit = try civic("log", "--dataset", dataset, "--limit", "-1")
            #expect(limit.status == 64 && limit.stderr.contains("--limit -1: must be 0 or more"), "\(limit)")
        }
    }

    @Test("what the id leaves over is still a usage error, as ArgumentParser would say it")
    func usageErrorsAroundTheID() throws {
        try withTemporaryDirectory { dir in
            let dataset = try makeSquareDataset(in: dir)
            let cases: [([String], String)] = [
                (["show"], "Missing expected argument '<id>'"),
                (["show", "1", "--colour", "red"], "Unknown option '--colour'"),
                (["show", "1", "2"], "Unexpected argument '2'"),
                (["remove", "first"], "The value 'first' is invalid for '<id>'"),
                (["edit", "1.5", "--name", "X"], "The value '1.5' is invalid for '<id>'"),
            ]
            for (arguments, message) in cases {
                let result = try civic(arguments: arguments + ["--dataset", dataset])
                #expect(result.status == 64, "\(arguments): \(result)")
                #expect(result.stderrLines.first?.hasPrefix("civic: error: \(message)") == true, "\(arguments): \(result)")
                #expect(result.stderrLines.dropFirst().first?.hasPrefix("hint: ") == true, "\(arguments): \(result)")
            }
            let help = try civic("show", "--help")
            #expect(help.status == 0 && help.stdout.contains("USAGE: civic show <id> [<options>]"), "\(help)")
        }
    }
}
