import CivicCore
import CivicStore
import GeoValues

/// Where a batch came from; it decides how rows and elements find the entities they update.
public enum ImportOrigin: Hashable, Sendable {
    /// A spreadsheet, by its file name (the last part of the path), as in `csv:volunteers.csv#12`.
    case csv(fileName: String)
    /// An OpenStreetMap extract; sources are `osm:node/ID`, `osm:way/ID`, `osm:relation/ID`.
    case osm(fileName: String)

    /// The file name that sources are made of.
    public var fileName: String {
        switch self {
        case .csv(let name), .osm(let name): name
        }
    }
}

/// One row or element ready to become an entity, or to update the one it matches.
public struct ImportCandidate: Sendable {
    /// How messages name it: `line 12`, `way/4521` (with its line when the format tells it).
    public var place: String
    /// The line of the file where it starts, when known.
    public var line: Int?
    /// The entity as the row or element describes it; `source` is set, but for a row of civic's
    /// own export whose entity had none (it stays without one, as it was).
    public var draft: EntityDraft
    /// Whether the row's kind and themes replace an existing entity's on update. A spreadsheet
    /// states them; OSM's come from the mapping, so volunteers' later choices are kept.
    public var updatesKindAndThemes: Bool
    /// Whether the row states the status (a `status` column).
    public var updatesStatus: Bool
    /// Whether the row names its source itself (a `source` column): then it finds the entity with
    /// that source before any by name, as an OSM element does.
    public var statesSource = false
    /// The entity's id in the dataset that exported the row (civic's export), by which other rows
    /// of the file name it in ``keptBesideExportIDs``.
    public var exportID: Int?
    /// The row may lie more than 1 km outside every district (`allow_outside` of civic's export).
    public var allowsOutside = false
    /// The rows (by ``exportID``) this one was kept beside though they share its name within 100 m
    /// (`allow_duplicate_of` of civic's export).
    public var keptBesideExportIDs: [Int] = []

    public init(place: String, line: Int?, draft: EntityDraft, updatesKindAndThemes: Bool, updatesStatus: Bool = false) {
        self.place = place
        self.line = line
        self.draft = draft
        self.updatesKindAndThemes = updatesKindAndThemes
        self.updatesStatus = updatesStatus
    }
}

/// A row or element that cannot be imported, and why.
public struct ImportProblem: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    /// `line 12` or `way/4521`; empty for a problem of the file as a whole.
    public var place: String
    public var line: Int?
    public var reason: String
    public var hint: String?

    public init(file: String, place: String, line: Int?, reason: String, hint: String? = nil) {
        self.file = file
        self.place = place
        self.line = line
        self.reason = reason
        self.hint = hint
    }

    /// `volunteers.csv:12: …` for a row; `oskemen.osm:88: way/4521: …` for an element.
    public var description: String {
        let at = line.map { "\(file):\($0)" } ?? file
        if place.isEmpty || place.hasPrefix("line ") { return "\(at): \(reason)" }
        return "\(at): \(place): \(reason)"
    }
}

/// Rows or elements read from one file: the candidates, the rows already known to be bad, and
/// what was left out on purpose.
public struct ImportBatch: Sendable {
    public var origin: ImportOrigin
    /// The file as the user named it, for messages.
    public var path: String
    public var candidates: [ImportCandidate] = []
    /// Rows or elements that cannot become entities (a missing name, coordinates that are not numbers).
    public var problems: [ImportProblem] = []
    /// Left out on purpose, by reason (`not civic`, `without a name`, `incomplete`), in first-seen order.
    public var skipped = SkipCounts()
    /// Messages for the user that do not stop the import (unknown columns, incomplete elements).
    public var warnings: [String] = []
    /// What to do about the warnings, shown once after them (save the sheet as UTF-8, …).
    public var hints: [String] = []
    /// Whether candidates outside the city are skipped and counted (OSM) rather than refused (CSV).
    public var skipsOutside: Bool
    /// The walkable ways of an OSM extract, which update the dataset's street network way by way;
    /// nil leaves the network as it is (a spreadsheet, `--no-network`).
    public var network: StreetNetworkImport.Extraction?

    public init(origin: ImportOrigin, path: String, skipsOutside: Bool) {
        self.origin = origin
        self.path = path
        self.skipsOutside = skipsOutside
    }
}

/// Counts by reason, in the order the reasons first appeared.
public struct SkipCounts: Hashable, Sendable, Sequence {
    public private(set) var reasons: [String] = []
    private var counts: [String: Int] = [:]

    public init() {}

    /// Counts `count` more for `reason`.
    public mutating func add(_ reason: String, _ count: Int = 1) {
        guard count > 0 else { return }
        if counts[reason] == nil { reasons.append(reason) }
        counts[reason, default: 0] += count
    }

    /// The count for `reason` (0 when it never came up).
    public subscript(reason: String) -> Int { counts[reason] ?? 0 }

    /// All reasons together.
    public var total: Int { counts.values.reduce(0, +) }

    public func makeIterator() -> AnyIterator<(reason: String, count: Int)> {
        var index = 0
        return AnyIterator {
            guard index < reasons.count else { return nil }
            defer { index += 1 }
            return (reasons[index], counts[reasons[index]] ?? 0)
        }
    }
}
