import CivicTestSupport
import Foundation
import GeoValues
import Testing

@Suite("export")
struct ExportTests {
    @Test func geojsonOpensInOGRWithEveryFeature() throws {
        let ogrinfo = try #require(which("ogrinfo"), "ogrinfo is needed (apt-get install gdal-bin; .ci/run installs it)")
        try withTemporaryDirectory { dir in
            let path = try makeSquareDataset(in: dir)
            _ = try addVenue(path)
            _ = try addVenue(path, name: "Өнер орталығы", lat: "49.95", lon: "82.64")
            let out = dir + "/entities.geojson"
            #expect(try civic("export", "entities", "--dataset", path, "-o", out).status == 0)
            let info = try run(ogrinfo, ["-ro", "-al", "-so", out])
            #expect(info.status == 0, "\(info)")
            #expect(info.stdout.contains("Feature Count: 2"), "\(info)")
            #expect(info.stdout.contains("Geometry: Point"), "\(info)")
            let districts = dir + "/districts.geojson"
            #expect(try civic("export", "districts", "--dataset", path, "-o", districts).status == 0)
            let dinfo = try run(ogrinfo, ["-ro", "-al", "-so", districts])
            #expect(dinfo.stdout.contains("Feature Count: 2") && dinfo.stdout.contains("Polygon"), "\(dinfo)")
            let text = readText(out)
            #expect(!text.contains("\"crs\"") && !text.hasPrefix("\u{FEFF}"))
        }
    }

    /// DESIGN §6: every file civic writes opens in GDAL — the layers of every command, and the
    /// dataset's own files.
    @Test func everyGeoJSONCivicWritesOpensInOGR() throws {
        let ogrinfo = try #require(which("ogrinfo"), "ogrinfo is needed (apt-get install gdal-bin; .ci/run installs it)")
        try withTemporaryDirectory { dir in
            let outputs: [(arguments: [String], file: String, features: Int?)] = [
                (["coverage", "--format", "geojson"], "coverage.geojson", 14),
                (["gaps"], "gaps.geojson", nil),
                (["list", "--format", "geojson"], "list.geojson", 51),
                (["show", "16", "--format", "geojson"], "show.geojson", 1),
            ]
            for output in outputs {
                let result = try civic(arguments: output.arguments + ["--dataset", bundledDataset])
                #expect(result.status == 0, "\(output.arguments): \(result)")
                try writeText(result.stdout, to: dir + "/" + output.file)
            }
            let own = ["districts.geojson", "entities.geojson"].map { bundledDataset + "/" + $0 }
            for file in outputs.map({ dir + "/" + $0.file }) + own {
                let info = try run(ogrinfo, ["-ro", "-al", "-so", file])
                #expect(info.status == 0 && info.stdout.contains("Feature Count: "), "\(file): \(info)")
                if let expected = outputs.first(where: { file.hasSuffix("/" + $0.file) })?.features {
                    #expect(info.stdout.contains("Feature Count: \(expected)\n"), "\(file): \(info.stdout)")
                }
            }
        }
    }

    @Test func csvNeutralisesFormulas() throws {
        try withTemporaryDirectory { dir in
            let path = try makeSquareDataset(in: dir)
            _ = try addVenue(path, name: "=HYPERLINK(\"http://evil\")", extra: ["--description", "+1 234", "--address", "@home"])
            let out = dir + "/e.csv"
            #expect(try civic("export", "entities", "--dataset", path, "--csv", "rfc4180", "-o", out).status == 0)
            let csv = readText(out)
            #expect(csv.contains("\"'=HYPERLINK(\"\"http://evil\"\")\""), "\(csv)")
            #expect(csv.contains(",'@home,") && csv.contains(",'+1 234,"), "\(csv)")
            // The byte-order mark tells Excel the file is UTF-8.
            #expect(csv.hasPrefix("\u{FEFF}id,kind,name,"), "\(csv.prefix(20))")
            let piped = try civic("export", "entities", "--dataset", path, "--format", "csv", "--csv", "rfc4180")
            #expect(piped.stdout.hasPrefix("id,kind,name,"), "no mark on stdout: \(piped.stdout.prefix(20))")
        }
    }

    @Test func refusesToOverwriteTheDatasetAndUnknownFormats() throws {
        try withTemporaryDirectory { dir in
            let path = try makeSquareDataset(in: dir)
            _ = try addVenue(path)
            let before = snapshot(path)
            let overwrite = try civic("export", "entities", "--dataset", path, "-o", path + "/entities.geojson")
            #expect(overwrite.status == 1 && overwrite.stderr.contains("overwrite"), "\(overwrite)")
            #expect(snapshot(path) == before)
            let table = try civic("export", "entities", "--dataset", path, "--format", "table")
            #expect(table.status == 64, "\(table)")
        }
    }
}

