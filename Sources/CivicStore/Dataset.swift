import CivicCore
import CivicRules
import GeoValues

/// A dataset folder (DESIGN §3): the one place that reads and writes its files.
///
/// Reads need no lock: every file is replaced by a rename, so a reader sees a whole old file or a
/// whole new one. Writes go through ``update(_:)``, which holds an exclusive `flock` on
/// `.civic.lock`, re-reads the files, applies the caller's change, validates it, replaces each
/// changed file atomically (temporary file, fsync, rename, fsync of the folder) and appends to
/// `history.jsonl`. A file that does not read is reported with its name and place and is never
/// rewritten: an update on a broken dataset fails before it touches anything.
///
/// ```swift
/// let dataset = try Dataset(path: "oskemen")
/// let id = try dataset.update { state, journal in
///     let id = try dataset.nextEntityID(in: state)
///     state.entities.append(Entity(id: id, kind: "community", name: "Совет дома", themes: ["courtyards"],
///                                  geometry: .point(Position(lon: 82.61, lat: 49.95))))
///     journal.append(JournalEntry(action: "add", id: id, name: "Совет дома"))
///     return id
/// }
/// ```
///
/// Not thread-safe: give each thread its own `Dataset` (they exclude each other through the lock).
public final class Dataset {
    /// The folder.
    public let path: String

    /// During an update: the highest id the journal and the re-read files have seen, so that
    /// ``nextEntityID(in:)`` does not read the journal again for each new entity of an import.
    private var idFloorDuringUpdate: Int?
    private var updating = false

    /// Opens the dataset in `path`, which must hold a `dataset.json`.
    public init(path: String) throws(CivicError) {
        let path = Self.normalize(path)
        guard DurableFiles.isFolder(path) else {
            let what = DurableFiles.exists(path) ? "is not a folder" : "no such folder"
            throw CivicError.refused(reason: "\(path): \(what)", hint: Self.initHint(path))
        }
        guard DurableFiles.exists(path + "/" + DatasetLayout.info) else {
            throw CivicError.refused(reason: "\(path): not a civic dataset (no \(DatasetLayout.info))",
                                     hint: Self.initHint(path))
        }
        self.path = path
    }

    // MARK: creating

    /// Starts a dataset in `path`, a new or empty folder: `dataset.json`, `districts.geojson`, an
    /// empty `entities.geojson`, `private/contacts.json` (`{}`), `history.jsonl` with an `init`
    /// entry, and a `.gitignore` that keeps `private/` and the lock file out of git.
    ///
    /// `dataset.json` is written last, so a folder whose creation was interrupted is not taken for
    /// a dataset.
    public static func create(at path: String, info: DatasetInfo, districts: [District]) throws(CivicError) -> Dataset {
        let path = normalize(path)
        if DurableFiles.exists(path) {
            guard DurableFiles.isFolder(path) else {
                throw CivicError.refused(reason: "\(path) exists and is not a folder")
            }
            try refuseNonEmpty(path)
        }
        try DurableFiles.makeFolder(path)
        let lock = try DatasetLock(path: path + "/" + DatasetLayout.lock)
        defer { lock.release() }
        // Another `civic init` may have filled the folder while this one waited for the lock.
        try refuseNonEmpty(path)

        var state = DatasetState(info: info, districts: districts)
        try validateDistricts(state.districts, file: path + "/" + DatasetLayout.districts)
        state.info.formatVersion = DatasetInfo.currentFormatVersion

        let dataset = Dataset(checkedPath: path)
        try DurableFiles.replace(dataset.file(DatasetLayout.gitignore),
                                 with: Array("\(DatasetLayout.privateFolder)/\n\(DatasetLayout.lock)\n".utf8))
        try DurableFiles.makeFolder(dataset.file(DatasetLayout.privateFolder), mode: 0o700)
        try DurableFiles.replace(dataset.file(DatasetLayout.contacts), with: contactsBytes([:]),
                                 mode: 0o600, forceMode: true)
        try DurableFiles.replace(dataset.file(DatasetLayout.districts), with: districtsBytes(state.districts))
        try DurableFiles.replace(dataset.file(DatasetLayout.entities), with: entitiesBytes([]))
        var changes = JSONObject()
        changes["city"] = .string(state.info.city)
        changes["districts"] = .number(state.districts.count)
        let entry = JournalEntry(action: "init", name: state.info.name, changes: changes)
        try DurableFiles.replace(dataset.file(DatasetLayout.history), with: Journal.lines([entry]))
        try DurableFiles.replace(dataset.file(DatasetLayout.info), with: infoBytes(state.info))
        return dataset
    }

