import Foundation

/// Work started now on another thread and collected later: one input file read while the others
/// are. Reading a city's entities, residents and streets one after the other left a core idle for
/// most of a second; each file is parsed on its own, so they need not wait for each other.
///
/// ```swift
/// let residents = Started { try CoverageInputs.residents(in: bytes, file: path) }
/// let entities = try readEntities()          // meanwhile, on this thread
/// let people = try residents.value()         // waits for it, rethrows its error
/// ```
///
/// The work runs on a Dispatch global queue, not on Swift's cooperative pool, so waiting for it
/// from a task cannot starve the pool of the thread that would finish it.
final class Started<Value: Sendable>: @unchecked Sendable {
    // Written once by the worker before `finished` is signalled and read only after waiting for
    // it: the semaphore orders the two, which is why the class may be shared.
    private var outcome: Result<Value, any Error>?
    private let finished = DispatchSemaphore(value: 0)

    /// Starts `work` in the background, or runs it here and now when `inBackground` is false
    /// (standard input is read on the caller's thread, in the order the inputs are named, so that
    /// two inputs from `-` behave as they always did).
    init(inBackground: Bool = true, _ work: @escaping @Sendable () throws -> Value) {
        guard inBackground else {
            outcome = Result { try work() }
            finished.signal()
            return
        }
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            outcome = Result { try work() }
            finished.signal()
        }
    }

    /// The work's value once it is done, or its error.
    func value() throws -> Value {
        finished.wait()
        defer { finished.signal() }   // a second call returns at once
        return try outcome!.get()
    }
}
