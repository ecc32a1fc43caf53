import ArgumentParser

@main
struct Civic: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "civic",
        abstract: "Map a city's communities, initiative groups and public venues, and find where districts lack them.",
        subcommands: []
    )
}
