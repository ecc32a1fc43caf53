import Foundation

/// Work spread over the cores with a task group, at most one job per core in flight.
///
/// GEOS and PROJ handles are not `Sendable`, so every job makes its own (a `GeometryContext`, a
/// `CoordinateTransform`) and only values go in and come out.
enum Parallel {
    /// The cores to use.
    static var width: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// `body(0) … body(count - 1)` on all cores; the results in index order. `progress` gets the
    /// fraction done (0…1), one call at a time, whenever another whole per cent is done.
    static func map<R: Sendable>(
        _ count: Int, width: Int = Parallel.width,
        progress: (@Sendable (Double) -> Void)? = nil,
        _ body: @escaping @Sendable (Int) throws -> R
    ) async throws -> [R] {
        guard count > 0 else { return [] }
        return try await withThrowingTaskGroup(of: (Int, R).self) { group in
            var results = [R?](repeating: nil, count: count)
            var next = 0
            for _ in 0..<min(width, count) {
                let i = next
                group.addTask { (i, try body(i)) }
                next += 1
            }
            var done = 0
            var shown = -1
            while let (i, result) = try await group.next() {
                results[i] = result
                done += 1
                let percent = done * 100 / count
                if let progress, percent != shown {
                    shown = percent
                    progress(Double(done) / Double(count))
                }
                if next < count {
                    let j = next
                    group.addTask { (j, try body(j)) }
                    next += 1
                }
            }
            return results.map { $0! }
        }
    }
}
