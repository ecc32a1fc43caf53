import CivicCore
import CivicStore
import CivicTestSupport
import Foundation
import GeoEngine
import GeoValues
import Testing
@testable import CivicAnalysis

/// A copy of the bundled city (geodata/oskemen), to change by hand as a volunteer might.
struct BundledCity {
    static let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("geodata/oskemen")

    let path: String

    /// Copies the bundled city into `folder`/oskemen.
    init(in folder: URL) throws {
        path = folder.appendingPathComponent("oskemen").path
        try FileManager.default.copyItem(atPath: Self.source.path, toPath: path)
    }

    var entitiesFile: String { path + "/" + DatasetLayout.entities }
    var districtsFile: String { path + "/" + DatasetLayout.districts }

    /// The files as they are, a bow-tie entity included (the reader lists it instead of refusing).
    func state() throws -> DatasetState { try Dataset(path: path).read(invalidEntities: .report).state }

    /// Rewrites `dataset.json`'s radius, as an editor would.
    func setRadius(_ metres: Int) throws {
        let file = path + "/" + DatasetLayout.info
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains("\"radius_m\": 500"), "the bundled city's radius is 500 m")
        try text.replacingOccurrences(of: "\"radius_m\": 500", with: "\"radius_m\": \(metres)")
            .write(toFile: file, atomically: true, encoding: .utf8)
    }

    /// Appends an entity drawn as a bow-tie (its ring crosses itself between the two triangles)
    /// with the next id, one feature per line as the store writes; returns its id and position.
    func addBowTie() throws -> (id: Int, index: Int) {
        var entities = try state().entities
        let id = (entities.map(\.id).max() ?? 0) + 1
        entities.append(Entity(id: id, kind: "venue", name: "Сквер-бабочка", themes: ["culture"],
                               geometry: .polygon(bowTie(around: Position(x: 82.61, y: 49.95)))))
        try GeoJSONWriter.featureCollection(entities.map(\.feature), onePerLine: true)
            .write(toFile: entitiesFile, atomically: true, encoding: .utf8)
        return (id, entities.count - 1)
    }

    /// Gives the district at `index` a bow-tie outline.
    func breakDistrict(at index: Int) throws -> String {
        var districts = try state().districts
        districts[index].geometry = .polygon(bowTie(around: Position(x: 82.6, y: 49.97)))
        try GeoJSONWriter.featureCollection(districts.map(\.feature), onePerLine: true)
            .write(toFile: districtsFile, atomically: true, encoding: .utf8)
        return districts[index].id
    }

    func bowTie(around c: Position) -> Polygon {
        Polygon(outerRing: [Position(x: c.x - 0.01, y: c.y - 0.01), Position(x: c.x + 0.01, y: c.y + 0.01),
                            Position(x: c.x + 0.01, y: c.y - 0.01), Position(x: c.x - 0.01, y: c.y + 0.01),
                            Position(x: c.x - 0.01, y: c.y - 0.01)])
    }
}

@Suite("The coverage request, built from a dataset or loose files")
struct PreparedRequestTests {
    func read(_ source: CoverageSource, _ options: CoverageOptions = CoverageOptions()) throws -> PreparedRequest {
        try PreparedRequest(reading: source, options: options) { Issue.record("unexpected warning: \($0)") }
    }

    @Test("a dataset gives its districts, entities, vocabulary and radius; --radius wins over it")
    func dataset() async throws {
        try await withTemporaryDirectory { folder in
            let city = try BundledCity(in: folder)
            try city.setRadius(800)
            let state = try city.state()
            let prepared = try read(.dataset(path: city.path))
            #expect(prepared.request.radius == 800)
            #expect(prepared.request.districts == state.districts && prepared.request.entities == state.entities.map(CoverageEntity.init))
            #expect(prepared.info?.name == "Гражданское пространство Өскемен" && prepared.vocabulary == state.info.vocabulary)
            #expect(prepared.skipped == 0 && prepared.request.crs == nil && prepared.request.residents == nil)
            let forced = try read(.dataset(path: city.path), CoverageOptions(radius: 300))
            #expect(forced.request.radius == 300)
        }
    }

    @Test("loose files measure with the one default radius, the standard vocabulary, and no dataset")
    func looseFiles() async throws {
        try await withTemporaryDirectory { folder in
            let city = try BundledCity(in: folder)
            try city.setRadius(800)
            let prepared = try read(.files(districts: city.districtsFile, entities: city.entitiesFile))
            #expect(prepared.request.radius == DatasetInfo.defaultRadius && DatasetInfo.defaultRadius == 500)
            #expect(prepared.info == nil && prepared.vocabulary == .standard)
            // The same figures as the dataset read through the store at the same radius.
            let fromDataset = try read(.dataset(path: city.path), CoverageOptions(radius: 500))
            let a = try await prepared.request.coverage(), b = try await fromDataset.request.coverage()
            #expect(a == b)
        }
    }

