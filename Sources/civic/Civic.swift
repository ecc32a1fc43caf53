import ArgumentParser

@main
struct Civic: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "civic",
        abstract: "Map a city's communities, initiative groups and public venues, and find where districts lack them.",
        discussion: """
        A dataset is a folder (see `civic init`); name it with --dataset DIR or the CIVIC_DATASET \
        environment variable. Data goes to stdout, messages to stderr. -o FILE writes a file, never \
        one inside the dataset folder.

        EXIT CODES
          0   done
          1   the data was refused or failed (bad file, invalid entity, problems)
          64  a usage error (a wrong flag or value)
        """,
        version: "0.1.0",
        subcommands: [
            InitCommand.self, AddCommand.self, EditCommand.self, RemoveCommand.self, ShowCommand.self,
            ListCommand.self, LogCommand.self, ValidateCommand.self, ExportCommand.self,
            ImportCommand.self, CoverageCommand.self, GapsCommand.self, MapCommand.self,
        ]
    )

    /// Parses and runs; every failure is reported by ``Diagnostics``, which decides the exit code
    /// (DESIGN §4) instead of ArgumentParser's own wording.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            Diagnostics.exit(reporting: error)
        }
    }
}
