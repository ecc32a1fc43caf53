// A small program that uses civic as a library: load the bundled Oskemen dataset and list its
// active venues by theme.
//
//   swift run venues-by-theme [DATASET]        (default: geodata/oskemen)
import CivicCore
import CivicStore
import Foundation

let path = CommandLine.arguments.dropFirst().first ?? "geodata/oskemen"
do {
    let state = try Dataset(path: path).load()
    let language = state.info.language
    let venues = state.entities.filter { $0.kind == "venue" && $0.status == .active }
    for theme in state.info.vocabulary.themes {
        let named = venues.filter { $0.themes.contains(theme.id) }.map(\.name)
        guard !named.isEmpty else { continue }
        print("\(theme.label(language)) (\(named.count))")
        for name in named.sorted() { print("  \(name)") }
    }
} catch {
    print("venues-by-theme: error: \(error)")
    exit(1)
}
