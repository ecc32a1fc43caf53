import GeoEngine
import GeoValues

/// Where a covered area is measured: a district, or the part of a population polygon that lies in
/// a district (its covered share weighs the polygon's residents).
struct Region: Sendable {
    /// Projected, valid.
    var geometry: Geometry
    var box: BoundingBox
    /// The district it belongs to (its index).
    var district: Int
    /// Every ring, open, outer rings counter-clockwise and holes clockwise: the sum of their signed
    /// areas is the region's area, also after each is clipped to a tile.
    var rings: [[Position]]

    init(geometry: Geometry, district: Int) {
        self.geometry = geometry
        self.box = geometry.boundingBox ?? BoundingBox(minX: 0, minY: 0, maxX: 0, maxY: 0)
        self.district = district
        rings = geometry.polygons.flatMap { polygon in
            let oriented = polygon.rightHanded
            return oriented.rings.map(Planar.open)
        }
    }
}

/// The reach of an entity drawn as an area (a park, a courtyard): GEOS's buffer of it, made only by
/// the tiles where coverage ends near it (most areas lie where points already cover everything).
struct AreaReach: Sendable {
    /// The box of the reach: the entity's box grown by the radius.
    var box: BoundingBox
    /// The entity itself, projected: distances to it decide "surely covered" and "near".
    var shape: [Polygon]
    /// True when `shape` is one convex polygon without holes: then a box lies within the inscribed
    /// distance of it as soon as its four corners do.
    var shapeIsConvex: Bool
    var shapeBox: BoundingBox
}

/// Everything the workers read, projected to metres and shared read-only (copy-on-write arrays,
/// never copied in practice).
struct Scene: Sendable {
    var radius: Double
    /// The box of the districts: tiles cover it.
    var domain: BoundingBox
    /// The districts, then the population polygons' parts in districts.
    var regions: [Region]
    var districtCount: Int
    /// Centres of the reaches of point entities.
    var disks: [Position]
    var areas: [AreaReach]
    /// Residents as points, with their numbers.
    var residentPoints: [Position]
    var residentCounts: [Double]
    var wantsGaps: Bool
    /// Walking coverage: the pieces of the streets within reach (DESIGN §5b); empty for straight lines.
    var pieces: [WalkPiece] = []
    /// True for walking coverage, even when no piece of street is reached.
    var walking = false

    /// Whatever lies this close to a disk's centre is inside its 64-gon (less a hair for rounding).
    var diskInscribed: Double { Reach.inscribedRadius(radius) * (1 - 1e-9) }
    /// The same for an area's buffer, with a margin for GEOS's curve approximation at joins.
    var areaInscribed: Double { Reach.inscribedRadius(radius) - 1e-3 * radius }

    /// True when `p` is within the radius of some selected entity (DESIGN §5: "covered when its
    /// distance to the nearest selected entity is at most the radius"), or, walking, in a piece of
    /// the streets' reach (DESIGN §5b: "covered when it lies in the covered region").
    ///
    /// Walking, an area's own reach is GEOS's buffer (64-gon corners): a point near its rim is
    /// decided by `inAreaBuffer(j)`, which the caller answers with that buffer.
    func isNear(_ p: Position, index: NearIndex,
                inAreaBuffer: (Int) throws(GeoEngineError) -> Bool = { _ in true }) throws(GeoEngineError) -> Bool {
        guard let c = index.grid.cell(of: p) else { return false }
        let column = c % index.grid.columns, row = c / index.grid.columns
        for r in max(0, row - 1)...min(index.grid.rows - 1, row + 1) {
            for k in max(0, column - 1)...min(index.grid.columns - 1, column + 1) {
                for i in index.disks[r * index.grid.columns + k] where Planar.distance(p, disks[Int(i)]) <= radius {
                    // Walking, a point is covered when it lies in the covered region, whose disks are 64-gons.
                    if walking && !WalkPiece(a: disks[Int(i)], ra: radius, b: disks[Int(i)], rb: radius).contains(p) { continue }
                    return true
                }
            }
        }
        for j in index.areas[c] {
            let area = areas[Int(j)]
            if Planar.nearestDistanceSquared(p, area.shapeBox) > radius * radius { continue }
            let distance = Planar.distance(p, area.shape)
            guard distance <= radius else { continue }
            if !walking || distance <= areaInscribed { return true }
            if try inAreaBuffer(Int(j)) { return true }
        }
        for k in index.pieces[c] where pieces[Int(k)].contains(p) { return true }
        return false
    }
}

/// Entities bucketed by cells as wide as the radius, for "is anyone within the radius of here?".
struct NearIndex: Sendable {
    var grid: Grid
    /// Disk centres by the cell that holds them: look in the 3 × 3 cells around a point.
    var disks: Buckets
    /// Areas in every cell their box, grown by the radius, touches: look in the point's cell only.
    var areas: Buckets
    /// Walking pieces in every cell their box touches: look in the point's cell only.
    var pieces: Buckets

    init(scene: Scene) {
        let r = scene.radius
        grid = Grid(covering: scene.domain.expanded(by: r), cell: max(r, scene.domain.width / 4096,
                                                                     scene.domain.height / 4096, 1e-6))
        disks = Buckets(grid: grid, points: scene.disks)
        let grid = grid
        areas = Buckets(grid: grid, count: scene.areas.count) { grid.cells(touching: scene.areas[$0].shapeBox.expanded(by: r)) }
        pieces = Buckets(grid: grid, count: scene.pieces.count) { grid.cells(touching: scene.pieces[$0].box) }
    }
}
