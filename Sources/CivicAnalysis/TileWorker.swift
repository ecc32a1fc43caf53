import GeoEngine
import GeoValues

/// What one coarse tile contributes; plain values, so it can leave the task that computed it.
struct TileOutcome: Sendable {
    /// Covered m² by region.
    var covered: [(region: Int32, m2: Double)] = []
    /// Uncovered pieces by district, projected (only when gaps are wanted).
    var gaps: [(district: Int32, piece: Polygon)] = []
    /// Point entities by district (boundary included).
    var entities: [(district: Int32, count: Int32)] = []
    /// Point entities in at least one district (their indices in the scene's disks).
    var entitiesInside: [Int32] = []
    /// Area entities in at least one district (their indices in the scene's areas).
    var areasInside: [Int32] = []
    /// Residents (points) by district: all of them and those within the radius.
    var residents: [(district: Int32, all: Double, near: Double)] = []
    /// Resident points in at least one district, and whether they are within the radius.
    var residentsInside: [(point: Int32, near: Bool)] = []
    /// The resident point holding the most residents of each district (for the warning that one
    /// point holds most of a district's residents).
    var peaks: [(district: Int32, residents: Double, point: Int32)] = []
}

/// Tuning of the tiling, measured on the synthetic cities of benchmarks/ (4,000 to 400,000 entities):
/// within ±10 % of the best at every size.
struct Tiling: Sendable {
    /// The side of the coarse tiles the work is split into, in radii: about a hundred tiles for
    /// a city, enough to keep both cores busy to the end.
    var coarseTile = 3.0
    /// A square is cut in four while more reaches than this cross it...
    var maxReachesPerLeaf = 4
    /// ...and its side is longer than this many radii.
    var minTile = 1.0 / 32
    /// Walking: the same, in radii R of the walk. Walking pieces are many and thin (a street's
    /// reach is A = 100 m across, not R), so squares of R/32 cut them more finely than pays: on
    /// run_walk.sh's cities R/8 does the tiles' work in about 20 % less time at 4,000 and 40,000
    /// entities (medians of 4, summed over tiles: 1.50 → 1.17 s and 1.03 → 0.81 s; R/16 is 3 %
    /// slower than R/8, R/4 slower than R/32) and the same at 400,000; every figure is the same
    /// to the last printed digit.
    var minWalkingTile = 1.0 / 8
    /// Off: each coarse tile is one leaf — one union of every reach that meets it, no shortcut.
    var enabled = true
}

/// Measures one coarse tile: a quadtree that settles a square as soon as it lies inside one reach's
/// inscribed circle (covered) or meets no reach (uncovered), and unions the few reaches, cut to the
/// square, only where coverage ends.
///
/// The regions (districts) go down the quadtree as rings clipped in Swift, which measure their area
/// in each square exactly; GEOS sees a region only in the squares where coverage ends.
///
/// Holds a GEOS context: **not thread-safe**; one per task.
final class TileWorker {
    private let scene: Scene
    private let tiling: Tiling
    private let context: GeometryContext
    private var clipper = RingClipper()
    private let diskRing: [Position]
    private let r2: Double
    private let diskInscribed2: Double
    private let areaInscribed: Double
    private var regionHandles: [Int32: GeometryHandle] = [:]
    /// Buffers of area entities made here, with their ring (open) when convex, for Swift clipping.
    private var reaches: [Int32: (handle: GeometryHandle, convexRing: [Position]?)] = [:]
    private var preparedReaches: [Int32: PreparedGeometry] = [:]
    /// Rings of walking pieces made here.
    private var walkRings: [Int32: [Position]] = [:]
    private var outcome = TileOutcome()
    private var covered: [Int32: Double] = [:]
    /// Set by the caller when there are residents to place.
    var nearIndex: NearIndex?

    /// A region inside a square: its rings clipped to the square, or nil when it fills the square.
    private struct Piece {
        var region: Int32
        var rings: [[Position]]?
        var area: Double
    }

    init(scene: Scene, tiling: Tiling) throws(GeoEngineError) {
        context = try GeometryContext()
        self.scene = scene
        self.tiling = tiling
        diskRing = Reach.offsets(radius: scene.radius)
        r2 = scene.radius * scene.radius
        diskInscribed2 = scene.diskInscribed * scene.diskInscribed
        areaInscribed = scene.areaInscribed
    }

