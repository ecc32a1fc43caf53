import CivicCore
import GeoValues

// Residents' concerns in the dataset folder (DESIGN §3, §10): `concerns.geojson` beside the
// entities, `private/concerns.json` beside the contacts, read by the one reader and written by the
// one commit. Both files are optional: a dataset without concerns has neither.

/// How concern changes are named in `history.jsonl`, so that concern ids are never handed out
/// twice: `concerns add` records `"concern_id": 17`, an import `"concern_ids": {"first": 18,
/// "last": 4017}`. Neither uses the entry's `id`, which is the entities' sequence. The journal is
/// public: these entries carry counts, themes and districts, never a point, text or reporter.
public enum ConcernJournal {
    /// The action of `civic concerns add`.
    public static let addAction = "concern add"
    /// The action of `civic import concerns`.
    public static let importAction = "concern import"

    /// The highest concern id an entry names, or 0.
    static func highestID(_ entry: JournalEntry) -> Int {
        guard entry.action.hasPrefix("concern") else { return 0 }
        var highest = entry.changes["concern_id"]?.intValue ?? 0
        if let last = entry.changes["concern_ids"]?.objectValue?["last"]?.intValue { highest = max(highest, last) }
        return highest
    }

    /// The entry for concerns `ids` (ascending) added or updated by one change.
    public static func entry(action: String, added: [Int], updated: Int, name: String? = nil,
                             changes extra: JSONObject = JSONObject(), time: String) -> JournalEntry {
        var changes = extra
        if added.count == 1, action == addAction {
            changes["concern_id"] = .number(added[0])
        } else if let first = added.first, let last = added.last {
            changes["concern_ids"] = .object(JSONObject([("first", .number(first)), ("last", .number(last))]))
        }
        changes["added"] = .number(added.count)
        changes["updated"] = .number(updated)
        return JournalEntry(time: time, action: action, name: name, changes: changes)
    }
}

extension DatasetReader {
    /// Reads `concerns.geojson` (a missing file is no concerns) and, with `privateFields`,
    /// `private/concerns.json`. Each concern must read as a ``Concern``, have a unique id, a theme
    /// of the vocabulary and, when it names one, a district of the dataset; each private entry
    /// must belong to a concern.
    func readConcerns(into result: inout Result, privateFields: Bool, log: inout ProblemLog) throws(CivicError) {
        let concernsFile = folder + "/" + DatasetLayout.concerns
        if let bytes = try optionalContents(DatasetLayout.concerns, log: &log) {
            result.concernsBytes = bytes
            do throws(CivicError) {
                let features = try GeoJSONReader.features(in: bytes, file: concernsFile)
                let themes = Set(result.state.info.vocabulary.themes.map(\.id))
                let districts = Set(result.state.districts.map(\.id))
                var firstIndex: [Int: Int] = [:]
                var concerns: [Concern] = []
                concerns.reserveCapacity(features.count)
                for (index, feature) in features.enumerated() {
                    let concern: Concern
                    do {
                        concern = try Concern(feature: feature, index: index, file: concernsFile)
                    } catch {
                        try log.report(error)
                        continue
                    }
                    func problem(_ field: String, _ reason: String, hint: String? = nil) -> CivicError {
                        .invalid(file: concernsFile, line: feature.line, place: Feature.place(index: index, id: feature.id),
                                 field: field, reason: reason, hint: hint)
                    }
                    if let first = firstIndex[concern.id] {
                        try log.report(problem("id", "duplicate id: features[\(first)] has it too"))
                        continue
                    }
                    firstIndex[concern.id] = index
                    if !themes.contains(concern.theme) {
                        try log.report(problem("theme", "unknown theme '\(CivicError.excerpt(concern.theme))'",
                                               hint: "allowed: " + result.state.info.vocabulary.themes.map(\.id).joined(separator: ", ")))
                    }
                    if let district = concern.district, !districts.isEmpty, !districts.contains(district) {
                        try log.report(problem("district", "no district has the id '\(CivicError.excerpt(district))'"))
                    }
                    concerns.append(concern)
                }
                concerns.sort { $0.id < $1.id }
                result.state.concerns = concerns
            } catch {
                try log.report(error)
            }
        }
        guard privateFields else { return }
        let privateFile = folder + "/" + DatasetLayout.concernsPrivate
        guard let bytes = try optionalContents(DatasetLayout.concernsPrivate, log: &log) else { return }
        result.concernPrivateBytes = bytes
        let object: JSONObject
        do throws(CivicError) {
            guard let parsed = try JSON.parse(bytes, file: privateFile).objectValue else {
                throw CivicError.invalid(file: privateFile, place: "top level", reason: "expected an object keyed by concern id")
            }
            object = parsed
        } catch {
            try log.report(error)
            return
        }
        let known = Set(result.state.concerns.map(\.id))
        for (key, value) in object {
            let place = "\"" + CivicError.excerpt(key) + "\""
            guard let id = Int(key), id > 0, String(id) == key else {
                try log.report(.invalid(file: privateFile, place: place, reason: "not a concern id",
                                        hint: "the keys are the ids of concerns.geojson, such as \"17\""))
                continue
            }
            do {
                let entry = try ConcernPrivate(json: value, file: privateFile, place: place)
                if result.concernsBytes != nil, !known.contains(id) {
                    try log.report(.invalid(file: privateFile, place: place, reason: "no concern in \(DatasetLayout.concerns) has this id"))
                }
                result.state.concernPrivate[id] = entry
            } catch {
                try log.report(error)
            }
        }
    }

