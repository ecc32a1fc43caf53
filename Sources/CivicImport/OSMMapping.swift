import CivicCore

/// Which OpenStreetMap elements become entities, and with what kind and themes.
///
/// A mapping is an ordered list of rules; the first rule whose tags all match decides. An element
/// no rule matches (shops, cafés, bakeries, bus stops, …) is not civic: it is skipped and counted.
/// ``standard`` is the default; a dataset's own rules come from a JSON file (`--mapping FILE`):
///
/// ```json
/// {
///   "defaults": true,
///   "rules": [
///     {"tags": {"amenity": "school"}, "skip": true},
///     {"tags": {"amenity": ["college", "university"]}, "kind": "venue", "themes": ["education", "youth"]},
///     {"tags": {"club": "*"}, "kind": "community", "themes": ["culture"]},
///     {"tags": {"leisure": "fitness_station"}, "kind": "venue", "themes": ["youth"],
///      "default_name": "Уличные тренажёры"}
///   ]
/// }
/// ```
///
/// A tag value is a string, a list of strings (any of them) or `"*"` (any value but `no`). The
/// file's rules are tried before the default ones; `"defaults": false` drops the defaults.
///
/// The mapping also says which ways the street network keeps (DESIGN §5b, ``walkableHighways``):
/// `"walkable": {"add": ["busway"], "remove": ["track"]}` changes the default list, and
/// `"walkable": ["footway", "path", …]` replaces it.
/// `"skip": true` keeps what a rule matches out of the dataset. `default_name` names elements
/// that have no name (most playgrounds): one name for every dataset, or names by language
/// (`{"ru": "Детская площадка", "kk": "Балалар алаңы", "en": "Playground"}`) from which the
/// dataset's language picks; without it they are skipped and counted.
public struct OSMMapping: Sendable {
    /// One rule: tags to match and what an element that matches becomes.
    public struct Rule: Sendable, Hashable {
        /// The tags an element must have, all of them.
        public var tags: [TagCondition]
        /// A kind id; nil for a skip rule.
        public var kind: String?
        public var themes: [String]
        /// The name of an element tagged without one, whatever the dataset's language.
        public var defaultName: String?
        /// The name of an element tagged without one, by dataset language (`ru`, `kk`, `en`).
        public var defaultNames: [String: String]
        public var skip: Bool

        public init(tags: [TagCondition], kind: String?, themes: [String], defaultName: String? = nil,
                    defaultNames: [String: String] = [:], skip: Bool = false) {
            self.tags = tags
            self.kind = kind
            self.themes = themes
            self.defaultName = defaultName
            self.defaultNames = defaultNames
            self.skip = skip
        }

        /// The name an unnamed element gets in a dataset whose language is `language`: the name
        /// in that language, else the one name for every language, else the English one; nil
        /// when the rule names nothing (such elements are skipped).
        public func defaultName(in language: String) -> String? {
            defaultNames[language] ?? defaultName ?? defaultNames["en"]
        }

        /// `amenity=community_centre + community_centre=youth_centre`, for reports and docs.
        public var label: String { tags.map(\.description).joined(separator: " + ") }

        /// Whether every condition of the rule holds for the element's tags.
        public func matches(_ elementTags: [String: String]) -> Bool {
            tags.allSatisfy { $0.matches(elementTags) }
        }
    }

    /// `key=value`, `key=a|b` or `key=*`.
    public struct TagCondition: Sendable, Hashable, CustomStringConvertible {
        public var key: String
        /// The values allowed; nil allows any value but `no`.
        public var values: [String]?

        public init(_ key: String, _ values: [String]?) {
            self.key = key
            self.values = values
        }

        /// Whether the element has the key with an allowed value (any of `a;b` counts).
        public func matches(_ tags: [String: String]) -> Bool {
            guard let value = tags[key], !value.isEmpty else { return false }
            guard let values else { return value != "no" }
            // OSM allows several values in one tag, separated by `;` (`amenity=school;kindergarten`).
            return values.contains(value) || value.split(separator: ";").contains { values.contains(String($0).trimmingSpaces) }
        }

        public var description: String { "\(key)=" + (values?.joined(separator: "|") ?? "*") }
    }