    /// The tile `box`, with the reaches and regions that may touch it, the point entities and
    /// resident points that lie in it, and the districts that may hold them.
    func measure(box: BoundingBox, disks: [Int32], areas: [Int32], pieces walkPieces: [Int32] = [], regions: [Int32],
                 entityPoints: ArraySlice<Int32>, residentPoints: ArraySlice<Int32>,
                 districts: [Int32]) throws(GeoEngineError) -> TileOutcome {
        var pieces: [Piece] = []
        for r in regions {
            let region = scene.regions[Int(r)]
            guard region.box.intersects(box) else { continue }
            if let piece = cut(Piece(region: r, rings: region.rings, area: 0), to: box) { pieces.append(piece) }
        }
        if !pieces.isEmpty {
            if tiling.enabled {
                try visit(box, disks, areas, walkPieces, pieces)
            } else {
                let near = disks.filter { Planar.nearestDistanceSquared(scene.disks[Int($0)], box) < r2 }
                if near.isEmpty && areas.isEmpty && walkPieces.isEmpty {
                    try settleUncovered(box, pieces)
                } else {
                    try leaf(box, near, areas, walkPieces, pieces)
                }
            }
        }
        outcome.covered = covered.map { ($0.key, $0.value) }
        if !entityPoints.isEmpty || !residentPoints.isEmpty {
            try countPoints(entityPoints, residentPoints, districts)
        }
        return outcome
    }

    // MARK: - The quadtree

    private func visit(_ box: BoundingBox, _ disks: [Int32], _ areas: [Int32], _ walkPieces: [Int32],
                       _ pieces: [Piece]) throws(GeoEngineError) {
        var nearDisks: [Int32] = []
        nearDisks.reserveCapacity(disks.count)
        for i in disks {
            let c = scene.disks[Int(i)]
            if Planar.nearestDistanceSquared(c, box) >= r2 { continue }
            if Planar.farthestDistanceSquared(c, box) <= diskInscribed2 { return settleCovered(pieces) }
            nearDisks.append(i)
        }
        var nearAreas: [Int32] = []
        for j in areas {
            let area = scene.areas[Int(j)]
            guard area.box.minX < box.maxX, box.minX < area.box.maxX,
                  area.box.minY < box.maxY, box.minY < area.box.maxY else { continue }
            if surelyCovers(area, box) { return settleCovered(pieces) }
            nearAreas.append(j)
        }
        var nearWalk: [Int32] = []
        for k in walkPieces {
            let piece = scene.pieces[Int(k)]
            guard piece.box.minX < box.maxX, box.minX < piece.box.maxX,
                  piece.box.minY < box.maxY, box.minY < piece.box.maxY else { continue }
            if piece.surelyContains(box) { return settleCovered(pieces) }
            nearWalk.append(k)
        }
        if nearDisks.isEmpty && nearAreas.isEmpty && nearWalk.isEmpty { return try settleUncovered(box, pieces) }
        let side = max(box.width, box.height)
        if nearDisks.count + nearAreas.count + nearWalk.count > tiling.maxReachesPerLeaf
            && side > (scene.tileScale.map { tiling.minWalkingTile * $0 } ?? tiling.minTile * scene.radius) {
            let mx = (box.minX + box.maxX) / 2, my = (box.minY + box.maxY) / 2
            for child in [BoundingBox(minX: box.minX, minY: box.minY, maxX: mx, maxY: my),
                          BoundingBox(minX: mx, minY: box.minY, maxX: box.maxX, maxY: my),
                          BoundingBox(minX: box.minX, minY: my, maxX: mx, maxY: box.maxY),
                          BoundingBox(minX: mx, minY: my, maxX: box.maxX, maxY: box.maxY)] {
                let childPieces = pieces.compactMap { cut($0, to: child) }
                if !childPieces.isEmpty { try visit(child, nearDisks, nearAreas, nearWalk, childPieces) }
            }
            return
        }
        try leaf(box, nearDisks, nearAreas, nearWalk, pieces)
    }

    /// True when `box` lies within the inscribed distance of the area entity, hence in its reach.
    private func surelyCovers(_ area: AreaReach, _ box: BoundingBox) -> Bool {
        let grown = area.shapeBox.expanded(by: areaInscribed)
        guard grown.minX <= box.minX, grown.minY <= box.minY, grown.maxX >= box.maxX, grown.maxY >= box.maxY else {
            return false
        }
        if area.shapeIsConvex {
            // The points within a distance of a convex shape form a convex set: the corners decide.
            return Planar.corners(box).allSatisfy { Planar.distance($0, area.shape) <= areaInscribed }
        }
        let limit = areaInscribed * areaInscribed
        for polygon in area.shape {
            for p in polygon.outerRing where Planar.farthestDistanceSquared(p, box) <= limit { return true }
        }
        return false
    }

