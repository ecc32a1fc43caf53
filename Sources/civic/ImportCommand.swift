import ArgumentParser
import CivicCore
import CivicImport
import CivicStore
import Foundation

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Bring in a spreadsheet (CSV) or an OpenStreetMap extract.",
        discussion: """
        Every rule of `civic add` applies to each row or element. An import is all \
        or nothing: when any row is refused, nothing is written, every refused row \
        is listed with its line, and the exit code is 1 (--skip-invalid imports the \
        others). Importing the same file again adds nothing: rows update the \
        entities they came from. The summary goes to stderr.
        """,
        subcommands: [ImportCSVCommand.self, ImportOSMCommand.self, ImportConcernsCommand.self]
    )
}

/// The flags both imports share.
struct ImportRunOptions: ParsableArguments {
    @Flag(help: "Import the good rows and list the refused ones, instead of importing nothing.")
    var skipInvalid = false

    @Flag(help: "Show what would be added and updated (a table on stdout); write nothing.")
    var dryRun = false

    @OptionGroup var progressOptions: ProgressOptions

    func options(allowOutside: Bool = false) -> ImportOptions {
        ImportOptions(skipInvalid: skipInvalid, dryRun: dryRun, allowOutside: allowOutside)
    }
}

struct ImportCSVCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "csv",
        abstract: "Import a spreadsheet saved as CSV.",
        discussion: """
        The header row names the columns, in English, Russian or Kazakh, any case: \
        name/название/наименование, kind/тип, latitude/lat/широта, \
        longitude/lon/lng/долгота, themes/темы, address/адрес, \
        description/описание, website/сайт, status/статус, name_ru, name_kk, \
        name_en, and the private phone/телефон, email/e-mail/почта, \
        contact_person/контактное лицо; geometry_wkt (POINT, POLYGON or \
        MULTIPOLYGON, in place of latitude and longitude); source (kept instead \
        of csv:<file>#<line>).
        Other columns are named in a warning and ignored, except in civic's own \
        export (a header with id and geometry_type): there they are the \
        entities' kept properties (addr:street, opening_hours), and \
        allow_outside and allow_duplicate_of keep the rules set aside, so an \
        export imports back whole. Kinds and themes are ids \
        or labels («инициативная группа», «освещение»); several themes in a cell \
        are separated by ; or | (or , when the file is not comma-delimited).

        The delimiter (comma, semicolon or tab) is detected from the header; with \
        ; or tab a decimal comma (49,9512) is read as a point. Files are UTF-8, \
        with or without a BOM; a Russian Excel export in Windows-1251 needs
        --encoding cp1251. Windows-1251 has no Kazakh letters: where Excel wrote '?' \
        for them, each cell is named in a warning (save the sheet as "CSV UTF-8"). \
        Blank lines and empty trailing columns are skipped. The file may be a pipe \
        (<(…), a FIFO, /dev/stdin or '-').

        A row updates the entity with the same name within 100 m, or the one it \
        added before (its source is csv:<file name>#<line>); otherwise it adds \
        one. Empty cells never clear a field.

        EXAMPLES
          civic import csv volunteers.csv --dataset oskemen --encoding cp1251 --dry-run
          civic import csv volunteers.csv --dataset oskemen --encoding cp1251
          civic import csv councils.tsv --delimiter tab --kind community --theme дворы

        DIAGNOSTICS
          civic: error: volunteers.csv:7: latitude '49.9x' is not a number
          civic: error: volunteers.csv: 2 of 40 rows refused; nothing was imported
          civic: imported volunteers.csv: 12 added, 3 updated, 25 unchanged, 0 skipped
        """
    )

    @OptionGroup var datasetOptions: DatasetOptions

    @Argument(help: ArgumentHelp("The CSV file ('-' for stdin).", valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp("The delimiter: ',', ';', 'tab' or another single character (default: detected).",
                               valueName: "char"))
    var delimiter: String?

    @Option(help: ArgumentHelp("utf8 or cp1251 (Windows-1251).", valueName: "name"))
    var encoding: String = "utf8"

    @Option(help: ArgumentHelp("The kind of rows without one (or of every row, without a kind column).", valueName: "kind"))
    var kind: String?

    @Option(name: .customLong("theme"), help: ArgumentHelp("A theme for rows without themes (repeat for several).",
                                                           valueName: "theme"))
    var themes: [String] = []

    @Flag(help: "Keep rows more than 1 km outside every district (each remembers it; validate notes them).")
    var allowOutside = false

    @OptionGroup var runOptions: ImportRunOptions

    var parsedDelimiter: Character? {
        get throws { try Self.parse(delimiter) }
    }

    /// A `--delimiter` value as a character: `tab`, `comma`, `semicolon` or one character.
    static func parse(_ delimiter: String?) throws -> Character? {
        guard let delimiter else { return nil }
        switch delimiter.lowercased() {
        case "tab", "\\t", "\t": return "\t"
        case "comma": return ","
        case "semicolon": return ";"
        default:
            guard delimiter.count == 1, let ch = delimiter.first, ch.isASCII, ch != "\"", !ch.isNewline else {
                throw ValidationError("--delimiter must be one character, such as ',', ';' or 'tab'")
            }
            return ch
        }
    }

    func validate() throws {
        _ = try parsedDelimiter
        if TextEncoding(name: encoding) == nil {
            throw ValidationError("--encoding '\(encoding)' is not known; use utf8 or cp1251")
        }
    }

    func run() throws {
        let options = SpreadsheetOptions(encoding: TextEncoding(name: encoding) ?? .utf8, delimiter: try parsedDelimiter,
                                         defaultKind: kind, defaultThemes: themes)
        let dataset = try datasetOptions.open()
        let batch = try Progress.step("reading \(file)") { try SpreadsheetImport.batch(try readFile(file), path: file, options: options) }
        try ImportReporting.run(batch, into: dataset, options: runOptions.options(allowOutside: allowOutside),
                                path: file, units: "rows")
    }
}

