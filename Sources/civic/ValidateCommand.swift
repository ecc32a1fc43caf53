import ArgumentParser
import CivicCore
import CivicStore

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a dataset and list every problem; exit 1 if there is any.",
        discussion: """
        Checks broken JSON, invalid geometry (with where a ring crosses itself), unknown kinds and \
        themes, duplicate ids, entities outside the city, swapped coordinates, likely duplicates, \
        malformed contacts, and the journal. Nothing is changed.

        EXAMPLES
          civic validate --dataset geodata/oskemen

        DIAGNOSTICS
          One line per problem on stderr, then a count:
            FILE:LINE: features[N] (id X): FIELD: what is wrong
          Exit 1 when there is any problem, 0 when there is none.
        """
    )

    @OptionGroup var datasetOptions: DatasetOptions

    func run() throws {
        let path = try datasetOptions.path
        _ = try datasetOptions.open()
        let problems = DatasetValidator.problems(in: path)
        for problem in problems {
            Diagnostics.write("\(problem.description)" + (problem.hint.map { " (hint: \($0))" } ?? ""))
        }
        if problems.isEmpty {
            Diagnostics.note("\(path): no problems found")
            return
        }
        Diagnostics.error("\(path): \(problems.count) problem\(problems.count == 1 ? "" : "s") found")
        throw ExitCode.failure
    }
}
