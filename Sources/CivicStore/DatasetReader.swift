import CivicCore
import CivicRules
import Foundation
import GeoValues

/// How a reading deals with a problem of the files.
enum ReadMode {
    /// Stop at the first problem and throw it: every command.
    case firstProblem
    /// Keep going and collect every problem: `civic validate`.
    case everyProblem
}

/// The problems a reading finds. Reporting one throws it in ``ReadMode/firstProblem`` and keeps
/// it in ``ReadMode/everyProblem``, so a command and `civic validate` run the same checks.
struct ProblemLog {
    let mode: ReadMode
    private(set) var problems: [CivicError] = []

    init(mode: ReadMode) {
        self.mode = mode
    }

    mutating func report(_ problem: CivicError) throws(CivicError) {
        if mode == .firstProblem { throw problem }
        problems.append(problem)
    }

    /// Keeps problems another log collected.
    mutating func append(_ more: [CivicError]) {
        problems += more
    }
}

/// A problem of one entity that the dataset's own rules find in the files as they are, though
/// every file reads: its geometry is invalid (a bow-tie polygon), its kind or a theme is outside
/// the vocabulary, or its e-mail or phone is malformed.
///
/// `civic validate` reports each. ``Dataset/update(_:)`` refuses to write while one remains,
/// unless the change removes or corrects that entity. Read-only callers get the geometry problems
/// from ``Dataset/read(includeContacts:invalidEntities:)`` with ``InvalidEntityHandling/report``.
public struct EntityProblem: Sendable, Hashable, CustomStringConvertible {
    /// Which rule the entity breaks.
    public enum Rule: Sendable, Hashable {
        /// GEOS finds the polygon invalid (self-intersection, ring crossing a hole, …).
        case geometry
        /// Its kind or a theme is not in the dataset's vocabulary.
        case vocabulary
        /// Its e-mail or phone in `private/contacts.json` is malformed.
        case contacts
    }

    /// The entity's id.
    public var id: Int
    /// The rule it breaks.
    public var rule: Rule
    /// The problem, naming the file, line, feature and field.
    public var error: CivicError

    /// A problem of entity `id`.
    public init(id: Int, rule: Rule, error: CivicError) {
        self.id = id
        self.rule = rule
        self.error = error
    }

    /// The error's one-line description.
    public var description: String { error.description }
}

/// What to do with an entity whose geometry GEOS finds invalid.
public enum InvalidEntityHandling: Sendable {
    /// Throw its problem, as every command does by default.
    case refuse
    /// Keep it in the state and list it in ``DatasetReading/invalidEntities``, for a read-only
    /// caller that can leave it out with a warning (`coverage --skip-invalid`).
    case report
}

/// One read of a dataset: the state, and the entities whose geometry is invalid when asked for.
public struct DatasetReading: Sendable {
    /// The files as values.
    public var state: DatasetState
    /// With ``InvalidEntityHandling/report``: each entity whose geometry is invalid, in file order,
    /// with the reason (`entities.geojson:9: features[6] (id 7): geometry: self-intersection at …`).
    /// These entities are still in ``state``; ``validState`` leaves them out.
    public var invalidEntities: [EntityProblem]

    /// ``state`` without the entities of ``invalidEntities`` (and their contacts).
    public var validState: DatasetState {
        guard !invalidEntities.isEmpty else { return state }
        let invalid = Set(invalidEntities.map(\.id))
        var valid = state
        valid.entities.removeAll { invalid.contains($0.id) }
        for id in invalid { valid.contacts[id] = nil }
        return valid
    }
}

/// How far a reading of the dataset has come, for a live count on a terminal
/// (`reading entities… 120,000`, then `checking entities… 120,000/400,000`).
///
/// A reading reports each large file twice: while its features are parsed (``Stage/reading``,
/// the total not yet known) and while each is checked (``Stage/checking``), every
/// ``GeoJSONReader/progressStride`` features and once at the end of each stage.
public struct ReadingProgress: Sendable, Equatable {
    /// What the reader is doing with the file.
    public enum Stage: Sendable, Equatable {
        /// Parsing its features.
        case reading
        /// Checking each feature against the model and the rules (GEOS validity, vocabulary, ids).
        case checking
    }

