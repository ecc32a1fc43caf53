import GeoValues


/// The three kinds of OpenStreetMap element.
public enum OSMElementType: String, Hashable, Sendable {
    case node, way, relation
}

/// An element's type and id, as OSM writes it: `way/123456`.
///
/// The id is kept as its decimal text: OSM ids already pass 2^32 and are promised room beyond
/// 2^53, where a Double would round them.
public struct OSMRef: Hashable, Sendable, CustomStringConvertible, Comparable {
    public var type: OSMElementType
    public var id: String

    public init(_ type: OSMElementType, _ id: String) {
        self.type = type
        self.id = id
    }

    public var description: String { "\(type.rawValue)/\(id)" }

    /// The entity source civic stores: `osm:node/9001`.
    public var source: String { "osm:\(description)" }

    /// Element order: nodes, ways, relations, each by numeric id (ids compared as text by length first).
    public static func < (a: OSMRef, b: OSMRef) -> Bool {
        let order: [OSMElementType: Int] = [.node: 0, .way: 1, .relation: 2]
        if a.type != b.type { return order[a.type, default: 0] < order[b.type, default: 0] }
        if a.id.count != b.id.count { return a.id.count < b.id.count }
        return a.id < b.id
    }

    /// Whether `text` is an OSM id: an optional minus (JOSM's new, unsaved objects) and decimal digits.
    public static func isValidID(_ text: String) -> Bool {
        let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        return !digits.isEmpty && digits.count <= 19 && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }
}

/// A node: a position with tags. Untagged nodes are the corners of ways.
public struct OSMNode: Hashable, Sendable {
    public var id: String
    /// nil when the file gives no coordinates (a deleted node in a history export).
    public var position: Position?
    public var tags: [String: String]
    /// The line of the file where the element starts (OSM XML); nil when unknown.
    public var line: Int?

    public init(id: String, position: Position?, tags: [String: String] = [:], line: Int? = nil) {
        self.id = id
        self.position = position
        self.tags = tags
        self.line = line
    }
}

/// A way: an ordered list of node references; with Overpass `out geom`, its positions too.
public struct OSMWay: Hashable, Sendable {
    public var id: String
    public var nodeRefs: [String]
    /// Positions given inline (`out geom`), one per node reference; nil when the file has none.
    public var geometry: [Position]?
    public var tags: [String: String]
    public var line: Int?

    public init(id: String, nodeRefs: [String], geometry: [Position]? = nil, tags: [String: String] = [:],
                line: Int? = nil) {
        self.id = id
        self.nodeRefs = nodeRefs
        self.geometry = geometry
        self.tags = tags
        self.line = line
    }
}

/// A member of a relation; a way member may carry its positions inline (`out geom`).
public struct OSMMember: Hashable, Sendable {
    public var ref: OSMRef
    public var role: String
    public var geometry: [Position]?

    public init(ref: OSMRef, role: String, geometry: [Position]? = nil) {
        self.ref = ref
        self.role = role
        self.geometry = geometry
    }
}

/// A relation: members with roles. Only `type=multipolygon` relations become entities.
public struct OSMRelation: Hashable, Sendable {
    public var id: String
    public var members: [OSMMember]
    public var tags: [String: String]
    public var line: Int?

    public init(id: String, members: [OSMMember], tags: [String: String] = [:], line: Int? = nil) {
        self.id = id
        self.members = members
        self.tags = tags
        self.line = line
    }
}

/// What an OSM file holds, whichever format it came in.
public struct OSMExtract: Sendable {
    public var nodes: [String: OSMNode] = [:]
    public var ways: [String: OSMWay] = [:]
    public var relations: [String: OSMRelation] = [:]
    /// Tagged elements in file order: the candidates for entities.
    public var tagged: [OSMRef] = []
    /// What the server said about the extract (Overpass `remark`), such as a timeout.
    public var remarks: [String] = []

    /// An empty extract, filled by the readers.
    public init() {}

    mutating func add(_ node: OSMNode) {
        if !node.tags.isEmpty, nodes[node.id] == nil { tagged.append(OSMRef(.node, node.id)) }
        nodes[node.id] = node
    }

    mutating func add(_ way: OSMWay) {
        if !way.tags.isEmpty, ways[way.id] == nil { tagged.append(OSMRef(.way, way.id)) }
        // Overpass sometimes prints a way twice (once with geometry); keep the fuller one.
        if let existing = ways[way.id], existing.geometry != nil, way.geometry == nil { return }
        ways[way.id] = way
    }

    mutating func add(_ relation: OSMRelation) {
        if !relation.tags.isEmpty, relations[relation.id] == nil { tagged.append(OSMRef(.relation, relation.id)) }
        relations[relation.id] = relation
    }

    /// The tags of a tagged element.
    public func tags(of ref: OSMRef) -> [String: String] {
        switch ref.type {
        case .node: nodes[ref.id]?.tags ?? [:]
        case .way: ways[ref.id]?.tags ?? [:]
        case .relation: relations[ref.id]?.tags ?? [:]
        }
    }

    /// The line where the element starts in the file, when the format tells it.
    public func line(of ref: OSMRef) -> Int? {
        switch ref.type {
        case .node: nodes[ref.id]?.line
        case .way: ways[ref.id]?.line
        case .relation: relations[ref.id]?.line
        }
    }
}
