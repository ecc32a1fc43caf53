import GeoEngine

/// Checks of geometry that need GEOS: validity with the place where a ring crosses itself.
public enum GeometryCheck {
    /// The first problem of a polygonal geometry (self-intersection, ring crossing a hole, …)
    /// with where it happens, or nil when it is valid. Points are always valid.
    ///
    /// Throws when GEOS itself fails while checking: that says nothing about the geometry, so it
    /// is never reported as a problem of it.
    public static func problem(in geometry: Geometry) throws -> (reason: String, location: Position?)? {
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

    /// `Self-intersection at lon 82.61, lat 49.95` for messages.
    public static func describe(_ problem: (reason: String, location: Position?)) -> String {
        guard let p = problem.location else { return problem.reason.lowercased() }
        return "\(problem.reason.lowercased()) at lon \(JSONNumber.format(p.x, decimals: 7)), lat \(JSONNumber.format(p.y, decimals: 7))"
    }
}

/// A districts file as `civic init` takes it.
public enum DistrictFile {
    /// The districts of a GeoJSON file: ids assigned where missing (`d1`, `d2`, … by position),
    /// every polygon valid, ids unique. Errors name the file, the line and the feature.
    public static func parse(_ bytes: [UInt8], file: String) throws -> [District] {
        var features = try GeoJSONReader.features(in: bytes, file: file)
        if features.isEmpty {
            throw CivicError.invalid(file: file, place: "features", reason: "no districts in the file",
                                     hint: "a district is a Polygon or MultiPolygon feature with a name")
        }
        var seen: [String: Int] = [:]
        var districts: [District] = []
        for index in features.indices {
            if features[index].id == nil {
                if let own = features[index].properties["id"], own.stringValue != nil || own.intValue != nil {
                    features[index].id = own.stringValue.map(FeatureID.string) ?? .number(String(own.intValue ?? 0))
                } else {
                    features[index].id = .string("d\(index + 1)")
                }
            }
            let district = try District(feature: features[index], index: index, file: file)
            let place = "features[\(index)] (id \(district.id))"
            if let problem = try GeometryCheck.problem(in: district.geometry) {
                throw CivicError.invalid(file: file, line: features[index].line, place: place, field: "geometry",
                                         reason: GeometryCheck.describe(problem),
                                         hint: "fix the ring in QGIS (Vector › Geometry Tools › Check Validity)")
            }
            if let first = seen[district.id] {
                throw CivicError.invalid(file: file, line: features[index].line, place: place, field: "id",
                                         reason: "id '\(district.id)' is used by features[\(first)] too")
            }
            seen[district.id] = index
            districts.append(district)
        }
        return districts
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
        if let problem = try GeometryCheck.problem(in: geometry) {
            throw CivicError.invalid(file: file, line: features[0].line, place: "features[0]", field: "geometry",
                                     reason: GeometryCheck.describe(problem))
        }
        return geometry
    }
}
