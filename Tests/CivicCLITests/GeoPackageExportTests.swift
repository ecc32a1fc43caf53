import CivicCore
import CivicStore
import CivicTestSupport
import Foundation
import GeoValues
import Testing

/// GDAL's own GeoPackage validator, shipped with python3-gdal (a dependency of gdal-bin on Debian).
private let gpkgValidator = "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py"
private let geoPackageLayers = ["districts", "entities_points", "entities_areas", "coverage", "gaps"]

/// Reads one layer of a GDAL-readable file back through GDAL, as GeoJSON features' properties.
private func featuresThroughGDAL(_ file: String, layer: String) throws -> [[String: Any]] {
    let ogr2ogr = try #require(which("ogr2ogr"), "ogr2ogr is needed (apt-get install gdal-bin; .ci/run installs it)")
    let result = try run(ogr2ogr, ["-f", "GeoJSON", "/vsistdout/", file, layer])
    #expect(result.status == 0, "\(file) \(layer): \(result)")
    let collection = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    let features = try #require(collection?["features"] as? [[String: Any]], "\(file) \(layer): \(result.stdout.prefix(300))")
    return features.map { $0["properties"] as? [String: Any] ?? [:] }
}

/// `civic export all -o city.gpkg` of the bundled city, in `dir`.
private func exportBundledCity(to dir: String) throws -> String {
    let file = dir + "/city.gpkg"
    let result = try civic("export", "all", "--dataset", bundledDataset, "-o", file)
    #expect(result.status == 0, "\(result)")
    #expect(result.stdout.isEmpty, "a GeoPackage goes to its file, never to stdout: \(result.stdout.prefix(100))")
    return file
}

