import CivicCore
import CivicStore
import CivicTestSupport
import Foundation
import GeoValues
import Testing

@Suite("civic coverage on a dataset, run as a program")
struct DatasetCoverageTests {
    /// The bundled city copied into `folder`, with an entity drawn as a bow-tie (its ring crosses
    /// itself) appended by hand with the next id, one feature per line as the store writes.
    func cityWithBowTie(in folder: URL) throws -> (path: String, entities: String, id: Int, index: Int) {
        let path = folder.appendingPathComponent("oskemen").path
        try FileManager.default.copyItem(atPath: bundledDataset, toPath: path)
        var entities = try Dataset(path: path).load().entities
        let id = (entities.map(\.id).max() ?? 0) + 1
        let c = Position(x: 82.61, y: 49.95)
        let ring = [Position(x: c.x - 0.01, y: c.y - 0.01), Position(x: c.x + 0.01, y: c.y + 0.01),
                    Position(x: c.x + 0.01, y: c.y - 0.01), Position(x: c.x - 0.01, y: c.y + 0.01),
                    Position(x: c.x - 0.01, y: c.y - 0.01)]
        entities.append(Entity(id: id, kind: "venue", name: "Сквер-бабочка", themes: ["culture"],
                               geometry: .polygon(Polygon(outerRing: ring))))
        let file = path + "/" + DatasetLayout.entities
        try GeoJSONWriter.featureCollection(entities.map(\.feature), onePerLine: true)
            .write(toFile: file, atomically: true, encoding: .utf8)
        return (path, file, id, entities.count - 1)
    }

    @Test("--skip-invalid skips a dataset's bow-tie entity with one warning and counts it; without it, exit 1")
    func skipInvalid() async throws {
        try await withTemporaryDirectory { folder in
            let city = try cityWithBowTie(in: folder)
            let failed = try CivicBinary.run(["coverage", "--dataset", city.path], in: folder)
            #expect(failed.status == 1 && failed.stdout.isEmpty, "\(failed)")
            // The file, its line (the feature's, after the collection's first line) and the feature.
            #expect(failed.stderrLines.first?.hasPrefix("civic: error: \(city.entities):\(city.index + 2): features[\(city.index)] (id \(city.id))")
                    == true, "\(failed.stderr)")
            let skipped = try CivicBinary.run(["coverage", "--dataset", city.path, "--skip-invalid", "--format", "json"], in: folder)
            #expect(skipped.status == 0, "\(skipped)")
            let warnings = skipped.stderrLines.filter { $0.hasPrefix("civic: warning: ") }
            #expect(warnings.count == 1 && warnings[0].contains("(id \(city.id))"), "\(skipped.stderr)")
            #expect(skipped.stdout.contains("\"skipped_entities\": 1"), "\(skipped.stdout.suffix(200))")
        }
    }

    @Test("an unknown --kind is a usage error listing the allowed kinds (exit 64); a label in Kazakh is a kind")
    func unknownKind() async throws {
        try await withTemporaryDirectory { folder in
            let unknown = try CivicBinary.run(["coverage", "--dataset", bundledDataset, "--kind", "shop"], in: folder)
            #expect(unknown.status == 64 && unknown.stdout.isEmpty, "\(unknown)")
            #expect(unknown.stderrLines.first == "civic: error: --kind shop: unknown; allowed: community, initiative_group, venue",
                    "\(unknown.stderr)")
            let byLabel = try CivicBinary.run(["coverage", "--dataset", bundledDataset, "--kind", "алаң", "--format", "json"],
                                              in: folder)
            let byID = try CivicBinary.run(["coverage", "--dataset", bundledDataset, "--kind", "venue", "--format", "json"],
                                           in: folder)
            #expect(byLabel.status == 0 && byLabel.stdout == byID.stdout, "\(byLabel)")
        }
    }
}
