import GeoValues
import Testing

@Suite("Ring math: one signed area, one rewinder")
struct RingTests {
    let ccw = [Position(x: 0, y: 0), Position(x: 2, y: 0), Position(x: 2, y: 2), Position(x: 0, y: 2), Position(x: 0, y: 0)]

    @Test("the signed area is positive counter-clockwise, negative clockwise, the same open or closed")
    func signedArea() {
        #expect(Ring.signedArea(ccw) == 4)
        #expect(Ring.signedArea(ccw.reversed()) == -4)
        #expect(Ring.signedArea(Array(ccw.dropLast())) == 4)
        #expect(Ring.signedArea(Array(ccw.prefix(2))) == 0)
    }

    @Test("large coordinates do not swamp a small ring: a 1 m square at UTM eastings")
    func largeCoordinates() {
        let x = 690_123.0, y = 5_535_456.0
        let square = [Position(x: x, y: y), Position(x: x + 1, y: y), Position(x: x + 1, y: y + 1),
                      Position(x: x, y: y + 1), Position(x: x, y: y)]
        #expect(Ring.signedArea(square) == 1)
    }

    @Test("rightHanded winds the outer ring counter-clockwise and holes clockwise, and keeps the area")
    func rightHanded() {
        let hole = [Position(x: 0.5, y: 0.5), Position(x: 1, y: 0.5), Position(x: 1, y: 1), Position(x: 0.5, y: 0.5)]
        let backwards = Polygon(outerRing: ccw.reversed(), innerRings: [hole])
        let fixed = backwards.rightHanded
        #expect(Ring.signedArea(fixed.outerRing) > 0)
        #expect(Ring.signedArea(fixed.innerRings[0]) < 0)
        #expect(fixed.outerRing == ccw)
        #expect(fixed.rightHanded == fixed)
        #expect(fixed.planarArea == 4 - 0.125)
        #expect(Geometry.multiPolygon([backwards]).rightHanded == .multiPolygon([fixed]))
    }
}
