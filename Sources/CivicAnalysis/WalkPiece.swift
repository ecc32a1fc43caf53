import Foundation
import GeoValues

/// One linear piece of an edge within walking reach: it covers the convex hull of the disk of
/// radius `ra` at `a` and the disk of radius `rb` at `b`, disks being 64-gons as every reach is
/// (DESIGN §5b). Along the piece the radius changes linearly, so the hull is also the union of the
/// disks in between: that is what makes the inscribed test below exact for circles.
struct WalkPiece: Hashable, Sendable {
    var a: Position
    var ra: Double
    var b: Position
    var rb: Double
    /// The box of the hull.
    var box: BoundingBox

    init(a: Position, ra: Double, b: Position, rb: Double) {
        self.a = a
        self.ra = ra
        self.b = b
        self.rb = rb
        box = BoundingBox(minX: min(a.x - ra, b.x - rb), minY: min(a.y - ra, b.y - rb),
                          maxX: max(a.x + ra, b.x + rb), maxY: max(a.y + ra, b.y + rb))
    }

    /// The hull's ring, open, counter-clockwise: Andrew's monotone chain over the two 64-gons'
    /// vertices (the very vertices of ``Reach/offsets(radius:)``).
    func ring() -> [Position] {
        var points: [Position] = []
        points.reserveCapacity(2 * Reach.vertexCount)
        for (centre, radius) in [(a, ra), (b, rb)] where radius > 0 {
            for offset in Reach.offsets(radius: radius) {
                points.append(Position(x: centre.x + offset.x, y: centre.y + offset.y))
            }
        }
        if points.isEmpty { return [] }
        points.sort { $0.x != $1.x ? $0.x < $1.x : $0.y < $1.y }
        func cross(_ o: Position, _ p: Position, _ q: Position) -> Double {
            (p.x - o.x) * (q.y - o.y) - (p.y - o.y) * (q.x - o.x)
        }
        var hull: [Position] = []
        hull.reserveCapacity(points.count + 1)
        for p in points {
            while hull.count >= 2 && cross(hull[hull.count - 2], hull[hull.count - 1], p) <= 0 { hull.removeLast() }
            hull.append(p)
        }
        let lower = hull.count + 1
        for p in points.reversed().dropFirst() {
            while hull.count >= lower && cross(hull[hull.count - 2], hull[hull.count - 1], p) <= 0 { hull.removeLast() }
            hull.append(p)
        }
        hull.removeLast()
        return hull
    }

    /// The least over the piece of |x − c(s)| − ρ(s), where c runs from a to b and ρ from `r0` to
    /// `r1`: at most 0 exactly when x lies in the hull of the two circles of those radii.
    static func excess(_ x: Position, _ a: Position, _ r0: Double, _ b: Position, _ r1: Double) -> Double {
        let dx = b.x - a.x, dy = b.y - a.y
        let length = (dx * dx + dy * dy).squareRoot()
        func f(_ s: Double) -> Double {
            let cx = a.x + s * dx - x.x, cy = a.y + s * dy - x.y
            return (cx * cx + cy * cy).squareRoot() - (r0 + s * (r1 - r0))
        }
        var best = min(f(0), f(1))
        guard length > 0 else { return best }
        let along = ((x.x - a.x) * dx + (x.y - a.y) * dy) / length
        let across = abs((x.y - a.y) * dx - (x.x - a.x) * dy) / length
        // f is convex in s; where its slope is 0, the offset w = along − s·L satisfies
        // w / sqrt(w² + across²) = (r0 − r1) / L.
        let kappa = (r0 - r1) / length
        if abs(kappa) < 1 {
            let w = kappa * across / (1 - kappa * kappa).squareRoot()
            let s = (along - w) / length
            if s > 0 && s < 1 { best = min(best, f(s)) }
        }
        return best
    }

    /// The radius of the circle inscribed in a 64-gon of radius 1, less a hair for rounding.
    static let inscribed = Reach.inscribedRadius(1) * (1 - 1e-9)

    /// True when `x` lies within the hull of the inscribed circles: surely covered.
    func surelyContains(_ x: Position) -> Bool {
        Self.excess(x, a, ra * Self.inscribed, b, rb * Self.inscribed) <= 0
    }

    /// True when the whole of `box` is surely covered (the hull is convex: its corners decide).
    func surelyContains(_ box: BoundingBox) -> Bool {
        Planar.corners(box).allSatisfy(surelyContains)
    }

    /// True when `x` lies in the piece's region (the hull of the 64-gons, boundary included).
    func contains(_ x: Position) -> Bool {
        guard box.contains(x) else { return false }
        if surelyContains(x) { return true }
        if Self.excess(x, a, ra, b, rb) > 1e-9 * max(ra, rb, 1) { return false }
        let ring = ring()
        guard ring.count >= 3 else { return false }
        for i in ring.indices {
            let p = ring[i], q = ring[(i + 1) % ring.count]
            if (q.x - p.x) * (x.y - p.y) - (q.y - p.y) * (x.x - p.x) < 0 { return false }
        }
        return true
    }
}
