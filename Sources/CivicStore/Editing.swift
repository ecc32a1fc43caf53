import CivicCore
import CivicRules
import Foundation
import GeoValues

/// A new entity as a volunteer describes it: kind and themes as typed (ids or labels), not yet checked.
public struct EntityDraft: Sendable {
    public var kind: String
    public var name: String
    public var names: [String: String] = [:]
    public var themes: [String]
    public var status: EntityStatus = .active
    public var address: String?
    public var description: String?
    public var website: String?
    public var source: String?
    public var extra: [String: String] = [:]
    public var geometry: Geometry
    public var contacts = Contacts()
    /// Near-duplicates the caller has already let through (an import of civic's own export keeps
    /// the pairs it was given); ``DatasetState/add(_:id:rules:options:now:)`` remembers them, and
    /// adds those its own check sets aside.
    public var keptBeside: [Int] = []

    public init(kind: String, name: String, themes: [String], geometry: Geometry) {
        self.kind = kind
        self.name = name
        self.themes = themes
        self.geometry = geometry
    }
}

/// What the rules may let through on request.
///
/// A rule set aside with `allowOutside` or `allowDuplicate` is remembered in the entity
/// (``Allowances``, its `allow` property) when it mattered — the point does lie outside, the name
/// is there — so `civic validate` notes the choice instead of failing the dataset for ever. The
/// `skip…` options are for a caller that has applied a rule itself (an import, through its own
/// index): the store then neither checks nor changes what the entity remembers.
public struct AdmissionOptions: Sendable {
    /// Keep a location more than 1 km outside every district, and remember that it was kept.
    public var allowOutside = false
    /// Keep an entity that has the same name as one within 100 m, and remember beside which.
    public var allowDuplicate = false
    /// Do not measure the location: the caller knows it lies within 1 km of a district.
    public var skipLocationCheck = false
    /// Do not look for near-duplicates: the caller has applied the rule itself.
    public var skipDuplicateCheck = false

    public init(allowOutside: Bool = false, allowDuplicate: Bool = false, skipLocationCheck: Bool = false,
                skipDuplicateCheck: Bool = false) {
        self.allowOutside = allowOutside
        self.allowDuplicate = allowDuplicate
        self.skipLocationCheck = skipLocationCheck
        self.skipDuplicateCheck = skipDuplicateCheck
    }
}

/// A change to an entity; nil leaves a field as it is, an empty string clears an optional field.
public struct EntityPatch: Sendable {
    public var kind: String?
    public var name: String?
    public var names: [String: String] = [:]
    public var addThemes: [String] = []
    public var removeThemes: [String] = []
    public var status: EntityStatus?
    public var address: String?
    public var description: String?
    public var website: String?
    public var geometry: Geometry?
    public var phone: String?
    public var email: String?
    public var contactPerson: String?
    /// Where the entity came from (imports set it when they adopt an entity); empty clears it.
    public var source: String?
    /// Extra public properties by key; an empty value removes the key.
    public var extra: [String: String] = [:]

    public init() {}

    public var changesContacts: Bool { phone != nil || email != nil || contactPerson != nil }
}

