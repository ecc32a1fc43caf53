import CivicTestSupport
import Foundation
import Testing

/// The CLI fixtures of issue 10: files shaped like the real ones volunteers brought.
enum RealShaped {
    static func fixture(_ name: String) -> String {
        repositoryRoot.appendingPathComponent("Tests/CivicCLITests/Fixtures/\(name)").path
    }

    /// Three OSM-Boundaries units of East Kazakhstan (no feature ids, `osm_id`, `local_name`,
    /// `name_en`, MultiPolygons); Ulan and Glubokoe overlap by 9 km².
    static let osmBoundaries = fixture("osm-boundaries-east-kazakhstan.geojson")
    /// Four districts around a reservoir of about 3.2 km² that none of them holds; names in `Name`.
    static let reservoir = fixture("districts-around-a-reservoir.geojson")
    /// Berlin's Bezirke with `Gemeinde_name`, `Gemeinde_schluessel` and `Einwohner` as text, null, number.
    static let berlin = fixture("berlin-bezirke-einwohner.geojson")
    /// GADM's levels: NAME_0 … NAME_2, GID_2, POP as text and null.
    static let gadm = repositoryRoot.appendingPathComponent("Tests/CivicCoreTests/Fixtures/districts/gadm-levels.geojson").path
    /// An openstreetmap.org export of Oskemen's centre: two unnamed playgrounds 27 m apart.
    static let osmExport = importFixtures + "/osm-website-export.osm"
}

@Suite("init: the district file's own property names, kept through the store")
struct InitFieldsTests {
    @Test("--id-field and --population-field on Berlin's Bezirke: ids, populations from text, the rest kept")
    func berlinFields() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/berlin"
            let created = try civic("init", path, "--name", "Berlin", "--districts", RealShaped.berlin,
                                    "--name-field", "Gemeinde_name", "--id-field", "Gemeinde_schluessel",
                                    "--population-field", "Einwohner")
            #expect(created.status == 0, "\(created)")
            let districts = readText(path + "/districts.geojson")
            #expect(districts.contains("\"id\":\"012\",\"properties\":{\"name\":\"Reinickendorf\",\"population\":268792,"
                                       + "\"Land_name\":\"Berlin\",\"Land_schluessel\":\"11\",\"Schluessel_gesamt\":\"11012\","
                                       + "\"gml_id\":\"re_bezirke.12\"}"), "\(districts)")
            // A null population is no population; a number stays one.
            #expect(districts.contains("\"id\":\"004\",\"properties\":{\"name\":\"Charlottenburg-Wilmersdorf\",\"Land_name\""))
            #expect(districts.contains("\"name\":\"Spandau\",\"population\":245197,"))

            let validate = try civic("validate", "--dataset", path)
            #expect(validate.status == 0 && validate.stderrLines == ["civic: \(path): no problems found"], "\(validate)")
            let csv = try civic("export", "districts", "--dataset", path, "--format", "csv", "--csv", "rfc4180")
            #expect(csv.stdout.hasPrefix("id,name,name_ru,name_kk,name_en,population,geometry_type,Land_name,"
                                         + "Land_schluessel,Schluessel_gesamt,gml_id\r\n012,Reinickendorf,,,,268792,Polygon,"
                                         + "Berlin,11,11012,re_bezirke.12\r\n"), "\(csv)")
            let geojson = try civic("export", "districts", "--dataset", path, "--format", "geojson")
            #expect(geojson.stdout.contains("\"gml_id\":\"re_bezirke.5\""), "\(geojson)")
            // An edit of an entity rewrites entities.geojson only: the districts keep every byte.
            let before = readText(path + "/districts.geojson")
            _ = try addVenue(path, name: "Stadtteilzentrum", lat: "52.6", lon: "13.25")
            #expect(readText(path + "/districts.geojson") == before)
        }
    }

    @Test("GADM levels: refused with the text properties listed; --name-field, --id-field, --population-field settle it")
    func gadmFields() throws {
        try withTemporaryDirectory { dir in
            let refused = try civic("init", dir + "/a", "--name", "ВКО", "--districts", RealShaped.gadm)
            #expect(refused.status == 1, "\(refused)")
            #expect(refused.stderrLines.first?.contains("the text properties are: GID_0, NAME_0, GID_1, NAME_1, GID_2, NAME_2") == true,
                    "\(refused)")
            #expect(refused.stderrLines.last == "hint: name it with --name-field, e.g. --name-field NAME_2", "\(refused)")
            #expect(!FileManager.default.fileExists(atPath: dir + "/a"))

            let path = dir + "/b"
            let created = try civic("init", path, "--name", "ВКО", "--districts", RealShaped.gadm, "--name-field", "NAME_2",
                                    "--id-field", "GID_2", "--population-field", "POP")
            #expect(created.status == 0, "\(created)")
            let districts = readText(path + "/districts.geojson")
            #expect(districts.contains("\"id\":\"KAZ.4.14_1\",\"properties\":{\"name\":\"Ulan\",\"population\":40115,"
                                       + "\"GID_0\":\"KAZ\",\"NAME_0\":\"Kazakhstan\""), "\(districts)")
            #expect(try civic("validate", "--dataset", path).status == 0)
            // The opaque GADM id or the name: the same district.
            let byName = try civic("list", "--dataset", path, "--district", "ulan")
            #expect(byName.status == 0, "\(byName)")
        }
    }

    @Test("a field the file does not have is refused naming the option, with the properties it has")
    func unknownField() throws {
        try withTemporaryDirectory { dir in
            let result = try civic("init", dir + "/b", "--name", "B", "--districts", RealShaped.berlin,
                                   "--population-field", "einwohner")
            #expect(result.status == 1, "\(result)")
            #expect(result.stderrLines.first?.hasPrefix("civic: error: --population-field einwohner: no feature of ") == true,
                    "\(result)")
            #expect(result.stderrLines.last == "hint: property names are case-sensitive: try --population-field Einwohner",
                    "\(result)")
        }
    }
}

