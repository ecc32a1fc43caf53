import CivicTestSupport
import Foundation
import Testing

/// DESIGN §4: one format for every message — `civic: error: <where>: <what>`, then `hint: …`;
/// `civic: warning: <where>: <what>`; summaries as `civic: …`.
@Suite("one diagnostics format")
struct DiagnosticsTests {
    let badRows = repositoryRoot.appendingPathComponent("Tests/CivicImportTests/Fixtures/bad-rows.csv").path

    @Test("a refused import: each row as an error naming the file and line first, each hint on its own line")
    func refusedImport() throws {
        try withTemporaryDirectory { dir in
            let dataset = try makeDataset(in: dir)
            let result = try run(civicBinary, ["import", "csv", "bad-rows.csv", "--dataset", dataset],
                                 currentDirectory: (badRows as NSString).deletingLastPathComponent)
            #expect(result.status == 1, "\(result)")
            for line in result.stderrLines {
                #expect(line.hasPrefix("civic: error: bad-rows.csv:") || line.hasPrefix("hint: "), "\(line)")
            }
            #expect(result.stderrLines.contains("civic: error: bad-rows.csv:5: latitude '49.9x' is not a number"))
            #expect(result.stderrLines.contains("civic: error: bad-rows.csv: 7 of 10 rows refused; nothing was imported"))
        }
    }

    @Test("skipped rows are warnings with the place first and what was done last")
    func skippedRowsAreWarnings() throws {
        try withTemporaryDirectory { dir in
            let dataset = try makeDataset(in: dir)
            let result = try run(civicBinary, ["import", "csv", "bad-rows.csv", "--dataset", dataset, "--skip-invalid"],
                                 currentDirectory: (badRows as NSString).deletingLastPathComponent)
            #expect(result.status == 0, "\(result)")
            let warnings = result.stderrLines.filter { $0.hasPrefix("civic: warning: ") }
            #expect(warnings.count == 7, "\(result)")
            for warning in warnings {
                #expect(warning.hasPrefix("civic: warning: bad-rows.csv:") && warning.hasSuffix("; skipped"), "\(warning)")
            }
            #expect(warnings.contains("civic: warning: bad-rows.csv:5: latitude '49.9x' is not a number; skipped"))
            #expect(result.stderrLines.contains("hint: expected a decimal number such as 49.9512"), "\(result)")
            #expect(result.stderrLines.last == "civic: imported bad-rows.csv: 3 added, 0 updated, 0 unchanged, 7 skipped (7 invalid)",
                    "\(result)")
            for line in result.stderrLines {
                #expect(line.hasPrefix("civic: warning: ") || line.hasPrefix("hint: ") || line.hasPrefix("civic: imported "),
                        "\(line)")
            }
        }
    }

    @Test("usage errors: one error line and a hint to the help, exit 64; help itself goes to stdout, exit 0")
    func usageErrors() throws {
        let wrong = try civic("coverage", "--sort", "colour", "--districts", "a", "--entities", "b")
        #expect(wrong.status == 64, "\(wrong)")
        #expect(wrong.stderrLines.count == 2 && wrong.stderrLines[0].hasPrefix("civic: error: ")
                && wrong.stderrLines[1] == "hint: see 'civic help' or 'civic <command> --help'", "\(wrong)")
        let help = try civic("coverage", "--help")
        #expect(help.status == 0 && help.stderr.isEmpty && help.stdout.contains("USAGE: civic coverage"), "\(help)")
    }

    @Test("data refused is exit 1 with the file named and no usage hint")
    func refusedDataHasNoUsageHint() throws {
        try withTemporaryDirectory { dir in
            let result = try civic("coverage", "--districts", dir + "/missing.geojson", "--entities", dir + "/e.geojson")
            #expect(result.status == 1, "\(result)")
            #expect(result.stderrLines == ["civic: error: \(dir)/missing.geojson: no such file"], "\(result)")
        }
    }
}