    /// The piece inside `box` (a square inside the piece's), or nil when nothing of it is there.
    private func cut(_ piece: Piece, to box: BoundingBox) -> Piece? {
        let boxArea = box.width * box.height
        guard let rings = piece.rings else { return Piece(region: piece.region, rings: nil, area: boxArea) }
        var clipped: [[Position]] = []
        var area = 0.0
        for ring in rings {
            let part = clipper.clip(ring, to: box)
            if part.isEmpty { continue }
            area += Ring.signedArea(part)
            clipped.append(part)
        }
        guard area > boxArea * 1e-12 else { return nil }
        if area >= boxArea * (1 - 1e-9) { return Piece(region: piece.region, rings: nil, area: boxArea) }
        return Piece(region: piece.region, rings: clipped, area: area)
    }

    private func settleCovered(_ pieces: [Piece]) {
        for piece in pieces { covered[piece.region, default: 0] += piece.area }
    }

    private func settleUncovered(_ box: BoundingBox, _ pieces: [Piece]) throws(GeoEngineError) {
        guard scene.wantsGaps else { return }
        for piece in pieces where Int(piece.region) < scene.districtCount {
            if piece.rings == nil {
                let ring = Planar.corners(box)
                outcome.gaps.append((piece.region, Polygon(outerRing: ring + [ring[0]])))
            } else {
                try keepGap(piece.region, regionHandle(piece.region).intersection(context.rectangle(box)))
            }
        }
    }

    private func keepGap(_ region: Int32, _ shape: GeometryHandle) throws(GeoEngineError) {
        for polygon in try shape.geometry().polygons where polygon.planarArea > 0 {
            outcome.gaps.append((region, polygon))
        }
    }

    /// Where coverage ends: the union of the reaches cut to the square, against each region.
    private func leaf(_ box: BoundingBox, _ disks: [Int32], _ areas: [Int32], _ walkPieces: [Int32],
                      _ pieces: [Piece]) throws(GeoEngineError) {
        var parts: [GeometryHandle] = []
        parts.reserveCapacity(disks.count + areas.count + walkPieces.count)
        // Hulls are convex: clipping in Swift is exact. Where streets meet, many pieces overlap in a
        // small square; a clipped piece whose corners all lie in another piece's inscribed hull lies
        // in that piece (both are convex), so it adds nothing to the union and GEOS never sees it.
        var clipped: [(piece: Int32, ring: [Position])] = []
        for k in walkPieces {
            let ring = clipper.clip(walkRing(k), to: box)
            if !ring.isEmpty { clipped.append((k, ring)) }
        }
        var dropped = [Bool](repeating: false, count: clipped.count)
        for i in clipped.indices where clipped.count > 1 {
            for j in clipped.indices where j != i && !dropped[j] {
                let other = scene.pieces[Int(clipped[j].piece)]
                if clipped[i].ring.allSatisfy(other.surelyContains) {
                    dropped[i] = true
                    break
                }
            }
        }
        for (i, part) in clipped.enumerated() where !dropped[i] { parts.append(try polygon(part.ring)) }
        for i in disks {
            let ring = clipper.clip(diskRing, offsetBy: scene.disks[Int(i)], to: box)
            if !ring.isEmpty { parts.append(try polygon(ring)) }
        }
        var rect: GeometryHandle?
        for j in areas {
            let area = scene.areas[Int(j)]
            guard area.box.intersects(box) else { continue }
            let reach = try self.reach(j)
            if let convex = reach.convexRing {
                let ring = clipper.clip(convex, to: box)
                if !ring.isEmpty { parts.append(try polygon(ring)) }
            } else {
                if rect == nil { rect = try context.rectangle(box) }
                let part = try reach.handle.intersection(rect!)
                if try !part.isEmpty { parts.append(part) }
            }
        }
        guard !parts.isEmpty else { return try settleUncovered(box, pieces) }
        // The union lies inside the square, so a region's part of it is the region ∩ union.
        let union = parts.count == 1 ? parts[0] : try context.union(parts)
        let unionArea = try union.area
        let boxArea = box.width * box.height
        if unionArea >= boxArea * (1 - 1e-12) { return settleCovered(pieces) }
        for piece in pieces {
            let isDistrict = Int(piece.region) < scene.districtCount
            if piece.rings == nil {
                covered[piece.region, default: 0] += unionArea
                if scene.wantsGaps && isDistrict {
                    if rect == nil { rect = try context.rectangle(box) }
                    try keepGap(piece.region, rect!.difference(union))
                }
            } else {
                let region = try regionHandle(piece.region)
                covered[piece.region, default: 0] += try region.intersection(union).area
                if scene.wantsGaps && isDistrict {
                    if rect == nil { rect = try context.rectangle(box) }
                    try keepGap(piece.region, region.intersection(rect!).difference(union))
                }
            }
        }
    }