    // MARK: reading

    /// The dataset as it is on disk now. Contacts are read only when asked for (they are private,
    /// and a clone from git has none: then they are empty).
    public func load(includeContacts: Bool = false) throws(CivicError) -> DatasetState {
        try read(includeContacts: includeContacts).state
    }

    /// The journal, oldest entry first.
    public func journal() throws(CivicError) -> [JournalEntry] {
        guard let bytes = try DurableFiles.contents(of: file(DatasetLayout.history)) else { return [] }
        return try Journal.entries(bytes, file: file(DatasetLayout.history))
    }

    /// The id for a new entity: one more than any id the entities, the contacts or the journal have
    /// ever used, so a removed entity's id is never given again.
    ///
    /// Call it inside ``update(_:)`` for an id you will store. There the journal and the files were
    /// read under the lock, and each call costs O(1): it takes the highest id the update started
    /// with and the id of the *last* entity of `state`, so keep `state.entities` sorted by id (adding
    /// each new entity at the end with the id this returns does). Should the order be broken, the
    /// update refuses the duplicate id it would cause and writes nothing.
    /// Outside an update it reads the journal and looks at every entity and contact of `state`.
    public func nextEntityID(in state: DatasetState) throws -> Int {
        if let idFloorDuringUpdate {
            return max(idFloorDuringUpdate, state.entities.last?.id ?? 0) + 1
        }
        var highest = Self.highestID(in: try journal())
        for entity in state.entities where entity.id > highest { highest = entity.id }
        for id in state.contacts.keys where id > highest { highest = id }
        return highest + 1
    }

    // MARK: writing

    /// Changes the dataset under its lock: re-reads every file (contacts included), lets `change`
    /// edit the state and add journal entries, checks the result, writes the files whose content
    /// changed and appends the entries to the journal.
    ///
    /// If `change` throws, or the result breaks a rule, nothing is written and the error is
    /// rethrown. The store also:
    /// - sorts entities by id and refuses duplicate ids and ids used before;
    /// - checks new and changed entities against the vocabulary;
    /// - sets `created` on new entities and `updated` on changed ones (unless the closure set them);
    /// - drops the contacts of entities the change removed.
    ///
    /// Contacts are written before entities: an interrupted write may leave a contact without its
    /// entity, which is harmless, but never an entity whose contact was lost.
    ///
    /// Do not call `update` on the same folder from inside `change`: it would wait for itself.
    @discardableResult
    public func update<T>(_ change: (inout DatasetState, inout [JournalEntry]) throws -> T) throws -> T {
        guard !updating else {
            throw CivicError.refused(reason: "\(path): update called from inside an update of the same dataset")
        }
        updating = true
        defer {
            updating = false
            idFloorDuringUpdate = nil
        }
        let lock = try DatasetLock(path: file(DatasetLayout.lock))
        defer { lock.release() }

        let before = try read(includeContacts: true, includeJournal: true)
        let journalEntries = try journal(from: before.journalBytes)
        let floor = max(Self.highestID(in: journalEntries),
                        before.state.entities.last?.id ?? 0,
                        before.state.contacts.keys.max() ?? 0)
        idFloorDuringUpdate = floor

        var state = before.state
        var entries: [JournalEntry] = []
        let result = try change(&state, &entries)

        try settle(&state, before: before.state, idFloor: floor, now: Timestamp.now())
        for (i, entry) in entries.enumerated() {
            guard Timestamp.isValid(entry.time), !entry.action.isEmpty else {
                throw CivicError.refused(reason: "journal entry \(i) (\(entry.action)): time '\(entry.time)' "
                                         + "must look like 2026-11-25T09:00:00Z and action must not be empty")
            }
        }

        // Under the lock no live writer owns a temporary file: any left is from a killed one.
        try DurableFiles.removeStaleTemporaryFiles(in: path)
        try DurableFiles.removeStaleTemporaryFiles(in: file(DatasetLayout.privateFolder))

        if state.contacts != before.state.contacts {
            let bytes = Self.contactsBytes(state.contacts)
            if bytes != before.contactsBytes {
                try DurableFiles.makeFolder(file(DatasetLayout.privateFolder), mode: 0o700)
                try DurableFiles.replace(file(DatasetLayout.contacts), with: bytes, mode: 0o600, forceMode: true)
            }
        }
        if state.entities != before.state.entities {
            let bytes = Self.entitiesBytes(state.entities)
            if bytes != before.entitiesBytes { try DurableFiles.replace(file(DatasetLayout.entities), with: bytes) }
        }
        if state.districts != before.state.districts {
            let bytes = Self.districtsBytes(state.districts)
            if bytes != before.districtsBytes { try DurableFiles.replace(file(DatasetLayout.districts), with: bytes) }
        }
        if state.info != before.state.info {
            let bytes = Self.infoBytes(state.info)
            if bytes != before.infoBytes { try DurableFiles.replace(file(DatasetLayout.info), with: bytes) }
        }
        if !entries.isEmpty {
            try appendToJournal(entries, current: before.journalBytes)
        }
        return result
    }

