import CivicTestSupport
import Foundation
import GeoValues
import Testing

let twoDistricts = repositoryRoot.appendingPathComponent("Tests/CivicCLITests/Fixtures/two-districts.geojson").path

/// A dataset over two square districts west and east of 82.62°E, 49.93–49.97°N.
func makeSquareDataset(in folder: String) throws -> String {
    let path = folder + "/squares"
    let result = try civic("init", path, "--name", "Квадраты", "--districts", twoDistricts, "--radius", "400")
    #expect(result.status == 0, "\(result)")
    return path
}

/// Adds a venue inside the west district and returns its id.
func addVenue(_ dataset: String, name: String = "Дом культуры", lat: String = "49.95", lon: String = "82.60",
              extra: [String] = []) throws -> Int {
    let result = try civic(arguments: ["add", "--dataset", dataset, "--kind", "venue", "--name", name,
                                       "--lat", lat, "--lon", lon, "--theme", "culture"] + extra)
    #expect(result.status == 0, "\(result)")
    return Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
}

@Suite("civic init")
struct InitTests {
    @Test func createsTheDatasetLayout() throws {
        try withTemporaryDirectory { dir in
            let path = try makeSquareDataset(in: dir)
            for file in ["dataset.json", "districts.geojson", "entities.geojson", "history.jsonl", ".gitignore"] {
                #expect(FileManager.default.fileExists(atPath: path + "/" + file), "missing \(file)")
            }
            #expect(readText(path + "/.gitignore").contains("private/"))
            let info = readText(path + "/dataset.json")
            #expect(info.contains("\"radius_m\": 400"), "\(info)")
            #expect(info.contains("инициативная группа"), "labels in Russian are written as is, not \\u-escaped")
            let validate = try civic("validate", "--dataset", path)
            #expect(validate.status == 0, "\(validate)")
        }
    }

    @Test func refusesAnExistingNonEmptyFolder() throws {
        try withTemporaryDirectory { dir in
            let path = try makeSquareDataset(in: dir)
            let before = snapshot(path)
            let again = try civic("init", path, "--name", "x", "--districts", twoDistricts)
            #expect(again.status == 1, "\(again)")
            #expect(snapshot(path) == before)
        }
    }

    @Test func assignsIdsWhereMissing() throws {
        try withTemporaryDirectory { dir in
            let file = dir + "/noids.geojson"
            try writeText("""
            {"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"name":"Один"},"geometry":{"type":"Polygon","coordinates":[[[82.58,49.93],[82.62,49.93],[82.62,49.97],[82.58,49.93]]]}},
            {"type":"Feature","properties":{"name":"Два"},"geometry":{"type":"Polygon","coordinates":[[[82.62,49.93],[82.66,49.93],[82.66,49.97],[82.62,49.93]]]}}
            ]}
            """, to: file)
            let result = try civic("init", dir + "/c", "--name", "c", "--districts", file)
            #expect(result.status == 0, "\(result)")
            let districts = readText(dir + "/c/districts.geojson")
            #expect(districts.contains("\"id\":\"d1\"") && districts.contains("\"id\":\"d2\""), "\(districts)")
        }
    }

    @Test func refusesASelfIntersectingDistrictNamingWhereItCrosses() throws {
        try withTemporaryDirectory { dir in
            let file = dir + "/bowtie.geojson"
            try writeText("""
            {"type":"FeatureCollection","features":[
            {"type":"Feature","id":"bow","properties":{"name":"Бант"},"geometry":{"type":"Polygon","coordinates":[[[82.60,49.90],[82.70,50.00],[82.70,49.90],[82.60,50.00],[82.60,49.90]]]}}
            ]}
            """, to: file)
            let result = try civic("init", dir + "/c", "--name", "c", "--districts", file)
            #expect(result.status == 1)
            let line = result.stderrLines.first ?? ""
            #expect(line.contains("bowtie.geojson") && line.contains("features[0]"), "\(result)")
            #expect(line.lowercased().contains("self-intersection") && line.contains("82.65") && line.contains("49.95"), "\(result)")
            #expect(!FileManager.default.fileExists(atPath: dir + "/c/dataset.json"))
        }
    }

    @Test func refusesDuplicateDistrictIds() throws {
        try withTemporaryDirectory { dir in
            let file = dir + "/dup.geojson"
            try writeText(readText(twoDistricts).replacingOccurrences(of: "\"id\":\"east\"", with: "\"id\":\"west\""), to: file)
            let result = try civic("init", dir + "/c", "--name", "c", "--districts", file)
            #expect(result.status == 1)
            #expect(result.stderr.contains("features[1]") && result.stderr.contains("west"), "\(result)")
        }
    }
}

