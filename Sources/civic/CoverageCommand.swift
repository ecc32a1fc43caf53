import ArgumentParser
import CivicAnalysis
import CivicCore
import CivicStore
import Foundation

/// The inputs `coverage`, `gaps` and `map` share: a dataset or loose files, the radius, the selection.
struct CoverageInputOptions: ParsableArguments {
    @OptionGroup var datasetOptions: DatasetOptions

    @Option(help: ArgumentHelp("A districts GeoJSON file instead of a dataset (with --entities).", valueName: "file"))
    var districts: String?

    @Option(help: ArgumentHelp("An entities GeoJSON file instead of a dataset (with --districts).", valueName: "file"))
    var entities: String?

    @Option(help: ArgumentHelp("Residents: GeoJSON Points or Polygons with a number of residents ('population', or --residents-field).",
                               valueName: "file"))
    var population: String?

    @OptionGroup var districtFields: DistrictFieldOptions

    @Option(help: ArgumentHelp("The --population file's property holding each feature's residents (default: 'population' in any case).",
                               valueName: "property"))
    var residentsField: String?

    // `.unconditional` reads `--radius -1` as a value, so that it is refused as a radius, not as a missing value.
    @Option(parsing: .unconditional,
            help: ArgumentHelp("Reach of an entity in metres (default: the dataset's, else \(JSONNumber.format(DatasetInfo.defaultRadius))).",
                               valueName: "m"))
    var radius: Double?

    @Option(name: .customLong("kind"), help: ArgumentHelp("Only entities of this kind (repeatable, any of).", valueName: "kind"))
    var kinds: [String] = []

    @Option(name: .customLong("theme"), help: ArgumentHelp("Only entities with this theme (repeatable, any of).", valueName: "theme"))
    var themes: [String] = []

    @Option(help: ArgumentHelp("One projected CRS in metres to measure every district in (default: the UTM zone of each district's centre); refused when it distorts areas there by more than 1 %.",
                               valueName: "EPSG:N"))
    var crs: String?

    @Flag(help: "Leave out entities with a missing or invalid geometry (one warning each) instead of failing.")
    var skipInvalid = false

    @Flag(help: "Measure reach along the street network (walking) instead of straight lines: the dataset's network, or --network.")
    var walk = false

    // `.unconditional` reads `--off-street -1` as a value, so that it is refused as a distance.
    @Option(parsing: .unconditional,
            help: ArgumentHelp("With --walk: the last leg from the street to a home, straight, in metres (default: 100, never more than --radius).",
                               valueName: "m"))
    var offStreet: Double?

    @Option(help: ArgumentHelp("With --walk: the street network, GeoJSON LineStrings meeting where they share a vertex (default: the dataset's).",
                               valueName: "file"))
    var network: String?

    @OptionGroup var progressOptions: ProgressOptions

    func validate() throws {
        if datasetOptions.dataset != nil && (districts != nil || entities != nil) {
            throw ValidationError("give either --dataset or --districts with --entities, not both")
        }
        if (districts == nil) != (entities == nil) {
            throw ValidationError("--districts and --entities go together")
        }
        if districts == nil && datasetOptions.folder == nil {
            throw ValidationError("no input: pass --dataset DIR (or set CIVIC_DATASET), or --districts FILE --entities FILE")
        }
        for (flag, _) in districtFields.given where districts == nil {
            throw ValidationError("\(flag) names a property of a --districts file; a dataset's districts were read when it was made")
        }
        if residentsField != nil && population == nil {
            throw ValidationError("--residents-field names a property of the --population file; pass --population FILE too")
        }
        let fromStandardInput = [("--districts", districts), ("--entities", entities), ("--population", population),
                                 ("--network", network)].filter { $0.1 == "-" }.map(\.0)
        if fromStandardInput.count > 1 {
            throw ValidationError("\(fromStandardInput.joined(separator: " and ")) each read standard input ('-'), which only one input can: save the others to files")
        }
        try checkRadius(radius, allowZero: true)
        if let offStreet, !(offStreet.isFinite && offStreet >= 0) {
            throw ValidationError("--off-street \(JSONNumber.typed(offStreet)): must be a finite number of metres, 0 or more")
        }
        if let crs, Self.epsg(crs) == nil {
            throw ValidationError("--crs \(crs): expected EPSG:N, such as EPSG:32644")
        }
    }

