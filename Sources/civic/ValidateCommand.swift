import ArgumentParser
import CivicCore
import CivicStore

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a dataset and list every problem; exit 1 if there is any.",
        discussion: """
        Reads the dataset exactly as every other command does, without stopping at the first \
        problem: dataset.json (format_version included), broken JSON, invalid geometry (with where \
        a ring crosses itself), unknown kinds and themes, duplicate ids, malformed contacts and \
        contact keys, and every journal line. It passes exactly when every command can read and \
        write the dataset. It also reports entities outside the city, swapped coordinates, likely \
        duplicates and entities out of id order, which no command refuses. Nothing is changed, \
        except that a change a killed writer left half-done is first finished or undone, as every \
        command does.

        EXAMPLES
          civic validate --dataset geodata/oskemen

        DIAGNOSTICS
          One error per problem on stderr, then a count:
            civic: error: FILE:LINE: features[N] (id X): FIELD: what is wrong
            hint: what to do about it
          Exit 1 when there is any problem, 0 when there is none.
        """
    )

    @OptionGroup var datasetOptions: DatasetOptions

    func run() throws {
        let dataset = try datasetOptions.open()
        let validation = dataset.validate()
        for problem in validation.problems {
            Diagnostics.error(problem.description, hint: problem.hint)
        }
        for note in validation.notes { Diagnostics.note(note) }
        let problems = validation.problems.count
        if problems == 0 {
            Diagnostics.note("\(dataset.path): no problems found")
            return
        }
        Diagnostics.error("\(dataset.path): \(problems) problem\(problems == 1 ? "" : "s") found")
        throw ExitCode.failure
    }
}
