import CivicCore
import CivicRules
import GeoValues

/// The size and shape of a street network: what `civic validate` reports of `network.geojson`.
///
/// Vertices follow the walking graph's rule (``StreetNetworkFile``): a position with an OSM node
/// id is the vertex of that id; a position without one is the vertex of its coordinates rounded to
/// 7 decimals, and meets a node-id vertex at the same rounded coordinates. Lengths are great-circle
/// (haversine) lengths on the mean Earth radius, as ``Geodesy/distanceMetres(_:_:)`` measures them.
public struct NetworkSummary: Sendable, Hashable {
    /// How many ways (features, one per MultiLineString part).
    public var ways: Int
    /// How many distinct vertices.
    public var nodes: Int
    /// The total length of the ways, in metres.
    public var lengthMetres: Double
    /// How many connected pieces the ways fall into.
    public var pieces: Int
    /// The length of the largest piece (by length), in metres.
    public var largestPieceMetres: Double

    /// The largest piece's share of the whole length (1 for an empty network).
    public var largestPieceShare: Double { lengthMetres > 0 ? largestPieceMetres / lengthMetres : 1 }

    /// Below this share of the length in its largest piece, a network is probably a partial export:
    /// a city's streets are one piece but for a few islands and private yards.
    public static let partialExportShare = 0.9

    /// A vertex of the walking graph: an OSM node by its id (numeric ids as numbers, which hash far
    /// faster than their text), or a drawn position by its coordinates at 7 decimals.
    private enum Vertex: Hashable {
        case node(Int64)
        case namedNode(String)
        case point(Int64, Int64)
    }

    /// Measures `ways`.
    public init(_ ways: [StreetWay]) {
        let positions = ways.reduce(0) { $0 + $1.positions.count }
        var vertexOf: [Vertex: Int] = [:]
        vertexOf.reserveCapacity(positions)
        var parent: [Int] = []
        parent.reserveCapacity(positions)
        func find(_ v: Int) -> Int {
            var root = v
            while parent[root] != root { root = parent[root] }
            var v = v
            while parent[v] != root { let next = parent[v]; parent[v] = root; v = next }
            return root
        }
        func union(_ a: Int, _ b: Int) {
            let ra = find(a), rb = find(b)
            if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
        }
        func vertex(_ key: Vertex) -> Int {
            if let v = vertexOf[key] { return v }
            let v = parent.count
            parent.append(v)
            vertexOf[key] = v
            return v
        }
        // Only a network with drawn ways needs the coordinates of its node-id vertices: a drawn
        // line meets a node where it shares its position.
        let hasDrawn = ways.contains { $0.nodes == nil }
        var nodeAtPoint: [Vertex: Int] = [:]
        var drawnPoints: [Vertex: Int] = [:]
        var firstVertex: [Int] = []
        var lengths: [Double] = []
        firstVertex.reserveCapacity(ways.count)
        lengths.reserveCapacity(ways.count)
        for way in ways {
            var previous: Int?
            var first = 0
            var length = 0.0
            for (i, position) in way.positions.enumerated() {
                let v: Int
                if let nodes = way.nodes {
                    v = vertex(Self.nodeVertex(nodes[i]))
                    if hasDrawn {
                        let point = Self.point(position)
                        if nodeAtPoint[point] == nil { nodeAtPoint[point] = v }
                    }
                } else {
                    let point = Self.point(position)
                    v = vertex(point)
                    drawnPoints[point] = v
                }
                if let previous {
                    union(previous, v)
                    length += Geodesy.distanceMetres(way.positions[i - 1], position)
                } else {
                    first = v
                }
                previous = v
            }
            firstVertex.append(first)
            lengths.append(length)
        }
        var mergedDrawn = 0
        for (point, v) in drawnPoints {
            if let node = nodeAtPoint[point] {
                union(node, v)
                mergedDrawn += 1
            }
        }
        var pieceLength = [Double](repeating: 0, count: parent.count)
        var pieces = 0
        for v in parent.indices where find(v) == v { pieces += 1 }
        for (i, length) in lengths.enumerated() { pieceLength[find(firstVertex[i])] += length }
        self.ways = ways.count
        // A drawn vertex that met a node keeps one count: the node's.
        nodes = parent.count - mergedDrawn
        lengthMetres = lengths.reduce(0, +)
        self.pieces = pieces
        largestPieceMetres = pieceLength.max() ?? 0
    }

    /// A node id as a number when its text is exactly that number's (`"007"` and `"+7"` stay text,
    /// so that two ids are one vertex exactly when their texts are equal).
    private static func nodeVertex(_ id: String) -> Vertex {
        if let number = Int64(id), String(number) == id { return .node(number) }
        return .namedNode(id)
    }

    /// A position's coordinates at 7 decimals (about 1 cm), the walking graph's vertex rule.
    private static func point(_ p: Position) -> Vertex {
        .point(Int64((p.x * 1e7).rounded()), Int64((p.y * 1e7).rounded()))
    }

