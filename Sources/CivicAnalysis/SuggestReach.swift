import GeoValues

/// Which demand points each candidate site reaches, stored flat (compressed rows): the demand
/// points site `s` reaches are ``subscript(_:)`` `reach[s]`, in increasing order.
///
/// The maximum-covering solver (``CoveringProblem``) sees nothing but this relation and the
/// residents' weights, so a straight line, a walk along the streets or any other notion of reach
/// gives the same solver the same kind of input.
public struct SiteReach: Hashable, Sendable {
    /// `start[s] ..< start[s + 1]` is the range of site `s` in ``demand``.
    public private(set) var start: [Int]
    /// Demand indices, site after site.
    public private(set) var demand: [Int32]
    /// How many demand points the relation is over.
    public let demandCount: Int

    /// The relation from one list per site (each sorted increasing, no repeats).
    public init(demandCount: Int, lists: [[Int32]]) {
        self.demandCount = demandCount
        var start = [0]
        start.reserveCapacity(lists.count + 1)
        var demand: [Int32] = []
        demand.reserveCapacity(lists.reduce(0) { $0 + $1.count })
        for list in lists {
            demand.append(contentsOf: list)
            start.append(demand.count)
        }
        self.start = start
        self.demand = demand
    }

    private init(demandCount: Int, start: [Int], demand: [Int32]) {
        self.demandCount = demandCount
        self.start = start
        self.demand = demand
    }

    /// How many sites.
    public var siteCount: Int { start.count - 1 }

    /// How many (site, demand point) pairs.
    public var pairCount: Int { demand.count }

    /// The demand points site `s` reaches.
    public subscript(_ s: Int) -> ArraySlice<Int32> { demand[start[s]..<start[s + 1]] }

    /// The same relation the other way round: for each demand point, the sites that reach it
    /// (sorted increasing). One counting pass and one filling pass.
    public func transposed() -> SiteReach {
        var start = [Int](repeating: 0, count: demandCount + 1)
        for d in demand { start[Int(d) + 1] += 1 }
        for i in 0..<demandCount { start[i + 1] += start[i] }
        var fill = start
        var sites = [Int32](repeating: 0, count: demand.count)
        for s in 0..<siteCount {
            for d in self[s] {
                sites[fill[Int(d)]] = Int32(s)
                fill[Int(d)] += 1
            }
        }
        return SiteReach(demandCount: siteCount, start: start, demand: sites)
    }

    /// The relations of several zones side by side: the sites are the same in each, the demand
    /// points of zone `k` follow those of the zones before it.
    static func joined(_ parts: [SiteReach], siteCount: Int) -> SiteReach {
        var lists = [[Int32]](repeating: [], count: siteCount)
        var offset = 0
        for part in parts {
            for s in 0..<part.siteCount { lists[s].append(contentsOf: part[s].map { $0 + Int32(offset) }) }
            offset += part.demandCount
        }
        return SiteReach(demandCount: offset, lists: lists)
    }
}

/// How far a place reaches, as `civic suggest` needs it: which residents a candidate site would
/// reach, and which the existing places reach already. Everything is projected into one zone's
/// CRS (metres), named by `epsg` so that a model with data of its own (a street network) can
/// project it once per zone.
///
/// The straight line (``StraightLineReach``) is DESIGN §5's reach. A walking model (DESIGN §5b)
/// conforms by running **one** network search from all sites together and reading each site's
/// reach off it, never one search per site.
public protocol ReachModel: Sendable {
    /// For each site (in order), the demand points it reaches.
    func sites(_ sites: [Position], reach demand: [Position], epsg: Int) throws -> SiteReach
    /// For each demand point, whether one of `places` (Points, Polygons, MultiPolygons) reaches
    /// it; walking, also the places farther than the off-street allowance from every street.
    func existing(_ places: [Geometry], reach demand: [Position], epsg: Int) throws -> ExistingReach
}

