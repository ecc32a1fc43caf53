import ArgumentParser
import CivicCore
import CivicStore
import Foundation
import GeoValues

/// `--dataset DIR`, defaulting to `CIVIC_DATASET`: declared here once and used by every command
/// through `@OptionGroup`.
struct DatasetOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The dataset folder (default: $CIVIC_DATASET).", valueName: "dir"))
    var dataset: String?

    /// The dataset folder the user named: `--dataset`, else `CIVIC_DATASET`, else nil.
    ///
    /// This is also the folder that `-o` must stay out of, even when a command reads loose files
    /// instead: it is the user's dataset all the same.
    var folder: String? {
        if let dataset, !dataset.isEmpty { return dataset }
        if let variable = ProcessInfo.processInfo.environment["CIVIC_DATASET"], !variable.isEmpty { return variable }
        return nil
    }

    /// The dataset folder, or a usage error saying how to name one.
    var path: String {
        get throws {
            guard let folder else { throw ValidationError("no dataset: pass --dataset DIR or set CIVIC_DATASET") }
            return folder
        }
    }

    func open() throws -> Dataset { try Dataset(path: path) }

    /// Where `-o` writes, checked against this dataset (and `inputs`) before any work is done.
    func writer(for output: String?, inputs: [String] = []) throws -> OutputWriter {
        try OutputWriter(path: output, dataset: folder, inputs: inputs)
    }
}

/// The output formats; not every command offers all of them.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv, geojson

    /// The format a file name implies, if its extension decides it.
    static func implied(by path: String) -> OutputFormat? {
        switch (path as NSString).pathExtension.lowercased() {
        case "json": .json
        case "csv": .csv
        case "geojson": .geojson
        case "txt": .table
        default: nil
        }
    }

    /// What a file name's extension says civic cannot write: the format's name and how to get it.
    /// Writing GeoJSON text into `x.shp` would give a file that no GIS opens under that name.
    static func foreign(_ path: String) -> (name: String, hint: String)? {
        let ext = (path as NSString).pathExtension.lowercased()
        let base = (path as NSString).deletingPathExtension
        let viaOGR = { (driver: String) in
            "civic writes GeoJSON, CSV and GeoPackage: write \(base).gpkg and convert it, e.g. "
                + "ogr2ogr -f \"\(driver)\" \(base).\(ext) \(base).gpkg"
        }
        return switch ext {
        // A Shapefile holds one layer, in ISO-8859-1 unless told otherwise: name the layer, keep UTF-8.
        case "shp", "shx", "dbf":
            ("an ESRI Shapefile", "civic writes GeoJSON, CSV and GeoPackage: write \(base).gpkg and convert a layer, e.g. "
                + "ogr2ogr -f \"ESRI Shapefile\" -lco ENCODING=UTF-8 \(base).shp \(base).gpkg entities_points "
                + "(ogrinfo \(base).gpkg lists the layers)")
        case "kml": ("KML", viaOGR("KML"))
        case "kmz": ("KMZ", viaOGR("LIBKML"))
        case "gml": ("GML", viaOGR("GML"))
        case "gpx": ("GPX", viaOGR("GPX"))
        case "fgb": ("FlatGeobuf", viaOGR("FlatGeobuf"))
        case "sqlite", "db": ("SQLite/SpatiaLite", viaOGR("SQLite"))
        case "tab", "mif": ("MapInfo", viaOGR("MapInfo File"))
        case "dxf": ("DXF", viaOGR("DXF"))
        case "parquet": ("GeoParquet", viaOGR("Parquet"))
        case "xlsx", "xls", "ods": ("a spreadsheet workbook", "write \(base).csv: Excel and LibreOffice open it")
        case "zip": ("a zip archive", "write \(base).gpkg: one file that holds every layer")
        default: nil
        }
    }
}

extension CSVDialect: ExpressibleByArgument {}

/// The formats one command writes and the one it writes when neither `--format` nor the `-o`
/// extension decides: `--help` is made from these, so that it promises only what works.
protocol FormatOffer {
    /// The formats `--format` takes here, in the order the help lists them.
    static var formats: [OutputFormat] { get }
    /// What `--help` says of the default, e.g. "(default: from the -o extension, else table)".
    static var defaultText: String { get }
}

extension FormatOffer {
    /// The option's help; ArgumentParser appends the list of ``formats`` ("values: …").
    static var help: String { "The output format \(defaultText)." }
}

/// `coverage` and `list`: every text format, a table unless told otherwise.
enum TableFirstFormats: FormatOffer {
    static let formats: [OutputFormat] = [.table, .json, .csv, .geojson]
    static let defaultText = "(default: from the -o extension, else table)"
}

