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

/// The positions of untagged nodes by numeric id, in three flat arrays: a region's PBF has
/// millions of way corners, and an ``OSMNode`` with its text id and tag dictionary for each would
/// cost ten times the memory. Filled in file order; sorted once when first asked.
public struct NodePositions: Sendable {
    private(set) var ids: [Int64] = []
    private(set) var lons: [Double] = []
    private(set) var lats: [Double] = []
    /// Whether ids were appended in increasing order (as `osmium` and the planet dumps write them).
    private var sorted = true

    public init() {}

    /// How many nodes.
    public var count: Int { ids.count }

    mutating func append(id: Int64, lon: Double, lat: Double) {
        if let last = ids.last, last >= id { sorted = false }
        ids.append(id)
        lons.append(lon)
        lats.append(lat)
    }

    /// Sorts by id (a file not sorted by id); the last of equal ids wins, as a later element does in XML.
    mutating func sort() {
        guard !sorted else { return }
        let order = ids.indices.sorted { (ids[$0], $0) < (ids[$1], $1) }
        var newIDs: [Int64] = [], newLons: [Double] = [], newLats: [Double] = []
        newIDs.reserveCapacity(order.count)
        for index in order {
            if newIDs.last == ids[index] {
                newLons[newLons.count - 1] = lons[index]
                newLats[newLats.count - 1] = lats[index]
            } else {
                newIDs.append(ids[index])
                newLons.append(lons[index])
                newLats.append(lats[index])
            }
        }
        ids = newIDs
        lons = newLons
        lats = newLats
        sorted = true
    }

    /// The position of node `id`, by binary search; call ``sort()`` first.
    func position(of id: Int64) -> Position? {
        var low = 0, high = ids.count - 1
        while low <= high {
            let mid = (low + high) / 2
            if ids[mid] == id { return Position(lon: lons[mid], lat: lats[mid]) }
            if ids[mid] < id { low = mid + 1 } else { high = mid - 1 }
        }
        return nil
    }
}

/// What an OSM file holds, whichever format it came in.
public struct OSMExtract: Sendable {
    /// Nodes as elements: every node of XML and Overpass JSON, the tagged nodes of a PBF.
    public var nodes: [String: OSMNode] = [:]
    /// The untagged nodes of a PBF, compact; ``position(ofNode:)`` looks in both.
    public var untaggedNodes = NodePositions()
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

    /// The position of a node, wherever the reader kept it.
    public func position(ofNode id: String) -> Position? {
        if let node = nodes[id] { return node.position }
        guard untaggedNodes.count > 0, let number = Int64(id) else { return nil }
        return untaggedNodes.position(of: number)
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