    static func epsg(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.uppercased().hasPrefix("EPSG:") ? String(trimmed.dropFirst(5)) : trimmed
        guard let code = Int(digits), code > 0 else { return nil }
        return code
    }

    /// `--off-street` beyond the radius: refused, not clamped, since a figure for another allowance
    /// than the one asked for would be read as the one asked for.
    static func offStreetBeyond(_ offStreet: Double, radius: Double) -> UsageError {
        UsageError("--off-street \(JSONNumber.format(offStreet)): the off-street allowance cannot exceed the radius, \(JSONNumber.format(radius)) m",
                   hint: "a home farther than the radius from every entity is not reached however it walks; "
                       + "give --off-street \(JSONNumber.format(radius)) or less, or a larger --radius")
    }

    /// `--off-street` and `--network` say how to walk: without walking (`--walk`, or `coverage
    /// --compare`) they would be silently ignored, so they are refused.
    func requireWalking(_ walking: Bool) throws {
        guard !walking else { return }
        if offStreet != nil { throw UsageError("--off-street applies to walking coverage", hint: "add --walk") }
        if network != nil { throw UsageError("--network applies to walking coverage", hint: "add --walk") }
    }

    /// The loose files the command reads, which `-o` must not overwrite.
    var inputFiles: [String] { [districts, entities, population, network].compactMap { $0 } }

    /// Where `-o` writes: never into the dataset (named or in `CIVIC_DATASET`), nor over an input.
    func writer(for output: String?) throws -> OutputWriter {
        try datasetOptions.writer(for: output, inputs: inputFiles)
    }

    /// Where the inputs come from, as given.
    var source: CoverageSource {
        get throws {
            if let districts, let entities { return .files(districts: districts, entities: entities) }
            return .dataset(path: try datasetOptions.path)
        }
    }

    /// The options as given; CivicAnalysis resolves and checks them.
    var options: CoverageOptions {
        CoverageOptions(population: population, radius: radius, kinds: kinds, themes: themes,
                        crs: crs.flatMap(Self.epsg), skipInvalid: skipInvalid,
                        districtFields: districtFields.fields,
                        residentsField: residentsField)
    }

    /// The options with walking on, for `coverage --compare`'s second measure.
    var walkingOptions: CoverageOptions {
        var options = self.options
        options.walk = true
        options.offStreet = offStreet
        options.network = network
        return options
    }

    /// Progress for a terminal: `measuring 14 districts… 40 %`, rewritten in place on stderr.
    func progressReporter(_ prepared: PreparedRequest, _ how: String = "") -> (@Sendable (Double) -> Void)? {
        Progress.fraction("measuring \(prepared.request.districts.count.grouped) districts" + how)
    }

    /// Reads the inputs (a dataset or loose files), saying so on a terminal.
    func prepare(walking: Bool? = nil) throws -> PreparedRequest {
        let prepared = try Progress.step("reading " + (districts == nil ? "the dataset" : "the files")) {
            try PreparedRequest(self, walking: walking)
        }
        ProcessEnd.keep(prepared)
        return prepared
    }

    /// Says how many entities `--skip-invalid` left out.
    static func noteSkipped(_ skipped: Int) {
        if skipped > 0 { Diagnostics.note("skipped \(skipped) entit\(skipped == 1 ? "y" : "ies") with an unusable geometry") }
    }

    /// Walking: how many selected entities lie farther than the off-street allowance from every
    /// street (they cover their own surroundings and join the network at that cost).
    static func warnAwayFromStreets(_ report: CoverageReport) {
        guard let walk = report.walk else { return }
        warnAwayFromStreets(walk.entitiesAwayFromStreets, offStreet: walk.offStreet)
    }

