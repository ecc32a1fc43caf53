import CivicCore
import CivicImport
import CivicStore
import CivicTestSupport
import Foundation
import GeoValues
import Testing

/// The bytes of a file in Fixtures/ (copied into the test bundle).
func fixture(_ name: String) throws -> [UInt8] {
    let url = try #require(Bundle.module.resourceURL?.appendingPathComponent("Fixtures/\(name)"),
                           "no resource folder in the test bundle")
    let data = try #require(FileManager.default.contents(atPath: url.path), "fixture \(name) is missing")
    return Array(data)
}

enum Oskemen {
    /// One district, a square around Oskemen (82.6°E 49.95°N), about 18 by 15 km.
    static let district = District(
        id: "oskemen", name: "Усть-Каменогорск", names: ["kk": "Өскемен"],
        geometry: .polygon(Polygon(outerRing: [
            Position(lon: 82.5, lat: 49.88), Position(lon: 82.75, lat: 49.88), Position(lon: 82.75, lat: 50.02),
            Position(lon: 82.5, lat: 50.02), Position(lon: 82.5, lat: 49.88),
        ])))

    /// A new, empty dataset for the city in `folder/city`.
    static func dataset(in folder: String) throws -> Dataset {
        try Dataset.create(at: folder + "/city", info: DatasetInfo(name: "Гражданская карта", city: "Өскемен"),
                           districts: [district])
    }
}


/// The CSV candidates of a fixture.
func spreadsheet(_ name: String, _ options: SpreadsheetOptions = SpreadsheetOptions()) throws -> ImportBatch {
    try SpreadsheetImport.batch(try fixture(name), path: name, options: options)
}

/// The OSM candidates of a fixture under the default mapping, for a dataset in `language`.
func osm(_ name: String, language: String = "ru", mapping: OSMMapping = .standard) throws -> ImportBatch {
    OSMImport.batch(try OSMImport.read(try fixture(name), path: name), path: name, language: language, mapping: mapping)
}

/// The error a throwing expression threw, as a CivicError, or nil.
func civicError(_ body: () throws -> Void) -> CivicError? {
    do {
        try body()
        return nil
    } catch let error as CivicError {
        return error
    } catch {
        Issue.record("expected a CivicError, got \(error)")
        return nil
    }
}

extension ImportBatch {
    func candidate(_ place: String) -> ImportCandidate? { candidates.first { $0.place == place } }
}