    /// The rules in the order they are tried.
    public var rules: [Rule]
    /// The `highway` values of the ways the street network keeps (``isWalkable(_:)``).
    public var walkableHighways: Set<String>

    public init(rules: [Rule], walkableHighways: Set<String> = OSMMapping.standardWalkableHighways) {
        self.rules = rules
        self.walkableHighways = walkableHighways
    }

    /// The walkable `highway` values of DESIGN §5b: paths, streets and roads people walk along,
    /// with the `_link`s of the roads. Not motorway, motorway_link, construction, proposed,
    /// abandoned, platform, raceway, bus_guideway, nor any other value.
    public static let standardWalkableHighways: Set<String> = [
        "footway", "path", "pedestrian", "steps", "corridor", "living_street", "residential", "service",
        "unclassified", "track", "cycleway", "bridleway", "tertiary", "secondary", "primary", "trunk",
        "tertiary_link", "secondary_link", "primary_link", "trunk_link",
    ]

    /// Whether a way with these tags is part of the walking network (DESIGN §5b): its `highway` is
    /// one of ``walkableHighways``, it is not `foot=no`, and not `access=no|private` unless
    /// `foot=yes|designated|permissive` lets people on foot in.
    public func isWalkable(_ tags: [String: String]) -> Bool {
        guard let highway = tags["highway"], walkableHighways.contains(highway) else { return false }
        if tags["foot"]?.trimmingSpaces.lowercased() == "no" { return false }
        return OSMImport.isPublic(tags)
    }

    /// The first rule that matches; nil when none does.
    public func rule(for tags: [String: String]) -> Rule? {
        rules.first { $0.matches(tags) }
    }

    /// The default mapping (its table, with the reason for each tag, is in docs/import.md): every
    /// kind of place the bundled city lists as a venue, and the places volunteers meet in. Theme
    /// choices for parks, squares, pitches and NGOs are a starting point: a dataset that sees them
    /// otherwise says so in its mapping file.
    public static let standard = OSMMapping(rules: [
        // Where residents meet.
        Rule(tags: [TagCondition("amenity", ["community_centre"]), TagCondition("community_centre", ["youth_centre"])],
             kind: "venue", themes: ["youth", "culture"]),
        Rule(tags: [TagCondition("amenity", ["youth_centre"])], kind: "venue", themes: ["youth", "culture"]),
        Rule(tags: [TagCondition("amenity", ["community_centre"])], kind: "venue", themes: ["culture"]),
        Rule(tags: [TagCondition("amenity", ["social_centre"])], kind: "venue", themes: ["culture"]),
        // A village or community hall; a plain townhall is an administration (akimat), not a meeting place.
        Rule(tags: [TagCondition("amenity", ["townhall"]), TagCondition("townhall:type", ["community"])],
             kind: "venue", themes: ["culture"]),
        // Culture.
        Rule(tags: [TagCondition("amenity", ["library"])], kind: "venue", themes: ["culture", "education"]),
        Rule(tags: [TagCondition("amenity", ["arts_centre"])], kind: "venue", themes: ["culture"]),
        Rule(tags: [TagCondition("amenity", ["theatre"])], kind: "venue", themes: ["culture"]),
        Rule(tags: [TagCondition("tourism", ["museum"])], kind: "venue", themes: ["culture", "education"]),
        // The elderly.
        Rule(tags: [TagCondition("amenity", ["social_facility"]), TagCondition("social_facility:for", ["senior"])],
             kind: "venue", themes: ["elderly"]),
        Rule(tags: [TagCondition("amenity", ["social_facility"]),
                    TagCondition("social_facility", ["nursing_home", "assisted_living"])],
             kind: "venue", themes: ["elderly"]),
        // Education.
        Rule(tags: [TagCondition("amenity", ["school"])], kind: "venue", themes: ["education"]),
        Rule(tags: [TagCondition("amenity", ["kindergarten"])], kind: "venue", themes: ["education"]),
        Rule(tags: [TagCondition("amenity", ["university", "college"])], kind: "venue", themes: ["education", "youth"]),
        // Healthcare.
        Rule(tags: [TagCondition("amenity", ["clinic", "hospital"])], kind: "venue", themes: ["healthcare"]),
        Rule(tags: [TagCondition("healthcare", ["clinic", "hospital"])], kind: "venue", themes: ["healthcare"]),
        // Open public space: parks, squares, pedestrian areas and embankments.
        Rule(tags: [TagCondition("leisure", ["park"])], kind: "venue", themes: ["culture", "air_quality"]),
        Rule(tags: [TagCondition("place", ["square"])], kind: "venue", themes: ["culture"]),
        Rule(tags: [TagCondition("highway", ["pedestrian"]), TagCondition("area", ["yes"])],
             kind: "venue", themes: ["culture"]),
        Rule(tags: [TagCondition("leisure", ["playground"])], kind: "venue", themes: ["courtyards"],
             defaultNames: ["ru": "Детская площадка", "kk": "Балалар алаңы", "en": "Playground"]),
        // Sport.
        Rule(tags: [TagCondition("leisure", ["sports_centre", "stadium", "sports_hall", "ice_rink"])],
             kind: "venue", themes: ["youth"]),
        Rule(tags: [TagCondition("leisure", ["pitch"])], kind: "venue", themes: ["youth"],
             defaultNames: ["ru": "Спортивная площадка", "kk": "Спорт алаңы", "en": "Sports pitch"]),
        // Organisations.
        Rule(tags: [TagCondition("office", ["ngo", "association"])], kind: "community", themes: ["culture"]),
    ])

