import CivicCore
import CivicTestSupport
import Foundation
import GeoEngine
import GeoValues
import Testing
@testable import CivicAnalysis

/// GeoJSON text of a FeatureCollection, one feature per line, as files people download look.
func featureCollection(_ features: [String]) -> [UInt8] {
    Array(("{\"type\":\"FeatureCollection\",\"features\":[\n" + features.joined(separator: ",\n") + "\n]}\n").utf8)
}

/// A feature with `id` (raw JSON: `"de:…"`, `17`, or nil for none), raw `properties` and a point.
func pointFeature(id: String?, _ properties: String, _ lon: Double, _ lat: Double) -> String {
    "{\"type\":\"Feature\"" + (id.map { ",\"id\":\($0)" } ?? "") + ",\"properties\":{\(properties)},"
        + "\"geometry\":{\"type\":\"Point\",\"coordinates\":[\(lon),\(lat)]}}"
}

@Suite("Loose entity files as people have them: any id, no kind, every problem at once")
struct LooseEntityTests {
    /// A transit operator's stations: ids such as "de:11000:900002201" (and one number, one none), no kind.
    var stationsFile: [UInt8] {
        featureCollection([
            pointFeature(id: "\"de:11000:900003201\"", "\"name\":\"S+U Berlin Hauptbahnhof\",\"wheelchair_boarding\":1", 82.600, 49.950),
            pointFeature(id: "\"de:11000:900100003\"", "\"name\":\"S+U Alexanderplatz\",\"wheelchair_boarding\":1", 82.620, 49.955),
            pointFeature(id: "9007199254740993", "\"name\":\"Bus stop\"", 82.640, 49.960),
            pointFeature(id: nil, "\"name\":null,\"kind\":\"venue\",\"themes\":\"transport\"", 82.650, 49.965),
        ])
    }

    @Test("a stations file with text ids and no kind is read: ids kept exactly, entities unclassified")
    func stations() throws {
        let read = try CoverageInputs.entities(in: stationsFile, file: "stations.geojson", skipInvalid: false) { _ in
            Issue.record("no warning expected")
        }
        #expect(read.skipped == 0)
        #expect(read.entities.map(\.id) == [.string("de:11000:900003201"), .string("de:11000:900100003"),
                                            .number("9007199254740993"), nil])
        #expect(read.entities.map(\.kind) == [nil, nil, nil, "venue"])
        #expect(read.entities[0].name == "S+U Berlin Hauptbahnhof" && read.entities[3].name == nil)
        #expect(read.entities[3].themes == ["transport"])
        #expect(read.entities[0].label == "id de:11000:900003201 («S+U Berlin Hauptbahnhof»)")
    }

    @Test("an unclassified entity is selected unless --kind narrows; --theme still narrows by themes")
    func selection() throws {
        let entities = try CoverageInputs.entities(in: stationsFile, file: "s", skipInvalid: false) { _ in }.entities
        #expect(entities.filter(EntitySelection().includes).count == 4)
        #expect(entities.filter(EntitySelection(kinds: ["venue"]).includes).map(\.kind) == ["venue"])
        #expect(entities.filter(EntitySelection(themes: ["transport"]).includes).count == 1)
    }

    @Test("every problem of every feature in one run, in file order, each naming the feature and field")
    func everyProblem() throws {
        let bowTie = "{\"type\":\"Feature\",\"id\":\"x5\",\"properties\":{},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[82.60,49.90],[82.62,49.92],[82.62,49.90],[82.60,49.92],[82.60,49.90]]]}}"
        let bytes = featureCollection([
            pointFeature(id: "\"a1\"", "\"name\":\"ok\"", 82.6, 49.9),
            pointFeature(id: "\"a2\"", "\"kind\":7", 82.6, 49.9),
            pointFeature(id: "\"a3\"", "\"status\":\"closed\",\"themes\":[\"culture\",3]", 82.6, 49.9),
            bowTie,
        ])
        do {
            _ = try CoverageInputs.entities(in: bytes, file: "stations.geojson", skipInvalid: false) { _ in }
            Issue.record("accepted")
        } catch let problems as InputProblems {
            let lines = problems.problems.map(\.description)
            #expect(lines == [
                "stations.geojson:3: features[1] (id a2): kind: must be text, found the number 7",
                "stations.geojson:4: features[2] (id a3): themes: must be an array of strings; item 1 is the number 3",
                "stations.geojson:4: features[2] (id a3): status: must be active or inactive, found the string \"closed\"",
                "stations.geojson:5: features[3] (id x5): geometry: self-intersection at lon 82.61, lat 49.91",
            ], "\(lines)")
            #expect(problems.hint?.contains("--skip-invalid") == true)
        }
        // --skip-invalid leaves out the bow-tie (its only problem is its geometry), never the others.
        do {
            var warnings: [String] = []
            _ = try CoverageInputs.entities(in: bytes, file: "stations.geojson", skipInvalid: true) { warnings.append($0.description) }
            Issue.record("accepted")
        } catch let problems as InputProblems {
            #expect(problems.problems.count == 3 && problems.hint == nil)
        }
    }
}

