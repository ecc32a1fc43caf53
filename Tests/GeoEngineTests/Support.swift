import GeoEngine
import GeoValues
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// WGS84's eccentricity squared, for the closed forms the tests check PROJ against.
let wgs84E2 = (1 / 298.257_223_563) * (2 - 1 / 298.257_223_563)

/// A closed axis-aligned square ring, counter-clockwise.
func squareRing(x: Double, y: Double, side: Double) -> [Position] {
    [Position(x: x, y: y), Position(x: x + side, y: y), Position(x: x + side, y: y + side),
     Position(x: x, y: y + side), Position(x: x, y: y)]
}

/// The axis-aligned square as a polygon.
func square(x: Double, y: Double, side: Double) -> Geometry {
    .polygon(Polygon(outerRing: squareRing(x: x, y: y, side: side)))
}

/// The area of a regular n-gon inscribed in a circle of radius r: ½·n·r²·sin(2π/n).
func regularPolygonArea(sides n: Int, radius r: Double) -> Double {
    0.5 * Double(n) * r * r * sin(2 * Double.pi / Double(n))
}

/// The signed shoelace area of a ring (positive when counter-clockwise), computed in the test,
/// independently of GEOS.
func signedArea(_ ring: [Position]) -> Double {
    var sum = 0.0
    for i in 0..<(ring.count - 1) {
        sum += ring[i].x * ring[i + 1].y - ring[i + 1].x * ring[i].y
    }
    return sum / 2
}

/// Sutherland–Hodgman: the part of `subject` inside the convex ring `clip` (both closed rings).
/// An independent way to get the intersection of two convex polygons.
func clipConvex(_ subject: [Position], by clip: [Position]) -> [Position] {
    let orientation: Double = signedArea(clip) > 0 ? 1 : -1
    func inside(_ p: Position, _ a: Position, _ b: Position) -> Bool {
        orientation * ((b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x)) >= 0
    }
    func crossing(_ p: Position, _ q: Position, _ a: Position, _ b: Position) -> Position {
        let d = (p.x - q.x) * (a.y - b.y) - (p.y - q.y) * (a.x - b.x)
        let t = ((p.x - a.x) * (a.y - b.y) - (p.y - a.y) * (a.x - b.x)) / d
        return Position(x: p.x + t * (q.x - p.x), y: p.y + t * (q.y - p.y))
    }
    var output = Array(subject.dropLast())
    for i in 0..<(clip.count - 1) {
        let a = clip[i], b = clip[i + 1]
        let input = output
        output = []
        guard let last = input.last else { break }
        var previous = last
        for current in input {
            if inside(current, a, b) {
                if !inside(previous, a, b) { output.append(crossing(previous, current, a, b)) }
                output.append(current)
            } else if inside(previous, a, b) {
                output.append(crossing(previous, current, a, b))
            }
            previous = current
        }
    }
    guard let first = output.first else { return [] }
    return output + [first]
}

/// Relative closeness, for values computed two different ways.
func isClose(_ a: Double, _ b: Double, relative: Double) -> Bool {
    abs(a - b) <= relative * max(abs(a), abs(b))
}
