/// Ring math, in one place: the signed area every module uses, and the one rewinder.
///
/// ```swift
/// Ring.signedArea([Position(x: 0, y: 0), Position(x: 1, y: 0), Position(x: 0, y: 1), Position(x: 0, y: 0)])  // 0.5
/// ```
public enum Ring {
    /// The signed area of a ring by the shoelace formula, in the ring's squared units: positive when
    /// it runs counter-clockwise, negative when clockwise. The ring may be closed or open: the sum is
    /// taken relative to the first position, so the closing edge adds nothing, and large coordinates
    /// (UTM eastings) do not swamp small rings.
    public static func signedArea(_ ring: [Position]) -> Double {
        guard ring.count >= 3 else { return 0 }
        let origin = ring[0]
        var twice = 0.0
        for i in 0..<(ring.count - 1) {
            let a = ring[i], b = ring[i + 1]
            twice += (a.x - origin.x) * (b.y - origin.y) - (b.x - origin.x) * (a.y - origin.y)
        }
        return twice / 2
    }

    /// The ring running the asked way round: as it is, or reversed.
    public static func oriented(_ ring: [Position], counterClockwise: Bool) -> [Position] {
        let area = signedArea(ring)
        return area == 0 || (area > 0) == counterClockwise ? ring : ring.reversed()
    }
}

extension Polygon {
    /// The polygon wound by RFC 7946's right-hand rule: the outer ring counter-clockwise, holes clockwise.
    public var rightHanded: Polygon {
        Polygon(outerRing: Ring.oriented(outerRing, counterClockwise: true),
                innerRings: innerRings.map { Ring.oriented($0, counterClockwise: false) })
    }

    /// The planar area (positive) in the coordinates' squared units: the outer ring less its holes.
    public var planarArea: Double {
        var total = abs(Ring.signedArea(outerRing))
        for hole in innerRings { total -= abs(Ring.signedArea(hole)) }
        return total
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