@Suite("Population files as people have them: nulls, numeric text, points that hold a district")
struct PopulationFileTests {
    /// A humanitarian export of settlements: `population` null in most features, text in the rest.
    var settlements: [UInt8] {
        featureCollection([
            pointFeature(id: "\"node/1\"", "\"name\":\"Өскемен\",\"place\":\"city\",\"population\":\"354770\"", 82.6, 49.95),
            pointFeature(id: "\"node/2\"", "\"name\":\"Глубокое\",\"place\":\"village\",\"population\":null", 82.3, 50.1),
            pointFeature(id: "\"node/3\"", "\"name\":\"Прапорщиково\",\"place\":\"village\",\"population\":\"1 204\"", 82.7, 49.9),
            pointFeature(id: "\"node/4\"", "\"name\":\"Бобровка\",\"place\":\"village\"", 82.5, 49.9),
            pointFeature(id: "\"node/5\"", "\"name\":\"Алтайский\",\"place\":\"hamlet\",\"population\":12.5", 82.55, 49.92),
        ])
    }

    @Test("numeric text counts, nulls and missing values are skipped with one warning that says how many")
    func nullsAndText() throws {
        var warnings: [CivicError] = []
        let residents = try CoverageInputs.residents(in: settlements, file: "settlements.geojson") { warnings.append($0) }
        #expect(residents.map(\.count) == [354_770, 1204, 12.5])
        #expect(warnings.map(\.description) == [
            "settlements.geojson: features: population: 2 of 5 features have no number of residents (null or missing)",
        ])
    }

    @Test("--residents-field names another property; one that no feature has is refused listing those there are")
    func field() throws {
        let einwohner = featureCollection([
            pointFeature(id: nil, "\"EW\":120,\"Einwohner_gesamt\":\"x\"", 82.6, 49.95),
            pointFeature(id: nil, "\"EW\":\"3 400\"", 82.61, 49.95),
        ])
        #expect(try CoverageInputs.residents(in: einwohner, file: "ew.geojson", field: "EW").map(\.count) == [120, 3400])
        #expect(throws: CivicError.refused(reason: "--residents-field ew: no feature of ew.geojson has this property; it has: EW, Einwohner_gesamt",
                                          hint: "property names are case-sensitive: try --residents-field EW")) {
            _ = try CoverageInputs.residents(in: einwohner, file: "ew.geojson", field: "ew")
        }
        do {
            _ = try CoverageInputs.residents(in: einwohner, file: "ew.geojson")
            Issue.record("a file without 'population' was accepted")
        } catch let error as CivicError {
            #expect(error.description == "ew.geojson: features: population: no feature has a property 'population' (in any case); "
                    + "the properties with numbers are: EW", "\(error)")
            #expect(error.hint == "name the property that holds each feature's residents with --residents-field, e.g. --residents-field EW")
        }
    }

    @Test("one point holding most of a district's residents is named, with the district, in a warning")
    func dominantPoint() async throws {
        let square = try Metres.district("a", [Metres.box(-2000, -2000, 2000, 2000)])
        let other = try Metres.district("b", [Metres.box(2000, -2000, 6000, 2000)])
        let residents = [
            Residents(geometry: try Metres.point(0, 0), count: 354_770),
            Residents(geometry: try Metres.point(1000, 1000), count: 5000),
            Residents(geometry: try Metres.point(3000, 0), count: 100),
            Residents(geometry: try Metres.point(4000, 0), count: 100),
        ]
        let report = try await CoverageRequest(districts: [square, other], entities: [Metres.entity(1, try Metres.point(0, 0))],
                                               residents: residents, radius: 500, crs: Metres.epsg).coverage()
        #expect(report.notices.dominantPoints.map(\.districtID) == ["a"], "b's two points hold half each: not most")
        let point = try #require(report.notices.dominantPoints.first)
        #expect(point.residents == 354_770 && point.districtResidents == 359_770)
        let prepared = PreparedRequest(request: CoverageRequest(districts: [square, other], entities: [Entity](), radius: 500),
                                       populationFile: "settlements.geojson")
        let warnings = prepared.warnings(for: report).map(\.description)
        #expect(warnings.count == 1 && warnings[0].hasPrefix("settlements.geojson: one point at lon "), "\(warnings)")
        #expect(warnings[0].contains("holds 354\u{2009}770 of the 359\u{2009}770 residents of district a (Район a), 98.6 %"),
                "\(warnings)")
    }
}

