import ArgumentParser
import CivicStore

struct RemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Remove an entity (the journal keeps what it was; its id is never reused).",
        // The id is read from what the options leave over (see EntityIDArgument); say it as one <id>.
        usage: "civic remove <id> [<options>]",
        discussion: """
        EXAMPLES
          civic remove 12

        DIAGNOSTICS
          Exit 1 when there is no entity with that id; nothing is written.
        """
    )

    @OptionGroup var datasetOptions: DatasetOptions

    @OptionGroup var entity: EntityIDArgument

    func run() throws {
        let id = entity.id
        let dataset = try datasetOptions.open()
        let removed = try dataset.update { state, journal in
            let (entity, entry) = try state.remove(id: id, now: Timestamp.now())
            journal.append(entry)
            return entity
        }
        Diagnostics.note("removed entity \(removed.id) '\(removed.name)'")
    }
}