@Suite("overlapping districts and holes between them")
struct DistrictOverlapTests {
    @Test("init refuses two OSM-Boundaries units overlapping by 9 km², each overlap with ids, names, area and where")
    func initRefusesOverlaps() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/vko"
            let result = try civic("init", path, "--name", "ВКО", "--districts", RealShaped.osmBoundaries)
            #expect(result.status == 1, "\(result)")
            let file = RealShaped.osmBoundaries
            #expect(result.stderrLines == [
                "civic: error: \(file):3: features[1] (id d2): geometry: districts d1 (Уланский район) and d2 "
                    + "(Глубоковский район) overlap by 9.01 km² around lon 82.15, lat 49.99435",
                "hint: correct the boundaries (QGIS: Vector › Geometry Tools › Topology Checker), or keep the overlap "
                    + "on purpose with --allow-overlaps (civic validate then notes it)",
                "civic: error: \(file): 1 overlap between districts; no dataset was created",
            ], "\(result)")
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }

    @Test("--allow-overlaps keeps them, dataset.json remembers the pair, validate notes it and exits 0")
    func allowedOverlapsAreNotes() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/vko"
            let result = try civic("init", path, "--name", "ВКО", "--districts", RealShaped.osmBoundaries, "--allow-overlaps")
            #expect(result.status == 0, "\(result)")
            #expect(result.stderrLines.first?.hasPrefix("civic: note: ") == true
                    && result.stderrLines.first?.hasSuffix("; kept on purpose (--allow-overlaps, remembered in dataset.json)") == true,
                    "\(result)")
            let info = try JSONSerialization.jsonObject(with: Data(readText(path + "/dataset.json").utf8)) as? [String: Any]
            let allow = info?["allow"] as? [String: Any]
            #expect(allow?["overlaps"] as? [[String]] == [["d1", "d2"]], "\(String(describing: info))")

            let validate = try civic("validate", "--dataset", path)
            #expect(validate.status == 0, "\(validate)")
            #expect(validate.stderrLines == [
                "civic: note: \(path)/districts.geojson:3: features[1] (id d2): geometry: districts d1 (Уланский район) "
                    + "and d2 (Глубоковский район) overlap by 9.01 km² around lon 82.15, lat 49.99435; kept on purpose "
                    + "(dataset.json: allow.overlaps)",
                "civic: \(path): no problems found (1 note)",
            ], "\(validate)")
        }
    }

    @Test("validate reports an overlap nobody allowed as a problem, with the dataset.json line that would keep it")
    func validateReportsOverlaps() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/vko"
            #expect(try civic("init", path, "--name", "ВКО", "--districts", RealShaped.osmBoundaries, "--allow-overlaps").status == 0)
            // The pair forgotten, as when dataset.json comes from before civic remembered overlaps.
            let info = readText(path + "/dataset.json")
            let start = try #require(info.range(of: ",\n  \"allow\""))
            try writeText(String(info[..<start.lowerBound]) + "\n}\n", to: path + "/dataset.json")
            let validate = try civic("validate", "--dataset", path)
            #expect(validate.status == 1, "\(validate)")
            #expect(validate.stderrLines.first == "civic: error: \(path)/districts.geojson:3: features[1] (id d2): geometry: "
                    + "districts d1 (Уланский район) and d2 (Глубоковский район) overlap by 9.01 km² around lon 82.15, lat 49.99435",
                    "\(validate)")
            #expect(validate.stderrLines.dropFirst().first?.hasSuffix("or keep the overlap on purpose: \"allow\": "
                    + "{\"overlaps\": [[\"d1\", \"d2\"]]} in dataset.json") == true, "\(validate)")
            #expect(validate.stderrLines.last == "civic: error: \(path): 1 problem found", "\(validate)")
        }
    }

    @Test("a hole between districts (a reservoir) is a note at init and in validate, never a problem")
    func holesAreNotes() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/lake"
            let created = try civic("init", path, "--name", "Водохранилище", "--districts", RealShaped.reservoir)
            #expect(created.status == 0, "\(created)")
            #expect(created.stderrLines.first == "civic: note: \(RealShaped.reservoir): a hole of 3.19 km² that no district "
                    + "holds, around lon 82.03, lat 49.935", "\(created)")
            let validate = try civic("validate", "--dataset", path)
            #expect(validate.status == 0, "\(validate)")
            #expect(validate.stderrLines == [
                "civic: note: \(path)/districts.geojson: a hole of 3.19 km² that no district holds, around lon 82.03, lat 49.935",
                "civic: \(path): no problems found (1 note)",
            ], "\(validate)")
        }
    }

    @Test("validate reports districts written [lat, lon] once, not every entity as outside them")
    func swappedDistricts() throws {
        try withTemporaryDirectory { dir in
            let path = try makeSquareDataset(in: dir)
            _ = try addVenue(path)
            _ = try addVenue(path, name: "Библиотека", lat: "49.96", lon: "82.64")
            // Every position's two numbers exchanged, as a file written [lat, lon] has them.
            let text = readText(path + "/districts.geojson")
            let swapped = try NSRegularExpression(pattern: "\\[(-?[0-9.]+),(-?[0-9.]+)\\]")
                .stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "[$2,$1]")
            try writeText(swapped, to: path + "/districts.geojson")
            let validate = try civic("validate", "--dataset", path)
            #expect(validate.status == 1, "\(validate)")
            #expect(validate.stderrLines.first?.hasPrefix("civic: error: \(path)/districts.geojson: features: geometry: the "
                                                          + "districts lie beyond 70° N") == true, "\(validate)")
            #expect(validate.stderrLines.first?.hasSuffix("latitude and longitude look swapped") == true, "\(validate)")
            #expect(validate.stderrLines.last == "civic: error: \(path): 1 problem found", "\(validate)")
        }
    }
}

