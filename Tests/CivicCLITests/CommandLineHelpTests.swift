import CivicTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The command line around the commands (issue 11): a missing or unknown command is a usage error,
/// help promises only the formats a command writes, and a held lock is announced.
@Suite struct CommandLineHelpTests {
    @Test func noCommandPrintsTheOverviewOnStderrAndExits64() throws {
        let result = try civic(arguments: [])
        #expect(result.status == 64, "\(result)")
        #expect(result.stdout.isEmpty, "stdout carries data only: \(result)")
        #expect(result.stderr.contains("SUBCOMMANDS:") && result.stderr.contains("coverage"), "\(result)")
        #expect(result.stderrLines.contains("civic: error: no command given"), "\(result)")
    }

    @Test func helpOfAnUnknownCommandIsAUsageErrorListingTheCommands() throws {
        let result = try civic("help", "nonsense")
        #expect(result.status == 64, "\(result)")
        #expect(result.stdout.isEmpty, "\(result)")
        #expect(result.stderrLines.first == "civic: error: help: unknown command 'nonsense'", "\(result)")
        #expect(result.stderr.contains("hint: the commands are: init, add, edit"), "\(result)")

        let nested = try civic("help", "import", "xlsx")
        #expect(nested.status == 64, "\(nested)")
        #expect(nested.stderr.contains("unknown command 'xlsx'") && nested.stderr.contains("csv, osm"), "\(nested)")
    }

    @Test func helpOfRealCommandsStillSucceeds() throws {
        for words in [["help"], ["help", "coverage"], ["help", "import", "csv"], ["--help"]] {
            let result = try civic(arguments: words)
            #expect(result.status == 0, "\(words): \(result)")
            #expect(result.stdout.contains("USAGE:"), "\(words): \(result)")
        }
    }

    /// The `--format` line of a command's help, joined across its wrapped lines.
    func formatHelp(_ command: String) throws -> String {
        let help = try civic(command, "--help").stdout
        let lines = help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(where: { $0.hasPrefix("  --format") }) else { return "" }
        var text = lines[start]
        for line in lines[(start + 1)...] {
            guard line.hasPrefix("                        ") else { break }
            text += " " + line.trimmingCharacters(in: .whitespaces)
        }
        return text
    }

    @Test(arguments: [
        ("show", "(values: table, json, geojson; default: table)"),
        ("log", "(values: table, json)"),
        ("export", "(values: geojson, csv)"),
        ("gaps", "(values: geojson, table, csv)"),
        ("list", "(values: table, json, csv, geojson)"),
        ("coverage", "(values: table, json, csv, geojson)"),
        ("suggest", "(values: table, json, geojson)"),
    ])
    func formatHelpListsOnlyWhatTheCommandWrites(command: String, values: String) throws {
        let help = try formatHelp(command)
        #expect(help.hasSuffix(values), "\(command): \(help)")
    }

    @Test func exportHelpNamesItsRealDefault() throws {
        let help = try formatHelp("export")
        #expect(help.contains("else geojson") && !help.contains("else table"), "\(help)")
    }

    /// Every format the help offers is one the command takes: none is refused as "not offered".
    @Test func everyOfferedFormatIsAccepted() throws {
        try withTemporaryDirectory { (folder: String) in
            let dataset = try makeDataset(in: folder)
            _ = try civic("add", "--dataset", dataset, "--kind", "venue", "--name", "Дворец спорта",
                          "--theme", "youth", "--lat", "49.948", "--lon", "82.628")
            for format in ["table", "json", "geojson"] {
                let result = try civic("show", "1", "--dataset", dataset, "--format", format)
                #expect(result.status == 0, "show --format \(format): \(result)")
            }
            for format in ["table", "json"] {
                let result = try civic("log", "--dataset", dataset, "--format", format)
                #expect(result.status == 0, "log --format \(format): \(result)")
            }
        }
    }

    @Test func helpPointsAtDefinitionsThatExist() throws {
        let help = try civic("coverage", "--help").stdout
        #expect(!help.contains("DESIGN"), "the design notes are not shipped: \(help)")
        #expect(help.contains("docs/coverage.md"), "\(help)")
        let page = readText(repositoryRoot.appendingPathComponent("docs/coverage.md").path)
        for term in ["covered_m2", "area_m2", "covered_share", "covered_population", "--radius", "walking"] {
            #expect(page.contains(term), "docs/coverage.md does not define \(term)")
        }
    }

    /// A command that finds the lock held says so once on stderr, waits, and then succeeds.
    /// No timing: the test holds the lock until it has read the message from the child's stderr.
    @Test func aHeldLockIsAnnouncedOnceAndWaitedFor() throws {
        try withTemporaryDirectory { (folder: String) in
            let dataset = try makeDataset(in: folder)
            let lockFD = open(dataset + "/.civic.lock", O_RDWR | O_CREAT, 0o644)
            #expect(lockFD >= 0)
            #expect(flock(lockFD, LOCK_EX) == 0)

            let process = Process()
            process.executableURL = URL(fileURLWithPath: civicBinary)
            process.arguments = ["add", "--dataset", dataset, "--kind", "venue", "--name", "Библиотека",
                                 "--theme", "culture", "--lat", "49.948", "--lon", "82.628"]
            let errPipe = Pipe(), outPipe = Pipe()
            process.standardError = errPipe
            process.standardOutput = outPipe
            try process.run()
            // Blocks until the child writes its first message, which must be the wait.
            var seen = Data()
            while !seen.contains(UInt8(ascii: "\n")) {
                let chunk = errPipe.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                seen.append(chunk)
            }
            let first = String(decoding: seen, as: UTF8.self)
            flock(lockFD, LOCK_UN)
            close(lockFD)
            let rest = errPipe.fileHandleForReading.readDataToEndOfFile()
            let id = outPipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            let stderr = first + String(decoding: rest, as: UTF8.self)
            #expect(first.hasPrefix("civic: waiting for another civic command to finish…\n"), "\(stderr)")
            #expect(stderr.components(separatedBy: "waiting for another").count == 2, "said once: \(stderr)")
            #expect(process.terminationStatus == 0, "\(stderr)")
            #expect(String(decoding: id, as: UTF8.self) == "1\n")
        }
    }

    @Test func aFreeLockIsNotAnnounced() throws {
        try withTemporaryDirectory { (folder: String) in
            let dataset = try makeDataset(in: folder)
            let result = try civic("list", "--dataset", dataset)
            #expect(result.status == 0 && !result.stderr.contains("waiting"), "\(result)")
        }
    }
}
