import ArgumentParser
import CivicAnalysis
import CivicCore
import CivicImport
import CivicRules
import CivicStore
import Foundation
import GeoValues

struct ConcernsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "concerns",
        abstract: "Residents' concerns (appeals, surveys, hotline calls) beside who works on what.",
        discussion: """
        Concerns live in the dataset beside the entities: concerns.geojson holds the public fields \
        (theme, source, status, dates, district, point), private/concerns.json the text, the \
        reporter's name, phone and e-mail. Bring a register in with `civic import concerns FILE.csv`. \
        Every public output shows counts below 5 as "<5" and never a text, a reporter or an exact \
        point; --include-private shows everything and says so (docs/concerns.md).
        """,
        subcommands: [ConcernsAddCommand.self, ConcernsSummaryCommand.self, ConcernsHotspotsCommand.self]
    )
}

/// `summary`: a table for people, JSON or CSV.
enum ConcernSummaryFormats: FormatOffer {
    static let formats: [OutputFormat] = [.table, .json, .csv]
    static let defaultText = "(default: from the -o extension, else table)"
}

/// `hotspots`: polygons first; a table lists them.
enum HotspotFormats: FormatOffer {
    static let formats: [OutputFormat] = [.geojson, .table]
    static let defaultText = "(default: from the -o extension, else geojson)"
}

struct ConcernsAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add one concern; prints its new id.",
        discussion: """
        The theme is an id of the dataset's vocabulary or its label in Russian, Kazakh or English \
        («освещение», «жарықтандыру», "street lighting"). The place is a point (--lat, --lon), which \
        must lie inside a district, or only a district (--district, by id or name). Dates are \
        2026-03-05 or 05.03.2026 (day first); --received defaults to today (UTC). The status is open \
        unless --resolved is given (or --status resolved). --text, --reporter, --phone and --email \
        are private.

        EXAMPLES
          civic concerns add --theme освещение --lat 49.9512 --lon 82.6271 --received 05.03.2026 \\
              --source appeal --text "Не горят фонари во дворе" --reporter "Иванова А. П."
          civic concerns add --theme snow_removal --district Ульбинский --status resolved --resolved 2026-03-09

        DIAGNOSTICS
          civic: error: lat 50.3, lon 82.6 lies outside every district (38211 m away)
          hint: check the coordinates, or give only the district
        """
    )

    @OptionGroup var datasetOptions: DatasetOptions

    @Option(help: ArgumentHelp("The theme (an id or a label).", valueName: "theme"))
    var theme: String

    @Option(parsing: .unconditional, help: ArgumentHelp("Latitude in degrees (WGS84).", valueName: "lat"))
    var lat: Double?

    @Option(parsing: .unconditional, help: ArgumentHelp("Longitude in degrees (WGS84).", valueName: "lon"))
    var lon: Double?

    @Option(help: ArgumentHelp("The district, by id or name (without a point, or to check the point).", valueName: "district"))
    var district: String?

    @Option(help: ArgumentHelp("The day it was received: 2026-03-05 or 05.03.2026 (default: today).", valueName: "date"))
    var received: String?

    @Option(help: ArgumentHelp("open or resolved (открыто/решено, ашық/шешілді).", valueName: "status"))
    var status: String?

    @Option(help: ArgumentHelp("The day it was resolved.", valueName: "date"))
    var resolved: String?

    @Option(help: ArgumentHelp("appeal, survey, hotline, … (default: appeal).", valueName: "text"))
    var source: String = "appeal"

    @Option(help: ArgumentHelp("What the resident wrote (private).", valueName: "text"))
    var text: String?

    @Option(help: ArgumentHelp("The reporter's name (private).", valueName: "name"))
    var reporter: String?

    @Option(help: ArgumentHelp("The reporter's phone (private).", valueName: "phone"))
    var phone: String?

    @Option(help: ArgumentHelp("The reporter's e-mail (private).", valueName: "email"))
    var email: String?

    func validate() throws {
        if (lat == nil) != (lon == nil) { throw ValidationError("--lat and --lon go together") }
        if lat == nil, district == nil { throw ValidationError("give a place: --lat and --lon, or --district") }
    }

    func run() throws {
        let point = lat.flatMap { lat in lon.map { Position(lon: $0, lat: lat) } }
        var draft = ConcernDraft(theme: theme, point: point, district: district,
                                 received: received ?? String(Timestamp.now().prefix(10)), status: status,
                                 resolved: resolved, source: source)
        draft.privateFields = ConcernPrivate(text: text, reporter: reporter, phone: phone, email: email)
        let dataset = try datasetOptions.open()
        let concern = try dataset.update { state, journal in
            let id = try dataset.nextConcernID(in: state)
            let concern = try ConcernAdmission(state: state).concern(draft, id: id)
            state.concerns.append(concern)
            if !draft.privateFields.isEmpty { state.concernPrivate[id] = draft.privateFields }
            // Public fields only, and no point: the journal is published with the dataset.
            let changes = JSONObject([("theme", .string(concern.theme)), ("district", concern.district.map(JSONValue.string) ?? .null),
                                      ("source", .string(concern.source)), ("status", .string(concern.status.rawValue))])
            journal.append(ConcernJournal.entry(action: ConcernJournal.addAction, added: [id], updated: 0,
                                                changes: changes, time: Timestamp.now()))
            return concern
        }
        print(concern.id)
    }
}

