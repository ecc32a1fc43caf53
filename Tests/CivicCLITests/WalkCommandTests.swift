import CivicCore
import CivicTestSupport
import Foundation
import Testing

/// A JSON number as a Double; nil for anything else.
private func figure(_ value: JSONValue?) -> Double? {
    if case .number(let text)? = value { return Double(text) }
    return nil
}

/// `--walk`, `--off-street`, `--network` and `coverage --compare`, run as a program.
@Suite("civic coverage --walk and --compare, run as a program")
struct WalkCommandTests {
    /// Two districts of Oskemen's size split at 82.60° E, one venue on a crossing of two streets
    /// and one park away from them, residents here and there; the streets as loose GeoJSON with
    /// OSM-shaped properties (a `name` in Russian, `nodes` on one way and none on the other).
    func writeCity(to folder: URL) throws {
        let districts = """
        {"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"id":"west","name":"Левобережный","population":12000},"geometry":{"type":"Polygon","coordinates":[[[82.56,49.93],[82.60,49.93],[82.60,49.97],[82.56,49.97],[82.56,49.93]]]}},
        {"type":"Feature","properties":{"id":"east","name":"Правобережный","population":null},"geometry":{"type":"Polygon","coordinates":[[[82.60,49.93],[82.64,49.93],[82.64,49.97],[82.60,49.97],[82.60,49.93]]]}}
        ]}
        """
        let entities = """
        {"type":"FeatureCollection","features":[
        {"type":"Feature","id":"node/9001","properties":{"name":"Клуб «Ұлан»","kind":"venue","themes":["youth"],"status":"active"},"geometry":{"type":"Point","coordinates":[82.595,49.95]}},
        {"type":"Feature","id":"way/77","properties":{"name":"Сквер","kind":"venue","themes":["culture"],"status":null},"geometry":{"type":"Polygon","coordinates":[[[82.62,49.935],[82.621,49.935],[82.621,49.936],[82.62,49.936],[82.62,49.935]]]}}
        ]}
        """
        for (name, text) in [("districts.geojson", districts), ("entities.geojson", entities), ("streets.geojson", twoStreets)] {
            try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
    }

    let loose = ["--districts", "districts.geojson", "--entities", "entities.geojson"]

    @Test("--walk --format json: the walking figures, with the mode, the allowance and the entities away from streets")
    func walkingJSON() async throws {
        try await withTemporaryDirectory { folder in
            try writeCity(to: folder)
            let walking = try CivicBinary.run(["coverage"] + loose + ["--walk", "--network", "streets.geojson", "--format", "json"],
                                              in: folder)
            #expect(walking.status == 0, "\(walking.stderr)")
            let root = try #require(try JSON.parse(Array(walking.stdout.utf8), file: "stdout").objectValue)
            #expect(root["mode"] == .string("walk") && root["off_street_m"] == .number("100"))
            // The park is about 1 km from the nearest street.
            #expect(root["entities_away_from_streets"] == .number("1"))
            #expect(walking.stderr.contains("civic: warning: 1 selected entity lies farther than 100 m (--off-street) from every street"),
                    "\(walking.stderr)")
            let straight = try CivicBinary.run(["coverage"] + loose + ["--format", "json"], in: folder)
            let straightRoot = try #require(try JSON.parse(Array(straight.stdout.utf8), file: "stdout").objectValue)
            #expect(straightRoot["mode"] == nil)
            func share(_ root: JSONObject, _ i: Int) -> Double? {
                figure(root["districts"]?.arrayValue?[i].objectValue?["covered_share"])
            }
            let walkWest = try #require(share(root, 0)), straightWest = try #require(share(straightRoot, 0))
            #expect(walkWest > 0 && walkWest < straightWest, "walking \(walkWest), straight \(straightWest)")
        }
    }

