import CivicCore
import CivicStore
import CivicTestSupport
import Foundation
import Testing

/// GDAL's own GeoPackage validator, shipped with python3-gdal (a dependency of gdal-bin on Debian).
private let gpkgValidator = "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py"

/// The properties of one layer of a GDAL-readable file, read back through GDAL.
private func propertiesThroughGDAL(_ file: String, layer: String) throws -> [[String: Any]] {
    let ogr2ogr = try #require(which("ogr2ogr"), "ogr2ogr is needed (apt-get install gdal-bin; .ci/run installs it)")
    let result = try run(ogr2ogr, ["-f", "GeoJSON", "/vsistdout/", file, layer])
    #expect(result.status == 0, "\(file) \(layer): \(result)")
    let collection = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    let features = try #require(collection?["features"] as? [[String: Any]], "\(file) \(layer): \(result.stdout.prefix(300))")
    return features.map { $0["properties"] as? [String: Any] ?? [:] }
}

/// Everything a reader of the file can see: the raw bytes as text, and every layer, table and
/// geometry as `ogrinfo -al` prints it (coordinates as decimal text, which the binary blobs hide).
private func everythingIn(_ file: String) throws -> String {
    let ogrinfo = try #require(which("ogrinfo"), "ogrinfo is needed (apt-get install gdal-bin; .ci/run installs it)")
    let layers = try run(ogrinfo, ["-ro", "-al", file])
    #expect(layers.status == 0, "\(layers)")
    let styles = try run(ogrinfo, ["-ro", "-q", file, "-sql", "SELECT * FROM layer_styles"])
    let bytes = String(decoding: FileManager.default.contents(atPath: file) ?? Data(), as: UTF8.self)
    return bytes + layers.stdout + styles.stdout
}

@Suite("GeoPackage: the street network and residents' concerns")
struct GeoPackageNetworkConcernsTests {
    @Test func theBundledCityHasNetworkAndConcernsLayersWithIndexesAndStyles() throws {
        let ogrinfo = try #require(which("ogrinfo"), "ogrinfo is needed (apt-get install gdal-bin; .ci/run installs it)")
        try withTemporaryDirectory { dir in
            let file = dir + "/city.gpkg"
            let result = try civic("export", "all", "--dataset", bundledDataset, "-o", file)
            #expect(result.status == 0 && result.stdout.isEmpty, "\(result)")
            let state = try Dataset(path: bundledDataset).load(network: true, concerns: true)
            let ways = try #require(state.network, "the bundled city has a street network")
            let publicConcerns = try civic("export", "concerns", "--dataset", bundledDataset)
            let cells = try GeoJSONReader.features(in: Array(publicConcerns.stdout.utf8), file: "stdout")
            #expect(ways.count > 100 && !cells.isEmpty && cells.count < state.concerns.count,
                    "the city has streets, and concerns drawn by cell")
            #expect(result.stderr.contains("network (\(ways.count)), concerns (\(cells.count))"), "\(result.stderr)")

            let summary = try run(ogrinfo, ["-ro", "-so", file])
            #expect(summary.stdout.contains("6: network (Line String)") && summary.stdout.contains("7: concerns (Point)"),
                    "after districts, entities, coverage and gaps: \(summary.stdout)")
            for (layer, count) in [("network", ways.count), ("concerns", cells.count)] {
                let info = try run(ogrinfo, ["-ro", "-so", file, layer])
                #expect(info.stdout.contains("Feature Count: \(count)\n"), "\(layer): \(info)")
                #expect(info.stdout.contains("EPSG\",4326]]"), "\(layer) is in WGS84")
                let index = try run(ogrinfo, ["-ro", file, "-sql", "SELECT HasSpatialIndex('\(layer)', 'geom')"])
                #expect(index.stdout.contains("HasSpatialIndex (Integer) = 1"), "\(layer): \(index)")
                let rtree = try run(ogrinfo, ["-ro", file, "-sql", "SELECT COUNT(*) AS n FROM rtree_\(layer)_geom"])
                #expect(rtree.stdout.contains("n (Integer) = \(count)"), "one box per feature: \(rtree)")
            }