    /// The one wording of the away-from-streets warning, for every command that walks (coverage,
    /// gaps, map, suggest, concerns summary): `n` selected entities farther than `offStreet`
    /// metres from every street; `scope` says where, when the command measures several selections
    /// (a theme of `concerns summary`), and `hint` whether to add the hint (once is enough for
    /// several scopes). Nothing when `n` is 0.
    static func warnAwayFromStreets(_ n: Int, offStreet: Double, scope: String? = nil, hint: Bool = true) {
        guard n > 0 else { return }
        let metres = JSONNumber.format(offStreet)
        Diagnostics.warning((scope.map { "\($0): " } ?? "")
                                + (n == 1 ? "1 selected entity lies" : "\(n) selected entities lie")
                                + " farther than \(metres) m (--off-street) from every street: each covers its own surroundings "
                                + "within \(metres) m and reaches the streets at that cost",
                            hint: hint ? "a network that misses streets (a partial export) strands places; look at it with civic map --walk" : nil)
    }

    /// What the figures leave out or cannot say well (entities and residents outside every
    /// district, overlapping districts, a point holding a district's residents), one warning each.
    static func warn(_ prepared: PreparedRequest, _ report: CoverageReport) {
        for warning in prepared.warnings(for: report) { Diagnostics.warning(warning.description, hint: warning.hint) }
    }
}

