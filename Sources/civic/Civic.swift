import ArgumentParser
import CivicStore
import Foundation

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
            ImportCommand.self, CoverageCommand.self, GapsCommand.self, SuggestCommand.self, MapCommand.self, ConcernsCommand.self,
        ]
    )

    /// Parses and runs; every failure is reported by ``Diagnostics``, which decides the exit code
    /// (DESIGN §4) instead of ArgumentParser's own wording.
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        // No command at all is a usage error, as for git: a script that calls `civic $step` with an
        // empty variable must fail, not pass silently. The overview goes to stderr (stdout is data only);
        // `civic --help` and `civic help` still print it to stdout with exit 0.
        if arguments.isEmpty {
            Diagnostics.write(helpMessage())
            Diagnostics.error("no command given", hint: "civic <command> …; 'civic help <command>' says more")
            Foundation.exit(Diagnostics.Status.usage.rawValue)
        }
        if arguments.first == "help", let unknown = unknownHelpTopic(Array(arguments.dropFirst())) {
            Diagnostics.error("help: unknown command '\(unknown.topic)'",
                              hint: "the commands are: \(unknown.known.joined(separator: ", "))")
            Foundation.exit(Diagnostics.Status.usage.rawValue)
        }
        // Before any dataset is opened (the store reads this without a lock).
        DatasetLock.whenBusy = { _ = announceWaiting }
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

    /// Says that the dataset is locked by another command, once per process however many times
    /// this one waits (a read, then the write): a static `let` is initialized exactly once, also
    /// when two threads reach it together.
    static let announceWaiting: Void = Diagnostics.note("waiting for another civic command to finish…")

    /// The first word of `civic help <topic…>` that names no command, with the commands it could
    /// have named; nil when the path names a command (or there is none). ArgumentParser would
    /// print the overview and exit 0 for a typo, which hides the typo from the user.
    static func unknownHelpTopic(_ topic: [String]) -> (topic: String, known: [String])? {
        var commands = configuration.subcommands
        for word in topic where !word.hasPrefix("-") {
            let names = commands.map { $0._commandName }
            guard let match = commands.first(where: { $0._commandName == word }) else {
                return (word, names)
            }
            commands = match.configuration.subcommands
            if commands.isEmpty { return nil }
        }
        return nil
    }
}
