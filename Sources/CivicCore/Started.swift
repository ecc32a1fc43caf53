import Foundation

/// Work started now on another thread and collected later: one input file read while the others
/// are. Reading a city's entities, residents and streets one after the other left a core idle for
/// most of a second; each file is parsed on its own, so they need not wait for each other. Loose
/// files (CivicAnalysis) and a dataset's network (CivicStore) are read this way.
///
/// ```swift
/// let residents = Started { try CoverageInputs.residents(in: bytes, file: path) }
/// let entities = try readEntities()          // meanwhile, on this thread
/// let people = try residents.value()         // waits for it, rethrows its error
/// ```
///
/// The work runs on a Dispatch global queue, not on Swift's cooperative pool, so waiting for it
/// from a task cannot starve the pool of the thread that would finish it.
public final class Started<Value: Sendable, Failure: Error>: @unchecked Sendable {
    // Written once by the worker before `finished` is signalled and read only after waiting for
    // it: the semaphore orders the two, which is why the class may be shared.
    private var outcome: Result<Value, Failure>?
    private let finished = DispatchSemaphore(value: 0)

    /// Starts `work` in the background, or runs it here and now when `inBackground` is false
    /// (standard input is read on the caller's thread, in the order the inputs are named, so that
    /// two inputs from `-` behave as they always did).
    public init(inBackground: Bool = true, _ work: @escaping @Sendable () throws(Failure) -> Value) {
        guard inBackground else {
            outcome = Result { () throws(Failure) in try work() }
            finished.signal()
            return
        }
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            outcome = Result { () throws(Failure) in try work() }
            finished.signal()
        }
    }

    /// The work's value once it is done, or its error.
    public func value() throws(Failure) -> Value {
        finished.wait()
        defer { finished.signal() }   // a second call returns at once
        return try outcome!.get()
    }
}
