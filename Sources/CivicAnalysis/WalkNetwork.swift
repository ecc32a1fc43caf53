import CivicCore
import GeoEngine
import GeoValues

/// The street network as a walking graph in one projected CRS (DESIGN §5b).
///
/// Vertices follow ``CivicCore/StreetNetworkFile``'s rule: two positions are one vertex when both
/// ways give node ids and the ids are equal, or, for a way without node ids, when the coordinates
/// are identical at 7 decimals. An edge joins consecutive positions of a way; its length is the
/// straight length in metres. Ways meet only at shared vertices, so a bridge drawn over a street
/// without a shared node does not connect to it.
///
/// The graph never changes once built: an entity joins it by naming the edge and the place on it
/// (``Join``), and the distances along that edge are worked out from the joins themselves
/// (``WalkReach``). So one graph serves every question asked of it — the coverage of all entities at
/// once, or (for `suggest`) each candidate site in turn — and it is a plain `Sendable` value that
/// tasks share.
struct WalkNetwork: Sendable {
    /// Vertices, projected.
    private(set) var positions: [Position] = []
    /// Edge `e` joins `edgeFrom[e]` and `edgeTo[e]`; `edgeLength[e]` metres.
    private(set) var edgeFrom: [Int32] = []
    private(set) var edgeTo: [Int32] = []
    private(set) var edgeLength: [Double] = []
    /// Compressed adjacency: the edges at vertex `v` are `adjacency[adjacencyStart[v] ..< adjacencyStart[v + 1]]`.
    private var adjacencyStart: [Int32] = [0]
    private var adjacency: [Int32] = []
    /// The edges bucketed in a grid, for the nearest edge to a point.
    private var grid: Grid
    private var buckets: Buckets
    /// The ways the graph was built from.
    private(set) var wayCount = 0

    /// A place where an entity joins the network: on edge `edge` at `offset` metres from its first
    /// vertex, at a cost of `cost` metres.
    struct Join: Hashable, Sendable {
        var edge: Int32
        var offset: Double
        var cost: Double
    }

    /// The graph of `ways` (WGS84) projected by `transform`; `within` (WGS84), when given, keeps only
    /// the ways whose box meets it (the ground a zone's districts can reach).
    init(ways: [StreetWay], transform: CoordinateTransform, within: BoundingBox? = nil) throws(GeoEngineError) {
        // Ways with node ids first, so that a drawn line without ids joins the node its coordinates
        // name whatever the order of the file.
        let kept = ways.filter { way in
            guard let within else { return true }
            return BoundingBox(way.positions).map(within.intersects) ?? false
        }
        let ordered = kept.filter { $0.nodes != nil } + kept.filter { $0.nodes == nil }
        var byNode: [String: Int32] = [:]
        var byCoordinate: [CoordinateKey: Int32] = [:]
        var sources: [Position] = []
        var from: [Int32] = [], to: [Int32] = []
        for way in ordered {
            var previous: Int32?
            for (k, position) in way.positions.enumerated() {
                let key = CoordinateKey(position)
                let vertex: Int32
                if let nodes = way.nodes {
                    if let known = byNode[nodes[k]] {
                        vertex = known
                    } else {
                        vertex = Int32(sources.count)
                        sources.append(position)
                        byNode[nodes[k]] = vertex
                        if byCoordinate[key] == nil { byCoordinate[key] = vertex }
                    }
                } else if let known = byCoordinate[key] {
                    vertex = known
                } else {
                    vertex = Int32(sources.count)
                    sources.append(position)
                    byCoordinate[key] = vertex
                }
                if let previous, previous != vertex {
                    from.append(previous)
                    to.append(vertex)
                }
                previous = vertex
            }
        }
        let projected = try transform.forward(sources)
        edgeLength = zip(from, to).map { Planar.distance(projected[Int($0)], projected[Int($1)]) }
        let vertexCount = projected.count

        var degree = [Int32](repeating: 0, count: vertexCount + 1)
        for e in from.indices {
            degree[Int(from[e]) + 1] += 1
            degree[Int(to[e]) + 1] += 1
        }
        for v in 0..<vertexCount { degree[v + 1] += degree[v] }
        var fill = degree
        var adjacency = [Int32](repeating: 0, count: Int(degree[vertexCount]))
        for e in from.indices {
            adjacency[Int(fill[Int(from[e])])] = Int32(e)
            fill[Int(from[e])] += 1
            adjacency[Int(fill[Int(to[e])])] = Int32(e)
            fill[Int(to[e])] += 1
        }

        let box = BoundingBox(projected) ?? BoundingBox(minX: 0, minY: 0, maxX: 1, maxY: 1)
        let side = max(box.width, box.height, 1e-3)
        // About two edges per cell, and never more than 2048 cells a side.
        let cell = max(side / 2048, (box.width * box.height / Double(max(1, from.count / 2))).squareRoot(), 1e-3)
        let grid = Grid(covering: box, cell: cell)
        self.grid = grid
        buckets = Buckets(grid: grid, count: from.count) { e in
            let a = projected[Int(from[e])], b = projected[Int(to[e])]
            return grid.cells(touching: BoundingBox(minX: min(a.x, b.x), minY: min(a.y, b.y),
                                                    maxX: max(a.x, b.x), maxY: max(a.y, b.y)))
        }
        positions = projected
        edgeFrom = from
        edgeTo = to
        self.adjacency = adjacency
        adjacencyStart = degree
        wayCount = kept.count
    }

