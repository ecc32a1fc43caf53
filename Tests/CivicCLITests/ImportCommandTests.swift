import CivicTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The import fixtures live beside the import tests; the CLI tests hand them to the binary by path.
let importFixtures = repositoryRoot.appendingPathComponent("Tests/CivicImportTests/Fixtures").path

/// Rows inside the bundled city's districts, as a volunteer's sheet has them.
private let volunteersCSV = """
name;kind;lat;lon;themes
Совет дома Бажова 5;community;49,9705;82,6405;courtyards
Клуб «Ветеран»;community;49,9561;82,6152;elderly

"""

@Suite("import: reading what users hand it")
struct ImportInputTests {
    @Test("a CSV piped to /dev/stdin is read to its end, and its source says stdin")
    func csvFromStandardInput() throws {
        try withTemporaryDirectory { dir in
            let path = try makeDataset(in: dir)
            let result = try civic("import", "csv", "/dev/stdin", "--dataset", path, input: Data(volunteersCSV.utf8))
            #expect(result.status == 0, "\(result)")
            #expect(result.stderr.contains("imported /dev/stdin: 2 added"), "\(result)")
            let list = try civic("list", "--dataset", path, "--format", "csv")
            #expect(list.stdout.contains("csv:stdin#2"), "\(list)")
        }
    }

    @Test("bash's <(…) hands civic a pipe (/dev/fd/63): it is read, not refused", .enabled(if: which("bash") != nil))
    func csvFromProcessSubstitution() throws {
        try withTemporaryDirectory { dir in
            let path = try makeDataset(in: dir)
            try writeText(volunteersCSV, to: dir + "/v.csv")
            let script = "\"$0\" import csv <(cat \"$1\") --dataset \"$2\""
            let result = try run(try #require(which("bash")), ["-c", script, civicBinary, dir + "/v.csv", path])
            #expect(result.status == 0, "\(result)")
            #expect(result.stderr.contains(": 2 added, 0 updated"), "\(result)")
        }
    }

    @Test("a FIFO is read until its writer closes it")
    func csvFromAFIFO() throws {
        try withTemporaryDirectory { dir in
            let path = try makeDataset(in: dir)
            let fifo = dir + "/rows.csv"
            #expect(mkfifo(fifo, 0o600) == 0)
            let writer = Thread {
                // Blocks until civic opens the FIFO for reading (or the test does, below).
                // A failed open leaves civic waiting for nothing: the test's expectations below fail.
                let fd = open(fifo, O_WRONLY)
                if fd >= 0 {
                    let bytes = Array(volunteersCSV.utf8)
                    _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                    close(fd)
                }
            }
            writer.start()
            let result = try civic("import", "csv", fifo, "--dataset", path)
            // Should civic have failed before opening it, this open frees the writer.
            let unblock = open(fifo, O_RDONLY | O_NONBLOCK)
            if unblock >= 0 { close(unblock) }
            #expect(result.status == 0, "\(result)")
            #expect(result.stderr.contains("rows.csv: 2 added"), "\(result)")
        }
    }

    @Test("a file that cannot be read says why, in the system's words")
    func readErrorsSayWhy() throws {
        try withTemporaryDirectory { dir in
            let path = try makeDataset(in: dir)
            try writeText(volunteersCSV, to: dir + "/v.csv")
            let notADirectory = try civic("import", "csv", dir + "/v.csv/rows.csv", "--dataset", path)
            #expect(notADirectory.status == 1)
            #expect(notADirectory.stderr.contains("v.csv/rows.csv: cannot open: Not a directory"), "\(notADirectory)")
            let folder = try civic("import", "csv", dir, "--dataset", path)
            #expect(folder.status == 1 && folder.stderr.contains("is a folder, not a file"), "\(folder)")
            let missing = try civic("import", "osm", dir + "/none.osm", "--dataset", path)
            #expect(missing.status == 1 && missing.stderr.contains("none.osm: no such file"), "\(missing)")
        }
    }

    @Test("a read the permissions forbid names the reason", .enabled(if: getuid() != 0, "root reads any file"))
    func permissionDenied() throws {
        try withTemporaryDirectory { dir in
            let path = try makeDataset(in: dir)
            try writeText(volunteersCSV, to: dir + "/v.csv")
            #expect(chmod(dir + "/v.csv", 0) == 0)
            let result = try civic("import", "csv", dir + "/v.csv", "--dataset", path)
            #expect(result.status == 1 && result.stderr.contains("cannot open: Permission denied"), "\(result)")
        }
    }

    @Test("a Windows-1251 sheet with Kazakh names: one warning per cell where '?' replaced letters, then the fix")
    func windows1251QuestionMarks() throws {
        try withTemporaryDirectory { dir in
            let path = try makeDataset(in: dir)
            let file = importFixtures + "/kazakh-cp1251.csv"
            let result = try civic("import", "csv", file, "--dataset", path, "--encoding", "cp1251")
            #expect(result.status == 0, "\(result)")
            let lines = result.stderrLines
            #expect(lines.count == 5, "\(result)")
            #expect(lines.first == "civic: warning: \(file):2: column «Название»: '?' stands where letters were: «Клуб «?аза? тілі» при библиотеке»")
            #expect(lines.dropFirst(3).first?.hasPrefix("hint: Windows-1251 has no Kazakh letters") == true, "\(result)")
            #expect(lines.last?.hasPrefix("civic: imported \(file): 4 added") == true, "\(result)")
        }
    }
}

@Suite("reading a dataset left in a merge conflict")
struct MergeConflictTests {
    @Test("validate names the unresolved merge conflict and its line, not XML")
    func validateNamesTheConflict() throws {
        try withTemporaryDirectory { dir in
            let path = try makeDataset(in: dir)
            #expect(try civic("import", "csv", "/dev/stdin", "--dataset", path, input: Data(volunteersCSV.utf8)).status == 0)
            let file = path + "/entities.geojson"
            var lines = readText(file).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            // Line 3 is the second entity: git puts both versions of it between markers.
            let theirs = lines[2].replacingOccurrences(of: "Клуб «Ветеран»", with: "Клуб «Ветеран» (ДК)")
            lines.replaceSubrange(2...2, with: ["<<<<<<< HEAD", lines[2], "=======", theirs, ">>>>>>> volunteers/rename"])
            try writeText(lines.joined(separator: "\n"), to: file)
            for command in [["validate"], ["list"]] {
                let result = try civic(arguments: command + ["--dataset", path])
                #expect(result.status == 1, "\(command): \(result)")
                #expect(result.stderr.contains("entities.geojson:3:1: unresolved merge conflict at line 3"), "\(command): \(result)")
                #expect(result.stderr.contains("civic validate") && !result.stderr.contains("KML"), "\(command): \(result)")
            }
        }
    }
}

@Suite("import osm, then validate")
struct ImportThenValidateTests {
    @Test("an openstreetmap.org export imports cleanly, skips and counts the private places, and validate passes")
    func importThenValidate() throws {
        try withTemporaryDirectory { dir in
            let path = try makeDataset(in: dir)
            let file = importFixtures + "/osm-website-export.osm"
            // The places only: the street the export holds is the subject of StreetNetworkCommandTests.
            let result = try civic("import", "osm", file, "--dataset", path, "--no-network")
            #expect(result.status == 0, "\(result)")
            #expect(result.stderrLines == ["civic: imported \(file): 11 added, 0 updated, 0 unchanged, 5 skipped (3 not civic, 2 private)"],
                    "\(result)")
            let validate = try civic("validate", "--dataset", path)
            #expect(validate.status == 0, "\(validate)")
        }
    }

