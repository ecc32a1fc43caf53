import GeoEngine
import GeoValues

/// A regular grid of square cells over a box: the coarse tiles of the coverage computation and
/// the buckets of the nearest-entity index.
struct Grid: Sendable {
    var origin: Position
    var cell: Double
    var columns: Int
    var rows: Int

    /// Cells of side `cell` covering `box`, at least one.
    init(covering box: BoundingBox, cell: Double) {
        origin = Position(x: box.minX, y: box.minY)
        self.cell = cell
        columns = max(1, Int((box.width / cell).rounded(.up)))
        rows = max(1, Int((box.height / cell).rounded(.up)))
    }

    var count: Int { columns * rows }

    /// The box of cell (column, row). Neighbours compute their shared edge with the same
    /// expression, so tiles meet exactly.
    func box(_ index: Int) -> BoundingBox {
        let column = index % columns, row = index / columns
        return BoundingBox(minX: origin.x + Double(column) * cell, minY: origin.y + Double(row) * cell,
                           maxX: origin.x + Double(column + 1) * cell, maxY: origin.y + Double(row + 1) * cell)
    }

    /// The cell holding `p`, or nil outside the grid. A point on the edge between two cells goes
    /// to the upper one; on the grid's far edge, to the last one.
    func cell(of p: Position) -> Int? {
        guard let column = Self.slot(p.x, origin.x, cell, columns),
              let row = Self.slot(p.y, origin.y, cell, rows) else { return nil }
        return row * columns + column
    }

    /// The column and row ranges of the cells `box` touches, or nil when it misses the grid.
    func cells(touching box: BoundingBox) -> (columns: ClosedRange<Int>, rows: ClosedRange<Int>)? {
        // Clamped to just outside the grid while still a Double: a box grown by a reach of 1e50 m
        // lies beyond any Int.
        func slot(_ v: Double, _ origin: Double, _ count: Int) -> Int? {
            let raw = ((v - origin) / cell).rounded(.down)
            guard !raw.isNaN else { return nil }
            return Int(min(max(raw, -1), Double(count)))
        }
        guard let c0 = slot(box.minX, origin.x, columns), let c1 = slot(box.maxX, origin.x, columns),
              let r0 = slot(box.minY, origin.y, rows), let r1 = slot(box.maxY, origin.y, rows) else { return nil }
        guard c1 >= 0, r1 >= 0, c0 < columns, r0 < rows else { return nil }
        return (max(0, c0)...min(columns - 1, c1), max(0, r0)...min(rows - 1, r1))
    }

    private static func slot(_ v: Double, _ origin: Double, _ cell: Double, _ count: Int) -> Int? {
        guard v.isFinite else { return nil }
        let raw = ((v - origin) / cell).rounded(.down)
        if raw < 0 || raw > Double(count) { return nil }
        let index = Int(raw)
        if index == count { return v <= origin + Double(count) * cell ? count - 1 : nil }
        return index
    }
}

/// Items sorted into the cells of a grid, stored flat (compressed rows): the items of cell `c` are
/// `items[start[c] ..< start[c + 1]]`.
struct Buckets: Sendable {
    private(set) var start: [Int32]
    private(set) var items: [Int32]

    /// Puts each of `count` items into every cell of `grid` that `cells(item)` names.
    init(grid: Grid, count: Int, cells: (Int) -> (columns: ClosedRange<Int>, rows: ClosedRange<Int>)?) {
        var sizes = [Int32](repeating: 0, count: grid.count + 1)
        var ranges: [(columns: ClosedRange<Int>, rows: ClosedRange<Int>)?] = []
        ranges.reserveCapacity(count)
        for item in 0..<count {
            let range = cells(item)
            ranges.append(range)
            guard let range else { continue }
            for row in range.rows {
                for column in range.columns { sizes[row * grid.columns + column + 1] += 1 }
            }
        }
        for i in 0..<grid.count { sizes[i + 1] += sizes[i] }
        var fill = sizes
        var items = [Int32](repeating: 0, count: Int(sizes[grid.count]))
        for (item, range) in ranges.enumerated() {
            guard let range else { continue }
            for row in range.rows {
                for column in range.columns {
                    let c = row * grid.columns + column
                    items[Int(fill[c])] = Int32(item)
                    fill[c] += 1
                }
            }
        }
        self.start = sizes
        self.items = items
    }