/// `gaps`: polygons first; a table or CSV lists them.
enum GapsFormats: FormatOffer {
    static let formats: [OutputFormat] = [.geojson, .table, .csv]
    static let defaultText = "(default: from the -o extension, else geojson)"
}

/// `log`: a table for people, or one JSON object per line.
enum LogFormats: FormatOffer {
    static let formats: [OutputFormat] = [.table, .json]
    static let defaultText = "(json: one object per line; default: from the -o extension, else table)"
}

/// `export`: GeoJSON or CSV for one layer; `all` is a GeoPackage, named by `-o FILE.gpkg`.
enum ExportFormats: FormatOffer {
    static let formats: [OutputFormat] = [.geojson, .csv]
    static let defaultText = "(default: from the -o extension, else geojson; `all` writes a GeoPackage, -o FILE.gpkg)"
}

/// `show`: one entity for people, or as JSON or GeoJSON.
enum ShowFormats: FormatOffer {
    static let formats: [OutputFormat] = [.table, .json, .geojson]
    static let defaultText = "(default: table, for people)"
}

/// A `--format` value as one command offers it: it parses every ``OutputFormat`` (the command
/// refuses the ones it does not write, with the list), but its help and completions list only
/// `Offer`'s, where ArgumentParser would list every case of ``OutputFormat``.
struct OfferedFormat<Offer: FormatOffer>: ExpressibleByArgument, Equatable {
    let value: OutputFormat

    init(_ value: OutputFormat) { self.value = value }

    init?(argument: String) {
        guard let value = OutputFormat(argument: argument) else { return nil }
        self.value = value
    }

    static var allValueStrings: [String] { Offer.formats.map(\.rawValue) }
    var defaultValueDescription: String { value.rawValue }
}

/// `-o FILE` and `--format`, with the format from the file's extension when it decides.
/// `Offer` names the formats of the command, for its help text.
struct OutputOptions<Offer: FormatOffer>: ParsableArguments {
    @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file ('-' for stdout).", valueName: "file"))
    var output: String?

    @Option(name: .customLong("format"), help: ArgumentHelp(Offer.help, valueName: "format"))
    var offeredFormat: OfferedFormat<Offer>?

    /// `--format` as given, nil when not given.
    var format: OutputFormat? { offeredFormat?.value }

    @Option(name: .long, help: ArgumentHelp(
        "CSV for a spreadsheet: excel (';', decimal comma, byte-order mark: Russian and Kazakh Excel and LibreOffice) "
            + "or rfc4180 (',', decimal point). Default: excel for a ru or kk dataset, else rfc4180.",
        valueName: "dialect"))
    var csv: CSVDialect?

    /// The CSV dialect to write: `--csv`, else the one the dataset's language implies (none for loose files).
    func csvDialect(language: String?) -> CSVDialect {
        csv ?? CSVDialect.implied(byLanguage: language)
    }

    /// What a command writes: text in a format, or a GeoPackage (a binary SQLite file, chosen by a
    /// `.gpkg` name; `--format` has no value for it because it only ever goes to a named file).
    enum Resolved: Equatable {
        case text(OutputFormat)
        case geoPackage
    }

    /// The format to write: `--format`, else the `-o` extension, else `fallback`.
    ///
    /// Refused as usage errors (exit 64, with a hint): an extension of a format civic cannot write
    /// (`.shp`, `.kml`, …), a `--format` that contradicts the extension (`-o x.csv --format geojson`),
    /// a format this command does not offer, and `.gpkg` for a command that writes no GeoPackage.
    func resolvedFormat(default fallback: OutputFormat, allowed: [OutputFormat]) throws -> OutputFormat {
        guard case .text(let format) = try resolved(default: .text(fallback), allowed: allowed, geoPackage: false) else {
            throw ExitCode(Diagnostics.Status.usage.rawValue)  // unreachable: geoPackage is false
        }
        return format
    }

    /// As ``resolvedFormat(default:allowed:)``, for a command that can also write a GeoPackage.
    func resolved(default fallback: Resolved, allowed: [OutputFormat], geoPackage: Bool) throws -> Resolved {
        let chosen = try resolvedIgnoringDialect(default: fallback, allowed: allowed, geoPackage: geoPackage)
        if let csv, chosen != .text(.csv) {
            throw Self.usage("--csv \(csv.rawValue) applies to CSV output only",
                             hint: allowed.contains(.csv) ? "add --format csv, or -o FILE.csv" : "leave out --csv")
        }
        return chosen
    }