@Suite("--district: an id or a name")
struct DistrictNameTests {
    @Test("a unique name in any of its languages, any case, selects the same entities as the id")
    func byName() throws {
        try withTemporaryDirectory { dir in
            let path = try makeSquareDataset(in: dir)
            _ = try addVenue(path)                                                  // west
            _ = try addVenue(path, name: "Библиотека", lat: "49.96", lon: "82.64")  // east
            let byID = try civic("list", "--dataset", path, "--district", "east", "--format", "csv")
            #expect(byID.status == 0 && byID.stdout.contains("Библиотека") && !byID.stdout.contains("Дом культуры"), "\(byID)")
            for name in ["Восточный", "восточный", "ШЫҒЫС", "шығыс"] {
                let byName = try civic("list", "--dataset", path, "--district", name, "--format", "csv")
                #expect(byName.status == 0 && byName.stdout == byID.stdout, "\(name): \(byName)")
            }
            let export = try civic("export", "entities", "--dataset", path, "--district", "западный", "--format", "csv")
            #expect(export.status == 0 && export.stdout.contains("Дом культуры") && !export.stdout.contains("Библиотека"),
                    "\(export)")
        }
    }

    @Test("an unknown district is refused listing id (name) of every district; exit 64")
    func unknown() throws {
        try withTemporaryDirectory { dir in
            let path = try makeSquareDataset(in: dir)
            let result = try civic("list", "--dataset", path, "--district", "Центр")
            #expect(result.status == 64, "\(result)")
            #expect(result.stderrLines == [
                "civic: error: --district Центр: no district has this id or name; the districts are: west (Западный), east (Восточный)",
                "hint: an id, or a name in any language the districts file gives (any case)",
            ], "\(result)")
        }
    }

    @Test("a name two districts share is refused listing both as id (name)")
    func ambiguous() throws {
        try withTemporaryDirectory { dir in
            // Two OSM units both called «Центральный» (a city's and a village's), ids d1 and d2.
            let file = dir + "/two-centres.geojson"
            try writeText("""
                {"type":"FeatureCollection","features":[
                {"type":"Feature","properties":{"name":"Центральный","name_en":"Central"},"geometry":{"type":"Polygon","coordinates":[[[82.58,49.93],[82.62,49.93],[82.62,49.97],[82.58,49.97],[82.58,49.93]]]}},
                {"type":"Feature","properties":{"name":"центральный","name_kk":"Орталық"},"geometry":{"type":"Polygon","coordinates":[[[82.62,49.93],[82.66,49.93],[82.66,49.97],[82.62,49.97],[82.62,49.93]]]}}
                ]}

                """, to: file)
            let path = dir + "/c"
            #expect(try civic("init", path, "--name", "c", "--districts", file).status == 0)
            let result = try civic("list", "--dataset", path, "--district", "ЦЕНТРАЛЬНЫЙ")
            #expect(result.status == 64, "\(result)")
            #expect(result.stderrLines == [
                "civic: error: --district ЦЕНТРАЛЬНЫЙ: 2 districts have this name: d1 (Центральный), d2 (центральный)",
                "hint: give the id of the one you mean, e.g. --district d1",
            ], "\(result)")
            // Its other language tells them apart.
            #expect(try civic("list", "--dataset", path, "--district", "орталық").status == 0)
            #expect(try civic("list", "--dataset", path, "--district", "central").status == 0)
        }
    }
}