    @Test("--kind and --theme take ids or labels in any language; an unknown one lists the allowed ids")
    func selection() async throws {
        try await withTemporaryDirectory { folder in
            let city = try BundledCity(in: folder)
            let prepared = try read(.dataset(path: city.path),
                                    CoverageOptions(kinds: ["площадка", "Initiative group"], themes: ["жастар", "Culture", "освещение"]))
            #expect(prepared.request.selection == EntitySelection(kinds: ["venue", "initiative_group"],
                                                                  themes: ["youth", "culture", "lighting"]))
            for (options, option, value, allowed) in [
                (CoverageOptions(kinds: ["venue", "shop"]), "--kind", "shop", Vocabulary.standard.kinds.map(\.id)),
                (CoverageOptions(themes: ["parking"]), "--theme", "parking", Vocabulary.standard.themes.map(\.id)),
            ] {
                do {
                    _ = try read(.dataset(path: city.path), options)
                    Issue.record("\(option) \(value) was accepted")
                } catch let error as UnknownTermError {
                    #expect(error == UnknownTermError(option: option, value: value, allowed: allowed))
                    #expect(error.description == "\(option) \(value): unknown; allowed: " + allowed.joined(separator: ", "))
                }
            }
        }
    }

    @Test("loose files may use kinds and themes of their own, and select by them")
    func ownTerms() async throws {
        try await withTemporaryDirectory { folder in
            let city = try BundledCity(in: folder)
            var entities = try city.state().entities
            entities[0].kind = "school"
            entities[0].themes = ["chess"]
            let file = folder.appendingPathComponent("schools.geojson").path
            try GeoJSONWriter.featureCollection(entities.map(\.feature), onePerLine: true)
                .write(toFile: file, atomically: true, encoding: .utf8)
            let prepared = try read(.files(districts: city.districtsFile, entities: file),
                                    CoverageOptions(kinds: ["school"], themes: ["chess"]))
            #expect(prepared.request.selection == EntitySelection(kinds: ["school"], themes: ["chess"]))
            #expect(throws: UnknownTermError.self) {
                _ = try read(.files(districts: city.districtsFile, entities: file), CoverageOptions(kinds: ["museum"]))
            }
        }
    }

    @Test("a forced CRS must measure in metres, as PROJ describes it: degrees and feet are refused with a hint, a UTM zone is taken")
    func forcedCRS() async throws {
        try await withTemporaryDirectory { folder in
            let city = try BundledCity(in: folder)
            for (code, what) in [(4326, "it is a geographic CRS in degrees"), (2263, "its unit is the US survey foot")] {
                do {
                    _ = try read(.dataset(path: city.path), CoverageOptions(crs: code))
                    Issue.record("EPSG:\(code) was accepted")
                } catch let error as CivicError {
                    #expect(error.description == "EPSG:\(code) does not measure in metres (\(what)); coverage needs a projected CRS")
                    #expect(error.hint?.contains("EPSG:32644") == true, "\(error.hint ?? "no hint")")
                }
            }
            let zone = try read(.dataset(path: city.path), CoverageOptions(crs: 32645))
            #expect(zone.request.epsg == 32645)
        }
    }

    @Test("--skip-invalid on a dataset leaves out a bow-tie entity with a warning, as loose files do")
    func skipInvalidOnDataset() async throws {
        try await withTemporaryDirectory { folder in
            let city = try BundledCity(in: folder)
            let bowTie = try city.addBowTie()
            do {
                _ = try read(.dataset(path: city.path))
                Issue.record("a bow-tie entity was accepted")
            } catch let error as CivicError {
                let text = error.description
                // The file, the feature's line, the feature and the field.
                #expect(text.hasPrefix(city.entitiesFile + ":\(bowTie.index + 2): features[\(bowTie.index)] (id \(bowTie.id)): geometry: "),
                        "\(text)")
                #expect(text.contains("self-intersection at lon"), "\(text)")
                #expect(error.hint?.contains("--skip-invalid") == true)
            }
            var fromDataset: [String] = []
            let skipped = try PreparedRequest(reading: .dataset(path: city.path), options: CoverageOptions(skipInvalid: true)) {
                fromDataset.append($0.description)
            }
            #expect(skipped.skipped == 1 && fromDataset.count == 1, "\(fromDataset)")
            #expect(!skipped.request.entities.contains { $0.id == .number(bowTie.id) })
            #expect(skipped.request.entities.count == (try city.state().entities.count) - 1)
            // The same file given loose: the same entity is skipped for the same reason.
            var fromFiles: [String] = []
            let loose = try PreparedRequest(reading: .files(districts: city.districtsFile, entities: city.entitiesFile),
                                            options: CoverageOptions(skipInvalid: true)) { fromFiles.append($0.description) }
            #expect(loose.skipped == 1 && loose.request.entities.map(\.id) == skipped.request.entities.map(\.id))
            let reason = { (line: String) in line.components(separatedBy: "geometry: ").last ?? "" }
            #expect(fromFiles.map(reason) == fromDataset.map(reason), "\(fromFiles) vs \(fromDataset)")
        }
    }

    @Test("a dataset's invalid district is an error naming the file and the district, never skipped")
    func invalidDistrict() async throws {
        try await withTemporaryDirectory { folder in
            let city = try BundledCity(in: folder)
            let id = try city.breakDistrict(at: 3)
            for skip in [false, true] {
                do {
                    _ = try read(.dataset(path: city.path), CoverageOptions(skipInvalid: skip))
                    Issue.record("a bow-tie district was accepted")
                } catch let error as CivicError {
                    #expect(error.description.hasPrefix(city.districtsFile + ":5: features[3] (id \(id)): geometry: self-intersection"),
                            "\(error)")
                }
            }
        }
    }

    @Test("inputs read at once still report in the order they are named: the first broken file's error, then each file's warnings")
    func concurrentReadingKeepsOrder() async throws {
        try await withTemporaryDirectory { folder in
            let city = try BundledCity(in: folder)
            func write(_ name: String, _ text: String) throws -> String {
                let path = folder.appendingPathComponent(name).path
                try text.write(toFile: path, atomically: true, encoding: .utf8)
                return path
            }
            let brokenEntities = try write("entities.geojson", #"{"type":"FeatureCollection","features":[{"type":"Feature","#)
            let brokenPopulation = try write("population.geojson", "{\"type\":\"FeatureCollection\",\"features\":[")
            let brokenNetwork = try write("streets.geojson", #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"source":"osm:way/1"},"geometry":{"type":"Point","coordinates":[82.6,49.95]}}]}"#)
            let files = CoverageSource.files(districts: city.districtsFile, entities: brokenEntities)
            var walking = CoverageOptions(population: brokenPopulation)
            walking.walk = true
            walking.network = brokenNetwork
            // Entities are named before the population and the network: their error comes first,
            // however fast the other files fail.
            for _ in 0..<20 {
                do {
                    _ = try read(files, walking)
                    Issue.record("broken files were read")
                } catch {
                    #expect("\(error)".hasPrefix(brokenEntities), "\(error)")
                }
            }
            // With good entities, the population's error comes before the network's.
            do {
                _ = try read(.files(districts: city.districtsFile, entities: city.entitiesFile), walking)
                Issue.record("broken files were read")
            } catch {
                #expect("\(error)".hasPrefix(brokenPopulation), "\(error)")
            }
            // Warnings come file by file: the entities' skipped geometry, then the residents without a number.
            let bowTie = try city.addBowTie()
            let population = try write("residents.geojson", """
                {"type":"FeatureCollection","features":[
                {"type":"Feature","properties":{"population":120},"geometry":{"type":"Point","coordinates":[82.61,49.95]}},
                {"type":"Feature","properties":{"population":null},"geometry":{"type":"Point","coordinates":[82.62,49.95]}}]}
                """)
            var options = CoverageOptions(population: population, skipInvalid: true)
            options.walk = false
            var warnings: [String] = []
            _ = try PreparedRequest(reading: .files(districts: city.districtsFile, entities: city.entitiesFile),
                                    options: options) { warnings.append("\($0)") }
            #expect(warnings.count == 2, "\(warnings)")
            #expect(warnings.first?.hasPrefix(city.entitiesFile + ":") == true && warnings.first?.contains("id \(bowTie.id)") == true,
                    "\(warnings)")
            #expect(warnings.last?.hasPrefix(population + ": features: population: 1 of 2 features have no number") == true,
                    "\(warnings)")
        }
    }

    @Test("a missing input file is one error naming it")
    func missingFile() async throws {
        try await withTemporaryDirectory { folder in
            let city = try BundledCity(in: folder)
            let missing = folder.appendingPathComponent("nowhere.geojson").path
            #expect(throws: CivicError.io(path: missing, reason: "no such file")) {
                _ = try read(.files(districts: city.districtsFile, entities: missing))
            }
            #expect(throws: CivicError.io(path: missing, reason: "no such file")) {
                _ = try read(.dataset(path: city.path), CoverageOptions(population: missing))
            }
            #expect(throws: CivicError.io(path: folder.path, reason: "is a folder, not a file")) {
                _ = try read(.files(districts: folder.path, entities: city.entitiesFile))
            }
        }
    }
}