    /// A mapping file's rules, with kinds and themes resolved against `vocabulary` (ids or labels),
    /// before the default rules unless the file says `"defaults": false`.
    public init(json: JSONValue, file: String, vocabulary: Vocabulary) throws(CivicError) {
        guard let object = json.objectValue else {
            throw CivicError.invalid(file: file, place: "root", reason: "expected an object with \"rules\"",
                                     hint: "see docs/import.md for the mapping file format")
        }
        for key in object.keys where !["rules", "defaults", "description", "walkable"].contains(key) {
            throw CivicError.invalid(file: file, place: "root", field: key, reason: "unknown member",
                                     hint: "a mapping file has \"rules\" and, optionally, \"defaults\" and \"walkable\"")
        }
        var keepDefaults = true
        if let defaults = object["defaults"] {
            guard case .bool(let flag) = defaults else {
                throw CivicError.invalid(file: file, place: "root", field: "defaults", reason: "expected true or false")
            }
            keepDefaults = flag
        }
        guard let list = object["rules"]?.arrayValue else {
            throw CivicError.invalid(file: file, place: "root", field: "rules", reason: "missing or not an array")
        }
        var rules: [Rule] = []
        for (index, item) in list.enumerated() {
            rules.append(try Self.rule(item, place: "rules[\(index)]", file: file, vocabulary: vocabulary))
        }
        self.rules = rules + (keepDefaults ? Self.standard.rules : [])
        walkableHighways = try Self.walkable(object["walkable"], file: file)
    }

    /// `"walkable"`: a list that replaces the default walkable `highway` values, or
    /// `{"add": […], "remove": […]}` that changes them.
    private static func walkable(_ value: JSONValue?, file: String) throws(CivicError) -> Set<String> {
        func values(_ value: JSONValue?, field: String) throws(CivicError) -> [String] {
            guard let value else { return [] }
            guard let items = value.arrayValue else {
                throw CivicError.invalid(file: file, place: "root", field: field, reason: "expected a list of highway values",
                                         hint: "\"walkable\": {\"add\": [\"busway\"], \"remove\": [\"track\"]}")
            }
            var texts: [String] = []
            for item in items {
                guard let text = item.stringValue?.trimmingSpaces, !text.isEmpty else {
                    throw CivicError.invalid(file: file, place: "root", field: field,
                                             reason: "expected highway values such as \"footway\", found \(item.inMessage)")
                }
                texts.append(text)
            }
            return texts
        }
        switch value {
        case nil:
            return standardWalkableHighways
        case .array?:
            return Set(try values(value, field: "walkable"))
        case .object(let change)?:
            for key in change.keys where !["add", "remove"].contains(key) {
                throw CivicError.invalid(file: file, place: "root", field: "walkable.\(key)", reason: "unknown member",
                                         hint: "\"walkable\" has \"add\" and \"remove\", or is a list that replaces the default one")
            }
            return standardWalkableHighways.union(try values(change["add"], field: "walkable.add"))
                .subtracting(try values(change["remove"], field: "walkable.remove"))
        default:
            throw CivicError.invalid(file: file, place: "root", field: "walkable",
                                     reason: "expected a list of highway values or {\"add\": […], \"remove\": […]}")
        }
    }