@Suite("list --near: swapped and far points")
struct NearPointTests {
    @Test("lon,lat as a 2GIS link gives it is refused as swapped, with the distance and the swapped form; exit 64")
    func twoGISOrder() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/city"
            #expect(try civic("init", path, "--name", "Өскемен", "--districts", bundledDistricts).status == 0)
            _ = try addVenue(path, name: "Библиотека", lat: "49.955", lon: "82.628")
            let swapped = try civic("list", "--dataset", path, "--near", "82.628186,49.955081", "--within", "500")
            #expect(swapped.status == 64, "\(swapped)")
            #expect(swapped.stdout.isEmpty)
            #expect(swapped.stderrLines == [
                "civic: error: --near 82.628186,49.955081: lat 82.628186, lon 49.955081 is 3788 km outside every district, "
                    + "and latitude and longitude look swapped",
                "hint: --near takes latitude first: try --near 49.955081,82.628186",
            ], "\(swapped)")
            let right = try civic("list", "--dataset", path, "--near", "49.955081,82.628186", "--within", "500", "--format", "csv")
            #expect(right.status == 0 && right.stdout.contains("Библиотека") && right.stderr.isEmpty, "\(right)")
        }
    }

    @Test("a point merely far from every district is searched, with a warning that says how far")
    func farPoint() throws {
        try withTemporaryDirectory { dir in
            let path = try makeSquareDataset(in: dir)
            _ = try addVenue(path, name: "Дача", lat: "49.90", lon: "82.60", extra: ["--allow-outside"])
            let result = try civic("list", "--dataset", path, "--near", "49.90,82.601", "--within", "200", "--format", "csv")
            #expect(result.status == 0 && result.stdout.contains("Дача"), "\(result)")
            #expect(result.stderrLines == ["civic: warning: --near 49.90,82.601: lat 49.9, lon 82.601 is 3.3 km outside every district"],
                    "\(result)")
        }
    }

    @Test("a latitude beyond 90 whose swap is a place says so instead of 'invalid value'")
    func latitudeOutOfRange() throws {
        try withTemporaryDirectory { dir in
            let path = try makeSquareDataset(in: dir)
            let result = try civic("list", "--dataset", path, "--near", "120.1,30.2", "--within", "100")
            #expect(result.status == 64, "\(result)")
            #expect(result.stderrLines == [
                "civic: error: --near 120.1,30.2: latitude 120.1 is outside -90…90; latitude and longitude look swapped",
                "hint: --near takes latitude first: try --near 30.2,120.1",
            ], "\(result)")
        }
    }
}

