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

        EXAMPLES
          civic map --dataset geodata/oskemen -o oskemen.svg
          rsvg-convert -w 1600 oskemen.svg -o oskemen.png
          civic map --dataset oskemen --theme youth --radius 800 --language kk \\
              -o youth.html
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
    }

    func run() async throws {
        try inputs.requireWalking(inputs.walk)
        let writer = try inputs.writer(for: output)
        let prepared = try PreparedRequest(inputs)
        let skipped = prepared.skipped
        let info = prepared.info
        let measured = try await prepared.request.projectedCoverage(minGapArea: minArea, progress: inputs.progressReporter)
        let spec = MapSpec(
            measured, vocabulary: prepared.vocabulary, language: language?.rawValue ?? info?.language ?? "ru",
            page: PageSize(parsing: size) ?? .a4, title: title, date: Self.today(), datasetName: info?.name,
            districtsFile: inputs.districts, entitiesFile: inputs.entities)
        let map = try CivicMap(spec)
        let text = format == .html ? map.html() : map.svg()
        try writer.write(text)
        CoverageInputOptions.noteSkipped(skipped)
        CoverageInputOptions.warn(prepared, measured.coverage)
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
