#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CivicCore
import CivicRules
import CivicStore
import GeoValues

/// How an import treats bad rows and what it may write.
public struct ImportOptions: Sendable {
    /// Import the good rows and list the bad ones, instead of importing nothing.
    public var skipInvalid: Bool
    /// Work out what would happen; write nothing.
    public var dryRun: Bool
    /// Keep rows more than 1 km outside every district (spreadsheets; OSM skips them).
    public var allowOutside: Bool

    public init(skipInvalid: Bool = false, dryRun: Bool = false, allowOutside: Bool = false) {
        self.skipInvalid = skipInvalid
        self.dryRun = dryRun
        self.allowOutside = allowOutside
    }
}

/// What an import did (or, in a dry run or a refused import, would have done) with each candidate.
public struct ImportStep: Hashable, Sendable {
    /// What happened to a candidate: added, updated, unchanged, skipped (not civic, outside, …) or refused.
    public enum Action: String, Hashable, Sendable {
        case add, update, unchanged, skip, invalid
    }

    /// `line 12`, `way/4521`.
    public var place: String
    /// The line of the file, when the format tells it.
    public var line: Int?
    public var action: Action
    /// The entity added or updated; for an add in a dry run, the id it would get.
    public var id: Int?
    public var name: String
    /// For an update, the fields that change (`address`, `geometry`, `contacts`, …); for a skip, why.
    public var detail: [String]

    public init(place: String, line: Int? = nil, action: Action, id: Int?, name: String, detail: [String] = []) {
        self.place = place
        self.line = line
        self.action = action
        self.id = id
        self.name = name
        self.detail = detail
    }
}

/// What an import did to the street network (DESIGN §5b): the walkable ways of the file, each
/// adding or updating the way of its source, and the ways the file no longer calls walkable removed.
public struct NetworkImportReport: Sendable, Hashable {
    /// Walkable ways of the file kept in the network (near the districts).
    public var streets = 0
    /// Ways of the file new to the network.
    public var added = 0
    /// Ways of the file that replaced the network's way of their source, which differed.
    public var updated = 0
    /// Ways of the file the network already held as they are.
    public var unchanged = 0
    /// Ways of the network whose way the file holds, no longer walkable (a street closed, `foot=no`).
    public var removed = 0
    /// Walkable ways of the file left out: every vertex more than 1 km from every district.
    public var far = 0
    /// Walkable ways of the file left out: some of their nodes are not in the file.
    public var incomplete = 0

    /// Nothing done yet.
    public init() {}

    /// Whether the file had anything for the network: a street kept or skipped, or a way removed.
    public var isEmpty: Bool { streets + removed + far + incomplete == 0 }

    /// `1,234 streets (1,200 added, 34 updated, 2 removed)`; parts that are 0 are left out.
    public var summary: String {
        var parts: [String] = []
        if added > 0 { parts.append("\(NetworkSummary.grouped(added)) added") }
        if updated > 0 { parts.append("\(NetworkSummary.grouped(updated)) updated") }
        if removed > 0 { parts.append("\(NetworkSummary.grouped(removed)) removed") }
        var skipped: [String] = []
        if far > 0 { skipped.append("\(NetworkSummary.grouped(far)) outside the city") }
        if incomplete > 0 { skipped.append("\(NetworkSummary.grouped(incomplete)) incomplete") }
        if !skipped.isEmpty { parts.append("\(NetworkSummary.grouped(far + incomplete)) skipped: " + skipped.joined(separator: ", ")) }
        return "\(NetworkSummary.grouped(streets)) street\(streets == 1 ? "" : "s")"
            + (parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ")")
    }
}

/// The outcome of an import, for the summary line and the list of problems.
public struct ImportReport: Sendable {
    public var file: String
    public var steps: [ImportStep] = []
    /// Bad rows or elements. Unless `skipInvalid` was set, any of them means nothing was written.
    public var problems: [ImportProblem] = []
    public var skipped = SkipCounts()
    public var warnings: [String] = []
    /// What to do about the warnings (the batch's hints).
    public var hints: [String] = []
    /// Whether the dataset was changed (false for a dry run, and for an import refused for its problems).
    public var committed = false
    public var dryRun = false
    public var skipInvalid = false
    /// What the import did to the street network; nil when it left the network alone.
    public var network: NetworkImportReport?