@Suite("validate")
struct ValidateTests {
    @Test func theBundledCityIsClean() throws {
        let result = try civic("validate", "--dataset", bundledDataset)
        #expect(result.status == 0, "\(result)")
    }

    @Test func reportsEveryProblemWithFileFeatureAndField() throws {
        try withTemporaryDirectory { dir in
            let path = try makeSquareDataset(in: dir)
            let header = "{\"type\":\"FeatureCollection\",\"features\":[\n"
            func point(_ id: Int, _ kind: String, _ theme: String, _ name: String, _ lon: Double, _ lat: Double) -> String {
                "{\"type\":\"Feature\",\"id\":\(id),\"properties\":{\"kind\":\"\(kind)\",\"name\":\"\(name)\",\"themes\":[\"\(theme)\"]},\"geometry\":{\"type\":\"Point\",\"coordinates\":[\(lon),\(lat)]}}"
            }
            let features = [
                point(1, "venue", "culture", "Хорошая", 82.60, 49.95),
                point(2, "shop", "culture", "Магазин", 82.61, 49.95),                 // unknown kind
                point(3, "venue", "parking", "Парковка", 82.62, 49.95),                // unknown theme
                point(3, "venue", "culture", "Повтор", 82.63, 49.95),                  // duplicate id
                point(5, "venue", "culture", "Наоборот", 49.95, 82.60),                // swapped
                point(6, "venue", "culture", "Хорошая", 82.6001, 49.9501),             // likely duplicate of 1
                "{\"type\":\"Feature\",\"id\":7,\"properties\":{\"kind\":\"venue\",\"name\":\"Бант\",\"themes\":[\"culture\"]},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[82.60,49.94],[82.61,49.95],[82.61,49.94],[82.60,49.95],[82.60,49.94]]]}}",
            ]
            try writeText(header + features.joined(separator: ",\n") + "\n]}\n", to: path + "/entities.geojson")
            let result = try civic("validate", "--dataset", path)
            #expect(result.status == 1, "\(result)")
            let err = result.stderr
            #expect(err.contains("entities.geojson:3: features[1] (id 2): kind: unknown kind 'shop'"), "\(err)")
            #expect(err.contains("features[2] (id 3): themes: unknown theme 'parking'"), "\(err)")
            #expect(err.contains("features[3] (id 3): id: duplicate id"), "\(err)")
            #expect(err.contains("features[4] (id 5)") && err.contains("look swapped"), "\(err)")
            #expect(err.contains("features[5] (id 6)") && err.contains("likely duplicate of entity 1"), "\(err)")
            #expect(err.contains("features[6] (id 7): geometry: self-intersection at lon 82.605, lat 49.945"), "\(err)")
            #expect(err.contains("6 problems found"), "\(err)")
        }
    }

    @Test func reportsBrokenJSONAndNeverRewritesIt() throws {
        try withTemporaryDirectory { dir in
            let path = try makeSquareDataset(in: dir)
            _ = try addVenue(path)
            let broken = String(readText(path + "/entities.geojson").dropLast(10))
            try writeText(broken, to: path + "/entities.geojson")
            let before = snapshot(path)
            let validate = try civic("validate", "--dataset", path)
            #expect(validate.status == 1 && validate.stderr.contains("entities.geojson:"), "\(validate)")
            let add = try civic("add", "--dataset", path, "--kind", "venue", "--name", "Новое", "--lat", "49.96",
                                "--lon", "82.64", "--theme", "culture")
            #expect(add.status == 1 && add.stderr.contains("entities.geojson"), "\(add)")
            #expect(snapshot(path) == before, "a broken file was rewritten")
        }
    }
}

@Suite("hostile files")
struct HostileFileTests {
    static let polygon = "{\"type\":\"Polygon\",\"coordinates\":[[[82.58,49.93],[82.62,49.93],[82.62,49.97],[82.58,49.93]]]}"
    static func collection(_ geometry: String, properties: String = "{\"name\":\"Д\"}") -> String {
        "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"id\":\"a\",\"properties\":\(properties),\"geometry\":\(geometry)}]}"
    }

