import CivicCore

/// What `civic validate` found (``Dataset/validate()``).
public struct DatasetValidation: Sendable {
    /// Every problem, file by file in the order of DESIGN §3 (dataset.json, districts, entities,
    /// network, contacts, journal), each file's in line order; empty when the dataset is clean.
    public var problems: [CivicError]
    /// What is worth saying but is not a problem, each `<where>: <what>`: a choice kept on purpose
    /// (an entity outside every district, two entities with one name side by side, overlapping
    /// districts), two OpenStreetMap objects with one name, a hole between districts, an unfinished
    /// append the next change removes. Notes never fail `civic validate`.
    public var notes: [String]
    /// What deserves attention but never fails `civic validate`, each `<where>: <what>`: a street
    /// network in many pieces (probably a partial export), ways far from every district.
    public var warnings: [String]

    /// The problems, notes and warnings found.
    public init(problems: [CivicError], notes: [String], warnings: [String] = []) {
        self.problems = problems
        self.notes = notes
        self.warnings = warnings
    }
}

/// `civic validate` for a caller that has a folder rather than a ``Dataset``.
public enum DatasetValidator {
    /// Every problem of the dataset in `folder`, as ``Dataset/validate()`` lists them (the same
    /// reading as every command's); a folder that is no dataset is its one problem.
    public static func problems(in folder: String) -> [CivicError] {
        do {
            return try Dataset(path: folder).validate().problems
        } catch {
            return [error]
        }
    }
}