    public init(file: String) {
        self.file = file
    }

    /// How many candidates ended in `action`.
    public func count(_ action: ImportStep.Action) -> Int { steps.reduce(0) { $0 + ($1.action == action ? 1 : 0) } }

    /// Everything left out: skipped on purpose, and bad rows when `skipInvalid` let the rest in.
    public var skippedTotal: Int { skipped.total + (skipInvalid ? problems.count : 0) }

    /// Whether the import was refused because of its problems.
    public var refused: Bool { !problems.isEmpty && !skipInvalid }

    /// `12 added, 3 updated, 40 unchanged, 5 skipped (3 not civic, 2 outside the city)`: the
    /// entities; ``NetworkImportReport/summary`` says the streets.
    public var summary: String {
        var reasons = skipped.map { "\($0.count) \($0.reason)" }
        if skipInvalid && !problems.isEmpty { reasons.append("\(problems.count) invalid") }
        var text = "\(count(.add)) added, \(count(.update)) updated, \(count(.unchanged)) unchanged, \(skippedTotal) skipped"
        if !reasons.isEmpty { text += " (" + reasons.joined(separator: ", ") + ")" }
        return text
    }
}

/// Brings a batch into a dataset: every rule of `civic add` and `civic edit` applies to each
/// candidate, all of it in one update, so an import is all or nothing and the journal has one entry
/// per entity added or changed.
///
/// A candidate updates the entity it matches, else it is added:
/// - a spreadsheet row matches an entity with the same name within 100 m (the near-duplicate rule of
///   `civic add`), else the entity whose source is the row's `csv:<file>#<line>`: rows that moved to
///   another line still find their entity by name, and a row renamed in place finds it by its line;
/// - an OSM element matches the entity whose source is `osm:<type>/<id>`, else an entity with the
///   same name within 100 m that did not come from OSM (a volunteer added it by hand). Two OSM
///   elements with one name close together (two playgrounds) stay two entities.
///
/// An update sets what the row or element says and leaves the rest: an empty cell or a missing tag
/// never clears a field, a point never replaces a polygon, and an import never removes an entity. OSM elements update names,
/// address, website, description, geometry, kept tags and contacts, but not kind and themes, which
/// come from the mapping and may have been refined by hand.
public enum DatasetImport {
    /// Runs the import under the dataset's lock, or works it out without writing for a dry run.
    /// When a candidate is refused and `skipInvalid` is off, nothing is written and the report
    /// lists every problem (`refused` is true).
    public static func run(_ batch: ImportBatch, into dataset: Dataset, options: ImportOptions,
                           progress: ((Int, Int) -> Void)? = nil) throws -> ImportReport {
        let network = batch.network != nil
        if options.dryRun {
            var state = try dataset.load(includeContacts: true, network: network)
            let floor = try dataset.nextEntityID(in: state) - 1
            var (report, _) = try apply(batch, to: &state, options: options, now: Timestamp.now(),
                                        nextID: { max(floor, $0.entities.last?.id ?? 0) + 1 }, progress: progress)
            report.dryRun = true
            return report
        }
        do {
            var report = try dataset.update(includeNetwork: network) { state, journal -> ImportReport in
                let (report, entries) = try apply(batch, to: &state, options: options, now: Timestamp.now(),
                                                  nextID: { try dataset.nextEntityID(in: $0) }, progress: progress)
                if report.refused { throw Abandoned(report: report) }
                journal += entries
                return report
            }
            report.committed = true
            return report
        } catch let abandoned as Abandoned {
            return abandoned.report
        }
    }

    /// Thrown out of the update to leave the dataset as it was, carrying the report.
    private struct Abandoned: Error {
        var report: ImportReport
    }