@Suite("export to GeoPackage")
struct GeoPackageExportTests {
    @Test func everyLayerOpensInOGRWithItsCountAndASpatialIndex() throws {
        let ogrinfo = try #require(which("ogrinfo"), "ogrinfo is needed (apt-get install gdal-bin; .ci/run installs it)")
        try withTemporaryDirectory { dir in
            let file = try exportBundledCity(to: dir)
            let entities = try Dataset(path: bundledDataset).load().entities
            let points = entities.filter { if case .point = $0.geometry { true } else { false } }.count
            let gaps = try civic("gaps", "--dataset", bundledDataset)
            let gapCount = gaps.stdout.components(separatedBy: "\"type\":\"Feature\"").count - 1
            #expect(points > 0 && points < entities.count && gapCount > 0, "the city has points, areas and gaps")
            let expected = ["districts": 14, "entities_points": points, "entities_areas": entities.count - points,
                            "coverage": 14, "gaps": gapCount]

            let summary = try run(ogrinfo, ["-ro", "-so", file])
            #expect(summary.status == 0 && summary.stderr.isEmpty, "\(summary)")
            for (index, layer) in geoPackageLayers.enumerated() {
                let geometry = layer == "entities_points" ? "Point" : layer == "gaps" ? "Polygon" : "Multi Polygon"
                #expect(summary.stdout.contains("\(index + 1): \(layer) (\(geometry))"), "\(summary.stdout)")
                let info = try run(ogrinfo, ["-ro", "-so", file, layer])
                #expect(info.stdout.contains("Feature Count: \(expected[layer] ?? -1)\n"), "\(layer): \(info)")
                #expect(info.stdout.contains("EPSG\",4326]]"), "\(layer) is in WGS84: \(info.stdout.prefix(800))")
                let index = try run(ogrinfo, ["-ro", file, "-sql", "SELECT HasSpatialIndex('\(layer)', 'geom')"])
                #expect(index.stdout.contains("HasSpatialIndex (Integer) = 1"), "\(layer): \(index)")
            }
            // The R-tree holds one box per feature, so a box query finds features without reading them.
            let rtree = try run(ogrinfo, ["-ro", file, "-sql", "SELECT COUNT(*) AS n FROM rtree_entities_points_geom"])
            #expect(rtree.stdout.contains("n (Integer) = \(points)"), "\(rtree)")
            // GDAL's spatial filter goes through that index: it finds exactly the points in a box.
            let box = BoundingBox(minX: 82.60, minY: 49.94, maxX: 82.63, maxY: 49.96)
            let inBox = entities.filter { if case .point(let p) = $0.geometry { box.contains(p) } else { false } }.count
            #expect(inBox > 0 && inBox < points)
            let filtered = try run(ogrinfo, ["-ro", "-so", "-spat", "82.60", "49.94", "82.63", "49.96", file, "entities_points"])
            #expect(filtered.stdout.contains("Feature Count: \(inBox)\n"), "\(filtered)")
        }
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: gpkgValidator) && FileManager.default.fileExists(atPath: "/usr/bin/python3"),
                   "GDAL's validate_gpkg.py comes with python3-gdal"))
    func gdalsValidatorAcceptsTheFile() throws {
        try withTemporaryDirectory { dir in
            let file = try exportBundledCity(to: dir)
            let result = try run("/usr/bin/python3", [gpkgValidator, file])
            #expect(result.status == 0 && result.stdout.isEmpty && result.stderr.isEmpty, "\(result)")
        }
    }

    @Test func everyLayerConvertsToAShapefileWithItsNames() throws {
        let ogr2ogr = try #require(which("ogr2ogr"), "ogr2ogr is needed (apt-get install gdal-bin; .ci/run installs it)")
        try withTemporaryDirectory { dir in
            let file = try exportBundledCity(to: dir)
            for layer in geoPackageLayers {
                let shapefile = dir + "/\(layer).shp"
                let result = try run(ogr2ogr, ["-f", "ESRI Shapefile", "-lco", "ENCODING=UTF-8", shapefile, file, layer])
                #expect(result.status == 0 && !result.stderr.contains("ERROR"), "\(layer): \(result)")
                #expect(FileManager.default.fileExists(atPath: shapefile), "\(layer)")
            }
            let entities = try Dataset(path: bundledDataset).load().entities
            let fromShapefile = try featuresThroughGDAL(dir + "/entities_points.shp", layer: "entities_points")
            let expected = entities.filter { if case .point = $0.geometry { true } else { false } }
            #expect(fromShapefile.map { $0["name"] as? String } == expected.map(\.name))
            #expect(fromShapefile.map { $0["name_kk"] as? String } == expected.map { $0.names["kk"] })
            #expect(fromShapefile.map { $0["themes"] as? String } == expected.map { $0.themes.joined(separator: ";") })
        }
    }

    @Test func valuesReadBackEqual() throws {
        try withTemporaryDirectory { dir in
            let file = try exportBundledCity(to: dir)
            let state = try Dataset(path: bundledDataset).load()
            let points = try featuresThroughGDAL(file, layer: "entities_points")
            let areas = try featuresThroughGDAL(file, layer: "entities_areas")
            let byID = Dictionary(uniqueKeysWithValues: (points + areas).compactMap { p in (p["id"] as? Int).map { ($0, p) } })
            #expect(byID.count == state.entities.count)
            for entity in state.entities {
                let row = try #require(byID[entity.id], "entity \(entity.id) is in the GeoPackage")
                #expect(row["name"] as? String == entity.name)
                #expect(row["name_kk"] as? String == entity.names["kk"], "\(entity.id)")
                #expect(row["name_ru"] as? String == entity.names["ru"], "\(entity.id)")
                #expect(row["themes"] as? String == entity.themes.joined(separator: ";"), "\(entity.id)")
                #expect(row["kind"] as? String == entity.kind && row["status"] as? String == entity.status.rawValue)
            }
            #expect(state.entities.contains { $0.names["kk"]?.contains(where: { "әғқңөұүһі".contains($0) }) == true },
                    "the bundled city has Kazakh names to read back")

            let coverage = try civic("coverage", "--dataset", bundledDataset, "--format", "json")
            let figures = try #require(try JSONSerialization.jsonObject(with: Data(coverage.stdout.utf8)) as? [String: Any])
            let districts = try #require(figures["districts"] as? [[String: Any]])
            let layer = try featuresThroughGDAL(file, layer: "coverage")
            #expect(layer.count == districts.count)
            for district in districts {
                let id = try #require(district["id"] as? String)
                let row = try #require(layer.first { $0["id"] as? String == id }, "district \(id)")
                #expect(row["name"] as? String == district["name"] as? String)
                for key in ["area_m2", "covered_m2", "covered_share", "population", "covered_population"] {
                    let want = (district[key] as? NSNumber)?.doubleValue, got = (row[key] as? NSNumber)?.doubleValue
                    #expect(want != nil && got == want, "\(id) \(key): \(String(describing: got)) ≠ \(String(describing: want))")
                }
                #expect(row["entities"] as? Int == district["entities"] as? Int)
            }
            let names = try featuresThroughGDAL(file, layer: "districts").compactMap { $0["name"] as? String }
            #expect(names == state.districts.map(\.name))
        }
    }

    @Test func coverageOpensShadedByCoveredShare() throws {
        let ogrinfo = try #require(which("ogrinfo"), "ogrinfo is needed (apt-get install gdal-bin; .ci/run installs it)")
        try withTemporaryDirectory { dir in
            let file = try exportBundledCity(to: dir)
            let styles = try run(ogrinfo, ["-ro", "-q", file, "-sql",
                                           "SELECT f_table_name, f_geometry_column, useAsDefault, styleQML FROM layer_styles ORDER BY id"])
            #expect(styles.status == 0, "\(styles)")
            for layer in geoPackageLayers {
                #expect(styles.stdout.contains("f_table_name (String) = \(layer)\n"), "\(layer) has a default style: \(styles.stdout)")
            }
            #expect(!styles.stdout.contains("useAsDefault (Integer) = 0"))
            #expect(styles.stdout.contains("type=\"graduatedSymbol\" attr=\"covered_share\""), "\(styles.stdout.prefix(2000))")
            #expect(styles.stdout.contains("value=\"37,52,148,255\""), "the darkest class is civic's map colour #253494")
        }
    }

    @Test func contactsOnlyWithIncludePrivate() throws {
        try withTemporaryDirectory { dir in
            let path = try makeSquareDataset(in: dir)
            _ = try addVenue(path, name: "Үйірме", extra: ["--phone", "+7 777 123 45 67", "--email", "aigul@example.kz"])
            let publicFile = dir + "/public.gpkg", privateFile = dir + "/private.gpkg"
            let quiet = try civic("export", "entities", "--dataset", path, "-o", publicFile)
            #expect(quiet.status == 0 && quiet.stderr.contains("left out"), "\(quiet)")
            let open = try featuresThroughGDAL(publicFile, layer: "entities_points")
            #expect(open.count == 1 && open[0]["name"] as? String == "Үйірме")
            #expect(open[0]["phone"] == nil && open[0]["email"] == nil, "\(open)")
            #expect(!readBytes(publicFile).contains(Array("aigul@example.kz".utf8)))

            #expect(try civic("export", "entities", "--dataset", path, "--include-private", "-o", privateFile).status == 0)
            let full = try featuresThroughGDAL(privateFile, layer: "entities_points")
            #expect(full.first?["phone"] as? String == "+7 777 123 45 67" && full.first?["email"] as? String == "aigul@example.kz")
        }
    }

    @Test(arguments: [
        (["export", "entities", "-o", "out.shp"], "an ESRI Shapefile", "ogr2ogr -f \"ESRI Shapefile\" -lco ENCODING=UTF-8 out.shp out.gpkg entities_points"),
        (["export", "districts", "-o", "out.kml"], "KML", "ogr2ogr -f \"KML\" out.kml out.gpkg"),
        (["export", "entities", "-o", "out.csv", "--format", "geojson"], "is a .csv file but --format is geojson", "extension"),
        (["export", "entities", "-o", "out.gpkg", "--format", "csv"], "is a GeoPackage but --format is csv", "--format"),
        (["export", "all", "-o", "out.geojson"], "writes a GeoPackage", "-o city.gpkg"),
        (["export", "all"], "not a stream", "-o city.gpkg"),
        (["coverage", "-o", "out.gpkg"], "does not write a GeoPackage", "civic export all -o city.gpkg"),
    ])
    func refusesWhatItCannotWrite(arguments: [String], problem: String, hint: String) throws {
        try withTemporaryDirectory { dir in
            let result = try run(Programs.civic, arguments + ["--dataset", bundledDataset], currentDirectory: dir)
            #expect(result.status == 64, "\(result)")
            #expect(result.stdout.isEmpty, "nothing on stdout: \(result.stdout.prefix(100))")
            let lines = result.stderrLines
            #expect(lines.count == 2 && lines[0].hasPrefix("civic: error: ") && lines[0].contains(problem), "\(result.stderr)")
            #expect(lines.last?.hasPrefix("hint: ") == true && lines.last?.contains(hint) == true, "\(result.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty, "no file written")
        }
    }

    @Test func anExistingFileStaysAsItWasWhenRefused() throws {
        try withTemporaryDirectory { dir in
            let target = dir + "/out.csv"
            try writeText("keep me\n", to: target)
            let result = try civic("export", "entities", "--dataset", bundledDataset, "-o", target, "--format", "geojson")
            #expect(result.status == 64, "\(result)")
            #expect(readText(target) == "keep me\n")
        }
    }

    @Test func refusesAGeoPackageInsideTheDataset() throws {
        try withTemporaryDirectory { dir in
            let path = try makeSquareDataset(in: dir)
            _ = try addVenue(path)
            let before = snapshot(path)
            let result = try civic("export", "all", "--dataset", path, "-o", path + "/city.gpkg")
            #expect(result.status == 1, "\(result)")
            #expect(result.stderrLines.first?.hasPrefix("civic: error: ") == true && result.stderr.contains("inside the dataset"),
                    "\(result.stderr)")
            #expect(snapshot(path) == before, "the dataset is byte for byte as it was")
        }
    }

    @Test func anUnchangedDatasetLeavesTheFileAlone() throws {
        try withTemporaryDirectory { dir in
            let file = try exportBundledCity(to: dir)
            let first = try FileManager.default.attributesOfItem(atPath: file)[.systemFileNumber] as? Int
            let again = try civic("export", "all", "--dataset", bundledDataset, "-o", file)
            #expect(again.status == 0, "\(again)")
            let second = try FileManager.default.attributesOfItem(atPath: file)[.systemFileNumber] as? Int
            #expect(first != nil && first == second, "the same bytes again: the file is not replaced")
            let stamps = try run(try #require(which("ogrinfo")), ["-ro", "-q", file, "-sql",
                                                                  "SELECT DISTINCT last_change FROM gpkg_contents"])
            #expect(stamps.stdout.contains("last_change (DateTime) = 2026/11/25 00:00:00+00\n"),
                    "stamped with the journal's last change: \(stamps)")
            #expect(stamps.stdout.components(separatedBy: "OGRFeature(").count == 2, "one stamp for every table: \(stamps)")
        }
    }

    @Test func aSecondExportReplacesTheFileWhole() throws {
        try withTemporaryDirectory { dir in
            let path = try makeSquareDataset(in: dir)
            _ = try addVenue(path)
            let file = dir + "/e.gpkg"
            #expect(try civic("export", "entities", "--dataset", path, "-o", file).status == 0)
            _ = try addVenue(path, name: "Сквер", lat: "49.95", lon: "82.64")
            #expect(try civic("export", "entities", "--dataset", path, "-o", file).status == 0)
            // Not appended to the old file: exactly the two entities, and no scratch file left beside it.
            #expect(try featuresThroughGDAL(file, layer: "entities_points").count == 2)
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["e.gpkg", "squares"])
        }
    }
}

private func readBytes(_ path: String) -> [UInt8] {
    Array(FileManager.default.contents(atPath: path) ?? Data())
}

extension Array where Element == UInt8 {
    /// Whether `needle` occurs as a run of bytes.
    fileprivate func contains(_ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count else { return needle.isEmpty }
        return (0...(count - needle.count)).contains { start in self[start..<(start + needle.count)].elementsEqual(needle) }
    }
}
