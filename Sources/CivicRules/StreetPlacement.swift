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
    private let frame: CityFrame?
    /// The districts' box grown by a little more than 1 km: a vertex outside it is far without
    /// a GEOS distance, which keeps a province's extract fast.
    private let reach: BoundingBox?

    /// The placement against `districts` (none: no way is far).
    public init(districts: [District]) throws {
        frame = try CityFrame(districts: districts)
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

    /// The placement against `districts`; the dataset's `info` plays no part (kept for callers
    /// that have it at hand).
    public init(info: DatasetInfo, districts: [District]) throws {
        try self.init(districts: districts)
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
            guard let distance = try frame?.distanceToCity(p) else { return false }
            if distance <= tolerance { return false }
            bound = distance
        }
        return true
    }

    /// Refuses a street network that cannot walk anyone to or from these districts: one with no
    /// ways (an empty export, an OSM file without walkable ways), or one whose every way is far
    /// (``isFar(_:)``): another city's streets, or positions written [latitude, longitude], which
    /// it then says. Either would give walking figures of nothing but the entities' own
    /// surroundings, read as true. `file` names the network.
    public func requireStreetsNear(_ ways: [StreetWay], file: String) throws {
        guard let first = ways.first else {
            throw CivicError.refused(
                reason: "\(file): no streets to walk: the network has no ways",
                hint: "give the city's streets: GeoJSON LineStrings, or an OSM export of its area (.osm, .osm.pbf, "
                    + "Overpass JSON with out geom) that holds its highway ways")
        }
        guard reach != nil else { return }
        for way in ways where try !isFar(way) { return }
        let swapped = StreetWay(source: first.source, positions: first.positions.map { Position(x: $0.y, y: $0.x) })
        let swappedInRange = swapped.positions.allSatisfy { (-180...180).contains($0.x) && (-90...90).contains($0.y) }
        let looksSwapped = try swappedInRange && !isFar(swapped)
        let distance = try frame?.distanceToCity(first.positions[0]) ?? 0
        let count = ways.count == 1 ? "its one way lies" : "all \(ways.count) of its ways lie"
        let reason = "\(file): \(count) more than \(JSONNumber.format(EntityRules.outsideToleranceMetres / 1000)) km "
            + "from every district (\(first.source) is \(EntityRules.formatDistance(distance)) away)"
        if looksSwapped {
            throw CivicError.refused(reason: reason + ", and its latitude and longitude look swapped",
                                     hint: "GeoJSON positions are [longitude, latitude]: swap the two in every position")
        }
        throw CivicError.refused(reason: reason + ": the streets of another place",
                                 hint: "give this city's streets (civic import osm with an export of its area, or --network FILE)")
    }
}