    private func polygon(_ openRing: [Position]) throws(GeoEngineError) -> GeometryHandle {
        var ring = openRing
        ring.append(openRing[0])
        return try context.make(.polygon(Polygon(outerRing: ring)))
    }

    /// The ring of walking piece `k`, made once per tile.
    private func walkRing(_ k: Int32) -> [Position] {
        if let ring = walkRings[k] { return ring }
        let ring = scene.pieces[Int(k)].ring()
        walkRings[k] = ring
        return ring
    }

    private func regionHandle(_ r: Int32) throws(GeoEngineError) -> GeometryHandle {
        if let handle = regionHandles[r] { return handle }
        let handle = try context.make(scene.regions[Int(r)].geometry)
        regionHandles[r] = handle
        return handle
    }

    /// The buffer of area entity `j`, prepared for point tests, made once per tile.
    private func reachPrepared(_ j: Int32) throws(GeoEngineError) -> PreparedGeometry {
        if let prepared = preparedReaches[j] { return prepared }
        let prepared = try reach(j).handle.prepared()
        preparedReaches[j] = prepared
        return prepared
    }

    /// GEOS's buffer of area entity `j`, made once per tile.
    private func reach(_ j: Int32) throws(GeoEngineError) -> (handle: GeometryHandle, convexRing: [Position]?) {
        if let reach = reaches[j] { return reach }
        let area = scene.areas[Int(j)]
        let handle = try context.make(.multiPolygon(area.shape))
            .buffer(scene.radius, quadrantSegments: Reach.quadrantSegments)
        var convexRing: [Position]?
        if area.shapeIsConvex, case .polygon(let polygon) = try handle.geometry(), polygon.innerRings.isEmpty {
            let ring = Planar.open(polygon.outerRing)
            if Planar.isConvex(ring) { convexRing = ring }
        }
        reaches[j] = (handle, convexRing)
        return (handle, convexRing)
    }

    // MARK: - Points: entity counts and residents

    private func countPoints(_ entityPoints: ArraySlice<Int32>, _ residentPoints: ArraySlice<Int32>,
                             _ districts: [Int32]) throws(GeoEngineError) {
        var prepared: [(district: Int32, box: BoundingBox, geometry: PreparedGeometry)] = []
        for d in districts {
            prepared.append((d, scene.regions[Int(d)].box, try regionHandle(d).prepared()))
        }
        var counts: [Int32: Int32] = [:]
        for e in entityPoints {
            let p = scene.disks[Int(e)]
            var inCity = false
            for district in prepared where district.box.contains(p) {
                if try district.geometry.covers(p) {
                    counts[district.district, default: 0] += 1
                    inCity = true
                }
            }
            if inCity { outcome.entitiesInside.append(e) }
        }
        outcome.entities = counts.map { ($0.key, $0.value) }
        guard !residentPoints.isEmpty else { return }
        var residents: [Int32: (all: Double, near: Double)] = [:]
        var peaks: [Int32: (residents: Double, point: Int32)] = [:]
        for k in residentPoints {
            let p = scene.residentPoints[Int(k)]
            let value = scene.residentCounts[Int(k)]
            var holders: [Int32] = []
            for district in prepared where district.box.contains(p) {
                if try district.geometry.covers(p) { holders.append(district.district) }
            }
            guard !holders.isEmpty else { continue }
            var near = false
            if let nearIndex {
                near = try scene.isNear(p, index: nearIndex) { j throws(GeoEngineError) in
                    try self.reachPrepared(Int32(j)).covers(p)
                }
            }
            for d in holders {
                residents[d, default: (0, 0)].all += value
                if near { residents[d, default: (0, 0)].near += value }
                if value > peaks[d]?.residents ?? 0 { peaks[d] = (value, k) }
            }
            outcome.residentsInside.append((k, near))
        }
        outcome.residents = residents.map { ($0.key, $0.value.all, $0.value.near) }
        outcome.peaks = peaks.map { ($0.key, $0.value.residents, $0.value.point) }
    }
}