    /// The file's name in the dataset (`entities.geojson`, `network.geojson`).
    public var file: String
    public var stage: Stage
    /// Features read or checked so far.
    public var done: Int
    /// The file's feature count, once known (while checking).
    public var total: Int?

    /// A report of `done` features of `file`.
    public init(file: String, stage: Stage, done: Int, total: Int? = nil) {
        self.file = file
        self.stage = stage
        self.done = done
        self.total = total
    }
}

/// Told how far a reading has come; called on the reading's thread, a few dozen times for a city
/// of 400,000 entities.
public typealias ReadingProgressHandler = (ReadingProgress) -> Void

/// The one code that reads a dataset folder (DESIGN §3). ``Dataset`` calls it under the lock, for
/// commands (stop at the first problem) and for `civic validate` (collect every problem), so that
/// `validate` passes exactly when every command can read and write.
///
/// It reads `dataset.json` first, refusing a `format_version` newer than this civic's, then the
/// districts and entities (GeoJSON structure, model fields, unique ids, GEOS validity), and when
/// asked the contacts (keys are entity ids, values objects of contact fields) and the journal
/// (every line an entry or the store's bookkeeping). Problems of single entities that the rules
/// find (``EntityProblem``) are listed rather than thrown, except invalid geometry for a caller
/// that asks for ``InvalidEntityHandling/refuse``. With `findings`, it also looks for what
/// `civic validate` reports about quality: entities out of id order, outside every district, or
/// likely duplicates; those never stop a command.
struct DatasetReader {
    /// What to read and how.
    struct Request: Sendable {
        /// The districts and the entities; without them, `dataset.json` and what else is asked for.
        var map = true
        var contacts = false
        var journal = false
        var mode = ReadMode.firstProblem
        var invalidGeometry = InvalidEntityHandling.refuse
        var findings = false
        /// `network.geojson`, which only walking coverage and `validate` need: a city's is tens of MB.
        var network = false
        /// `concerns.geojson`, and with `contacts` `private/concerns.json` too.
        var concerns = false
    }

    /// The files as read.
    struct Result {
        var state: DatasetState
        var infoBytes: [UInt8] = []
        var districtsBytes: [UInt8] = []
        var entitiesBytes: [UInt8] = []
        /// nil when the contacts were not asked for or the file does not exist.
        var contactsBytes: [UInt8]?
        /// nil when the network was not asked for or the file does not exist.
        var networkBytes: [UInt8]?
        /// nil when the concerns were not asked for or the file does not exist.
        var concernsBytes: [UInt8]?
        /// nil when the concerns' private fields were not asked for or the file does not exist.
        var concernPrivateBytes: [UInt8]?
        /// nil when the journal was not asked for; empty bytes when the file does not exist.
        var journal: JournalFile?
        var entityProblems: [EntityProblem] = []
        /// With ``ReadMode/everyProblem``: every problem, file by file, each file's in line order.
        var problems: [CivicError] = []
        /// With `findings`: what is worth saying but is no problem — choices kept on purpose
        /// (overlapping districts, entities outside or side by side with one name), two OSM
        /// objects with one name, holes between districts — file by file, in line order.
        var notes: [String] = []
        /// With `findings`: the districts look written `[lat, lon]`, so every entity's place
        /// against them says nothing.
        var districtsLookSwapped = false
        /// With `findings`: what is worth a warning but is no problem (a street network in many
        /// pieces, ways far from every district); they never fail `validate`.
        var warnings: [String] = []
    }

    let folder: String
    /// Told how far the reading of the entities and the network has come; nil for silence. The
    /// network may be read on another thread at the same time as the entities, so the calls go
    /// through one lock (``ProgressLine``): one at a time, never two lines written into each other.
    let progress: ReadingProgressHandler?
    private let progressLine: ProgressLine?

    init(folder: String, progress: ReadingProgressHandler? = nil) {
        self.folder = folder
        progressLine = progress.map(ProgressLine.init)
        self.progress = progressLine.map { line in { line.report($0) } }
    }

    func file(_ name: String) -> String { folder + "/" + name }

    /// The features of the dataset's file `name` (whose bytes are `bytes`), reporting the count
    /// read to ``progress``.
    func features(in bytes: [UInt8], name: String) throws(CivicError) -> [Feature] {
        guard let progress else { return try GeoJSONReader.features(in: bytes, file: file(name)) }
        return try GeoJSONReader.features(in: bytes, file: file(name)) { done in
            progress(ReadingProgress(file: name, stage: .reading, done: done))
        }
    }

