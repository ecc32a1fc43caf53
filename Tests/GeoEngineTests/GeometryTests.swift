import GeoEngine
import GeoValues
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("GEOS geometry")
struct GeometryTests {
    let context: GeometryContext

    init() throws {
        context = try GeometryContext()
    }

    // MARK: Measures

    @Test("a 100×100 square has area 10000 and perimeter 400")
    func squareArea() throws {
        let h = try context.make(square(x: 0, y: 0, side: 100))
        #expect(try h.area == 10_000)
        #expect(try h.length == 400)
        #expect(try h.boundingBox == BoundingBox(minX: 0, minY: 0, maxX: 100, maxY: 100))
    }

    @Test("a hole of 20×20 leaves 9600; the perimeter counts both rings")
    func squareWithHole() throws {
        let hole = squareRing(x: 40, y: 40, side: 20).reversed()
        let h = try context.make(.polygon(Polygon(
            outerRing: squareRing(x: 0, y: 0, side: 100), innerRings: [Array(hole)])))
        #expect(try h.area == 9_600)
        #expect(try h.length == 480)
        #expect(try h.validity() == .valid)
    }

    // MARK: Buffer

    @Test("a point buffered by 100 with 16 quadrant segments is the regular 64-gon")
    func pointBufferIs64gon() throws {
        let centre = Position(x: 500_000, y: 5_500_000)
        let reach = try context.point(centre).buffer(100, quadrantSegments: 16)
        let expected = regularPolygonArea(sides: 64, radius: 100)  // ≈ 31365.484905
        let area = try reach.area
        #expect(isClose(area, expected, relative: 1e-6), "area \(area) vs \(expected)")
        #expect(abs(expected - 31_365.484905) < 1e-5)

        let value = try reach.geometry()
        guard case .polygon(let polygon) = value else {
            Issue.record("the buffer of a point is not a Polygon: \(value)")
            return
        }
        #expect(polygon.outerRing.count == 65, "64 vertices plus the closing one")
        #expect(polygon.innerRings.isEmpty)
        for p in polygon.outerRing {
            let r = ((p.x - centre.x) * (p.x - centre.x) + (p.y - centre.y) * (p.y - centre.y)).squareRoot()
            #expect(abs(r - 100) < 1e-6, "vertex \(p) is \(r) from the centre")
        }
    }

    @Test("a square buffered by 10 gains 4 sides of 100×10 and four 16-segment quarter circles")
    func squareBuffer() throws {
        let h = try context.make(square(x: 0, y: 0, side: 100))
        let grown = try h.buffer(10)
        // The four corner fans together make one regular 64-gon of radius 10.
        let expected = 10_000 + 4 * 100 * 10 + regularPolygonArea(sides: 64, radius: 10)
        let area = try grown.area
        #expect(isClose(area, expected, relative: 1e-9), "\(area) vs \(expected)")
        // Inward, the corners stay sharp: an 80×80 square.
        #expect(try isClose(h.buffer(-10).area, 6_400, relative: 1e-12))
    }

    // MARK: Union, intersection, difference

    @Test("two overlapping reaches: union = 2·A64 − lens, and within the circle bound")
    func unionOfTwoReaches() throws {
        let r = 100.0, d = 100.0
        let a = try context.point(Position(x: 0, y: 0)).buffer(r)
        let b = try context.point(Position(x: d, y: 0)).buffer(r)
        let union = try context.union([a, b])
        let unionArea = try union.area

        // Exact for the polygons: intersection of the two convex 64-gons by Sutherland–Hodgman,
        // computed here without GEOS.
        guard case .polygon(let pa) = try a.geometry(), case .polygon(let pb) = try b.geometry() else {
            Issue.record("buffers are not polygons")
            return
        }
        let lens = abs(signedArea(clipConvex(pa.outerRing, by: pb.outerRing)))
        let a64 = regularPolygonArea(sides: 64, radius: r)
        #expect(isClose(unionArea, 2 * a64 - lens, relative: 1e-9), "\(unionArea) vs \(2 * a64 - lens)")

        // Against circles: the 64-gons lie inside their circles, so the union of polygons is at most the
        // union of circles and misses at most the two circle-minus-polygon slivers (2·(πr² − A64) ≈ 101).
        let circleLens = 2 * r * r * acos(d / (2 * r)) - (d / 2) * (4 * r * r - d * d).squareRoot()
        let circleUnion = 2 * Double.pi * r * r - circleLens  // ≈ 50548.15
        #expect(unionArea <= circleUnion)
        #expect(unionArea >= circleUnion - 2 * (Double.pi * r * r - a64))
        // The handles the caller kept were cloned into the union, not taken.
        #expect(try isClose(a.area, a64, relative: 1e-9))
    }

