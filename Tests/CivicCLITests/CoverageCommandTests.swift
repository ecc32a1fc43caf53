import CivicAnalysis
import CivicCore
import CivicTestSupport
import Foundation
import GeoValues
import Testing

/// The built `civic` run in `folder`, as a user would.
enum CivicBinary {
    static func run(_ arguments: [String], in folder: URL) throws -> ProgramRun {
        try Programs.run(Programs.civic, arguments, currentDirectory: folder.path)
    }
}

/// A seeded random city of 12 districts (one with a hole, one of two parts) around 81° E and 150
/// entities in five clusters, a thirteenth of them small rectangles (CivicAnalysisTests'
/// `randomCity(seed: 11, entities: 150)`, written once as GeoJSON).
let randomCityFolder = repositoryRoot.appendingPathComponent("Tests/CivicCLITests/Fixtures/random-city")

/// `a` and `b` agree to `tolerance` (absolute).
func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-3) -> Bool { abs(a - b) <= tolerance }

@Suite("civic coverage and civic gaps, run as a program")
struct CoverageCommandTests {
    /// The random city as loose files, plus `hostile.geojson`: its entities with the first moved to
    /// the end as a bow-tie polygon.
    func writeCity(to folder: URL) throws {
        for name in ["districts.geojson", "entities.geojson"] {
            try FileManager.default.copyItem(at: randomCityFolder.appendingPathComponent(name),
                                             to: folder.appendingPathComponent(name))
        }
        let entities = try GeoJSONReader.features(
            in: Array(Data(contentsOf: randomCityFolder.appendingPathComponent("entities.geojson"))), file: "entities.geojson")
        var bowTie = entities[0]
        bowTie.geometry = .polygon(Polygon(outerRing: [Position(x: 82.60, y: 49.90), Position(x: 82.62, y: 49.92),
                                                       Position(x: 82.62, y: 49.90), Position(x: 82.60, y: 49.92),
                                                       Position(x: 82.60, y: 49.90)]))
        try GeoJSONWriter.featureCollection(Array(entities.dropFirst()) + [bowTie], onePerLine: true)
            .write(to: folder.appendingPathComponent("hostile.geojson"), atomically: true, encoding: .utf8)
    }

