import GeoValues

/// Which properties of a district file hold each district's name, id and population: the ones the
/// user named (`--name-field`, `--id-field`, `--population-field`), or nil to let civic find them.
public struct DistrictFields: Hashable, Sendable {
    public var name: String?
    public var id: String?
    public var population: String?

    public init(name: String? = nil, id: String? = nil, population: String? = nil) {
        self.name = name
        self.id = id
        self.population = population
    }
}

/// District files as people have them — `NAME` from a shapefile, `Name` from `ogr2ogr` of a KML,
/// `shapeName` from geoBoundaries, `Gemeinde_name` from a German statistics office, populations as
/// numbers, numeric strings or nulls — turned into civic's districts. Structure only: GEOS validity
/// is CivicRules' `DistrictFile`.
///
/// ```swift
/// let districts = try DistrictSource.districts(from: features, fields: DistrictFields(), file: "bezirke.geojson")
/// ```
public enum DistrictSource {
    /// The districts of `features`, in order. The name is the property `fields.name`, else the one
    /// property called `name` in any case, else the one property whose name ends in `name` (not a
    /// language or alternative form such as `name_en` or `alt_name`), preferring among several the
    /// one whose values tell the districts apart; when none or several qualify,
    /// the error lists the file's text properties. The id is `fields.id`'s value, else the feature's
    /// id, else a property `id` in any case, else `d1`, `d2`, … by position. The population is
    /// `fields.population`, else a property `population` in any case: a number, a numeric string
    /// («354770», «354 770») or null. `names` is filled from `names` and from `name_en`, `name:ru`,
    /// `NAME_KK`-style keys; every other property is kept.
    public static func districts(from features: [Feature], fields: DistrictFields,
                                 file: String) throws(CivicError) -> [District] {
        let keys = propertyKeys(features)
        let nameKey = try self.nameKey(fields.name, keys: keys, features: features, file: file)
        let idKey = try fields.id.map { (key) throws(CivicError) -> String in
            try requireKey(key, option: "--id-field", keys: keys, features: features, file: file)
        }
        let populationKey = try fields.population.map { (key) throws(CivicError) -> String in
            try requireKey(key, option: "--population-field", keys: keys, features: features, file: file)
        } ?? unique(keys.filter { $0.lowercased() == "population" })
        let ownIDKey = idKey == nil && features.contains(where: { $0.id == nil })
            ? unique(keys.filter { $0.lowercased() == "id" }) : nil

        var districts: [District] = []
        districts.reserveCapacity(features.count)
        for (index, feature) in features.enumerated() {
            let place = Feature.place(index: index, id: feature.id)
            func fail(_ field: String, _ reason: String, hint: String? = nil) -> CivicError {
                .invalid(file: file, line: feature.line > 0 ? feature.line : nil, place: place,
                         field: CivicError.excerpt(field), reason: reason, hint: hint)
            }
            let properties = feature.properties

            guard let name = text(properties[nameKey]) else {
                throw fail(nameKey, properties[nameKey].map { "is \($0.inMessage); a district needs a name" } ?? "missing",
                           hint: fields.name == nil ? "name the property that holds names with --name-field" : nil)
            }

            let id: String
            if let idKey {
                guard let value = text(properties[idKey]) else { throw fail(idKey, "missing or blank: every district needs an id") }
                id = value
            } else if let featureID = feature.id {
                switch featureID {
                case .string(let s): id = s
                case .number(let n): id = n
                }
                guard !id.allSatisfy(\.isWhitespace) else { throw fail("id", "is blank") }
            } else if let ownIDKey, let value = text(properties[ownIDKey]) {
                id = value
            } else {
                id = "d\(index + 1)"
            }

            var population: Int?
            if let populationKey, let value = properties[populationKey] {
                switch residentCount(value) {
                case .count(let n): population = n
                case .missing: population = nil
                case .invalid:
                    throw fail(populationKey, "must be a number of residents, found \(value.inMessage)",
                               hint: fields.population == nil ? "name another property with --population-field" : nil)
                }
            }

            var names: [String: String] = [:]
            if case .object(let object)? = properties["names"] {
                for (language, value) in object { if let s = text(value) { names[language] = s } }
            }
            for key in keys where key != nameKey {
                if let language = languageOfName(key), names[language] == nil, let s = text(properties[key]) {
                    names[language] = s
                }
            }

            var others = JSONObject()
            for (key, value) in properties
            where key != nameKey && key != idKey && key != populationKey && key != "names" && key != "name" {
                others[key] = value
            }
            let geometry: Geometry
            switch feature.geometry {
            case let area? where !area.polygons.isEmpty: geometry = area
            case let other?: throw fail("geometry", "is a \(other.typeName); a district is a Polygon or a MultiPolygon")
            case nil: throw fail("geometry", "missing: a district needs a Polygon or a MultiPolygon")
            }
            districts.append(District(id: id, name: name, names: names, population: population,
                                      properties: others, geometry: geometry))
        }
        return districts
    }

    /// What a population property holds.
    public enum ResidentCount: Hashable, Sendable {
        /// A non-negative whole number of residents (fractions rounded, as estimates come).
        case count(Int)
        /// null, or empty text: not known.
        case missing
        /// Anything else: text that is not a number, a negative number, an array, …
        case invalid
    }

    /// A count of residents from a property value: a number, or numeric text with optional spaces
    /// (also no-break and thin ones) or underscores between digit groups («354770», «354 770»).
    /// The one reading of populations, for district files and population files alike.
    public static func residentCount(_ value: JSONValue) -> ResidentCount {
        switch residentAmount(value) {
        case .amount(let d): .count(Int(d.rounded()))
        case .missing: .missing
        case .invalid: .invalid
        }
    }