struct ConcernsSummaryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Concerns per district and theme, beside the coverage of that theme's entities.",
        discussion: """
        One row per district and theme with concerns: concerns, per_1000 (per 1,000 residents, when \
        the district's population is known), open, median_days_to_resolve (over resolved concerns \
        with both dates), theme_covered_share (covered_share of `civic coverage --theme T` at the \
        dataset's radius: straight line, or along the dataset's streets with --walk) and priority: need = demand × (1 − theme_covered_share), \
        where demand is the district's concerns per resident over the city's for that theme; high \
        from 1, medium from 0.5, low below (docs/concerns.md).

        Public form (the default): a count below 5 is "<5" (in JSON the string "<5"), and with it \
        per_1000 is left out; the median is left out when fewer than 5 resolved concerns give it. \
        --include-private shows exact figures and says so on stderr.

        EXAMPLES
          civic concerns summary --dataset geodata/oskemen
          civic concerns summary --theme освещение --since 2026-01-01 --format json
          civic concerns summary --walk --off-street 50

        DIAGNOSTICS
          Exit 1 when a dataset file is broken; exit 64 for an unknown --theme or a --since that is \
          not a date.
        """
    )

    @OptionGroup var datasetOptions: DatasetOptions
    @OptionGroup var output: OutputOptions<ConcernSummaryFormats>

    @Option(name: .customLong("theme"), help: ArgumentHelp("Only this theme (repeat for several).", valueName: "theme"))
    var themes: [String] = []

    @Option(help: ArgumentHelp("Only concerns received on or after this day (2026-03-05 or 05.03.2026).", valueName: "date"))
    var since: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Reach in metres for the covered share (default: the dataset's).",
                                                        valueName: "m"))
    var radius: Double?

    @Flag(help: "Exact counts, even below 5 (for the people who handle the concerns).")
    var includePrivate = false

    @Flag(help: "The covered share along the dataset's street network (walking, DESIGN §5b) instead of straight lines.")
    var walk = false

    @Option(parsing: .unconditional,
            help: ArgumentHelp("With --walk: the last leg from the street to a home, straight, in metres (default: 100).",
                               valueName: "m"))
    var offStreet: Double?

    func validate() throws {
        if let since, CivilDate(since) == nil { throw ValidationError("--since '\(since)' is not a date such as 2026-03-05") }
        try checkRadius(radius)
        if let offStreet {
            guard walk else { throw ValidationError("--off-street applies to walking coverage; add --walk") }
            guard offStreet.isFinite, offStreet >= 0 else { throw ValidationError("--off-street \(JSONNumber.typed(offStreet)): must be a finite number of metres, 0 or more") }
        }
    }

    func run() async throws {
        let format = try output.resolvedFormat(default: .table, allowed: [.table, .json, .csv])
        let writer = try datasetOptions.writer(for: output.output)
        let state = try datasetOptions.open().load(network: walk, concerns: true)
        let themeIDs = try themeOptionIDs(themes, in: state.info.vocabulary)
        let concerns = ConcernAnalysis.selected(state.concerns, themes: themeIDs, since: since.flatMap(CivilDate.init))
        let radius = radius ?? state.info.radius
        var walking: WalkSettings?
        if walk {
            guard let network = state.network else {
                throw CivicError.refused(reason: "\(datasetOptions.folder ?? "."): the dataset has no street network to walk",
                                         hint: "bring one in with civic import osm, or leave out --walk")
            }
            try StreetPlacement(districts: state.districts).requireStreetsNear(
                network, file: ((datasetOptions.folder ?? ".") as NSString).appendingPathComponent(DatasetLayout.network))
            let offStreet = offStreet ?? min(WalkSettings.defaultOffStreet, radius)
            guard offStreet <= radius else {
                throw ValidationError("--off-street \(JSONNumber.format(offStreet)) cannot exceed the radius, \(JSONNumber.format(radius)) m")
            }
            walking = WalkSettings(network: network, offStreet: offStreet)
        }
        var hinted = false
        let rows = try await ConcernAnalysis.summary(districts: state.districts, entities: state.entities,
                                                     vocabulary: state.info.vocabulary, concerns: concerns,
                                                     radius: radius, walk: walking) { theme, figures in
            CoverageInputOptions.warnAwayFromStreets(figures.entitiesAwayFromStreets, offStreet: figures.offStreet,
                                                     scope: "theme \(theme)", hint: !hinted)
            hinted = hinted || figures.entitiesAwayFromStreets > 0
        }
        let out = ConcernOutput(includePrivate: includePrivate, language: state.info.language, vocabulary: state.info.vocabulary)
        let text: String
        switch format {
        case .json: text = JSON.serialize(out.json(rows), pretty: true) + "\n"
        case .csv: text = out.csv(rows).csv(output.csvDialect(language: state.info.language))
        default: text = out.table(rows).table()
        }
        try output.emit(text, through: writer)
        if includePrivate {
            Diagnostics.warning("exact counts below 5 are shown (--include-private): do not publish this output")
        }
        if rows.isEmpty { Diagnostics.note("no concerns\(themes.isEmpty && since == nil ? "" : " match")") }
    }
}

