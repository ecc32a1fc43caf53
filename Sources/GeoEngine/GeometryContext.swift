import CGEOS
import GeoValues

/// What GEOS said through a context's handlers, kept until a failing call collects it.
final class GEOSMessageLog {
    var errors: [String] = []
    var notices: [String] = []
}

/// One GEOS context: the factory for geometry handles and the place GEOS reports its errors.
///
/// GEOS is used only through its reentrant `*_r` API, so a context and every handle made from it
/// belong to one thread or task at a time. `GeometryContext` is **not thread-safe** and not `Sendable`:
/// in a task group, create a context inside each child task and pass only values (``Geometry``,
/// ``Position`` arrays, areas) in and out.
///
/// ```swift
/// let context = GeometryContext()
/// let reach = try context.point(Position(x: 0, y: 0)).buffer(500)
/// let area = reach.area  // 784 137 m²: the 64-gon inside the 500 m circle
/// ```
public final class GeometryContext {
    /// The `GEOSContextHandle_t`.
    let handle: OpaquePointer
    /// Kept alive as long as the context: GEOS holds an unretained pointer to it as handler userdata.
    /// (Internal, not private, so a test can stand in for GEOS's handler.)
    let log = GEOSMessageLog()

    /// A fresh GEOS context whose error and notice messages are collected rather than printed.
    ///
    /// Throws when GEOS cannot allocate the context (`GEOS_init_r` returned NULL).
    public init() throws(GeoEngineError) {
        // Returns NULL when it cannot allocate the context; GEOS has no handler yet to say more.
        guard let handle = GEOS_init_r() else {
            throw GeoEngineError(operation: "GEOS create context", messages: ["GEOS_init_r returned NULL"])
        }
        self.handle = handle
        let userdata = Unmanaged.passUnretained(log).toOpaque()
        // Both setters return the previous handler (none here) and cannot fail. The closures capture
        // nothing, so they convert to C function pointers; the log arrives through `userdata`.
        _ = GEOSContext_setErrorMessageHandler_r(handle, { message, userdata in
            guard let message, let userdata else { return }
            let log = Unmanaged<GEOSMessageLog>.fromOpaque(userdata).takeUnretainedValue()
            log.errors.append(String(cString: message))
        }, userdata)
        _ = GEOSContext_setNoticeMessageHandler_r(handle, { message, userdata in
            guard let message, let userdata else { return }
            let log = Unmanaged<GEOSMessageLog>.fromOpaque(userdata).takeUnretainedValue()
            // A long-lived context must not grow without bound; the first notices are the telling ones.
            if log.notices.count < 100 { log.notices.append(String(cString: message)) }
        }, userdata)
    }

    deinit {
        // Every handle keeps its context alive, so no geometry of this context outlives it.
        // Returns nothing and cannot fail.
        GEOS_finish_r(handle)
    }

    /// Notices GEOS has sent so far (informational, not failures), oldest first; at most 100 are kept.
    public var notices: [String] { log.notices }

    /// The error for a failed call, carrying (and clearing) the messages GEOS sent since the last one.
    ///
    /// GEOS calls its error handler only when a call fails, and every failure either throws through
    /// here or is passed over with ``forgetFailure()``, so the messages are always the failed call's own.
    func failure(_ operation: String) -> GeoEngineError {
        defer { log.errors.removeAll() }
        return GeoEngineError(operation: "GEOS \(operation)", messages: log.errors)
    }

    /// Drops what GEOS said about a failure that is deliberately passed over (e.g. reading the
    /// location of an invalid geometry), so it is not attached to a later, unrelated failure.
    func forgetFailure() {
        log.errors.removeAll()
    }

    /// Wraps a GEOS result that this context now owns, or throws when GEOS returned NULL.
    func adopt(_ pointer: OpaquePointer?, _ operation: String) throws(GeoEngineError) -> GeometryHandle {
        guard let pointer else { throw failure(operation) }
        return GeometryHandle(context: self, owning: pointer)
    }

