import CGEOS
import GeoValues

/// A geometry prepared for many predicate calls: GEOS indexes its segments on first use, so
/// asking "does this district cover that point?" thousands of times is fast.
///
/// **Not thread-safe**: the index is built lazily inside GEOS and mutated by the first calls, so a
/// prepared geometry must stay in the task that made it (it is not `Sendable`).
///
/// ```swift
/// let district = try context.make(districtGeometry).prepared()
/// let counted = try people.filter { try district.covers($0) }  // boundary included
/// ```
public final class PreparedGeometry {
    /// The geometry this was prepared from; GEOS's prepared geometry points into it, so it is kept.
    public let geometry: GeometryHandle
    /// The `const GEOSPreparedGeometry*`.
    private let pointer: OpaquePointer

    init(_ geometry: GeometryHandle) throws(GeoEngineError) {
        // Returns NULL on exception (the index itself is built lazily, by the first predicates).
        guard let pointer = GEOSPrepare_r(geometry.context.handle, geometry.pointer) else {
            throw geometry.context.failure("prepare")
        }
        self.geometry = geometry
        self.pointer = pointer
    }

    deinit {
        // Returns nothing and cannot fail.
        GEOSPreparedGeom_destroy_r(geometry.context.handle, pointer)
    }

    private var context: GeometryContext { geometry.context }

    /// True when `p` lies in the interior (a point on the boundary is not contained).
    public func contains(_ p: Position) throws(GeoEngineError) -> Bool {
        try withPoint(p, "prepared contains") { GEOSPreparedContains_r($0, $1, $2) }
    }

    /// True when `p` lies in the geometry or on its boundary.
    public func covers(_ p: Position) throws(GeoEngineError) -> Bool {
        try withPoint(p, "prepared covers") { GEOSPreparedCovers_r($0, $1, $2) }
    }

    /// True when `p` touches the geometry at all (for a point, the same as ``covers(_:)-(Position)``).
    public func intersects(_ p: Position) throws(GeoEngineError) -> Bool {
        try withPoint(p, "prepared intersects") { GEOSPreparedIntersects_r($0, $1, $2) }
    }

    /// True when the geometries share at least one point.
    public func intersects(_ other: GeometryHandle) throws(GeoEngineError) -> Bool {
        try predicate(other, "prepared intersects") { GEOSPreparedIntersects_r($0, $1, $2) }
    }

    /// True when `other` lies inside and not only on the boundary.
    public func contains(_ other: GeometryHandle) throws(GeoEngineError) -> Bool {
        try predicate(other, "prepared contains") { GEOSPreparedContains_r($0, $1, $2) }
    }

    /// True when `other` lies in the interior without touching the boundary at all.
    public func containsProperly(_ other: GeometryHandle) throws(GeoEngineError) -> Bool {
        try predicate(other, "prepared contains properly") { GEOSPreparedContainsProperly_r($0, $1, $2) }
    }

    /// True when no point of `other` lies outside (boundary included).
    public func covers(_ other: GeometryHandle) throws(GeoEngineError) -> Bool {
        try predicate(other, "prepared covers") { GEOSPreparedCovers_r($0, $1, $2) }
    }

    private func predicate(
        _ other: GeometryHandle, _ name: String,
        _ call: (OpaquePointer, OpaquePointer, OpaquePointer) -> CChar
    ) throws(GeoEngineError) -> Bool {
        try context.checkOwnership(other, name)
        // Prepared predicates return 1 for true, 0 for false and 2 on exception.
        let result = call(context.handle, pointer, other.pointer)
        guard result != 2 else { throw context.failure(name) }
        return result == 1
    }

    /// Runs a predicate against a temporary point (GEOS 3.11 has no prepared XY predicates).
    private func withPoint(
        _ p: Position, _ name: String,
        _ call: (OpaquePointer, OpaquePointer, OpaquePointer) -> CChar
    ) throws(GeoEngineError) -> Bool {
        // Returns NULL on exception.
        guard let point = GEOSGeom_createPointFromXY_r(context.handle, p.x, p.y) else {
            throw context.failure(name)
        }
        defer { GEOSGeom_destroy_r(context.handle, point) }
        // Prepared predicates return 1 for true, 0 for false and 2 on exception.
        let result = call(context.handle, pointer, point)
        guard result != 2 else { throw context.failure(name) }
        return result == 1
    }
}
