import ArgumentParser
import CivicAnalysis
import CivicCore
import Foundation

struct GapsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gaps",
        abstract: "The parts of each district out of reach of every selected entity, as polygons.",
        discussion: """
        Each district minus the union of the reaches (see `civic coverage --help`), one feature per \
        connected uncovered part, largest first, with district_id, district_name and area_m2. The \
        default output is GeoJSON (RFC 7946: WGS84, outer rings counter-clockwise, holes clockwise); \
        table and csv list the gaps with a point inside each. Each gap is measured in its district's \
        UTM zone, as `civic coverage` measures the district. Parts smaller than --min-area square \
        metres are left out; with --min-area 0 the gaps of a district add up to its area minus its \
        covered area.

        EXAMPLES
          civic gaps --dataset geodata/oskemen -o gaps.geojson
          civic gaps --kind venue --radius 1000 --min-area 50000 --format table
          civic gaps --districts d.geojson --entities e.geojson -o -

        DIAGNOSTICS
        As for `civic coverage`: a bad input file is one line naming the file and the feature, \
        exit code 1; --skip-invalid leaves out entities with an unusable geometry.
        """
    )

    @OptionGroup var inputs: CoverageInputOptions
    @OptionGroup var output: OutputOptions<GapsFormats>

    @Option(parsing: .unconditional, help: ArgumentHelp("Leave out gaps smaller than this, in m².", valueName: "m2"))
    var minArea: Double = 10_000

    func validate() throws {
        if !(minArea.isFinite && minArea >= 0) { throw ValidationError("--min-area must be an area in m², 0 or more") }
    }

    func run() async throws {
        try inputs.requireWalking(inputs.walk)
        let format = try output.resolvedFormat(default: .geojson, allowed: [.geojson, .table, .csv])
        let writer = try inputs.writer(for: output.output)
        let prepared = try inputs.prepare()
        let skipped = prepared.skipped
        var report = try await prepared.request.gaps(minArea: minArea, progress: inputs.progressReporter(prepared))
        report.skippedEntities = skipped
        let text: String
        switch format {
        case .table: text = try report.table(words: .of(prepared.info)).table()
        case .csv: text = try report.csv().csv(output.csvDialect(language: prepared.info?.language))
        default: text = GeoJSONWriter.featureCollection(try report.features(), onePerLine: true)
        }
        try output.emit(text, through: writer)
        CoverageInputOptions.noteSkipped(skipped)
        if let walk = report.walk { CoverageInputOptions.warnAwayFromStreets(walk.entitiesAwayFromStreets, offStreet: walk.offStreet) }
        if report.dropped > 0 && format == .table {
            Diagnostics.note("\(report.gaps.count) gaps of \(JSONNumber.format(minArea)) m² or more; \(report.dropped) smaller left out")
        }
    }
}
