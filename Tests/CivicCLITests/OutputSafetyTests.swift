import CivicTestSupport
import Foundation
import Testing

/// The inode of a file: a rename over it gives it a new one, so an unchanged inode means "not rewritten".
func inode(_ path: String) -> UInt64? {
    (try? FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? NSNumber)?.uint64Value
}

/// DESIGN §3: "Outputs never touch the dataset" — issue 9's `coverage -o ds/dataset.json` exited 0
/// and broke every later command; `gaps -o ds/history.jsonl` broke every later write.
@Suite("-o never writes into the dataset")
struct OutputSafetyTests {
    /// A command with `-o`, and the path it is pointed at: `$D` is the dataset folder, `$L` a link
    /// to it, `$T` the temporary folder around it.
    static let cases: [(arguments: [String], target: String)] = [
        (["coverage", "--format", "json"], "$D/dataset.json"),
        (["coverage", "--format", "csv"], "$T/elsewhere/../squares/coverage.csv"),
        (["gaps"], "$D/history.jsonl"),
        (["gaps", "--format", "csv"], "$L/gaps.csv"),
        (["map"], "$D/map.svg"),
        (["map"], "$L/../squares/districts.html"),
        (["export", "entities"], "$D/entities.geojson"),
        (["export", "districts", "--format", "csv"], "$D/private/contacts.json"),
        (["list", "--format", "json"], "$D/dataset.json"),
        (["list"], "$L/./private/../list.txt"),
        (["log", "--format", "json"], "$D/history.jsonl"),
        (["log"], "$D/private/log.txt"),
    ]

    @Test("refused with exit 1, one error naming the path and the dataset, a hint; dataset unchanged byte for byte",
          arguments: cases.indices)
    func refusedForEveryCommand(index: Int) throws {
        let (arguments, pattern) = Self.cases[index]
        try withTemporaryDirectory { dir in
            let dataset = try makeSquareDataset(in: dir)
            _ = try addVenue(dataset, extra: ["--phone", "+7 777 123 45 67"])
            try FileManager.default.createSymbolicLink(atPath: dir + "/link", withDestinationPath: dataset)
            try FileManager.default.createDirectory(atPath: dir + "/elsewhere", withIntermediateDirectories: true)
            let target = pattern.replacingOccurrences(of: "$D", with: dataset).replacingOccurrences(of: "$L", with: dir + "/link")
                .replacingOccurrences(of: "$T", with: dir)
            let before = snapshot(dataset)
            let result = try civic(arguments: arguments + ["--dataset", dataset, "-o", target])
            #expect(result.status == 1, "\(arguments) -o \(target): \(result)")
            #expect(result.stderrLines == ["civic: error: \(target): inside the dataset \(dataset); an output there would overwrite or add to the dataset's files",
                                           "hint: name a file outside \(dataset)"], "\(result)")
            #expect(result.stdout.isEmpty)
            #expect(snapshot(dataset) == before, "\(arguments) -o \(target) changed the dataset")
            // The dataset still works: the next write succeeds.
            #expect(try addVenue(dataset, name: "После отказа", lat: "49.96") == 2)
        }
    }

    @Test("a relative path from inside the dataset folder is refused too")
    func relativeFromInside() throws {
        try withTemporaryDirectory { dir in
            let dataset = try makeSquareDataset(in: dir)
            let before = snapshot(dataset)
            let result = try run(civicBinary, ["coverage", "--dataset", ".", "--format", "json", "-o", "dataset.json"],
                                 currentDirectory: dataset)
            #expect(result.status == 1 && result.stderr.contains("dataset.json: inside the dataset ."), "\(result)")
            #expect(snapshot(dataset) == before)
        }
    }

    @Test("loose files with CIVIC_DATASET set: the user's dataset is protected all the same")
    func looseFilesWithTheEnvironmentDataset() throws {
        try withTemporaryDirectory { dir in
            let dataset = try makeSquareDataset(in: dir)
            try FileManager.default.copyItem(atPath: dataset + "/districts.geojson", toPath: dir + "/d.geojson")
            try FileManager.default.copyItem(atPath: dataset + "/entities.geojson", toPath: dir + "/e.geojson")
            let before = snapshot(dataset)
            let result = try civic("gaps", "--districts", dir + "/d.geojson", "--entities", dir + "/e.geojson",
                                   "-o", dataset + "/history.jsonl", environment: ["CIVIC_DATASET": dataset])
            #expect(result.status == 1 && result.stderr.contains("inside the dataset \(dataset)"), "\(result)")
            #expect(snapshot(dataset) == before)
            // And an input file is never overwritten either.
            let input = try civic("coverage", "--districts", dir + "/d.geojson", "--entities", dir + "/e.geojson",
                                  "--format", "geojson", "-o", dir + "/./d.geojson")
            #expect(input.status == 1 && input.stderr.contains("would overwrite the input file"), "\(input)")
        }
    }

    @Test("outside the dataset the file is written, and left alone when a rerun gives the same bytes")
    func writesOutsideOnlyWhenChanged() throws {
        try withTemporaryDirectory { dir in
            let dataset = try makeSquareDataset(in: dir)
            _ = try addVenue(dataset)
            let out = dir + "/coverage.json"
            #expect(try civic("coverage", "--dataset", dataset, "-o", out).status == 0)
            let first = try #require(inode(out))
            #expect(readText(out).contains("\"radius_m\": 400"))
            #expect(try civic("coverage", "--dataset", dataset, "-o", out).status == 0)
            #expect(inode(out) == first, "the same output was written again")
            #expect(try civic("coverage", "--dataset", dataset, "--radius", "300", "-o", out).status == 0)
            #expect(inode(out) != first && readText(out).contains("\"radius_m\": 300"))
            let log = dir + "/log.jsonl"
            #expect(try civic("log", "--dataset", dataset, "--format", "json", "-o", log).status == 0)
            #expect(readText(log).split(separator: "\n").count == 2, "\(readText(log))")
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["coverage.json", "log.jsonl", "squares"])
        }
    }
}