    /// Throws unless `handle` was made by this context: GEOS objects must not cross contexts.
    func checkOwnership(_ other: GeometryHandle, _ operation: String) throws(GeoEngineError) {
        guard other.context === self else {
            throw GeoEngineError(
                operation: "GEOS \(operation)",
                messages: ["the geometries belong to different GeometryContexts"])
        }
    }

    // MARK: - Creating geometries

    /// A GEOS geometry built from plain values through coordinate sequences (no WKB or WKT).
    ///
    /// Rings must be closed and have at least 4 positions, line strings at least 2, and every
    /// coordinate must be finite; otherwise this throws without calling GEOS. An empty polygon
    /// (no outer ring) and empty line string are allowed.
    public func make(_ geometry: Geometry) throws(GeoEngineError) -> GeometryHandle {
        GeometryHandle(context: self, owning: try makeRaw(geometry))
    }

    /// A point. (Use ``make(_:)`` to have non-finite coordinates refused.)
    public func point(_ p: Position) throws(GeoEngineError) -> GeometryHandle {
        // Returns NULL on exception.
        try adopt(GEOSGeom_createPointFromXY_r(handle, p.x, p.y), "create point")
    }

    /// The rectangle `box` as a polygon (a line or point when the box is degenerate).
    public func rectangle(_ box: BoundingBox) throws(GeoEngineError) -> GeometryHandle {
        // Returns NULL on exception (GEOS orders the bounds itself).
        try adopt(GEOSGeom_createRectangle_r(handle, box.minX, box.minY, box.maxX, box.maxY), "create rectangle")
    }

    /// The union of `parts` as one geometry: a single `GEOSUnaryUnion_r` over a collection of them,
    /// which is far cheaper than unioning pairwise.
    ///
    /// The parts are cloned into the collection, so every handle stays valid and unchanged. An empty
    /// array gives an empty geometry collection.
    public func union(_ parts: [GeometryHandle]) throws(GeoEngineError) -> GeometryHandle {
        let collection = try makeCollection(Int32(GEOS_GEOMETRYCOLLECTION.rawValue), cloning: parts, "union")
        // The collection is only the input to the union; this call owns it and frees it here.
        defer { GEOSGeom_destroy_r(handle, collection) }
        // Returns NULL on exception.
        return try adopt(GEOSUnaryUnion_r(handle, collection), "union")
    }

    /// `parts` gathered into one geometry: a MultiPoint, MultiLineString or MultiPolygon when all
    /// parts are points, line strings or polygons respectively, else a GeometryCollection.
    ///
    /// Nothing is dissolved: overlapping polygons give an invalid MultiPolygon (use ``union(_:)``
    /// for a valid one). The parts are cloned, as in ``union(_:)``.
    public func collection(_ parts: [GeometryHandle]) throws(GeoEngineError) -> GeometryHandle {
        var kinds = Set<Int32>()
        for part in parts {
            try checkOwnership(part, "collection")
            // Returns -1 on exception.
            let kind = GEOSGeomTypeId_r(handle, part.pointer)
            guard kind >= 0 else { throw failure("collection") }
            kinds.insert(kind)
        }
        let type: GEOSGeomTypes =
            switch kinds.count == 1 ? kinds.first : nil {
            case Int32(GEOS_POINT.rawValue): GEOS_MULTIPOINT
            case Int32(GEOS_LINESTRING.rawValue): GEOS_MULTILINESTRING
            case Int32(GEOS_POLYGON.rawValue): GEOS_MULTIPOLYGON
            default: GEOS_GEOMETRYCOLLECTION
            }
        return try adopt(makeCollection(Int32(type.rawValue), cloning: parts, "collection"), "collection")
    }

