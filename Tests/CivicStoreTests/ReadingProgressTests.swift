import CivicCore
import CivicStore
import CivicTestSupport
import Foundation
import Testing

@Suite("the reader's live count")
struct ReadingProgressTests {
    /// 20,000 entities: two full strides of 8,192 and a rest, in both stages, for every kind of read.
    @Test func countsEachStrideAndTheEndWhileReadingAndChecking() throws {
        try withTemporaryDirectory { dir in
            let dataset = try Sample.dataset(in: dir)
            let count = 20_000
            try dataset.update { state, journal in
                for n in 0..<count {
                    let id = try dataset.nextEntityID(in: state)
                    // A grid of points inside the two districts, names in Kazakh as a volunteer types them.
                    state.entities.append(Sample.entity(id: id, name: "Аула жиналысы \(id)",
                                                        lon: 82.551 + Double(n % 200) * 0.0004,
                                                        lat: 49.931 + Double(n / 200) * 0.0004))
                }
                journal.append(JournalEntry(action: "import", id: nil, name: "grid", changes: JSONObject()))
            }
            let stride = GeoJSONReader.progressStride
            #expect(stride < count / 2, "the city is large enough to report in the middle")
            let expected = [ReadingProgress(file: "entities.geojson", stage: .reading, done: stride),
                            ReadingProgress(file: "entities.geojson", stage: .reading, done: 2 * stride),
                            ReadingProgress(file: "entities.geojson", stage: .reading, done: count)]
                + [0, stride, 2 * stride, count].map {
                    ReadingProgress(file: "entities.geojson", stage: .checking, done: $0, total: count)
                }

            var loaded: [ReadingProgress] = []
            let state = try dataset.load(progress: { loaded.append($0) })
            #expect(state.entities.count == count)
            #expect(loaded == expected, "\(loaded)")

            var read: [ReadingProgress] = []
            _ = try dataset.read(invalidEntities: .report, progress: { read.append($0) })
            #expect(read == expected)

            var validated: [ReadingProgress] = []
            let validation = dataset.validate(progress: { validated.append($0) })
            #expect(validated == expected, "validate reads with the same reader: \(validated)")
            #expect(validation.problems.isEmpty, "\(validation.problems.prefix(3))")
        }
    }

    @Test func aSmallDatasetReportsOnlyItsEnds() throws {
        try withTemporaryDirectory { dir in
            let dataset = try Sample.dataset(in: dir)
            try add("Двор на Бажова", to: dataset)
            try add("Совет дома 12", to: dataset)
            var reports: [ReadingProgress] = []
            _ = try dataset.load(progress: { reports.append($0) })
            #expect(reports == [ReadingProgress(file: "entities.geojson", stage: .reading, done: 2),
                                ReadingProgress(file: "entities.geojson", stage: .checking, done: 0, total: 2),
                                ReadingProgress(file: "entities.geojson", stage: .checking, done: 2, total: 2)])
        }
    }
}
