import CivicTestSupport
import Foundation
import Testing

/// Every command that works for long, on a copy of the bundled city, with the arguments it needs.
private func longCommands(dataset: String, dir: String) -> [[String]] {
    let exported = repositoryRoot.appendingPathComponent("Tests/CivicImportTests/Fixtures/quoted-utf8.csv").path
    return [
        ["coverage", "--dataset", dataset],
        ["gaps", "--dataset", dataset],
        ["map", "--dataset", dataset, "-o", dir + "/map.svg"],
        ["validate", "--dataset", dataset],
        ["list", "--dataset", dataset],
        ["export", "entities", "--dataset", dataset, "-o", dir + "/entities.csv"],
        ["export", "all", "--dataset", dataset, "-o", dir + "/city.gpkg"],
        ["import", "csv", exported, "--dataset", dataset, "--dry-run"],
        ["import", "osm", repositoryRoot.appendingPathComponent("Tests/CivicImportTests/Fixtures/oskemen.osm").path,
         "--dataset", dataset, "--dry-run"],
    ]
}

@Suite("progress, --progress/--no-progress and --quiet on every long command")
struct ProgressOptionsTests {
    @Test("in a pipe nothing but messages by default; --progress forces named steps; --no-progress and --quiet silence them")
    func everyLongCommand() throws {
        try withTemporaryDirectory { (dir: String) in
            let city = dir + "/city"
            try copyDataset(bundledDataset, to: city)
            for arguments in longCommands(dataset: city, dir: dir) {
                let plain = try civic(arguments: arguments)
                #expect(plain.status == 0, "\(arguments): \(plain)")
                #expect(!plain.stderr.contains("\r"), "a pipe gets no progress unless asked: \(arguments)")

                let forced = try civic(arguments: arguments + ["--progress"])
                #expect(forced.status == 0 && forced.stdout == plain.stdout, "progress never touches the data: \(arguments)")
                #expect(forced.stderr.contains("\rcivic: reading "), "\(arguments): \(forced.stderr.debugDescription.prefix(300))")
                // Every progress line is cleared before the next message and at the end.
                let withoutProgress = forced.stderr
                    .replacingOccurrences(of: "\rcivic: [^\r\n]*…[^\r\n]*\u{1B}\\[K", with: "", options: .regularExpression)
                    .replacingOccurrences(of: "\r\u{1B}[K", with: "")
                #expect(withoutProgress == plain.stderr,
                        "\(arguments): the messages are those of a run without progress: \(withoutProgress.debugDescription.prefix(300))")

                let silent = try civic(arguments: arguments + ["--no-progress"])
                #expect(silent.status == 0 && silent.stderr == plain.stderr, "\(arguments)")

                let quiet = try civic(arguments: arguments + ["--quiet"])
                #expect(quiet.status == 0 && quiet.stderr.isEmpty && quiet.stdout == plain.stdout, "\(arguments): \(quiet)")
            }
        }
    }

    @Test("measuring names its step and counts up; --quiet keeps errors; --quiet with --progress is a usage error")
    func stepsAndErrors() throws {
        try withTemporaryDirectory { dir in
            let coverage = try civic("coverage", "--dataset", bundledDataset, "--progress")
            #expect(coverage.stderr.contains("\rcivic: measuring 14 districts… 0 %\u{1B}[K"), "\(coverage.stderr.debugDescription.prefix(300))")
            #expect(coverage.stderr.hasSuffix("\r\u{1B}[K") || coverage.stderr.contains("\r\u{1B}[Kcivic: "),
                    "the last progress line is cleared")

            let broken = dir + "/broken"
            try copyDataset(bundledDataset, to: broken)
            try writeText("{\"type\":\"FeatureCollection\",\"features\":[\n{\"type\":\"Feature\"}\n]}\n", to: broken + "/entities.geojson")
            let refused = try civic("validate", "--dataset", broken, "--quiet")
            #expect(refused.status == 1 && refused.stderr.hasPrefix("civic: error: "), "\(refused)")
            #expect(!refused.stderr.contains("civic: note:") && !refused.stderr.contains("civic: warning:"))

            // Lost Kazakh letters are warnings with a hint; --quiet leaves out both, the import still happens.
            let city = dir + "/city"
            try copyDataset(bundledDataset, to: city)
            let kazakh = repositoryRoot.appendingPathComponent("Tests/CivicImportTests/Fixtures/kazakh-cp1251.csv").path
            let warned = try civic("import", "csv", kazakh, "--dataset", city, "--encoding", "cp1251", "--dry-run")
            #expect(warned.stderr.contains("civic: warning: ") && warned.stderr.contains("hint: "), "\(warned)")
            let hushed = try civic("import", "csv", kazakh, "--dataset", city, "--encoding", "cp1251", "--quiet")
            #expect(hushed.status == 0 && hushed.stderr.isEmpty, "\(hushed)")
            #expect(readText(city + "/entities.geojson").contains("csv:kazakh-cp1251.csv#"))

            let both = try civic("list", "--dataset", bundledDataset, "--quiet", "--progress")
            #expect(both.status == 64 && both.stderr.contains("--quiet and --progress"), "\(both)")
        }
    }
}