    private func resolvedIgnoringDialect(default fallback: Resolved, allowed: [OutputFormat], geoPackage: Bool) throws -> Resolved {
        let file = output.flatMap { $0 == "-" ? nil : $0 }
        let ext = file.map { ($0 as NSString).pathExtension.lowercased() } ?? ""
        if let file, let foreign = OutputFormat.foreign(file) {
            throw Self.usage("-o \(file): civic cannot write \(foreign.name)", hint: foreign.hint)
        }
        let offered = allowed.map(\.rawValue) + (geoPackage ? ["a GeoPackage (-o FILE.gpkg)"] : [])
        if ext == "gpkg" {
            guard let file, geoPackage else {
                throw Self.usage("-o \(file ?? ""): this command does not write a GeoPackage; it writes \(offered.joined(separator: ", "))",
                                 hint: "civic export all -o city.gpkg writes every layer in a GeoPackage")
            }
            if let format {
                throw Self.usage("-o \(file) is a GeoPackage but --format is \(format.rawValue)",
                                 hint: "leave out --format, or give the file the extension of its format")
            }
            return .geoPackage
        }
        if fallback == .geoPackage && allowed.isEmpty {
            guard let file else {
                throw Self.usage("a GeoPackage is a database file, not a stream: name it with -o", hint: "-o city.gpkg")
            }
            throw Self.usage("-o \(file): this writes a GeoPackage; name the file .gpkg", hint: "-o city.gpkg")
        }
        let implied = file.flatMap(OutputFormat.implied(by:))
        if let file, let format, let implied, implied != format, implied != .table, !(implied == .json && format == .geojson) {
            throw Self.usage("-o \(file) is a .\(ext) file but --format is \(format.rawValue)",
                             hint: "give the file the extension of its format, or leave out --format")
        }
        guard let chosen = format ?? implied else { return fallback }
        guard allowed.contains(chosen) else {
            let list = offered.joined(separator: ", ")
            if format == nil, let file {
                throw Self.usage("-o \(file): this command does not write \(chosen.rawValue); it writes \(list)", hint: nil)
            }
            throw ValidationError("--format \(chosen.rawValue) is not offered here; use one of: \(list)")
        }
        return .text(chosen)
    }

    /// A usage error with its own hint: said here, then exit 64 without ArgumentParser's generic hint.
    private static func usage(_ message: String, hint: String?) -> ExitCode {
        Diagnostics.error(message, hint: hint)
        return ExitCode(Diagnostics.Status.usage.rawValue)
    }

    /// Writes `text` through `writer` (made from ``output`` by ``DatasetOptions/writer(for:inputs:)``).
    ///
    /// A `.csv` file starts with a UTF-8 byte-order mark: without it Excel takes the file for the
    /// system's code page and garbles Cyrillic; LibreOffice, QGIS and `civic import csv` skip it.
    /// (The `excel` dialect carries its own mark, on stdout too: it is meant for a spreadsheet.)
    func emit(_ text: String, through writer: OutputWriter) throws {
        let isCSVFile = !writer.isStandardOutput && output.map { ($0 as NSString).pathExtension.lowercased() } == "csv"
        try writer.write((isCSVFile && !text.hasPrefix("\u{FEFF}") ? "\u{FEFF}" : "") + text)
    }
}

/// The entity id that `show`, `edit` and `remove` take, `-1` included.
///
/// ArgumentParser reads `-1` as an option, never as a positional value, so `civic show -1` would
/// fail as "missing argument". The id is therefore taken from what the options leave over
/// (`.allUnrecognized`), and everything else left over is refused here as ArgumentParser would.
struct EntityIDArgument: ParsableArguments {
    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("The entity's id.", valueName: "id"))
    var words: [String] = []

    /// The id; ``validate()`` has made sure there is exactly one integer.
    var id: Int { words.first.flatMap { Int($0) } ?? 0 }

    func validate() throws {
        if let unknown = words.first(where: { $0.count > 1 && $0.hasPrefix("-") && Double($0) == nil }) {
            throw ValidationError("Unknown option '\(unknown)'")
        }
        guard let first = words.first else { throw ValidationError("Missing expected argument '<id>'") }
        if words.count > 1 { throw ValidationError("Unexpected argument '\(words[1])'") }
        if Int(first) == nil {
            throw ValidationError("The value '\(first)' is invalid for '<id>': an entity's id is a whole number")
        }
    }
}

/// `--radius` as every command checks it: a finite number of metres, positive for a dataset's
/// default (`init`), 0 or more for an analysis (0 measures polygon entities' own ground).
func checkRadius(_ radius: Double?, allowZero: Bool = false) throws {
    guard let radius else { return }
    if !(radius.isFinite && (radius > 0 || (allowZero && radius == 0))) {
        throw ValidationError("--radius \(JSONNumber.typed(radius)): must be "
                              + (allowZero ? "0 or more metres" : "a positive number of metres"))
    }
}