    var vertexCount: Int { positions.count }
    var edgeCount: Int { edgeFrom.count }

    /// The point `offset` metres along edge `e` from its first vertex.
    func point(onEdge e: Int, at offset: Double) -> Position {
        let a = positions[Int(edgeFrom[e])], b = positions[Int(edgeTo[e])]
        let length = edgeLength[e]
        guard length > 0 else { return a }
        let t = offset / length
        return Position(x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y))
    }

    // MARK: - Joining

    /// Where a point joins: the nearest point of the nearest edge, at the straight distance to it;
    /// a point equally near to several edges joins each of them (it may walk either way). Empty
    /// without edges.
    func join(point p: Position) -> [Join] {
        guard !edgeFrom.isEmpty else { return [] }
        // Cells at k rings from the one nearest to p lie at least (k − 1) cells from p: from the
        // point of the grid's box nearest to p, and projecting onto a convex box shortens every
        // distance to what lies in it.
        let clamped = Position(x: min(max(p.x, grid.origin.x), grid.origin.x + Double(grid.columns) * grid.cell),
                               y: min(max(p.y, grid.origin.y), grid.origin.y + Double(grid.rows) * grid.cell))
        guard let c = grid.cell(of: clamped) else { return [] }
        let column = c % grid.columns, row = c / grid.columns
        var best: [Join] = []
        var bestCost = Double.infinity
        var k = 0
        while true {
            let unseen = Double(k - 1) * grid.cell
            if bestCost < unseen { break }
            let r0 = row - k, r1 = row + k, c0 = column - k, c1 = column + k
            if r0 < 0 && c0 < 0 && r1 >= grid.rows && c1 >= grid.columns { break }
            for r in max(0, r0)...min(grid.rows - 1, r1) {
                for q in max(0, c0)...min(grid.columns - 1, c1) where r == r0 || r == r1 || q == c0 || q == c1 {
                    for e in buckets[r * grid.columns + q] {
                        let (offset, distance) = nearest(onEdge: Int(e), to: p)
                        if distance < bestCost {
                            bestCost = distance
                            best = [Join(edge: e, offset: offset, cost: distance)]
                        } else if distance == bestCost, !best.contains(where: { $0.edge == e }) {
                            best.append(Join(edge: e, offset: offset, cost: distance))
                        }
                    }
                }
            }
            k += 1
        }
        return best.sorted { $0.edge < $1.edge }
    }

    /// Where an entity starts walking: its joins, the vertices it holds (an area), and the least
    /// cost of them — more than the off-street allowance means it lies away from every street
    /// (DESIGN §5b). Coverage and `suggest` both ask this, so that they count the same places away.
    struct Start {
        var joins: [Join]
        var vertices: [(vertex: Int32, cost: Double)]
        /// The cheapest way onto the network, metres; infinity without edges.
        var cost: Double
    }

    /// Where a point starts: ``join(point:)``.
    func start(point p: Position) -> Start {
        let joins = join(point: p)
        return Start(joins: joins, vertices: [], cost: joins.first?.cost ?? .infinity)
    }

    /// Where an area starts: ``join(area:)``.
    func start(area polygons: [Polygon]) -> Start {
        let (joins, vertices) = join(area: polygons)
        var cost = Double.infinity
        for join in joins { cost = min(cost, join.cost) }
        for vertex in vertices { cost = min(cost, vertex.cost) }
        return Start(joins: joins, vertices: vertices, cost: cost)
    }

    /// Where an area joins (DESIGN §5b): at cost 0 at every network point inside it or on its
    /// boundary — its vertices inside (``vertexJoins``) and the points where edges cross or touch
    /// its boundary (joins) — or, when it touches no edge, at the nearest network point at the
    /// distance to it. `polygons` are projected.
    func join(area polygons: [Polygon]) -> (joins: [Join], vertices: [(vertex: Int32, cost: Double)]) {
        guard !edgeFrom.isEmpty, let box = BoundingBox(polygons.flatMap(\.outerRing)) else { return ([], []) }
        var joins: [Join] = []
        var vertices: [(vertex: Int32, cost: Double)] = []
        var seenVertex = Set<Int32>()
        for e in edges(touching: box) {
            let a = positions[Int(edgeFrom[Int(e)])], b = positions[Int(edgeTo[Int(e)])]
            for v in [edgeFrom[Int(e)], edgeTo[Int(e)]] where !seenVertex.contains(v) {
                seenVertex.insert(v)
                if Planar.covers(polygons, positions[Int(v)]) { vertices.append((v, 0)) }
            }
            let length = edgeLength[Int(e)]
            for polygon in polygons {
                for ring in polygon.rings where ring.count >= 2 {
                    for i in 0..<(ring.count - 1) {
                        for t in Self.crossings(a, b, ring[i], ring[i + 1]) {
                            joins.append(Join(edge: e, offset: t * length, cost: 0))
                        }
                    }
                }
            }
        }
        if !joins.isEmpty || !vertices.isEmpty { return (joins, vertices) }
        // It touches nothing: the nearest pair of points lies at a vertex of the area or of the network.
        var best: [Join] = []
        for polygon in polygons {
            for p in polygon.outerRing {
                let found = join(point: p)
                guard let cost = found.first?.cost else { continue }
                if best.isEmpty || cost < best[0].cost { best = found } else if cost == best[0].cost { best += found }
            }
        }
        guard let bestCost = best.first?.cost else { return ([], []) }
        var nearestVertex: (vertex: Int32, cost: Double)?
        for e in edges(touching: box.expanded(by: bestCost)) {
            for v in [edgeFrom[Int(e)], edgeTo[Int(e)]] {
                let distance = Planar.distance(positions[Int(v)], polygons)
                if distance < (nearestVertex?.cost ?? bestCost) { nearestVertex = (v, distance) }
            }
        }
        if let nearestVertex { return ([], [nearestVertex]) }
        return (best, [])
    }

    /// The edges in the cells `box` touches, each once, in index order.
    private func edges(touching box: BoundingBox) -> [Int32] {
        guard let range = grid.cells(touching: box) else { return [] }
        var found = Set<Int32>()
        for r in range.rows {
            for q in range.columns {
                for e in buckets[r * grid.columns + q] { found.insert(e) }
            }
        }
        return found.sorted()
    }

    /// The offset along edge `e` of its point nearest to `p`, and the distance.
    private func nearest(onEdge e: Int, to p: Position) -> (offset: Double, distance: Double) {
        let a = positions[Int(edgeFrom[e])], b = positions[Int(edgeTo[e])]
        let dx = b.x - a.x, dy = b.y - a.y
        let length2 = dx * dx + dy * dy
        var t = 0.0
        if length2 > 0 { t = min(1, max(0, ((p.x - a.x) * dx + (p.y - a.y) * dy) / length2)) }
        let ex = a.x + t * dx - p.x, ey = a.y + t * dy - p.y
        return (t * edgeLength[e], (ex * ex + ey * ey).squareRoot())
    }

    /// Where segment a–b meets segment c–d, as fractions of a–b: one for a crossing or a touch,
    /// the two ends of the shared stretch when they overlap, none when they miss.
    static func crossings(_ a: Position, _ b: Position, _ c: Position, _ d: Position) -> [Double] {
        let rx = b.x - a.x, ry = b.y - a.y
        let qx = d.x - c.x, qy = d.y - c.y
        let wx = c.x - a.x, wy = c.y - a.y
        let denominator = rx * qy - ry * qx
        if denominator == 0 {
            guard wx * ry - wy * rx == 0 else { return [] }
            let length2 = rx * rx + ry * ry
            guard length2 > 0 else { return [] }
            let t0 = (wx * rx + wy * ry) / length2
            let t1 = ((d.x - a.x) * rx + (d.y - a.y) * ry) / length2
            let low = max(0, min(t0, t1)), high = min(1, max(t0, t1))
            guard low <= high else { return [] }
            return low == high ? [low] : [low, high]
        }
        let t = (wx * qy - wy * qx) / denominator
        let u = (wx * ry - wy * rx) / denominator
        guard t >= 0, t <= 1, u >= 0, u <= 1 else { return [] }
        return [t]
    }

    // MARK: - Shortest paths

    /// The least cost plus network distance from any of `joins` and `vertexSeeds` to every vertex,
    /// by one multi-source Dijkstra with a binary heap; vertices farther than `limit` are left at
    /// infinity (the search stops there).
    func distances(joins: [Join], vertexSeeds: [(vertex: Int32, cost: Double)], limit: Double) -> [Double] {
        var distance = [Double](repeating: .infinity, count: positions.count)
        var heap = MinHeap()
        func seed(_ v: Int32, _ d: Double) {
            guard d <= limit, d < distance[Int(v)] else { return }
            distance[Int(v)] = d
            heap.push(d, v)
        }
        for (v, cost) in vertexSeeds { seed(v, cost) }
        for join in joins {
            // A join splits its edge: each end is reached along its part.
            seed(edgeFrom[Int(join.edge)], join.cost + join.offset)
            seed(edgeTo[Int(join.edge)], join.cost + edgeLength[Int(join.edge)] - join.offset)
        }
        while let (d, v) = heap.pop() {
            guard d == distance[Int(v)] else { continue }
            for k in Int(adjacencyStart[Int(v)])..<Int(adjacencyStart[Int(v) + 1]) {
                let e = Int(adjacency[k])
                let w = edgeFrom[e] == v ? edgeTo[e] : edgeFrom[e]
                let next = d + edgeLength[e]
                if next <= limit && next < distance[Int(w)] {
                    distance[Int(w)] = next
                    heap.push(next, w)
                }
            }
        }
        return distance
    }

    /// The joins that count (cost within `radius`) by edge, as ``pieces(distances:joinsByEdge:radius:offStreet:edges:)``
    /// takes them.
    static func joinsByEdge(_ joins: [Join], radius: Double) -> [Int32: [(offset: Double, cost: Double)]] {
        var byEdge: [Int32: [(offset: Double, cost: Double)]] = [:]
        for join in joins where join.cost <= radius {
            byEdge[join.edge, default: []].append((join.offset, join.cost))
        }
        return byEdge
    }

    /// The pieces of every edge within `radius` of a start, each covering the convex hull of its
    /// end disks (DESIGN §5b): along an edge, d(p) is the least of the two ends' distances plus
    /// the way along the edge, and of the joins on it plus the way from them; it is cut where it
    /// turns, where R − d = A and where d = R, so that r = min(A, R − d) is linear on each piece.
    /// Neighbouring pieces of one edge with the same constant r are one piece (the same region).
    func pieces(distances: [Double], joins: [Join], radius: Double, offStreet: Double) -> [WalkPiece] {
        pieces(distances: distances, joinsByEdge: Self.joinsByEdge(joins, radius: radius), radius: radius,
               offStreet: offStreet, edges: 0..<edgeCount)
    }

    /// The pieces of the edges in `edges` only, in edge order: the edges are independent of each
    /// other once the distances are known, so ranges of them can be cut on several cores and the
    /// results put end to end.
    func pieces(distances: [Double], joinsByEdge: [Int32: [(offset: Double, cost: Double)]], radius: Double,
                offStreet: Double, edges: Range<Int>) -> [WalkPiece] {
        let reach = min(offStreet, radius)
        var pieces: [WalkPiece] = []
        // Scratch lists, emptied per edge but kept allocated: most edges need a handful of entries,
        // and a fresh array per edge was a fair share of the time.
        var sources: [(offset: Double, cost: Double)] = []
        var kept: [(offset: Double, cost: Double)] = []
        var knots: [(offset: Double, d: Double)] = []
        for e in edges {
            let du = distances[Int(edgeFrom[e])], dv = distances[Int(edgeTo[e])]
            let extra = joinsByEdge[Int32(e)]
            guard du <= radius || dv <= radius || extra != nil else { continue }
            let length = edgeLength[e]
            sources.removeAll(keepingCapacity: true)
            if du <= radius { sources.append((0, du)) }
            if let extra { sources.append(contentsOf: extra) }
            if dv <= radius { sources.append((length, dv)) }
            if length == 0 {
                var d = Double.infinity
                for source in sources { d = min(d, source.cost) }
                let p = positions[Int(edgeFrom[e])]
                let r = min(reach, radius - d)
                if r > 0 { pieces.append(WalkPiece(a: p, ra: r, b: p, rb: r)) }
                continue
            }
            if sources.count > 1 {
                sources.sort { $0.offset != $1.offset ? $0.offset < $1.offset : $0.cost < $1.cost }
            }
            // The lower envelope of cost + |s − offset|: drop the sources another one beats.
            kept.removeAll(keepingCapacity: true)
            for source in sources {
                if let last = kept.last, last.cost + (source.offset - last.offset) <= source.cost { continue }
                while let last = kept.last, source.cost + (source.offset - last.offset) <= last.cost { kept.removeLast() }
                kept.append(source)
            }
            // d is linear between consecutive breakpoints: 0, each source, each peak between two, L.
            knots.removeAll(keepingCapacity: true)
            let first = kept[0]
            if first.offset > 0 { knots.append((0, first.cost + first.offset)) }
            for i in kept.indices {
                let source = kept[i]
                knots.append((source.offset, source.cost))
                if i + 1 < kept.count {
                    let next = kept[i + 1]
                    let peak = (source.offset + next.offset + next.cost - source.cost) / 2
                    knots.append((peak, source.cost + peak - source.offset))
                }
            }
            let last = kept[kept.count - 1]
            if last.offset < length { knots.append((length, last.cost + length - last.offset)) }
            var run: WalkPiece?
            func add(_ piece: WalkPiece) {
                if let open = run, open.ra == open.rb, piece.ra == piece.rb, piece.ra == open.rb, open.b == piece.a {
                    run = WalkPiece(a: open.a, ra: open.ra, b: piece.b, rb: piece.rb)
                    return
                }
                if let open = run, open.ra > 0 || open.rb > 0 { pieces.append(open) }
                run = piece
            }
            for i in 0..<(knots.count - 1) {
                let (s0, d0) = knots[i], (s1, d1) = knots[i + 1]
                guard s1 > s0 else { continue }
                // Cut where d crosses R − A and R, so that r is linear and d ≤ R on each part: at
                // most two cuts, kept in order without a list.
                var c1 = Double.nan, c2 = Double.nan
                for level in [radius - reach, radius] where (d0 - level) * (d1 - level) < 0 {
                    let cut = min(max(s0 + (level - d0) / (d1 - d0) * (s1 - s0), s0), s1)
                    if c1.isNaN { c1 = cut } else { c2 = cut }
                }
                if !c2.isNaN && c2 < c1 { swap(&c1, &c2) }
                var x0 = s0
                for x1 in [c1, c2, s1] where !x1.isNaN {
                    defer { x0 = max(x0, x1) }
                    guard x1 > x0 else { continue }
                    let e0 = d0 + (d1 - d0) * (x0 - s0) / (s1 - s0)
                    let e1 = d0 + (d1 - d0) * (x1 - s0) / (s1 - s0)
                    guard max(e0, e1) <= radius * (1 + 1e-12) else { continue }
                    let r0 = max(0, min(reach, radius - e0)), r1 = max(0, min(reach, radius - e1))
                    add(WalkPiece(a: point(onEdge: e, at: x0), ra: r0, b: point(onEdge: e, at: x1), rb: r1))
                }
            }
            if let open = run, open.ra > 0 || open.rb > 0 { pieces.append(open) }
        }
        return pieces
    }
}