@Suite("civic add")
struct AddTests {
    @Test func printsTheNewIdAndStoresTheEntity() throws {
        try withTemporaryDirectory { dir in
            let path = try makeSquareDataset(in: dir)
            let first = try addVenue(path)
            let second = try addVenue(path, name: "Библиотека", lat: "49.951", lon: "82.64")
            #expect(first == 1 && second == 2)
            let show = try civic("show", "2", "--dataset", path, "--format", "json")
            #expect(show.status == 0 && show.stdout.contains("\"name\": \"Библиотека\""), "\(show)")
        }
    }

    @Test func acceptsRussianAndKazakhLabelsAsAliases() throws {
        try withTemporaryDirectory { dir in
            let path = try makeSquareDataset(in: dir)
            let result = try civic("add", "--dataset", path, "--kind", "Инициативная группа", "--name", "Свет",
                                   "--lat", "49.95", "--lon", "82.61", "--theme", "освещение", "--theme", "жастар")
            #expect(result.status == 0, "\(result)")
            let entities = readText(path + "/entities.geojson")
            #expect(entities.contains("\"kind\":\"initiative_group\""), "\(entities)")
            #expect(entities.contains("\"themes\":[\"lighting\",\"youth\"]"), "\(entities)")
        }
    }

    /// Each refusal: exit 1, one `civic: error:` line naming the reason, and every file unchanged.
    @Test(arguments: [
        (["--kind", "shop", "--theme", "culture"], "unknown kind 'shop'", "allowed kinds: community"),
        (["--kind", "venue", "--theme", "parking"], "unknown theme 'parking'", "allowed themes: courtyards"),
        (["--kind", "venue", "--theme", "culture", "--email", "not-an-email"], "not an e-mail", "expected"),
        (["--kind", "venue", "--theme", "culture", "--phone", "call me"], "not a phone", "expected"),
    ])
    func refusesBadFieldsLeavingTheDatasetUnchanged(extra: [String], reason: String, hint: String) throws {
        try withTemporaryDirectory { dir in
            let path = try makeSquareDataset(in: dir)
            _ = try addVenue(path, name: "Уже есть")
            let before = snapshot(path)
            let result = try civic(arguments: ["add", "--dataset", path, "--name", "Новое", "--lat", "49.95",
                                               "--lon", "82.63"] + extra)
            #expect(result.status == 1, "\(result)")
            #expect(result.stderrLines.first?.hasPrefix("civic: error: ") == true, "\(result)")
            #expect(result.stderr.contains(reason) && result.stderr.contains(hint), "\(result)")
            #expect(snapshot(path) == before, "the dataset changed")
        }
    }

    @Test func refusesCoordinatesOutOfRange() throws {
        try withTemporaryDirectory { dir in
            let path = try makeSquareDataset(in: dir)
            let before = snapshot(path)
            let result = try civic("add", "--dataset", path, "--kind", "venue", "--name", "X", "--lat", "95",
                                   "--lon", "82.6", "--theme", "culture")
            #expect(result.status == 1 && result.stderr.contains("latitude 95"), "\(result)")
            #expect(snapshot(path) == before)
        }
    }

    @Test func refusesAPointFarOutsideAndAdmitsItWithAllowOutside() throws {
        try withTemporaryDirectory { dir in
            let path = try makeSquareDataset(in: dir)
            let before = snapshot(path)
            // 49.90°N is 3.3 km south of the districts.
            let refused = try civic("add", "--dataset", path, "--kind", "venue", "--name", "Далеко", "--lat", "49.90",
                                    "--lon", "82.60", "--theme", "culture")
            #expect(refused.status == 1 && refused.stderr.contains("outside every district"), "\(refused)")
            #expect(refused.stderr.contains("--allow-outside"), "\(refused)")
            #expect(snapshot(path) == before)
            let allowed = try civic("add", "--dataset", path, "--kind", "venue", "--name", "Далеко", "--lat", "49.90",
                                    "--lon", "82.60", "--theme", "culture", "--allow-outside")
            #expect(allowed.status == 0, "\(allowed)")
        }
    }

    @Test func admitsAPointWithinOneKilometreOfTheCity() throws {
        try withTemporaryDirectory { dir in
            let path = try makeSquareDataset(in: dir)
            // 49.925°N is about 556 m south of the districts' edge.
            _ = try addVenue(path, name: "Рядом", lat: "49.925", lon: "82.60")
        }
    }

