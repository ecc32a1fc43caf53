import ArgumentParser
import CivicCore
import Foundation
import GeoEngine
import GeoValues

@main
struct Civic: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "civic",
        abstract: "Map a city's communities, initiative groups and public venues, and find where districts lack them.",
        discussion: """
        A dataset is a folder (see `civic init`); name it with --dataset DIR or the CIVIC_DATASET \
        environment variable. Data goes to stdout, messages to stderr.

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

    /// Parses, runs, and reports every failure as `civic: error: …` with the exit codes of DESIGN §4,
    /// instead of ArgumentParser's own wording.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            exit(reporting: error)
        }
    }

    static func exit(reporting error: Error) -> Never {
        switch error {
        case let error as CivicError:
            Diagnostics.error(error.description, hint: error.hint)
            Foundation.exit(1)
        case let error as GeoEngineError:
            Diagnostics.error(error.description)
            Foundation.exit(1)
        case let code as ExitCode:
            Foundation.exit(code.rawValue)
        default:
            let code = exitCode(for: error)
            if code == .success {
                // Help and version go to stdout, as users pipe them into `less`.
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            let message = message(for: error).trimmingCharacters(in: .whitespacesAndNewlines)
            let firstLine = message.split(separator: "\n").first.map(String.init) ?? message
            Diagnostics.error(firstLine.hasPrefix("Error: ") ? String(firstLine.dropFirst(7)) : firstLine,
                              hint: "see 'civic help' or 'civic <command> --help'")
            Foundation.exit(code.rawValue == 0 ? 64 : (code == .validationFailure ? 64 : code.rawValue))
        }
    }
}

/// Messages for people, on stderr, one line each.
enum Diagnostics {
    static func error(_ message: String, hint: String? = nil) {
        write("civic: error: \(message)")
        if let hint { write("hint: \(hint)") }
    }

    static func warning(_ message: String) { write("civic: warning: \(message)") }

    static func note(_ message: String) { write("civic: \(message)") }

    static func write(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Whether stderr is a terminal: progress is shown there only.
    static var isTerminal: Bool { isatty(2) != 0 }
}
