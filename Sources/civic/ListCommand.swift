import ArgumentParser
import CivicCore
import CivicRules
import CivicStore
import Foundation
import GeoEngine
import GeoValues

/// Filters shared by `list` and `export`.
struct EntityFilterOptions: ParsableArguments {
    @Option(name: .customLong("kind"), help: ArgumentHelp("Only this kind (repeatable, any of).", valueName: "kind"))
    var kinds: [String] = []

    @Option(name: .customLong("theme"), help: ArgumentHelp("Only entities with this theme (repeatable, any of).", valueName: "theme"))
    var themes: [String] = []

    @Option(help: ArgumentHelp("Only entities in this district: its id, or its name in any language (any case).",
                               valueName: "id|name"))
    var district: String?

    // `.unconditional`: a southern latitude (`-33.87,151.21`) or `--within -5` is a value, not an option.
    @Option(parsing: .unconditional, help: ArgumentHelp("Only entities near this place, latitude first (with --within).",
                                                        valueName: "lat,lon"))
    var near: LatLon?

    @Option(parsing: .unconditional, help: ArgumentHelp("Distance for --near, in metres.", valueName: "m"))
    var within: Double?

    @Option(help: "Only active or only inactive entities.")
    var status: EntityStatus?

    func validate() throws {
        if (near == nil) != (within == nil) { throw ValidationError("--near and --within go together") }
        if let within, !(within.isFinite && within >= 0) { throw ValidationError("--within must be a distance in metres, 0 or more") }
    }

    /// The entities that pass every filter, in id order.
    ///
    /// A `--near` point far from every district is checked as `add` checks a point: when its
    /// swap lands inside one, it is refused as swapped (a 2GIS link gives `lon,lat`); when it is
    /// merely far, `warn` hears how far, for a search there that finds nothing is no surprise.
    func apply(to state: DatasetState, warn: (String) -> Void = { _ in }) throws -> [Entity] {
        let vocabulary = state.info.vocabulary
        let kindIDs: [String], themeIDs: [String]
        do {
            kindIDs = try vocabulary.kindIDs(kinds)
            themeIDs = try vocabulary.themeIDs(themes)
        } catch {
            throw ValidationError(error.description)
        }
        var locator: DistrictLocator?
        if let district {
            locator = try DistrictLocator(districts: [try findDistrict(district, in: state.districts)])
        }
        // Checked here rather than in validate(): ArgumentParser would drop the hint of its error.
        try near?.check(option: "--near")
        if let near, let placement = try EntityRules(info: state.info, districts: state.districts).placement(of: near.position),
           placement.distance > EntityRules.outsideToleranceMetres {
            let message = EntityRules.outsideMessage(near.position, placement,
                                                     swapHint: "--near takes latitude first: try --near \(near.swappedText)")
            if placement.looksSwapped { throw UsageError("--near \(near.text): \(message.description)", hint: message.hint) }
            warn("--near \(near.text): \(message.description)")
        }
        let surroundings = try near.map { try Surroundings(around: Position(lon: $0.lon, lat: $0.lat)) }
        return try state.entities.filter { entity in
            if !kindIDs.isEmpty && !kindIDs.contains(entity.kind) { return false }
            if !themeIDs.isEmpty && !entity.themes.contains(where: themeIDs.contains) { return false }
            if let status, entity.status != status { return false }
            if let locator, try locator.districtIDs(of: entity.geometry).isEmpty { return false }
            if let surroundings, let within, try surroundings.distance(to: entity.geometry) > within { return false }
            return true
        }
    }
}

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List entities, filtered by kind, theme, district or distance.",
        discussion: """
        Phone, e-mail and contact person are private: they are shown only with --include-private.

        EXAMPLES
          civic list --dataset oskemen --kind venue --theme culture
          civic list --near 49.948,82.628 --within 800 --format csv -o nearby.csv
          civic list --district center --format geojson -o center.geojson
          civic list --district "Центр" --kind venue

        --district takes a district's id or its name in any of its languages, in any \
        case. --near takes latitude first; a point far from every district whose \
        swap lands inside one (lon,lat, as a 2GIS link gives it) is refused as \
        swapped, and one merely far from every district is warned about.

        DIAGNOSTICS
          Exit 1 when a dataset file is broken (the file, line and feature are named);
          exit 64 for an unknown kind or theme (the allowed ones are listed), a
          --district that names no district or several (listed as id (name)), or a
          --near point that looks swapped:
            civic: error: --near 82.628186,49.955081: lat 82.628186, lon 49.955081 is
            3788 km outside every district, and latitude and longitude look swapped
            hint: --near takes latitude first: try --near 49.955081,82.628186
        """
    )

    @OptionGroup var datasetOptions: DatasetOptions
    @OptionGroup var filters: EntityFilterOptions
    @OptionGroup var output: OutputOptions<TableFirstFormats>
    @OptionGroup var progressOptions: ProgressOptions

    @Flag(help: "Show phone, e-mail and contact person.")
    var includePrivate = false

    @Option(help: "Language of kind and theme labels in the table: ru, kk or en (default: the dataset's).")
    var language: String?

    func run() throws {
        let format = try output.resolvedFormat(default: .table, allowed: OutputFormat.allCases)
        let writer = try datasetOptions.writer(for: output.output)
        let dataset = try datasetOptions.open()
        let state = try Progress.step("reading entities") { try dataset.load(includeContacts: includePrivate) }
        let entities = try filters.apply(to: state) { Diagnostics.warning($0) }
        let listing = EntityListing(includePrivate: includePrivate, language: language ?? state.info.language,
                                    vocabulary: state.info.vocabulary)
        switch format {
        case .table:
            let locator = try DistrictLocator(districts: state.districts)
            let names = Dictionary(state.districts.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
            // Looked up first: the lookup can throw (GEOS), the table's closure cannot.
            var districtOf: [Int: String] = [:]
            let placing = Progress.Counter("placing entities in districts", total: entities.count)
            for (k, entity) in entities.enumerated() {
                districtOf[entity.id] = try locator.districtIDs(of: entity.geometry).first.map { names[$0] ?? $0 }
                placing.show(k + 1, entities.count)
            }
            placing.finish()
            let table = listing.table(entities, contacts: state.contacts) { districtOf[$0.id] }
            try output.emit(table.table(), through: writer)
            Diagnostics.note("\(entities.count) of \(state.entities.count) entities")
        case .csv:
            try output.emit(listing.csv(entities, contacts: state.contacts).csv(output.csvDialect(language: state.info.language)), through: writer)
        case .json:
            try output.emit(JSON.serialize(listing.json(entities, contacts: state.contacts), pretty: true) + "\n", through: writer)
        case .geojson:
            try output.emit(GeoJSONWriter.featureCollection(listing.features(entities, contacts: state.contacts), onePerLine: true), through: writer)
        }
    }
}