    /// Applies the batch to `state`; the entries are the journal lines of what changed.
    /// `nextID` gives the id for the next new entity of the state as it stands.
    public static func apply(_ batch: ImportBatch, to state: inout DatasetState, options: ImportOptions, now: String,
                             nextID: (DatasetState) throws -> Int,
                             progress: ((Int, Int) -> Void)? = nil) throws -> (ImportReport, [JournalEntry]) {
        var report = ImportReport(file: batch.path)
        report.skipInvalid = options.skipInvalid
        report.problems = batch.problems
        report.skipped = batch.skipped
        report.warnings = batch.warnings
        report.hints = batch.hints
        var entries: [JournalEntry] = []
        let rules = try EntityRules(info: state.info, districts: state.districts)
        var names = NameIndex(state.entities)
        let candidates = batch.candidates

        // Most anchors lie inside a district, which a prepared polygon tells at once; only the others
        // need the distance in metres that `add` measures. OSM extracts are rectangles around the
        // city: their elements outside it are skipped, not refused.
        var inside = [Bool](repeating: false, count: candidates.count)
        var outside = [Bool](repeating: false, count: candidates.count)
        let locator = try DistrictLocator(districts: state.districts)
        for (i, candidate) in candidates.enumerated() {
            guard let anchor = candidate.draft.geometry.anchor else { continue }
            inside[i] = try !locator.districtIDs(of: .point(anchor)).isEmpty
            if batch.skipsOutside, !inside[i], let distance = try rules.distanceToCity(anchor),
               distance > EntityRules.outsideToleranceMetres {
                outside[i] = true
            }
        }
        for problem in batch.problems where !problem.place.isEmpty {
            report.steps.append(ImportStep(place: problem.place, line: problem.line, action: .invalid, id: nil, name: "",
                                           detail: [problem.reason]))
        }

        // Which existing entity each candidate updates; each entity at most once.
        var matched = [Int?](repeating: nil, count: candidates.count)
        var claimedBy: [Int: Int] = [:]
        var bySource: [String: Int] = [:]
        for entity in state.entities {
            if let source = entity.source, bySource[source] == nil { bySource[source] = entity.id }
        }
        func claim(_ i: Int, _ id: Int) {
            matched[i] = id
            claimedBy[id] = i
        }
        func matchBySource(statedOnly: Bool = false) {
            for (i, candidate) in candidates.enumerated() where !outside[i] && matched[i] == nil {
                if statedOnly && !candidate.statesSource { continue }
                if let source = candidate.draft.source, let id = bySource[source], claimedBy[id] == nil { claim(i, id) }
            }
        }
        func matchByName(osmToo: Bool) {
            for (i, candidate) in candidates.enumerated() where !outside[i] && matched[i] == nil {
                let draft = candidate.draft
                let found = names.duplicate(of: draft.name, at: draft.geometry, source: draft.source, in: state) { entity in
                    claimedBy[entity.id] == nil && (osmToo || !entity.isFromOSM)
                }
                if let found { claim(i, found.id) }
            }
        }
        switch batch.origin {
        case .csv:
            // A row that names its source (civic's export) is that entity before any of its name.
            matchBySource(statedOnly: true)
            matchByName(osmToo: true)
            matchBySource()
        case .osm:
            matchBySource()
            matchByName(osmToo: false)
        }

        var addedBy: [Int: Int] = [:]  // entity id → candidate that added it
        // Civic's export names the near-duplicates each entity was kept beside by its exported id;
        // here those ids become the entities the rows matched or added, in either direction (the
        // earlier of two rows cannot name an entity not added yet, so the later one remembers).
        var entityOfExportID: [Int: Int] = [:]
        var rowsKeptBeside: [Int: [Int]] = [:]  // exported id → exported ids of the rows naming it
        for (i, candidate) in candidates.enumerated() {
            guard let exportID = candidate.exportID else { continue }
            if let id = matched[i] { entityOfExportID[exportID] = id }
            for other in candidate.keptBesideExportIDs { rowsKeptBeside[other, default: []].append(exportID) }
        }
        for (i, candidate) in candidates.enumerated() {
            progress?(i + 1, candidates.count)
            let draft = candidate.draft
            if outside[i] {
                report.skipped.add("outside the city")
                report.steps.append(ImportStep(place: candidate.place, line: candidate.line, action: .skip, id: nil,
                                               name: draft.name, detail: ["outside the city"]))
                continue
            }
            func refuse(_ reason: String, hint: String? = nil) {
                report.problems.append(ImportProblem(file: batch.path, place: candidate.place,
                                                     line: candidate.line, reason: reason, hint: hint))
                report.steps.append(ImportStep(place: candidate.place, line: candidate.line, action: .invalid,
                                               id: matched[i], name: draft.name, detail: [reason]))
            }
            // The location rule is `add`'s own, measured only where the locator could not settle it
            // (rows kept outside with --allow-outside remember it, as `add` does); the duplicate
            // rule was applied above through the name index.
            let admission = AdmissionOptions(allowOutside: options.allowOutside || candidate.allowsOutside,
                                             skipLocationCheck: batch.skipsOutside || inside[i],
                                             skipDuplicateCheck: true)
            do {
                if let id = matched[i], let existing = state.entity(id: id) {
                    let (patch, fields) = try patch(for: candidate, existing: existing, contacts: state.contacts[id],
                                                    rules: rules)
                    if fields.isEmpty {
                        report.steps.append(ImportStep(place: candidate.place, line: candidate.line, action: .unchanged, id: id,
                                                       name: existing.name))
                        continue
                    }
                    if patch.name != nil || patch.geometry != nil,
                       let other = names.duplicate(of: patch.name ?? existing.name, at: patch.geometry ?? existing.geometry,
                                                   source: patch.source ?? existing.source, in: state,
                                                   where: { $0.id != id && !existing.isKeptBeside($0) }) {
                        refuse("it would have the name of entity \(other.id) '\(other.name)' within 100 m")
                        continue
                    }
                    let (entity, entry) = try state.edit(id: id, patch, rules: rules, options: admission, now: now)
                    if entry.changes.isEmpty {
                        report.steps.append(ImportStep(place: candidate.place, line: candidate.line, action: .unchanged, id: id,
                                                       name: entity.name))
                        continue
                    }
                    names.replace(existing, with: entity)
                    entries.append(entry)
                    report.steps.append(ImportStep(place: candidate.place, line: candidate.line, action: .update, id: id,
                                                   name: entity.name, detail: fields))
                } else {
                    // The rule `validate` applies: two OSM elements are two places, whatever their
                    // names (two playgrounds), so a clean import always validates.
                    let keptBeside = Set((candidate.keptBesideExportIDs + (candidate.exportID.flatMap { rowsKeptBeside[$0] } ?? []))
                        .compactMap { entityOfExportID[$0] })
                    if let other = names.duplicate(of: draft.name, at: draft.geometry, source: draft.source, in: state,
                                                   where: { !keptBeside.contains($0.id) }) {
                        if let earlier = addedBy[other.id] {
                            refuse("the same name within 100 m as \(candidates[earlier].place)",
                                   hint: "remove one of the two, or tell them apart by name")
                        } else {
                            let by = claimedBy[other.id].map { " (which \(candidates[$0].place) updates)" } ?? ""
                            refuse("'\(draft.name)' looks like a duplicate of entity \(other.id) '\(other.name)'\(by) within 100 m",
                                   hint: "edit entity \(other.id) instead, or give this one another name")
                        }
                        continue
                    }
                    let id = try nextID(state)
                    var kept = draft
                    kept.keptBeside = keptBeside.sorted()
                    let (entity, entry) = try state.add(kept, id: id, rules: rules, options: admission, now: now)
                    if let exportID = candidate.exportID { entityOfExportID[exportID] = id }
                    names.insert(entity)
                    addedBy[id] = i
                    entries.append(entry)
                    report.steps.append(ImportStep(place: candidate.place, line: candidate.line, action: .add, id: id,
                                                   name: entity.name))
                }
            } catch let error as CivicError {
                var hint = error.hint
                if case .csv = batch.origin, hint?.hasPrefix("try --lat") == true {
                    hint = "swap the latitude and longitude cells of this row"
                }
                refuse(reasonText(error), hint: hint)
            } catch {
                refuse("\(error)")
            }
        }
        if let extraction = batch.network {
            let (network, entry) = try apply(extraction, to: &state, file: batch.path)
            report.network = network
            if let entry { entries.append(entry) }
        }
        // Rows in file order, those refused while reading among them.
        let ordered = report.steps.enumerated().sorted { a, b in
            (a.element.line ?? Int.max, a.offset) < (b.element.line ?? Int.max, b.offset)
        }
        report.steps = ordered.map(\.element)
        return (report, entries)
    }

