import ArgumentParser
import CivicAnalysis
import CivicCore
import Foundation

/// `suggest`: a table for people, JSON, or the sites as GeoJSON Points.
enum SuggestFormats: FormatOffer {
    static let formats: [OutputFormat] = [.table, .json, .geojson]
    static let defaultText = "(default: from the -o extension, else table)"
}

/// `--count`, `--cell` and `--candidates`: what `suggest` and `map --suggest` ask on top of the
/// coverage inputs.
struct SuggestSiteOptions: ParsableArguments {
    // `.unconditional` reads `--cell -5` as a value, so that it is refused as a cell, not as a missing value.
    @Option(parsing: .unconditional,
            help: ArgumentHelp("The side in metres of the grid's cells: residents of districts are spread over them, and their centres are the candidate sites unless --candidates gives others.",
                               valueName: "m"))
    var cell: Double = 100

    @Option(help: ArgumentHelp("Candidate sites: GeoJSON Points with any id (default: the centres of the grid's cells inside the districts).",
                               valueName: "file"))
    var candidates: String?

    func validate() throws {
        if !(cell.isFinite && cell > 0) {
            throw ValidationError("--cell \(JSONNumber.typed(cell)): must be a positive, finite number of metres")
        }
    }

    /// The question for `count` sites on top of what `prepared` read.
    func request(_ prepared: PreparedRequest, count: Int) throws -> SuggestRequest {
        let sites = try candidates.map { try CoverageInputs.candidates(in: readFile($0), file: $0) }
        return SuggestRequest(coverage: prepared.request, count: count, cell: cell, candidates: sites)
    }

    /// What the suggestion leaves out or cannot do, as warnings and notes on stderr.
    func report(_ report: SuggestReport, prepared: PreparedRequest) {
        let notices = report.notices
        if notices.residentsOutside > 0, let file = prepared.populationFile {
            Diagnostics.warning("\(file): \(Int(notices.residentsOutside.rounded())) residents lie outside every district and count in no figure")
        }
        if !notices.districtsWithoutPopulation.isEmpty {
            let ids = notices.districtsWithoutPopulation
            Diagnostics.warning("\(prepared.districtsFile): \(ids.count) district\(ids.count == 1 ? " has" : "s have") no population, so no residents to reach: "
                                + ids.prefix(10).joined(separator: ", ") + (ids.count > 10 ? ", …" : ""),
                                hint: "give residents with --population FILE")
        }
        if notices.candidatesOutside > 0, let file = candidates {
            Diagnostics.note("\(file): \(notices.candidatesOutside) of \(notices.candidates) candidate sites lie outside every district")
        }
        if report.sites.count < report.count {
            Diagnostics.note("\(report.sites.count) of \(report.count) sites suggested: no other candidate reaches anyone not reached yet")
        }
    }
}

struct SuggestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suggest",
        abstract: "Where K new places would reach the most residents not reached yet.",
        discussion: """
        The existing places are the selected entities (active, narrowed by --kind and --theme, as \
        for `civic coverage`); the residents within --radius metres of one of them count as reached. \
        civic then chooses --count new sites among the candidates so that they reach as many of the \
        other residents as possible, each resident counted once.

        Residents come from --population (points, or polygons spread by area over the grid), or else \
        each district's own population spread evenly over a grid of --cell metres inside it, in the \
        district's UTM zone as coverage measures it. The candidate sites are the points of \
        --candidates (any id) or the centres of the grid's cells inside the districts.

        With --walk, a site reaches a resident along the street network as walking coverage \
        measures it (DESIGN §5b: the dataset's network or --network, --off-street): one street \
        graph serves every candidate site, each site's walk is bounded by the radius.

        The method: greedy maximum covering (lazy evaluation), then swaps of a chosen site for an \
        unchosen one while the total grows; ties go to the lower candidate id (grid cells: south to \
        north, west to east). Each run also gives an upper bound on what the best K sites could \
        reach, from the greedy's own marginal gains, so the table says how close the answer is: \
        "at least X % of the best possible" (of what new sites can add).

        --format json is DESIGN §5c's: radius_m, count, covered_before, covered_after, \
        best_possible_at_most and the sites (rank, id, lon, lat, gain, district_id); --format \
        geojson the sites as Points for QGIS. `civic map --suggest K` draws them on the coverage map.

        EXAMPLES
          civic suggest --dataset geodata/oskemen --theme youth --count 3
          civic suggest --dataset oskemen --kind venue --count 5 --radius 800 -o sites.geojson
          civic suggest --dataset geodata/oskemen --theme youth --count 3 --walk
          civic suggest --districts d.geojson --entities e.geojson --population p.geojson \\
              --candidates lots.geojson --count 10 --format json
          civic map --dataset geodata/oskemen --theme youth --suggest 3 -o youth.svg

        DIAGNOSTICS
        --count below 1 or a --cell that is not a positive distance is a usage error (exit 64). A \
        candidates file with anything but Points, no residents anywhere (no --population and no \
        district population), or a bad input file ends the command with exit code 1 and one line \
        per problem naming the file and the feature.
        """
    )

    @OptionGroup var inputs: CoverageInputOptions
    @OptionGroup var sites: SuggestSiteOptions
    @OptionGroup var output: OutputOptions<SuggestFormats>

    @Option(parsing: .unconditional, help: ArgumentHelp("How many new sites (K).", valueName: "K"))
    var count: Int

    func validate() throws {
        if count < 1 { throw ValidationError("--count \(count): must be 1 or more") }
    }

    func run() async throws {
        try inputs.requireWalking(inputs.walk)
        let format = try output.resolvedFormat(default: .table, allowed: [.table, .json, .geojson])
        let writer = try inputs.datasetOptions.writer(for: output.output,
                                                      inputs: inputs.inputFiles + [sites.candidates].compactMap { $0 })
        let prepared = try inputs.prepare()
        let report = try await sites.request(prepared, count: count).suggest()
        let text: String
        switch format {
        case .json: text = JSON.serialize(report.json, pretty: true) + "\n"
        case .geojson: text = GeoJSONWriter.featureCollection(report.features, onePerLine: true)
        default: text = report.table(districts: prepared.request.districts, language: prepared.info?.language ?? "en")
        }
        try output.emit(text, through: writer)
        CoverageInputOptions.noteSkipped(prepared.skipped)
        if let walk = prepared.request.walk {
            CoverageInputOptions.warnAwayFromStreets(report.notices.entitiesAwayFromStreets, offStreet: walk.offStreet)
        }
        sites.report(report, prepared: prepared)
    }
}