struct ConcernsHotspotsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hotspots",
        abstract: "250 m cells with many concerns of a theme where nobody working on it is near.",
        discussion: """
        Each concern of the theme with a point is placed in a 250 m cell of its district's UTM grid \
        (the zone of the district's centre, cells aligned to whole multiples of 250 m), and counts \
        when it lies farther than the radius (straight line) from every active entity with the \
        theme. Cells with at least 5 such concerns are written as polygons (GeoJSON, WGS84), largest \
        count first, with district_id, district_name, theme, concerns_outside and open.

        EXAMPLES
          civic concerns hotspots --theme lighting --dataset geodata/oskemen -o hotspots.geojson
          civic concerns hotspots --theme освещение --format table
        """
    )

    @OptionGroup var datasetOptions: DatasetOptions
    @OptionGroup var output: OutputOptions<HotspotFormats>

    @Option(help: ArgumentHelp("The theme (an id or a label).", valueName: "theme"))
    var theme: String

    @Option(parsing: .unconditional, help: ArgumentHelp("Reach in metres (default: the dataset's).", valueName: "m"))
    var radius: Double?

    func validate() throws { try checkRadius(radius) }

    func run() async throws {
        let format = try output.resolvedFormat(default: .geojson, allowed: [.geojson, .table])
        let writer = try datasetOptions.writer(for: output.output)
        let state = try datasetOptions.open().load(concerns: true)
        guard let themeID = try themeOptionIDs([theme], in: state.info.vocabulary).first else { return }
        let radius = radius ?? state.info.radius
        let cells = try ConcernAnalysis.hotspots(districts: state.districts, entities: state.entities,
                                                 concerns: state.concerns, theme: themeID, radius: radius)
        let out = ConcernOutput(includePrivate: false, language: state.info.language, vocabulary: state.info.vocabulary)
        let text = format == .table ? out.hotspotTable(cells).table()
            : GeoJSONWriter.featureCollection(out.hotspotFeatures(cells, radius: radius), onePerLine: true)
        try output.emit(text, through: writer)
        Diagnostics.note("\(cells.count) hotspot\(cells.count == 1 ? "" : "s") of \(themeID): cells of 250 m with 5 or more "
                         + "concerns farther than \(JSONNumber.format(radius)) m from every active entity with the theme")
    }
}

/// Theme ids for `--theme` values; one outside the vocabulary is a usage error (exit 64), as for coverage.
func themeOptionIDs(_ texts: [String], in vocabulary: Vocabulary) throws -> [String] {
    do {
        return try vocabulary.themeIDs(texts)
    } catch {
        throw ValidationError(error.description)
    }
}

/// `civic export concerns` (and the `concerns` layer of a GeoPackage): the public form, or
/// everything with `--include-private`. The one place that chooses the form and says on stderr
/// what the export holds, so GeoJSON and GeoPackage never differ in what they show.
enum ConcernExport {
    /// The concerns as GeoJSON, one feature per line.
    static func text(state: DatasetState, includePrivate: Bool) throws -> String {
        GeoJSONWriter.featureCollection(try features(state: state, includePrivate: includePrivate), onePerLine: true)
    }

    /// The public features (one point per 250 m cell and theme with 5 or more concerns, at the
    /// cell's centre), or with `includePrivate` every concern as it is, with the warning.
    static func features(state: DatasetState, includePrivate: Bool) throws -> [Feature] {
        if includePrivate {
            Diagnostics.warning("the export includes each concern's exact point, text, reporter, phone and e-mail "
                                + "(--include-private): do not publish it")
            return ConcernOutput.privateFeatures(state.concerns, privateFields: state.concernPrivate)
        }
        let cells = try ConcernAnalysis.cells(districts: state.districts, concerns: state.concerns)
        let out = ConcernOutput(includePrivate: false, language: state.info.language, vocabulary: state.info.vocabulary)
        let features = out.cellFeatures(cells)
        let small = cells.filter { $0.concerns < SmallCount.threshold }
        let withoutPoint = state.concerns.count { $0.point == nil }
        Diagnostics.note("exported \(features.count) cell\(features.count == 1 ? "" : "s") of 250 m by theme (points at the cells' centres); "
                         + "\(small.count) cell\(small.count == 1 ? "" : "s") with fewer than \(SmallCount.threshold) concerns not drawn; "
                         + "\(SmallCount.text(withoutPoint)) concerns known only by district not drawn")
        return features
    }
}
