import CivicCore
import CivicTestSupport
import Foundation
import Testing

@Suite("civic suggest, run as a program")
struct SuggestCommandTests {
    @Test("on the bundled city: the table in Russian, the JSON of DESIGN §5c, the sites as GeoJSON Points")
    func bundledCity() throws {
        try withTemporaryDirectory { (folder: String) in
            let table = try civic("suggest", "--dataset", bundledDataset, "--theme", "youth", "--count", "3")
            #expect(table.status == 0, "\(table)")
            #expect(table.stdout.hasPrefix("№  место  район"), "\(table.stdout)")
            #expect(table.stdout.contains("от лучшего возможного") && table.stdout.contains("не менее"), "\(table.stdout)")

            let json = try civic("suggest", "--dataset", bundledDataset, "--theme", "youth", "--count", "3", "--format", "json")
            #expect(json.status == 0, "\(json)")
            let root = try JSON.parse(json.stdout, file: "stdout").objectValue ?? JSONObject()
            #expect(root.keys == ["radius_m", "count", "covered_before", "covered_after", "best_possible_at_most", "sites"])
            #expect(root["radius_m"] == .number("500") && root["count"] == .number("3"))
            let before = root["covered_before"]?.doubleValue ?? -1
            let after = root["covered_after"]?.doubleValue ?? -1
            let bound = root["best_possible_at_most"]?.doubleValue ?? -1
            #expect(before > 0 && after > before && bound >= after, "\(root)")
            let sites = root["sites"]?.arrayValue ?? []
            #expect(sites.count == 3)
            let first = sites.first?.objectValue ?? JSONObject()
            #expect(first.keys == ["rank", "lon", "lat", "gain", "district_id"], "grid sites have no id")
            let gains = sites.compactMap { $0.objectValue?["gain"]?.doubleValue }
            #expect(gains == gains.sorted(by: >) && abs(gains.reduce(0, +) - (after - before)) < 0.01)
            let districtIDs = Set((try JSON.parse(readText(bundledDistricts), file: "d").objectValue?["features"]?.arrayValue ?? [])
                .compactMap { $0.objectValue?["id"]?.stringValue })
            #expect(sites.allSatisfy { districtIDs.contains($0.objectValue?["district_id"]?.stringValue ?? "") })

            let out = folder + "/sites.geojson"
            let geojson = try civic("suggest", "--dataset", bundledDataset, "--theme", "youth", "--count", "3", "-o", out)
            #expect(geojson.status == 0 && geojson.stdout.isEmpty, "\(geojson)")
            let features = try GeoJSONReader.features(in: Array(readText(out).utf8), file: out)
            #expect(features.count == 3)
            #expect(features.allSatisfy { if case .point = $0.geometry { true } else { false } })
            #expect(features.map { $0.properties["rank"] } == [.number("1"), .number("2"), .number("3")])
        }
    }