    @Test("union of many handles leaves every handle valid; disjoint areas add up")
    func unionOfMany() throws {
        var parts: [GeometryHandle] = []
        for i in 0..<10 {
            parts.append(try context.make(square(x: Double(i) * 20, y: 0, side: 10)))
        }
        let kept = parts[3]
        // Every part is cloned into the collection, including those held nowhere else.
        let union = try context.union(parts)
        #expect(try union.area == 1_000)
        #expect(try kept.area == 100, "a handle still held elsewhere stays valid")
        #expect(try union.geometry().polygons.count == 10)

        // Touching squares dissolve into one rectangle.
        var row: [GeometryHandle] = []
        for i in 0..<5 { row.append(try context.make(square(x: Double(i) * 10, y: 0, side: 10))) }
        let strip = try context.union(row)
        #expect(try strip.area == 500)
        #expect(try strip.geometry().polygons.count == 1)

        let nothing = try context.union([])
        #expect(try nothing.isEmpty)
    }

    @Test("intersection and difference of overlapping rectangles")
    func intersectionAndDifference() throws {
        let a = try context.rectangle(BoundingBox(minX: 0, minY: 0, maxX: 10, maxY: 10))
        let b = try context.rectangle(BoundingBox(minX: 5, minY: 5, maxX: 15, maxY: 15))
        #expect(try a.intersection(b).area == 25)
        #expect(try a.difference(b).area == 75)
        #expect(try a.union(b).area == 175)
        #expect(try a.intersection(b).boundingBox == BoundingBox(minX: 5, minY: 5, maxX: 10, maxY: 10))

        let far = try context.rectangle(BoundingBox(minX: 20, minY: 20, maxX: 30, maxY: 30))
        let empty = try a.intersection(far)
        #expect(try empty.isEmpty)
        #expect(try empty.area == 0)
        #expect(try empty.boundingBox == nil)
        #expect(try empty.geometry() == .multiPolygon([]))
    }

    @Test("clip by rectangle keeps the part inside")
    func clipByRect() throws {
        let h = try context.make(square(x: 0, y: 0, side: 100))
        let clipped = try h.clip(to: BoundingBox(minX: 50, minY: -10, maxX: 150, maxY: 50))
        #expect(try clipped.area == 2_500)
        #expect(try clipped.boundingBox == BoundingBox(minX: 50, minY: 0, maxX: 100, maxY: 50))
        let outside = try h.clip(to: BoundingBox(minX: 200, minY: 200, maxX: 300, maxY: 300))
        #expect(try outside.isEmpty)
    }

    // MARK: Distance and predicates

    @Test("distance from a point to a square: 50 from the corner, 0 inside, 30 from a side")
    func distance() throws {
        let h = try context.make(square(x: 0, y: 0, side: 100))
        #expect(try h.distance(to: context.point(Position(x: 130, y: 140))) == 50)
        #expect(try h.distance(to: context.point(Position(x: 50, y: 50))) == 0)
        #expect(try context.point(Position(x: 50, y: -30)).distance(to: h) == 30)
    }

    @Test("intersects, contains and covers on the boundary")
    func predicates() throws {
        let h = try context.make(square(x: 0, y: 0, side: 100))
        let edge = try context.point(Position(x: 100, y: 50))
        let inside = try context.point(Position(x: 50, y: 50))
        let outside = try context.point(Position(x: 150, y: 50))
        #expect(try h.intersects(edge))
        #expect(try h.covers(edge))
        #expect(try !h.contains(edge))
        #expect(try h.contains(inside))
        #expect(try !h.intersects(outside))
    }