    // MARK: - inside

    private init(checkedPath: String) {
        path = checkedPath
    }

    /// The files as read, with their bytes, so an update can tell what changed.
    private struct Snapshot {
        var state: DatasetState
        var infoBytes: [UInt8]
        var districtsBytes: [UInt8]
        var entitiesBytes: [UInt8]
        var contactsBytes: [UInt8]?
        var journalBytes: [UInt8]?
    }

    private func file(_ name: String) -> String { path + "/" + name }

    private func read(includeContacts: Bool, includeJournal: Bool = false) throws(CivicError) -> Snapshot {
        let infoFile = file(DatasetLayout.info)
        guard let infoBytes = try DurableFiles.contents(of: infoFile) else {
            throw CivicError.refused(reason: "\(path): not a civic dataset (no \(DatasetLayout.info))",
                                     hint: Self.initHint(path))
        }
        let info = try DatasetInfo(json: try JSON.parse(infoBytes, file: infoFile), file: infoFile)
        if info.formatVersion > DatasetInfo.currentFormatVersion {
            throw CivicError.refused(
                reason: "\(infoFile): format_version \(info.formatVersion) is newer than this civic reads "
                    + "(\(DatasetInfo.currentFormatVersion))",
                hint: "update civic to work on this dataset")
        }

        let districtsFile = file(DatasetLayout.districts)
        let districtsBytes = try Self.required(districtsFile)
        var districts: [District] = []
        var districtIndex: [String: Int] = [:]
        for (index, feature) in try GeoJSONReader.features(in: districtsBytes, file: districtsFile).enumerated() {
            let district = try District(feature: feature, index: index, file: districtsFile)
            if let first = districtIndex[district.id] {
                throw CivicError.invalid(file: districtsFile, line: feature.line,
                                         place: "features[\(index)] (id \(district.id))", field: "id",
                                         reason: "the id '\(district.id)' is also used by features[\(first)]")
            }
            districtIndex[district.id] = index
            districts.append(district)
        }

        let entitiesFile = file(DatasetLayout.entities)
        let entitiesBytes = try Self.required(entitiesFile)
        var entities: [Entity] = []
        var entityIndex: [Int: Int] = [:]
        for (index, feature) in try GeoJSONReader.features(in: entitiesBytes, file: entitiesFile).enumerated() {
            let entity = try Entity(feature: feature, index: index, file: entitiesFile)
            if let first = entityIndex[entity.id] {
                throw CivicError.invalid(file: entitiesFile, line: feature.line,
                                         place: "features[\(index)] (id \(entity.id))", field: "id",
                                         reason: "the id \(entity.id) is also used by features[\(first)]",
                                         hint: "ids must be unique; give one of them the next free id")
            }
            entityIndex[entity.id] = index
            entities.append(entity)
        }
        entities.sort { $0.id < $1.id }

        var contacts: [Int: Contacts] = [:]
        var contactsBytes: [UInt8]?
        if includeContacts {
            let contactsFile = file(DatasetLayout.contacts)
            contactsBytes = try DurableFiles.contents(of: contactsFile)
            if let contactsBytes { contacts = try Self.contacts(contactsBytes, file: contactsFile) }
        }

        let journalBytes = includeJournal ? try DurableFiles.contents(of: file(DatasetLayout.history)) : nil
        return Snapshot(state: DatasetState(info: info, districts: districts, entities: entities, contacts: contacts),
                        infoBytes: infoBytes, districtsBytes: districtsBytes, entitiesBytes: entitiesBytes,
                        contactsBytes: contactsBytes, journalBytes: journalBytes)
    }

