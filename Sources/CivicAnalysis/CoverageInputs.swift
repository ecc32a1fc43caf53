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
    /// The entities of a loose GeoJSON file (DESIGN §6), as coverage counts them.
    ///
    /// Someone else's file, taken as it comes: any feature id (a string such as
    /// `"de:11000:900002201"`, a number, or none), `kind` optional (an entity without one is
    /// unclassified: selected unless `--kind` narrows), `name`, `names`, `themes` (an array of
    /// strings, or one string), `status` (`active` or `inactive`; missing is active) and `source`
    /// when present. Every problem of every feature is reported in one go (one ``CivicError``, or
    /// ``InputProblems`` for several): a value of the wrong type, an unknown status, a geometry
    /// missing, not a Point, Polygon or MultiPolygon, or invalid. With `skipInvalid`, a feature
    /// whose only problem is its geometry is left out instead and `warn` hears about it.
    public static func entities(in bytes: consuming [UInt8], file: String, skipInvalid: Bool,
                                warn: (CivicError) -> Void) throws -> (entities: [CoverageEntity], skipped: Int) {
        var features = try GeoJSONReader.features(in: bytes, file: file)
        // The text and then each feature are let go as soon as they are read: 400,000 entities
        // need their memory once, not three times.
        bytes = []
        var entities: [CoverageEntity] = []
        entities.reserveCapacity(features.count)
        var skipped = 0
        var problems: [CivicError] = []
        for index in features.indices {
            let feature = features[index]
            features[index] = Feature(geometry: nil)
            let place = Feature.place(index: index, id: feature.id)
            let line = feature.line > 0 ? feature.line : nil
            func fail(_ field: String, _ reason: String, hint: String? = nil) -> CivicError {
                .invalid(file: file, line: line, place: place, field: CivicError.excerpt(field), reason: reason, hint: hint)
            }
            var found: [CivicError] = []
            let properties = feature.properties
            var kind: String?
            switch properties["kind"] {
            case nil, .null?: break
            case .string(let s)?: kind = s.allSatisfy(\.isWhitespace) ? nil : s
            case let value?: found.append(fail("kind", "must be text, found \(value.inMessage)"))
            }
            var name: String?
            switch properties["name"] {
            case nil, .null?: break
            case .string(let s)?: name = s.allSatisfy(\.isWhitespace) ? nil : s
            case .number(let n)?: name = n
            case let value?: found.append(fail("name", "must be text, found \(value.inMessage)"))
            }
            var names: [String: String] = [:]
            if case .object(let object)? = properties["names"] {
                for (language, value) in object { if case .string(let s) = value, !s.isEmpty { names[language] = s } }
            }
            var themes: [String] = []
            switch properties["themes"] {
            case nil, .null?: break
            case .string(let s)?: if !s.allSatisfy(\.isWhitespace) { themes = [s] }
            case .array(let items)?:
                for (i, item) in items.enumerated() {
                    guard case .string(let s) = item else {
                        found.append(fail("themes", "must be an array of strings; item \(i) is \(item.inMessage)"))
                        break
                    }
                    themes.append(s)
                }
            case let value?: found.append(fail("themes", "must be an array of strings, found \(value.inMessage)"))
            }
            var status = EntityStatus.active
            switch properties["status"] {
            case nil, .null?: break
            case .string(let s)? where EntityStatus(rawValue: s.lowercased()) != nil:
                status = EntityStatus(rawValue: s.lowercased()) ?? .active
            case let value?: found.append(fail("status", "must be active or inactive, found \(value.inMessage)"))
            }
            var source: String?
            if case .string(let s)? = properties["source"], !s.isEmpty { source = s }

            var geometryProblem: CivicError?
            switch feature.geometry {
            case nil:
                geometryProblem = fail("geometry", "missing: an entity needs a Point, a Polygon or a MultiPolygon")
            case .point?, .polygon?, .multiPolygon?:
                // A GEOS failure (GeoEngineError) is not the entity's problem: it is thrown, never skipped.
                if let problem = try GeometryCheck.problem(in: feature.geometry!) {
                    geometryProblem = fail("geometry", GeometryCheck.describe(problem))
                }
            case let other?:
                geometryProblem = fail("geometry", "is a \(other.typeName); an entity is a Point, a Polygon or a MultiPolygon")
            }
            if let geometryProblem {
                if skipInvalid && found.isEmpty {
                    warn(geometryProblem)
                    skipped += 1
                    continue
                }
                found.append(geometryProblem)
            }
            guard found.isEmpty, let geometry = feature.geometry else {
                problems.append(contentsOf: found)
                continue
            }
            entities.append(CoverageEntity(id: feature.id, kind: kind, name: name, names: names, themes: themes,
                                           status: status, source: source, geometry: geometry))
        }
        let geometryAtFault = problems.contains { if case .invalid(_, _, _, "geometry"?, _, _) = $0 { true } else { false } }
        try InputProblems.throwIfAny(
            problems, hint: skipInvalid || !geometryAtFault
                ? nil : "fix the file, or pass --skip-invalid to leave out entities whose only problem is their geometry")
        return (entities, skipped)
    }

    /// The districts of a GeoJSON file: valid Polygons or MultiPolygons with unique ids (missing ids
    /// become `d1`, `d2`, … by position), their name, id and population properties found as
    /// `civic init` finds them, or named by `fields` (`--name-field`, `--id-field`, `--population-field`).
    public static func districts(in bytes: [UInt8], file: String, fields: DistrictFields = DistrictFields()) throws -> [District] {
        try DistrictFile.parse(bytes, file: file, fields: fields)
    }

    /// Residents from a `--population` file: Points, Polygons or MultiPolygons, each with a number
    /// of residents in `field` (nil: the property `population` in any case) of 0 or more — a
    /// number, or numeric text such as «354770» (DistrictSource's one reading of populations).
    /// Features whose value is null or missing are skipped, and `warn` hears how many, once.
    /// Every other problem of every feature is reported in one go (a ``CivicError``, or
    /// ``InputProblems`` for several); polygons must be valid.
    public static func residents(in bytes: [UInt8], file: String, field: String? = nil,
                                 warn: (CivicError) -> Void = { _ in }) throws -> [Residents] {
        let features = try GeoJSONReader.features(in: bytes, file: file)
        var keys: [String] = []
        var seen = Set<String>()
        for feature in features {
            for key in feature.properties.keys where seen.insert(key).inserted { keys.append(key) }
        }
        let key: String
        if let field {
            guard seen.contains(field) else {
                let suggestion = keys.first { $0.lowercased() == field.lowercased() }
                throw CivicError.refused(
                    reason: "--residents-field \(field): no feature of \(file) has this property; it has: "
                        + (keys.isEmpty ? "none" : keys.prefix(20).joined(separator: ", ")),
                    hint: suggestion.map { "property names are case-sensitive: try --residents-field \($0)" })
            }
            key = field
        } else {
            let candidates = keys.filter { $0.lowercased() == "population" }
            guard candidates.count == 1 else {
                let numeric = keys.filter { key in
                    features.contains { if case .amount = DistrictSource.residentAmount($0.properties[key] ?? .null) { true } else { false } }
                }
                throw CivicError.invalid(
                    file: file, place: "features", field: "population",
                    reason: candidates.isEmpty
                        ? "no feature has a property 'population' (in any case); the properties with numbers are: "
                            + (numeric.isEmpty ? "none" : numeric.prefix(20).joined(separator: ", "))
                        : "several properties could hold the residents: " + candidates.joined(separator: ", "),
                    hint: "name the property that holds each feature's residents with --residents-field"
                        + ((candidates.first ?? numeric.first).map { ", e.g. --residents-field \($0)" } ?? ""))
            }
            key = candidates[0]
        }
        var residents: [Residents] = []
        residents.reserveCapacity(features.count)
        var problems: [CivicError] = []
        var unknown = 0
        for (index, feature) in features.enumerated() {
            let place = Feature.place(index: index, id: feature.id)
            let line = feature.line > 0 ? feature.line : nil
            let value = feature.properties[key] ?? .null
            let count: Double
            switch DistrictSource.residentAmount(value) {
            case .amount(let amount): count = amount
            case .missing:
                unknown += 1
                continue
            case .invalid:
                problems.append(.invalid(file: file, line: line, place: place, field: CivicError.excerpt(key),
                                         reason: "must be a number of residents, 0 or more, found \(value.inMessage)"))
                continue
            }
            guard let geometry = feature.geometry else {
                problems.append(.invalid(file: file, line: line, place: place, field: "geometry",
                                         reason: "missing: residents live at a Point or in a Polygon"))
                continue
            }
            switch geometry {
            case .point:
                break
            case .polygon, .multiPolygon:
                if let problem = try GeometryCheck.problem(in: geometry) {
                    problems.append(.invalid(file: file, line: line, place: place, field: "geometry",
                                             reason: GeometryCheck.describe(problem)))
                    continue
                }
            default:
                problems.append(.invalid(file: file, line: line, place: place, field: "geometry",
                                         reason: "is a \(geometry.typeName); residents live at a Point or in a Polygon or MultiPolygon"))
                continue
            }
            residents.append(Residents(geometry: geometry, count: count))
        }
        try InputProblems.throwIfAny(problems)
        if unknown > 0 {
            warn(.invalid(file: file, place: "features", field: CivicError.excerpt(key),
                          reason: "\(unknown) of \(features.count) features have no number of residents (null or missing)"))
        }
        return residents
    }

}

/// Several problems found in one reading of an input file, reported together so that one run shows
/// them all (a stations file without kinds and with text ids was refused twice, one problem at a time).
public struct InputProblems: Error, Hashable, Sendable, CustomStringConvertible {
    /// Every problem, in the file's order.
    public var problems: [CivicError]
    /// What to do about them, once for all.
    public var hint: String?

    /// The problems, one per line.
    public var description: String { problems.map(\.description).joined(separator: "\n") }

    /// Throws nothing for no problems, the problem itself for one, ``InputProblems`` for several;
    /// `hint` goes to an error that has none of its own.
    static func throwIfAny(_ problems: [CivicError], hint: String? = nil) throws {
        guard let first = problems.first else { return }
        if problems.count == 1 {
            guard let hint, first.hint == nil, case let .invalid(file, line, place, field, reason, _) = first else { throw first }
            throw CivicError.invalid(file: file, line: line, place: place, field: field, reason: reason, hint: hint)
        }
        throw InputProblems(problems: problems, hint: hint)
    }
}
