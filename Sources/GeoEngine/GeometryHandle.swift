import CGEOS
import GeoValues

/// Whether a geometry is valid in the OGC sense, and if not, why and where.
public enum Validity: Hashable, Sendable {
    /// Valid: simple rings, holes inside their shells, no crossings.
    case valid
    /// `reason` is GEOS's wording (e.g. `"Self-intersection"`, `"Hole lies outside shell"`);
    /// `location` is where it happens, when GEOS gives one.
    case invalid(reason: String, location: Position?)

    /// True for `.valid`.
    public var isValid: Bool {
        if case .valid = self { return true }
        return false
    }
}

/// One GEOS geometry, owned: it is freed when the handle goes away.
///
/// A handle keeps its ``GeometryContext`` alive and can only be combined with handles of the same
/// context. Operations never modify a handle; they return new ones. **Not thread-safe** and not
/// `Sendable`, like its context: convert to a ``Geometry`` value with ``geometry()`` to cross tasks.
public final class GeometryHandle {
    /// The context that made this geometry and whose GEOS handle every call uses.
    public let context: GeometryContext
    /// The `GEOSGeometry*`, owned by this handle alone.
    let pointer: OpaquePointer

    /// Takes ownership of `pointer`, which must come from `context`.
    init(context: GeometryContext, owning pointer: OpaquePointer) {
        self.context = context
        self.pointer = pointer
    }

    deinit {
        // Returns nothing and cannot fail, like every GEOS destroy function.
        GEOSGeom_destroy_r(context.handle, pointer)
    }

    private var ctx: OpaquePointer { context.handle }

    // MARK: - Constructive operations

    /// The area within `distance` of the geometry (round caps and joins), with `quadrantSegments`
    /// segments per quarter circle: a point becomes a regular polygon of `4 × quadrantSegments` sides
    /// with its vertices on the circle. A negative distance shrinks polygons.
    public func buffer(_ distance: Double, quadrantSegments: Int = 16) throws(GeoEngineError) -> GeometryHandle {
        // Returns NULL on exception.
        try context.adopt(GEOSBuffer_r(ctx, pointer, distance, Int32(quadrantSegments)), "buffer")
    }

    /// The part shared with `other`.
    public func intersection(_ other: GeometryHandle) throws(GeoEngineError) -> GeometryHandle {
        try context.checkOwnership(other, "intersection")
        // Returns NULL on exception.
        return try context.adopt(GEOSIntersection_r(ctx, pointer, other.pointer), "intersection")
    }

    /// This geometry without `other`.
    public func difference(_ other: GeometryHandle) throws(GeoEngineError) -> GeometryHandle {
        try context.checkOwnership(other, "difference")
        // Returns NULL on exception.
        return try context.adopt(GEOSDifference_r(ctx, pointer, other.pointer), "difference")
    }

    /// This geometry together with `other`. For many geometries use ``GeometryContext/union(_:)``.
    public func union(_ other: GeometryHandle) throws(GeoEngineError) -> GeometryHandle {
        try context.checkOwnership(other, "union")
        // Returns NULL on exception.
        return try context.adopt(GEOSUnion_r(ctx, pointer, other.pointer), "union")
    }

    /// The part inside `box`, computed by the fast rectangle clipper (`GEOSClipByRect_r`).
    ///
    /// Much faster than ``intersection(_:)`` with a rectangle, but polygon results may be invalid
    /// where they run along the rectangle's edges (GEOS documents it as for rendering); areas are right.
    public func clip(to box: BoundingBox) throws(GeoEngineError) -> GeometryHandle {
        // Returns NULL on exception.
        try context.adopt(
            GEOSClipByRect_r(ctx, pointer, box.minX, box.minY, box.maxX, box.maxY), "clip by rectangle")
    }

