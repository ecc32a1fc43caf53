import CivicCore
import GeoEngine
import GeoValues

/// Checks of geometry that need GEOS: validity with the place where a ring crosses itself.
public enum GeometryCheck {
    /// The first problem of a polygonal geometry (self-intersection, ring crossing a hole, …)
    /// with where it happens, or nil when it is valid. Points are always valid.
    ///
    /// Throws when GEOS itself fails while checking: that says nothing about the geometry, so it
    /// is never reported as a problem of it.
    public static func problem(in geometry: Geometry) throws(GeoEngineError) -> (reason: String, location: Position?)? {
        switch geometry {
        case .point, .multiPoint: return nil
        default: break
        }
        let context = try GeometryContext()
        let handle: GeometryHandle
        do {
            handle = try context.make(geometry)
        } catch {
            // GEOS refuses to build it (a ring too short or not closed, a coordinate not finite).
            return ("\(error)", nil)
        }
        if case .invalid(let reason, let location) = try handle.validity() { return (reason, location) }
        return nil
    }

    /// The same check as an error on the feature's `geometry` field, as every reader of districts
    /// and entities reports it (`entities.geojson:3: features[2] (id 4): geometry: self-intersection
    /// at lon 0.5, lat 0.5`). Parsing a feature into the model checks structure only; this is the
    /// one place that adds GEOS validity. A GEOS failure while checking is thrown as the
    /// ``GeoEngineError`` it is, not as a problem of the geometry.
    public static func requireValid(_ geometry: Geometry, file: String, line: Int?, place: String,
                                    hint: String? = nil) throws {
        if let problem = try problem(in: geometry) {
            throw CivicError.invalid(file: file, line: line, place: place, field: "geometry",
                                     reason: describe(problem), hint: hint)
        }
    }

    /// `Self-intersection at lon 82.61, lat 49.95` for messages.
    public static func describe(_ problem: (reason: String, location: Position?)) -> String {
        guard let p = problem.location else { return problem.reason.lowercased() }
        return "\(problem.reason.lowercased()) at lon \(JSONNumber.format(p.x, decimals: 7)), lat \(JSONNumber.format(p.y, decimals: 7))"
    }
}

/// A districts file as `civic init` and the loose-file options take it.
public enum DistrictFile {
    /// The districts of a GeoJSON file, their names, ids and populations found as
    /// ``DistrictSource/districts(from:fields:file:)`` finds them; every polygon valid, ids unique.
    /// Errors name the file, the line and the feature.
    public static func parse(_ bytes: [UInt8], file: String, fields: DistrictFields = DistrictFields()) throws -> [District] {
        try parseWithLines(bytes, file: file, fields: fields).districts
    }

    /// ``parse(_:file:fields:)``, with the line where each district's feature starts (nil when the
    /// file does not tell), for messages that name a district's place in the file.
    public static func parseWithLines(_ bytes: [UInt8], file: String,
                                      fields: DistrictFields = DistrictFields()) throws -> (districts: [District], lines: [Int?]) {
        let features = try GeoJSONReader.features(in: bytes, file: file)
        if features.isEmpty {
            throw CivicError.invalid(file: file, place: "features", reason: "no districts in the file",
                                     hint: "a district is a Polygon or MultiPolygon feature with a name")
        }
        let districts = try DistrictSource.districts(from: features, fields: fields, file: file)
        if let problem = swappedAxesProblem(districts, file: file) { throw problem }
        var seen: [String: Int] = [:]
        for (index, district) in districts.enumerated() {
            let line = features[index].line > 0 ? features[index].line : nil
            let place = "features[\(index)] (id \(district.id))"
            try GeometryCheck.requireValid(district.geometry, file: file, line: line, place: place,
                                           hint: "fix the ring in QGIS (Vector › Geometry Tools › Check Validity)")
            if let first = seen[district.id] {
                throw CivicError.invalid(file: file, line: line, place: place, field: "id",
                                         reason: "id '\(district.id)' is used by features[\(first)] too",
                                         hint: fields.id == nil ? "name a property with unique ids with --id-field" : nil)
            }
            seen[district.id] = index
        }
        return (districts, features.map { $0.line > 0 ? $0.line : nil })
    }
}

extension DistrictFile {
    /// Latitudes beyond this hold no city of a size to map by district (Norilsk is at 69.3° N).
    public static let polarLatitude = 70.0

    /// ``swappedAxes(_:)`` as an error of the districts file, with what to do; `civic init` and
    /// `civic validate` report it alike.
    public static func swappedAxesProblem(_ districts: [District], file: String) -> CivicError? {
        guard let problem = swappedAxes(districts) else { return nil }
        return CivicError.invalid(file: file, place: "features", field: "geometry", reason: problem,
                                  hint: "GeoJSON positions are [longitude, latitude]; swap the two numbers of each "
                                      + "(QGIS: Processing › Vector geometry › Swap X and Y coordinates)")
    }

    /// Why the districts look written `[latitude, longitude]`, or nil: every position lies beyond
    /// 70° N or S, and with the two numbers exchanged every one would be south of it. Oskemen
    /// written so lands at 82.6° N, in the Arctic Ocean.
    public static func swappedAxes(_ districts: [District]) -> String? {
        var box: BoundingBox?
        for district in districts {
            guard let b = district.geometry.boundingBox else { continue }
            box = box.map { $0.union(b) } ?? b
        }
        guard let box else { return nil }
        let beyond = box.minY > polarLatitude || box.maxY < -polarLatitude
        let swappedFits = box.minX >= -polarLatitude && box.maxX <= polarLatitude
        guard beyond && swappedFits else { return nil }
        let latitude = box.minY > 0 ? box.minY : box.maxY
        return "the districts lie beyond \(JSONNumber.format(polarLatitude))° \(latitude > 0 ? "N" : "S") "
            + "(latitude \(JSONNumber.format((latitude * 100).rounded() / 100)) and farther), where no city is mapped by "
            + "district: latitude and longitude look swapped"
    }
}

/// The geometry of an entity drawn as an area (`civic add --polygon FILE`).
public enum PolygonFile {
    /// The one Polygon or MultiPolygon of a file holding a bare geometry, a Feature, or a
    /// FeatureCollection of exactly one feature; it must be valid.
    public static func parse(_ bytes: [UInt8], file: String) throws -> Geometry {
        let features = try GeoJSONReader.features(in: bytes, file: file)
        guard features.count == 1, let geometry = features[0].geometry else {
            throw CivicError.invalid(file: file, place: "features", reason: "expected exactly one polygon, found \(features.count) features")
        }
        switch geometry {
        case .polygon, .multiPolygon: break
        default:
            throw CivicError.invalid(file: file, line: features[0].line, place: "features[0]", field: "geometry",
                                     reason: "a \(geometry.typeName) is not an area; expected a Polygon or MultiPolygon")
        }
        try GeometryCheck.requireValid(geometry, file: file, line: features[0].line, place: "features[0]")
        return geometry
    }
}
