/// The one place that knows the names of the files in a dataset folder (DESIGN §3).
public enum DatasetLayout {
    /// Name, city, language, radius, vocabulary and format version.
    public static let info = "dataset.json"
    /// The districts, one feature per line.
    public static let districts = "districts.geojson"
    /// The entities' public fields, one feature per line, sorted by id.
    public static let entities = "entities.geojson"
    /// The walkable street network (optional), one way per line, sorted by source.
    public static let network = "network.geojson"
    /// What git must not publish.
    public static let privateFolder = "private"
    /// Phone, e-mail and contact person by entity id.
    public static let contacts = "private/contacts.json"
    /// Residents' concerns, public fields only, one feature per line, sorted by id (optional).
    public static let concerns = "concerns.geojson"
    /// A concern's text, reporter, phone, e-mail and register row by concern id (optional).
    public static let concernsPrivate = "private/concerns.json"
    /// The append-only journal of changes.
    public static let history = "history.jsonl"
    /// The `flock` that writers hold exclusive and readers shared.
    public static let lock = ".civic.lock"
    /// Keeps `private/` and the lock out of git.
    public static let gitignore = ".gitignore"

    /// Every file of a dataset, relative to its folder, in the order people read about them.
    public static let files = [info, districts, entities, network, contacts, concerns, concernsPrivate, history]

    /// The files a transaction may replace (the journal is appended to, never replaced).
    static let transactionFiles = [info, districts, entities, network, contacts, concerns, concernsPrivate]

    /// The folders, relative to the dataset's, where a transaction writes temporary files.
    static let transactionFolders = ["", privateFolder]

    /// The temporary file that holds `file`'s new content during `transaction`, relative to the
    /// dataset folder: beside its target, so that the rename is atomic.
    static func temporary(for file: String, transaction: String) -> String {
        let (folder, name) = DurableFiles.split(file)
        let temporary = DurableFiles.temporaryName(for: name, tag: transaction)
        return folder == "." ? temporary : folder + "/" + temporary
    }
}