    /// Reports `done` of `total` features of `name` checked, every stride and at the end.
    func checked(_ done: Int, of total: Int, name: String) {
        guard let progress, done % GeoJSONReader.progressStride == 0 || done == total else { return }
        progress(ReadingProgress(file: name, stage: .checking, done: done, total: total))
    }

    func read(_ request: Request) throws(CivicError) -> Result {
        var log = ProblemLog(mode: request.mode)
        var result = Result(state: DatasetState(info: DatasetInfo(name: "", city: ""), districts: []))

        // dataset.json first: a newer format_version means nothing else may be read as this civic reads it.
        let infoFile = file(DatasetLayout.info)
        if let bytes = try contents(DatasetLayout.info, required: true, log: &log) {
            result.infoBytes = bytes
            do {
                let info = try DatasetInfo(json: try JSON.parse(bytes, file: infoFile), file: infoFile)
                if info.formatVersion > DatasetInfo.currentFormatVersion {
                    try log.report(.invalid(
                        file: infoFile, place: "dataset", field: "format_version",
                        reason: "\(info.formatVersion) is newer than this civic reads (\(DatasetInfo.currentFormatVersion))",
                        hint: "update civic to work on this dataset"))
                    result.problems = log.problems
                    return result
                }
                result.state.info = info
            } catch {
                try log.report(error)
            }
        }

        // A command that walks reads the network on another thread while the districts and entities
        // are read: a city's streets take as long to parse as its entities. `validate` reads it in
        // turn: its findings measure the ways against the districts, and it lists every problem in
        // file order.
        let networkAlongside = request.map && request.network && request.mode == .firstProblem && !request.findings
            ? startNetwork(request) : nil
        if request.map {
            // Whatever is thrown, the network's reading is waited for: none outlives the lock.
            defer { _ = try? networkAlongside?.value() }
            result.state.districts = try readDistricts(into: &result, request: request, log: &log)
            try readEntities(into: &result, request: request, log: &log)
        }
        if let networkAlongside {
            (result.networkBytes, result.state.network) = try networkAlongside.value()
        } else if request.network || request.mode == .everyProblem {
            try readNetwork(into: &result, request: request, log: &log)
        }
        if request.contacts || request.mode == .everyProblem {
            try readContacts(into: &result, log: &log)
        }
        if request.concerns || request.mode == .everyProblem {
            try readConcerns(into: &result, privateFields: request.contacts || request.mode == .everyProblem, log: &log)
        }
        if request.journal || request.mode == .everyProblem {
            let bytes = try contents(DatasetLayout.history, required: false, log: &log) ?? []
            result.journal = try Journal.read(bytes, file: file(DatasetLayout.history), problems: &log)
        }
        result.problems = log.problems
        return result
    }

    /// `network.geojson` read on another thread by ``readNetwork(into:request:log:)``, stopping at
    /// its first problem: its bytes and ways (nil when the file does not exist), or that problem.
    private func startNetwork(_ request: Request) -> Started<(bytes: [UInt8]?, ways: [StreetWay]?), CivicError> {
        let folder = folder, progressLine = progressLine
        return Started { () throws(CivicError) -> (bytes: [UInt8]?, ways: [StreetWay]?) in
            let reader = DatasetReader(folder: folder, sharing: progressLine)
            var result = Result(state: DatasetState(info: DatasetInfo(name: "", city: ""), districts: []))
            var log = ProblemLog(mode: .firstProblem)
            try reader.readNetwork(into: &result, request: request, log: &log)
            return (result.networkBytes, result.state.network)
        }
    }

    /// A reader of `folder` that reports through `progressLine`, shared with the reader that made it.
    private init(folder: String, sharing progressLine: ProgressLine?) {
        self.folder = folder
        self.progressLine = progressLine
        progress = progressLine.map { line in { line.report($0) } }
    }

    /// The bytes of one file of the dataset, or nil when it is missing (a problem when `required`)
    /// or cannot be read (always a problem).
    func contents(_ name: String, required: Bool, log: inout ProblemLog) throws(CivicError) -> [UInt8]? {
        let path = file(name)
        do {
            if let bytes = try DurableFiles.contents(of: path) { return bytes }
        } catch {
            try log.report(error)
            return nil
        }
        if required { try log.report(.io(path: path, reason: "missing: every dataset has this file")) }
        return nil
    }