    /// Puts each point in the one cell that holds it; points outside the grid are left out.
    init(grid: Grid, points: [Position]) {
        self.init(grid: grid, count: points.count) { i in
            guard let c = grid.cell(of: points[i]) else { return nil }
            let column = c % grid.columns, row = c / grid.columns
            return (column...column, row...row)
        }
    }

    subscript(cell: Int) -> ArraySlice<Int32> {
        items[Int(start[cell])..<Int(start[cell + 1])]
    }
}

/// The edges of the districts bucketed in a grid, for "how far outside the districts is this?":
/// the warning about entities and residents outside every district names the nearest one.
///
/// A point is compared with the edges in the rings of cells around its own, nearest ring first,
/// until the nearest edge found is nearer than any farther ring could be: thousands of points
/// outside a city cost milliseconds, not a GEOS call each.
struct EdgeIndex: Sendable {
    private var grid: Grid
    private var buckets: Buckets
    private var starts: [Position] = []
    private var ends: [Position] = []
    private var box: BoundingBox

    /// The edges of `rings` (open rings, projected).
    init(rings: [[Position]]) {
        for ring in rings where ring.count >= 2 {
            for i in ring.indices {
                starts.append(ring[i])
                ends.append(ring[(i + 1) % ring.count])
            }
        }
        box = BoundingBox(starts) ?? BoundingBox(minX: 0, minY: 0, maxX: 1, maxY: 1)
        // About two edges per cell.
        let side = max(box.width, box.height, 1e-3)
        let cell = max(side / 512, (box.width * box.height / Double(max(1, starts.count / 2))).squareRoot(), 1e-3)
        let grid = Grid(covering: box, cell: cell)
        let starts = starts, ends = ends
        self.grid = grid
        buckets = Buckets(grid: grid, count: starts.count) { i in
            grid.cells(touching: BoundingBox(minX: min(starts[i].x, ends[i].x), minY: min(starts[i].y, ends[i].y),
                                             maxX: max(starts[i].x, ends[i].x), maxY: max(starts[i].y, ends[i].y)))
        }
    }

    /// The distance from `p` to the nearest edge when it is less than `limit`; otherwise some
    /// distance of at least `limit` (infinity without edges). The limit lets a search for the
    /// nearest of many points stop looking around each as soon as it cannot beat the best so far.
    func distance(from p: Position, below limit: Double = .infinity) -> Double {
        guard !starts.isEmpty else { return .infinity }
        guard let c = grid.cell(of: p) else {
            // Outside the districts' box: no edge is nearer than the box.
            let dx = max(box.minX - p.x, 0, p.x - box.maxX), dy = max(box.minY - p.y, 0, p.y - box.maxY)
            let toBox = (dx * dx + dy * dy).squareRoot()
            if toBox >= limit { return toBox }
            var best = Double.infinity
            for i in starts.indices { best = min(best, Planar.distance(p, starts[i], ends[i])) }
            return best
        }
        let column = c % grid.columns, row = c / grid.columns
        var best = Double.infinity
        var k = 0
        while true {
            // Edges not seen yet lie in cells at least k rings away: at least k - 1 cells from p.
            let unseen = Double(k - 1) * grid.cell
            if best <= unseen { return best }
            if unseen >= limit { return unseen }
            let r0 = row - k, r1 = row + k, c0 = column - k, c1 = column + k
            if r0 < 0 && c0 < 0 && r1 >= grid.rows && c1 >= grid.columns { return best }
            for r in max(0, r0)...min(grid.rows - 1, r1) {
                for q in max(0, c0)...min(grid.columns - 1, c1) where r == r0 || r == r1 || q == c0 || q == c1 {
                    for i in buckets[r * grid.columns + q] {
                        best = min(best, Planar.distance(p, starts[Int(i)], ends[Int(i)]))
                    }
                }
            }
            k += 1
        }
    }
}
