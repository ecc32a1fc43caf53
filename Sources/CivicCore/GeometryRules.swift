import GeoEngine

/// Rules about geometries that reach beyond what ``GeoJSONReader`` checks while reading
/// (closed rings, enough positions, finite coordinates in range, nesting per type).
public enum GeometryRules {
    /// Problems with a geometry that the reader's structural checks cannot see, each as a sentence
    /// for a message (for example `self-intersection at [82.6101234, 49.9512345]`); empty when the
    /// geometry is fine.
    ///
    /// GEOS decides (``GeometryCheck/problem(in:)``): a self-intersection comes back with where the
    /// rings cross. ``Entity/init(feature:index:file:)`` and
    /// ``District/init(feature:index:file:)`` already call it for every geometry and turn the
    /// first problem into a ``CivicError/invalid(file:line:place:field:reason:hint:)`` on the
    /// field `geometry`. The geometry it receives is WGS84, rings closed, possibly wound either way.
    /// Throws when GEOS itself fails while checking.
    public static func check(_ geometry: Geometry) throws -> [String] {
        try GeometryCheck.problem(in: geometry).map { [GeometryCheck.describe($0)] } ?? []
    }

    /// The signed area of a closed ring by the shoelace formula, in squared degrees
    /// (or the ring's units): positive when the ring runs counter-clockwise, negative when clockwise.
    public static func signedArea(_ ring: [Position]) -> Double {
        guard ring.count >= 3 else { return 0 }
        // Relative to the first position, so that large coordinates do not swamp small rings.
        let origin = ring[0]
        var twice = 0.0
        for i in 0..<(ring.count - 1) {
            let a = ring[i], b = ring[i + 1]
            twice += (a.x - origin.x) * (b.y - origin.y) - (b.x - origin.x) * (a.y - origin.y)
        }
        return twice / 2
    }
}

extension Polygon {
    /// The polygon wound by RFC 7946's right-hand rule: the outer ring counter-clockwise, holes clockwise.
    public var rightHanded: Polygon {
        var polygon = self
        if GeometryRules.signedArea(outerRing) < 0 { polygon.outerRing.reverse() }
        for i in polygon.innerRings.indices where GeometryRules.signedArea(polygon.innerRings[i]) > 0 {
            polygon.innerRings[i].reverse()
        }
        return polygon
    }
}

extension Geometry {
    /// The geometry with every polygon wound by the right-hand rule (see ``Polygon/rightHanded``).
    public var rightHanded: Geometry {
        switch self {
        case .polygon(let polygon): .polygon(polygon.rightHanded)
        case .multiPolygon(let polygons): .multiPolygon(polygons.map(\.rightHanded))
        case .geometryCollection(let parts): .geometryCollection(parts.map(\.rightHanded))
        default: self
        }
    }
}
