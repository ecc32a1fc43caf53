import CivicTestSupport
import Foundation
import GeoEngine
import GeoValues
import Testing
@testable import CivicAnalysis

@Suite("Reach: the 64-gon of a point")
struct ReachTests {
    @Test("the vertices are exactly those GEOS's buffer makes", arguments: [
        (Position(x: 0, y: 0), 500.0),
        (Position(x: 512_345.678, y: 5_530_987.654), 500.0),
        (Position(x: -73.25, y: 1e6 + 0.125), 123.4),
    ])
    func sameVerticesAsGEOS(centre: Position, radius: Double) throws {
        let context = try GeometryContext()
        let buffered = try context.make(.point(centre)).buffer(radius, quadrantSegments: 16).geometry()
        guard case .polygon(let polygon) = buffered else {
            Issue.record("GEOS buffered a point into \(buffered.typeName), not a Polygon")
            return
        }
        let ours = Reach.ring(around: centre, radius: radius)
        #expect(ours.count == 65 && ours.first == ours.last, "a closed ring of 64 vertices")
        #expect(polygon.outerRing.count == 65, "GEOS made \(polygon.outerRing.count - 1) vertices")
        let theirs = Set(polygon.outerRing)
        let missing = Set(ours).subtracting(theirs)
        #expect(missing.isEmpty, "vertices GEOS does not have (bit for bit): \(missing.prefix(3))")
    }

    @Test("its area is 0.5 · 64 · r² · sin(2π/64), as GEOS measures it")
    func area() throws {
        let context = try GeometryContext()
        let geos = try context.make(.point(Position(x: 1000, y: 2000))).buffer(500, quadrantSegments: 16).area
        #expect(close(Reach.area(radius: 500), reachArea(500), 1e-9))
        #expect(close(geos, reachArea(500), 1e-6), "GEOS: \(geos), by hand: \(reachArea(500))")
    }

    @Test("a square within r·cos(π/64) of the centre lies inside the 64-gon")
    func inscribedCircle() throws {
        let r = 500.0
        let inscribed = Reach.inscribedRadius(r)
        #expect(close(inscribed, r * cos(Double.pi / 64), 1e-12))
        let context = try GeometryContext()
        let reach = try context.make(.polygon(Polygon(outerRing: Reach.ring(around: Position(x: 0, y: 0), radius: r))))
        let half = inscribed / 2.0.squareRoot() * (1 - 1e-9)
        let square = try context.rectangle(BoundingBox(minX: -half, minY: -half, maxX: half, maxY: half))
        #expect(try reach.covers(square))
    }

    @Test("clipping a convex ring to a box keeps exactly its part inside")
    func clipping() throws {
        var clipper = RingClipper()
        let ring = Reach.offsets(radius: 500)
        let box = BoundingBox(minX: 100, minY: -50, maxX: 700, maxY: 300)
        let clipped = clipper.clip(ring, offsetBy: Position(x: 0, y: 0), to: box)
        let context = try GeometryContext()
        let closed = ring + [ring[0]]
        let expected = try context.make(.polygon(Polygon(outerRing: closed))).intersection(context.rectangle(box)).area
        #expect(close(abs(Ring.signedArea(clipped)), expected, 1e-6))
        #expect(clipper.clip(ring, offsetBy: Position(x: 2000, y: 0), to: box).isEmpty, "a disk outside the box")
    }

    @Test("a concave ring with a hole, clipped ring by ring, measures its part inside exactly")
    func concaveArea() throws {
        // A U shape with a hole in its base: clipping runs along the box edge, the area stays right.
        let outer = [Position(x: 0, y: 0), Position(x: 30, y: 0), Position(x: 30, y: 30), Position(x: 20, y: 30),
                     Position(x: 20, y: 10), Position(x: 10, y: 10), Position(x: 10, y: 30), Position(x: 0, y: 30)]
        let hole = [Position(x: 2, y: 2), Position(x: 2, y: 6), Position(x: 8, y: 6), Position(x: 8, y: 2)]
        let box = BoundingBox(minX: 5, minY: 4, maxX: 25, maxY: 40)
        var clipper = RingClipper()
        let area = Ring.signedArea(clipper.clip(outer, to: box)) + Ring.signedArea(clipper.clip(hole, to: box))
        let context = try GeometryContext()
        let polygon = Polygon(outerRing: outer + [outer[0]], innerRings: [hole + [hole[0]]])
        let expected = try context.make(.polygon(polygon)).intersection(context.rectangle(box)).area
        #expect(close(area, expected, 1e-9), "clipped rings: \(area), GEOS: \(expected)")
    }
}
