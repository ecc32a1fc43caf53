import GeoValues

// Conversions between the model and the files of a dataset (CONTRACTS: entities.geojson,
// districts.geojson, dataset.json, private/contacts.json). They check shape only — types, required
// members, ranges a type implies; vocabulary membership and location are EntityRules' business.

extension Entity {
    /// The properties with a meaning of their own, in the order they are written.
    public static let propertyOrder = [
        "kind", "name", "names", "themes", "status", "address", "description", "website", "source",
        "created", "updated", "allow",
    ]

    /// Fields that are private to the dataset team and never belong in public properties.
    public static let privateFields = ["phone", "email", "contact_person"]

    /// An entity from a feature of `entities.geojson`; `index` is its place in the `features` array.
    ///
    /// Errors name the feature (`features[3] (id 17)`), the line where it starts and the field:
    /// `id` (a positive integer number), `name` and `kind` (non-blank strings), `names` (an object
    /// of strings), `themes` (an array of strings; missing is an empty list), `status` (`active` or
    /// `inactive`; missing is active), the optional text fields (strings), `allow` (the remembered
    /// choices, ``Allowances``: an object with `outside`, a boolean, and `duplicate_of`, an array of
    /// entity ids), `geometry` (a Point, Polygon or MultiPolygon). Other string, number or boolean
    /// properties are kept in ``extra`` as text; a private field (`phone`, `email`,
    /// `contact_person`) in the public file is an error.
    public init(feature: Feature, index: Int, file: String) throws(CivicError) {
        let fields = FeatureFields(feature: feature, index: index, file: file)
        guard let featureID = feature.id else {
            throw fields.fail("id", "missing: an entity needs a positive integer id")
        }
        guard case .number(let literal) = featureID, let id = Int(literal), id > 0 else {
            throw fields.fail("id", "must be a positive integer, found \(FeatureFields.describe(featureID))")
        }
        let kind = try fields.requiredText("kind")
        let name = try fields.requiredText("name")
        let names = try fields.names()
        let themes = try fields.strings("themes")
        var status = EntityStatus.active
        if let text = try fields.optionalText("status") {
            guard let known = EntityStatus(rawValue: text) else {
                throw fields.fail("status", "must be active or inactive, found \"\(CivicError.excerpt(text))\"")
            }
            status = known
        }
        var extra: [String: String] = [:]
        for (key, value) in feature.properties where !Self.propertyOrder.contains(key) {
            if Self.privateFields.contains(key) {
                throw fields.fail(key, "a private field in the public file",
                                  hint: "private fields belong in private/contacts.json; remove it from this file")
            }
            switch value {
            case .string(let s): extra[key] = s
            case .number(let n): extra[key] = n
            case .bool(let b): extra[key] = b ? "true" : "false"
            case .null: break
            case .array, .object:
                throw fields.fail(key, "must be text, found \(FeatureFields.describe(value))",
                                  hint: "civic keeps further properties as text")
            }
        }
        guard let geometry = feature.geometry else {
            throw fields.fail("geometry", "missing: an entity needs a Point, a Polygon or a MultiPolygon")
        }
        switch geometry {
        case .point, .polygon, .multiPolygon: break
        default:
            throw fields.fail("geometry", "is a \(geometry.typeName); an entity is a Point, a Polygon or a MultiPolygon")
        }
        self.init(id: id, kind: kind, name: name, names: names, themes: themes, status: status,
                  address: try fields.optionalText("address"), description: try fields.optionalText("description"),
                  website: try fields.optionalText("website"), source: try fields.optionalText("source"),
                  created: try fields.optionalText("created"), updated: try fields.optionalText("updated"),
                  extra: extra, allowed: try fields.allowances(), geometry: geometry)
    }

