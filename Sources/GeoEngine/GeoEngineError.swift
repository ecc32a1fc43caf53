/// A failed call into GEOS or PROJ: the operation civic asked for and the messages the library gave.
///
/// GEOS reports through the context's error handler and PROJ through its log and errno; both are
/// collected so that the error says what the library said, e.g.
/// `GEOS buffer failed: IllegalArgumentException: ...` or
/// `PROJ create transformation EPSG:4326 → EPSG:999999 failed: crs not found: EPSG:999999`.
public struct GeoEngineError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What was attempted, e.g. `"GEOS buffer"` or `"PROJ forward transform"`.
    public var operation: String
    /// The library's own messages, oldest first; may be empty when the library said nothing.
    public var messages: [String]

    /// An error for `operation` with the library's messages.
    public init(operation: String, messages: [String] = []) {
        self.operation = operation
        self.messages = messages
    }

    /// `"<operation> failed: <message>; <message>"`, or `"<operation> failed"` without messages.
    public var description: String {
        messages.isEmpty
            ? "\(operation) failed"
            : "\(operation) failed: \(messages.joined(separator: "; "))"
    }
}