    private func readDistricts(into result: inout Result, request: Request,
                               log: inout ProblemLog) throws(CivicError) -> [District] {
        let districtsFile = file(DatasetLayout.districts)
        guard let bytes = try contents(DatasetLayout.districts, required: true, log: &log) else { return [] }
        result.districtsBytes = bytes
        let features: [Feature]
        do {
            features = try GeoJSONReader.features(in: bytes, file: districtsFile)
        } catch {
            try log.report(error)
            return []
        }
        var districts: [District] = []
        var firstIndex: [String: Int] = [:]
        let problemsBefore = log.problems.count
        for (index, feature) in features.enumerated() {
            let district: District
            do {
                district = try District(feature: feature, index: index, file: districtsFile)
            } catch {
                try log.report(error)
                continue
            }
            let place = Feature.place(index: index, id: feature.id)
            if let first = firstIndex[district.id] {
                try log.report(.invalid(file: districtsFile, line: feature.line, place: place, field: "id",
                                        reason: "duplicate id: features[\(first)] has it too"))
            }
            firstIndex[district.id] = firstIndex[district.id] ?? index
            switch Self.validity(of: district.geometry) {
            case .valid:
                break
            case .invalid(let reason):
                try log.report(.invalid(file: districtsFile, line: feature.line, place: place, field: "geometry",
                                        reason: reason, hint: "fix the ring in QGIS (Vector › Geometry Tools › Check Validity)"))
                continue
            case .unchecked(let reason):
                try log.report(.invalid(file: districtsFile, line: feature.line, place: place, field: "geometry", reason: reason))
                continue
            }
            districts.append(district)
        }
        // How the districts fit together says something only of a file whose every district reads.
        if request.findings, log.problems.count == problemsBefore {
            districtFindings(districts, lines: features.map { $0.line > 0 ? $0.line : nil }, file: districtsFile,
                             info: result.state.info, into: &result, log: &log)
        }
        return districts
    }

    /// What `civic validate` says about the districts as a whole, which no command refuses: written
    /// `[lat, lon]` (a problem), overlapping (a problem, or a note when `dataset.json` keeps the
    /// overlap on purpose), holes between them (a note: often a lake or an enclave).
    private func districtFindings(_ districts: [District], lines: [Int?], file: String, info: DatasetInfo,
                                  into result: inout Result, log: inout ProblemLog) {
        if let swapped = DistrictFile.swappedAxesProblem(districts, file: file) {
            log.append([swapped])
            result.districtsLookSwapped = true
            return
        }
        do {
            for overlap in try DistrictTopology.overlaps(districts) {
                if info.allowsOverlap(overlap.first, overlap.second) {
                    let kept = DistrictTopology.problem(overlap, districts: districts, lines: lines, file: file)
                    result.notes.append(kept.description + "; kept on purpose (dataset.json: allow.overlaps)")
                } else {
                    let pair = "[\"\(overlap.first)\", \"\(overlap.second)\"]"
                    log.append([DistrictTopology.problem(
                        overlap, districts: districts, lines: lines, file: file,
                        hint: "correct the boundaries (QGIS: Vector › Geometry Tools › Check Validity, Topology Checker), "
                            + "or keep the overlap on purpose: \"allow\": {\"overlaps\": [\(pair)]} in dataset.json")])
                }
            }
            for hole in try DistrictTopology.holes(districts) {
                result.notes.append("\(file): \(DistrictTopology.describe(hole))")
            }
        } catch {
            log.append([.invalid(file: file, place: "features", field: "geometry",
                                 reason: "GEOS failed while checking how the districts fit together: \(error)")])
        }
    }