    /// The feature as `entities.geojson` holds it: a number id, properties in ``propertyOrder``
    /// (empty and nil ones left out, `names` sorted by language), then `extra` sorted by key.
    public var feature: Feature {
        var properties = JSONObject()
        properties["kind"] = .string(kind)
        properties["name"] = .string(name)
        if !names.isEmpty { properties["names"] = FeatureFields.sortedObject(names) }
        if !themes.isEmpty { properties["themes"] = .array(themes.map(JSONValue.string)) }
        properties["status"] = .string(status.rawValue)
        let optional = [("address", address), ("description", description), ("website", website),
                        ("source", source), ("created", created), ("updated", updated)]
        for case let (key, value?) in optional where !value.isEmpty {
            properties[key] = .string(value)
        }
        if !allowed.isEmpty { properties["allow"] = allowed.json }
        for key in extra.keys.sorted()
        where !Self.propertyOrder.contains(key) && !Self.privateFields.contains(key) {
            properties[key] = .string(extra[key] ?? "")
        }
        return Feature(id: .number(id), properties: properties, geometry: geometry)
    }
}

extension Allowances {
    /// The `allow` property as `entities.geojson` holds it: `outside` when set, then `duplicate_of`
    /// when not empty.
    public var json: JSONValue {
        var object = JSONObject()
        if outside { object["outside"] = .bool(true) }
        if !duplicateOf.isEmpty { object["duplicate_of"] = .array(duplicateOf.sorted().map { .number($0) }) }
        return .object(object)
    }
}

extension District {
    /// A district from a feature of `districts.geojson`: `id` a string or a number (kept as text),
    /// `name` a non-blank string, `names` an object of strings, `population` a non-negative integer
    /// when present, geometry a Polygon or MultiPolygon. Other properties are kept in `properties`.
    public init(feature: Feature, index: Int, file: String) throws(CivicError) {
        let fields = FeatureFields(feature: feature, index: index, file: file)
        let id: String
        switch feature.id {
        case .string(let s)?:
            guard !FeatureFields.isBlank(s) else { throw fields.fail("id", "is blank") }
            id = s
        case .number(let n)?:
            id = n
        case nil:
            throw fields.fail("id", "missing: a district needs an id (a string such as \"ulbinsky\")")
        }
        let name = try fields.requiredText("name")
        let names = try fields.names()
        var population: Int?
        switch feature.properties["population"] {
        case nil, .null?:
            break
        case .number(let n)? where JSONValue.number(n).intValue.map { $0 >= 0 } == true:
            population = JSONValue.number(n).intValue
        case let value?:
            throw fields.fail("population", "must be a non-negative integer, found \(FeatureFields.describe(value))")
        }
        guard let geometry = feature.geometry else {
            throw fields.fail("geometry", "missing: a district needs a Polygon or a MultiPolygon")
        }
        switch geometry {
        case .polygon, .multiPolygon: break
        default:
            throw fields.fail("geometry", "is a \(geometry.typeName); a district is a Polygon or a MultiPolygon")
        }
        var others = JSONObject()
        for (key, value) in feature.properties where !District.ownKeys.contains(key) { others[key] = value }
        self.init(id: id, name: name, names: names, population: population, properties: others, geometry: geometry)
    }

    /// The feature as `districts.geojson` holds it: a string id; `name`, `names` (sorted),
    /// `population` when known.
    public var feature: Feature {
        var properties = JSONObject()
        properties["name"] = .string(name)
        if !names.isEmpty { properties["names"] = FeatureFields.sortedObject(names) }
        if let population { properties["population"] = .number(population) }
        for (key, value) in self.properties where !District.ownKeys.contains(key) { properties[key] = value }
        return Feature(id: .string(id), properties: properties, geometry: geometry)
    }

    /// The properties `districts.geojson` gives a meaning of their own.
    static let ownKeys: Set<String> = ["name", "names", "population"]
}

