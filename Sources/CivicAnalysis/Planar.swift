import GeoEngine
import GeoValues

/// Plane geometry on projected coordinates that is cheaper in Swift than a GEOS call: distances
/// from a point to an entity and the tests that decide whether a tile lies within a reach.
enum Planar {
    /// The distance from `p` to the segment a–b.
    static func distance(_ p: Position, _ a: Position, _ b: Position) -> Double {
        let dx = b.x - a.x, dy = b.y - a.y
        let length2 = dx * dx + dy * dy
        var t = 0.0
        if length2 > 0 {
            t = ((p.x - a.x) * dx + (p.y - a.y) * dy) / length2
            t = min(1, max(0, t))
        }
        let ex = a.x + t * dx - p.x, ey = a.y + t * dy - p.y
        return (ex * ex + ey * ey).squareRoot()
    }

    /// The distance between two points, as GEOS computes it.
    static func distance(_ p: Position, _ q: Position) -> Double {
        let dx = p.x - q.x, dy = p.y - q.y
        return (dx * dx + dy * dy).squareRoot()
    }

    /// True when `p` lies inside the polygons or on their boundary (even–odd over all rings).
    static func covers(_ polygons: [Polygon], _ p: Position) -> Bool {
        for polygon in polygons {
            var inside = false
            for ring in polygon.rings {
                guard ring.count >= 2 else { continue }
                for i in 0..<(ring.count - 1) {
                    let a = ring[i], b = ring[i + 1]
                    if onSegment(p, a, b) { return true }
                    if (a.y > p.y) != (b.y > p.y) {
                        let x = a.x + (p.y - a.y) * (b.x - a.x) / (b.y - a.y)
                        if p.x < x { inside.toggle() }
                    }
                }
            }
            if inside { return true }
        }
        return false
    }

    private static func onSegment(_ p: Position, _ a: Position, _ b: Position) -> Bool {
        guard p.x >= min(a.x, b.x), p.x <= max(a.x, b.x), p.y >= min(a.y, b.y), p.y <= max(a.y, b.y) else {
            return false
        }
        return (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x) == 0
    }

    /// The distance from `p` to the polygons: 0 inside, else to the nearest edge.
    static func distance(_ p: Position, _ polygons: [Polygon]) -> Double {
        if covers(polygons, p) { return 0 }
        var best = Double.infinity
        for polygon in polygons {
            for ring in polygon.rings where ring.count >= 2 {
                for i in 0..<(ring.count - 1) { best = min(best, distance(p, ring[i], ring[i + 1])) }
            }
        }
        return best
    }

    /// The distance from `p` to the nearest point of `box` (0 inside).
    @inline(__always)
    static func nearestDistanceSquared(_ p: Position, _ box: BoundingBox) -> Double {
        let dx = max(box.minX - p.x, 0, p.x - box.maxX)
        let dy = max(box.minY - p.y, 0, p.y - box.maxY)
        return dx * dx + dy * dy
    }

    /// The distance from `p` to the farthest corner of `box`.
    @inline(__always)
    static func farthestDistanceSquared(_ p: Position, _ box: BoundingBox) -> Double {
        let dx = max(p.x - box.minX, box.maxX - p.x)
        let dy = max(p.y - box.minY, box.maxY - p.y)
        return dx * dx + dy * dy
    }

    /// The four corners of a box.
    static func corners(_ box: BoundingBox) -> [Position] {
        [Position(x: box.minX, y: box.minY), Position(x: box.maxX, y: box.minY),
         Position(x: box.maxX, y: box.maxY), Position(x: box.minX, y: box.maxY)]
    }

    /// The vertices of a closed ring without the repeated last one.
    static func open(_ ring: [Position]) -> [Position] {
        ring.count > 1 && ring.first == ring.last ? Array(ring.dropLast()) : ring
    }

    /// True when the open ring is convex (all turns one way, collinear vertices allowed).
    static func isConvex(_ ring: [Position]) -> Bool {
        let n = ring.count
        guard n >= 3 else { return false }
        var sign = 0.0
        for i in 0..<n {
            let a = ring[i], b = ring[(i + 1) % n], c = ring[(i + 2) % n]
            let cross = (b.x - a.x) * (c.y - b.y) - (b.y - a.y) * (c.x - b.x)
            if cross == 0 { continue }
            if sign == 0 { sign = cross } else if (cross > 0) != (sign > 0) { return false }
        }
        return sign != 0
    }
}