    @Test("--compare: both measures per district with the overstatement, as table, JSON and CSV")
    func compare() async throws {
        try await withTemporaryDirectory { folder in
            try writeCity(to: folder)
            let json = try CivicBinary.run(["coverage"] + loose + ["--compare", "--network", "streets.geojson", "--format", "json"],
                                           in: folder)
            #expect(json.status == 0, "\(json.stderr)")
            let root = try #require(try JSON.parse(Array(json.stdout.utf8), file: "stdout").objectValue)
            #expect(root["mode"] == .string("compare"))
            let west = try #require(root["districts"]?.arrayValue?.first?.objectValue)
            let straight = try #require(figure(west["straight"]?.objectValue?["covered_m2"]))
            let walking = try #require(figure(west["walk"]?.objectValue?["covered_m2"]))
            let overstated = try #require(figure(west["overstated_m2"]))
            #expect(abs(straight - walking - overstated) < 0.02 && overstated > 0)
            #expect((figure(west["overstated_population"]) ?? 0) > 0)
            let table = try CivicBinary.run(["coverage"] + loose + ["--compare", "--network", "streets.geojson"], in: folder)
            #expect(table.status == 0 && table.stdout.contains("overstated by") && table.stdout.contains("Левобережный"),
                    "\(table.stdout)\(table.stderr)")
            let csv = try CivicBinary.run(["coverage"] + loose + ["--compare", "--network", "streets.geojson", "--format", "csv"],
                                          in: folder)
            #expect(csv.stdout.hasPrefix("id,name,area_m2,straight_covered_m2,straight_covered_share,walk_covered_m2"))
        }
    }

    @Test("a dataset without streets: --walk says how to get them; --compare words the table in the dataset's language")
    func datasetWithoutNetwork() async throws {
        try await withTemporaryDirectory { folder in
            try writeCity(to: folder)
            let dataset = try makeDataset(in: folder.path)
            let refused = try CivicBinary.run(["coverage", "--dataset", dataset, "--walk"], in: folder)
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("walking coverage needs a street network") && refused.stderr.contains("hint: civic import osm"),
                    "\(refused.stderr)")
            let table = try CivicBinary.run(["coverage", "--dataset", dataset, "--compare", "--network", "streets.geojson"], in: folder)
            #expect(table.status == 0, "\(table.stderr)")
            #expect(table.stdout.contains("охват пешком") && table.stdout.contains("город"), "\(table.stdout)")
        }
    }

    @Test("the bundled city walks its own network.geojson, read by the store")
    func bundledCity() throws {
        let result = try civic("coverage", "--dataset", bundledDataset, "--walk", "--format", "json")
        #expect(result.status == 0, "\(result.stderr)")
        let root = try #require(try JSON.parse(Array(result.stdout.utf8), file: "stdout").objectValue)
        #expect(root["mode"] == .string("walk"))
        let city = try #require(root["city"]?.objectValue)
        let straight = try civic("coverage", "--dataset", bundledDataset, "--format", "json")
        let straightCity = try #require(try JSON.parse(Array(straight.stdout.utf8), file: "stdout").objectValue?["city"]?.objectValue)
        let walking = try #require(figure(city["covered_m2"])), line = try #require(figure(straightCity["covered_m2"]))
        #expect(walking > 0 && walking < line, "walking \(walking) m², straight \(line) m²")
    }

    @Test("usage errors: --off-street beyond the radius, negative, or without walking")
    func usage() async throws {
        try await withTemporaryDirectory { folder in
            try writeCity(to: folder)
            // The default allowance, 100 m, follows a smaller radius down instead of being refused.
            let small = try CivicBinary.run(["coverage"] + loose + ["--walk", "--network", "streets.geojson", "--radius", "80",
                                                                    "--format", "json"], in: folder)
            #expect(small.status == 0, "\(small.stderr)")
            let root = try #require(try JSON.parse(Array(small.stdout.utf8), file: "stdout").objectValue)
            #expect(root["off_street_m"] == .number("80"))
            let explicit = try CivicBinary.run(["coverage"] + loose + ["--walk", "--network", "streets.geojson", "--radius", "500",
                                                                      "--off-street", "600"], in: folder)
            #expect(explicit.status == 64)
            #expect(explicit.stderr.contains("civic: error: --off-street 600: the off-street allowance cannot exceed the radius, 500 m")
                    && explicit.stderr.contains("hint: "), "\(explicit.stderr)")
            let negative = try CivicBinary.run(["coverage"] + loose + ["--walk", "--off-street", "-5"], in: folder)
            #expect(negative.status == 64 && negative.stderr.contains("--off-street -5"), "\(negative.stderr)")
            let alone = try CivicBinary.run(["gaps"] + loose + ["--network", "streets.geojson"], in: folder)
            #expect(alone.status == 64 && alone.stderr.contains("--network applies to walking coverage"), "\(alone.stderr)")
            // Inputs are read at once, so two of them cannot both be standard input.
            let twoPipes = try CivicBinary.run(["coverage", "--districts", "districts.geojson", "--entities", "-",
                                                "--walk", "--network", "-"], in: folder)
            #expect(twoPipes.status == 64
                    && twoPipes.stderr.hasPrefix("civic: error: --entities and --network each read standard input ('-'), which only one input can"),
                    "\(twoPipes.stderr)")
        }
    }

    @Test("a bad network file names the feature")
    func badNetwork() async throws {
        try await withTemporaryDirectory { folder in
            try writeCity(to: folder)
            try #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[82.6,49.95]}}]}"#
                .write(to: folder.appendingPathComponent("points.geojson"), atomically: true, encoding: .utf8)
            let result = try CivicBinary.run(["coverage"] + loose + ["--walk", "--network", "points.geojson"], in: folder)
            #expect(result.status == 1)
            #expect(result.stderr.contains("points.geojson") && result.stderr.contains("features[0]")
                    && result.stderr.contains("found a Point"), "\(result.stderr)")
        }
    }

    @Test("--network takes an OSM file: XML, Overpass JSON and PBF of the same streets give the same figures")
    func osmNetworks() async throws {
        try await withTemporaryDirectory { folder in
            try writeCity(to: folder)
            let fixtures = repositoryRoot.appendingPathComponent("Tests/CivicImportTests/Fixtures")
            var outputs: [String] = []
            for name in ["streets.osm", "streets-overpass.json", "streets.osm.pbf"] {
                let result = try CivicBinary.run(["coverage"] + loose + ["--walk", "--network", fixtures.appendingPathComponent(name).path,
                                                                         "--format", "json"], in: folder)
                #expect(result.status == 0, "\(name): \(result.stderr)")
                outputs.append(result.stdout)
            }
            #expect(outputs[0].contains("\"mode\": \"walk\""), "\(outputs[0])")
            #expect(outputs[1] == outputs[0] && outputs[2] == outputs[0])
            // The streets as GeoJSON beside them: a different network, different figures.
            let geojson = try CivicBinary.run(["coverage"] + loose + ["--walk", "--network", "streets.geojson", "--format", "json"],
                                              in: folder)
            #expect(geojson.stdout != outputs[0])
        }
    }

    @Test("map --walk draws the streets and says the reach is on foot; gaps --walk runs")
    func mapAndGaps() async throws {
        try await withTemporaryDirectory { folder in
            try writeCity(to: folder)
            let map = try CivicBinary.run(["map"] + loose + ["--walk", "--network", "streets.geojson", "--language", "en",
                                                             "-o", "map.svg"], in: folder)
            #expect(map.status == 0, "\(map.stderr)")
            let svg = readText(folder.appendingPathComponent("map.svg").path)
            let document = try parseXML(svg)
            let streets = try #require(document.byID("streets"))
            #expect(streets.descendants("path").first?.attributes["d"]?.hasPrefix("M") == true)
            #expect(svg.contains("on foot along the streets"))
            let straight = try CivicBinary.run(["map"] + loose + ["-o", "straight.svg"], in: folder)
            #expect(straight.status == 0)
            let plain = try parseXML(readText(folder.appendingPathComponent("straight.svg").path))
            #expect(plain.byID("streets") == nil)
            let gaps = try CivicBinary.run(["gaps"] + loose + ["--walk", "--network", "streets.geojson", "--format", "table"], in: folder)
            #expect(gaps.status == 0 && gaps.stdout.contains("Левобережный"), "\(gaps.stderr)")
        }
    }
}
