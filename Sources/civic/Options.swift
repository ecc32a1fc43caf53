import ArgumentParser
import CivicCore
import CivicStore
import Foundation

/// `--dataset DIR`, defaulting to `CIVIC_DATASET`.
struct DatasetOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The dataset folder (default: $CIVIC_DATASET).", valueName: "dir"))
    var dataset: String?

    var path: String {
        get throws {
            if let dataset, !dataset.isEmpty { return dataset }
            if let env = ProcessInfo.processInfo.environment["CIVIC_DATASET"], !env.isEmpty { return env }
            throw ValidationError("no dataset: pass --dataset DIR or set CIVIC_DATASET")
        }
    }

    func open() throws -> Dataset { try Dataset(path: path) }
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
}

/// `-o FILE` and `--format`, with the format from the file's extension when it decides.
struct OutputOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file ('-' for stdout).", valueName: "file"))
    var output: String?

    @Option(name: .long, help: "table, json, csv or geojson (default: from the -o extension, else table).")
    var format: OutputFormat?

    func resolvedFormat(default fallback: OutputFormat, allowed: [OutputFormat]) throws -> OutputFormat {
        let chosen = format ?? output.flatMap { $0 == "-" ? nil : OutputFormat.implied(by: $0) } ?? fallback
        guard allowed.contains(chosen) else {
            throw ValidationError("--format \(chosen.rawValue) is not offered here; use one of: "
                                  + allowed.map(\.rawValue).joined(separator: ", "))
        }
        return chosen
    }

    /// Writes `text` to the file (atomically) or to stdout.
    ///
    /// A `.csv` file starts with a UTF-8 byte-order mark: without it Excel takes the file for the
    /// system's code page and garbles Cyrillic; LibreOffice, QGIS and `civic import csv` skip it.
    func emit(_ text: String, refusing inputs: [String] = []) throws {
        guard let output, output != "-" else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        let target = URL(fileURLWithPath: output).standardizedFileURL.path
        for input in inputs where URL(fileURLWithPath: input).standardizedFileURL.path == target {
            throw CivicError.refused(reason: "-o \(output) would overwrite an input file",
                                     hint: "write to another file")
        }
        do {
            let mark = (output as NSString).pathExtension.lowercased() == "csv" ? "\u{FEFF}" : ""
            try Data((mark + text).utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            throw CivicError.io(path: output, reason: "cannot write: \(error.localizedDescription)")
        }
    }
}

/// Reads a file whole, pipes and `-` (stdin) included, with an error that names it and says why.
func readFile(_ path: String) throws -> [UInt8] {
    try InputFile.bytes(atPath: path)
}

/// `LAT,LON` as the user types it, e.g. `--near 49.95,82.61`.
struct LatLon: ExpressibleByArgument {
    var lat: Double
    var lon: Double

    init?(argument: String) {
        let parts = argument.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let lat = Double(parts[0]), let lon = Double(parts[1]),
              (-90...90).contains(lat), (-180...180).contains(lon) else { return nil }
        self.lat = lat
        self.lon = lon
    }
}

/// Vocabulary ids for `--kind` or `--theme` values as typed (ids or labels in any language), refused
/// with the allowed ids. `alsoAllowed` admits values that loose files use outside the vocabulary.
func vocabularyIDs(_ texts: [String], option: String, terms: [Term], lookup: (String) -> String?,
                   alsoAllowed: [String] = []) throws -> [String] {
    try texts.map { text in
        if let id = lookup(text) { return id }
        if alsoAllowed.contains(text) { return text }
        throw ValidationError("\(option) \(text): unknown; allowed: " + terms.map(\.id).joined(separator: ", "))
    }
}