struct CoverageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coverage",
        abstract: "How much of each district lies within reach of a community, initiative group or venue.",
        discussion: """
        A district's covered area is its part within --radius metres of a selected entity (a Point \
        buffered into a 64-gon, 16 segments per quarter circle; an area buffered likewise), measured \
        exactly in the UTM zone of the district's own centre, so that every district's area is \
        within 0.2 % of its geodesic area (a city is one zone; a country several). --crs forces one \
        projected CRS in metres; one that distorts areas at the districts by more than 1 % (Web \
        Mercator, a far UTM zone) is refused. Selected entities are the active ones, narrowed by \
        --kind and --theme. With --population, residents are counted per district (a point on a \
        border counts for both districts) and are covered within --radius of the nearest selected \
        entity; polygons are shared out by area. Without it, a district's own population is \
        multiplied by its covered share. The city's totals count each place once, also where \
        districts overlap.

        Loose files: --districts finds the name, id and population properties on its own (NAME, \
        shapeName, …) or takes --name-field, --id-field, --population-field. --entities takes any \
        feature id (text or number) or none, and entities without a kind (unclassified: counted \
        unless --kind narrows). --population reads numbers and numeric text ("354770"), skips \
        nulls with one warning, and takes --residents-field for another property.

        WALKING: --walk measures reach along the street network (the dataset's network.geojson, \
        or --network FILE of GeoJSON LineStrings that meet where they share a vertex): a point \
        entity joins the nearest street at the straight distance, a park wherever a street \
        crosses it; a place is covered when it lies within min(A, R - d) of a street point d \
        metres away on foot, with A the off-street allowance (--off-street, default 100 m, never \
        more than --radius), or within A of the entity itself. --compare prints the straight-line \
        and walking figures side by side per district, with how much the straight line overstates \
        covered area and residents. The JSON adds "mode": "walk" and "off_street_m".

        The table is sorted worst covered first (--sort to change); --format json is the figures \
        defined in docs/coverage.md (in the civic repository), with `entities_outside` (and `residents_outside`) in the city's totals, and a \
        `crs` per district when the districts span several UTM zones (the top `crs` is then \
        "UTM per district"); --format geojson is the district layer with the figures as \
        properties, for QGIS.

        EXAMPLES
          civic coverage --dataset geodata/oskemen
          civic coverage --dataset oskemen --theme youth --radius 800 -o youth.json
          civic coverage --districts d.geojson --entities e.geojson \\
              --population p.geojson --format csv
          civic coverage --districts bezirke.geojson --name-field Gemeinde_name \\
              --entities stations.geojson --population p.geojson --residents-field EW
          civic coverage --dataset oskemen --format geojson -o coverage.geojson
          civic coverage --dataset oskemen --walk --compare
          civic coverage --districts d.geojson --entities e.geojson \\
              --walk --network streets.geojson --off-street 50 --format json

        DIAGNOSTICS
        A bad input file ends the command with exit code 1 and one line per problem, naming the \
        file, the feature and the problem (every problem of a loose file at once). An entity with \
        a missing or invalid geometry is such an error unless --skip-invalid is given: then it is \
        left out with a warning and counted in the output (`skipped_entities` in JSON). Warnings \
        say what the figures leave out: selected entities or residents outside every district \
        (how many, and the nearest), overlapping districts, and a point of the population file \
        that holds most of a district's residents.
        """
    )

    @OptionGroup var inputs: CoverageInputOptions
    @OptionGroup var output: OutputOptions<TableFirstFormats>

    @Option(help: "Order of the table: share (worst covered first), name, id, area or population.")
    var sort: CoverageOrderArgument = .share

    @Flag(help: "Straight-line and walking coverage side by side per district, with how much the straight line overstates (--walk's network).")
    var compare = false

    func run() async throws {
        try inputs.requireWalking(inputs.walk || compare)
        if compare { return try await runComparison() }
        let format = try output.resolvedFormat(default: .table, allowed: [.table, .json, .csv, .geojson])
        let writer = try inputs.writer(for: output.output)
        let prepared = try inputs.prepare()
        let skipped = prepared.skipped
        var report = try await prepared.request.coverage(progress: inputs.progressReporter(prepared))
        report.skippedEntities = skipped
        let text: String
        switch format {
        case .table: text = report.table(order: sort.order, words: .of(prepared.info)).table()
        case .json: text = JSON.serialize(report.json, pretty: true) + "\n"
        case .csv: text = report.csv.csv(output.csvDialect(language: prepared.info?.language))
        case .geojson:
            text = GeoJSONWriter.featureCollection(report.features(districts: prepared.request.districts), onePerLine: true)
        }
        try output.emit(text, through: writer)
        CoverageInputOptions.noteSkipped(skipped)
        CoverageInputOptions.warn(prepared, report)
        CoverageInputOptions.warnAwayFromStreets(report)
    }

    /// `--compare`: the same districts and entities measured both ways, from one reading of the inputs.
    private func runComparison() async throws {
        let format = try output.resolvedFormat(default: .table, allowed: [.table, .json, .csv])
        let writer = try inputs.writer(for: output.output)
        let prepared = try inputs.prepare(walking: true)
        var straightRequest = prepared.request
        straightRequest.walk = nil
        let straight = try await straightRequest.coverage(progress: inputs.progressReporter(prepared, " in straight lines"))
        let walking = try await prepared.request.coverage(progress: inputs.progressReporter(prepared, " along the streets"))
        let comparison = try CoverageComparison(straight: straight, walking: walking)
        let text: String
        switch format {
        case .json: text = JSON.serialize(comparison.json, pretty: true) + "\n"
        case .csv: text = comparison.csv.csv(output.csvDialect(language: prepared.info?.language))
        default: text = comparison.table(language: prepared.info?.language ?? "en", isCity: prepared.info?.isCity ?? false).table()
        }
        try output.emit(text, through: writer)
        CoverageInputOptions.noteSkipped(prepared.skipped)
        CoverageInputOptions.warn(prepared, walking)
        CoverageInputOptions.warnAwayFromStreets(walking)
    }
}

/// `--sort` values.
enum CoverageOrderArgument: String, ExpressibleByArgument, CaseIterable {
    case share, name, id, area, population

    var order: CoverageOrder { CoverageOrder(rawValue: rawValue) ?? .share }
}

extension PreparedRequest {
    /// Reads what `inputs` name: warnings for skipped entities go to stderr, and a `--kind` or
    /// `--theme` that names nothing is a usage error (exit 64).
    init(_ inputs: CoverageInputOptions, walking: Bool? = nil) throws {
        do {
            self = try PreparedRequest(reading: inputs.source,
                                       options: walking ?? inputs.walk ? inputs.walkingOptions : inputs.options,
                                       progress: Progress.reading()) {
                Diagnostics.warning($0, then: "skipped")
            }
        } catch let unknown as UnknownTermError {
            throw ValidationError(unknown.description)
        }
        if let offStreet = inputs.offStreet, offStreet > request.radius {
            throw CoverageInputOptions.offStreetBeyond(offStreet, radius: request.radius)
        }
    }
}