@Suite("remembered choices: a dataset civic's own commands made always validates")
struct RememberedChoicesTests {
    @Test("add --allow-outside, add --allow-duplicate, an import of two unnamed playgrounds: validate exits 0 with notes")
    func ownCommandsValidate() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/city"
            #expect(try civic("init", path, "--name", "Өскемен", "--districts", bundledDistricts).status == 0)
            // The places only: what validate says of a network is StreetNetworkCommandTests' subject.
            let imported = try civic("import", "osm", RealShaped.osmExport, "--dataset", path, "--no-network")
            #expect(imported.status == 0, "\(imported)")
            // 3.7 km north-west of the city: a summer-house club the volunteers know is outside.
            let outside = try civic("add", "--dataset", path, "--kind", "venue", "--name", "Дачный клуб", "--lat", "50.05",
                                    "--lon", "82.5", "--theme", "culture", "--allow-outside")
            #expect(outside.status == 0 && outside.stdout == "12\n", "\(outside)")
            #expect(outside.stderrLines == ["civic: entity 12 kept more than 1 km outside every district, as --allow-outside "
                                            + "asks; it remembers that, and civic validate notes it"], "\(outside)")
            // A second library of the same name in the same building, on purpose.
            _ = try addVenue(path, name: "Библиотека", lat: "49.9541", lon: "82.6268")
            let twin = try civic("add", "--dataset", path, "--kind", "venue", "--name", "библиотека", "--lat", "49.9543",
                                 "--lon", "82.6269", "--theme", "culture", "--allow-duplicate")
            #expect(twin.status == 0 && twin.stdout == "14\n", "\(twin)")
            let entities = readText(path + "/entities.geojson")
            #expect(entities.contains("\"allow\":{\"outside\":true}},\"geometry\":{\"type\":\"Point\",\"coordinates\":[82.5,50.05]}"),
                    "\(entities)")
            #expect(entities.contains("\"allow\":{\"duplicate_of\":[13]}},"), "\(entities)")

            let validate = try civic("validate", "--dataset", path)
            #expect(validate.status == 0, "\(validate)")
            #expect(validate.stderrLines == [
                "civic: note: \(path)/entities.geojson:9: features[7] (id 8): same name as entity 1 'Детская площадка' "
                    + "within 100 m; kept as two: they are two OpenStreetMap objects (osm:node/3411000101, osm:way/412000101)",
                "civic: note: \(path)/entities.geojson:13: features[11] (id 12): geometry: lat 50.05, lon 82.5 is 3.7 km "
                    + "outside every district; kept there on purpose (--allow-outside: the entity remembers it in allow.outside)",
                "civic: note: \(path)/entities.geojson:15: features[13] (id 14): same name as entity 13 'Библиотека' within "
                    + "100 m; kept as two on purpose (--allow-duplicate: entity 14 remembers it in allow.duplicate_of)",
                "civic: \(path): no problems found (3 notes)",
            ], "\(validate)")
        }
    }

    @Test("a hand-made duplicate, with no remembered choice, is still a problem; edit --allow-duplicate records it")
    func handMadeDuplicate() throws {
        try withTemporaryDirectory { dir in
            let path = try makeSquareDataset(in: dir)
            _ = try addVenue(path)
            _ = try addVenue(path, name: "Дом культуры", lat: "49.9503", lon: "82.60", extra: ["--allow-duplicate"])
            // A third copy written into the file by hand, beside both.
            let file = path + "/entities.geojson"
            try writeText(readText(file).replacingOccurrences(of: "\n]}", with: ",\n{\"type\":\"Feature\",\"id\":3,\"properties\":"
                + "{\"kind\":\"venue\",\"name\":\"ДОМ КУЛЬТУРЫ\",\"themes\":[\"culture\"]},\"geometry\":{\"type\":\"Point\","
                + "\"coordinates\":[82.6001,49.9501]}}\n]}"), to: file)
            let validate = try civic("validate", "--dataset", path)
            #expect(validate.status == 1, "\(validate)")
            #expect(validate.stderrLines == [
                "civic: error: \(path)/entities.geojson:4: features[2] (id 3): likely duplicate of entity 1 'Дом культуры' "
                    + "(same name within 100 m)",
                "hint: merge them (civic remove 3), rename one, or keep both: civic edit 3 --allow-duplicate",
                "civic: error: \(path)/entities.geojson:4: features[2] (id 3): likely duplicate of entity 2 'Дом культуры' "
                    + "(same name within 100 m)",
                "hint: merge them (civic remove 3), rename one, or keep both: civic edit 3 --allow-duplicate",
                "civic: note: \(path)/entities.geojson:3: features[1] (id 2): same name as entity 1 'Дом культуры' within 100 m; "
                    + "kept as two on purpose (--allow-duplicate: entity 2 remembers it in allow.duplicate_of)",
                "civic: error: \(path): 2 problems found (1 note)",
            ], "\(validate)")

            let edited = try civic("edit", "3", "--dataset", path, "--allow-duplicate")
            #expect(edited.status == 0, "\(edited)")
            #expect(readText(file).contains("\"id\":3,") && readText(file).contains("\"allow\":{\"duplicate_of\":[1,2]}"))
            let again = try civic("validate", "--dataset", path)
            #expect(again.status == 0 && again.stderrLines.last == "civic: \(path): no problems found (3 notes)", "\(again)")
        }
    }

    @Test("an entity added outside before civic remembered choices: a problem until edit --allow-outside records it")
    func oldOutsideEntity() throws {
        try withTemporaryDirectory { dir in
            let path = try makeSquareDataset(in: dir)
            _ = try addVenue(path, name: "Дача", lat: "49.90", lon: "82.60", extra: ["--allow-outside"])
            let file = path + "/entities.geojson"
            try writeText(readText(file).replacingOccurrences(of: ",\"allow\":{\"outside\":true}", with: ""), to: file)
            let validate = try civic("validate", "--dataset", path)
            #expect(validate.status == 1, "\(validate)")
            #expect(validate.stderrLines.prefix(2) == [
                "civic: error: \(path)/entities.geojson:2: features[0] (id 1): geometry: lat 49.9, lon 82.6 is 3.3 km outside every district",
                "hint: correct it (civic edit 1 --lat … --lon …), or keep it there: civic edit 1 --allow-outside",
            ], "\(validate)")
            #expect(try civic("edit", "1", "--dataset", path, "--allow-outside").status == 0)
            #expect(try civic("validate", "--dataset", path).status == 0)
        }
    }

    @Test("edit: a new place outside needs --allow-outside again; back inside, the entity forgets it was outside")
    func editRelocation() throws {
        try withTemporaryDirectory { dir in
            let path = try makeSquareDataset(in: dir)
            _ = try addVenue(path, name: "Дача", lat: "49.90", lon: "82.60", extra: ["--allow-outside"])
            let before = snapshot(path)
            let moved = try civic("edit", "1", "--dataset", path, "--lat", "49.89", "--lon", "82.60")
            #expect(moved.status == 1 && moved.stderr.contains("outside every district"), "\(moved)")
            #expect(snapshot(path) == before, "a refused edit changed the dataset")
            #expect(try civic("edit", "1", "--dataset", path, "--lat", "49.95", "--lon", "82.60").status == 0)
            #expect(!readText(path + "/entities.geojson").contains("\"allow\""))
            #expect(try civic("validate", "--dataset", path).stderrLines == ["civic: \(path): no problems found"])
        }
    }

    @Test("edit: two entities kept side by side stay kept when one moves a few metres or is renamed back")
    func editKeptBeside() throws {
        try withTemporaryDirectory { dir in
            let path = try makeSquareDataset(in: dir)
            _ = try addVenue(path)
            _ = try addVenue(path, name: "Дом культуры", lat: "49.9503", lon: "82.60", extra: ["--allow-duplicate"])
            // Entity 1 moves 20 m: entity 2 remembers being kept beside it, so no flag is needed.
            let moved = try civic("edit", "1", "--dataset", path, "--lat", "49.9501", "--lon", "82.6002")
            #expect(moved.status == 0, "\(moved)")
            // A third entity renamed into a duplicate needs the flag, and then remembers it.
            _ = try addVenue(path, name: "Клуб", lat: "49.9502", lon: "82.6001")
            let renamed = try civic("edit", "3", "--dataset", path, "--name", "Дом культуры")
            #expect(renamed.status == 1 && renamed.stderr.contains("would duplicate entity 1"), "\(renamed)")
            #expect(try civic("edit", "3", "--dataset", path, "--name", "Дом культуры", "--allow-duplicate").status == 0)
            let validate = try civic("validate", "--dataset", path)
            #expect(validate.status == 0 && validate.stderrLines.last == "civic: \(path): no problems found (3 notes)",
                    "\(validate)")
        }
    }
}

