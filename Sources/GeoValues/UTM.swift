#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The UTM zone rule of DESIGN §5: the metric CRS civic uses by default.
///
/// zone = floor((lon + 180) / 6) + 1, clamped to 1...60 (so 180° is zone 60);
/// EPSG 326zz north of the equator (latitude 0 included), 327zz south. The Norway and Svalbard
/// exceptions of the military grid are deliberately not applied.
///
/// ```swift
/// UTM.epsg(longitude: 82.6, latitude: 49.95)  // 32644, Oskemen
/// ```
public enum UTM {
    /// The zone number, 1...60, for a longitude in degrees.
    public static func zone(longitude: Double) -> Int {
        let zone = Int(((longitude + 180) / 6).rounded(.down)) + 1
        return min(max(zone, 1), 60)
    }

    /// The EPSG code of the WGS84 UTM zone holding the position: 32601...32660 or 32701...32760.
    public static func epsg(longitude: Double, latitude: Double) -> Int {
        (latitude >= 0 ? 32600 : 32700) + zone(longitude: longitude)
    }

    /// The EPSG code for the centre of a WGS84 bounding box (e.g. of a city's districts).
    public static func epsg(for box: BoundingBox) -> Int {
        let centre = box.center
        return epsg(longitude: centre.x, latitude: centre.y)
    }
}

/// Distances on the sphere, for quick checks in WGS84 ("within 100 m", "1 km outside").
public enum Geodesy {
    /// The mean Earth radius (IUGG R1), in metres.
    public static let earthRadius = 6_371_008.8

    /// The great-circle (haversine) distance in metres between two WGS84 positions (lon, lat in
    /// degrees). Within about 0.5 % of the ellipsoidal distance: 1° of latitude is 111 195 m here.
    public static func distanceMetres(_ a: Position, _ b: Position) -> Double {
        let radians = Double.pi / 180
        let φ1 = a.y * radians, φ2 = b.y * radians
        let Δφ = (b.y - a.y) * radians, Δλ = (b.x - a.x) * radians
        let h = sin(Δφ / 2) * sin(Δφ / 2) + cos(φ1) * cos(φ2) * sin(Δλ / 2) * sin(Δλ / 2)
        return 2 * earthRadius * asin(min(1, h.squareRoot()))
    }
}
