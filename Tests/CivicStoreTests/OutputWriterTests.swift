import CivicCore
import CivicStore
import CivicTestSupport
import Foundation
import Testing

/// DESIGN §3 and §4: every `-o` goes through `OutputWriter`, which never lets an output into the
/// dataset folder, writes atomically, and leaves a file alone when it already holds the bytes.
@Suite("the output writer")
struct OutputWriterTests {
    /// The error `body` threw, or nil when it threw none (or not a ``CivicError``).
    func refusal(_ body: () throws -> Void) -> CivicError? {
        do {
            try body()
            return nil
        } catch {
            return error as? CivicError
        }
    }

    @Test("refuses every spelling of a path inside the dataset, and leaves the dataset as it was")
    func refusesInsideTheDataset() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Sample.dataset(in: folder).path
            try FileManager.default.createSymbolicLink(atPath: folder + "/link", withDestinationPath: dataset)
            try FileManager.default.createSymbolicLink(atPath: folder + "/to-info.json",
                                                       withDestinationPath: dataset + "/dataset.json")
            // A link to a file that does not exist yet, inside the dataset: writing it would add one there.
            try FileManager.default.createSymbolicLink(atPath: folder + "/dangling.json",
                                                       withDestinationPath: dataset + "/new.json")
            try FileManager.default.createDirectory(atPath: folder + "/elsewhere", withIntermediateDirectories: true)
            let before = snapshot(dataset)
            let paths = [
                dataset + "/dataset.json",
                dataset + "/history.jsonl",
                dataset + "/private/contacts.json",
                dataset + "/coverage.json",             // a new file is refused as well
                dataset,                                // the folder itself
                dataset + "/",
                folder + "/elsewhere/../oskemen/entities.geojson",
                dataset + "/./private/../districts.geojson",
                folder + "/link/dataset.json",
                folder + "/link/private/x.csv",
                folder + "/to-info.json",
                folder + "/dangling.json",
            ]
            for path in paths {
                let error = refusal { _ = try OutputWriter(path: path, dataset: dataset) }
                guard case .refused(let reason, let hint)? = error else {
                    Issue.record("\(path): not refused as inside the dataset: \(String(describing: error))")
                    continue
                }
                #expect(reason.hasPrefix(path + ": inside the dataset " + dataset), "\(path): \(reason)")
                #expect(reason.contains("overwrite"), "\(reason)")
                #expect(hint == "name a file outside \(dataset)")
            }
            #expect(snapshot(dataset) == before)
            #expect(!FileManager.default.fileExists(atPath: dataset + "/new.json"))
        }
    }

    @Test("refuses a folder holding a civic dataset even when the command was not told its name")
    func refusesAnUnnamedDataset() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Sample.dataset(in: folder).path
            let before = snapshot(dataset)
            let error = refusal { _ = try OutputWriter(path: dataset + "/gaps.geojson", dataset: nil) }
            #expect(error?.description.contains("inside the dataset \(dataset)") == true, "\(String(describing: error))")
            #expect(snapshot(dataset) == before)
        }
    }

    @Test("a sibling whose name starts like the dataset's is not inside it")
    func aSiblingIsOutside() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Sample.dataset(in: folder, name: "ds").path
            try FileManager.default.createDirectory(atPath: folder + "/ds2", withIntermediateDirectories: true)
            let writer = try OutputWriter(path: folder + "/ds2/out.json", dataset: dataset)
            #expect(try writer.write("{}\n") == .written)
            #expect(try text(folder + "/ds2/out.json") == "{}\n")
            #expect(try OutputWriter(path: folder + "/ds.json", dataset: dataset).write("1") == .written)
        }
    }

    @Test("writes only when the content changed, by rename, leaving no temporary file")
    func writesOnlyChanges() throws {
        try withTemporaryDirectory { folder in
            let path = folder + "/coverage.json"
            let writer = try OutputWriter(path: path, dataset: nil)
            #expect(try writer.write("Өскемен 1\n") == .written)
            let first = try #require(inode(path))
            #expect(try writer.write("Өскемен 1\n") == .unchanged)
            #expect(inode(path) == first, "an unchanged output was rewritten")
            #expect(try writer.write("Өскемен 2\n") == .written)
            #expect(inode(path) != first, "a changed output was not replaced by a rename")
            #expect(try text(path) == "Өскемен 2\n")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["coverage.json"])
        }
    }

    @Test("a new file gets 0666 less the umask; a replaced file keeps its permissions")
    func permissionsOfOutputs() throws {
        try withTemporaryDirectory { folder in
            let mask = umask(0o022)
            umask(mask)
            let fresh = folder + "/fresh.csv"
            try OutputWriter(path: fresh, dataset: nil).write("a\n")
            #expect(permissions(fresh) == Int(0o666 & ~mask))
            let kept = folder + "/kept.csv"
            try OutputWriter(path: kept, dataset: nil).write("a\n")
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: kept)
            try OutputWriter(path: kept, dataset: nil).write("b\n")
            #expect(permissions(kept) == 0o600)
        }
    }

    @Test("a link to a file outside the dataset writes that file and stays a link")
    func followsALinkOutside() throws {
        try withTemporaryDirectory { folder in
            try FileManager.default.createDirectory(atPath: folder + "/www", withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: folder + "/latest.geojson", withDestinationPath: "www/gaps.geojson")
            try OutputWriter(path: folder + "/latest.geojson", dataset: nil).write("[]\n")
            #expect(try text(folder + "/www/gaps.geojson") == "[]\n")
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: folder + "/latest.geojson") == "www/gaps.geojson")
        }
    }

    @Test("a device is written in place, never renamed over")
    func writesADeviceInPlace() throws {
        let writer = try OutputWriter(path: "/dev/null", dataset: nil)
        #expect(try writer.write("x") == .written)
        let type = try FileManager.default.attributesOfItem(atPath: "/dev/null")[.type] as? FileAttributeType
        #expect(type == .typeCharacterSpecial)
    }

    @Test("refuses to overwrite an input file, however its path is spelled")
    func refusesAnInput() throws {
        try withTemporaryDirectory { folder in
            let input = folder + "/districts.geojson"
            try Data("{}".utf8).write(to: URL(fileURLWithPath: input))
            try FileManager.default.createDirectory(atPath: folder + "/sub", withIntermediateDirectories: true)
            let error = refusal {
                _ = try OutputWriter(path: folder + "/sub/../districts.geojson", dataset: nil, inputs: [input])
            }
            #expect(error?.description.contains("would overwrite the input file \(input)") == true, "\(String(describing: error))")
            #expect(try text(input) == "{}")
        }
    }

    @Test("'-' and no path are standard output; a folder or a missing folder is an error naming the path")
    func standardOutputAndBadPaths() throws {
        #expect(try OutputWriter(path: "-", dataset: nil).isStandardOutput)
        #expect(try OutputWriter(path: nil, dataset: nil).isStandardOutput)
        try withTemporaryDirectory { folder in
            let missing = folder + "/no/such/out.json"
            guard case .io(let path, let reason)? = refusal({ _ = try OutputWriter(path: missing, dataset: nil) }) else {
                Issue.record("a missing folder was not an error")
                return
            }
            #expect(path == missing && reason.contains("no such folder"), "\(reason)")
            guard case .io(_, let folderReason)? = refusal({ _ = try OutputWriter(path: folder, dataset: nil) }) else {
                Issue.record("a folder was not an error")
                return
            }
            #expect(folderReason.contains("is a folder"))
        }
    }
}