    @Test("--format json gives DESIGN §5's figures, the same as the library")
    func json() async throws {
        try await withTemporaryDirectory { folder in
            try writeCity(to: folder)
            let result = try CivicBinary.run(["coverage", "--districts", "districts.geojson", "--entities", "entities.geojson",
                                              "--radius", "300", "--format", "json", "-o", "out.json"], in: folder)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.isEmpty, "data went to the file")
            let bytes = try Array(Data(contentsOf: folder.appendingPathComponent("out.json")))
            let root = try #require(try JSON.parse(bytes, file: "out.json").objectValue)
            #expect(root.keys == ["crs", "radius_m", "districts", "city"])
            #expect(root["crs"] == .string("EPSG:32644") && root["radius_m"] == .number(300))
            let rows = try #require(root["districts"]?.arrayValue)
            // The files hold 7 decimals (about 1 cm): compare with the library on what they hold.
            let districts = try CoverageInputs.districts(
                in: Array(Data(contentsOf: folder.appendingPathComponent("districts.geojson"))), file: "districts.geojson")
            let entities = try CoverageInputs.entities(
                in: Array(Data(contentsOf: folder.appendingPathComponent("entities.geojson"))), file: "entities.geojson",
                skipInvalid: false) { _ in }.entities
            let expected = try await CoverageRequest(districts: districts, coverageEntities: entities, radius: 300).coverage()
            #expect(rows.count == expected.districts.count)
            for (row, district) in zip(rows, expected.districts) {
                let object = try #require(row.objectValue)
                #expect(object.keys == ["id", "name", "area_m2", "covered_m2", "covered_share", "entities"])
                #expect(object["id"] == .string(district.id))
                #expect(close(object["covered_m2"]?.doubleValue ?? -1, district.covered, 0.01))
                #expect(object["entities"]?.intValue == district.entities)
            }
        }
    }

    @Test("the table is sorted worst covered first and lines up")
    func table() async throws {
        try await withTemporaryDirectory { folder in
            try writeCity(to: folder)
            let result = try CivicBinary.run(["coverage", "--districts", "districts.geojson", "--entities", "entities.geojson",
                                              "--radius", "300"], in: folder)
            #expect(result.status == 0, "\(result.stderr)")
            let lines = result.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first?.hasPrefix("district") == true && lines.last?.hasPrefix("all districts") == true, "\(lines)")
            let shares = lines.dropFirst(2).dropLast().compactMap { line in
                line.split(separator: " ").first { $0.hasSuffix("%") == false && line.contains(" %") }.flatMap { _ in
                    line.components(separatedBy: " %").first?.split(separator: " ").last.flatMap { Double($0) }
                }
            }
            #expect(shares == shares.sorted(), "\(shares)")
        }
    }

    @Test("a hostile entities file: one error line naming file and feature, exit 1; --skip-invalid warns and counts")
    func hostile() async throws {
        try await withTemporaryDirectory { folder in
            try writeCity(to: folder)
            let failed = try CivicBinary.run(["coverage", "--districts", "districts.geojson", "--entities", "hostile.geojson"], in: folder)
            #expect(failed.status == 1)
            let errors = failed.stderrLines.filter { $0.hasPrefix("civic: error:") }
            #expect(errors.count == 1 && errors[0].contains("hostile.geojson") && errors[0].contains("features[149]"),
                    "\(failed.stderr)")
            #expect(failed.stdout.isEmpty)
            let skipped = try CivicBinary.run(["coverage", "--districts", "districts.geojson", "--entities", "hostile.geojson",
                                               "--skip-invalid", "--format", "json"], in: folder)
            #expect(skipped.status == 0, "\(skipped.stderr)")
            // One warning for the skipped entity; the random city's 15 entities outside every district
            // have a warning of their own since issue 10.
            #expect(skipped.stderrLines.filter { $0.hasPrefix("civic: warning:") && $0.hasSuffix("; skipped") }.count == 1,
                    "\(skipped.stderr)")
            #expect(skipped.stderrLines.contains { $0.hasPrefix("civic: warning: hostile.geojson: 15 of 138 selected entities lie outside every district") },
                    "\(skipped.stderr)")
            #expect(skipped.stdout.contains("\"skipped_entities\": 1"), "\(skipped.stdout.suffix(200))")
        }
    }

    @Test("gaps: RFC 7946 GeoJSON, no crs member; usage errors exit 64")
    func gaps() async throws {
        try await withTemporaryDirectory { folder in
            try writeCity(to: folder)
            let result = try CivicBinary.run(["gaps", "--districts", "districts.geojson", "--entities", "entities.geojson",
                                              "--radius", "300", "--min-area", "0"], in: folder)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(!result.stdout.contains("\"crs\""))
            let features = try GeoJSONReader.features(in: Array(result.stdout.utf8), file: "stdout")
            #expect(!features.isEmpty)
            #expect(features.allSatisfy { $0.properties.keys == ["district_id", "district_name", "area_m2"] })
            let usage = try CivicBinary.run(["gaps", "--districts", "districts.geojson"], in: folder)
            #expect(usage.status == 64, "\(usage.stderr)")
        }
    }

    @Test("--crs must be projected in metres, as PROJ says: degrees and feet are refused, UTM is measured")
    func crsUnits() async throws {
        try await withTemporaryDirectory { folder in
            _ = try writeCity(to: folder)
            let loose = ["coverage", "--districts", "districts.geojson", "--entities", "entities.geojson", "--format", "json"]
            let degrees = try CivicBinary.run(loose + ["--crs", "EPSG:4326"], in: folder)
            #expect(degrees.status == 1)
            #expect(degrees.stderrLines.first == "civic: error: EPSG:4326 does not measure in metres "
                    + "(it is a geographic CRS in degrees); coverage needs a projected CRS", "\(degrees.stderr)")
            #expect(degrees.stderrLines.dropFirst().first?.hasPrefix("hint: leave --crs out") == true, "\(degrees.stderr)")
            // New York's state plane in US survey feet would give square feet.
            let feet = try CivicBinary.run(loose + ["--crs", "EPSG:2263"], in: folder)
            #expect(feet.status == 1)
            #expect(feet.stderr.contains("EPSG:2263 does not measure in metres (its unit is the US survey foot)"), "\(feet.stderr)")
            #expect(degrees.stdout.isEmpty && feet.stdout.isEmpty)
            let utm = try CivicBinary.run(loose + ["--crs", "EPSG:32644"], in: folder)
            #expect(utm.status == 0, "\(utm.stderr)")
            #expect(utm.stdout.contains("\"crs\": \"EPSG:32644\""))
        }
    }
}
