import CivicCore
import CivicRules
import CivicStore
import GeoValues

/// Turns an OpenStreetMap extract into import candidates: one per element the mapping calls civic.
///
/// - A node becomes a point; a closed way a polygon; a `type=multipolygon` relation a polygon or
///   multipolygon assembled from its member ways. An open way, or a multipolygon whose rings do not
///   close, is a problem of the batch (the element is in the file but is not an area).
/// - Elements whose nodes or member ways are not in the file (the edges of an area export) are
///   skipped with a warning that names them. When most civic ways have no nodes at all, the query
///   forgot to recurse: that is a problem of the batch, with the fix in its hint.
/// - Places not open to the public — `access=private` or `access=no` without
///   `foot=yes|designated|permissive`, the rule walking coverage uses for ways — are skipped and
///   counted (`private`): a block's own playground, a school's closed pitch.
/// - `name` is the name (else `name:ru`, `name:kk`, `name:en`, else the rule's default name in
///   the dataset's language: «Детская площадка», «Балалар алаңы» or «Playground»);
///   `name:ru`, `name:kk`, `name:en` fill the names; `addr:*`, `website` / `contact:website`,
///   `opening_hours` and `description` are kept; `phone`, `contact:phone`, `contact:mobile`,
///   `mobile`, `email` and `contact:email` go to the private store. Other `contact:*` tags are not
///   stored: the private store has no field for them.
public enum OSMImport {
    /// Reads an extract, telling Overpass JSON (`{`) from OSM XML (`<`) by the first character.
    /// An extract the Overpass server marked as failed (a `remark` with a runtime error) is refused.
    public static func read(_ bytes: [UInt8], path: String) throws(CivicError) -> OSMExtract {
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while start < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[start]) { start += 1 }
        guard start < bytes.count else {
            throw CivicError.invalid(file: path, place: "file", reason: "the file is empty")
        }
        let extract: OSMExtract
        switch bytes[start] {
        case UInt8(ascii: "{"): extract = try OverpassJSONReader.read(bytes, file: path)
        case UInt8(ascii: "<"): extract = try OSMXMLReader.read(bytes, file: path)
        default:
            throw CivicError.invalid(file: path, place: "file", reason: "neither Overpass JSON nor OSM XML",
                                     hint: "export from openstreetmap.org or JOSM (.osm), or query Overpass with [out:json]")
        }
        if let failure = extract.remarks.first(where: { $0.lowercased().contains("error") }) {
            throw CivicError.refused(reason: "\(path): the Overpass server reported \"\(failure)\": the extract is incomplete",
                                     hint: "run the query again with a larger [timeout:…] or a smaller area")
        }
        return extract
    }

    /// The candidates of an extract under `mapping`, for a dataset whose language is `language`
    /// (it picks the generic names of unnamed places); with `network`, the walkable ways too
    /// (``StreetNetworkImport``), for the dataset's street network.
    public static func batch(_ extract: OSMExtract, path: String, language: String,
                             mapping: OSMMapping = .standard, network: Bool = true) -> ImportBatch {
        var batch = ImportBatch(origin: .osm(fileName: SpreadsheetImport.lastPathComponent(path)), path: path,
                                skipsOutside: true)
        for remark in extract.remarks { batch.warnings.append("\(path): the server remarked: \(remark)") }
        if network {
            var extraction = StreetNetworkImport.ways(in: extract, file: path, mapping: mapping)
            // The server's remarks are said once, above.
            extraction.remarks.removeFirst(extract.remarks.count)
            batch.warnings += extraction.remarks
            batch.network = extraction
        }
        var incomplete: [String] = []
        var civicWays = 0
        var waysWithoutNodes: [OSMRef] = []

        for ref in extract.tagged {
            let tags = extract.tags(of: ref)
            guard let rule = mapping.rule(for: tags), !rule.skip, let kind = rule.kind else {
                batch.skipped.add("not civic")
                continue
            }
            if ref.id.hasPrefix("-") {
                // JOSM numbers objects it has not uploaded yet below zero; their ids change on upload.
                batch.skipped.add("not uploaded from JOSM yet")
                continue
            }
            let line = extract.line(of: ref)
            func problem(_ reason: String, hint: String? = nil) {
                batch.problems.append(ImportProblem(file: path, place: ref.description, line: line, reason: reason, hint: hint))
            }
            if !isPublic(tags) {
                batch.skipped.add("private")
                continue
            }
            if ref.type == .relation, tags["type"] != "multipolygon" {
                batch.skipped.add("not an area (relation type \(tags["type"] ?? "missing"))")
                continue
            }
            guard let name = (tags["name"] ?? tags["name:ru"] ?? tags["name:kk"] ?? tags["name:en"])?.trimmingSpaces.nilIfEmpty
                    ?? rule.defaultName(in: language) else {
                batch.skipped.add("without a name")
                continue
            }

            let geometry: Geometry
            switch shape(of: ref, in: extract) {
            case .built(let built):
                geometry = built
            case .missing(let what, let noNodesAtAll):
                if ref.type == .way {
                    civicWays += 1
                    if noNodesAtAll { waysWithoutNodes.append(ref) }
                }
                incomplete.append("\(ref): \(what)")
                batch.skipped.add("incomplete")
                continue
            case .broken(let reason, let hint):
                if ref.type == .way { civicWays += 1 }
                problem(reason, hint: hint)
                continue
            }
            if ref.type == .way { civicWays += 1 }

            var draft = EntityDraft(kind: kind, name: name, themes: rule.themes, geometry: geometry)
            for language in ["ru", "kk", "en"] {
                if let value = tags["name:\(language)"]?.trimmingSpaces.nilIfEmpty { draft.names[language] = value }
            }
            draft.address = address(tags)
            draft.website = (tags["website"] ?? tags["contact:website"] ?? tags["url"])?.trimmingSpaces.nilIfEmpty
            draft.description = tags["description"]?.trimmingSpaces.nilIfEmpty
            for (key, value) in tags where key.hasPrefix("addr:") || key == "opening_hours" {
                if let value = value.trimmingSpaces.nilIfEmpty { draft.extra[key] = value }
            }
            draft.source = ref.source
            draft.contacts = contacts(tags, ref: ref, path: path, warnings: &batch.warnings)
            batch.candidates.append(ImportCandidate(place: ref.description, line: line, draft: draft, updatesKindAndThemes: false))
        }

        let forgotToRecurse = !waysWithoutNodes.isEmpty && waysWithoutNodes.count * 2 > civicWays
        if forgotToRecurse {
            // One problem says it for all of them; a warning per way would only repeat it.
            let named = Set(waysWithoutNodes.map { "\($0): " })
            incomplete.removeAll { entry in named.contains { entry.hasPrefix($0) } }
        }
        let listed = incomplete.prefix(20)
        for entry in listed { batch.warnings.append("\(path): \(entry); skipped") }
        if incomplete.count > listed.count {
            batch.warnings.append("\(path): … and \(incomplete.count - listed.count) more incomplete elements skipped")
        }
        if forgotToRecurse {
            let names = waysWithoutNodes.prefix(5).map(\.description).joined(separator: ", ")
                + (waysWithoutNodes.count > 5 ? ", …" : "")
            batch.problems.append(ImportProblem(
                file: path, place: "", line: nil,
                reason: "\(waysWithoutNodes.count) of \(civicWays) civic ways have none of their nodes in the file (\(names))",
                hint: "the Overpass query forgot to recurse: end it with `(._;>;); out body;`, or print positions with `out geom;`"))
        }
        return batch
    }

    /// Whether the public may go there: not `access=private` or `access=no` unless `foot` lets
    /// people on foot in (`yes`, `designated`, `permissive`). Other access values (`yes`,
    /// `permissive`, `customers`, `destination`) keep the place.
    static func isPublic(_ tags: [String: String]) -> Bool {
        guard let access = tags["access"]?.trimmingSpaces.lowercased(), ["private", "no"].contains(access) else {
            return true
        }
        return ["yes", "designated", "permissive"].contains(tags["foot"]?.trimmingSpaces.lowercased() ?? "")
    }

    enum Shape {
        case built(Geometry)
        /// Parts not in the file; `noNodesAtAll` when a way has none of its nodes.
        case missing(String, noNodesAtAll: Bool)
        /// All there, but not a shape an entity can have.
        case broken(String, hint: String?)
    }

    static func shape(of ref: OSMRef, in extract: OSMExtract) -> Shape {
        switch ref.type {
        case .node:
            guard let position = extract.nodes[ref.id]?.position else { return .missing("no coordinates", noNodesAtAll: false) }
            return .built(.point(position))
        case .way:
            guard let way = extract.ways[ref.id] else { return .missing("not in the file", noNodesAtAll: true) }
            let positions: [Position]
            switch wayPositions(way, in: extract) {
            case .success(let found): positions = found
            case .failure(let gap):
                return .missing(gap.description, noNodesAtAll: gap.found == 0)
            }
            if positions.count == 1 { return .built(.point(positions[0])) }  // `out center`
            guard positions.count >= 4, positions.first == positions.last else {
                return .broken("the way is not closed, so it is not an area",
                               hint: "close the way in OSM, or map the place as a node")
            }
            return .built(.polygon(Polygon(outerRing: positions)))
        case .relation:
            guard let relation = extract.relations[ref.id] else { return .missing("not in the file", noNodesAtAll: false) }
            var outer: [[Position]] = [], inner: [[Position]] = []
            var wayMembers = 0, missingWays = 0, waysLackingNodes = 0
            for member in relation.members where member.ref.type == .way {
                guard ["outer", "inner", ""].contains(member.role) else { continue }
                wayMembers += 1
                var positions = member.geometry
                if positions == nil {
                    if let way = extract.ways[member.ref.id] {
                        if case .success(let found) = wayPositions(way, in: extract) { positions = found } else { waysLackingNodes += 1 }
                    } else {
                        missingWays += 1
                    }
                }
                guard let positions else { continue }
                if member.role == "inner" { inner.append(positions) } else { outer.append(positions) }
            }
            if missingWays > 0 {
                return .missing("\(missingWays) of \(wayMembers) member ways not in the file", noNodesAtAll: false)
            }
            if waysLackingNodes > 0 {
                return .missing("\(waysLackingNodes) of \(wayMembers) member ways without their nodes", noNodesAtAll: false)
            }
            do {
                return .built(try RingAssembly.geometry(outer: outer, inner: inner))
            } catch {
                return .broken("the multipolygon cannot be built: \(error)",
                               hint: "check the relation in JOSM (Validation) or on osm.org; every ring must close")
            }
        }
    }

    struct NodeGap: Error, CustomStringConvertible {
        var missing: Int
        var total: Int
        var found: Int { total - missing }
        var description: String { total == 0 ? "no nodes in the file" : "\(missing) of \(total) nodes not in the file" }
    }

    /// A way's positions, inline or through its node references.
    static func wayPositions(_ way: OSMWay, in extract: OSMExtract) -> Result<[Position], NodeGap> {
        if let geometry = way.geometry { return .success(geometry) }
        guard !way.nodeRefs.isEmpty else { return .failure(NodeGap(missing: 0, total: 0)) }
        var positions: [Position] = []
        positions.reserveCapacity(way.nodeRefs.count)
        var missing = Set<String>()
        for ref in way.nodeRefs {
            if let p = extract.position(ofNode: ref) { positions.append(p) } else { missing.insert(ref) }
        }
        guard !missing.isEmpty else { return .success(positions) }
        // A closed way names its first node twice; count nodes, not references.
        return .failure(NodeGap(missing: missing.count, total: Set(way.nodeRefs).count))
    }

    /// `addr:full`, else street and house number (and the place when there is no street).
    static func address(_ tags: [String: String]) -> String? {
        if let full = tags["addr:full"]?.trimmingSpaces.nilIfEmpty { return full }
        let street = (tags["addr:street"] ?? tags["addr:place"])?.trimmingSpaces.nilIfEmpty
        let number = tags["addr:housenumber"]?.trimmingSpaces.nilIfEmpty
        switch (street, number) {
        case let (street?, number?): return "\(street), \(number)"
        case let (street?, nil): return street
        default: return nil
        }
    }

    /// Phone and e-mail for the private store: the first of a `;`-separated list; a value that is
    /// not a phone number or an address is left out with a warning rather than failing the element.
    static func contacts(_ tags: [String: String], ref: OSMRef, path: String, warnings: inout [String]) -> Contacts {
        func first(_ keys: [String]) -> (key: String, value: String)? {
            for key in keys {
                if let value = tags[key]?.split(separator: ";").first.map({ String($0).trimmingSpaces }), !value.isEmpty {
                    return (key, value)
                }
            }
            return nil
        }
        var contacts = Contacts()
        if let phone = first(["phone", "contact:phone", "contact:mobile", "mobile"]) {
            do {
                try EntityRules.checkPhone(phone.value)
                contacts.phone = phone.value
            } catch {
                warnings.append("\(path): \(ref): \(phone.key) '\(phone.value)' is not a phone number; not kept")
            }
        }
        if let email = first(["email", "contact:email"]) {
            do {
                try EntityRules.checkEmail(email.value)
                contacts.email = email.value
            } catch {
                warnings.append("\(path): \(ref): \(email.key) '\(email.value)' is not an e-mail address; not kept")
            }
        }
        return contacts
    }
}
