/// The one place that knows the names of the files in a dataset folder (DESIGN §3).
public enum DatasetLayout {
    public static let info = "dataset.json"
    public static let districts = "districts.geojson"
    public static let entities = "entities.geojson"
    public static let privateFolder = "private"
    public static let contacts = "private/contacts.json"
    public static let history = "history.jsonl"
    public static let lock = ".civic.lock"
    public static let gitignore = ".gitignore"
}