    private static func rule(_ value: JSONValue, place: String, file: String, vocabulary: Vocabulary) throws(CivicError) -> Rule {
        guard let object = value.objectValue else {
            throw CivicError.invalid(file: file, place: place, reason: "expected an object")
        }
        for key in object.keys where !["tags", "kind", "themes", "skip", "default_name"].contains(key) {
            throw CivicError.invalid(file: file, place: place, field: key, reason: "unknown member",
                                     hint: "a rule has tags, kind, themes, default_name or skip")
        }
        guard let tagObject = object["tags"]?.objectValue, !tagObject.isEmpty else {
            throw CivicError.invalid(file: file, place: place, field: "tags",
                                     reason: "expected an object of tags, like {\"amenity\": \"library\"}")
        }
        var conditions: [TagCondition] = []
        for (key, allowed) in tagObject {
            switch allowed {
            case .string("*"): conditions.append(TagCondition(key, nil))
            case .string(let text): conditions.append(TagCondition(key, [text]))
            case .array(let items):
                let texts = items.compactMap(\.stringValue)
                guard texts.count == items.count, !texts.isEmpty else {
                    throw CivicError.invalid(file: file, place: place, field: "tags.\(key)", reason: "expected strings")
                }
                conditions.append(TagCondition(key, texts))
            default:
                throw CivicError.invalid(file: file, place: place, field: "tags.\(key)",
                                         reason: "expected a value, a list of values or \"*\"")
            }
        }
        if case .bool(true)? = object["skip"] {
            return Rule(tags: conditions, kind: nil, themes: [], skip: true)
        }
        guard let kindText = object["kind"]?.stringValue else {
            throw CivicError.invalid(file: file, place: place, field: "kind", reason: "missing (or give \"skip\": true)")
        }
        guard let kind = vocabulary.kindID(for: kindText) else {
            throw CivicError.invalid(file: file, place: place, field: "kind", reason: "unknown kind '\(kindText)'",
                                     hint: "allowed kinds: " + vocabulary.kinds.map(\.id).joined(separator: ", "))
        }
        let themeTexts: [String]
        switch object["themes"] {
        case .string(let text)?: themeTexts = [text]
        case .array(let items)?: themeTexts = items.compactMap(\.stringValue)
        default: themeTexts = []
        }
        guard !themeTexts.isEmpty else {
            throw CivicError.invalid(file: file, place: place, field: "themes", reason: "give at least one theme")
        }
        var themes: [String] = []
        for text in themeTexts {
            guard let id = vocabulary.themeID(for: text) else {
                throw CivicError.invalid(file: file, place: place, field: "themes", reason: "unknown theme '\(text)'",
                                         hint: "allowed themes: " + vocabulary.themes.map(\.id).joined(separator: ", "))
            }
            if !themes.contains(id) { themes.append(id) }
        }
        var defaultName: String?
        var defaultNames: [String: String] = [:]
        switch object["default_name"] {
        case nil:
            break
        case .string(let text)? where !text.trimmingSpaces.isEmpty:
            defaultName = text.trimmingSpaces
        case .object(let byLanguage)? where !byLanguage.isEmpty:
            for (language, name) in byLanguage {
                guard let text = name.stringValue?.trimmingSpaces, !text.isEmpty else {
                    throw CivicError.invalid(file: file, place: place, field: "default_name.\(language)",
                                             reason: "expected a name")
                }
                defaultNames[language] = text
            }
        default:
            throw CivicError.invalid(file: file, place: place, field: "default_name",
                                     reason: "expected a name, or names by language",
                                     hint: "\"default_name\": {\"ru\": \"Детская площадка\", \"kk\": \"Балалар алаңы\", \"en\": \"Playground\"}")
        }
        return Rule(tags: conditions, kind: kind, themes: themes, defaultName: defaultName, defaultNames: defaultNames)
    }
}
