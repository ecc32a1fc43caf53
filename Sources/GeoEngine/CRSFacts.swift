import CPROJ
import GeoValues

/// What PROJ says a coordinate reference system is: projected or geographic, and the unit of its
/// axes, so that nothing in civic guesses units from coordinates.
///
/// ```swift
/// let utm = try CRSFacts("EPSG:32644")
/// utm.kind             // .projected
/// utm.unitName         // "metre"
/// utm.metresPerUnit    // 1
/// try CRSFacts("EPSG:2263").metresPerUnit   // 0.3048006096 (US survey foot)
/// try CRSFacts("EPSG:4326").metresPerUnit   // nil: degrees are angles
/// ```
public struct CRSFacts: Hashable, Sendable {
    /// The broad family of a CRS.
    public enum Kind: String, Hashable, Sendable {
        /// Longitude and latitude on an ellipsoid (EPSG:4326).
        case geographic
        /// Easting and northing on a map projection (EPSG:32644, EPSG:3857).
        case projected
        /// X, Y, Z from the centre of the Earth (EPSG:4978).
        case geocentric
        /// Anything else PROJ knows as a CRS (vertical, engineering, temporal…).
        case other
    }

    /// The definition as given, e.g. `"EPSG:32644"` or a PROJ string.
    public var definition: String
    /// PROJ's name for it, e.g. `"WGS 84 / UTM zone 44N"`; `"unknown"` for most PROJ strings.
    public var name: String
    /// Projected, geographic, …; for a CRS bound to a datum shift (`+towgs84`) or compound with a
    /// height, that of its horizontal part.
    public var kind: Kind
    /// The unit of the first horizontal axis as PROJ names it: `"metre"`, `"US survey foot"`, `"degree"`.
    public var unitName: String
    /// Metres in one unit of the axes (`1` for metre, `0.3048006096` for US survey foot), from
    /// `proj_cs_get_axis_info`'s conversion factor; nil when the axes are angles (degrees).
    public var metresPerUnit: Double?

    /// True for a projected CRS.
    public var isProjected: Bool { kind == .projected }
    /// True for a geographic (longitude, latitude) CRS.
    public var isGeographic: Bool { kind == .geographic }
    /// True for a projected CRS whose unit is the metre: what distances and areas in metres need.
    public var measuresInMetres: Bool { kind == .projected && metresPerUnit == 1 }

    /// The facts of `definition`: `"EPSG:N"`, a PROJ string (`+type=crs` may be left out), WKT or PROJJSON.
    ///
    /// Throws ``GeoEngineError`` with PROJ's message when PROJ does not know the CRS
    /// (`"EPSG:999999"`: "crs not found") or the definition is not a CRS.
    public init(_ definition: String) throws(GeoEngineError) {
        let crs = try HorizontalCRS(definition, operation: "PROJ describe CRS \(definition)")
        self.definition = definition
        name = crs.name
        kind = crs.kind
        (unitName, metresPerUnit) = try crs.unit()
    }

    /// PROJ's scale factors of this projected CRS at each WGS84 position (longitude, latitude in
    /// degrees), in order; see ``ScaleFactors``.
    ///
    /// The factors belong to the map projection alone: they are the same whatever the CRS's unit
    /// (a CRS in feet is measured as if in metres) and do not depend on the datum for any practical
    /// purpose (PROJ reads the positions as longitude and latitude of the CRS's own geographic base,
    /// which moves them by at most a few hundred metres).
    ///
    /// Throws when the CRS is not projected, or naming the first position PROJ cannot evaluate
    /// (e.g. latitude 95°, or a point outside the projection's domain).
    public func scaleFactors(at positions: [Position]) throws(GeoEngineError) -> [ScaleFactors] {
        let operation = "PROJ scale factors of \(definition)"
        guard kind == .projected else {
            throw GeoEngineError(
                operation: operation,
                messages: ["\(definition) is a \(kind.rawValue) CRS, not a projected one"])
        }
        let crs = try HorizontalCRS(definition, operation: operation)
        return try crs.scaleFactors(at: positions, operation)
    }

    /// PROJ's scale factors of this projected CRS at one WGS84 position (see ``scaleFactors(at:)-([Position])``).
    ///
    /// ```swift
    /// try CRSFacts("EPSG:3857").scaleFactors(at: Position(lon: 13.4, lat: 52)).areal  // 2.634
    /// try CRSFacts("EPSG:32644").scaleFactors(at: Position(lon: 81, lat: 50)).areal   // 0.9992
    /// ```
    public func scaleFactors(at position: Position) throws(GeoEngineError) -> ScaleFactors {
        try scaleFactors(at: [position])[0]
    }
}

/// How a map projection stretches the ground at one place (PROJ's `proj_factors`).
///
/// A CRS distorts areas by `arealDistortion` there: UTM near its central meridian shrinks them by
/// 0.08 % (areal scale 0.9992), Web Mercator at 52° N grows them 2.6-fold.
public struct ScaleFactors: Hashable, Sendable {
    /// Area on the map over area on the ellipsoid (PROJ's `areal_scale`); 1 for an equal-area projection.
    public var areal: Double
    /// Scale along the meridian, h (PROJ's `meridional_scale`).
    public var meridional: Double
    /// Scale along the parallel, k (PROJ's `parallel_scale`).
    public var parallel: Double

    /// Scale factors from their values.
    public init(areal: Double, meridional: Double, parallel: Double) {
        self.areal = areal
        self.meridional = meridional
        self.parallel = parallel
    }

    /// |areal − 1|: `0.01` means areas measured in this CRS come out 1 % too large or too small here.
    public var arealDistortion: Double { abs(areal - 1) }
}