    /// The bytes of an optional file, nil when it does not exist.
    private func optionalContents(_ name: String, log: inout ProblemLog) throws(CivicError) -> [UInt8]? {
        do {
            return try DurableFiles.contents(of: folder + "/" + name)
        } catch {
            try log.report(error)
            return nil
        }
    }
}

extension Dataset {
    /// Sorts and checks the concerns a change produced: positive unique ids, new ids above every id
    /// used before, a theme of the vocabulary, a known district, dates in order; drops the private
    /// fields of removed concerns and empty entries.
    func settleConcerns(_ state: inout DatasetState, before: DatasetState, idFloor: Int) throws(CivicError) {
        guard state.concerns != before.concerns || state.concernPrivate != before.concernPrivate
            || state.info.vocabulary != before.info.vocabulary || state.districts != before.districts else { return }
        state.concerns.sort { $0.id < $1.id }
        let themes = Set(state.info.vocabulary.themes.map(\.id))
        let districts = Set(state.districts.map(\.id))
        let old = Dictionary(before.concerns.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var lastID = 0
        for concern in state.concerns {
            let place = "concern \(concern.id)"
            guard concern.id > 0 else { throw CivicError.refused(reason: "\(place): ids are positive integers") }
            guard concern.id != lastID else { throw CivicError.refused(reason: "\(place): the id is used twice") }
            lastID = concern.id
            if old[concern.id] == nil, concern.id <= idFloor {
                throw CivicError.refused(reason: "\(place): the id was used before, and ids are never reused",
                                         hint: "take new ids from Dataset.nextConcernID(in:) (next is \(idFloor + 1))")
            }
            guard themes.contains(concern.theme) else {
                throw CivicError.refused(reason: "\(place): unknown theme '\(concern.theme)'",
                                         hint: "allowed themes: " + state.info.vocabulary.themes.map(\.id).joined(separator: ", "))
            }
            if let district = concern.district, !districts.contains(district) {
                throw CivicError.refused(reason: "\(place): no district has the id '\(district)'")
            }
            if concern.point == nil, concern.district == nil {
                throw CivicError.refused(reason: "\(place): a concern needs a point or a district")
            }
            guard let received = CivilDate(concern.received), received.description == concern.received else {
                throw CivicError.refused(reason: "\(place): received '\(concern.received)' is not a date such as 2026-03-05")
            }
            if let resolved = concern.resolved {
                guard let day = CivilDate(resolved), day.description == resolved else {
                    throw CivicError.refused(reason: "\(place): resolved '\(resolved)' is not a date such as 2026-03-05")
                }
                guard day >= received else {
                    throw CivicError.refused(reason: "\(place): resolved \(resolved) is before received \(concern.received)")
                }
            }
        }
        let ids = Set(state.concerns.map(\.id))
        for (id, entry) in state.concernPrivate where entry.isEmpty || !ids.contains(id) {
            state.concernPrivate[id] = nil
        }
    }

    /// The concern files whose content the change altered. A dataset that never had concerns gets
    /// no files for an empty list.
    static func concernFiles(_ state: DatasetState, before: DatasetReader.Result) -> [PendingFile] {
        var files: [PendingFile] = []
        if state.concerns != before.state.concerns {
            let bytes = concernsBytes(state.concerns)
            if bytes != before.concernsBytes { files.append(PendingFile(name: DatasetLayout.concerns, bytes: bytes)) }
        }
        if state.concernPrivate != before.state.concernPrivate {
            let bytes = concernPrivateBytes(state.concernPrivate)
            if bytes != before.concernPrivateBytes {
                files.append(PendingFile(name: DatasetLayout.concernsPrivate, bytes: bytes, mode: 0o600, forceMode: true))
            }
        }
        return files
    }

    /// One feature per line, sorted by id, as `entities.geojson`.
    static func concernsBytes(_ concerns: [Concern]) -> [UInt8] {
        Concern.collectionBytes(concerns)
    }

    /// Keyed by id as a string, in id order; concerns without any private field are left out.
    static func concernPrivateBytes(_ entries: [Int: ConcernPrivate]) -> [UInt8] {
        ConcernPrivate.fileBytes(entries)
    }
}
