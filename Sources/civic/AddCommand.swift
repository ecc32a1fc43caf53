import ArgumentParser
import CivicCore
import CivicRules
import CivicStore
import GeoEngine
import GeoValues

struct AddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a community, initiative group or venue; prints its new id.",
        discussion: """
        Kinds and themes are ids from the dataset's vocabulary or their labels in Russian, Kazakh or \
        English («инициативная группа», «освещение»). A point is given by --lat and --lon; an area by \
        --polygon FILE (a GeoJSON Polygon or MultiPolygon).

        The dataset is left unchanged, byte for byte, when the entity is refused: a kind or theme \
        outside the vocabulary; coordinates out of range; a point more than 1 km outside every district \
        (--allow-outside keeps it); the same name within 100 m of an existing entity \
        (--allow-duplicate keeps it); a malformed e-mail or phone. An entity kept with \
        --allow-outside or --allow-duplicate remembers it (its `allow` property), so \
        `civic validate` notes it instead of failing the dataset.

        EXAMPLES
          civic add --dataset oskemen --kind venue \\
              --name "Библиотека им. Пушкина" \\
              --lat 49.9541 --lon 82.6268 --theme culture --theme education
          civic add --kind "инициативная группа" \\
              --name "Свет на Бажова" --lat 49.97 --lon 82.64 \\
              --theme освещение --phone "+7 777 123 45 67"

        DIAGNOSTICS
          Exit 1 when the entity is refused, with the reason and a hint, e.g.:
            civic: error: unknown kind 'shop'
            hint: allowed kinds: community (сообщество), initiative_group (…), …
          Exit 64 for a wrong flag or a missing --lat/--lon/--polygon.
        """
    )

    @OptionGroup var datasetOptions: DatasetOptions
    @OptionGroup var fields: EntityFieldOptions

    @Option(help: "community, initiative_group or venue (or a label).")
    var kind: String

    @Option(help: "The name, in any script.")
    var name: String

    // `.unconditional`: the Southern and Western hemispheres (`--lat -33.87`) are values, not options.
    @Option(parsing: .unconditional, help: ArgumentHelp("Latitude in degrees (WGS84).", valueName: "lat"))
    var lat: Double?

    @Option(parsing: .unconditional, help: ArgumentHelp("Longitude in degrees (WGS84).", valueName: "lon"))
    var lon: Double?

    @Option(help: ArgumentHelp("GeoJSON file with the entity's Polygon or MultiPolygon.", valueName: "file"))
    var polygon: String?

    @Option(name: .customLong("theme"), help: ArgumentHelp("A theme (repeat for several).", valueName: "theme"))
    var themes: [String] = []

    @Option(help: "active or inactive.")
    var status: EntityStatus = .active

    @Option(help: ArgumentHelp("Where it came from, e.g. osm:node/123.", valueName: "text"))
    var source: String?

    @Flag(help: "Keep a point that lies more than 1 km outside every district (remembered; validate notes it).")
    var allowOutside = false

    @Flag(help: "Keep an entity with the same name as one within 100 m (remembered; validate notes it).")
    var allowDuplicate = false

    func validate() throws {
        switch (lat, lon, polygon) {
        case (nil, nil, nil): throw ValidationError("give a location: --lat and --lon, or --polygon FILE")
        case (.some, nil, _), (nil, .some, _): throw ValidationError("--lat and --lon go together")
        case (.some, .some, .some): throw ValidationError("give either --lat/--lon or --polygon, not both")
        default: break
        }
        if themes.isEmpty { throw ValidationError("give at least one --theme") }
    }

    func run() throws {
        let geometry: Geometry
        if let polygon {
            geometry = try PolygonFile.parse(readFile(polygon), file: polygon)
        } else if let lat, let lon {
            geometry = .point(Position(lon: lon, lat: lat))
        } else {
            throw ValidationError("give a location: --lat and --lon, or --polygon FILE")
        }
        var draft = EntityDraft(kind: kind, name: name, themes: themes, geometry: geometry)
        draft.status = status
        draft.source = source
        fields.apply(to: &draft)
        let dataset = try datasetOptions.open()
        let options = AdmissionOptions(allowOutside: allowOutside, allowDuplicate: allowDuplicate)
        let entity = try dataset.update { state, journal in
            let rules = try EntityRules(info: state.info, districts: state.districts)
            let id = try dataset.nextEntityID(in: state)
            let (entity, entry) = try state.add(draft, id: id, rules: rules, options: options, now: Timestamp.now())
            journal.append(entry)
            return entity
        }
        print(entity.id)
        for choice in rememberedChoices(entity) { Diagnostics.note(choice) }
    }
}

/// What an entity remembers that it was let through (``Allowances``), one line each, so the
/// volunteer sees that `--allow-…` was needed and that `civic validate` will note it.
func rememberedChoices(_ entity: Entity) -> [String] {
    var lines: [String] = []
    if entity.allowed.outside {
        lines.append("entity \(entity.id) kept more than 1 km outside every district, as --allow-outside asks; "
                     + "it remembers that, and civic validate notes it")
    }
    if !entity.allowed.duplicateOf.isEmpty {
        let others = entity.allowed.duplicateOf.map(String.init).joined(separator: ", ")
        lines.append("entity \(entity.id) kept beside entit\(entity.allowed.duplicateOf.count == 1 ? "y" : "ies") \(others) "
                     + "of the same name within 100 m, as --allow-duplicate asks; it remembers that, and civic validate notes it")
    }
    return lines
}

/// The optional descriptive and private fields that `add` and `edit` share.
struct EntityFieldOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The Russian name.", valueName: "name"))
    var nameRu: String?
    @Option(help: ArgumentHelp("The Kazakh name.", valueName: "name"))
    var nameKk: String?
    @Option(help: ArgumentHelp("The English name.", valueName: "name"))
    var nameEn: String?
    @Option(help: ArgumentHelp("Street address.", valueName: "text"))
    var address: String?
    @Option(help: ArgumentHelp("A short description.", valueName: "text"))
    var description: String?
    @Option(help: ArgumentHelp("Web site or social page.", valueName: "url"))
    var website: String?
    @Option(help: ArgumentHelp("Phone (private).", valueName: "phone"))
    var phone: String?
    @Option(help: ArgumentHelp("E-mail (private).", valueName: "email"))
    var email: String?
    @Option(help: ArgumentHelp("Contact person (private).", valueName: "name"))
    var contactPerson: String?

    var names: [String: String] {
        var names: [String: String] = [:]
        names["ru"] = nameRu
        names["kk"] = nameKk
        names["en"] = nameEn
        return names
    }

    func apply(to draft: inout EntityDraft) {
        draft.names = names
        draft.address = address
        draft.description = description
        draft.website = website
        draft.contacts = Contacts(phone: phone, email: email, contactPerson: contactPerson)
    }

    func apply(to patch: inout EntityPatch) {
        patch.names = names
        patch.address = address
        patch.description = description
        patch.website = website
        patch.phone = phone
        patch.email = email
        patch.contactPerson = contactPerson
    }
}

extension EntityStatus: ExpressibleByArgument {}
