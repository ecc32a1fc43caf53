import Foundation

/// Values the process keeps until it exits instead of freeing them when a command is done.
///
/// A command's inputs are hundreds of thousands of small allocations (entities with their names,
/// themes and outlines; streets with their node ids). Freeing them one by one took a tenth of a
/// second of `coverage --walk` at 40,000 entities, after the answer was already written; the
/// system takes the whole heap back at once when the process exits, which is why compilers skip
/// the same work (clang's `-disable-free`). Only the command line does this: a library caller
/// decides its own lifetimes.
enum ProcessEnd {
    nonisolated(unsafe) private static var kept: [Any] = []
    private static let lock = NSLock()

    /// Keeps `value` (and so every buffer it holds) alive until the process exits.
    static func keep(_ value: Any) {
        lock.withLock { kept.append(value) }
    }
}