extension DatasetInfo {
    /// The contents of `dataset.json`. Required: `format_version` (an integer; a newer version than
    /// this civic reads is the caller's to refuse), `name`, `city`. Optional: `language` (default
    /// `ru`), `radius_m` (a positive number, default ``DatasetInfo/defaultRadius``), `vocabulary` (default ``Vocabulary/standard``;
    /// when present, `kinds` and `themes` are arrays of `{"id": …, "labels": {…}}`), `allow` (the
    /// choices kept on purpose: `{"overlaps": [["d1", "d2"], …]}`, pairs of district ids).
    public init(json: JSONValue, file: String) throws(CivicError) {
        func fail(_ field: String?, _ reason: String, hint: String? = nil) -> CivicError {
            .invalid(file: file, place: "dataset", field: field, reason: reason, hint: hint)
        }
        guard case .object(let object) = json else {
            throw fail(nil, "must be a JSON object, found \(FeatureFields.describe(json))")
        }
        guard let versionValue = object["format_version"] else {
            throw fail("format_version", "missing", hint: "civic writes \"format_version\": \(Self.currentFormatVersion)")
        }
        guard let formatVersion = versionValue.intValue, formatVersion >= 1 else {
            throw fail("format_version", "must be a positive integer, found \(FeatureFields.describe(versionValue))")
        }
        func text(_ key: String, required: Bool) throws(CivicError) -> String? {
            switch object[key] {
            case nil, .null?:
                if required { throw fail(key, "missing") }
                return nil
            case .string(let s)?:
                if required, FeatureFields.isBlank(s) { throw fail(key, "is blank") }
                return s
            case let value?:
                throw fail(key, "must be a string, found \(FeatureFields.describe(value))")
            }
        }
        let name = try text("name", required: true) ?? ""
        let city = try text("city", required: true) ?? ""
        let language = try text("language", required: false) ?? "ru"
        var radius = DatasetInfo.defaultRadius
        if let value = object["radius_m"], value != .null {
            guard let r = value.doubleValue, r.isFinite, r > 0 else {
                throw fail("radius_m", "must be a positive number of metres, found \(FeatureFields.describe(value))")
            }
            radius = r
        }
        var vocabulary = Vocabulary.standard
        if let value = object["vocabulary"], value != .null {
            guard case .object(let vocabularyObject) = value else {
                throw fail("vocabulary", "must be an object with kinds and themes, found \(FeatureFields.describe(value))")
            }
            func terms(_ key: String) throws(CivicError) -> [Term] {
                let field = "vocabulary.\(key)"
                guard case .array(let items)? = vocabularyObject[key] else {
                    throw fail(field, vocabularyObject[key] == nil
                        ? "missing" : "must be an array of terms, found \(FeatureFields.describe(vocabularyObject[key] ?? .null))")
                }
                var terms: [Term] = []
                for (i, item) in items.enumerated() {
                    guard case .object(let term) = item else {
                        throw fail("\(field)[\(i)]", "must be an object {\"id\": …, \"labels\": {…}}, found \(FeatureFields.describe(item))")
                    }
                    guard case .string(let id)? = term["id"], !FeatureFields.isBlank(id) else {
                        throw fail("\(field)[\(i)].id", "must be a non-blank string")
                    }
                    var labels: [String: String] = [:]
                    switch term["labels"] {
                    case nil, .null?: break
                    case .object(let labelObject)?:
                        for (language, label) in labelObject {
                            guard case .string(let s) = label else {
                                throw fail("\(field)[\(i)].labels.\(language)", "must be a string, found \(FeatureFields.describe(label))")
                            }
                            labels[language] = s
                        }
                    case let other?:
                        throw fail("\(field)[\(i)].labels", "must be an object of labels by language, found \(FeatureFields.describe(other))")
                    }
                    terms.append(Term(id: id, labels: labels))
                }
                return terms
            }
            vocabulary = Vocabulary(kinds: try terms("kinds"), themes: try terms("themes"))
        }
        var allowedOverlaps: [Set<String>] = []
        if let value = object["allow"], value != .null {
            guard case .object(let allow) = value else {
                throw fail("allow", "must be an object such as {\"overlaps\": [[\"d1\", \"d2\"]]}, found \(FeatureFields.describe(value))")
            }
            for (key, member) in allow {
                guard key == "overlaps" else {
                    throw fail("allow.\(CivicError.excerpt(key))", "unknown choice", hint: "civic remembers \"overlaps\" here")
                }
                guard case .array(let pairs) = member else {
                    throw fail("allow.overlaps", "must be an array of pairs of district ids, found \(FeatureFields.describe(member))")
                }
                for (i, pair) in pairs.enumerated() {
                    guard case .array(let items) = pair, items.count == 2,
                          case .string(let a) = items[0], case .string(let b) = items[1],
                          !FeatureFields.isBlank(a), !FeatureFields.isBlank(b), a != b else {
                        throw fail("allow.overlaps[\(i)]", "must be two different district ids, such as [\"d1\", \"d2\"]")
                    }
                    if !allowedOverlaps.contains([a, b]) { allowedOverlaps.append([a, b]) }
                }
            }
        }
        self.init(name: name, city: city, language: language, radius: radius, vocabulary: vocabulary,
                  formatVersion: formatVersion, allowedOverlaps: allowedOverlaps)
    }

