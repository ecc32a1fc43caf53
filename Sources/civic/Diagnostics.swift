import ArgumentParser
import CivicAnalysis
import CivicCore
import Foundation
import GeoEngine

/// The one place that speaks to people and decides the exit code (DESIGN §4).
///
/// Every message goes to stderr, one line each, in one format:
///
/// ```
/// civic: error: <where>: <what>
/// hint: <what to do>                 (when one helps)
/// civic: warning: <where>: <what>
/// civic: note: <where>: <what>       (information: a choice kept on purpose, a hole between districts)
/// civic: <what was done>             (a summary, such as "imported x.csv: 3 added, …")
/// ```
///
/// `<where>` is the file and place (`entities.geojson:7: features[5] (id 6): geometry`), or the
/// option or path at fault; ``CivicError/description`` already reads that way.
/// Exit codes: 0 done, 1 the data was refused or failed, 64 a usage error.
enum Diagnostics {
    /// The exit codes of DESIGN §4.
    enum Status: Int32 {
        case done = 0
        case refused = 1
        case usage = 64
    }

    /// `civic: error: …`, then the hint.
    static func error(_ message: String, hint: String? = nil) {
        write("civic: error: \(message)")
        if let hint { write("hint: \(hint)") }
    }

    /// The problems of one listing (an import's refused rows), each hint written only the first
    /// time it comes: a register's 1,600 rows with one unknown theme need the allowed themes once,
    /// under the first of them, not 1,600 times between the lines that name the rows.
    static func errors(_ problems: [(message: String, hint: String?)]) {
        var said = Set<String>()
        for problem in problems {
            error(problem.message, hint: problem.hint.flatMap { said.insert($0).inserted ? $0 : nil })
        }
    }

    /// A refused file, feature, row or change: its place and reason, then its hint.
    static func error(_ error: CivicError) { self.error(error.description, hint: error.hint) }

    /// `--quiet`: only errors and their hints are written. Set once by ``ProgressOptions`` before
    /// the command runs, read afterwards; hence unsynchronised.
    nonisolated(unsafe) static var quiet = false
    /// Whether progress lines are written (``ProgressOptions``): on a terminal, or when forced.
    nonisolated(unsafe) static var showsProgress = false
    /// Whether the last thing written was a progress line still on the screen.
    nonisolated(unsafe) private static var progressOnScreen = false

    /// `civic: warning: …`, then the hint; nothing under `--quiet`.
    static func warning(_ message: String, hint: String? = nil) {
        if quiet { return }
        write("civic: warning: \(message)")
        if let hint { write("hint: \(hint)") }
    }

    /// A problem that did not stop the command: its place and reason, then what civic did about it
    /// (`…; skipped`), then its hint.
    static func warning(_ error: CivicError, then consequence: String) {
        warning("\(error.description); \(consequence)", hint: error.hint)
    }

    /// Information that is no problem and changes no exit code: `civic: note: <where>: <what>`.
    static func information(_ message: String) { if !quiet { write("civic: note: \(message)") } }

    /// What was done, for people: `civic: created oskemen with 14 districts`.
    static func note(_ message: String) { if !quiet { write("civic: \(message)") } }

    /// One line on stderr, as it is; a progress line on the screen is cleared first, so that the
    /// message starts a line of its own.
    static func write(_ line: String) {
        writeToStandardError((progressOnScreen ? "\r\u{1B}[K" : "") + line + "\n")
        progressOnScreen = false
    }

    /// Bytes to stderr with write(2). A message that cannot be written (stderr closed, a full disk,
    /// `ulimit -f`) is lost, not fatal: FileHandle's write would trap and print a stack trace.
    private static func writeToStandardError(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Foundation.write(2, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            bytes = bytes.dropFirst(written)
        }
    }

    /// Whether stderr is a terminal: progress is shown there only.
    static var isTerminal: Bool { isatty(2) != 0 }

    /// `civic: <text>` rewritten in place on a terminal; nil clears the line when the work is done.
    static func progress(_ text: String?) {
        progressOnScreen = text != nil
        let line = text.map { "\rcivic: \($0)\u{1B}[K" } ?? "\r\u{1B}[K"
        writeToStandardError(line)
    }

    /// The exit code for a failure.
    static func status(for error: Error) -> Int32 {
        switch error {
        case is CivicError, is GeoEngineError, is InputProblems: Status.refused.rawValue
        case is UsageError: Status.usage.rawValue
        case let code as ExitCode: code.rawValue
        // ArgumentParser's parse and validation errors are usage errors (EX_USAGE, 64); help is a success.
        default: Civic.exitCode(for: error).rawValue
        }
    }

    /// Says what went wrong, in the format above, and ends the process with its exit code.
    /// Help and version requests are not failures: their text goes to stdout (users pipe it into
    /// `less`), exit 0.
    static func exit(reporting error: Error) -> Never {
        let status = status(for: error)
        switch error {
        case let error as CivicError:
            self.error(error)
        case let error as GeoEngineError:
            self.error(error.description)
        case let problems as InputProblems:
            // Every problem of the file at once, so that one run shows what to fix; a file broken
            // throughout says so after the first screenful.
            let shown = 30
            for problem in problems.problems.prefix(shown) { self.error(problem.description, hint: problem.hint) }
            if problems.problems.count > shown {
                self.error("\(problems.problems.count - shown) more problems of the same file, not shown")
            }
            if let hint = problems.hint { write("hint: \(hint)") }
        case let error as UsageError:
            self.error(error.message, hint: error.hint ?? "see 'civic help' or 'civic <command> --help'")
        case is ExitCode:
            // The command has said what it had to say.
            break
        default:
            if status == Status.done.rawValue {
                print(Civic.fullMessage(for: error))
                Foundation.exit(0)
            }
            // ArgumentParser's own message, first line only and without its "Error: ".
            let message = Civic.message(for: error).trimmingCharacters(in: .whitespacesAndNewlines)
            var firstLine = message.split(separator: "\n").first.map(String.init) ?? message
            if firstLine.hasPrefix("Error: ") { firstLine.removeFirst(7) }
            self.error(firstLine, hint: status == Status.usage.rawValue ? "see 'civic help' or 'civic <command> --help'" : nil)
        }
        Foundation.exit(status)
    }
}