    @Test("prepared covers a boundary point but does not contain it")
    func preparedPredicates() throws {
        let prepared = try context.make(square(x: 0, y: 0, side: 100)).prepared()
        let boundary = Position(x: 100, y: 50)
        #expect(try prepared.covers(boundary))
        #expect(try !prepared.contains(boundary))
        #expect(try prepared.intersects(boundary))
        #expect(try prepared.contains(Position(x: 50, y: 50)))
        #expect(try !prepared.covers(Position(x: 100.000001, y: 50)))

        let touching = try context.make(square(x: 90, y: 10, side: 10))  // shares the edge x = 100
        let inner = try context.make(square(x: 10, y: 10, side: 10))
        #expect(try prepared.covers(touching))
        #expect(try prepared.contains(touching))
        #expect(try !prepared.containsProperly(touching))
        #expect(try prepared.containsProperly(inner))
        #expect(try prepared.intersects(context.make(square(x: 100, y: 100, side: 5))), "corner touch")
    }

    // MARK: Validity

    @Test("a bow-tie is a self-intersection at (5, 5); makeValid splits it into two triangles")
    func bowTie() throws {
        let ring = [Position(x: 0, y: 0), Position(x: 10, y: 10), Position(x: 10, y: 0),
                    Position(x: 0, y: 10), Position(x: 0, y: 0)]
        let h = try context.make(.polygon(Polygon(outerRing: ring)))
        let validity = try h.validity()
        #expect(validity == .invalid(reason: "Self-intersection", location: Position(x: 5, y: 5)),
                "got \(validity)")
        #expect(!validity.isValid)