    @Test func saysWhenLatitudeAndLongitudeLookSwapped() throws {
        try withTemporaryDirectory { dir in
            let path = try makeSquareDataset(in: dir)
            let before = snapshot(path)
            let result = try civic("add", "--dataset", path, "--kind", "venue", "--name", "Наоборот", "--lat", "82.60",
                                   "--lon", "49.95", "--theme", "culture")
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.contains("look swapped") && result.stderr.contains("--lat 49.95 --lon 82.6"), "\(result)")
            #expect(snapshot(path) == before)
        }
    }

    @Test func refusesANearDuplicateNamingTheExistingId() throws {
        try withTemporaryDirectory { dir in
            let path = try makeSquareDataset(in: dir)
            let id = try addVenue(path, name: "Совет дома, ул. Бажова 5")
            let before = snapshot(path)
            // 0.0005° of latitude is about 56 m; the name differs in case, spacing and punctuation only.
            let result = try civic("add", "--dataset", path, "--kind", "community", "--name", "совет  дома ул Бажова 5",
                                   "--lat", "49.9505", "--lon", "82.60", "--theme", "courtyards")
            #expect(result.status == 1 && result.stderr.contains("entity \(id)"), "\(result)")
            #expect(result.stderr.contains("--allow-duplicate"), "\(result)")
            #expect(snapshot(path) == before)
            let again = try civic("add", "--dataset", path, "--kind", "community", "--name", "совет  дома ул Бажова 5",
                                  "--lat", "49.9505", "--lon", "82.60", "--theme", "courtyards", "--allow-duplicate")
            #expect(again.status == 0, "\(again)")
        }
    }

    @Test func sameNameFarAwayIsNotADuplicate() throws {
        try withTemporaryDirectory { dir in
            let path = try makeSquareDataset(in: dir)
            _ = try addVenue(path, name: "Школа")
            // 0.002° of latitude is about 222 m.
            _ = try addVenue(path, name: "Школа", lat: "49.952")
        }
    }

    @Test func usageErrorsExitWith64() throws {
        try withTemporaryDirectory { dir in
            let path = try makeSquareDataset(in: dir)
            let unknownFlag = try civic("add", "--dataset", path, "--colour", "red")
            #expect(unknownFlag.status == 64, "\(unknownFlag)")
            #expect(unknownFlag.stderrLines.first?.hasPrefix("civic: error: ") == true, "\(unknownFlag)")
            let noLocation = try civic("add", "--dataset", path, "--kind", "venue", "--name", "X", "--theme", "culture")
            #expect(noLocation.status == 64 && noLocation.stderr.contains("--lat"), "\(noLocation)")
            let noDataset = try civic("list")
            #expect(noDataset.status == 64 && noDataset.stderr.contains("CIVIC_DATASET"), "\(noDataset)")
            let notADataset = try civic("list", "--dataset", dir)
            #expect(notADataset.status == 1 && notADataset.stderr.contains("civic init"), "\(notADataset)")
        }
    }

    @Test func takesTheDatasetFromTheEnvironment() throws {
        try withTemporaryDirectory { dir in
            let path = try makeSquareDataset(in: dir)
            let result = try civic("add", "--kind", "venue", "--name", "Через окружение", "--lat", "49.95",
                                   "--lon", "82.61", "--theme", "culture", environment: ["CIVIC_DATASET": path])
            #expect(result.status == 0 && result.stdout == "1\n", "\(result)")
        }
    }

    @Test func addsAPolygonFromAFile() throws {
        try withTemporaryDirectory { dir in
            let path = try makeSquareDataset(in: dir)
            let park = dir + "/park.geojson"
            // Clockwise on purpose: civic stores it counter-clockwise (RFC 7946 right-hand rule).
            try writeText("""
            {"type":"Polygon","coordinates":[[[82.600,49.950],[82.600,49.952],[82.603,49.952],[82.603,49.950],[82.600,49.950]]]}
            """, to: park)
            let result = try civic("add", "--dataset", path, "--kind", "venue", "--name", "Парк", "--polygon", park,
                                   "--theme", "culture")
            #expect(result.status == 0, "\(result)")
            let entities = readText(path + "/entities.geojson")
            #expect(entities.contains("[[[82.6,49.95],[82.603,49.95],[82.603,49.952],[82.6,49.952],[82.6,49.95]]]"), "\(entities)")
        }
    }
}