    private func readEntities(into result: inout Result, request: Request, log: inout ProblemLog) throws(CivicError) {
        let entitiesFile = file(DatasetLayout.entities)
        guard let bytes = try contents(DatasetLayout.entities, required: true, log: &log) else { return }
        result.entitiesBytes = bytes
        let features: [Feature]
        do {
            features = try self.features(in: bytes, name: DatasetLayout.entities)
        } catch {
            try log.report(error)
            return
        }
        // Problems of this file are put in line order at the end, as an editor would walk through them.
        var found = ProblemLog(mode: log.mode)
        let info = result.state.info
        // A dozen short ids: comparing them in place is cheaper than hashing each entity's.
        let kinds = info.vocabulary.kinds.map(\.id), themes = info.vocabulary.themes.map(\.id)
        var entities: [Entity] = []
        // Per entity read: its line, its place in `features`, whether its geometry is valid.
        var lines: [Int] = []
        var indices: [Int] = []
        var valid: [Bool] = []
        var firstIndex: [Int: Int] = [:]
        entities.reserveCapacity(features.count)
        for (index, feature) in features.enumerated() {
            checked(index, of: features.count, name: DatasetLayout.entities)
            let entity: Entity
            do {
                entity = try Entity(feature: feature, index: index, file: entitiesFile)
            } catch {
                try found.report(error)
                continue
            }
            // The place is spelled out only for a problem: 40,000 strings would cost more than the checks.
            func problem(_ field: String, _ reason: String, hint: String? = nil) -> CivicError {
                .invalid(file: entitiesFile, line: feature.line, place: Feature.place(index: index, id: feature.id),
                         field: field, reason: reason, hint: hint)
            }
            if let first = firstIndex[entity.id] {
                try found.report(problem("id", "duplicate id: features[\(first)] has it too",
                                         hint: "ids must be unique; give one of them the next free id"))
            }
            firstIndex[entity.id] = firstIndex[entity.id] ?? index
            var geometryValid = true
            switch Self.validity(of: entity.geometry) {
            case .valid:
                break
            case .invalid(let reason):
                geometryValid = false
                let error = problem("geometry", reason,
                                    hint: "correct it (civic edit \(entity.id) --polygon FILE) or remove it (civic remove \(entity.id))")
                if request.mode == .everyProblem || request.invalidGeometry == .refuse {
                    try found.report(error)
                }
                result.entityProblems.append(EntityProblem(id: entity.id, rule: .geometry, error: error))
            case .unchecked(let reason):
                // Not a problem of the entity, so never skipped as one: a reading error.
                geometryValid = false
                try found.report(problem("geometry", reason))
            }
            var unknown: [CivicError] = []
            if !kinds.contains(entity.kind) {
                unknown.append(problem("kind", "unknown kind '\(entity.kind)'",
                                       hint: "allowed: " + info.vocabulary.kinds.map(\.id).joined(separator: ", ")))
            }
            for theme in entity.themes where !themes.contains(theme) {
                unknown.append(problem("themes", "unknown theme '\(theme)'",
                                       hint: "allowed: " + info.vocabulary.themes.map(\.id).joined(separator: ", ")))
            }
            for error in unknown {
                if request.mode == .everyProblem { try found.report(error) }
                result.entityProblems.append(EntityProblem(id: entity.id, rule: .vocabulary, error: error))
            }
            // Moved, not copied: a copy of 40,000 entities costs more than every check above.
            entities.append(consume entity)
            lines.append(feature.line)
            indices.append(index)
            valid.append(geometryValid)
        }
        checked(features.count, of: features.count, name: DatasetLayout.entities)
        if request.findings {
            let (problems, notes) = findings(entities, lines: lines, indices: indices, valid: valid, file: entitiesFile,
                                             state: result.state, districtsLookSwapped: result.districtsLookSwapped)
            found.append(problems)
            result.notes += notes
        }
        let ordered = found.problems.enumerated().sorted { a, b in
            (a.element.line ?? 0, a.offset) < (b.element.line ?? 0, b.offset)
        }
        log.append(ordered.map(\.element))
        // Sorted for binary search; equal ids (only in `validate`'s reading) keep file order.
        if entities.indices.dropFirst().contains(where: { entities[$0 - 1].id > entities[$0].id }) {
            entities = entities.enumerated().sorted { ($0.element.id, $0.offset) < ($1.element.id, $1.offset) }
                .map(\.element)
        }
        result.state.entities = entities
    }