@Suite("Overlapping districts: the city's total counts each place once")
struct OverlapTests {
    @Test("two districts overlapping by 2 km²: per-district figures as they are, the city's area and covered area once")
    func overlap() async throws {
        let a = try Metres.district("a", [Metres.box(0, 0, 2000, 2000)])
        let b = try Metres.district("b", [Metres.box(1000, 0, 3000, 2000)])
        let c = try Metres.district("c", [Metres.box(3000, 0, 5000, 2000)])
        let inOverlap = Metres.entity(1, try Metres.point(1500, 1000))
        let residents = [Residents(geometry: try Metres.point(1500, 1200), count: 10),
                         Residents(geometry: try Metres.wgs84(.polygon(Metres.box(500, 0, 2500, 1000))), count: 2000)]
        let report = try await CoverageRequest(districts: [a, b, c], entities: [inOverlap], residents: residents,
                                               radius: 300, crs: Metres.epsg).coverage()
        let a64 = reachArea(300)
        #expect(close(report.districts[0].area, 4e6, 1e-3) && close(report.districts[1].area, 4e6, 1e-3))
        #expect(close(report.districts[0].covered, a64) && close(report.districts[1].covered, a64))
        #expect(close(report.city.area, 10e6, 1e-3), "\(report.city.area): the overlap once")
        #expect(close(report.city.covered, a64, 1e-3), "\(report.city.covered): the reach once")
        #expect(close(report.notices.overlapArea, 2e6, 1e-3))
        #expect(report.city.entities == 1 && report.districts[0].entities == 1 && report.districts[1].entities == 1)
        // Residents: the point once; the block's 2000 once (a and b each count 1500 of them).
        #expect(close(report.districts[0].population ?? 0, 10 + 1500, 1e-6) && close(report.districts[1].population ?? 0, 10 + 1500, 1e-6))
        #expect(close(report.city.population ?? 0, 2010, 1e-6), "\(String(describing: report.city.population))")
        #expect(close(report.city.residentsOutside ?? -1, 0, 1e-6))
        let overlap = try #require(report.notices.overlaps.first)
        #expect(report.notices.overlaps.count == 1 && overlap.first == "a" && overlap.second == "b")
        let prepared = PreparedRequest(request: CoverageRequest(districts: [a, b, c], entities: [Entity](), radius: 300),
                                       districtsFile: "units.geojson")
        let warnings = prepared.warnings(for: report).map(\.description)
        #expect(warnings.count == 1 && warnings[0].hasPrefix("units.geojson: districts a (Район a) and b (Район b) overlap by 2 km² around lon "),
                "\(warnings)")
        #expect(warnings[0].hasSuffix("; the city's total counts that ground once"))
    }

    @Test("districts that tile the ground: no overlap, the city is their sum")
    func noOverlap() async throws {
        let city = try randomCity(seed: 5, entities: 80)
        let report = try await CoverageRequest(districts: city.districts, entities: city.entities, radius: 300).coverage()
        #expect(report.notices.overlaps.isEmpty && report.notices.overlapArea == 0)
        #expect(report.city.area == report.districts.reduce(0) { $0 + $1.area })
        #expect(report.city.covered == report.districts.reduce(0) { $0 + $1.covered })
    }
}

@Suite("A radius far beyond the districts covers every district whole")
struct HugeRadiusTests {
    @Test("--radius 1e9, 1e7 and 5e5 on the bundled city: 100 % everywhere, no gaps", arguments: [1e9, 1e7, 5e5])
    func bundledCity(radius: Double) async throws {
        try await withTemporaryDirectory { folder in
            let city = try BundledCity(in: folder)
            let prepared = try PreparedRequest(reading: .dataset(path: city.path), options: CoverageOptions(radius: radius)) { _ in }
            let report = try await prepared.request.coverage()
            for row in report.districts {
                #expect(abs(row.coveredShare - 1) < 1e-9, "\(row.id) (\(row.name)): \(row.coveredShare) at radius \(radius)")
                #expect(row.population.map { abs(($0 - (row.coveredPopulation ?? 0)) / $0) < 1e-9 } ?? true)
            }
            #expect(abs(report.city.coveredShare - 1) < 1e-9, "city \(report.city.coveredShare)")
            #expect(report.district("center")?.entities == 14)
            let gaps = try await prepared.request.gaps(minArea: 0)
            #expect(gaps.gaps.isEmpty, "\(gaps.gaps.map(\.area))")
        }
    }
}

