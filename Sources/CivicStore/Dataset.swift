import CivicCore
import CivicRules
import GeoValues

/// A dataset folder (DESIGN §3): the one place that reads and writes its files.
///
/// **Reading.** Every read goes through one reader (``DatasetReader``) under a shared `flock` on
/// `.civic.lock`, so it never mixes the files of two updates: ``load(includeContacts:)``,
/// ``read(includeContacts:invalidEntities:)``, ``journal()`` stop at the first problem, and
/// ``validate()`` collects every problem with the same checks, so `civic validate` passes exactly
/// when every command can read and write. A file that does not read is reported with its name
/// and place and is never rewritten.
///
/// **Writing.** ``update(_:)`` holds the lock exclusive, re-reads the files, applies the caller's
/// change, validates it and commits it as one transaction, written ahead in `history.jsonl`
/// (see `Transaction.swift`): a writer killed at any instant leaves the old state or the new one,
/// never a change missing from the journal, a contact lost or an id handed out twice. The next
/// command, reader or writer, finishes or undoes an interrupted transaction before it reads.
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
    /// True while ``update(_:)`` runs: this `Dataset` holds the exclusive lock, so a read from
    /// inside the change reads without taking the lock again (it would wait for itself).
    private var updating = false
    /// During an update: the highest concern id ever used, as ``idFloorDuringUpdate`` for entities.
    var concernFloorDuringUpdate: Int?

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
        let lock = try DatasetLock(path: path + "/" + DatasetLayout.lock, mode: .exclusive)
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

    /// The dataset as it is on disk now, read under the shared lock. Contacts are read only when
    /// asked for (they are private, and a clone from git has none: then they are empty).
    /// Throws the first problem of the files, an entity with invalid geometry included.
    /// With `network`, ``DatasetState/network`` holds `network.geojson` (nil when there is none).
    /// With `concerns`, `concerns.geojson` is read too (and, with `includeContacts`, the concerns'
    /// private fields): only the commands about concerns pay for reading them.
    public func load(includeContacts: Bool = false, network: Bool = false, concerns: Bool = false) throws(CivicError) -> DatasetState {
        try read(includeContacts: includeContacts, network: network, concerns: concerns).state
    }

    /// The dataset as it is on disk now, like ``load(includeContacts:)``; with
    /// `invalidEntities: .report`, an entity whose geometry is invalid does not stop the reading
    /// but comes back in ``DatasetReading/invalidEntities``, for a read-only caller that leaves
    /// such entities out with a warning:
    ///
    /// ```swift
    /// let reading = try dataset.read(invalidEntities: .report)
    /// for problem in reading.invalidEntities { print("warning: skipped \(problem)") }
    /// let state = reading.validState
    /// ```
    ///
    /// Every other problem of the files is thrown. A change (``update(_:)``) never proceeds past an
    /// invalid entity that it leaves as it is.
    ///
    /// With `network`, the street network is read too, under the same lock, into
    /// ``DatasetState/network`` (nil when the dataset has none): walking coverage asks for it,
    /// `list` and `add` do not pay for it. With `concerns`, the concerns likewise.
    public func read(includeContacts: Bool = false, invalidEntities: InvalidEntityHandling = .refuse,
                     network: Bool = false, concerns: Bool = false) throws(CivicError) -> DatasetReading {
        let result = try withReadLock { () throws(CivicError) in
            try DatasetReader(folder: path).read(.init(contacts: includeContacts, invalidGeometry: invalidEntities,
                                                       network: network, concerns: concerns))
        }
        return DatasetReading(state: result.state,
                              invalidEntities: result.entityProblems.filter { $0.rule == .geometry })
    }

    /// The journal's entries, oldest first: what `civic log` shows. The store's own bookkeeping
    /// (which transaction a line belongs to) is not in them, and neither is the unfinished end an
    /// interrupted writer may have left. Reads `dataset.json` too, for its format version.
    public func journal() throws(CivicError) -> [JournalEntry] {
        try journalFile().entries
    }

    /// Every problem of the dataset, as `civic validate` lists them: the same reading as every
    /// command's, all files (contacts and journal included), without stopping at the first problem,
    /// plus the quality findings commands do not refuse (districts that overlap or look written
    /// `[lat, lon]`, entities out of id order, outside every district, likely duplicates). What was
    /// kept on purpose (``Allowances``, `allow` in `dataset.json`), two OpenStreetMap objects with
    /// one name and holes between districts are notes, which never fail it. Changes nothing,
    /// except that it first finishes or undoes a transaction a killed writer left, as every
    /// command does.
    public func validate() -> DatasetValidation {
        do {
            return try withReadLock { () throws(CivicError) in
                let result = try DatasetReader(folder: path).read(
                    .init(contacts: true, journal: true, mode: .everyProblem, findings: true))
                var notes = result.notes
                if let line = result.journal?.unfinishedLine {
                    notes.append("\(file(DatasetLayout.history)):\(line): the last lines are an append that a killed "
                                 + "writer never finished; they are not part of the history, and the next change removes them")
                }
                return DatasetValidation(problems: result.problems, notes: notes, warnings: result.warnings)
            }
        } catch {
            return DatasetValidation(problems: [error], notes: [])
        }
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
        var highest = try journalFile().highestID
        for entity in state.entities where entity.id > highest { highest = entity.id }
        for id in state.contacts.keys where id > highest { highest = id }
        return highest + 1
    }

    /// The id for a new concern: one more than any concern id the concerns, their private fields
    /// or the journal have ever used (a separate sequence from the entities'). Inside
    /// ``update(_:)`` it costs O(1); keep `state.concerns` sorted by id by adding each new concern
    /// at the end with the id this returns.
    public func nextConcernID(in state: DatasetState) throws -> Int {
        if let concernFloorDuringUpdate {
            return max(concernFloorDuringUpdate, state.concerns.last?.id ?? 0) + 1
        }
        var highest = try journalFile().highestConcernID
        for concern in state.concerns where concern.id > highest { highest = concern.id }
        for id in state.concernPrivate.keys where id > highest { highest = id }
        return highest + 1
    }

    // MARK: writing

    /// Changes the dataset under its exclusive lock: re-reads every file (contacts and journal
    /// included), lets `change` edit the state and add journal entries, checks the result, and
    /// commits the files whose content changed together with the entries as one transaction.
    ///
    /// If `change` throws, or the result breaks a rule, nothing is written and the error is
    /// rethrown. The store also:
    /// - refuses to start on files that do not read, exactly as `civic validate` reports them;
    /// - refuses to write while an entity the files hold breaks a rule (``EntityProblem``:
    ///   invalid geometry, a kind or theme outside the vocabulary, a malformed e-mail or phone),
    ///   unless the change corrects or removes that entity;
    /// - sorts entities by id and refuses duplicate ids and ids used before;
    /// - checks new and changed entities against the vocabulary and GEOS validity;
    /// - sets `created` on new entities and `updated` on changed ones (unless the closure set them);
    /// - drops the contacts of entities the change removed.
    ///
    /// With `includeNetwork`, ``DatasetState/network`` holds the street network as read, for a
    /// change that updates it way by way (an import); without it the network is nil and is left
    /// as it is unless the change sets one. A network the change sets is checked as the reader
    /// checks `network.geojson` and written sorted by source, in the same transaction as the rest.
    ///
    /// Do not call `update` on the same folder from inside `change`: it would wait for itself.
    @discardableResult
    public func update<T>(includeNetwork: Bool = false,
                          _ change: (inout DatasetState, inout [JournalEntry]) throws -> T) throws -> T {
        guard !updating else {
            throw CivicError.refused(reason: "\(path): update called from inside an update of the same dataset")
        }
        let lock = try DatasetLock(path: file(DatasetLayout.lock), mode: .exclusive)
        defer { lock.release() }
        updating = true
        defer {
            updating = false
            idFloorDuringUpdate = nil
            concernFloorDuringUpdate = nil
        }

        let journal = try recover()
        let before = try DatasetReader(folder: path).read(.init(contacts: true, invalidGeometry: .report,
                                                                network: includeNetwork, concerns: true))
        if let problem = journal.problems.first { throw problem }
        let floor = max(journal.file.highestID,
                        before.state.entities.last?.id ?? 0,
                        before.state.contacts.keys.max() ?? 0)
        idFloorDuringUpdate = floor
        let concernFloor = max(journal.file.highestConcernID,
                               before.state.concerns.last?.id ?? 0,
                               before.state.concernPrivate.keys.max() ?? 0)
        concernFloorDuringUpdate = concernFloor

        var state = before.state
        var entries: [JournalEntry] = []
        let result = try change(&state, &entries)

        let now = Timestamp.now()
        try settle(&state, before: before.state, problems: before.entityProblems, idFloor: floor, now: now)
        try settleConcerns(&state, before: before.state, idFloor: concernFloor)
        for (i, entry) in entries.enumerated() {
            guard Timestamp.isValid(entry.time), !entry.action.isEmpty else {
                throw CivicError.refused(reason: "journal entry \(i) (\(entry.action)): time '\(entry.time)' "
                                         + "must look like 2026-11-25T09:00:00Z and action must not be empty")
            }
        }

        var files: [PendingFile] = []
        if state.info != before.state.info {
            let bytes = Self.infoBytes(state.info)
            if bytes != before.infoBytes { files.append(PendingFile(name: DatasetLayout.info, bytes: bytes)) }
        }
        if state.districts != before.state.districts {
            let bytes = Self.districtsBytes(state.districts)
            if bytes != before.districtsBytes { files.append(PendingFile(name: DatasetLayout.districts, bytes: bytes)) }
        }
        if state.entities != before.state.entities {
            let bytes = Self.entitiesBytes(state.entities)
            if bytes != before.entitiesBytes { files.append(PendingFile(name: DatasetLayout.entities, bytes: bytes)) }
        }
        if state.contacts != before.state.contacts {
            let bytes = Self.contactsBytes(state.contacts)
            if bytes != before.contactsBytes {
                files.append(PendingFile(name: DatasetLayout.contacts, bytes: bytes, mode: 0o600, forceMode: true))
            }
        }
        if let network = state.network, network != before.state.network {
            try Self.validateNetwork(network, file: file(DatasetLayout.network))
            let bytes = Self.networkBytes(network)
            if bytes != before.networkBytes { files.append(PendingFile(name: DatasetLayout.network, bytes: bytes)) }
        }
        files += Self.concernFiles(state, before: before)
        if !files.isEmpty || !entries.isEmpty {
            try commit(files, entries: entries, journal: journal.file, now: now)
        }
        return result
    }

    // MARK: - inside

    private init(checkedPath: String) {
        path = checkedPath
    }

    func file(_ name: String) -> String { path + "/" + name }

    /// Runs `body` under the shared lock, after finishing or undoing whatever transaction a killed
    /// writer left (which needs the lock exclusive for a moment).
    private func withReadLock<T>(_ body: () throws(CivicError) -> T) throws(CivicError) -> T {
        // Inside an update this `Dataset` holds the lock exclusive already, and has recovered.
        if updating { return try body() }
        let lock = try DatasetLock(path: file(DatasetLayout.lock), mode: .shared)
        defer { lock.release() }
        guard lock.mode != nil else {
            if try !temporaryFiles().isEmpty {
                throw CivicError.refused(
                    reason: "\(path): a change was interrupted, and finishing it needs write access to this folder",
                    hint: "run any civic command on it as a user who may write it")
            }
            return try body()
        }
        // Changing the lock's mode lets another writer in between: look again after each recovery.
        while try !temporaryFiles().isEmpty {
            try lock.change(to: .exclusive)
            try recover()
            try lock.change(to: .shared)
        }
        return try body()
    }

    private func journalFile() throws(CivicError) -> JournalFile {
        try withReadLock { () throws(CivicError) in
            try DatasetReader(folder: path).read(.init(map: false, journal: true)).journal ?? JournalFile(bytes: [])
        }
    }

    /// Sorts, stamps and checks the state a change produced.
    private func settle(_ state: inout DatasetState, before: DatasetState, problems: [EntityProblem], idFloor: Int,
                        now: String) throws(CivicError) {
        state.entities.sort { $0.id < $1.id }
        let vocabularyChanged = state.info.vocabulary != before.info.vocabulary
        // Both lists are sorted by id: one walk pairs each entity with what it was, without a
        // dictionary of 40,000 entities.
        var old = 0
        var removed: [Int] = []
        var lastID = 0
        for i in state.entities.indices {
            let id = state.entities[i].id
            guard id > 0 else { throw CivicError.refused(reason: "entity id \(id): ids are positive integers") }
            guard id != lastID else { throw CivicError.refused(reason: "entity id \(id) is used twice") }
            lastID = id
            while old < before.entities.count, before.entities[old].id < id {
                removed.append(before.entities[old].id)
                old += 1
            }
            if old < before.entities.count, before.entities[old].id == id {
                old += 1
                if before.entities[old - 1] == state.entities[i] {
                    // Entities the change left alone must fit a new vocabulary too.
                    if vocabularyChanged { try Self.validate(state.entities[i], info: state.info) }
                    continue
                }
                try Self.validate(state.entities[i], info: state.info)
                if state.entities[i].updated == before.entities[old - 1].updated { state.entities[i].updated = now }
            } else {
                guard id > idFloor else {
                    throw CivicError.refused(reason: "entity id \(id) was used before, and ids are never reused",
                                             hint: "take new ids from Dataset.nextEntityID(in:) (next is \(idFloor + 1))")
                }
                try Self.validate(state.entities[i], info: state.info)
                if state.entities[i].created == nil { state.entities[i].created = now }
            }
        }
        removed += before.entities[old...].map(\.id)
        // A removed entity takes its private fields with it.
        for id in removed { state.contacts[id] = nil }
        for (id, contact) in state.contacts {
            guard id > 0 else { throw CivicError.refused(reason: "contacts for id \(id): ids are positive integers") }
            if contact.isEmpty {
                state.contacts[id] = nil
            } else if contact != before.contacts[id],
                      let problem = DatasetReader.contactProblems(contact, file: file(DatasetLayout.contacts), id: id).first {
                throw problem
            }
        }
        // What was wrong in the files before: the change may correct it, never keep it.
        for problem in problems {
            let kept: Bool
            switch problem.rule {
            case .geometry:
                kept = before.entity(id: problem.id).map { old in state.entity(id: problem.id)?.geometry == old.geometry }
                    ?? false
            case .vocabulary:
                kept = state.entity(id: problem.id).map { entity in
                    entity == before.entity(id: entity.id) && (try? Self.validate(entity, info: state.info)) == nil
                } ?? false
            case .contacts:
                kept = before.contacts[problem.id] != nil && state.contacts[problem.id] == before.contacts[problem.id]
            }
            if kept { throw Self.blocking(problem) }
        }
        if state.districts != before.districts {
            try Self.validateDistricts(state.districts, file: file(DatasetLayout.districts))
        }
    }

    /// A problem of the files as a refusal to write: where it is and what to do first.
    private static func blocking(_ problem: EntityProblem) -> CivicError {
        let id = problem.id
        let hint: String
        switch problem.rule {
        case .geometry:
            hint = "correct it (civic edit \(id) --polygon FILE) or remove it (civic remove \(id)) first; "
                + "civic validate lists every problem"
        case .vocabulary:
            hint = "change it (civic edit \(id) --kind … / --remove-theme …) or add the term to dataset.json first; "
                + "civic validate lists every problem"
        case .contacts:
            hint = "correct it (civic edit \(id) --email … / --phone …) first; civic validate lists every problem"
        }
        if case let .invalid(file, line, place, field, reason, _) = problem.error {
            return .invalid(file: file, line: line, place: place, field: field, reason: reason, hint: hint)
        }
        return problem.error
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
        case .point:
            break
        case .polygon, .multiPolygon:
            switch DatasetReader.validity(of: entity.geometry) {
            case .valid: break
            case .invalid(let reason): throw CivicError.refused(reason: "\(place): the polygon is invalid: " + reason)
            case .unchecked(let reason): throw CivicError.refused(reason: "\(place): geometry: " + reason)
            }
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
            case .polygon, .multiPolygon:
                switch DatasetReader.validity(of: district.geometry) {
                case .valid: break
                case .invalid(let reason), .unchecked(let reason):
                    throw CivicError.refused(reason: "\(file): district '\(district.id)': " + reason)
                }
            default:
                throw CivicError.refused(
                    reason: "\(file): district '\(district.id)' is a \(district.geometry.typeName); districts are polygons")
            }
        }
    }

    /// The rules of ``DatasetReader/readNetwork(into:request:log:)`` for a network a change sets.
    private static func validateNetwork(_ network: [StreetWay], file: String) throws(CivicError) {
        var seen = Set<String>()
        for way in network {
            guard way.positions.count >= 2, way.nodes.map({ $0.count == way.positions.count }) ?? true else {
                throw CivicError.refused(reason: "\(file): way \(way.source): a street needs two positions or more, "
                                         + "and one node id per position when it has node ids")
            }
            if let reason = DatasetReader.problem(of: way) {
                throw CivicError.refused(reason: "\(file): way \(way.source): \(reason)")
            }
            guard seen.insert(way.source).inserted else {
                throw CivicError.refused(reason: "\(file): way source '\(way.source)' is used twice")
            }
        }
    }

    // MARK: file contents (the one place that knows each file's layout)

    static func networkBytes(_ network: [StreetWay]) -> [UInt8] {
        withFinalNewline(StreetNetworkFile.text(of: network))
    }

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