    /// What `civic validate` says about the entities' quality and the commands do not refuse:
    /// out of id order, more than 1 km outside every district (or with latitude and longitude
    /// swapped), likely duplicates (same comparable name within 100 m). An entity kept outside on
    /// purpose, two entities kept side by side on purpose (``Allowances``) and two OpenStreetMap
    /// objects with one name are notes, in the same line order. Returns the problems and the notes.
    private func findings(_ entities: [Entity], lines: [Int], indices: [Int], valid: [Bool], file: String,
                          state: DatasetState, districtsLookSwapped: Bool) -> (problems: [CivicError], notes: [String]) {
        var problems: [CivicError] = []
        // Notes with their line, sorted into line order at the end.
        var notes: [(line: Int, order: Int, text: String)] = []
        func note(_ line: Int, _ text: String) { notes.append((line, notes.count, text)) }
        // Districts written [lat, lon] are reported once; every entity would be "outside" them.
        let rules = districtsLookSwapped ? nil : try? EntityRules(info: state.info, districts: state.districts)
        var previousID = 0
        for (index, entity) in entities.enumerated() {
            let place = "features[\(indices[index])] (id \(entity.id))"
            if entity.id < previousID {
                problems.append(.invalid(file: file, line: lines[index], place: place, field: "id",
                                         reason: "not sorted by id (after \(previousID))",
                                         hint: "any civic edit rewrites the file sorted"))
            }
            previousID = max(previousID, entity.id)
            guard valid[index], let rules else { continue }
            let id = entity.id
            do {
                let swapHint = { (p: Position) in
                    "if so, civic edit \(id) --lat \(JSONNumber.format(p.x)) --lon \(JSONNumber.format(p.y))" }
                guard let outside = try rules.outsideProblem(entity.geometry, swapHint: swapHint) else { continue }
                if entity.allowed.outside {
                    note(lines[index], "\(file):\(lines[index]): \(place): geometry: \(outside.description); "
                         + "kept there on purpose (--allow-outside: the entity remembers it in allow.outside)")
                } else {
                    let hint = outside.description.hasSuffix("look swapped") ? outside.hint
                        : "correct it (civic edit \(id) --lat … --lon …), or keep it there: civic edit \(id) --allow-outside"
                    problems.append(.invalid(file: file, line: lines[index], place: place, field: "geometry",
                                             reason: outside.description, hint: hint))
                }
            } catch {
                problems.append(.invalid(file: file, line: lines[index], place: place, field: "geometry", reason: "\(error)"))
            }
        }
        // Entities that share a name within 100 m (EntityRules decides), grouped by name first so
        // that it stays linear for a large city; within a name, a sweep by latitude measures only
        // pairs less than 100 m apart north–south. Each pair is then a likely duplicate, or kept as
        // two: two OSM objects, or a choice one of them remembers.
        let probes = entities.map { EntityRules.DuplicateProbe($0) }
        var byName: [String: [Int]] = [:]
        for (index, probe) in probes.enumerated() {
            if let probe { byName[probe.comparableName, default: []].append(index) }
        }
        let latitudeWindow = EntityRules.duplicateDistanceMetres / 111_000
        var pairs: [(first: Int, second: Int)] = []
        for indices in byName.values where indices.count > 1 {
            let placed = indices.compactMap { i in probes[i].map { (index: i, probe: $0) } }
                .sorted { ($0.probe.anchor.y, $0.index) < ($1.probe.anchor.y, $1.index) }
            for (n, a) in placed.enumerated() {
                for b in placed[(n + 1)...] {
                    if b.probe.anchor.y - a.probe.anchor.y > latitudeWindow { break }
                    if EntityRules.shareNameNearby(a.probe, b.probe) {
                        pairs.append((min(a.index, b.index), max(a.index, b.index)))
                    }
                }
            }
        }
        let within = "within \(Int(EntityRules.duplicateDistanceMetres)) m"
        for (i, j) in pairs.sorted(by: { ($0.second, $0.first) < ($1.second, $1.first) }) {
            let a = entities[i], b = entities[j]
            let place = "features[\(indices[j])] (id \(b.id))"
            if let pa = probes[i], let pb = probes[j], EntityRules.areDistinctOSMObjects(pa, pb) {
                note(lines[j], "\(file):\(lines[j]): \(place): same name as entity \(a.id) '\(a.name)' \(within); "
                     + "kept as two: they are two OpenStreetMap objects (\(a.source ?? ""), \(b.source ?? ""))")
            } else if a.isKeptBeside(b) {
                let holder = b.allowed.duplicateOf.contains(a.id) ? b.id : a.id
                note(lines[j], "\(file):\(lines[j]): \(place): same name as entity \(a.id) '\(a.name)' \(within); "
                     + "kept as two on purpose (--allow-duplicate: entity \(holder) remembers it in allow.duplicate_of)")
            } else {
                problems.append(.invalid(file: file, line: lines[j], place: place,
                                         reason: "likely duplicate of entity \(a.id) '\(a.name)' (same name \(within))",
                                         hint: "merge them (civic remove \(b.id)), rename one, or keep both: "
                                             + "civic edit \(b.id) --allow-duplicate"))
            }
        }
        let ordered = notes.sorted { ($0.line, $0.order) < ($1.line, $1.order) }.map(\.text)
        return (problems, ordered)
    }