            // The network's rows are the dataset's ways, in order, with source, highway and name.
            let rows = try propertiesThroughGDAL(file, layer: "network")
            #expect(rows.map { $0["source"] as? String } == ways.map(\.source))
            #expect(rows.map { $0["highway"] as? String } == ways.map(\.highway))
            #expect(rows.map { $0["name"] as? String } == ways.map(\.name))
            #expect(rows.allSatisfy { $0["nodes"] == nil }, "node ids stay in network.geojson")
            // The concerns layer is the public export itself, field for field.
            let concernRows = try propertiesThroughGDAL(file, layer: "concerns")
            #expect(concernRows.count == cells.count)
            for (row, cell) in zip(concernRows, cells) {
                #expect(row["district_id"] as? String == cell.properties["district_id"]?.stringValue)
                #expect(row["theme"] as? String == cell.properties["theme"]?.stringValue)
                #expect((row["concerns"] as? Int).map(String.init) == cell.properties["concerns"].map(FlatText.of))
                #expect((row["open"]).map { "\($0)" } == cell.properties["open"].map(FlatText.of))
            }

            let styles = try run(ogrinfo, ["-ro", "-q", file, "-sql",
                                           "SELECT f_table_name, styleQML FROM layer_styles WHERE f_table_name = 'network'"])
            #expect(styles.stdout.contains("type=\"RuleRenderer\"") && styles.stdout.contains("IN (&apos;trunk&apos;,&apos;trunk_link&apos;,&apos;primary&apos;"),
                    "main streets get their own rule: \(styles.stdout.prefix(1500))")
            #expect(styles.stdout.contains("value=\"70,82,90,255\""), "grey as civic's map draws streets")
            #expect(styles.stdout.contains("name=\"line_width\" type=\"QString\" value=\"0.600000\"")
                    && styles.stdout.contains("name=\"line_width\" type=\"QString\" value=\"0.200000\""), "wide and thin")
            let concernStyle = try run(ogrinfo, ["-ro", "-q", file, "-sql", "SELECT COUNT(*) AS n FROM layer_styles WHERE f_table_name = 'concerns'"])
            #expect(concernStyle.stdout.contains("n (Integer) = 1"), "\(concernStyle)")
        }
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: gpkgValidator) && FileManager.default.fileExists(atPath: "/usr/bin/python3"),
                   "GDAL's validate_gpkg.py comes with python3-gdal"))
    func gdalsValidatorAcceptsTheNetworkAndConcernsFiles() throws {
        try withTemporaryDirectory { dir in
            for layer in ["network", "concerns"] {
                let file = dir + "/\(layer).gpkg"
                let export = try civic("export", layer, "--dataset", bundledDataset, "-o", file)
                #expect(export.status == 0, "\(export)")
                let result = try run("/usr/bin/python3", [gpkgValidator, file])
                #expect(result.status == 0 && result.stdout.isEmpty && result.stderr.isEmpty, "\(layer): \(result)")
            }
        }
    }

    @Test func theNetworkConvertsToAShapefile() throws {
        let ogr2ogr = try #require(which("ogr2ogr"), "ogr2ogr is needed (apt-get install gdal-bin; .ci/run installs it)")
        try withTemporaryDirectory { dir in
            let file = dir + "/network.gpkg"
            #expect(try civic("export", "network", "--dataset", bundledDataset, "-o", file).status == 0)
            let shapefile = dir + "/network.shp"
            let result = try run(ogr2ogr, ["-f", "ESRI Shapefile", "-lco", "ENCODING=UTF-8", shapefile, file, "network"])
            #expect(result.status == 0 && !result.stderr.contains("ERROR"), "\(result)")
            let ways = try #require(try Dataset(path: bundledDataset).load(network: true).network)
            let rows = try propertiesThroughGDAL(shapefile, layer: "network")
            #expect(rows.map { $0["name"] as? String } == ways.map(\.name), "Cyrillic names survive the Shapefile")
            #expect(rows.map { $0["highway"] as? String } == ways.map(\.highway))
            let info = try run(try #require(which("ogrinfo")), ["-ro", "-so", shapefile, "network"])
            #expect(info.stdout.contains("Geometry: Line String") && info.stdout.contains("Feature Count: \(ways.count)\n"), "\(info)")
        }
    }

    @Test func networkAsGeoJSONIsTheDatasetsFile() throws {
        let result = try civic("export", "network", "--dataset", bundledDataset)
        #expect(result.status == 0, "\(result)")
        let onDisk = String(decoding: FileManager.default.contents(atPath: bundledDataset + "/network.geojson") ?? Data(), as: UTF8.self)
        #expect(!onDisk.isEmpty && result.stdout == onDisk)
        let csv = try civic("export", "network", "--dataset", bundledDataset, "--format", "csv")
        #expect(csv.status == 64 && csv.stderr.hasPrefix("civic: error: "), "\(csv)")
    }

    /// DESIGN §10 in a GeoPackage: no private value of the register in the file's bytes nor in
    /// what GDAL reads from it; with --include-private all of them, and the warning.
    @Test func theConcernsLayerIsPublicUnlessAsked() throws {
        try withTemporaryDirectory { dir in
            let (path, _) = try SquareRegister.dataset(in: dir)
            for arguments in [["export", "all", "-o", dir + "/public.gpkg"], ["export", "concerns", "-o", dir + "/public.gpkg"]] {
                let result = try civic(arguments: arguments + ["--dataset", path])
                #expect(result.status == 0 && !result.stderr.contains("do not publish"), "\(result)")
                let seen = try everythingIn(dir + "/public.gpkg")
                #expect(seen.contains("Layer name: concerns") && seen.contains("  POINT (") && seen.contains("district_name (String) = "), "\(seen.prefix(500))")
                for secret in SquareRegister.secrets {
                    #expect(!seen.contains(secret), "\(arguments[1]) shows the private value «\(secret)»")
                }
            }
            let cells = try propertiesThroughGDAL(dir + "/public.gpkg", layer: "concerns")
            #expect(cells.count == 1 && cells.first?["concerns"] as? Int == 5 && cells.first?["open"] as? String == "<5", "\(cells)")

            let result = try civic("export", "all", "--include-private", "--dataset", path, "-o", dir + "/private.gpkg")
            #expect(result.status == 0 && result.stderr.contains("civic: warning: the export includes"), "\(result)")
            let seen = try everythingIn(dir + "/private.gpkg")
            for secret in SquareRegister.secrets {
                #expect(seen.contains(secret), "the private GeoPackage lacks «\(secret)»")
            }
            #expect(try propertiesThroughGDAL(dir + "/private.gpkg", layer: "concerns").count == SquareRegister.rows.count)
        }
    }

    @Test func aDatasetWithoutThemWritesNoEmptyLayers() throws {
        let ogrinfo = try #require(which("ogrinfo"), "ogrinfo is needed (apt-get install gdal-bin; .ci/run installs it)")
        try withTemporaryDirectory { dir in
            let path = try makeSquareDataset(in: dir)
            _ = try addVenue(path)
            let file = dir + "/city.gpkg"
            let result = try civic("export", "all", "--dataset", path, "-o", file)
            #expect(result.status == 0, "\(result)")
            let summary = try run(ogrinfo, ["-ro", "-so", file])
            #expect(summary.stdout.contains("5: gaps (Polygon)\n6: layer_styles (None)"), "nothing after gaps but the styles: \(summary.stdout)")
            #expect(!summary.stdout.contains("network") && !summary.stdout.contains("concerns"))

            let network = try civic("export", "network", "--dataset", path, "-o", dir + "/network.gpkg")
            #expect(network.status == 1 && network.stderrLines.first?.hasPrefix("civic: error: ") == true
                    && network.stderr.contains("no street network") && network.stderr.contains("hint: "), "\(network)")
            #expect(!FileManager.default.fileExists(atPath: dir + "/network.gpkg"))
        }
    }
}

/// A plain JSON value as GDAL prints it in a property.
private enum FlatText {
    static func of(_ value: JSONValue) -> String {
        switch value {
        case .string(let s), .number(let s): s
        case .bool(let b): b ? "true" : "false"
        default: ""
        }
    }
}
