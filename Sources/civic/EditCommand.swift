import ArgumentParser
import CivicCore
import CivicRules
import CivicStore
import GeoEngine
import GeoValues

struct EditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Change an entity: its name, kind, themes, status, location or other fields.",
        // The id is read from what the options leave over (see EntityIDArgument); say it as one <id>.
        usage: "civic edit <id> [<options>]",
        discussion: """
        Only what you pass changes. An empty value clears an optional field (--address ""). The same \
        rules as `civic add` apply; a refused change leaves the dataset as it was. A new location \
        more than 1 km outside every district needs --allow-outside again; an entity kept beside \
        another of the same name stays kept beside it when it moves or is renamed. \
        --allow-outside or --allow-duplicate alone records the choice for the entity as it is, \
        so that `civic validate` notes it instead of reporting a problem.

        EXAMPLES
          civic edit 12 --add-theme lighting --remove-theme roads
          civic edit 12 --status inactive
          civic edit 12 --lat 49.9561 --lon 82.6112
          civic edit 12 --allow-outside      # it is outside the districts, and that is right

        DIAGNOSTICS
          Exit 1 when there is no such id or a rule refuses the change (nothing
          is written); exit 64 for a wrong flag.
        """
    )

    @OptionGroup var datasetOptions: DatasetOptions

    @OptionGroup var entity: EntityIDArgument

    @Option(help: "A new name.")
    var name: String?

    @Option(help: "A new kind.")
    var kind: String?

    @Option(name: .customLong("add-theme"), help: ArgumentHelp("Add a theme (repeatable).", valueName: "theme"))
    var addThemes: [String] = []

    @Option(name: .customLong("remove-theme"), help: ArgumentHelp("Remove a theme (repeatable).", valueName: "theme"))
    var removeThemes: [String] = []

    @Option(help: "active or inactive.")
    var status: EntityStatus?

    // `.unconditional`: the Southern and Western hemispheres (`--lat -33.87`) are values, not options.
    @Option(parsing: .unconditional, help: "New latitude (with --lon).")
    var lat: Double?

    @Option(parsing: .unconditional, help: "New longitude (with --lat).")
    var lon: Double?

    @Option(help: ArgumentHelp("A GeoJSON file with the new Polygon or MultiPolygon.", valueName: "file"))
    var polygon: String?

    @OptionGroup var fields: EntityFieldOptions

    @Flag(help: "Allow a location more than 1 km outside every district (remembered; validate notes it).")
    var allowOutside = false

    @Flag(help: "Allow the same name as an entity within 100 m (remembered; validate notes it).")
    var allowDuplicate = false

    func validate() throws {
        if (lat == nil) != (lon == nil) { throw ValidationError("--lat and --lon go together") }
        if lat != nil && polygon != nil { throw ValidationError("give either --lat/--lon or --polygon, not both") }
    }

    func run() throws {
        let id = entity.id
        var patch = EntityPatch()
        patch.name = name
        patch.kind = kind
        patch.addThemes = addThemes
        patch.removeThemes = removeThemes
        patch.status = status
        if let lat, let lon {
            patch.geometry = .point(Position(lon: lon, lat: lat))
        }
        if let polygon { patch.geometry = try PolygonFile.parse(readFile(polygon), file: polygon) }
        fields.apply(to: &patch)
        let dataset = try datasetOptions.open()
        let options = AdmissionOptions(allowOutside: allowOutside, allowDuplicate: allowDuplicate)
        let (changed, entity) = try dataset.update { state, journal -> (Bool, Entity) in
            let rules = try EntityRules(info: state.info, districts: state.districts)
            let (entity, entry) = try state.edit(id: id, patch, rules: rules, options: options, now: Timestamp.now())
            if entry.changes.isEmpty { return (false, entity) }
            journal.append(entry)
            return (true, entity)
        }
        Diagnostics.note(changed ? "entity \(id) updated" : "entity \(id) unchanged: nothing to change")
        if allowOutside || allowDuplicate {
            for choice in rememberedChoices(entity) { Diagnostics.note(choice) }
        }
    }
}