    /// `dataset.json` as civic writes it (serialize with `pretty: true`).
    public var json: JSONValue {
        func terms(_ list: [Term]) -> JSONValue {
            .array(list.map { term in
                var object = JSONObject([("id", .string(term.id))])
                if !term.labels.isEmpty { object["labels"] = FeatureFields.sortedObject(term.labels) }
                return .object(object)
            })
        }
        var object = JSONObject([
            ("format_version", .number(formatVersion)),
            ("name", .string(name)),
            ("city", .string(city)),
            ("language", .string(language)),
            ("radius_m", .number(radius)),
            ("vocabulary", .object(JSONObject([("kinds", terms(vocabulary.kinds)), ("themes", terms(vocabulary.themes))]))),
        ])
        // Written only when there is a choice to remember: a dataset without one keeps its bytes.
        if !allowedOverlaps.isEmpty {
            let pairs = allowedOverlaps.map { $0.sorted() }.sorted { $0.lexicographicallyPrecedes($1) }
            object["allow"] = .object(JSONObject([("overlaps", .array(pairs.map { .array($0.map(JSONValue.string)) }))]))
        }
        return .object(object)
    }
}

extension Contacts {
    /// One entity's entry of `private/contacts.json`: an object with `phone`, `email`,
    /// `contact_person`, each a string (a phone written as a number is kept as its digits) or null.
    /// Other members are ignored. `file` names the file in errors.
    public init(json: JSONValue, file: String = "private/contacts.json") throws(CivicError) {
        guard case .object(let object) = json else {
            throw CivicError.invalid(file: file, place: "contacts", reason: "must be an object of contact fields, found \(FeatureFields.describe(json))")
        }
        func text(_ key: String) throws(CivicError) -> String? {
            switch object[key] {
            case nil, .null?: return nil
            case .string(let s)?: return s.isEmpty ? nil : s
            case .number(let n)?: return n
            case let value?:
                throw CivicError.invalid(file: file, place: "contacts", field: key,
                                         reason: "must be a string, found \(FeatureFields.describe(value))")
            }
        }
        self.init(phone: try text("phone"), email: try text("email"), contactPerson: try text("contact_person"))
    }

    /// The entry as `private/contacts.json` holds it: the fields that are set, in a fixed order.
    public var json: JSONValue {
        var object = JSONObject()
        if let phone { object["phone"] = .string(phone) }
        if let email { object["email"] = .string(email) }
        if let contactPerson { object["contact_person"] = .string(contactPerson) }
        return .object(object)
    }
}

/// Reading the properties of one feature for a model conversion, with errors that name it.
struct FeatureFields {
    let feature: Feature
    let file: String
    let place: String

    init(feature: Feature, index: Int, file: String) {
        self.feature = feature
        self.file = file
        place = Feature.place(index: index, id: feature.id)
    }

    func fail(_ field: String, _ reason: String, hint: String? = nil) -> CivicError {
        .invalid(file: file, line: feature.line > 0 ? feature.line : nil, place: place, field: CivicError.excerpt(field), reason: reason,
                 hint: hint)
    }