    @Test("loose files with candidates: the ids come back, and a candidate outside the districts is noted")
    func looseFiles() throws {
        try withTemporaryDirectory { (folder: String) in
            let districts = """
                {"type":"FeatureCollection","features":[
                {"type":"Feature","properties":{"NAME":"Центр","population":1000},"geometry":{"type":"Polygon","coordinates":[[[82.60,49.94],[82.64,49.94],[82.64,49.96],[82.60,49.96],[82.60,49.94]]]}}
                ]}
                """
            let entities = """
                {"type":"FeatureCollection","features":[
                {"type":"Feature","id":"club-1","properties":{"kind":"venue","themes":["youth"]},"geometry":{"type":"Point","coordinates":[82.605,49.945]}}
                ]}
                """
            let population = """
                {"type":"FeatureCollection","features":[
                {"type":"Feature","properties":{"population":120},"geometry":{"type":"Point","coordinates":[82.6051,49.9451]}},
                {"type":"Feature","properties":{"population":"300"},"geometry":{"type":"Point","coordinates":[82.635,49.955]}},
                {"type":"Feature","properties":{"population":80},"geometry":{"type":"Point","coordinates":[82.62,49.95]}},
                {"type":"Feature","properties":{"population":null},"geometry":{"type":"Point","coordinates":[82.62,49.95]}}
                ]}
                """
            let candidates = """
                {"type":"FeatureCollection","features":[
                {"type":"Feature","id":"участок-7","properties":{},"geometry":{"type":"Point","coordinates":[82.6352,49.9551]}},
                {"type":"Feature","properties":{"id":12},"geometry":{"type":"Point","coordinates":[82.6201,49.9501]}},
                {"type":"Feature","properties":{"id":"far"},"geometry":{"type":"Point","coordinates":[82.70,49.99]}}
                ]}
                """
            for (name, text) in [("d.geojson", districts), ("e.geojson", entities), ("p.geojson", population), ("c.geojson", candidates)] {
                try writeText(text, to: folder + "/" + name)
            }
            let result = try civic("suggest", "--districts", folder + "/d.geojson", "--entities", folder + "/e.geojson",
                                   "--population", folder + "/p.geojson", "--candidates", folder + "/c.geojson",
                                   "--count", "5", "--format", "json")
            #expect(result.status == 0, "\(result)")
            let root = try JSON.parse(result.stdout, file: "stdout").objectValue ?? JSONObject()
            // The club reaches the 120 at its door; the two candidates inside reach 300 and 80; "far" no one.
            #expect(root["covered_before"] == .number("120") && root["covered_after"] == .number("500"), "\(root)")
            let sites = root["sites"]?.arrayValue?.compactMap(\.objectValue) ?? []
            #expect(sites.map { $0["id"] } == [.string("участок-7"), .number("12")])
            #expect(sites.map { $0["gain"] } == [.number("300"), .number("80")])
            #expect(result.stderr.contains("1 of 3 candidate sites lie outside every district"), "\(result.stderr)")
            #expect(result.stderr.contains("2 of 5 sites suggested"), "\(result.stderr)")
        }
    }