/// Coordinates at 7 decimals, as StreetNetworkFile's vertex rule compares them.
private struct CoordinateKey: Hashable {
    var x: Int64
    var y: Int64

    init(_ p: Position) {
        x = Int64((p.x * 1e7).rounded())
        y = Int64((p.y * 1e7).rounded())
    }
}

/// A binary min-heap of (distance, vertex) for Dijkstra.
private struct MinHeap {
    private var keys: [Double] = []
    private var values: [Int32] = []

    mutating func push(_ key: Double, _ value: Int32) {
        keys.append(key)
        values.append(value)
        var i = keys.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard keys[i] < keys[parent] else { break }
            keys.swapAt(i, parent)
            values.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> (Double, Int32)? {
        guard let top = keys.first else { return nil }
        let value = values[0]
        let lastKey = keys.removeLast(), lastValue = values.removeLast()
        if !keys.isEmpty {
            keys[0] = lastKey
            values[0] = lastValue
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var smallest = i
                if l < keys.count && keys[l] < keys[smallest] { smallest = l }
                if r < keys.count && keys[r] < keys[smallest] { smallest = r }
                guard smallest != i else { break }
                keys.swapAt(i, smallest)
                values.swapAt(i, smallest)
                i = smallest
            }
        }
        return (top, value)
    }
}
