import ArgumentParser
import CivicAnalysis
import CivicCore
import CivicRender
import Foundation

struct MapCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "map",
        abstract: "Draw the coverage as a map: an SVG for print, or a self-contained web page.",
        discussion: """
        The districts are shaded by covered share in five classes of 20 % (ColorBrewer YlGnBu, \
        readable with colour blindness), the gaps (see `civic gaps`) are hatched, and the selected \
        entities are drawn as symbols by kind (entities of a loose file without a kind as \
        unclassified), areas as areas. The map is drawn in the projected CRS of the coverage (for \
        districts in several UTM zones, the zone of their centre; the figures stay as each \
        district's zone measured them), with a scale bar, a north arrow, a legend, the title (the dataset's name), \
        the radius and themes used, the date and the sources. Words are in the dataset's language \
        unless --language says otherwise (loose files: Russian).

        At city scale: where symbols would overlap they become one circle with their number; \
        symbols are never wider than half the reach's radius; rarer kinds are drawn on top; the \
        legend counts what is drawn and says how many lie outside the map; the worst districts are \
        listed with their covered share and residents left out.

        -o decides the format: .svg is SVG 1.1 sized for print (A4 landscape unless --size); \
        .html is one file with the map, its style and a small script, loading nothing from the \
        network: hover or tap for details, theme filters, zoom and pan (clusters open into \
        symbols as you zoom in), a table of every district to sort, and a print layout.

        --suggest K draws the K sites `civic suggest --count K` would choose (with the same \
        --radius, --kind, --theme, --population, --cell and --candidates), numbered by rank with \
        their reach dashed, and lists in the legend the residents each one adds.

        EXAMPLES
          civic map --dataset geodata/oskemen -o oskemen.svg
          rsvg-convert -w 1600 oskemen.svg -o oskemen.png
          civic map --dataset oskemen --theme youth --radius 800 --language kk \\
              -o youth.html
          civic map --dataset geodata/oskemen --theme youth --suggest 3 -o youth.svg
          civic map --dataset geodata/oskemen --concerns -o concerns.svg
          civic map --districts d.geojson --entities e.geojson --size 400x300 \\
              --title "Draft" -o draft.svg

        DIAGNOSTICS
        A file name that does not end in .svg or .html, or a --size that is not a4, a3 or WxH, is \
        a usage error (exit 64). Bad input files are reported as by `civic coverage` (exit 1).
        """
    )

    @OptionGroup var inputs: CoverageInputOptions

    @Option(name: .shortAndLong, help: ArgumentHelp("The map file: .svg or .html.", valueName: "file"))
    var output: String

    @Option(help: ArgumentHelp("Words on the map: ru, kk or en (default: the dataset's language; loose files: ru).", valueName: "lang"))
    var language: MapLanguage?

    @Option(help: ArgumentHelp("Page size: a4 or a3 (landscape), or WxH in millimetres.", valueName: "size"))
    var size: String = "a4"

    @Option(help: ArgumentHelp("The title (default: the dataset's name).", valueName: "text"))
    var title: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Leave out gaps smaller than this, in m².", valueName: "m2"))
    var minArea: Double = 10_000

    @Option(parsing: .unconditional,
            help: ArgumentHelp("Draw the K sites `civic suggest --count K` chooses, numbered, with their gains in the legend.",
                               valueName: "K"))
    var suggest: Int?

    @OptionGroup var sites: SuggestSiteOptions
    @Flag(help: "Draw residents' concerns in their public form: 250 m cells of 5 or more, by theme (a dataset only).")
    var concerns = false

    enum Format { case svg, html }

    static let extensions = [".svg", ".html"]

    var format: Format? {
        switch (output as NSString).pathExtension.lowercased() {
        case "svg": .svg
        case "html", "htm": .html
        default: nil
        }
    }

    func validate() throws {
        if format == nil {
            throw ValidationError("-o \(output): a map is written as " + Self.extensions.joined(separator: " or ")
                                  + "; name the file with one of these extensions")
        }
        if PageSize(parsing: size) == nil {
            throw ValidationError("--size \(size): expected a4, a3 or WxH in millimetres (each 50 to 2000), such as 400x300")
        }
        if !(minArea.isFinite && minArea >= 0) { throw ValidationError("--min-area must be an area in m², 0 or more") }
        if let suggest, suggest < 1 { throw ValidationError("--suggest \(suggest): must be 1 or more sites") }
        if suggest == nil && sites.candidates != nil {
            throw ValidationError("--candidates gives the sites for --suggest K; pass --suggest too")
        }
        if concerns, inputs.districts != nil || inputs.entities != nil {
            throw ValidationError("--concerns draws a dataset's concerns; it does not go with --districts or --entities")
        }
    }

    func run() async throws {
        try inputs.requireWalking(inputs.walk)
        let writer = try inputs.datasetOptions.writer(for: output, inputs: inputs.inputFiles + [sites.candidates].compactMap { $0 })
        let prepared = try inputs.prepare()
        let skipped = prepared.skipped
        let info = prepared.info
        let measured = try await prepared.request.projectedCoverage(minGapArea: minArea, progress: inputs.progressReporter(prepared))
        var suggestion: SuggestReport?
        if let suggest { suggestion = try await sites.request(prepared, count: suggest).suggest() }
        var spec = MapSpec(
            measured, vocabulary: prepared.vocabulary, language: language?.rawValue ?? info?.language ?? "ru",
            page: PageSize(parsing: size) ?? .a4, title: title, date: Self.today(), datasetName: info?.name,
            districtsFile: inputs.districts, entitiesFile: inputs.entities, isCity: info?.isCity ?? false)
        spec.suggestedSites = suggestion?.sites ?? []
        if concerns {
            let state = try inputs.datasetOptions.open().load(concerns: true)
            let shown = ConcernAnalysis.selected(state.concerns, themes: measured.selection.themes, since: nil)
            spec.concernCells = try ConcernAnalysis.cells(districts: state.districts, concerns: shown)
            let drawn = spec.concernCells.filter { $0.concerns >= SmallCount.threshold }
            let smaller = spec.concernCells.count - drawn.count
            Diagnostics.note("concerns: \(drawn.count) cell\(drawn.count == 1 ? "" : "s") of 250 m with 5 or more of one theme drawn; "
                             + "\(smaller) smaller cell\(smaller == 1 ? "" : "s") not drawn")
        }
        let map = try CivicMap(spec)
        let text = format == .html ? map.html() : map.svg()
        try writer.write(text)
        CoverageInputOptions.noteSkipped(skipped)
        CoverageInputOptions.warn(prepared, measured.coverage)
        CoverageInputOptions.warnAwayFromStreets(measured.coverage)
        if let suggestion { sites.report(suggestion, prepared: prepared) }
    }

    /// Today in UTC, or the day of `SOURCE_DATE_EPOCH` when set, so that a build can remake a map byte for byte.
    static func today() -> String {
        var date = Date()
        if let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"].flatMap(Double.init) {
            date = Date(timeIntervalSince1970: epoch)
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year ?? 1970, c.month ?? 1, c.day ?? 1)
    }
}

/// `--language` values.
enum MapLanguage: String, ExpressibleByArgument, CaseIterable {
    case ru, kk, en
}