    /// What a population property holds, before rounding to whole people.
    public enum ResidentAmount: Hashable, Sendable {
        /// A finite number of residents, 0 or more.
        case amount(Double)
        /// null, or empty text: not known.
        case missing
        /// Anything else.
        case invalid
    }

    /// ``residentCount(_:)``'s reading without the rounding: a population file's features may hold
    /// estimates in fractions of people (a grid of 100 m cells), which rounding one by one would bias.
    public static func residentAmount(_ value: JSONValue) -> ResidentAmount {
        let text: String
        switch value {
        case .null: return .missing
        case .number(let n): text = n
        case .string(let s):
            let digits = s.unicodeScalars.filter { !($0.properties.isWhitespace || $0 == "_") }
            text = String(String.UnicodeScalarView(digits))
            if text.isEmpty { return .missing }
        default: return .invalid
        }
        guard let d = Double(text), d.isFinite, d >= 0, d < 1e12 else { return .invalid }
        return .amount(d)
    }

    // MARK: - inside

    /// The property keys of all features, in the order first seen.
    private static func propertyKeys(_ features: [Feature]) -> [String] {
        var seen = Set<String>()
        var keys: [String] = []
        for feature in features {
            for key in feature.properties.keys where seen.insert(key).inserted { keys.append(key) }
        }
        return keys
    }

    private static func unique(_ keys: [String]) -> String? { keys.count == 1 ? keys[0] : nil }

    private static func nameKey(_ given: String?, keys: [String], features: [Feature],
                                file: String) throws(CivicError) -> String {
        if let given { return try requireKey(given, option: "--name-field", keys: keys, features: features, file: file) }
        let exact = keys.filter { $0.lowercased() == "name" }
        if exact.count == 1 { return exact[0] }
        let endings = keys.filter { key in
            let lower = key.lowercased()
            return lower.hasSuffix("name") && languageOfName(key) == nil
                && !alternativePrefixes.contains(where: { lower.hasPrefix($0) })
                && features.allSatisfy { text($0.properties[key]) != nil }
        }
        var found = exact.isEmpty ? endings : exact
        if found.count > 1 {
            // A name every district shares (`Land_name: Berlin` beside `Gemeinde_name`) names
            // something larger: the districts' own names tell them apart.
            let distinct = found.filter { key in
                Set(features.compactMap { text($0.properties[key]) }).count == features.count
            }
            if distinct.count == 1 || (features.count > 1 && !distinct.isEmpty) { found = distinct }
        }
        if found.count == 1 { return found[0] }
        let textual = keys.filter { key in features.contains { text($0.properties[key]) != nil } }
        let listed = textual.isEmpty ? "none" : textual.prefix(20).joined(separator: ", ") + (textual.count > 20 ? ", …" : "")
        if found.isEmpty {
            // Suggest a property that tells the districts apart, one with "name" in it if there is
            // one (GADM's NAME_2 rather than GID_2), the finest level last.
            let telling = textual.filter { key in Set(features.compactMap { text($0.properties[key]) }).count == features.count }
            let suggestion = telling.last { $0.lowercased().contains("name") } ?? telling.first ?? textual.first
            throw CivicError.invalid(
                file: file, place: "features", field: "name",
                reason: "no property holds the districts' names (looked for 'name' in any case, and one property ending in 'name'); the text properties are: \(listed)",
                hint: "name it with --name-field" + (suggestion.map { ", e.g. --name-field \($0)" } ?? ""))
        }
        throw CivicError.invalid(
            file: file, place: "features", field: "name",
            reason: "several properties could hold the districts' names: \(found.joined(separator: ", "))",
            hint: "choose one with --name-field \(found[0])")
    }

    private static func requireKey(_ key: String, option: String, keys: [String], features: [Feature],
                                   file: String) throws(CivicError) -> String {
        if keys.contains(key) { return key }
        let textual = keys.filter { key in features.contains { $0.properties[key].map { $0 != .null } == true } }
        let suggestion = keys.first { $0.lowercased() == key.lowercased() }
        throw CivicError.refused(
            reason: "\(option) \(key): no feature of \(file) has this property; it has: "
                + (textual.isEmpty ? "none" : textual.prefix(20).joined(separator: ", ")),
            hint: suggestion.map { "property names are case-sensitive: try \(option) \($0)" })
    }

    /// Prefixes of names that are not *the* name: alternative, historic, international, short forms.
    private static let alternativePrefixes = ["alt", "old", "int", "short", "loc", "nat", "reg", "sort", "var", "official"]

    /// `en` for `name_en`, `name:en`, `NAME_EN`, `name-en`; nil for anything else (`name_1` is a level, not a language).
    static func languageOfName(_ key: String) -> String? {
        let lower = key.lowercased()
        guard lower.hasPrefix("name"), lower.count == 7 || lower.count == 8 else { return nil }
        let rest = lower.dropFirst(4)
        guard let separator = rest.first, separator == "_" || separator == ":" || separator == "-" else { return nil }
        let language = rest.dropFirst()
        guard (2...3).contains(language.count), language.allSatisfy({ $0.isASCII && $0.isLetter }) else { return nil }
        return String(language)
    }

    /// Text for a name or an id: a non-blank string, or a number as written.
    private static func text(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let s)?: return s.allSatisfy(\.isWhitespace) ? nil : s.trimmingWhitespace
        case .number(let n)?: return n
        default: return nil
        }
    }

}

private extension String {
    var trimmingWhitespace: String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s = s.dropFirst() }
        while s.last?.isWhitespace == true { s = s.dropLast() }
        return String(s)
    }
}
