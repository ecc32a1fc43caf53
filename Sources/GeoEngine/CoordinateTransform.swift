import CPROJ
import GeoValues

/// A transformation between two coordinate reference systems, over PROJ.
///
/// Axis order is always x then y: longitude, latitude for geographic CRSs (PROJ's
/// `proj_normalize_for_visualization`), easting, northing for projected ones, whatever the EPSG
/// definition says. Each transform has its own `PJ_CONTEXT`; it costs about 0.6 ms to create.
/// **Not thread-safe** and not `Sendable`: create one per task.
///
/// ```swift
/// let toUTM = try CoordinateTransform(from: "EPSG:4326", to: "EPSG:32644")
/// let metres = try toUTM.forward([Position(lon: 82.6, lat: 49.95)])
/// ```
public final class CoordinateTransform {
    /// The source CRS as given, e.g. `"EPSG:4326"`.
    public let source: String
    /// The target CRS as given, e.g. `"EPSG:32644"`.
    public let target: String
    /// The context `transformation` was made on; released after it (see `deinit`).
    private let context: PROJContext
    /// The normalised `PJ*`, owned.
    private let transformation: OpaquePointer

    /// A transformation from `source` to `target`, each anything PROJ understands
    /// (`"EPSG:4326"`, `"EPSG:32644"`, a PROJ string, WKT).
    ///
    /// Throws ``GeoEngineError`` carrying PROJ's messages when a CRS is unknown
    /// (e.g. `"EPSG:999999"`) or no transformation exists.
    public init(from source: String, to target: String) throws(GeoEngineError) {
        let operation = "PROJ create transformation \(source) → \(target)"
        let context = try PROJContext(operation)
        context.beginCall()
        // Returns NULL on failure, with the reason in proj_context_errno and the log.
        guard let raw = proj_create_crs_to_crs(context.pointer, source, target, nil) else {
            throw context.failure(operation, code: proj_context_errno(context.pointer))
        }
        // Returns NULL on failure; the original PJ is ours to destroy either way.
        let normalized = proj_normalize_for_visualization(context.pointer, raw)
        proj_destroy(raw)
        guard let normalized else {
            throw context.failure(operation, code: proj_context_errno(context.pointer))
        }
        self.source = source
        self.target = target
        self.context = context
        self.transformation = normalized
    }

    deinit {
        // Returns nothing and cannot fail. The context goes after this, when `context` is released.
        proj_destroy(transformation)
    }

    /// Transforms positions from the source CRS to the target CRS with one `proj_trans_generic` call.
    ///
    /// Throws when any position cannot be transformed (PROJ marks it with infinity), naming the
    /// first such position.
    public func forward(_ positions: [Position]) throws(GeoEngineError) -> [Position] {
        try transform(positions, PJ_FWD, "forward")
    }

    /// Transforms positions from the target CRS back to the source CRS (one `proj_trans_generic` call).
    public func inverse(_ positions: [Position]) throws(GeoEngineError) -> [Position] {
        try transform(positions, PJ_INV, "inverse")
    }

    /// The geometry with every position transformed forward, all in one call.
    public func forward(_ geometry: Geometry) throws(GeoEngineError) -> Geometry {
        geometry.replacingPositions(with: try forward(geometry.allPositions)[...])
    }

    /// The geometry with every position transformed back to the source CRS, all in one call.
    public func inverse(_ geometry: Geometry) throws(GeoEngineError) -> Geometry {
        geometry.replacingPositions(with: try inverse(geometry.allPositions)[...])
    }

    /// Many geometries transformed forward with one call over all their positions: what a city's
    /// districts or thousands of entities need, where one call per geometry would cost more.
    public func forward(_ geometries: [Geometry]) throws(GeoEngineError) -> [Geometry] {
        Self.distribute(try forward(geometries.flatMap(\.allPositions)), over: geometries)
    }

    /// Many geometries transformed back to the source CRS with one call.
    public func inverse(_ geometries: [Geometry]) throws(GeoEngineError) -> [Geometry] {
        Self.distribute(try inverse(geometries.flatMap(\.allPositions)), over: geometries)
    }

    /// Hands the moved positions back to the geometries they came from, in order.
    private static func distribute(_ moved: [Position], over geometries: [Geometry]) -> [Geometry] {
        var start = 0
        return geometries.map { geometry in
            let count = geometry.allPositions.count
            defer { start += count }
            return geometry.replacingPositions(with: moved[start..<start + count])
        }
    }

    private func transform(
        _ positions: [Position], _ direction: PJ_DIRECTION, _ name: String
    ) throws(GeoEngineError) -> [Position] {
        guard !positions.isEmpty else { return [] }
        let operation = "PROJ \(name) transform \(source) → \(target)"
        var result = positions
        let count = result.count
        let stride = MemoryLayout<Position>.stride
        // offset(of:) is documented as valid for pointing at a stored property inside the struct.
        let xOffset = MemoryLayout<Position>.offset(of: \.x)!
        let yOffset = MemoryLayout<Position>.offset(of: \.y)!
        context.beginCall()
        // Returns the previous errno; clears the error left by an earlier call.
        proj_errno_reset(transformation)
        let transformed = result.withUnsafeMutableBytes { bytes -> Int in
            let base = bytes.baseAddress!
            let x = (base + xOffset).assumingMemoryBound(to: Double.self)
            let y = (base + yOffset).assumingMemoryBound(to: Double.self)
            // Transforms in place with strides in bytes. Returns how many it handled; a position it
            // could not transform is set to HUGE_VAL and the error goes to proj_errno.
            return proj_trans_generic(
                transformation, direction,
                x, stride, count, y, stride, count,
                nil, 0, 0, nil, 0, 0)
        }
        let failed = result.firstIndex { !$0.x.isFinite || !$0.y.isFinite }
        guard transformed == count, failed == nil else {
            var error = context.failure(operation, code: proj_errno(transformation))
            if let failed {
                let p = positions[failed]
                error.messages.append("position \(failed) (\(p.x), \(p.y)) could not be transformed")
            }
            throw error
        }
        return result
    }
}