    static let cases: [(String, [UInt8])] = [
        ("empty file", []),
        ("truncated JSON", Array(collection(polygon).utf8.dropLast(30))),
        ("XML", Array("<?xml version=\"1.0\"?><osm></osm>".utf8)),
        ("root not an object", Array("[1,2,3]".utf8)),
        ("features missing", Array("{\"type\":\"FeatureCollection\"}".utf8)),
        ("features not an array", Array("{\"type\":\"FeatureCollection\",\"features\":{}}".utf8)),
        ("unknown geometry type", Array(collection("{\"type\":\"Circle\",\"coordinates\":[82.6,49.9]}").utf8)),
        ("strings as coordinates", Array(collection("{\"type\":\"Polygon\",\"coordinates\":[[[\"82.58\",\"49.93\"],[82.62,49.93],[82.62,49.97],[82.58,49.93]]]}").utf8)),
        ("one-number positions", Array(collection("{\"type\":\"Polygon\",\"coordinates\":[[[82.58],[82.62,49.93],[82.62,49.97],[82.58,49.93]]]}").utf8)),
        ("NaN", Array(collection("{\"type\":\"Polygon\",\"coordinates\":[[[NaN,49.93],[82.62,49.93],[82.62,49.97],[82.58,49.93]]]}").utf8)),
        ("1e400", Array(collection("{\"type\":\"Polygon\",\"coordinates\":[[[1e400,49.93],[82.62,49.93],[82.62,49.97],[82.58,49.93]]]}").utf8)),
        ("out of range", Array(collection("{\"type\":\"Polygon\",\"coordinates\":[[[182.58,49.93],[82.62,49.93],[82.62,49.97],[182.58,49.93]]]}").utf8)),
        ("unclosed ring", Array(collection("{\"type\":\"Polygon\",\"coordinates\":[[[82.58,49.93],[82.62,49.93],[82.62,49.97],[82.58,49.97]]]}").utf8)),
        ("ring of 2 points", Array(collection("{\"type\":\"Polygon\",\"coordinates\":[[[82.58,49.93],[82.58,49.93]]]}").utf8)),
        ("self-intersecting", Array(collection("{\"type\":\"Polygon\",\"coordinates\":[[[82.60,49.90],[82.70,50.00],[82.70,49.90],[82.60,50.00],[82.60,49.90]]]}").utf8)),
        ("null geometry", Array(collection("null").utf8)),
        ("100,000 nested brackets", Array(String(repeating: "[", count: 100_000).utf8)),
        ("invalid UTF-8", Array(collection(polygon, properties: "{\"name\":\"Д").utf8) + [0xFF, 0xFE] + Array("\"}}]}".utf8)),
        ("properties not an object", Array(collection(polygon, properties: "[1]").utf8)),
        ("empty geometry collection", Array(collection("{\"type\":\"GeometryCollection\",\"geometries\":[]}").utf8)),
        ("a crs other than WGS84", Array("{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"EPSG:32644\"}},\"features\":[]}".utf8)),
    ]

    /// `civic init --districts` on each: exit 1, one error line naming the file, no stack trace, no dataset.
    @Test(arguments: cases.map(\.0))
    func initRefusesWithOneLineNamingTheFile(name: String) throws {
        let bytes = try #require(Self.cases.first { $0.0 == name }?.1)
        try withTemporaryDirectory { dir in
            let file = dir + "/hostile.geojson"
            _ = FileManager.default.createFile(atPath: file, contents: Data(bytes))
            let result = try civic("init", dir + "/c", "--name", "c", "--districts", file)
            #expect(result.status == 1, "\(name): \(result)")
            let errors = result.stderrLines.filter { $0.hasPrefix("civic: error: ") }
            #expect(errors.count == 1 && errors[0].contains("hostile.geojson"), "\(name): \(result)")
            #expect(result.stderrLines.count <= 2, "\(name): more than an error and a hint: \(result)")
            #expect(!FileManager.default.fileExists(atPath: dir + "/c/dataset.json"), "\(name)")
        }
    }

    @Test func randomByteDamageNeverCrashes() throws {
        let valid = Array(readText(twoDistricts).utf8)
        var generator = SeededRandom(seed: 7)
        try withTemporaryDirectory { dir in
            for round in 0..<40 {
                var bytes = valid
                for _ in 0..<(1 + Int(generator.next() % 6)) {
                    bytes[Int(generator.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: generator.next())
                }
                let file = dir + "/damaged.geojson"
                _ = FileManager.default.createFile(atPath: file, contents: Data(bytes))
                let result = try civic("init", dir + "/c\(round)", "--name", "c", "--districts", file)
                #expect(result.status == 0 || result.status == 1, "round \(round): \(result)")
                if result.status == 1 {
                    #expect(result.stderrLines.first?.hasPrefix("civic: error: ") == true, "round \(round): \(result)")
                }
            }
        }
    }
}

@Suite("examples")
struct ExampleTests {
    @Test func theVolunteersFirstSessionRuns() throws {
        try withTemporaryDirectory { dir in
            let script = repositoryRoot.appendingPathComponent("examples/first-session.sh").path
            let result = try run("/bin/bash", [script, dir], environment: ["CIVIC": civicBinary])
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains("== done"), "\(result)")
            #expect(FileManager.default.fileExists(atPath: dir + "/entities.geojson"))
        }
    }

    @Test func theLibraryExampleListsVenuesByTheme() throws {
        let binary = productsDirectory.appendingPathComponent("venues-by-theme").path
        let result = try run(binary, [bundledDataset])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("культура ("), "\(result)")
    }
}
