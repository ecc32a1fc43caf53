import GeoValues


/// Builds the polygons of an OSM multipolygon from the positions of its member ways: ways are
/// joined end to end (either way round) into closed rings, and each inner ring goes into the
/// smallest outer ring that holds it.
enum RingAssembly {
    /// Why the rings cannot be built.
    enum Fault: Error, Hashable, Sendable, CustomStringConvertible {
        /// A chain of ways ends without coming back to its start.
        case unclosed(role: String, end: Position)
        /// A closed ring with fewer than 4 positions (3 distinct corners).
        case degenerate(role: String)
        /// An inner ring inside no outer ring.
        case innerOutside(Position)
        case noOuter

        var description: String {
            switch self {
            case let .unclosed(role, end):
                return "an \(role) ring does not close: it stops at lon \(end.x), lat \(end.y)"
            case let .degenerate(role):
                return "an \(role) ring has fewer than 3 corners"
            case let .innerOutside(p):
                return "the inner ring at lon \(p.x), lat \(p.y) is inside no outer ring"
            case .noOuter:
                return "no outer ring"
            }
        }
    }

    /// The polygon (one outer ring) or multipolygon of the rings that `outer` and `inner` way
    /// positions make.
    static func geometry(outer: [[Position]], inner: [[Position]]) throws(Fault) -> Geometry {
        let outers = try rings(from: outer, role: "outer")
        let inners = try rings(from: inner, role: "inner")
        guard !outers.isEmpty else { throw .noOuter }
        var holes = [[[Position]]](repeating: [], count: outers.count)
        for ring in inners {
            // The smallest outer ring that holds a corner of the inner one (an island in a lake in
            // a park puts the lake's hole in the park, not in the island).
            var best: Int?
            for (k, candidate) in outers.enumerated() where ring.dropLast().contains(where: { contains(candidate, $0) }) {
                if best.map({ abs(Ring.signedArea(candidate)) < abs(Ring.signedArea(outers[$0])) }) ?? true { best = k }
            }
            guard let best else { throw .innerOutside(ring[0]) }
            holes[best].append(ring)
        }
        let polygons = zip(outers, holes).map { Polygon(outerRing: $0, innerRings: $1) }
        return polygons.count == 1 ? .polygon(polygons[0]) : .multiPolygon(polygons)
    }

    /// Closed rings from way segments, joined where one ends and another starts or ends.
    static func rings(from segments: [[Position]], role: String) throws(Fault) -> [[Position]] {
        var pool = segments.filter { $0.count >= 2 }
        var rings: [[Position]] = []
        while !pool.isEmpty {
            var ring = pool.removeFirst()
            while ring.first != ring.last {
                guard let end = ring.last else { break }
                if let k = pool.firstIndex(where: { $0.first == end }) {
                    ring += pool.remove(at: k).dropFirst()
                } else if let k = pool.firstIndex(where: { $0.last == end }) {
                    ring += pool.remove(at: k).reversed().dropFirst()
                } else if let start = ring.first, let k = pool.firstIndex(where: { $0.last == start || $0.first == start }) {
                    // Grow backwards from the start as well: the chain may have begun mid-ring.
                    let piece = pool.remove(at: k)
                    ring = (piece.last == start ? piece : piece.reversed()).dropLast() + ring
                } else {
                    throw .unclosed(role: role, end: end)
                }
            }
            guard ring.count >= 4 else { throw .degenerate(role: role) }
            rings.append(ring)
        }
        return rings
    }

    /// Ray casting; a point on the boundary may go either way, which the caller tolerates by
    /// trying every corner of the inner ring.
    static func contains(_ ring: [Position], _ p: Position) -> Bool {
        var inside = false
        var j = ring.count - 1
        for i in 0..<ring.count {
            let a = ring[i], b = ring[j]
            if (a.y > p.y) != (b.y > p.y), p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x {
                inside.toggle()
            }
            j = i
        }
        return inside
    }
}
