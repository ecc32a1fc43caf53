import ArgumentParser
import CivicCore
import CivicStore

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "The dataset's journal of changes, newest first.",
        discussion: """
        EXAMPLES
          civic log --limit 20
          civic log --id 12 --format json
          civic log --format json -o history-copy.jsonl

        DIAGNOSTICS
          Exit 1 when a journal line is broken (its line and column are named), or
          when -o names a file inside the dataset folder.
        """
    )

    @OptionGroup var datasetOptions: DatasetOptions

    // `.unconditional`: `--limit -1` is refused as a limit and `--id -1` finds nothing, instead of
    // both failing as a missing value.
    @Option(parsing: .unconditional, help: "Show at most this many entries.")
    var limit: Int?

    @Option(parsing: .unconditional, help: "Only the entries of this entity.")
    var id: Int?

    /// `--format table` or `json` (one JSON object per line), and `-o`.
    @OptionGroup var output: OutputOptions<LogFormats>

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit \(limit): must be 0 or more") }
        _ = try output.resolvedFormat(default: .table, allowed: [.table, .json])
    }

    func run() throws {
        let format = try output.resolvedFormat(default: .table, allowed: [.table, .json])
        let writer = try datasetOptions.writer(for: output.output)
        var entries = try datasetOptions.open().journal().reversed().filter { id == nil || $0.id == id }
        if let limit { entries = Array(entries.prefix(limit)) }
        if format == .json {
            try output.emit(entries.map { JSON.serialize($0.json, pretty: false) + "\n" }.joined(), through: writer)
            return
        }
        let rows = entries.map { entry -> [String] in
            [entry.time, entry.action, entry.id.map(String.init) ?? "", entry.name ?? "",
             entry.action == "edit" ? entry.changes.keys.joined(separator: ", ") : ""]
        }
        let table = Tabular(header: ["time", "action", "id", "name", "changed"], rows: rows, alignments: [.left, .left, .right])
        try output.emit(table.table(), through: writer)
    }
}
