import GeoValues

/// A community, initiative group or public venue on the map (DESIGN §2).
///
/// Public fields only: phone, e-mail and contact person live in ``Contacts``, stored apart.
public struct Entity: Hashable, Sendable {
    /// Assigned by civic, stable, never reused (removed ids stay in the journal).
    public var id: Int
    /// A kind id from the dataset's vocabulary, such as `venue`.
    public var kind: String
    /// The name as the volunteers wrote it, in any script.
    public var name: String
    /// Names by language code (`ru`, `kk`, `en`).
    public var names: [String: String]
    /// Theme ids from the vocabulary; at least one.
    public var themes: [String]
    public var status: EntityStatus
    public var address: String?
    public var description: String?
    public var website: String?
    /// Where the entity came from, such as `osm:node/9001` or `csv:volunteers.csv#12`.
    public var source: String?
    /// ISO 8601 UTC timestamps, set by the store.
    public var created: String?
    public var updated: String?
    /// Further public string properties kept as they came (for example `opening_hours` from OSM).
    public var extra: [String: String]
    /// The rules a volunteer chose to set aside for this entity (`--allow-outside`,
    /// `--allow-duplicate`), remembered so that `civic validate` notes them instead of failing.
    public var allowed: Allowances
    /// A Point, Polygon or MultiPolygon in WGS84.
    public var geometry: Geometry

    public init(id: Int, kind: String, name: String, names: [String: String] = [:], themes: [String],
                status: EntityStatus = .active, address: String? = nil, description: String? = nil,
                website: String? = nil, source: String? = nil, created: String? = nil,
                updated: String? = nil, extra: [String: String] = [:], allowed: Allowances = Allowances(),
                geometry: Geometry) {
        self.id = id
        self.kind = kind
        self.name = name
        self.names = names
        self.themes = themes
        self.status = status
        self.address = address
        self.description = description
        self.website = website
        self.source = source
        self.created = created
        self.updated = updated
        self.extra = extra
        self.allowed = allowed
        self.geometry = geometry
    }

    /// Whether this entity and `other` were kept as two on purpose, though they share a name within
    /// 100 m: one of them names the other in ``Allowances/duplicateOf``.
    public func isKeptBeside(_ other: Entity) -> Bool {
        allowed.duplicateOf.contains(other.id) || other.allowed.duplicateOf.contains(id)
    }
}

/// The rules one entity was let through on purpose, as `civic add` and `civic edit` remember them in
/// the entity's `allow` property: `"allow": {"outside": true, "duplicate_of": [12]}`.
///
/// A choice made once stays made: `civic validate` shows such an entity as a note, not a problem, so
/// that a dataset civic's own commands made always validates. It lives on the entity's own line of
/// `entities.geojson` (git shows it beside the change that made it) and goes when the entity goes.
public struct Allowances: Hashable, Sendable {
    /// Kept though it lies more than 1 km outside every district (`--allow-outside`).
    public var outside: Bool
    /// The entities it was kept beside though they have its name within 100 m
    /// (`--allow-duplicate`), by id, ascending and without repeats.
    public var duplicateOf: [Int]

    public init(outside: Bool = false, duplicateOf: [Int] = []) {
        self.outside = outside
        self.duplicateOf = Array(Set(duplicateOf)).sorted()
    }

    /// Nothing was allowed: the entity has no `allow` property.
    public var isEmpty: Bool { !outside && duplicateOf.isEmpty }
}

/// Whether an entity is active; coverage counts active entities only (a missing status is active).
public enum EntityStatus: String, Hashable, Sendable, CaseIterable {
    case active
    case inactive
}

/// The private fields of one entity; kept in `private/contacts.json`, never exported unless asked.
public struct Contacts: Hashable, Sendable {
    public var phone: String?
    public var email: String?
    public var contactPerson: String?

    public init(phone: String? = nil, email: String? = nil, contactPerson: String? = nil) {
        self.phone = phone
        self.email = email
        self.contactPerson = contactPerson
    }

    public var isEmpty: Bool { phone == nil && email == nil && contactPerson == nil }
}