    /// A non-blank string.
    func requiredText(_ key: String) throws(CivicError) -> String {
        guard let value = feature.properties[key], value != .null else { throw fail(key, "missing") }
        guard case .string(let s) = value else { throw fail(key, "must be a string, found \(Self.describe(value))") }
        guard !FeatureFields.isBlank(s) else { throw fail(key, "is blank") }
        return s
    }

    /// A string, or nil when missing, null or empty.
    func optionalText(_ key: String) throws(CivicError) -> String? {
        switch feature.properties[key] {
        case nil, .null?: return nil
        case .string(let s)?: return s.isEmpty ? nil : s
        case let value?: throw fail(key, "must be a string, found \(Self.describe(value))")
        }
    }

    /// An array of strings; missing or null is empty.
    func strings(_ key: String) throws(CivicError) -> [String] {
        switch feature.properties[key] {
        case nil, .null?: return []
        case .array(let items)?:
            var strings: [String] = []
            for (i, item) in items.enumerated() {
                guard case .string(let s) = item else {
                    throw fail(key, "must be an array of strings; item \(i) is \(Self.describe(item))")
                }
                strings.append(s)
            }
            return strings
        case let value?:
            throw fail(key, "must be an array of strings, found \(Self.describe(value))")
        }
    }

    /// `names`: an object of strings by language; missing or null is empty.
    func names() throws(CivicError) -> [String: String] {
        switch feature.properties["names"] {
        case nil, .null?: return [:]
        case .object(let object)?:
            var names: [String: String] = [:]
            for (language, value) in object {
                guard case .string(let s) = value else {
                    throw fail("names", "must be an object of strings by language; \(language) is \(Self.describe(value))")
                }
                names[language] = s
            }
            return names
        case let value?:
            throw fail("names", "must be an object of strings by language, found \(Self.describe(value))")
        }
    }

    /// `allow`: the remembered choices; missing or null is none.
    func allowances() throws(CivicError) -> Allowances {
        let shape = "an object such as {\"outside\": true, \"duplicate_of\": [12]}"
        switch feature.properties["allow"] {
        case nil, .null?:
            return Allowances()
        case .object(let object)?:
            var allowed = Allowances()
            for (key, value) in object {
                switch key {
                case "outside":
                    guard case .bool(let flag) = value else {
                        throw fail("allow.outside", "must be true or false, found \(Self.describe(value))")
                    }
                    allowed.outside = flag
                case "duplicate_of":
                    guard case .array(let items) = value else {
                        throw fail("allow.duplicate_of", "must be an array of entity ids, found \(Self.describe(value))")
                    }
                    var ids: [Int] = []
                    for (i, item) in items.enumerated() {
                        guard let id = item.intValue, id > 0, case .number = item else {
                            throw fail("allow.duplicate_of", "item \(i) is \(Self.describe(item)); expected an entity id")
                        }
                        ids.append(id)
                    }
                    allowed.duplicateOf = Array(Set(ids)).sorted()
                default:
                    throw fail("allow.\(CivicError.excerpt(key))", "unknown choice",
                               hint: "civic remembers \"outside\" and \"duplicate_of\" here")
                }
            }
            return allowed
        case let value?:
            throw fail("allow", "must be \(shape), found \(Self.describe(value))")
        }
    }

    static func isBlank(_ s: String) -> Bool { s.allSatisfy(\.isWhitespace) }

    static func sortedObject(_ dictionary: [String: String]) -> JSONValue {
        .object(JSONObject(dictionary.keys.sorted().map { ($0, .string(dictionary[$0] ?? "")) }))
    }

    /// A value for a message (``JSONValue/inMessage``).
    static func describe(_ value: JSONValue) -> String { value.inMessage }

    static func describe(_ id: FeatureID) -> String {
        switch id {
        case .string(let s): "the string \"\(CivicError.excerpt(s))\""
        case .number(let n): "the number \(CivicError.excerpt(n))"
        }
    }
}