    private func journal(from bytes: [UInt8]?) throws(CivicError) -> [JournalEntry] {
        guard let bytes else { return [] }
        return try Journal.entries(bytes, file: file(DatasetLayout.history))
    }

    private static func required(_ path: String) throws(CivicError) -> [UInt8] {
        guard let bytes = try DurableFiles.contents(of: path) else {
            throw CivicError.io(path: path, reason: "missing: every dataset has this file")
        }
        return bytes
    }

    private static func contacts(_ bytes: [UInt8], file: String) throws(CivicError) -> [Int: Contacts] {
        guard let object = try JSON.parse(bytes, file: file).objectValue else {
            throw CivicError.invalid(file: file, place: "top level", reason: "expected an object keyed by entity id")
        }
        var contacts: [Int: Contacts] = [:]
        for (key, value) in object {
            guard let id = Int(key), id > 0 else {
                throw CivicError.invalid(file: file, place: "\"\(key)\"", reason: "not an entity id")
            }
            guard value.objectValue != nil else {
                throw CivicError.invalid(file: file, place: "\"\(key)\"", reason: "expected an object of contact fields")
            }
            contacts[id] = try Contacts(json: value)
        }
        return contacts
    }

    /// Sorts, stamps and checks the state a change produced.
    private func settle(_ state: inout DatasetState, before: DatasetState, idFloor: Int, now: String) throws(CivicError) {
        state.entities.sort { $0.id < $1.id }
        var previous: [Int: Entity] = [:]
        for entity in before.entities { previous[entity.id] = entity }
        var lastID = 0
        for i in state.entities.indices {
            let id = state.entities[i].id
            guard id > 0 else { throw CivicError.refused(reason: "entity id \(id): ids are positive integers") }
            guard id != lastID else { throw CivicError.refused(reason: "entity id \(id) is used twice") }
            lastID = id
            if let old = previous[id] {
                guard old != state.entities[i] else { continue }
                try Self.validate(state.entities[i], info: state.info)
                if state.entities[i].updated == old.updated { state.entities[i].updated = now }
            } else {
                guard id > idFloor else {
                    throw CivicError.refused(reason: "entity id \(id) was used before, and ids are never reused",
                                             hint: "take new ids from Dataset.nextEntityID(in:) (next is \(idFloor + 1))")
                }
                try Self.validate(state.entities[i], info: state.info)
                if state.entities[i].created == nil { state.entities[i].created = now }
            }
        }
        // A removed entity takes its private fields with it.
        let remaining = Set(state.entities.map(\.id))
        for id in previous.keys where !remaining.contains(id) { state.contacts[id] = nil }
        for (id, contact) in state.contacts {
            guard id > 0 else { throw CivicError.refused(reason: "contacts for id \(id): ids are positive integers") }
            if contact.isEmpty { state.contacts[id] = nil }
        }
        if state.districts != before.districts {
            try Self.validateDistricts(state.districts, file: file(DatasetLayout.districts))
        }
    }

