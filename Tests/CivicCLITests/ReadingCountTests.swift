import CivicStore
import CivicTestSupport
import Foundation
import Testing

@Suite("a live count while reading the dataset")
struct ReadingCountTests {
    @Test("coverage, validate, list and export count the features they read, with --progress only")
    func countsWithProgressOnly() throws {
        let state = try Dataset(path: bundledDataset).load(network: true)
        let entities = state.entities.count.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))
        let ways = try #require(state.network).count
        #expect(state.entities.count > 10 && ways > 100)
        let commands: [([String], [String])] = [
            (["coverage"], []),
            (["validate"], ["\rcivic: reading network… \(ways)\u{1B}[K", "\rcivic: checking network… \(ways)/\(ways)\u{1B}[K"]),
            (["list"], []),
            (["export", "entities"], []),
        ]
        for (arguments, more) in commands {
            let forced = try civic(arguments: arguments + ["--dataset", bundledDataset, "--progress"])
            #expect(forced.status == 0, "\(arguments): \(forced)")
            for line in ["\rcivic: reading entities… \(entities)\u{1B}[K",
                         "\rcivic: checking entities… 0/\(entities)\u{1B}[K",
                         "\rcivic: checking entities… \(entities)/\(entities)\u{1B}[K"] + more {
                #expect(forced.stderr.contains(line), "\(arguments) shows \(line.debugDescription): \(forced.stderr.debugDescription.prefix(600))")
            }
            let piped = try civic(arguments: arguments + ["--dataset", bundledDataset])
            #expect(piped.status == 0 && !piped.stderr.contains("entities…"), "never in a pipe: \(arguments)")
            #expect(piped.stdout == forced.stdout, "the count never touches the data: \(arguments)")
            let quiet = try civic(arguments: arguments + ["--dataset", bundledDataset, "--quiet"])
            #expect(quiet.status == 0 && quiet.stderr.isEmpty, "\(arguments): \(quiet)")
        }
    }
}
