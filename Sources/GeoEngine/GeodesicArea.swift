import CPROJ
import GeoValues

// Areas on the WGS84 ellipsoid, by Karney's algorithm in PROJ's geodesic.h: the yardstick that
// areas measured in a projected CRS are checked against ("within 0.2 % of the geodesic area").

extension Geodesy {
    /// The area in m² on the WGS84 ellipsoid of a polygon given in longitude, latitude degrees:
    /// the outer ring's area minus its holes', each ring read as a closed polygon of geodesics
    /// (`geod_polygonarea`), whatever its winding.
    ///
    /// Exact to well under a square metre for a city district; a 1° × 1° cell from the equator
    /// holds 12,308,778,361 m². Rings must cover less than half the Earth (winding decides which
    /// side is inside beyond that). A non-finite coordinate gives NaN.
    ///
    /// ```swift
    /// let cell = Polygon(outerRing: [Position(lon: 0, lat: 0), Position(lon: 1, lat: 0),
    ///                               Position(lon: 1, lat: 1), Position(lon: 0, lat: 1),
    ///                               Position(lon: 0, lat: 0)])
    /// Geodesy.ellipsoidalArea(of: cell)  // 12_308_778_361.47
    /// ```
    public static func ellipsoidalArea(of polygon: Polygon) -> Double {
        var geodesic = geod_geodesic()
        // Fills the struct from the semi-major axis (m) and flattening; cannot fail.
        geod_init(&geodesic, 6_378_137, 1 / 298.257_223_563)
        var area = abs(ringArea(polygon.outerRing, &geodesic))
        for hole in polygon.innerRings { area -= abs(ringArea(hole, &geodesic)) }
        return area
    }

    /// The total area in m² on the WGS84 ellipsoid of the polygons of a Polygon or MultiPolygon
    /// (see ``ellipsoidalArea(of:)-(Polygon)``); 0 for points and lines.
    public static func ellipsoidalArea(of geometry: Geometry) -> Double {
        switch geometry {
        case .geometryCollection(let parts): parts.reduce(0) { $0 + ellipsoidalArea(of: $1) }
        default: geometry.polygons.reduce(0) { $0 + ellipsoidalArea(of: $1) }
        }
    }

    /// The signed area of one ring (counter-clockwise positive); the closing position is left out,
    /// since geod_polygonarea closes the ring itself.
    private static func ringArea(_ ring: [Position], _ geodesic: inout geod_geodesic) -> Double {
        let open = ring.count > 1 && ring.first == ring.last ? ring.dropLast() : ring[...]
        guard open.count >= 3 else { return 0 }
        var lats = open.map(\.y)
        var lons = open.map(\.x)
        var area = 0.0, perimeter = 0.0
        // Reads n latitudes and longitudes in degrees; cannot fail (NaN in, NaN out).
        geod_polygonarea(&geodesic, &lats, &lons, Int32(open.count), &area, &perimeter)
        return area
    }
}