    /// The rules the store itself holds every new or changed entity to; the command line checks
    /// more (location, duplicates) with `EntityRules` before it gets here.
    private static func validate(_ entity: Entity, info: DatasetInfo) throws(CivicError) {
        let place = "entity \(entity.id)"
        if entity.name.allSatisfy(\.isWhitespace) {
            throw CivicError.refused(reason: "\(place): the name is empty")
        }
        let kinds = info.vocabulary.kinds.map(\.id)
        if !kinds.contains(entity.kind) {
            throw CivicError.refused(reason: "\(place): unknown kind '\(entity.kind)'",
                                     hint: "allowed kinds: " + kinds.joined(separator: ", "))
        }
        let themes = info.vocabulary.themes.map(\.id)
        if entity.themes.isEmpty {
            throw CivicError.refused(reason: "\(place): an entity needs at least one theme",
                                     hint: "allowed themes: " + themes.joined(separator: ", "))
        }
        for theme in entity.themes where !themes.contains(theme) {
            throw CivicError.refused(reason: "\(place): unknown theme '\(theme)'",
                                     hint: "allowed themes: " + themes.joined(separator: ", "))
        }
        switch entity.geometry {
        case .point, .polygon, .multiPolygon: break
        default:
            throw CivicError.refused(reason: "\(place): a \(entity.geometry.typeName) cannot be an entity's geometry",
                                     hint: "use a Point, Polygon or MultiPolygon")
        }
    }

    private static func validateDistricts(_ districts: [District], file: String) throws(CivicError) {
        var seen = Set<String>()
        for district in districts {
            guard !district.id.isEmpty else { throw CivicError.refused(reason: "\(file): a district has an empty id") }
            guard seen.insert(district.id).inserted else {
                throw CivicError.refused(reason: "\(file): district id '\(district.id)' is used twice")
            }
            switch district.geometry {
            case .polygon, .multiPolygon: break
            default:
                throw CivicError.refused(
                    reason: "\(file): district '\(district.id)' is a \(district.geometry.typeName); districts are polygons")
            }
        }
    }

    /// Appends in one write. A last line torn by a killed writer is cut off first, so the new
    /// entries start on a line of their own; a whole last line that only lacks its newline gets one.
    private func appendToJournal(_ entries: [JournalEntry], current: [UInt8]?) throws(CivicError) {
        let historyFile = file(DatasetLayout.history)
        var bytes = Journal.lines(entries)
        if let current, let last = current.last, last != UInt8(ascii: "\n") {
            let torn = Journal.tornTailLength(current, file: historyFile)
            if torn > 0 {
                try DurableFiles.truncate(historyFile, to: current.count - torn)
            } else {
                bytes.insert(UInt8(ascii: "\n"), at: 0)
            }
        }
        try DurableFiles.append(historyFile, bytes)
    }

    static func highestID(in journal: [JournalEntry]) -> Int {
        journal.reduce(0) { max($0, $1.id ?? 0) }
    }

    // MARK: file contents (the one place that knows each file's layout)

    static func infoBytes(_ info: DatasetInfo) -> [UInt8] {
        withFinalNewline(JSON.serialize(info.json, pretty: true))
    }

    static func districtsBytes(_ districts: [District]) -> [UInt8] {
        withFinalNewline(GeoJSONWriter.featureCollection(districts.map(\.feature), onePerLine: true))
    }

    static func entitiesBytes(_ entities: [Entity]) -> [UInt8] {
        withFinalNewline(GeoJSONWriter.featureCollection(entities.map(\.feature), onePerLine: true))
    }

    /// Keyed by id as a string, in id order; entities without any private field are left out.
    static func contactsBytes(_ contacts: [Int: Contacts]) -> [UInt8] {
        var object = JSONObject()
        for id in contacts.keys.sorted() {
            guard let contact = contacts[id], !contact.isEmpty else { continue }
            object[String(id)] = contact.json
        }
        return withFinalNewline(JSON.serialize(.object(object), pretty: true))
    }

    private static func withFinalNewline(_ text: String) -> [UInt8] {
        var bytes = Array(text.utf8)
        if bytes.last != UInt8(ascii: "\n") { bytes.append(UInt8(ascii: "\n")) }
        return bytes
    }

    private static func refuseNonEmpty(_ path: String) throws(CivicError) {
        let names = try DurableFiles.names(in: path).filter { $0 != DatasetLayout.lock }
        guard names.isEmpty else {
            let what = names.contains(DatasetLayout.info) ? "already holds a dataset" : "is not empty"
            throw CivicError.refused(reason: "\(path) \(what)",
                                     hint: "civic init needs a new or empty folder")
        }
    }

    private static func normalize(_ path: String) -> String {
        var path = path
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        return path.isEmpty ? "." : path
    }

    private static func initHint(_ path: String) -> String {
        "start one with `civic init \(path)`, or name another with --dataset DIR (or CIVIC_DATASET)"
    }
}