    /// The source prefix of a schematic network's ways (geodata/make_streets.py).
    static let sketchPrefix = "sketch:"

    /// Updates the street network of `state` with the walkable ways of a file, way by way (keyed by
    /// source), leaving out the ways far from every district, and removing the ways the file no
    /// longer calls walkable and, once the file brings streets, a schematic network's (`sketch:…`);
    /// returns what it did and, when the network changed, the journal entry that says so.
    static func apply(_ extraction: StreetNetworkImport.Extraction, to state: inout DatasetState,
                      file: String) throws -> (NetworkImportReport, JournalEntry?) {
        var report = NetworkImportReport()
        report.incomplete = extraction.incomplete
        let placement = try StreetPlacement(districts: state.districts)
        var network = state.network ?? []
        var index: [String: Int] = [:]
        for (i, way) in network.enumerated() { index[way.source] = i }
        for way in extraction.ways {
            if try placement.isFar(way) {
                report.far += 1
                continue
            }
            report.streets += 1
            if let i = index[way.source] {
                if network[i] == way {
                    report.unchanged += 1
                } else {
                    network[i] = way
                    report.updated += 1
                }
            } else {
                index[way.source] = network.count
                network.append(way)
                report.added += 1
            }
        }
        // A schematic drawing (`sketch:way/N`, as the bundled city's) stands in for the streets only
        // until real ones arrive; ways drawn by hand under any other source are kept.
        let replacesSketch = report.streets > 0
        if !extraction.notWalkable.isEmpty || replacesSketch {
            let before = network.count
            network.removeAll {
                extraction.notWalkable.contains($0.source) || (replacesSketch && $0.source.hasPrefix(Self.sketchPrefix))
            }
            report.removed = before - network.count
        }
        guard report.added + report.updated + report.removed > 0 else { return (report, nil) }
        state.network = network
        var changes = JSONObject()
        changes["file"] = .string(SpreadsheetImport.lastPathComponent(file))
        changes["streets"] = .number(report.streets)
        changes["added"] = .number(report.added)
        changes["updated"] = .number(report.updated)
        changes["removed"] = .number(report.removed)
        return (report, JournalEntry(action: "import", name: DatasetLayout.network, changes: changes))
    }