    @Test("generic names follow the dataset's language", arguments: [("kk", "Балалар алаңы"), ("en", "Playground")])
    func genericNamesInTheDatasetLanguage(language: String, playground: String) throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/city"
            let created = try civic("init", path, "--name", "Өскемен", "--districts", bundledDistricts, "--language", language)
            #expect(created.status == 0, "\(created)")
            #expect(try civic("import", "osm", importFixtures + "/osm-website-export.osm", "--dataset", path).status == 0)
            let list = try civic("list", "--dataset", path, "--format", "csv")
            #expect(list.stdout.components(separatedBy: playground).count - 1 == 2, "\(list)")
            #expect(!list.stdout.contains("Детская площадка"), "\(list)")
            #expect(try civic("validate", "--dataset", path).status == 0)
        }
    }
}

@Suite("import osm: the street network")
struct StreetNetworkCommandTests {
    @Test("the summary counts the streets; validate reports the network; --no-network leaves it alone")
    func streetsInTheSummary() throws {
        try withTemporaryDirectory { dir in
            let path = try makeSquareDataset(in: dir)
            let file = importFixtures + "/streets.osm"
            let result = try civic("import", "osm", file, "--dataset", path)
            #expect(result.status == 0, "\(result)")
            #expect(result.stderrLines.last == "civic: imported \(file): 2 added, 0 updated, 0 unchanged, 11 skipped (11 not civic); "
                    + "5 streets (5 added, 2 skipped: 1 outside the city, 1 incomplete)", "\(result)")
            #expect(result.stderr.contains("civic: warning: \(file): 1 walkable way skipped: some of their nodes are not in the file"),
                    "\(result)")
            let network = try String(contentsOfFile: path + "/network.geojson", encoding: .utf8)
            #expect(network.split(separator: "\n").count == 7, "\(network)")
            #expect(network.contains(#"{"type":"Feature","properties":{"source":"osm:way/2003","highway":"primary","name":"проспект Независимости","nodes":["1010","1002","1005","1006"]},"geometry":{"type":"LineString","coordinates":[[82.6121,49.9544],[82.6124,49.9503],[82.6127,49.9482],[82.6131,49.9461]]}}"#),
                    "\(network)")

            let validate = try civic("validate", "--dataset", path)
            #expect(validate.status == 0, "\(validate)")
            #expect(validate.stderr.contains("network.geojson: 5 ways, 12 nodes, 2 km, in 3 connected pieces"), "\(validate)")
            #expect(validate.stderr.contains("civic: warning: \(path)/network.geojson: the largest connected piece holds only 72% of the length (3 pieces)"),
                    "\(validate)")

            let before = try String(contentsOfFile: path + "/network.geojson", encoding: .utf8)
            var text = try String(contentsOfFile: file, encoding: .utf8)
            text = text.replacingOccurrences(of: "улица Казахстан", with: "улица Қазақстан")
            let renamed = dir + "/renamed.osm"
            try writeText(text, to: renamed)
            let skipped = try civic("import", "osm", renamed, "--dataset", path, "--no-network")
            #expect(skipped.status == 0 && !skipped.stderr.contains("street"), "\(skipped)")
            #expect(try String(contentsOfFile: path + "/network.geojson", encoding: .utf8) == before)
            let updated = try civic("import", "osm", renamed, "--dataset", path)
            #expect(updated.stderrLines.last?.hasSuffix("; 5 streets (1 updated, 2 skipped: 1 outside the city, 1 incomplete)") == true,
                    "\(updated)")
        }
    }
}