    /// A valid geometry covering the same points (`GEOSMakeValid_r`, the "linework" method):
    /// a bow-tie becomes a MultiPolygon of its two triangles.
    public func makeValid() throws(GeoEngineError) -> GeometryHandle {
        // Returns NULL on exception.
        try context.adopt(GEOSMakeValid_r(ctx, pointer), "make valid")
    }

    /// A simplified copy (Douglas–Peucker within `tolerance`) that keeps the topology: rings stay
    /// simple and holes stay inside.
    public func simplified(tolerance: Double) throws(GeoEngineError) -> GeometryHandle {
        // Returns NULL on exception.
        try context.adopt(GEOSTopologyPreserveSimplify_r(ctx, pointer, tolerance), "simplify")
    }

    /// An independent copy.
    public func clone() throws(GeoEngineError) -> GeometryHandle {
        // Returns NULL on exception.
        try context.adopt(GEOSGeom_clone_r(ctx, pointer), "clone")
    }

    /// A position guaranteed to lie on the geometry (inside a polygon, unlike the centroid),
    /// or nil for an empty geometry.
    public func pointOnSurface() throws(GeoEngineError) -> Position? {
        // Returns NULL on exception.
        guard let point = GEOSPointOnSurface_r(ctx, pointer) else { throw context.failure("point on surface") }
        defer { GEOSGeom_destroy_r(ctx, point) }
        // Returns 2 on exception. An empty input gives an empty point.
        switch GEOSisEmpty_r(ctx, point) {
        case 0: break
        case 1: return nil
        default: throw context.failure("point on surface")
        }
        var x = 0.0, y = 0.0
        // Both return 0 on exception.
        guard GEOSGeomGetX_r(ctx, point, &x) == 1, GEOSGeomGetY_r(ctx, point, &y) == 1 else {
            throw context.failure("point on surface")
        }
        return Position(x: x, y: y)
    }

    /// A prepared form for many predicate calls against this geometry (see ``PreparedGeometry``).
    public func prepared() throws(GeoEngineError) -> PreparedGeometry {
        try PreparedGeometry(self)
    }

    // MARK: - Measures
    //
    // Throwing properties: GEOS raises here hardly ever (allocation), but when it does the caller
    // gets GEOS's message instead of a crash.

    /// The area, in the square of the coordinates' unit (m² in a projected CRS); 0 for points and lines.
    public var area: Double {
        get throws(GeoEngineError) {
            var value = 0.0
            // Returns 0 on exception.
            guard GEOSArea_r(ctx, pointer, &value) != 0 else { throw context.failure("area") }
            return value
        }
    }

    /// The length of lines, or the perimeter of polygons (all rings); 0 for points.
    public var length: Double {
        get throws(GeoEngineError) {
            var value = 0.0
            // Returns 0 on exception.
            guard GEOSLength_r(ctx, pointer, &value) != 0 else { throw context.failure("length") }
            return value
        }
    }

    /// The shortest distance to `other`; 0 when they intersect.
    public func distance(to other: GeometryHandle) throws(GeoEngineError) -> Double {
        try context.checkOwnership(other, "distance")
        var value = 0.0
        // Returns 0 on exception.
        guard GEOSDistance_r(ctx, pointer, other.pointer, &value) != 0 else {
            throw context.failure("distance")
        }
        return value
    }

    /// True for a geometry without positions (e.g. the intersection of disjoint shapes).
    public var isEmpty: Bool {
        get throws(GeoEngineError) {
            // Returns 2 on exception.
            let result = GEOSisEmpty_r(ctx, pointer)
            guard result != 2 else { throw context.failure("is empty") }
            return result == 1
        }
    }

    /// The bounding box, or nil for an empty geometry.
    public var boundingBox: BoundingBox? {
        get throws(GeoEngineError) {
            if try isEmpty { return nil }
            var box = BoundingBox(minX: 0, minY: 0, maxX: 0, maxY: 0)
            // Returns 0 on exception (and for an empty geometry, excluded above).
            guard GEOSGeom_getExtent_r(ctx, pointer, &box.minX, &box.minY, &box.maxX, &box.maxY) != 0 else {
                throw context.failure("extent")
            }
            return box
        }
    }