    /// The changes a candidate makes to the entity it matched, and the names of the fields changed.
    static func patch(for candidate: ImportCandidate, existing: Entity, contacts: Contacts?, rules: EntityRules) throws -> (EntityPatch, [String]) {
        let draft = candidate.draft
        var patch = EntityPatch()
        var fields: [String] = []
        if candidate.updatesKindAndThemes {
            let kind = try rules.kind(draft.kind)
            if kind != existing.kind {
                patch.kind = kind
                fields.append("kind")
            }
            let themes = try rules.themes(draft.themes)
            if Set(themes) != Set(existing.themes) {
                patch.addThemes = themes.filter { !existing.themes.contains($0) }
                patch.removeThemes = existing.themes.filter { !themes.contains($0) }
                fields.append("themes")
            }
        }
        let name = draft.name.trimmingSpaces
        if name != existing.name {
            patch.name = name
            fields.append("name")
        }
        for language in draft.names.keys.sorted() {
            if let value = draft.names[language], !value.isEmpty, existing.names[language] != value {
                patch.names[language] = value
                fields.append("names.\(language)")
            }
        }
        if let address = draft.address, address != existing.address {
            patch.address = address
            fields.append("address")
        }
        if let description = draft.description, description != existing.description {
            patch.description = description
            fields.append("description")
        }
        if let website = draft.website, website != existing.website {
            patch.website = website
            fields.append("website")
        }
        if candidate.updatesStatus, draft.status != existing.status {
            patch.status = draft.status
            fields.append("status")
        }
        for key in draft.extra.keys.sorted() where draft.extra[key] != existing.extra[key] {
            patch.extra[key] = draft.extra[key]
            fields.append(key)
        }
        // A point never replaces an area: a spreadsheet (or `out center`) can only give the centre
        // of a park that is already drawn as a polygon.
        let pointForArea = if case .point = draft.geometry { !existing.geometry.polygons.isEmpty } else { false }
        if !pointForArea, GeoJSONWriter.geometry(draft.geometry) != GeoJSONWriter.geometry(existing.geometry) {
            patch.geometry = draft.geometry
            fields.append("geometry")
        }
        // An entity without a source (added by hand) takes the row's; one that has a source keeps
        // it, so rows that move down a file when another is inserted do not all change.
        if existing.source == nil, let source = draft.source {
            patch.source = source
            fields.append("source")
        }
        let current = contacts ?? Contacts()
        var contactsChange = false
        if let phone = draft.contacts.phone, phone != current.phone { patch.phone = phone; contactsChange = true }
        if let email = draft.contacts.email, email != current.email { patch.email = email; contactsChange = true }
        if let person = draft.contacts.contactPerson, person != current.contactPerson {
            patch.contactPerson = person
            contactsChange = true
        }
        if contactsChange { fields.append("contacts") }
        return (patch, fields)
    }

