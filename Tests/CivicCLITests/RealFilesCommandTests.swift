import CivicCore
import CivicTestSupport
import Foundation
import Testing

/// Files shaped like the public ones issue 10 tried: Berlin's Bezirke as the statistics office
/// exports them, a transit operator's stations, a humanitarian export of Kazakhstan's settlements,
/// OSM-Boundaries units that overlap.
let realShaped = repositoryRoot.appendingPathComponent("Tests/CivicCLITests/Fixtures/real-shaped")

@Suite("coverage, gaps and map on real-shaped files, run as a program")
struct RealFilesCommandTests {
    func file(_ name: String) -> String { realShaped.appendingPathComponent(name).path }

    func json(_ run: ProgramRun) throws -> JSONObject {
        try #require(try JSON.parse(Array(run.stdout.utf8), file: "stdout").objectValue)
    }

    @Test("--name-field, --id-field and --population-field read a Bezirke file; stations without kinds count, one outside is warned about")
    func bezirkeAndStations() throws {
        try withTemporaryDirectory { folder in
            let result = try runCivic(["coverage", "--districts", file("bezirke.geojson"), "--entities", file("stations.geojson"),
                                       "--name-field", "Gemeinde_name", "--id-field", "Gemeinde_schluessel",
                                       "--population-field", "Einwohner", "--radius", "1000", "--format", "json"], in: folder)
            #expect(result.status == 0, "\(result)")
            let root = try json(result)
            let rows = try #require(root["districts"]?.arrayValue).compactMap(\.objectValue)
            #expect(rows.map { $0["id"] } == ["001", "002", "007", "008"].map(JSONValue.string))
            #expect(rows.map { $0["name"] } == ["Mitte", "Friedrichshain-Kreuzberg", "Tempelhof-Schöneberg", "Neukölln"].map(JSONValue.string))
            #expect(rows.map { $0["population"] } == [.number("384172"), .number("293454"), .number("351644"), nil])
            #expect(rows.map { $0["entities"]?.intValue } == [1, 2, 1, 1], "\(rows)")
            let city = try #require(root["city"]?.objectValue)
            #expect(city["entities"] == .number(5) && city["entities_outside"] == .number(1))
            #expect(result.stderrLines == [
                "civic: warning: \(file("stations.geojson")): 1 of 6 selected entities lie outside every district and count in no "
                    + "figure; the nearest, id de:12054:900230999 («S Potsdam Hauptbahnhof»), is 17.1 km outside at lon 13.067, lat 52.392",
            ], "\(result.stderr)")
            // Unclassified stations are selected unless --kind narrows.
            let venues = try runCivic(["coverage", "--districts", file("bezirke.geojson"), "--entities", file("stations.geojson"),
                                       "--kind", "venue", "--format", "json"], in: folder)
            #expect(venues.status == 0, "\(venues)")
            #expect(try json(venues)["city"]?.objectValue?["entities"] == .number(0))
        }
    }

    @Test("the district-file options need --districts, --residents-field needs --population: usage errors, exit 64")
    func fieldOptionsNeedFiles() throws {
        try withTemporaryDirectory { folder in
            let named = try runCivic(["coverage", "--dataset", bundledDataset, "--name-field", "NAME"], in: folder)
            #expect(named.status == 64, "\(named)")
            #expect(named.stderrLines.first == "civic: error: --name-field names a property of a --districts file; "
                    + "a dataset's districts were read when it was made", "\(named.stderr)")
            let residents = try runCivic(["gaps", "--dataset", bundledDataset, "--residents-field", "EW"], in: folder)
            #expect(residents.status == 64 && residents.stderr.contains("--residents-field"), "\(residents)")
            let missing = try runCivic(["coverage", "--districts", file("bezirke.geojson"), "--entities", file("stations.geojson"),
                                        "--name-field", "NAME"], in: folder)
            #expect(missing.status == 1 && missing.stdout.isEmpty, "\(missing)")
            #expect(missing.stderrLines.first?.hasPrefix("civic: error: --name-field NAME: no feature of \(file("bezirke.geojson")) "
                                                          + "has this property; it has: Gemeinde_name, ") == true, "\(missing.stderr)")
        }
    }

    @Test("a broken stations file: every problem in one run, one line each, exit 1")
    func everyProblem() throws {
        try withTemporaryDirectory { folder in
            let result = try runCivic(["coverage", "--districts", file("bezirke.geojson"), "--entities", file("stations-broken.geojson")],
                                      in: folder)
            #expect(result.status == 1 && result.stdout.isEmpty, "\(result)")
            let errors = result.stderrLines.filter { $0.hasPrefix("civic: error: ") }
            let broken = file("stations-broken.geojson")
            #expect(errors == [
                "civic: error: \(broken):3: features[1] (id de:11000:900100003): kind: must be text, found an object",
                "civic: error: \(broken):4: features[2] (id de:11000:900120003): status: must be active or inactive, found the string \"planned\"",
                "civic: error: \(broken):5: features[3] (id de:11000:900999999): geometry: self-intersection at lon 13.41, lat 52.51",
            ], "\(result.stderr)")
            #expect(result.stderrLines.last?.hasPrefix("hint: fix the file, or pass --skip-invalid") == true, "\(result.stderr)")
        }
    }

    @Test("--crs EPSG:3857 at Berlin's latitude is refused with the distortion PROJ measures and a hint")
    func webMercator() throws {
        try withTemporaryDirectory { folder in
            let result = try runCivic(["coverage", "--districts", file("bezirke.geojson"), "--entities", file("stations.geojson"),
                                       "--crs", "EPSG:3857"], in: folder)
            #expect(result.status == 1 && result.stdout.isEmpty, "\(result)")
            #expect(result.stderrLines == [
                "civic: error: EPSG:3857 distorts areas by 170 % at the districts (areal scale 2.6998 at lon 13.4, lat 52.55); "
                    + "coverage needs areas true to within 1 %",
                "hint: leave --crs out to measure each district in the UTM zone of its own centre (here EPSG:32633), "
                    + "or name a CRS that keeps areas there, such as EPSG:32633",
            ], "\(result.stderr)")
        }
    }

    @Test("a settlements export with null and text populations: counted, nulls and places outside warned about, the city point named")
    func settlements() throws {
        try withTemporaryDirectory { folder in
            let population = file("kz-settlements.geojson")
            let result = try runCivic(["coverage", "--dataset", bundledDataset, "--population", population, "--format", "json"],
                                      in: folder)
            #expect(result.status == 0, "\(result)")
            let city = try #require(try json(result)["city"]?.objectValue)
            // Өскемен's 354,770 inside; Семей, Алматы and Глубокое outside.
            #expect(city["population"] == .number("354770"), "\(city)")
            #expect(city["residents_outside"] == .number("2362114"), "\(city)")
            let warnings = result.stderrLines.filter { $0.hasPrefix("civic: warning: ") }
            #expect(warnings.count == 3, "\(result.stderr)")
            #expect(warnings[0] == "civic: warning: \(population): features: population: 6 of 10 features have no number of "
                    + "residents (null or missing); skipped", "\(warnings)")
            #expect(warnings[1].hasPrefix("civic: warning: \(population): 2\u{2009}362\u{2009}114 residents lie outside every district "
                                          + "and count in no figure (3 features wholly outside); the nearest is "), "\(warnings)")
            #expect(warnings[2].hasPrefix("civic: warning: \(population): one point at lon 82.6108, lat 49.9486 holds 354\u{2009}770 of "
                                          + "the 354\u{2009}770 residents of district levoberezhye (Левобережье), 100 %"), "\(warnings)")
            #expect(result.stderrLines.last?.hasPrefix("hint: give residents as many points") == true)
        }
    }

    @Test("OSM units overlapping by 9 km²: warned about with where, the city's area counts that ground once")
    func overlappingUnits() throws {
        try withTemporaryDirectory { folder in
            let units = file("osm-units.geojson")
            let result = try runCivic(["coverage", "--districts", units, "--entities", file("stations.geojson"),
                                       "--id-field", "osm_id", "--format", "json"], in: folder)
            #expect(result.status == 0, "\(result)")
            let root = try json(result)
            let rows = try #require(root["districts"]?.arrayValue).compactMap(\.objectValue)
            let sum = rows.compactMap { $0["area_m2"]?.doubleValue }.reduce(0, +)
            let city = try #require(root["city"]?.objectValue?["area_m2"]?.doubleValue)
            #expect(abs(sum - 210e6) < 1 && abs(city - 201e6) < 1, "sum \(sum), city \(city)")
            let overlap = result.stderrLines.filter { $0.contains("overlap") }
            #expect(overlap.count == 1 && overlap[0].hasPrefix(
                "civic: warning: \(units): districts -1234501 (Ульбинский сельский округ) and -1234502 (Городская администрация "
                    + "Защита) overlap by 9 km² around lon 83.0"), "\(result.stderr)")
            #expect(overlap.first?.hasSuffix("; the city's total counts that ground once") == true)
        }
    }

    @Test("--radius 1e9 on the bundled city: every district 100 %, and gaps finds none")
    func hugeRadius() throws {
        try withTemporaryDirectory { folder in
            let result = try runCivic(["coverage", "--dataset", bundledDataset, "--radius", "1e9"], in: folder)
            #expect(result.status == 0, "\(result)")
            let rows = result.stdout.split(separator: "\n").dropFirst(2)
            #expect(rows.count == 15 && rows.allSatisfy { $0.contains("100.0 %") }, "\(result.stdout)")
            let gaps = try runCivic(["gaps", "--dataset", bundledDataset, "--radius", "1e9", "--min-area", "0", "--format", "csv"],
                                    in: folder)
            #expect(gaps.status == 0 && gaps.stdout.split(separator: "\n").count == 1, "\(gaps)")
        }
    }

    @Test("districts in three UTM zones: crs \"UTM per district\" and each district's own; gaps and map work")
    func severalZones() throws {
        try withTemporaryDirectory { folder in
            // Three oblasts' worth of districts around 70°, 76° and 82° E (zones 42, 43, 44).
            let features = [70.5, 76.5, 82.5].enumerated().map { i, lon in
                "{\"type\":\"Feature\",\"properties\":{\"shapeName\":\"Аудан \(i + 1)\",\"shapeISO\":\"KZ-\(i)\"},\"geometry\":{\"type\":\"Polygon\","
                    + "\"coordinates\":[[[\(lon),49.0],[\(lon + 1),49.0],[\(lon + 1),50.0],[\(lon),50.0],[\(lon),49.0]]]}}"
            }
            try writeText("{\"type\":\"FeatureCollection\",\"features\":[\n" + features.joined(separator: ",\n") + "\n]}\n",
                          to: folder + "/kz.geojson")
            try writeText("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"id\":\"a\",\"properties\":{},"
                          + "\"geometry\":{\"type\":\"Point\",\"coordinates\":[76.9,49.5]}}]}\n", to: folder + "/one.geojson")
            let result = try runCivic(["coverage", "--districts", "kz.geojson", "--entities", "one.geojson", "--format", "json"], in: folder)
            #expect(result.status == 0, "\(result)")
            let root = try json(result)
            #expect(root["crs"] == .string("UTM per district"))
            let rows = try #require(root["districts"]?.arrayValue).compactMap(\.objectValue)
            #expect(rows.map { $0["crs"] } == ["EPSG:32642", "EPSG:32643", "EPSG:32644"].map(JSONValue.string))
            #expect(rows.map { $0["entities"]?.intValue } == [0, 1, 0])
            let gaps = try runCivic(["gaps", "--districts", "kz.geojson", "--entities", "one.geojson", "--min-area", "0"], in: folder)
            #expect(gaps.status == 0, "\(gaps)")
            let gapFeatures = try GeoJSONReader.features(in: Array(gaps.stdout.utf8), file: "gaps")
            #expect(gapFeatures.count == 3)
            #expect(gapFeatures.allSatisfy { feature in
                guard let box = feature.geometry?.boundingBox else { return false }
                // Edges are straight in the zone's metres: 1° long, they bow by up to 0.001° from the
                // parallel or meridian between their ends.
                return [70.5, 76.5, 82.5].contains { abs(box.minX - $0) < 0.01 } && abs(box.minY - 49) < 0.01
            }, "gaps in WGS84 where their districts are")
            let map = try runCivic(["map", "--districts", "kz.geojson", "--entities", "one.geojson", "-o", "kz.svg"], in: folder)
            #expect(map.status == 0, "\(map)")
            let svg = readText(folder + "/kz.svg")
            #expect(svg.contains("civic:crs=\"EPSG:32643\"") && svg.contains("UTM per district (карта EPSG:32643)"))
            #expect(svg.contains("без вида"), "the unclassified entity has a kind in the legend")
        }
    }
}