    /// 12,345: counts as people read them.
    public static func grouped(_ n: Int) -> String { TableWords.grouped(String(n), separator: ",") }
}

extension DatasetReader {
    /// Reads `network.geojson` when it exists: every feature a street (``StreetNetworkFile``) whose
    /// positions are finite, in range and not all one, with a source no other way has. With
    /// `findings`, says its size and pieces (a note), and warns of a network in many pieces
    /// (probably a partial export) and of ways far from every district.
    func readNetwork(into result: inout Result, request: Request, log: inout ProblemLog) throws(CivicError) {
        let networkFile = file(DatasetLayout.network)
        guard let bytes = try contents(DatasetLayout.network, required: false, log: &log) else { return }
        result.networkBytes = bytes
        let features: [Feature]
        do {
            features = try self.features(in: bytes, name: DatasetLayout.network)
        } catch {
            try log.report(error)
            return
        }
        var ways: [StreetWay] = []
        ways.reserveCapacity(features.count)
        var lines: [Int] = []
        var firstIndex: [String: Int] = [:]
        let problemsBefore = log.problems.count
        for (index, feature) in features.enumerated() {
            checked(index, of: features.count, name: DatasetLayout.network)
            let read: [StreetWay]
            do {
                read = try StreetNetworkFile.ways(of: feature, index: index, file: networkFile)
            } catch {
                try log.report(error)
                continue
            }
            let place = Feature.place(index: index, id: feature.id)
            let line = feature.line > 0 ? feature.line : nil
            for way in read {
                if let reason = Self.problem(of: way) {
                    try log.report(.invalid(file: networkFile, line: line, place: place, field: "geometry", reason: reason,
                                            hint: "correct or remove the way; civic import osm writes the file anew"))
                    continue
                }
                if let first = firstIndex[way.source] {
                    try log.report(.invalid(file: networkFile, line: line, place: place, field: "source",
                                            reason: "duplicate source '\(way.source)': features[\(first)] has it too",
                                            hint: "a re-import updates ways by source, so each source names one way"))
                    continue
                }
                firstIndex[way.source] = index
                ways.append(way)
                lines.append(feature.line)
            }
        }
        checked(features.count, of: features.count, name: DatasetLayout.network)
        result.state.network = ways
        guard request.findings, log.problems.count == problemsBefore else { return }
        let summary = NetworkSummary(ways)
        let km = JSONNumber.format((summary.lengthMetres / 100).rounded() / 10)
        func count(_ n: Int, _ noun: String) -> String { "\(NetworkSummary.grouped(n)) \(noun)\(n == 1 ? "" : "s")" }
        result.notes.append("\(networkFile): \(count(summary.ways, "way")), \(count(summary.nodes, "node")), "
                            + "\(km) km, in \(NetworkSummary.grouped(summary.pieces)) connected piece\(summary.pieces == 1 ? "" : "s")")
        if summary.largestPieceShare < NetworkSummary.partialExportShare {
            let share = Int((summary.largestPieceShare * 100).rounded(.down))
            result.warnings.append("\(networkFile): the largest connected piece holds only \(share)% of the length "
                                   + "(\(summary.pieces) pieces): probably a partial export; walking coverage stops at "
                                   + "every gap (import an extract that holds every street of the city)")
        }
        if !result.districtsLookSwapped,
           let placement = try? StreetPlacement(districts: result.state.districts) {
            var far: [Int] = []
            do {
                for (i, way) in ways.enumerated() where try placement.isFar(way) { far.append(i) }
            } catch {
                log.append([.invalid(file: networkFile, place: "features", field: "geometry",
                                     reason: "cannot measure the ways' distance to the districts: \(error)")])
                return
            }
            if !far.isEmpty {
                let first = far.prefix(3).map { "\(ways[$0].source) (line \(lines[$0]))" }.joined(separator: ", ")
                result.warnings.append("\(networkFile): \(NetworkSummary.grouped(far.count)) of \(NetworkSummary.grouped(ways.count)) ways lie wholly "
                                       + "more than 1 km from every district (\(first)\(far.count > 3 ? ", …" : "")); "
                                       + "they cannot matter for coverage, and an import leaves them out")
            }
        }
    }

    /// Why a way cannot be a street: a position not finite or out of range, or fewer than two
    /// distinct positions (a line of no length). nil for a good way.
    static func problem(of way: StreetWay) -> String? {
        for (i, p) in way.positions.enumerated() {
            guard p.x.isFinite, p.y.isFinite else { return "position \(i) is not a finite number" }
            guard (-180...180).contains(p.x), (-90...90).contains(p.y) else {
                return "position \(i) [\(JSONNumber.format(p.x)), \(JSONNumber.format(p.y))] is out of range "
                    + "(longitude −180…180, latitude −90…90)"
            }
        }
        let first = way.positions[0]
        if !way.positions.contains(where: { $0 != first }) {
            return "a street needs at least two distinct positions; all \(way.positions.count) are one"
        }
        return nil
    }
}