    /// A refusal's reason without the dataset-level prefix a store error may carry.
    static func reasonText(_ error: CivicError) -> String {
        switch error {
        case .refused(let reason, _): reason
        default: error.description
        }
    }
}

extension Entity {
    /// Whether the entity came from an OpenStreetMap element.
    var isFromOSM: Bool { source.map(EntityRules.isOSMSource) ?? false }
}

/// Entities by comparable name and by a grid of cells about 110 m across, so the near-duplicate
/// rule costs a few comparisons per row, not a scan of every entity of that name: a city's extract
/// has thousands of playgrounds, all «Детская площадка».
struct NameIndex {
    private struct Entry {
        var id: Int
        var probe: EntityRules.DuplicateProbe
        /// The order entries came in: of several duplicates, the earliest is the one reported.
        var sequence: Int
    }

    private struct Cell: Hashable {
        var lat: Int
        var lon: Int
    }

    /// Cell size in degrees: 0.001° of latitude is 111 m, more than the 100 m of the rule, so a
    /// duplicate lies in the same row of cells or the next one.
    private static let cellDegrees = 0.001
    private var cells: [String: [Cell: [Entry]]] = [:]
    private var sequence = 0

    init(_ entities: [Entity]) {
        for entity in entities { insert(entity) }
    }

    private static func cell(_ p: Position) -> Cell {
        Cell(lat: Int((p.y / cellDegrees).rounded(.down)), lon: Int((p.x / cellDegrees).rounded(.down)))
    }

    mutating func insert(_ entity: Entity) {
        guard let probe = EntityRules.DuplicateProbe(entity) else { return }
        sequence += 1
        cells[probe.comparableName, default: [:]][Self.cell(probe.anchor), default: []]
            .append(Entry(id: entity.id, probe: probe, sequence: sequence))
    }

    /// After an update changed the entity's name or geometry.
    mutating func replace(_ old: Entity, with new: Entity) {
        if let probe = EntityRules.DuplicateProbe(old) {
            cells[probe.comparableName]?[Self.cell(probe.anchor)]?.removeAll { $0.id == old.id }
        }
        insert(new)
    }

    /// The earliest entity `accept`s that ``EntityRules/areLikelyDuplicates(_:_:)`` calls a
    /// duplicate of this name, geometry and source (the rule `add` and `validate` apply).
    func duplicate(of name: String, at geometry: Geometry, source: String?, in state: DatasetState,
                   where accept: (Entity) -> Bool) -> Entity? {
        guard let probe = EntityRules.DuplicateProbe(name: name, geometry: geometry, source: source),
              let grid = cells[probe.comparableName] else { return nil }
        var best: (sequence: Int, entity: Entity)?
        func consider(_ entries: [Entry]) {
            for entry in entries where best.map({ entry.sequence < $0.sequence }) ?? true {
                guard EntityRules.areLikelyDuplicates(probe, entry.probe), let entity = state.entity(id: entry.id),
                      accept(entity) else { continue }
                best = (entry.sequence, entity)
            }
        }
        // 100 m of longitude is 0.0009° / cos(latitude): two cells either side at 50° N.
        let reachDegrees = EntityRules.duplicateDistanceMetres / 111_000 / max(cos(probe.anchor.y * .pi / 180), 1e-9)
        let lonReach = Int((reachDegrees / Self.cellDegrees).rounded(.up))
        if lonReach > 50 || abs(probe.anchor.x) + reachDegrees > 180 {
            // Near a pole or across the antimeridian the grid's neighbours are not the ground's.
            for entries in grid.values { consider(entries) }
        } else {
            let centre = Self.cell(probe.anchor)
            for dLat in -1...1 {
                for dLon in -lonReach...lonReach {
                    if let entries = grid[Cell(lat: centre.lat + dLat, lon: centre.lon + dLon)] { consider(entries) }
                }
            }
        }
        return best?.entity
    }
}
