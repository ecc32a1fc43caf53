import CivicCore
import CivicRules
import GeoEngine
import GeoValues

/// Coverage inputs read from GeoJSON files, with the checks civic makes before measuring anything.
///
/// Every error names the file and the feature (`entities.geojson:12: features[10] (id 11):
/// geometry: self-intersection at lon 82.61, lat 49.95`), so that one line on stderr tells the
/// volunteer what to fix.
public enum CoverageInputs {
    /// The entities of a GeoJSON file (DESIGN §6), each a valid entity with a usable geometry.
    ///
    /// A feature that is not an entity at all (no id, no kind, …) is always an error. One whose
    /// geometry is unusable — missing, not a Point, Polygon or MultiPolygon, or an invalid polygon —
    /// is an error too unless `skipInvalid`: then it is left out and `warn` hears about it.
    public static func entities(in bytes: consuming [UInt8], file: String, skipInvalid: Bool,
                                warn: (CivicError) -> Void) throws -> (entities: [Entity], skipped: Int) {
        var features = try GeoJSONReader.features(in: bytes, file: file)
        // The text and then each feature are let go as soon as they are read: 400,000 entities
        // need their memory once, not three times.
        bytes = []
        var entities: [Entity] = []
        entities.reserveCapacity(features.count)
        var skipped = 0
        for index in features.indices {
            let feature = features[index]
            features[index] = Feature(geometry: nil)
            do {
                let entity = try Entity(feature: feature, index: index, file: file)
                try GeometryCheck.requireValid(entity.geometry, file: file, line: feature.line,
                                               place: Feature.place(index: index, id: feature.id))
                entities.append(entity)
            } catch let error as CivicError {
                // A GEOS failure (GeoEngineError) is not the entity's problem: it is never skipped.
                guard skipInvalid, isGeometryProblem(error) else { throw error }
                warn(error)
                skipped += 1
            }
        }
        return (entities, skipped)
    }

    /// The districts of a GeoJSON file: valid Polygons or MultiPolygons with unique ids (missing ids
    /// become `d1`, `d2`, … by position).
    public static func districts(in bytes: [UInt8], file: String) throws -> [District] {
        try DistrictFile.parse(bytes, file: file)
    }

    /// Residents from a `--population` file: Points, Polygons or MultiPolygons, each with a number
    /// `population` of 0 or more; polygons must be valid.
    public static func residents(in bytes: [UInt8], file: String) throws -> [Residents] {
        let features = try GeoJSONReader.features(in: bytes, file: file)
        var residents: [Residents] = []
        residents.reserveCapacity(features.count)
        for (index, feature) in features.enumerated() {
            let place = Feature.place(index: index, id: feature.id)
            let line = feature.line > 0 ? feature.line : nil
            guard let value = feature.properties["population"] else {
                throw CivicError.invalid(file: file, line: line, place: place, field: "population",
                                         reason: "missing: each feature needs a number of residents")
            }
            guard let count = value.doubleValue, count.isFinite, count >= 0 else {
                throw CivicError.invalid(file: file, line: line, place: place, field: "population",
                                         reason: "must be a number, 0 or more")
            }
            guard let geometry = feature.geometry else {
                throw CivicError.invalid(file: file, line: line, place: place, field: "geometry",
                                         reason: "missing: residents live at a Point or in a Polygon")
            }
            switch geometry {
            case .point:
                break
            case .polygon, .multiPolygon:
                try GeometryCheck.requireValid(geometry, file: file, line: line, place: place)
            default:
                throw CivicError.invalid(file: file, line: line, place: place, field: "geometry",
                                         reason: "is a \(geometry.typeName); residents live at a Point or in a Polygon or MultiPolygon")
            }
            residents.append(Residents(geometry: geometry, count: count))
        }
        return residents
    }

    private static func isGeometryProblem(_ error: Error) -> Bool {
        if case .invalid(_, _, _, let field?, _, _) = error as? CivicError { return field == "geometry" }
        return false
    }
}