/// The horizontal CRS of a definition, as a PROJ object on its own context.
///
/// **Not thread-safe**: made and dropped inside one call.
private final class HorizontalCRS {
    /// The context `pointer` was made on; released after it (see `deinit`).
    let context: PROJContext
    /// The `PJ*` of the CRS (the source of a bound CRS, the first part of a compound one), owned.
    let pointer: OpaquePointer

    init(_ definition: String, operation: String) throws(GeoEngineError) {
        let context = try PROJContext(operation)
        self.context = context
        context.beginCall()
        // Returns NULL on failure, with the reason in the log and proj_context_errno.
        guard var object = proj_create(context.pointer, definition) else {
            throw context.failure(operation, code: proj_context_errno(context.pointer))
        }
        // A bare PROJ string ("+proj=utm +zone=44") is an operation to PROJ; as a CRS it needs
        // +type=crs, which proj_create_crs_to_crs adds on its own, so this does too.
        if proj_is_crs(object) == 0, definition.contains("+proj="), !definition.contains("+type=crs"),
           let retried = proj_create(context.pointer, definition + " +type=crs") {
            proj_destroy(object)
            object = retried
        }
        // Returns 1 for a CRS, 0 otherwise.
        guard proj_is_crs(object) == 1 else {
            proj_destroy(object)
            throw GeoEngineError(operation: operation, messages: ["\(definition) is not a coordinate reference system"])
        }
        // At most a compound CRS of a bound one: two steps reach the horizontal CRS.
        for _ in 0..<2 {
            let part: OpaquePointer?
            switch proj_get_type(object) {
            // Both return NULL on failure (logged).
            case PJ_TYPE_BOUND_CRS: part = proj_get_source_crs(context.pointer, object)
            case PJ_TYPE_COMPOUND_CRS: part = proj_crs_get_sub_crs(context.pointer, object, 0)
            default: continue
            }
            proj_destroy(object)
            guard let part else { throw context.failure(operation, code: proj_context_errno(context.pointer)) }
            object = part
        }
        pointer = object
    }

    deinit {
        // Returns nothing and cannot fail. The context goes after this, when `context` is released.
        proj_destroy(pointer)
    }

    var kind: CRSFacts.Kind {
        switch proj_get_type(pointer) {
        case PJ_TYPE_PROJECTED_CRS: .projected
        case PJ_TYPE_GEOGRAPHIC_2D_CRS, PJ_TYPE_GEOGRAPHIC_3D_CRS, PJ_TYPE_GEOGRAPHIC_CRS: .geographic
        case PJ_TYPE_GEOCENTRIC_CRS: .geocentric
        default: .other
        }
    }

    var name: String {
        // Returns NULL when the object has no name; the string belongs to the object.
        proj_get_name(pointer).map { String(cString: $0) } ?? "unknown"
    }

    /// The first axis's unit name, and metres per unit when the coordinate system is not angular.
    func unit() throws(GeoEngineError) -> (name: String, metres: Double?) {
        let operation = "PROJ read the coordinate system of \(name)"
        context.beginCall()
        // Returns NULL on failure (logged); ours to destroy.
        guard let cs = proj_crs_get_coordinate_system(context.pointer, pointer) else {
            throw context.failure(operation, code: proj_context_errno(context.pointer))
        }
        defer { proj_destroy(cs) }
        var factor = 0.0
        var unitName: UnsafePointer<CChar>?
        // Returns 1 on success, 0 on failure (logged). The strings belong to `cs`.
        guard proj_cs_get_axis_info(context.pointer, cs, 0, nil, nil, nil, &factor, &unitName, nil, nil) == 1 else {
            throw context.failure(operation, code: proj_context_errno(context.pointer))
        }
        let name = unitName.map { String(cString: $0) } ?? "unknown"
        // Returns PJ_CS_TYPE_UNKNOWN on failure. Ellipsoidal axes (longitude, latitude) are angles,
        // whose factor is to radians; every other kind has lengths first.
        let isAngular = proj_cs_get_type(context.pointer, cs) == PJ_CS_TYPE_ELLIPSOIDAL
        return (name, isAngular ? nil : factor)
    }

    /// `proj_factors` at each position, on a copy of the CRS in metres when it is in another unit
    /// (PROJ 9.1 gives factors scaled by nonsense for a CRS in feet).
    func scaleFactors(at positions: [Position], _ operation: String) throws(GeoEngineError) -> [ScaleFactors] {
        context.beginCall()
        var metric: OpaquePointer?
        if try unit().metres != 1 {
            // Returns NULL on failure (logged); ours to destroy.
            metric = proj_crs_alter_cs_linear_unit(context.pointer, pointer, "metre", 1, "EPSG", "9001")
            guard metric != nil else { throw context.failure(operation, code: proj_context_errno(context.pointer)) }
        }
        defer { if let metric { proj_destroy(metric) } }
        let projection = metric ?? pointer
        let radians = Double.pi / 180
        var result: [ScaleFactors] = []
        result.reserveCapacity(positions.count)
        for (i, p) in positions.enumerated() {
            // Returns the previous errno; clears the error of the previous position.
            proj_errno_reset(projection)
            // Wants longitude and latitude in radians. Sets proj_errno (and logs) on failure,
            // returning zeros.
            let f = proj_factors(projection, proj_coord(p.x * radians, p.y * radians, 0, 0))
            let factors = ScaleFactors(areal: f.areal_scale, meridional: f.meridional_scale, parallel: f.parallel_scale)
            let code = proj_errno(projection)
            guard code == 0, [factors.areal, factors.meridional, factors.parallel].allSatisfy({ $0.isFinite && $0 > 0 })
            else {
                var error = context.failure(operation, code: code)
                error.messages.append("position \(i) (\(p.x), \(p.y)) has no scale factors")
                throw error
            }
            result.append(factors)
        }
        return result
    }
}
