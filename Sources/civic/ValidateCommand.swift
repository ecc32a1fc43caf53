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
        write the dataset. It also reports what no command refuses: districts that overlap or look \
        written [lat, lon], entities outside the city, swapped coordinates, likely duplicates and \
        entities out of id order. The street network (network.geojson, when there is one) is \
        checked line by line (at least two distinct positions, in range, one way per source); its \
        size and how many connected pieces it falls into are a note, and a network whose largest \
        piece holds less than 90% of its length (probably a partial export) or with ways more than \
        1 km from every district is a warning, which does not fail it. Nothing is changed, except that a change a killed writer left \
        half-done is first finished or undone, as every command does.

        What was kept on purpose is a note, not a problem: an entity added or edited with \
        --allow-outside or --allow-duplicate (it remembers the choice in its `allow` property), \
        overlapping districts kept with `civic init --allow-overlaps` (`allow` in dataset.json), \
        and two OpenStreetMap objects with one name (an import's two unnamed playgrounds). Holes \
        between districts are notes too. So a dataset made by civic's own commands validates.

        EXAMPLES
          civic validate --dataset geodata/oskemen
          civic edit 12 --allow-outside       # keep entity 12 where it is; validate notes it

        DIAGNOSTICS
          One error per problem on stderr, then the warnings and the notes, then a count:
            civic: error: FILE:LINE: features[N] (id X): FIELD: what is wrong
            hint: what to do about it
            civic: warning: network.geojson: the largest connected piece holds only 62% of the length …
            civic: note: FILE:LINE: features[N] (id X): …; kept there on purpose
            civic: note: network.geojson: 1,234 ways, 5,678 nodes, 412.3 km, in 3 connected pieces
          Exit 1 when there is any problem, 0 when there is none (notes never fail it).
        """
    )

    @OptionGroup var datasetOptions: DatasetOptions
    @OptionGroup var progressOptions: ProgressOptions

    func run() throws {
        let dataset = try datasetOptions.open()
        let validation = Progress.step("reading and checking \(dataset.path)") { dataset.validate() }
        for problem in validation.problems {
            Diagnostics.error(problem.description, hint: problem.hint)
        }
        for warning in validation.warnings { Diagnostics.warning(warning) }
        for note in validation.notes { Diagnostics.information(note) }
        let problems = validation.problems.count, notes = validation.notes.count
        let noted = notes == 0 ? "" : " (\(notes) note\(notes == 1 ? "" : "s"))"
        if problems == 0 {
            Diagnostics.note("\(dataset.path): no problems found\(noted)")
            return
        }
        Diagnostics.error("\(dataset.path): \(problems) problem\(problems == 1 ? "" : "s") found\(noted)")
        throw ExitCode.failure
    }
}
