#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CivicCore
import GeoValues

/// Where street ways lie against the districts: a way whose every vertex is more than 1 km
/// (``EntityRules/outsideToleranceMetres``) from every district is far, and cannot matter for the
/// city's coverage. An import leaves such ways out (a regional extract holds a whole province) and
/// `civic validate` warns of them, by this one rule.
///
/// Not thread-safe (it holds prepared geometries through ``EntityRules``).
public struct StreetPlacement {
    private let rules: EntityRules
    /// The districts' box grown by a little more than 1 km: a vertex outside it is far without
    /// a GEOS distance, which keeps a province's extract fast.
    private let reach: BoundingBox?

    /// The placement against `districts` (none: no way is far).
    public init(info: DatasetInfo, districts: [District]) throws {
        rules = try EntityRules(info: info, districts: districts)
        var box: BoundingBox?
        for district in districts {
            guard let b = district.geometry.boundingBox else { continue }
            box = box.map { $0.union(b) } ?? b
        }
        reach = box.map { box in
            // 1 km plus 10 %, in degrees at the box's most poleward latitude.
            let margin = EntityRules.outsideToleranceMetres * 1.1 / (Geodesy.earthRadius * .pi / 180)
            let poleward = min(89, max(abs(box.minY), abs(box.maxY)) + margin)
            let lonMargin = min(180, margin / cos(poleward * .pi / 180))
            return BoundingBox(minX: box.minX - lonMargin, minY: box.minY - margin,
                               maxX: box.maxX + lonMargin, maxY: box.maxY + margin)
        }
    }

    /// Whether every vertex of `way` lies more than 1 km from every district.
    ///
    /// A vertex `s` metres along from one measured `d` metres away is at least `d − s` away
    /// (the triangle inequality), so one measurement vouches for the vertices that follow until
    /// that bound reaches 1 km; `s` is taken 2 % long, more than the haversine and the districts'
    /// UTM frame ever differ, so the bound never says far for a vertex that is near.
    public func isFar(_ way: StreetWay) throws -> Bool {
        guard let reach else { return false }
        let tolerance = EntityRules.outsideToleranceMetres
        var bound = -Double.infinity
        var previous: Position?
        for p in way.positions {
            if let previous { bound -= Geodesy.distanceMetres(previous, p) * 1.02 }
            previous = p
            guard reach.minX <= p.x && p.x <= reach.maxX && reach.minY <= p.y && p.y <= reach.maxY else {
                bound = -Double.infinity
                continue
            }
            if bound > tolerance { continue }
            guard let distance = try rules.distanceToCity(p) else { return false }
            if distance <= tolerance { return false }
            bound = distance
        }
        return true
    }
}