struct ImportConcernsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "concerns",
        abstract: "Import a register of residents' concerns (appeals, survey answers, hotline calls) saved as CSV.",
        discussion: """
        The header row names the columns, in Russian, Kazakh or English, any case: \
        номер (the register's row id), тема, широта and долгота (or район), дата обращения, \
        статус (open/resolved, открыто/решено, ашық/шешілді), дата решения, источник, and the \
        private текст, ФИО, телефон, e-mail (theme, latitude, longitude, district, received, \
        status, resolved, source, text, reporter, phone, email). Themes are ids or labels \
        («освещение»); a district is an id or a name. Dates are 2026-03-05 or 05.03.2026 (day \
        first; a time after the day, 05.03.2026 14:30, is ignored), never after tomorrow. A point must \
        lie inside a district.

        The spreadsheet rules of `civic import csv` apply: the delimiter is detected, a decimal \
        comma is read with ; or tab, Windows-1251 needs --encoding cp1251, blank lines and empty \
        trailing columns are skipped. All or nothing: when any row is refused, every refused row \
        is listed with its line and nothing is written. A row whose номер is already in the \
        dataset updates that concern, so importing the same register again changes nothing.

        EXAMPLES
          civic import concerns appeals.csv --dataset oskemen --encoding cp1251 --dry-run
          civic import concerns appeals.csv --dataset oskemen --encoding cp1251

        DIAGNOSTICS
          civic: error: appeals.csv:7: lat 50.3, lon 82.6 lies outside every district (38211 m away)
          civic: error: appeals.csv: 1 of 40 rows refused; nothing was imported
          civic: imported appeals.csv: 37 added, 2 updated, 1 unchanged
        """
    )

    @OptionGroup var datasetOptions: DatasetOptions

    @Argument(help: ArgumentHelp("The CSV file ('-' for stdin).", valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp("The delimiter: ',', ';', 'tab' or another single character (default: detected).",
                               valueName: "char"))
    var delimiter: String?

    @Option(help: ArgumentHelp("utf8 or cp1251 (Windows-1251).", valueName: "name"))
    var encoding: String = "utf8"

    @Flag(help: "Show what would be added and updated (a table on stdout); write nothing.")
    var dryRun = false

    func validate() throws {
        _ = try ImportCSVCommand.parse(delimiter)
        if TextEncoding(name: encoding) == nil {
            throw ValidationError("--encoding '\(encoding)' is not known; use utf8 or cp1251")
        }
    }

    func run() throws {
        let dataset = try datasetOptions.open()
        let batch = try ConcernImport.batch(try readFile(file), path: file, encoding: TextEncoding(name: encoding) ?? .utf8,
                                            delimiter: try ImportCSVCommand.parse(delimiter))
        for warning in batch.warnings { Diagnostics.warning(warning) }
        let report = try ConcernImport.run(batch, into: dataset, dryRun: dryRun)
        Diagnostics.errors(report.problems.map { ($0.description, $0.hint) })
        if dryRun {
            let rows = report.steps.map { step in
                ["line \(step.line)", step.action, String(step.id), step.theme, step.district ?? ""]
            }
            print(Tabular(header: ["from", "action", "id", "theme", "district"], rows: rows).table(), terminator: "")
        }
        if report.refused {
            let refused = Set(report.problems.map(\.place)).count
            Diagnostics.error("\(file): \(refused) of \(batch.rows.count + batch.problems.count) rows refused; "
                              + (dryRun ? "nothing would be imported" : "nothing was imported"),
                              hint: "fix them and import again")
            throw ExitCode.failure
        }
        Diagnostics.note((dryRun ? "dry run of \(file), nothing written: " : "imported \(file): ") + report.summary)
    }
}