/// A district of the city: a Polygon or MultiPolygon (holes allowed) in WGS84.
public struct District: Hashable, Sendable {
    public var id: String
    public var name: String
    public var names: [String: String]
    public var population: Int?
    /// The source file's other properties (official codes, `name_en`, …), kept as they were and in
    /// their order, so that a district layer goes back to GIS with what it came with.
    public var properties: JSONObject
    public var geometry: Geometry

    public init(id: String, name: String, names: [String: String] = [:], population: Int? = nil,
                properties: JSONObject = JSONObject(), geometry: Geometry) {
        self.id = id
        self.name = name
        self.names = names
        self.population = population
        self.properties = properties
        self.geometry = geometry
    }
}

/// A term of the vocabulary (a kind or a theme) with its labels by language.
public struct Term: Hashable, Sendable {
    public var id: String
    public var labels: [String: String]

    public init(id: String, labels: [String: String]) {
        self.id = id
        self.labels = labels
    }

    /// The label in `language`, falling back to English, then to the id.
    public func label(_ language: String) -> String {
        labels[language] ?? labels["en"] ?? id
    }
}

/// The kinds and themes a dataset allows.
public struct Vocabulary: Hashable, Sendable {
    public var kinds: [Term]
    public var themes: [Term]

    public init(kinds: [Term], themes: [Term]) {
        self.kinds = kinds
        self.themes = themes
    }

    /// The defaults of DESIGN §2, labelled in English, Russian and Kazakh.
    public static let standard = Vocabulary(
        kinds: [
            Term(id: "community", labels: ["en": "community", "ru": "сообщество", "kk": "қауымдастық"]),
            Term(id: "initiative_group",
                 labels: ["en": "initiative group", "ru": "инициативная группа", "kk": "бастамашыл топ"]),
            Term(id: "venue", labels: ["en": "venue", "ru": "площадка", "kk": "алаң"]),
        ],
        themes: [
            Term(id: "courtyards", labels: ["en": "courtyards", "ru": "дворы", "kk": "аулалар"]),
            Term(id: "lighting", labels: ["en": "street lighting", "ru": "освещение", "kk": "жарықтандыру"]),
            Term(id: "transport", labels: ["en": "public transport", "ru": "транспорт", "kk": "көлік"]),
            Term(id: "healthcare", labels: ["en": "healthcare", "ru": "здравоохранение", "kk": "денсаулық сақтау"]),
            Term(id: "education", labels: ["en": "education", "ru": "образование", "kk": "білім беру"]),
            Term(id: "snow_removal", labels: ["en": "snow removal", "ru": "уборка снега", "kk": "қар тазалау"]),
            Term(id: "heating", labels: ["en": "heating", "ru": "отопление", "kk": "жылыту"]),
            Term(id: "roads", labels: ["en": "roads and sidewalks", "ru": "дороги и тротуары", "kk": "жолдар мен тротуарлар"]),
            Term(id: "air_quality", labels: ["en": "air quality", "ru": "качество воздуха", "kk": "ауа сапасы"]),
            Term(id: "youth", labels: ["en": "youth", "ru": "молодёжь", "kk": "жастар"]),
            Term(id: "elderly", labels: ["en": "elderly people", "ru": "пожилые люди", "kk": "қарт адамдар"]),
            Term(id: "culture", labels: ["en": "culture", "ru": "культура", "kk": "мәдениет"]),
        ]
    )

    /// The kind id for `text`: an id, or a label in any language, ignoring case and spacing.
    public func kindID(for text: String) -> String? { Self.resolve(text, in: kinds) }

    /// The theme id for `text`: an id, or a label in any language, ignoring case and spacing.
    public func themeID(for text: String) -> String? { Self.resolve(text, in: themes) }

    /// Kind ids for `--kind` values as typed (ids or labels in any language). A value outside the
    /// vocabulary is taken as it is when the entities themselves use it (`alsoUsed`, asked only then:
    /// loose files may have kinds of their own); otherwise ``UnknownTermError`` lists the allowed ids.
    public func kindIDs(_ texts: [String], alsoUsed: () -> [String] = { [] }) throws(UnknownTermError) -> [String] {
        try Self.ids(texts, option: "--kind", terms: kinds, alsoUsed: alsoUsed)
    }