    /// A collection of `type` owning clones of `parts`.
    ///
    /// Always cloning keeps ownership simple: each handle frees its own geometry, the collection its
    /// clones. (Moving a uniquely referenced part instead saved nothing measurable: the clone of a
    /// clipped reach is small next to the union that follows.)
    private func makeCollection(
        _ type: Int32, cloning parts: [GeometryHandle], _ operation: String
    ) throws(GeoEngineError) -> OpaquePointer {
        var raw: [OpaquePointer?] = []
        raw.reserveCapacity(parts.count)
        for part in parts {
            do throws(GeoEngineError) {
                try checkOwnership(part, operation)
                // Returns NULL on exception.
                guard let copy = GEOSGeom_clone_r(handle, part.pointer) else { throw failure(operation) }
                raw.append(copy)
            } catch {
                for pointer in raw { GEOSGeom_destroy_r(handle, pointer) }
                throw error
            }
        }
        return try adoptIntoCollection(type, raw, operation)
    }

    /// Hands `parts` to `GEOSGeom_createCollection_r`.
    ///
    /// OWNERSHIP: the collection takes every part, and since GEOS 3.10 it does so before anything can
    /// fail (the parts go into `unique_ptr`s first), so on failure GEOS has already freed them. Either
    /// way the caller must never destroy `parts` after this call.
    private func adoptIntoCollection(
        _ type: Int32, _ parts: [OpaquePointer?], _ operation: String
    ) throws(GeoEngineError) -> OpaquePointer {
        var parts = parts
        // Returns NULL on exception.
        let collection = parts.withUnsafeMutableBufferPointer {
            GEOSGeom_createCollection_r(handle, type, $0.baseAddress, UInt32($0.count))
        }
        guard let collection else { throw failure(operation) }
        return collection
    }

    /// An owned `GEOSGeometry*` for `geometry`; on failure everything made on the way is freed.
    func makeRaw(_ geometry: Geometry) throws(GeoEngineError) -> OpaquePointer {
        switch geometry {
        case .point(let p):
            try checkFinite([p], "Point")
            // Returns NULL on exception.
            guard let point = GEOSGeom_createPointFromXY_r(handle, p.x, p.y) else {
                throw failure("create point")
            }
            return point
        case .multiPoint(let points):
            return try makeMulti(Int32(GEOS_MULTIPOINT.rawValue), points.map { .point($0) })
        case .lineString(let positions):
            return try makeLineString(positions)
        case .multiLineString(let lines):
            return try makeMulti(Int32(GEOS_MULTILINESTRING.rawValue), lines.map { .lineString($0) })
        case .polygon(let polygon):
            return try makePolygon(polygon)
        case .multiPolygon(let polygons):
            return try makeMulti(Int32(GEOS_MULTIPOLYGON.rawValue), polygons.map { .polygon($0) })
        case .geometryCollection(let parts):
            return try makeMulti(Int32(GEOS_GEOMETRYCOLLECTION.rawValue), parts)
        }
    }

    private func makeMulti(_ type: Int32, _ parts: [Geometry]) throws(GeoEngineError) -> OpaquePointer {
        var raw: [OpaquePointer?] = []
        raw.reserveCapacity(parts.count)
        do {
            for part in parts { raw.append(try makeRaw(part)) }
        } catch {
            for pointer in raw { GEOSGeom_destroy_r(handle, pointer) }
            throw error
        }
        return try adoptIntoCollection(type, raw, "create collection")
    }

    private func makeLineString(_ positions: [Position]) throws(GeoEngineError) -> OpaquePointer {
        if positions.isEmpty {
            // Returns NULL on exception.
            guard let empty = GEOSGeom_createEmptyLineString_r(handle) else {
                throw failure("create line string")
            }
            return empty
        }
        guard positions.count >= 2 else {
            throw GeoEngineError(
                operation: "GEOS create line string",
                messages: ["a LineString needs at least 2 positions, this one has \(positions.count)"])
        }
        let sequence = try makeSequence(positions, "LineString")
        // Takes ownership of the sequence, also when it fails; returns NULL on exception.
        guard let line = GEOSGeom_createLineString_r(handle, sequence) else {
            throw failure("create line string")
        }
        return line
    }