        let repaired = try h.makeValid()
        #expect(try repaired.validity() == .valid)
        #expect(try repaired.area == 50, "two triangles of 25")
        #expect(try repaired.geometry().polygons.count == 2)
    }

    @Test("a hole outside its shell is reported")
    func holeOutsideShell() throws {
        let h = try context.make(.polygon(Polygon(
            outerRing: squareRing(x: 0, y: 0, side: 10),
            innerRings: [squareRing(x: 20, y: 20, side: 5)])))
        guard case .invalid(let reason, let location) = try h.validity() else {
            Issue.record("a hole outside the shell was accepted")
            return
        }
        #expect(reason == "Hole lies outside shell")
        #expect(location == Position(x: 20, y: 20))
    }

    // MARK: Values in and out

    @Test("Geometry → handle → Geometry keeps every coordinate", arguments: [
        Geometry.point(Position(x: 82.6101234, y: 49.9512345)),
        .multiPoint([Position(x: 1, y: 2), Position(x: 3, y: 4)]),
        .lineString([Position(x: 0, y: 0), Position(x: 1.5, y: 2.25), Position(x: -3, y: 7)]),
        .multiLineString([[Position(x: 0, y: 0), Position(x: 1, y: 1)],
                          [Position(x: 5, y: 5), Position(x: 6, y: 5), Position(x: 6, y: 6)]]),
        .polygon(Polygon(outerRing: squareRing(x: 0.1, y: 0.2, side: 100),
                         innerRings: [Array(squareRing(x: 10, y: 10, side: 5).reversed())])),
        .multiPolygon([Polygon(outerRing: squareRing(x: 0, y: 0, side: 1)),
                       Polygon(outerRing: squareRing(x: 5, y: 5, side: 2))]),
        .geometryCollection([.point(Position(x: 1, y: 1)),
                             .lineString([Position(x: 0, y: 0), Position(x: 9, y: 9)])]),
    ])
    func roundTrip(_ geometry: Geometry) throws {
        #expect(try context.make(geometry).geometry() == geometry)
    }

    @Test("collection picks the multi type when all parts agree")
    func collectionTypes() throws {
        let points = try context.collection([context.point(Position(x: 0, y: 0)),
                                             context.point(Position(x: 1, y: 1))])
        #expect(try points.geometry() == .multiPoint([Position(x: 0, y: 0), Position(x: 1, y: 1)]))
        let polygons = try context.collection([context.make(square(x: 0, y: 0, side: 1)),
                                               context.make(square(x: 2, y: 0, side: 1))])
        #expect(try polygons.geometry().typeName == "MultiPolygon")
        #expect(try polygons.area == 2)
        let mixed = try context.collection([context.point(Position(x: 0, y: 0)),
                                            context.make(square(x: 2, y: 0, side: 1))])
        #expect(try mixed.geometry().typeName == "GeometryCollection")
    }

    @Test("malformed values are refused with a reason before GEOS sees them")
    func refusedValues() throws {
        let open = [Position(x: 0, y: 0), Position(x: 1, y: 0), Position(x: 1, y: 1), Position(x: 0, y: 1)]
        let error = #expect(throws: GeoEngineError.self) {
            try context.make(.polygon(Polygon(outerRing: open)))
        }
        #expect(error?.description.contains("outer ring is not closed") == true, "\(String(describing: error))")

        let short = #expect(throws: GeoEngineError.self) {
            try context.make(.polygon(Polygon(outerRing: [Position(x: 0, y: 0), Position(x: 1, y: 0),
                                                         Position(x: 0, y: 0)])))
        }
        #expect(short?.messages == ["outer ring has 3 positions; a ring needs at least 4"])

        // The first polygon is built before the second fails; it must be freed, not leaked.
        let second = #expect(throws: GeoEngineError.self) {
            try context.make(.multiPolygon([Polygon(outerRing: squareRing(x: 0, y: 0, side: 1)),
                                            Polygon(outerRing: squareRing(x: 5, y: 5, side: 1),
                                                    innerRings: [open])]))
        }
        #expect(second?.messages == ["inner ring 0 is not closed: its first and last positions differ"])

        let notFinite = #expect(throws: GeoEngineError.self) {
            try context.make(.lineString([Position(x: 0, y: 0), Position(x: .nan, y: 1)]))
        }
        #expect(notFinite?.description.contains("position 1 is not finite") == true)
    }

    @Test("handles of different contexts cannot be combined")
    func crossContext() throws {
        let other = try GeometryContext()
        let a = try context.make(square(x: 0, y: 0, side: 10))
        let b = try other.make(square(x: 5, y: 5, side: 10))
        let error = #expect(throws: GeoEngineError.self) { try a.intersection(b) }
        #expect(error?.description == "GEOS intersection failed: the geometries belong to different GeometryContexts")
    }

    @Test("pointOnSurface lies inside an L shape whose box centre is outside")
    func pointOnSurface() throws {
        let l = Geometry.polygon(Polygon(outerRing: [
            Position(x: 0, y: 0), Position(x: 100, y: 0), Position(x: 100, y: 10),
            Position(x: 10, y: 10), Position(x: 10, y: 100), Position(x: 0, y: 100), Position(x: 0, y: 0),
        ]))
        let h = try context.make(l)
        let prepared = try h.prepared()
        #expect(try !prepared.covers(Position(x: 50, y: 50)), "the box centre is outside")
        let p = try #require(try h.pointOnSurface())
        #expect(try prepared.contains(p), "\(p) is not inside")
        #expect(try context.make(.multiPolygon([])).pointOnSurface() == nil)
    }

    @Test("simplify drops a 0.1 wiggle at tolerance 1 and keeps the square's corners")
    func simplify() throws {
        let wiggly = Geometry.polygon(Polygon(outerRing: [
            Position(x: 0, y: 0), Position(x: 50, y: 0.1), Position(x: 100, y: 0), Position(x: 100, y: 100),
            Position(x: 50, y: 99.9), Position(x: 0, y: 100), Position(x: 0, y: 0),
        ]))
        let simple = try context.make(wiggly).simplified(tolerance: 1)
        #expect(try simple.geometry().allPositions.count == 5)
        #expect(try simple.area == 10_000)
    }
}
