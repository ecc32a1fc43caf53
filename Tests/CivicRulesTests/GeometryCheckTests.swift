import CivicCore
import CivicRules
import GeoValues
import Testing

@Suite("Geometry checks: GEOS validity, added to the model's structural parse")
struct GeometryCheckTests {
    let bowTie = Polygon(outerRing: [Position(x: 0, y: 0), Position(x: 1, y: 1), Position(x: 1, y: 0), Position(x: 0, y: 1), Position(x: 0, y: 0)])
    let square = Polygon(outerRing: [Position(x: 0, y: 0), Position(x: 1, y: 0), Position(x: 1, y: 1), Position(x: 0, y: 1), Position(x: 0, y: 0)])

    @Test("a ring crossing itself is reported where it crosses")
    func bowTieCrossing() throws {
        // The diagonals of the unit square cross at its centre.
        let problem = try #require(try GeometryCheck.problem(in: .polygon(bowTie)))
        #expect(GeometryCheck.describe(problem) == "self-intersection at lon 0.5, lat 0.5")
        #expect(try GeometryCheck.problem(in: .polygon(square)) == nil)
        #expect(try GeometryCheck.problem(in: .point(Position(x: 0, y: 0))) == nil)
    }

    @Test("the model parses a bow-tie without GEOS; requireValid refuses it on the feature's geometry field")
    func modelParsesThenRulesRefuse() throws {
        let feature = Feature(id: .number("4"), properties: JSONObject([("kind", .string("venue")), ("name", .string("Бант")),
                                                                      ("themes", .array([.string("culture")]))]),
                              geometry: .polygon(bowTie), line: 3)
        let entity = try Entity(feature: feature, index: 2, file: "entities.geojson")
        #expect(entity.geometry == .polygon(bowTie))
        do {
            try GeometryCheck.requireValid(entity.geometry, file: "entities.geojson", line: feature.line,
                                           place: Feature.place(index: 2, id: feature.id))
            Issue.record("a self-intersecting polygon was accepted")
        } catch {
            #expect((error as? CivicError)?.description == "entities.geojson:3: features[2] (id 4): geometry: self-intersection at lon 0.5, lat 0.5")
        }
        try GeometryCheck.requireValid(.polygon(square), file: "entities.geojson", line: 1, place: "features[0]")
    }
}