struct ImportOSMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "osm",
        abstract: "Import an OpenStreetMap extract: OSM PBF, OSM XML (.osm, .osm.gz, .osm.bz2) or Overpass JSON.",
        discussion: """
        Reads Overpass API JSON ([out:json]; ways by node reference or with \
        `out geom`), OSM XML as the OSM website's Export and JOSM save it, \
        compressed or not (.osm.gz, .osm.bz2), and OSM PBF (.osm.pbf) as \
        Geofabrik, BBBike and `osmium extract` make it, read block by block. The \
        default mapping takes community, social and youth centres, community \
        halls, libraries, arts centres, theatres, museums, social facilities for \
        the elderly, schools, kindergartens, universities and colleges, clinics \
        and hospitals, parks, squares, pedestrian areas and embankments, \
        playgrounds, sports centres and halls, ice rinks, stadiums and pitches, \
        NGOs and associations (docs/import.md has the table and why); --mapping \
        FILE adds or replaces rules. Everything else is skipped and counted, as \
        are places not open to the public (access=private, or access=no without \
        foot=yes), elements more than 1 km outside every district and those \
        without a name. Unnamed playgrounds and pitches get a generic name in the \
        dataset's language («Детская площадка», «Балалар алаңы», "Playground"); \
        a clean import always leaves a dataset that `civic validate` passes (two \
        OSM objects of one name close together stay two entities, and validate \
        notes them).

        Closed ways and multipolygon relations become polygons. name, name:ru, \
        name:kk and name:en fill the names; addr:*, website, opening_hours and \
        description are kept; phone and e-mail go to the private store. Each \
        entity keeps its source (osm:node/ID, osm:way/ID, osm:relation/ID); \
        importing a newer extract updates those entities in place.

        The walkable ways (footway, path, pedestrian, steps, residential, service, \
        track, cycleway, tertiary … trunk and their _links; not motorways, nor \
        foot=no, nor access=no/private without foot=yes) go to the dataset's \
        street network, network.geojson, for walking coverage: one line per way \
        with its osm:way/ID, highway, name and node ids, updated in place on \
        re-import (a way the file no longer calls walkable is removed). Ways more \
        than 1 km from every district and ways missing some of their nodes are \
        skipped and counted. --no-network leaves the network as it is; the \
        mapping file's "walkable" changes the list (docs/import.md).

        Elements whose nodes or member ways are not in the file (the edges of an \
        export) are skipped with a warning naming them. An element that is all \
        there but is no area (an open way, a multipolygon whose rings do not \
        close) is refused like a bad CSV row.

        EXAMPLES
          civic import osm oskemen.osm --dataset oskemen --dry-run
          civic import osm overpass.json --dataset oskemen --mapping mapping.json
          civic import osm east-kazakhstan.osm.pbf --dataset oskemen
          civic import osm oskemen.osm.bz2 --dataset oskemen --no-network

        An Overpass query for the civic places in a box around Oskemen (south, west, \
        north, east), with positions for ways and relations:
          [out:json][timeout:120][bbox:49.88,82.50,50.02,82.75];
          (nwr[~"^(amenity|leisure|office|healthcare|tourism|place)$"~"."];
           nwr[highway=pedestrian][area=yes];);
          out geom;
        """
    )

    @OptionGroup var datasetOptions: DatasetOptions

    @Argument(help: ArgumentHelp("The extract: .osm.pbf, .osm (XML, also .osm.gz, .osm.bz2) or .json (Overpass); '-' for stdin.",
                                 valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp("A JSON file of tag rules that add to or replace the default mapping.", valueName: "file"))
    var mapping: String?

    @Flag(help: "Leave the street network (network.geojson) as it is: import the places only.")
    var noNetwork = false

    @OptionGroup var runOptions: ImportRunOptions

    func run() throws {
        let dataset = try datasetOptions.open()
        let info = try dataset.load().info
        var rules = OSMMapping.standard
        if let mapping {
            rules = try OSMMapping(json: try JSON.parse(try readFile(mapping), file: mapping), file: mapping,
                                   vocabulary: info.vocabulary)
        }
        let extract = try Progress.step("reading \(file)") { try OSMImport.read(fileAt: file, displayName: file) }
        let batch = OSMImport.batch(extract, path: file, language: info.language, mapping: rules, network: !noNetwork)
        try ImportReporting.run(batch, into: dataset, options: runOptions.options(), path: file, units: "elements")
    }
}