    private func readContacts(into result: inout Result, log: inout ProblemLog) throws(CivicError) {
        let contactsFile = file(DatasetLayout.contacts)
        // A clone from git has no private/: no contacts.
        guard let bytes = try contents(DatasetLayout.contacts, required: false, log: &log) else { return }
        result.contactsBytes = bytes
        let object: JSONObject
        do throws(CivicError) {
            guard let parsed = try JSON.parse(bytes, file: contactsFile).objectValue else {
                throw CivicError.invalid(file: contactsFile, place: "top level", reason: "expected an object keyed by entity id")
            }
            object = parsed
        } catch {
            try log.report(error)
            return
        }
        for (key, value) in object {
            let place = "\"" + (key.count > 60 ? key.prefix(60) + "…" : key) + "\""
            guard let id = Int(key), id > 0, String(id) == key else {
                try log.report(.invalid(file: contactsFile, place: place, reason: "not an entity id",
                                        hint: "the keys are the ids of entities.geojson, such as \"17\""))
                continue
            }
            guard value.objectValue != nil else {
                try log.report(.invalid(file: contactsFile, place: place, reason: "expected an object of contact fields"))
                continue
            }
            let contact: Contacts
            do {
                contact = try Contacts(json: value, file: contactsFile)
            } catch {
                try log.report(error)
                continue
            }
            result.state.contacts[id] = contact
            for error in Self.contactProblems(contact, file: contactsFile, id: id) {
                if log.mode == .everyProblem { try log.report(error) }
                result.entityProblems.append(EntityProblem(id: id, rule: .contacts, error: error))
            }
        }
    }

    /// What GEOS says of a geometry, for a message.
    enum Validity {
        case valid
        /// The geometry is invalid: the reason with where (`self-intersection at lon …, lat …`).
        case invalid(String)
        /// GEOS itself failed while checking: that says nothing about the geometry.
        case unchecked(String)
    }

    /// GEOS validity of a geometry (``GeometryCheck``), the one check of it the reader adds to the model's.
    static func validity(of geometry: Geometry) -> Validity {
        do {
            guard let problem = try GeometryCheck.problem(in: geometry) else { return .valid }
            return .invalid(GeometryCheck.describe(problem))
        } catch {
            return .unchecked("GEOS failed while checking it: \(error)")
        }
    }

    /// The e-mail and phone of one entity's contacts, checked as `add` and `edit` check them.
    static func contactProblems(_ contact: Contacts, file: String, id: Int) -> [CivicError] {
        var problems: [CivicError] = []
        func check(_ field: String, _ rule: () throws(CivicError) -> Void) {
            do {
                try rule()
            } catch {
                problems.append(.invalid(file: file, place: "entity \(id)", field: field, reason: error.description,
                                         hint: error.hint))
            }
        }
        if let email = contact.email { check("email") { () throws(CivicError) in try EntityRules.checkEmail(email) } }
        if let phone = contact.phone { check("phone") { () throws(CivicError) in try EntityRules.checkPhone(phone) } }
        return problems
    }
}

/// A progress handler called from more than one thread, one call at a time.
private final class ProgressLine: @unchecked Sendable {
    // The handler is only ever called under the lock, which is what makes sharing it safe.
    private let handler: ReadingProgressHandler
    private let lock = NSLock()

    init(_ handler: @escaping ReadingProgressHandler) {
        self.handler = handler
    }

    func report(_ progress: ReadingProgress) {
        lock.withLock { handler(progress) }
    }
}