extension DatasetState {
    /// Checks a draft against every rule and adds it with the id given; returns the entity and its
    /// journal entry. Nothing changes when a rule refuses it. A rule that `options` set aside and
    /// that mattered is remembered in the entity's ``Entity/allowed``.
    public mutating func add(_ draft: EntityDraft, id: Int, rules: EntityRules, options: AdmissionOptions,
                             now: String) throws -> (Entity, JournalEntry) {
        let name = draft.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw CivicError.refused(reason: "the name is empty") }
        let kind = try rules.kind(draft.kind)
        let themes = try rules.themes(draft.themes)
        try Self.checkShape(draft.geometry, rules: rules)
        var allowed = Allowances(duplicateOf: draft.keptBeside)
        if !options.skipLocationCheck, let outside = try rules.outsideProblem(draft.geometry) {
            guard options.allowOutside else { throw outside }
            allowed.outside = true
        }
        if !options.skipDuplicateCheck {
            let duplicates = EntityRules.likelyDuplicates(of: name, at: draft.geometry, source: draft.source, among: entities)
            if let existing = duplicates.first {
                guard options.allowDuplicate else {
                    throw CivicError.refused(
                        reason: "'\(name)' looks like a duplicate of entity \(existing.id) '\(existing.name)' within \(Int(EntityRules.duplicateDistanceMetres)) m",
                        hint: "edit entity \(existing.id) instead (civic edit \(existing.id)), or pass --allow-duplicate")
                }
                allowed = Allowances(outside: allowed.outside, duplicateOf: allowed.duplicateOf + duplicates.map(\.id))
            }
        }
        try Self.checkContacts(draft.contacts)
        let entity = Entity(
            id: id, kind: kind, name: name, names: draft.names.filter { !$0.value.isEmpty }, themes: themes,
            status: draft.status, address: draft.address.nonEmpty, description: draft.description.nonEmpty,
            website: draft.website.nonEmpty, source: draft.source.nonEmpty, created: now, updated: now,
            extra: draft.extra, allowed: allowed, geometry: draft.geometry)
        insert(entity)
        if !draft.contacts.isEmpty { contacts[id] = draft.contacts }
        var changes = entity.feature.properties
        changes["geometry"] = .string(entity.geometry.typeName)
        let entry = JournalEntry(time: now, action: "add", id: id, name: entity.name, changes: changes)
        return (entity, entry)
    }

    /// Applies a patch to entity `id` under the same rules as `add`.
    ///
    /// A new location is checked afresh: one more than 1 km outside every district needs
    /// `allowOutside` again (a location is a new question), and the entity remembers it; one inside
    /// forgets that it was kept outside. A new name or location is checked against the near-duplicate
    /// rule, except beside entities it was kept beside before (two places stay two when one moves a
    /// few metres); `allowDuplicate` keeps it beside new ones. `allowOutside` or `allowDuplicate`
    /// alone, without a new location or name, records the choice for the entity as it stands
    /// (`civic edit 12 --allow-outside`), so a dataset made before civic remembered choices can
    /// be brought to validate.
    public mutating func edit(id: Int, _ patch: EntityPatch, rules: EntityRules, options: AdmissionOptions,
                              now: String) throws -> (Entity, JournalEntry) {
        guard let index = entities.firstIndex(where: { $0.id == id }) else {
            throw CivicError.refused(reason: "no entity with id \(id)", hint: "civic list shows the ids")
        }
        let before = entities[index]
        var after = before
        if let kind = patch.kind { after.kind = try rules.kind(kind) }
        if let name = patch.name {
            let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { throw CivicError.refused(reason: "the name is empty") }
            after.name = trimmed
        }
        for (language, value) in patch.names { after.names[language] = value.isEmpty ? nil : value }
        if !patch.addThemes.isEmpty {
            for theme in try rules.themes(patch.addThemes) where !after.themes.contains(theme) {
                after.themes.append(theme)
            }
        }
        if !patch.removeThemes.isEmpty {
            let removed = try rules.themes(patch.removeThemes)
            after.themes.removeAll { removed.contains($0) }
            if after.themes.isEmpty {
                throw CivicError.refused(reason: "entity \(id) would be left without a theme",
                                         hint: "add another theme with --add-theme first")
            }
        }
        if let status = patch.status { after.status = status }
        if let address = patch.address { after.address = address.nonEmpty }
        if let description = patch.description { after.description = description.nonEmpty }
        if let website = patch.website { after.website = website.nonEmpty }
        if let source = patch.source { after.source = source.nonEmpty }
        for (key, value) in patch.extra { after.extra[key] = value.isEmpty ? nil : value }
        if let geometry = patch.geometry {
            try Self.checkShape(geometry, rules: rules)
            after.geometry = geometry
        }
        if (patch.geometry != nil || options.allowOutside) && !options.skipLocationCheck {
            if let outside = try rules.outsideProblem(after.geometry) {
                guard options.allowOutside else { throw outside }
                after.allowed.outside = true
            } else {
                after.allowed.outside = false
            }
        }
        let renamedOrMoved = patch.name != nil || patch.geometry != nil
        if (renamedOrMoved || options.allowDuplicate) && !options.skipDuplicateCheck {
            let duplicates = EntityRules.likelyDuplicates(of: after.name, at: after.geometry, source: after.source,
                                                          among: entities, excluding: id)
            if !options.allowDuplicate,
               let existing = duplicates.first(where: { !before.isKeptBeside($0) }) {
                throw CivicError.refused(
                    reason: "'\(after.name)' would duplicate entity \(existing.id) '\(existing.name)' within \(Int(EntityRules.duplicateDistanceMetres)) m",
                    hint: "pass --allow-duplicate if they are different")
            }
            // Remembered here unless the other entity remembers it already.
            after.allowed.duplicateOf = duplicates.filter { !$0.allowed.duplicateOf.contains(id) }.map(\.id).sorted()
        }
        var changes = JSONObject()
        let oldProperties = before.feature.properties, newProperties = after.feature.properties
        for key in Set(oldProperties.keys + newProperties.keys).sorted() where key != "updated" {
            let old = oldProperties[key], new = newProperties[key]
            if old != new { changes[key] = .object(JSONObject([("from", old ?? .null), ("to", new ?? .null)])) }
        }
        if before.geometry != after.geometry {
            changes["geometry"] = .object(JSONObject([("from", .string(before.geometry.summary)),
                                                      ("to", .string(after.geometry.summary))]))
        }
        if patch.changesContacts {
            var contact = contacts[id] ?? Contacts()
            if let phone = patch.phone { contact.phone = phone.nonEmpty }
            if let email = patch.email { contact.email = email.nonEmpty }
            if let person = patch.contactPerson { contact.contactPerson = person.nonEmpty }
            try Self.checkContacts(contact)
            if contact != (contacts[id] ?? Contacts()) {
                // The journal says that contacts changed, never what they are: it is public.
                changes["contacts"] = .string("changed")
            }
            contacts[id] = contact.isEmpty ? nil : contact
        }
        guard !changes.isEmpty else { return (before, JournalEntry(time: now, action: "edit", id: id, name: before.name, changes: changes)) }
        after.updated = now
        entities[index] = after
        return (after, JournalEntry(time: now, action: "edit", id: id, name: after.name, changes: changes))
    }

    /// Removes entity `id` and its contacts; the journal keeps what it was.
    public mutating func remove(id: Int, now: String) throws -> (Entity, JournalEntry) {
        guard let index = entities.firstIndex(where: { $0.id == id }) else {
            throw CivicError.refused(reason: "no entity with id \(id)", hint: "civic list shows the ids")
        }
        let entity = entities.remove(at: index)
        contacts[id] = nil
        var changes = entity.feature.properties
        changes["geometry"] = .string(entity.geometry.summary)
        return (entity, JournalEntry(time: now, action: "remove", id: id, name: entity.name, changes: changes))
    }

    /// Inserts keeping the entities sorted by id.
    mutating func insert(_ entity: Entity) {
        // New ids are the highest so far: appending is the common case, and keeps imports linear.
        if entities.last.map({ $0.id < entity.id }) ?? true {
            entities.append(entity)
            return
        }
        let index = entities.firstIndex { $0.id > entity.id } ?? entities.endIndex
        entities.insert(entity, at: index)
    }

    /// A point in range, or a valid polygon; nothing else is an entity's shape.
    static func checkShape(_ geometry: Geometry, rules: EntityRules) throws {
        switch geometry {
        case .point(let p):
            try rules.checkCoordinates(lat: p.y, lon: p.x)
        case .polygon, .multiPolygon:
            if let problem = try GeometryCheck.problem(in: geometry) {
                throw CivicError.refused(reason: "the polygon is invalid: " + GeometryCheck.describe(problem))
            }
        default:
            throw CivicError.refused(reason: "an entity is a Point, Polygon or MultiPolygon, not a \(geometry.typeName)")
        }
    }

    static func checkContacts(_ contacts: Contacts) throws(CivicError) {
        if let email = contacts.email { try EntityRules.checkEmail(email) }
        if let phone = contacts.phone { try EntityRules.checkPhone(phone) }
    }
}

extension Geometry {
    /// A short text for the journal: the type and, for a point, its coordinates.
    public var summary: String {
        if case .point(let p) = self {
            return "Point(\(JSONNumber.format(p.x, decimals: 7)) \(JSONNumber.format(p.y, decimals: 7)))"
        }
        return "\(typeName) of \(allPositions.count) positions"
    }
}

extension Optional where Wrapped == String {
    /// nil for nil, empty or blank text; the text trimmed otherwise.
    var nonEmpty: String? {
        guard let text = self?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        return text
    }
}

extension String {
    var nonEmpty: String? { Optional(self).nonEmpty }
}

/// Timestamps as the dataset stores them: ISO 8601, UTC, whole seconds.
public enum Timestamp {
    /// The current time, e.g. `2026-11-25T09:05:07Z`.
    public static func now() -> String { format(Date()) }

    /// The time in UTC with whole seconds (the fraction is dropped).
    public static func format(_ date: Date) -> String {
        // gmtime_r rather than ISO8601DateFormatter: an import stamps thousands of entities.
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }
}
