import CPROJ

/// What PROJ logged on a context during the current call.
final class PROJMessageLog {
    var messages: [String] = []
}

/// One `PJ_CONTEXT` with its log: the place PROJ reports errors for every object made on it.
///
/// Each public call starts with ``beginCall()``, so an error carries only what PROJ said during the
/// call that failed, never what an earlier successful call logged (PROJ logs, for instance, a
/// missing grid while creating a transformation that it still returns).
///
/// **Not thread-safe**, like every PROJ context: one per task.
final class PROJContext {
    /// The `PJ_CONTEXT*`, owned. Objects made on it must be destroyed before it.
    let pointer: OpaquePointer
    /// Kept alive as long as the context: PROJ holds an unretained pointer to it as log userdata.
    private let log = PROJMessageLog()

    /// A fresh context whose log goes to ``failure(_:code:)`` instead of stderr.
    init(_ operation: String) throws(GeoEngineError) {
        // Returns NULL when it cannot allocate.
        guard let pointer = proj_context_create() else {
            throw GeoEngineError(operation: operation, messages: ["proj_context_create returned NULL"])
        }
        self.pointer = pointer
        // Replaces PROJ's default logger (stderr); cannot fail. The closure captures nothing, so it
        // converts to a C function pointer; the log arrives through the userdata.
        proj_log_func(pointer, Unmanaged.passUnretained(log).toOpaque()) { userdata, _, message in
            guard let userdata, let message else { return }
            let log = Unmanaged<PROJMessageLog>.fromOpaque(userdata).takeUnretainedValue()
            log.messages.append(String(cString: message))
        }
    }

    deinit {
        // Returns nothing and cannot fail.
        proj_context_destroy(pointer)
    }

    /// Forgets what PROJ logged so far: the call about to run owns the log from here on.
    func beginCall() {
        log.messages.removeAll(keepingCapacity: true)
    }

    /// An error with PROJ's messages since ``beginCall()`` (then cleared) and the text for `code`
    /// (a `proj_errno` or `proj_context_errno` value) when it is set and adds something.
    func failure(_ operation: String, code: Int32) -> GeoEngineError {
        var messages = log.messages
        log.messages.removeAll()
        // Returns a string describing the code; never NULL for a non-zero code. For the catch-all
        // PROJ_ERR_OTHER it only says "Unknown error (code 4096)", which adds nothing to a log message.
        if code != 0, let text = proj_context_errno_string(pointer, code) {
            let description = String(cString: text)
            let generic = code == PROJ_ERR_OTHER && !messages.isEmpty
            if !generic && !messages.contains(where: { $0.contains(description) }) {
                messages.append(description)
            }
        }
        return GeoEngineError(operation: operation, messages: messages)
    }
}