@Suite("import csv --allow-outside remembers, as add does")
struct ImportRemembersTests {
    @Test("a row kept outside the districts carries allow.outside, and validate notes it")
    func csvAllowOutside() throws {
        try withTemporaryDirectory { dir in
            let path = try makeSquareDataset(in: dir)
            let sheet = dir + "/sheet.csv"
            try writeText("название;тип;широта;долгота;темы\r\nСовет дома;community;49,95;82,60;дворы\r\n"
                          + "Дачный совет;community;49,90;82,60;дворы\r\n", to: sheet)
            let refused = try civic("import", "csv", sheet, "--dataset", path)
            #expect(refused.status == 1 && refused.stderr.contains("3.3 km outside every district"), "\(refused)")
            let imported = try civic("import", "csv", sheet, "--dataset", path, "--allow-outside")
            #expect(imported.status == 0, "\(imported)")
            let entities = readText(path + "/entities.geojson").split(separator: "\n")
            #expect(entities.filter { $0.contains("\"allow\":{\"outside\":true}") }.map { $0.contains("Дачный совет") } == [true],
                    "\(entities)")
            let validate = try civic("validate", "--dataset", path)
            #expect(validate.status == 0 && validate.stderrLines.last == "civic: \(path): no problems found (1 note)", "\(validate)")
        }
    }
}
