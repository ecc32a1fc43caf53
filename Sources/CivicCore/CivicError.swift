/// The one error type of civic's data modules: what went wrong and where, ready for a one-line message.
///
/// `description` is the line the command line prints after `civic: error: `; `hint`, when present,
/// goes on a line of its own.
public enum CivicError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A file that is not well-formed (JSON, CSV, XML): where in the text it broke.
    case syntax(file: String, line: Int, column: Int, reason: String, hint: String? = nil)
    /// A feature (or row, or element) that is well-formed but wrong: `place` names it,
    /// for example `features[3] (id 17)`, and `field` the property or member at fault.
    /// `line` is the line of the file where the feature starts, when known.
    case invalid(file: String, line: Int? = nil, place: String, field: String? = nil, reason: String,
                 hint: String? = nil)
    /// A change refused by the rules of the dataset (vocabulary, location, duplicates).
    case refused(reason: String, hint: String? = nil)
    /// A file that cannot be read or written.
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case let .syntax(file, line, column, reason, _):
            return "\(file):\(line):\(column): \(reason)"
        case let .invalid(file, line, place, field, reason, _):
            let at = line.map { "\(file):\($0)" } ?? file
            if let field { return "\(at): \(place): \(field): \(reason)" }
            return "\(at): \(place): \(reason)"
        case let .refused(reason, _):
            return reason
        case let .io(path, reason):
            return "\(path): \(reason)"
        }
    }

    public var hint: String? {
        switch self {
        case let .syntax(_, _, _, _, hint), let .invalid(_, _, _, _, _, hint), let .refused(_, hint):
            return hint
        case .io:
            return nil
        }
    }
}

extension CivicError {
    /// Text from a file as a message quotes it: at most `limit` characters, cut with `…`, so that
    /// a hostile file cannot make a message megabytes long.
    public static func excerpt(_ text: String, limit: Int = 60) -> String {
        guard text.count > limit else { return text }
        return String(text.prefix(limit)) + "…"
    }
}
