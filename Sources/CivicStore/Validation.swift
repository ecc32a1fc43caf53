import CivicCore

/// What `civic validate` found (``Dataset/validate()``).
public struct DatasetValidation: Sendable {
    /// Every problem, file by file in the order of DESIGN §3 (dataset.json, districts, entities,
    /// contacts, journal), each file's in line order; empty when the dataset is clean.
    public var problems: [CivicError]
    /// What is worth saying but is not a problem (an unfinished append the next change removes).
    public var notes: [String]

    /// The problems and notes found.
    public init(problems: [CivicError], notes: [String]) {
        self.problems = problems
        self.notes = notes
    }
}