    @Test("bad inputs: K = 0 is a usage error; a polygon among the candidates and a city without residents are refused")
    func badInputs() throws {
        try withTemporaryDirectory { (folder: String) in
            let zero = try civic("suggest", "--dataset", bundledDataset, "--count", "0")
            #expect(zero.status == 64 && zero.stderr.contains("civic: error: --count 0: must be 1 or more"), "\(zero)")
            let cell = try civic("suggest", "--dataset", bundledDataset, "--count", "2", "--cell", "-5")
            #expect(cell.status == 64 && cell.stderr.contains("--cell -5"), "\(cell)")

            try writeText("""
                {"type":"FeatureCollection","features":[
                {"type":"Feature","id":"lot-1","properties":{},"geometry":{"type":"Point","coordinates":[82.61,49.95]}},
                {"type":"Feature","id":"lot-2","properties":{},"geometry":{"type":"Polygon","coordinates":[[[82.6,49.9],[82.61,49.9],[82.61,49.91],[82.6,49.9]]]}}
                ]}
                """, to: folder + "/lots.geojson")
            let polygons = try civic("suggest", "--dataset", bundledDataset, "--count", "2", "--candidates", folder + "/lots.geojson")
            #expect(polygons.status == 1, "\(polygons)")
            #expect(polygons.stderrLines.first?.hasPrefix("civic: error: \(folder)/lots.geojson:3: features[1] (id lot-2)") == true, "\(polygons.stderr)")
            #expect(polygons.stderr.contains("is a Polygon; a candidate site is a Point"))
            #expect(polygons.stdout.isEmpty && !polygons.stderr.contains("Fatal error"))

            // The bundled districts without their populations, and no --population file.
            let features = try JSON.parse(readText(bundledDistricts), file: "d").objectValue?["features"]?.arrayValue ?? []
            let bare = features.map { feature -> JSONValue in
                guard var object = feature.objectValue, var properties = object["properties"]?.objectValue else { return feature }
                properties["population"] = .null
                object["properties"] = .object(properties)
                return .object(object)
            }
            var collection = JSONObject()
            collection["type"] = .string("FeatureCollection")
            collection["features"] = .array(bare)
            try writeText(JSON.serialize(.object(collection), pretty: false), to: folder + "/bare.geojson")
            try writeText(#"{"type":"FeatureCollection","features":[]}"#, to: folder + "/none.geojson")
            let nobody = try civic("suggest", "--districts", folder + "/bare.geojson", "--entities", folder + "/none.geojson",
                                   "--count", "3")
            #expect(nobody.status == 1, "\(nobody)")
            #expect(nobody.stderr.contains("civic: error: there are no residents to reach"), "\(nobody.stderr)")
            #expect(nobody.stderr.contains("hint: give residents with --population FILE"))
        }
    }

    @Test("--walk: the bundled city's streets reach fewer residents than straight lines, and the sites still add some")
    func walking() throws {
        let network = repositoryRoot.appendingPathComponent("geodata/oskemen/network.geojson").path
        func figures(_ extra: [String]) throws -> (before: Double, after: Double, bound: Double) {
            let result = try civic(arguments: ["suggest", "--dataset", bundledDataset, "--theme", "youth", "--count", "2",
                                               "--cell", "250", "--format", "json"] + extra)
            #expect(result.status == 0, "\(result)")
            let root = try JSON.parse(result.stdout, file: "stdout").objectValue ?? JSONObject()
            return (root["covered_before"]?.doubleValue ?? -1, root["covered_after"]?.doubleValue ?? -1,
                    root["best_possible_at_most"]?.doubleValue ?? -1)
        }
        let straight = try figures([])
        let walked = try figures(["--walk", "--network", network])
        #expect(walked.before > 0 && walked.before < straight.before, "\(walked) vs \(straight)")
        #expect(walked.after > walked.before && walked.bound >= walked.after)
        let stray = try civic("suggest", "--dataset", bundledDataset, "--count", "2", "--off-street", "50")
        #expect(stray.status == 64 && stray.stderr.contains("--off-street applies to walking coverage"), "\(stray)")
    }

    @Test("-o inside the dataset is refused, and the dataset is left as it was")
    func outputIntoDataset() throws {
        try withTemporaryDirectory { (folder: String) in
            let dataset = try makeDataset(in: folder)
            let before = snapshot(dataset)
            let result = try civic("suggest", "--dataset", dataset, "--count", "1", "-o", dataset + "/sites.geojson")
            #expect(result.status != 0 && result.stderr.contains("civic: error:"), "\(result)")
            #expect(snapshot(dataset) == before)
        }
    }

    @Test("civic map --suggest 3 draws three numbered sites and lists their gains in the legend")
    func mapWithSites() throws {
        try withTemporaryDirectory { (folder: String) in
            let result = try runCivic(["map", "--dataset", bundledDataset, "--theme", "youth", "--suggest", "3",
                                       "--language", "en", "-o", "youth.svg"], in: folder)
            #expect(result.status == 0, "\(result)")
            let root = try parseXML(readText(folder + "/youth.svg"))
            let sites = try #require(root.byID("suggested-sites"), "no layer of suggested sites")
            #expect(sites.descendants("text").map(\.fullText) == ["1", "2", "3"])
            let legend = try #require(root.byID("legend-sites"))
            let lines = legend.descendants("text").map(\.fullText)
            #expect(lines.count == 6 && lines[1].hasPrefix("1 — +") && lines[1].hasSuffix(" residents"), "\(lines)")
            #expect(root.byID("legend")?.descendants("text").contains { $0.fullText == "Suggested new sites" } == true)
            // Without --suggest the map has no such layer.
            let plain = try runCivic(["map", "--dataset", bundledDataset, "-o", "plain.svg"], in: folder)
            #expect(plain.status == 0 && !readText(folder + "/plain.svg").contains("suggested-sites"))
            let wrong = try runCivic(["map", "--dataset", bundledDataset, "--suggest", "0", "-o", "x.svg"], in: folder)
            #expect(wrong.status == 64, "\(wrong)")
        }
    }
}
