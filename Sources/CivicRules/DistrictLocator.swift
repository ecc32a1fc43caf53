import CivicCore
import GeoEngine
import GeoValues

/// Finds the districts an entity lies in, and measures distances in metres around a place.
///
/// Holds GEOS handles: not thread-safe; make one per thread or task.
public final class DistrictLocator {
    private let context: GeometryContext
    private let districts: [(id: String, box: BoundingBox, prepared: PreparedGeometry, handle: GeometryHandle)]

    /// Prepares every district's polygon in GEOS once, for many lookups.
    public init(districts: [District]) throws {
        context = try GeometryContext()
        var built: [(String, BoundingBox, PreparedGeometry, GeometryHandle)] = []
        for district in districts {
            guard let box = district.geometry.boundingBox else { continue }
            let handle = try context.make(district.geometry)
            built.append((district.id, box, try handle.prepared(), handle))
        }
        self.districts = built
    }

    /// The ids of the districts the geometry touches: a point covered by a district (boundary
    /// included), or an area that intersects it. Throws when GEOS fails.
    public func districtIDs(of geometry: Geometry) throws -> [String] {
        guard let box = geometry.boundingBox else { return [] }
        let handle: GeometryHandle?
        // A shape GEOS cannot build (an unclosed ring) lies in no district; validate reports it.
        if case .point = geometry { handle = nil } else { handle = try? context.make(geometry) }
        return try districts.compactMap { district in
            guard district.box.intersects(box) else { return nil }
            if case .point(let p) = geometry { return try district.prepared.covers(p) ? district.id : nil }
            guard let handle else { return nil }
            // GEOS failing here is not "outside": it is thrown.
            return try district.prepared.intersects(handle) ? district.id : nil
        }
    }
}

/// Distances in metres from one place, in the UTM zone around it.
///
/// Holds GEOS and PROJ handles: not thread-safe.
public final class Surroundings {
    private let context: GeometryContext
    private let transform: CoordinateTransform
    private let centre: GeometryHandle

    /// Distances around `place`, measured in the UTM zone that holds it.
    public init(around place: Position) throws {
        context = try GeometryContext()
        transform = try CoordinateTransform(
            from: "EPSG:4326", to: "EPSG:\(UTM.epsg(longitude: place.x, latitude: place.y))")
        centre = try context.point(transform.forward([place])[0])
    }

    /// Metres from the place to the nearest point of the geometry (0 inside an area).
    public func distance(to geometry: Geometry) throws -> Double {
        try context.make(transform.forward(geometry)).distance(to: centre)
    }
}