    private func makePolygon(_ polygon: Polygon) throws(GeoEngineError) -> OpaquePointer {
        if polygon.outerRing.isEmpty && polygon.innerRings.isEmpty {
            // Returns NULL on exception.
            guard let empty = GEOSGeom_createEmptyPolygon_r(handle) else {
                throw failure("create polygon")
            }
            return empty
        }
        let shell = try makeRing(polygon.outerRing, "outer ring")
        var holes: [OpaquePointer?] = []
        holes.reserveCapacity(polygon.innerRings.count)
        do {
            for (i, ring) in polygon.innerRings.enumerated() {
                holes.append(try makeRing(ring, "inner ring \(i)"))
            }
        } catch {
            GEOSGeom_destroy_r(handle, shell)
            for hole in holes { GEOSGeom_destroy_r(handle, hole) }
            throw error
        }
        // OWNERSHIP: takes the shell and every hole (not the array), and frees them itself when it
        // fails (GEOS ticket 1111), so they are never destroyed here. Returns NULL on exception.
        let result = holes.withUnsafeMutableBufferPointer {
            GEOSGeom_createPolygon_r(handle, shell, $0.baseAddress, UInt32($0.count))
        }
        guard let result else { throw failure("create polygon") }
        return result
    }

    private func makeRing(_ ring: [Position], _ name: String) throws(GeoEngineError) -> OpaquePointer {
        guard ring.count >= 4 else {
            throw GeoEngineError(
                operation: "GEOS create polygon",
                messages: ["\(name) has \(ring.count) positions; a ring needs at least 4"])
        }
        guard ring.first == ring.last else {
            throw GeoEngineError(
                operation: "GEOS create polygon",
                messages: ["\(name) is not closed: its first and last positions differ"])
        }
        let sequence = try makeSequence(ring, name)
        // Takes ownership of the sequence, also when it fails; returns NULL on exception.
        guard let result = GEOSGeom_createLinearRing_r(handle, sequence) else {
            throw failure("create linear ring")
        }
        return result
    }

    /// An owned coordinate sequence, copied from the array in one call.
    private func makeSequence(_ positions: [Position], _ name: String) throws(GeoEngineError) -> OpaquePointer {
        try checkFinite(positions, name)
        // Returns NULL on exception.
        let sequence = withInterleavedXY(positions) {
            GEOSCoordSeq_copyFromBuffer_r(handle, $0, UInt32(positions.count), 0, 0)
        }
        guard let sequence else { throw failure("create coordinate sequence") }
        return sequence
    }

    /// GEOS computes nonsense (or worse) on NaN and infinity, so they are refused up front.
    private func checkFinite(_ positions: [Position], _ name: String) throws(GeoEngineError) {
        if let bad = positions.firstIndex(where: { !$0.x.isFinite || !$0.y.isFinite }) {
            throw GeoEngineError(
                operation: "GEOS create geometry",
                messages: ["\(name): position \(bad) is not finite (\(positions[bad].x), \(positions[bad].y))"])
        }
    }

    // MARK: - Back to values