@Suite("Entities and residents outside every district are counted and named")
struct OutsideTests {
    @Test("an entity 300 m outside and residents outside: counted in the city's totals, the nearest named")
    func outside() async throws {
        let square = try Metres.district("a", [Metres.box(-2000, -2000, 2000, 2000)])
        let entities = [Metres.entity(1, try Metres.point(0, 0)),
                        Metres.entity(2, try Metres.point(2300, 0)),       // 300 m outside
                        Metres.entity(3, try Metres.point(9000, 9000)),    // far
                        Metres.entity(4, try Metres.point(2100, 100), status: .inactive)]
        let residents = [Residents(geometry: try Metres.point(0, 100), count: 40),
                         Residents(geometry: try Metres.point(2050, 0), count: 7),
                         Residents(geometry: try Metres.wgs84(.polygon(Metres.box(1000, 0, 3000, 1000))), count: 100)]
        let report = try await CoverageRequest(districts: [square], entities: entities, residents: residents,
                                               radius: 500, crs: Metres.epsg).coverage()
        #expect(report.city.entities == 1 && report.city.entitiesOutside == 2)
        #expect(close(report.city.residentsOutside ?? 0, 7 + 50, 1e-6), "\(String(describing: report.city.residentsOutside))")
        #expect(close(report.city.population ?? 0, 40 + 50, 1e-6))
        let nearest = try #require(report.notices.nearestEntityOutside)
        #expect(nearest.label == "id 2 («Место 2»)" && close(nearest.distance, 300, 1e-3), "\(nearest)")
        let residentsNearest = try #require(report.notices.nearestResidentsOutside)
        #expect(close(residentsNearest.distance, 50, 1e-3) && report.notices.residentFeaturesOutside == 1)
        let json = try #require(report.json.objectValue?["city"]?.objectValue)
        #expect(json["entities_outside"] == .number(2) && json["residents_outside"] == .number("57"))
        let prepared = PreparedRequest(request: CoverageRequest(districts: [square], entities: [Entity](), radius: 500),
                                       entitiesFile: "stations.geojson", populationFile: "pop.geojson")
        let warnings = prepared.warnings(for: report).map(\.description)
        #expect(warnings.count == 2, "\(warnings)")
        #expect(warnings.first?.hasPrefix("stations.geojson: 2 of 3 selected entities lie outside every district and count in no "
                                           + "figure; the nearest, id 2 («Место 2»), is 300 m outside at lon ") == true, "\(warnings)")
        #expect(warnings.last?.hasPrefix("pop.geojson: 57 residents lie outside every district and count in no figure "
                                          + "(1 feature wholly outside); the nearest is 50 m outside at lon ") == true, "\(warnings)")
    }

    @Test("nothing outside: no warning, and the JSON says 0 entities outside")
    func nothingOutside() async throws {
        let square = try Metres.district("a", [Metres.box(-2000, -2000, 2000, 2000)])
        let report = try await CoverageRequest(districts: [square], entities: [Metres.entity(1, try Metres.point(0, 0))],
                                               radius: 500, crs: Metres.epsg).coverage()
        #expect(report.city.entitiesOutside == 0 && report.city.residentsOutside == nil)
        #expect(report.json.objectValue?["city"]?.objectValue?["entities_outside"] == .number(0))
        let prepared = PreparedRequest(request: CoverageRequest(districts: [square], entities: [Entity](), radius: 500))
        #expect(prepared.warnings(for: report).isEmpty)
    }
}

@Suite("A forced CRS that distorts areas is refused with the distortion PROJ measures")
struct DistortingCRSTests {
    @Test("Web Mercator at 52° N (areas 2.7 times too large) and a UTM zone 30° away are refused; a neighbouring zone is taken")
    func distortion() async throws {
        // Berlin-like districts around 13.4° E, 52.5° N.
        let districts = (0..<3).map { i in
            let x0 = 13.3 + Double(i) * 0.05
            return District(id: "b\(i)", name: "Bezirk \(i)", geometry: .polygon(Polygon(outerRing: [
                Position(x: x0, y: 52.45), Position(x: x0 + 0.05, y: 52.45), Position(x: x0 + 0.05, y: 52.55),
                Position(x: x0, y: 52.55), Position(x: x0, y: 52.45)])))
        }
        for (code, distortion) in [(3857, "170 %"), (32637, nil as String?)] {
            do {
                _ = try await CoverageRequest(districts: districts, entities: [Entity](), radius: 500, crs: code).coverage()
                Issue.record("EPSG:\(code) was accepted")
            } catch let error as CivicError {
                #expect(error.description.hasPrefix("EPSG:\(code) distorts areas by \(distortion ?? "")"), "\(error)")
                #expect(error.description.contains("at the districts (areal scale "), "\(error)")
                #expect(error.hint?.contains("(here EPSG:32633)") == true, "\(error.hint ?? "")")
            }
        }
        let neighbour = try await CoverageRequest(districts: districts, entities: [Entity](), radius: 500, crs: 32633).coverage()
        #expect(neighbour.crs == "EPSG:32633")
    }
}
