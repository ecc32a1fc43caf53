import GeoValues

/// How entities appear in listings and exports: one set of columns for table, CSV and JSON, with the
/// private ones only when asked for.
public struct EntityListing {
    public var includePrivate: Bool
    /// The language of the kind and theme labels in tables.
    public var language: String
    public var vocabulary: Vocabulary

    public init(includePrivate: Bool, language: String, vocabulary: Vocabulary) {
        self.includePrivate = includePrivate
        self.language = language
        self.vocabulary = vocabulary
    }

    /// Private columns, in the order they are listed.
    public static let privateColumns = ["phone", "email", "contact_person"]

    /// The short table for people: id, kind, name, themes, status, district, headed and filled in
    /// the listing's language (``TableWords``).
    public func table(_ entities: [Entity], contacts: [Int: Contacts], districtOf: (Entity) -> String?) -> Tabular {
        let words = TableWords.of(language, isCity: true)
        var header = [words.id, words.kind, words.name, words.themes, words.status, words.district]
        if includePrivate { header += Self.privateColumns }
        let rows = entities.map { entity -> [String] in
            var row = [String(entity.id), label(kind: entity.kind), entity.name,
                       entity.themes.map { label(theme: $0) }.joined(separator: ", "),
                       words.status(entity.status), districtOf(entity) ?? "—"]
            if includePrivate { row += privateCells(contacts[entity.id]) }
            return row
        }
        return Tabular(header: header, rows: rows, alignments: [.right])
    }

    /// The fixed columns of ``csv(_:contacts:)``, in order; the entities' kept properties
    /// (`addr:street`, `opening_hours`, …) follow, then the private columns when asked for.
    public static let csvColumns = [
        "id", "kind", "name", "name_ru", "name_kk", "name_en", "themes", "status", "address",
        "description", "website", "source", "created", "updated", "geometry_type", "lat", "lon",
        "geometry_wkt", "allow_outside", "allow_duplicate_of",
    ]

    /// Every public field as a flat row for spreadsheets, so that `civic import csv` takes the file
    /// back whole: themes as one `;`-joined cell of ids; positions as `lat`/`lon` (a polygon's anchor
    /// is the centre of its bounding box) and the whole geometry as WKT in `geometry_wkt` (a park's
    /// outline, not only its centre); the rules set aside for an entity (`allow_outside` is `true`,
    /// `allow_duplicate_of` the ids of this file it was kept beside); then each kept property in a
    /// column of its own name.
    public func csv(_ entities: [Entity], contacts: [Int: Contacts]) -> Tabular {
        var header = Self.csvColumns
        let extraKeys = Set(entities.flatMap(\.extra.keys)).subtracting(header).sorted()
        header += extraKeys
        if includePrivate { header += Self.privateColumns }
        let rows = entities.map { e -> [String] in
            let anchor = e.geometry.anchor
            var row = [String(e.id), e.kind, e.name, e.names["ru"] ?? "", e.names["kk"] ?? "", e.names["en"] ?? "",
                       Self.themesText(e.themes), e.status.rawValue, e.address ?? "", e.description ?? "",
                       e.website ?? "", e.source ?? "", e.created ?? "", e.updated ?? "", e.geometry.typeName,
                       anchor.map { JSONNumber.format($0.y, decimals: 7) } ?? "",
                       anchor.map { JSONNumber.format($0.x, decimals: 7) } ?? "",
                       WKT.text(e.geometry) ?? "", e.allowed.outside ? "true" : "",
                       e.allowed.duplicateOf.map(String.init).joined(separator: ";")]
            row += extraKeys.map { e.extra[$0] ?? "" }
            if includePrivate { row += privateCells(contacts[e.id]) }
            return row
        }
        // id, lat and lon; extra properties stay text, whatever they look like.
        return Tabular(header: header, rows: rows, numberColumns: [0, 15, 16])
    }

    /// Themes as one text, ids joined by `;` (`culture;education`): the CSV cell, and the flat
    /// `themes_text` property beside the list in GeoJSON, which formats without list fields
    /// (Shapefile, `ogr2ogr`'s "Can't create fields of type StringList") can take.
    public static func themesText(_ themes: [String]) -> String {
        themes.joined(separator: ";")
    }

    /// Features for GeoJSON output: the dataset's properties with `id` repeated among them (QGIS
    /// shows properties, not the feature id), `themes_text` beside `themes` (``themesText(_:)``),
    /// and the private fields only when asked for. `themesText: false` leaves `themes_text` out, for
    /// readers that flatten the list themselves (the GeoPackage writer, `civic show`).
    public func features(_ entities: [Entity], contacts: [Int: Contacts], themesText: Bool = true) -> [Feature] {
        entities.map { entity in
            var feature = entity.feature
            var properties = JSONObject([("id", .number(entity.id))])
            for (key, value) in feature.properties {
                properties[key] = value
                if themesText, key == "themes" { properties["themes_text"] = .string(Self.themesText(entity.themes)) }
            }
            if includePrivate, let contact = contacts[entity.id] {
                if let phone = contact.phone { properties["phone"] = .string(phone) }
                if let email = contact.email { properties["email"] = .string(email) }
                if let person = contact.contactPerson { properties["contact_person"] = .string(person) }
            }
            feature.properties = properties
            return feature
        }
    }

    /// A JSON array of the entities' properties, with `lat`/`lon` for points.
    public func json(_ entities: [Entity], contacts: [Int: Contacts]) -> JSONValue {
        .array(features(entities, contacts: contacts, themesText: false).enumerated().map { index, feature in
            var object = feature.properties
            object["geometry_type"] = .string(entities[index].geometry.typeName)
            if let anchor = entities[index].geometry.anchor {
                object["lat"] = .number(JSONNumber.format(anchor.y, decimals: 7))
                object["lon"] = .number(JSONNumber.format(anchor.x, decimals: 7))
            }
            return .object(object)
        })
    }

    func label(kind: String) -> String {
        vocabulary.kinds.first { $0.id == kind }?.label(language) ?? kind
    }

    func label(theme: String) -> String {
        vocabulary.themes.first { $0.id == theme }?.label(language) ?? theme
    }

    func privateCells(_ contact: Contacts?) -> [String] {
        [contact?.phone ?? "", contact?.email ?? "", contact?.contactPerson ?? ""]
    }
}