/// Runs an import and tells the user what happened, on stderr; a dry run's table goes to stdout.
enum ImportReporting {
    static func run(_ batch: ImportBatch, into dataset: Dataset, options: ImportOptions, path: String, units: String) throws {
        for warning in batch.warnings { Diagnostics.warning(warning) }
        // The hints belong to the warnings above, which --quiet leaves out with them.
        if !Diagnostics.quiet { for hint in batch.hints { Diagnostics.write("hint: \(hint)") } }
        let progress = Progress.Counter("importing \(path)", total: batch.candidates.count)
        let report = try DatasetImport.run(batch, into: dataset, options: options, progress: progress.show)
        progress.finish()

        let problems = report.problems
        for problem in problems {
            if report.refused {
                Diagnostics.error(problem.description, hint: problem.hint)
            } else {
                Diagnostics.warning("\(problem.description); skipped", hint: problem.hint)
            }
        }
        if options.dryRun {
            print(table(report, words: .of(try dataset.load().info)), terminator: "")
        }
        if report.refused {
            let what = options.dryRun ? "nothing would be imported" : "nothing was imported"
            let refusedPlaces = Set(problems.map(\.place))
            if refusedPlaces.contains("") {
                Diagnostics.error("\(path): \(what)", hint: "fix the file, or pass --skip-invalid to import what can be")
            } else {
                let considered = batch.candidates.count + batch.problems.count
                Diagnostics.error("\(path): \(refusedPlaces.count) of \(considered) \(units) refused; \(what)",
                                  hint: "fix them and import again, or pass --skip-invalid to import the rest")
            }
            throw ExitCode.failure
        }
        var summary = report.summary
        if let network = report.network, !network.isEmpty { summary += "; " + network.summary }
        if options.dryRun {
            Diagnostics.note("dry run of \(path), nothing written: \(summary)")
        } else {
            Diagnostics.note("imported \(path): \(summary)")
        }
    }

    /// What a dry run would do, row by row.
    static func table(_ report: ImportReport, words: TableWords) -> String {
        let rows = report.steps.map { step -> [String] in
            let action = step.action == .update ? "update" : step.action.rawValue
            return [step.place, action, step.id.map(String.init) ?? "", step.name, step.detail.joined(separator: ", ")]
        }
        return Tabular(header: [words.place, words.action, words.id, words.name, words.details], rows: rows).table()
    }
}