    /// The plain value of a GEOS geometry this context can read (owned by someone else).
    ///
    /// Empty geometries become empty multi-geometries of the same dimension (an empty polygon is
    /// `.multiPolygon([])`), since the value types have no empty Point, LineString or Polygon.
    func value(of g: OpaquePointer) throws(GeoEngineError) -> Geometry {
        // Returns -1 on exception.
        let type = GEOSGeomTypeId_r(handle, g)
        guard type >= 0 else { throw failure("read geometry type") }
        // Returns 2 on exception.
        let empty = GEOSisEmpty_r(handle, g)
        guard empty != 2 else { throw failure("read geometry") }
        switch UInt32(type) {
        case GEOS_POINT.rawValue:
            if empty == 1 { return .multiPoint([]) }
            var x = 0.0, y = 0.0
            // Both return 0 on exception.
            guard GEOSGeomGetX_r(handle, g, &x) == 1, GEOSGeomGetY_r(handle, g, &y) == 1 else {
                throw failure("read point")
            }
            return .point(Position(x: x, y: y))
        case GEOS_LINESTRING.rawValue, GEOS_LINEARRING.rawValue:
            if empty == 1 { return .multiLineString([]) }
            return .lineString(try positions(of: g))
        case GEOS_POLYGON.rawValue:
            if empty == 1 { return .multiPolygon([]) }
            return .polygon(try polygon(of: g))
        case GEOS_MULTIPOINT.rawValue:
            var points: [Position] = []
            for part in try parts(of: g) {
                if case .point(let p) = try value(of: part) { points.append(p) }
            }
            return .multiPoint(points)
        case GEOS_MULTILINESTRING.rawValue:
            var lines: [[Position]] = []
            for part in try parts(of: g) {
                let line = try positions(of: part)
                if !line.isEmpty { lines.append(line) }
            }
            return .multiLineString(lines)
        case GEOS_MULTIPOLYGON.rawValue:
            var polygons: [Polygon] = []
            for part in try parts(of: g) {
                // Returns 2 on exception.
                let partEmpty = GEOSisEmpty_r(handle, part)
                guard partEmpty != 2 else { throw failure("read geometry") }
                if partEmpty == 0 { polygons.append(try polygon(of: part)) }
            }
            return .multiPolygon(polygons)
        default:
            var values: [Geometry] = []
            for part in try parts(of: g) { values.append(try value(of: part)) }
            return .geometryCollection(values)
        }
    }

    /// The parts of a multi-geometry or collection, still owned by it.
    private func parts(of g: OpaquePointer) throws(GeoEngineError) -> [OpaquePointer] {
        // Returns -1 on exception.
        let count = GEOSGetNumGeometries_r(handle, g)
        guard count >= 0 else { throw failure("read collection") }
        var result: [OpaquePointer] = []
        result.reserveCapacity(Int(count))
        for i in 0..<count {
            // Returns NULL on exception; the part stays owned by `g`.
            guard let part = GEOSGetGeometryN_r(handle, g, i) else { throw failure("read collection") }
            result.append(part)
        }
        return result
    }

    private func polygon(of g: OpaquePointer) throws(GeoEngineError) -> Polygon {
        // Returns NULL on exception; the ring stays owned by the polygon.
        guard let shell = GEOSGetExteriorRing_r(handle, g) else { throw failure("read polygon") }
        // Returns -1 on exception.
        let holeCount = GEOSGetNumInteriorRings_r(handle, g)
        guard holeCount >= 0 else { throw failure("read polygon") }
        var holes: [[Position]] = []
        holes.reserveCapacity(Int(holeCount))
        for i in 0..<holeCount {
            // Returns NULL on exception; the ring stays owned by the polygon.
            guard let ring = GEOSGetInteriorRingN_r(handle, g, i) else { throw failure("read polygon") }
            holes.append(try positions(of: ring))
        }
        return Polygon(outerRing: try positions(of: shell), innerRings: holes)
    }

    /// The coordinates of a point, line string or ring, copied out in one call.
    private func positions(of g: OpaquePointer) throws(GeoEngineError) -> [Position] {
        // Returns NULL on exception; the sequence stays owned by the geometry.
        guard let sequence = GEOSGeom_getCoordSeq_r(handle, g) else { throw failure("read coordinates") }
        var size: UInt32 = 0
        // Returns 0 on exception.
        guard GEOSCoordSeq_getSize_r(handle, sequence, &size) != 0 else { throw failure("read coordinates") }
        var copied = true
        let result = makePositions(count: Int(size)) {
            // Returns 0 on exception; writes x, y per coordinate (Z and M dropped).
            copied = GEOSCoordSeq_copyToBuffer_r(handle, sequence, $0, 0, 0) != 0
        }
        guard copied else { throw failure("read coordinates") }
        return result
    }
}