    // MARK: - Predicates

    /// True when the two geometries share at least one point.
    public func intersects(_ other: GeometryHandle) throws(GeoEngineError) -> Bool {
        try predicate(other, "intersects") { GEOSIntersects_r($0, $1, $2) }
    }

    /// True when `other` lies inside this geometry and not only on its boundary.
    public func contains(_ other: GeometryHandle) throws(GeoEngineError) -> Bool {
        try predicate(other, "contains") { GEOSContains_r($0, $1, $2) }
    }

    /// True when no point of `other` lies outside this geometry (boundary included).
    public func covers(_ other: GeometryHandle) throws(GeoEngineError) -> Bool {
        try predicate(other, "covers") { GEOSCovers_r($0, $1, $2) }
    }

    private func predicate(
        _ other: GeometryHandle, _ name: String,
        _ call: (OpaquePointer, OpaquePointer, OpaquePointer) -> CChar
    ) throws(GeoEngineError) -> Bool {
        try context.checkOwnership(other, name)
        // Predicates return 1 for true, 0 for false and 2 on exception.
        let result = call(ctx, pointer, other.pointer)
        guard result != 2 else { throw context.failure(name) }
        return result == 1
    }

    // MARK: - Validity and values

    /// Whether the geometry is valid; if not, GEOS's reason and the location it points at.
    ///
    /// ```swift
    /// // A bow-tie (0,0) (10,10) (10,0) (0,10) crosses itself:
    /// // .invalid(reason: "Self-intersection", location: Position(x: 5, y: 5))
    /// ```
    /// Throws when GEOS fails while checking: a failed check says nothing about the geometry, so it
    /// is never reported as "invalid".
    public func validity() throws(GeoEngineError) -> Validity {
        var reason: UnsafeMutablePointer<CChar>?
        var location: OpaquePointer?
        // Returns 1 when valid, 0 when invalid and 2 on exception. Reason and location are ours to free.
        let result = GEOSisValidDetail_r(ctx, pointer, 0, &reason, &location)
        defer {
            if let reason { GEOSFree_r(ctx, reason) }
            if let location { GEOSGeom_destroy_r(ctx, location) }
        }
        return try validity(checkResult: result, reason: reason, location: location)
    }

    /// Reads the answer of `GEOSisValidDetail_r`. Apart from ``validity()`` so that a test can hand
    /// it GEOS's exception code: GEOS 3.11's validity check raises only when it cannot allocate.
    func validity(
        checkResult result: CChar, reason: UnsafeMutablePointer<CChar>?, location: OpaquePointer?
    ) throws(GeoEngineError) -> Validity {
        switch result {
        case 1:
            return .valid
        case 0:
            var position: Position?
            if let location {
                var x = 0.0, y = 0.0
                // Both return 0 on exception (an empty location point has no X): then the
                // reason stands without a place, and GEOS's message is not kept for later.
                if GEOSGeomGetX_r(ctx, location, &x) == 1, GEOSGeomGetY_r(ctx, location, &y) == 1 {
                    position = Position(x: x, y: y)
                } else {
                    context.forgetFailure()
                }
            }
            return .invalid(reason: reason.map { String(cString: $0) } ?? "invalid", location: position)
        default:
            throw context.failure("validity check")
        }
    }

    /// The geometry as plain values; polygons keep closed rings in GEOS's order (GEOS makes
    /// clockwise exteriors, so writers must rewind for RFC 7946).
    ///
    /// Empty results become empty multi-geometries: an empty intersection of polygons is
    /// `.multiPolygon([])`, an empty point `.multiPoint([])`.
    public func geometry() throws(GeoEngineError) -> Geometry {
        try context.value(of: pointer)
    }
}