/// Reads a file whole, pipes and `-` (stdin) included, with an error that names it and says why.
func readFile(_ path: String) throws -> [UInt8] {
    try InputFile.bytes(atPath: path)
}

/// `LAT,LON` as the user types it, e.g. `--near 49.95,82.61` (or `-33.87,151.21`).
///
/// Any two finite numbers parse; ``check(option:)`` then refuses a latitude beyond ±90 saying
/// whether the two look swapped, which ArgumentParser's "invalid value" could not.
struct LatLon: ExpressibleByArgument {
    var lat: Double
    var lon: Double
    /// As typed, for messages.
    var text: String

    init?(argument: String) {
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let lat = Double(parts[0]), let lon = Double(parts[1]),
              lat.isFinite, lon.isFinite else { return nil }
        self.lat = lat
        self.lon = lon
        text = argument
    }

    /// The point as GeoJSON orders it.
    var position: Position { Position(lon: lon, lat: lat) }

    /// The same two numbers the other way round, as the user would type them.
    var swappedText: String { "\(JSONNumber.format(lon)),\(JSONNumber.format(lat))" }

    /// Refuses a latitude or longitude out of range, saying when the two look swapped.
    func check(option: String) throws {
        guard !((-90...90).contains(lat) && (-180...180).contains(lon)) else { return }
        let what = (-90...90).contains(lat) ? "longitude \(JSONNumber.format(lon)) is outside -180…180"
            : "latitude \(JSONNumber.format(lat)) is outside -90…90"
        if (-90...90).contains(lon) && (-180...180).contains(lat) {
            throw UsageError("\(option) \(text): \(what); latitude and longitude look swapped",
                             hint: "\(option) takes latitude first: try \(option) \(swappedText)")
        }
        throw UsageError("\(option) \(text): \(what)", hint: "\(option) takes latitude,longitude in degrees, e.g. 49.948,82.628")
    }
}

/// A wrong value for an option, with a hint of its own (exit 64, a usage error): a `--district`
/// that names two districts, a `--near` point with latitude and longitude swapped.
struct UsageError: Error, CustomStringConvertible {
    /// `--district центр: 2 districts have this name: …`.
    var message: String
    var hint: String?

    init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }

    var description: String { message }
}

/// The district a `--district` value names (an id, or a name in any of its languages, any case),
/// or a usage error that lists the candidates as `id (name)`.
func findDistrict(_ text: String, in districts: [District], option: String = "--district") throws -> District {
    switch DistrictLookup.find(text, in: districts) {
    case .found(let district):
        return district
    case .ambiguous(let candidates):
        throw UsageError("\(option) \(text): \(candidates.count) districts have this name: "
                         + candidates.map(DistrictLookup.label).joined(separator: ", "),
                         hint: "give the id of the one you mean, e.g. \(option) \(candidates[0].id)")
    case .unknown:
        let shown = 30
        var listed = districts.prefix(shown).map(DistrictLookup.label).joined(separator: ", ")
        if districts.count > shown {
            listed += ", … (\(districts.count - shown) more: civic export districts --format csv lists them all)"
        }
        throw UsageError("\(option) \(text): no district has this id or name; the districts are: "
                         + (districts.isEmpty ? "none" : listed),
                         hint: "an id, or a name in any language the districts file gives (any case)")
    }
}

/// `--name-field`, `--id-field`, `--population-field`: which properties of a districts file hold
/// each district's name, id and residents, for `init` and the loose-file options of `coverage`,
/// `gaps` and `map`. By default civic finds them (DistrictSource).
struct DistrictFieldOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The districts file's property holding district names (default: found on its own, e.g. NAME, shapeName).",
                               valueName: "property"))
    var nameField: String?

    @Option(help: ArgumentHelp("The districts file's property holding district ids (default: the feature id, else 'id', else d1, d2, …).",
                               valueName: "property"))
    var idField: String?

    @Option(help: ArgumentHelp("The districts file's property holding each district's residents (default: 'population' in any case).",
                               valueName: "property"))
    var populationField: String?

    /// The options given, by flag, for messages.
    var given: [(flag: String, value: String)] {
        [("--name-field", nameField), ("--id-field", idField), ("--population-field", populationField)]
            .compactMap { flag, value in value.map { (flag, $0) } }
    }

    func validate() throws {
        for (flag, value) in given where value.isEmpty { throw ValidationError("\(flag) must name a property") }
    }

    var fields: DistrictFields { DistrictFields(name: nameField, id: idField, population: populationField) }
}