    /// Theme ids for `--theme` values as typed; as ``kindIDs(_:alsoUsed:)``.
    public func themeIDs(_ texts: [String], alsoUsed: () -> [String] = { [] }) throws(UnknownTermError) -> [String] {
        try Self.ids(texts, option: "--theme", terms: themes, alsoUsed: alsoUsed)
    }

    private static func ids(_ texts: [String], option: String, terms: [Term],
                            alsoUsed: () -> [String]) throws(UnknownTermError) -> [String] {
        var used: Set<String>?
        var ids: [String] = []
        for text in texts {
            if let id = resolve(text, in: terms) {
                ids.append(id)
                continue
            }
            if used == nil { used = Set(alsoUsed()) }
            guard used?.contains(text) == true else {
                throw UnknownTermError(option: option, value: text, allowed: terms.map(\.id))
            }
            ids.append(text)
        }
        return ids
    }

    static func resolve(_ text: String, in terms: [Term]) -> String? {
        let key = Self.foldForMatching(text)
        guard !key.isEmpty else { return nil }
        for term in terms {
            if Self.foldForMatching(term.id) == key { return term.id }
            if term.labels.values.contains(where: { Self.foldForMatching($0) == key }) { return term.id }
        }
        return nil
    }

    /// Lower-cased, `ё` as `е`, with `_`, `-` and runs of spaces as one space, so that
    /// «Инициативная  группа», `initiative-group` and `initiative_group` all match.
    static func foldForMatching(_ text: String) -> String {
        var folded = ""
        var pendingSpace = false
        for original in text.lowercased() {
            let ch: Character = original == "ё" ? "е" : original
            if ch == "_" || ch == "-" || ch.isWhitespace {
                pendingSpace = !folded.isEmpty
                continue
            }
            if pendingSpace { folded.append(" "); pendingSpace = false }
            folded.append(ch)
        }
        return folded
    }
}

/// What `dataset.json` holds.
public struct DatasetInfo: Hashable, Sendable {
    /// The version of the folder layout this civic writes.
    public static let currentFormatVersion = 1

    public var name: String
    public var city: String
    /// `ru`, `kk` or `en`.
    public var language: String
    /// The default coverage radius in metres.
    public var radius: Double
    public var vocabulary: Vocabulary
    public var formatVersion: Int
    /// Pairs of districts (by id) whose overlap was kept on purpose (`civic init --allow-overlaps`):
    /// `civic validate` notes these overlaps instead of reporting them as problems. Each set holds
    /// two ids.
    public var allowedOverlaps: [Set<String>]

    /// The coverage radius of a dataset that names none, and of loose files: 500 m, a walk of
    /// six or seven minutes. The one place this number is written.
    public static let defaultRadius: Double = 500

    public init(name: String, city: String, language: String = "ru", radius: Double = DatasetInfo.defaultRadius,
                vocabulary: Vocabulary = .standard, formatVersion: Int = DatasetInfo.currentFormatVersion,
                allowedOverlaps: [Set<String>] = []) {
        self.name = name
        self.city = city
        self.language = language
        self.radius = radius
        self.vocabulary = vocabulary
        self.formatVersion = formatVersion
        self.allowedOverlaps = allowedOverlaps
    }

    /// Whether the overlap of districts `a` and `b` was kept on purpose.
    public func allowsOverlap(_ a: String, _ b: String) -> Bool {
        allowedOverlaps.contains([a, b])
    }

    /// The languages civic has labels for.
    public static let languages = ["ru", "kk", "en"]
}

/// A `--kind` or `--theme` value that names no term: a usage error, not a problem of the data,
/// so the command line reports it as such (exit 64). The description lists the allowed ids.
public struct UnknownTermError: Error, Hashable, Sendable, CustomStringConvertible {
    /// `--kind` or `--theme`.
    public var option: String
    /// The value as typed.
    public var value: String
    /// The vocabulary's ids.
    public var allowed: [String]

    public init(option: String, value: String, allowed: [String]) {
        self.option = option
        self.value = value
        self.allowed = allowed
    }

    /// `--kind shop: unknown; allowed: community, initiative_group, venue`.
    public var description: String {
        "\(option) \(value): unknown; allowed: " + allowed.joined(separator: ", ")
    }
}