/// What the existing places reach (``ReachModel/existing(_:reach:epsg:)``).
public struct ExistingReach: Hashable, Sendable {
    /// For each demand point, true when one of the places reaches it.
    public var reached: [Bool]
    /// Walking (DESIGN §5b): the places (indices in the list given) farther than the off-street
    /// allowance from every street; they still reach their own surroundings. Empty for straight lines.
    public var awayFromStreets: [Int]

    public init(reached: [Bool], awayFromStreets: [Int] = []) {
        self.reached = reached
        self.awayFromStreets = awayFromStreets
    }
}

/// DESIGN §5's reach: a place reaches a point when the straight distance between them, in metres
/// on the ground, is at most the radius (0 inside a polygon).
///
/// Built with a grid hash of the demand points (cells about one radius wide): each site looks
/// only at the cells its reach touches, so the cost grows with the pairs found, not with
/// sites × points.
public struct StraightLineReach: ReachModel {
    /// Metres.
    public var radius: Double

    public init(radius: Double) { self.radius = radius }

    public func sites(_ sites: [Position], reach demand: [Position], epsg: Int) throws -> SiteReach {
        let index = DemandIndex(demand, radius: radius)
        var lists: [[Int32]] = []
        lists.reserveCapacity(sites.count)
        for site in sites {
            var found: [Int32] = []
            index.visit(near: BoundingBox(minX: site.x, minY: site.y, maxX: site.x, maxY: site.y), radius: radius) { d in
                if Planar.distance(site, demand[Int(d)]) <= radius { found.append(d) }
            }
            found.sort()
            lists.append(found)
        }
        return SiteReach(demandCount: demand.count, lists: lists)
    }

    public func existing(_ places: [Geometry], reach demand: [Position], epsg: Int) throws -> ExistingReach {
        let index = DemandIndex(demand, radius: radius)
        var reached = [Bool](repeating: false, count: demand.count)
        for place in places {
            guard let box = place.boundingBox else { continue }
            if case .point(let p) = place {
                index.visit(near: box, radius: radius) { d in
                    if !reached[Int(d)] && Planar.distance(p, demand[Int(d)]) <= radius { reached[Int(d)] = true }
                }
            } else {
                let polygons = place.polygons
                index.visit(near: box, radius: radius) { d in
                    if !reached[Int(d)] && Planar.distance(demand[Int(d)], polygons) <= radius { reached[Int(d)] = true }
                }
            }
        }
        return ExistingReach(reached: reached)
    }
}

/// Demand points bucketed in a grid of cells about one radius wide (wider where the points are
/// sparse, so that the grid never has many more cells than points).
struct DemandIndex {
    private let grid: Grid?
    private let buckets: Buckets?

    init(_ points: [Position], radius: Double) {
        guard let box = BoundingBox(points) else {
            grid = nil
            buckets = nil
            return
        }
        let spread = (max(box.width, 1) * max(box.height, 1) / Double(max(1, points.count))).squareRoot()
        let grid = Grid(covering: box, cell: max(radius, spread, 1e-3))
        self.grid = grid
        buckets = Buckets(grid: grid, points: points)
    }

    /// How many points ``visit(near:radius:_:)`` would call its body with, without visiting them.
    func count(near box: BoundingBox, radius: Double) -> Int {
        guard let grid, let buckets, let cells = grid.cells(touching: box.expanded(by: radius)) else { return 0 }
        var count = 0
        for row in cells.rows {
            for column in cells.columns { count += buckets[row * grid.columns + column].count }
        }
        return count
    }

    /// Calls `body` with every point in the cells that `box` expanded by `radius` touches (a
    /// superset of the points within `radius` of the box).
    func visit(near box: BoundingBox, radius: Double, _ body: (Int32) -> Void) {
        guard let grid, let buckets, let cells = grid.cells(touching: box.expanded(by: radius)) else { return }
        for row in cells.rows {
            for column in cells.columns {
                for d in buckets[row * grid.columns + column] { body(d) }
            }
        }
    }
}
