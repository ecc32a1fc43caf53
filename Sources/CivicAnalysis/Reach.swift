import CivicCore
import Foundation
import GeoEngine
import GeoValues

/// The reach of an entity: everything within the coverage radius of it, as DESIGN §5 defines it —
/// the entity buffered by the radius with 16 segments per quarter circle.
///
/// For a point the reach is a regular 64-gon with its vertices on the circle. civic builds those
/// vertices itself instead of asking GEOS to buffer each point: they are the very vertices GEOS's
/// `OffsetSegmentGenerator::createCircle` computes (the first at angle 0, then clockwise in steps
/// of 2π/64, each `centre + radius · (cos θ, sin θ)`), so the polygons are identical and the cost
/// of 40,000 GEOS buffers is gone. A test checks the vertices against `GEOSBuffer_r`.
///
/// ```swift
/// let ring = Reach.ring(around: Position(x: 0, y: 0), radius: 500)  // 65 positions, closed
/// Reach.area(radius: 500)                                          // ≈ 784,137.5 m²
/// ```
public enum Reach {
    /// Segments per quarter circle (DESIGN §5).
    public static let quadrantSegments = 16
    /// Vertices of a point's reach.
    public static let vertexCount = 4 * quadrantSegments

    /// The angle between two vertices, computed as GEOS does: the full turn divided by the number
    /// of segments (`totalAngle / nSegs` in `addDirectedFillet`).
    static let angleStep = (2.0 * Double.pi) / Double(vertexCount)

    /// The offsets of the 64 vertices from the centre for `radius`, in GEOS's order (clockwise,
    /// starting east): `radius * cos(θ)`, `radius * sin(θ)` with θ = -i · 2π/64, as GEOS evaluates them.
    public static func offsets(radius: Double) -> [Position] {
        (0..<vertexCount).map { i in
            // GEOS: angle = startAngle + directionFactor * i * angleInc, with an integer product first.
            let angle = 0.0 + Double(-1 * i) * angleStep
            return Position(x: radius * cos(angle), y: radius * sin(angle))
        }
    }

    /// The closed ring of the reach of a point (65 positions, clockwise as GEOS makes it).
    public static func ring(around centre: Position, radius: Double) -> [Position] {
        var ring = offsets(radius: radius).map { Position(x: centre.x + $0.x, y: centre.y + $0.y) }
        ring.append(ring[0])
        return ring
    }

    /// The area of a point's reach: 0.5 · 64 · r² · sin(2π/64).
    public static func area(radius: Double) -> Double {
        0.5 * Double(vertexCount) * radius * radius * sin(angleStep)
    }

    /// The radius of the circle inscribed in a point's reach, r · cos(π/64): whatever lies within it
    /// of the centre is surely covered.
    public static func inscribedRadius(_ radius: Double) -> Double {
        radius * cos(angleStep / 2)
    }
}

/// Clipping a ring to an axis-aligned box (Sutherland–Hodgman), in Swift.
///
/// For a convex ring the result is exactly the convex polygon inside the box: this is how the reaches
/// that reach into a tile are cut to it without a GEOS call. For any other ring the result may run
/// along the box's edge and back, which no polygon may do, but its signed area is still exactly the
/// area of the ring inside the box (clipping keeps the winding number inside the box and zeroes it
/// outside): that is how districts are measured tile by tile. The intersection with a box edge is
/// computed from the segment's end points in a fixed order, so two tiles sharing the edge get the
/// same point.
struct RingClipper {
    private var a: [Position] = []
    private var b: [Position] = []

    init() {
        a.reserveCapacity(80)
        b.reserveCapacity(80)
    }

    /// `polygon` (open: the last vertex is not repeated) clipped to `box`, open, or empty when
    /// nothing with an area is left. `offsetBy` moves every vertex first (the centre of a disk).
    mutating func clip(_ polygon: [Position], offsetBy centre: Position = Position(x: 0, y: 0),
                       to box: BoundingBox) -> [Position] {
        a.removeAll(keepingCapacity: true)
        for p in polygon { a.append(Position(x: centre.x + p.x, y: centre.y + p.y)) }
        clipStage(&a, &b, inside: { $0.x >= box.minX }, cut: { Self.atX(box.minX, $0, $1) })
        clipStage(&b, &a, inside: { $0.x <= box.maxX }, cut: { Self.atX(box.maxX, $0, $1) })
        clipStage(&a, &b, inside: { $0.y >= box.minY }, cut: { Self.atY(box.minY, $0, $1) })
        clipStage(&b, &a, inside: { $0.y <= box.maxY }, cut: { Self.atY(box.maxY, $0, $1) })
        // Drop repeated vertices that cuts through a vertex leave behind.
        var out: [Position] = []
        out.reserveCapacity(a.count)
        for p in a where out.last != p { out.append(p) }
        while out.count > 1 && out.first == out.last { out.removeLast() }
        guard out.count >= 3, Ring.signedArea(out) != 0 else { return [] }
        return out
    }

    private func clipStage(_ input: inout [Position], _ output: inout [Position],
                           inside: (Position) -> Bool, cut: (Position, Position) -> Position) {
        output.removeAll(keepingCapacity: true)
        guard let last = input.last else { return }
        var previous = last
        var previousInside = inside(previous)
        for current in input {
            let currentInside = inside(current)
            if currentInside {
                if !previousInside { output.append(cut(previous, current)) }
                output.append(current)
            } else if previousInside {
                output.append(cut(previous, current))
            }
            previous = current
            previousInside = currentInside
        }
    }

    /// The point of segment p–q on the line x = `x`; the same whichever way round the segment is given.
    static func atX(_ x: Double, _ p: Position, _ q: Position) -> Position {
        let (s, t) = (p.x < q.x || (p.x == q.x && p.y < q.y)) ? (p, q) : (q, p)
        return Position(x: x, y: s.y + (x - s.x) * (t.y - s.y) / (t.x - s.x))
    }

    /// The point of segment p–q on the line y = `y`; the same whichever way round the segment is given.
    static func atY(_ y: Double, _ p: Position, _ q: Position) -> Position {
        let (s, t) = (p.y < q.y || (p.y == q.y && p.x < q.x)) ? (p, q) : (q, p)
        return Position(x: s.x + (y - s.y) * (t.x - s.x) / (t.y - s.y), y: y)
    }
}
