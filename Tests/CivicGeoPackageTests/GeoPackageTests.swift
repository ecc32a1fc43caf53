@testable import CivicGeoPackage
import CivicCore
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import GeoValues
import Testing

private let square = Polygon(outerRing: [Position(x: 82.60, y: 49.94), Position(x: 82.62, y: 49.94),
                                         Position(x: 82.62, y: 49.96), Position(x: 82.60, y: 49.96),
                                         Position(x: 82.60, y: 49.94)])

@Suite("GeoPackageBinary")
struct GeoPackageBinaryTests {
    @Test func pointHasTheStandardHeaderEnvelopeAndLittleEndianWKB() {
        let blob = GeoPackageBinary.blob(.point(Position(x: 82.6221, y: 49.9556)), srsID: 4326)
        #expect(Array(blob[0..<4]) == [0x47, 0x50, 0x00, 0x03], "GP, version 0, little-endian with an xy envelope")
        #expect(Array(blob[4..<8]) == [0xE6, 0x10, 0x00, 0x00], "SRS 4326, little-endian")
        #expect(blob.count == 8 + 32 + 21)
        let doubles = (0..<4).map { i in Double(bitPattern: blob[(8 + 8 * i)..<(16 + 8 * i)].reversed().reduce(0) { $0 << 8 | UInt64($1) }) }
        #expect(doubles == [82.6221, 82.6221, 49.9556, 49.9556], "[minx, maxx, miny, maxy]")
        #expect(Array(blob[40..<45]) == [0x01, 0x01, 0x00, 0x00, 0x00], "WKB little-endian Point")
    }

    @Test func multiPolygonCountsItsPartsRingsAndPositions() {
        let blob = GeoPackageBinary.blob(.multiPolygon([square, square]), srsID: 4326)
        let wkb = Array(blob[40...])
        #expect(Array(wkb[0..<9]) == [0x01, 0x06, 0, 0, 0, 0x02, 0, 0, 0], "MultiPolygon of 2")
        #expect(wkb.count == 9 + 2 * (9 + 4 + 5 * 16))
    }
}

@Suite("GeoPackage layers")
struct GeoPackageLayerTests {
    @Test func propertiesBecomeFlatColumnsAShapefileCanHold() {
        let feature = Feature(id: .number(7), properties: JSONObject([
            ("name", .string("Өнер орталығы")),
            ("names", .object(JSONObject([("kk", .string("Өнер орталығы")), ("ru", .string("Центр искусств"))]))),
            ("themes", .array([.string("culture"), .string("education")])),
            ("covered_share", .number("0.25")),
            ("Name", .string("clash")),
            ("geom", .string("a property named like the geometry column")),
        ]), geometry: .point(Position(x: 82.6, y: 49.9)))
        let other = Feature(id: .number(8), properties: JSONObject([("covered_share", .number("1"))]), geometry: nil)
        let table = FlatTable([feature, other])
        #expect(table.columns == [
            Column(name: "id", kind: .integer), Column(name: "name", kind: .text), Column(name: "name_kk", kind: .text),
            Column(name: "name_ru", kind: .text), Column(name: "themes", kind: .text),
            Column(name: "covered_share", kind: .real), Column(name: "Name_2", kind: .text), Column(name: "geom_2", kind: .text),
        ])
        #expect(table.rows[0][4] == .string("culture;education"))
        #expect(table.rows[1] == [.number("8"), .null, .null, .null, .null, .number("1"), .null, .null])
        #expect(FlatTable.bound(.number("1"), as: .real) == .real(1))
    }

    @Test func aPolygonIsStoredAsAMultiPolygonAndALineIsRefused() throws {
        let layer = GeoPackageLayer(name: "districts", geometryType: .multiPolygon, features: [])
        #expect(try layer.stored(Feature(geometry: .polygon(square))) == .multiPolygon([square]))
        #expect(throws: GeoPackageError.geometryType(layer: "districts", feature: "3", found: "LineString", expected: "MULTIPOLYGON")) {
            try layer.stored(Feature(id: .number(3), geometry: .lineString(square.outerRing)))
        }
        let split = try GeoPackageLayer.byGeometryType(
            [Feature(geometry: .point(square.outerRing[0])), Feature(geometry: .polygon(square)),
             Feature(geometry: .multiPolygon([square]))], prefix: "entities")
        #expect(split.map(\.name) == ["entities_points", "entities_areas"])
        #expect(split.map(\.features.count) == [1, 2])
    }

    @Test func theFileIsAGeoPackage13() throws {
        let layers = try GeoPackageLayer.byGeometryType([Feature(id: .number(1), geometry: .point(square.outerRing[0]))],
                                                        prefix: "entities", pointStyle: CivicStyles.entityPoints)
        let bytes = try GeoPackage.bytes(layers: layers, time: "2026-11-28T04:00:00.000Z")
        #expect(Array(bytes[0..<16]) == Array("SQLite format 3\0".utf8))
        // SQLite's header keeps user_version at offset 60 and application_id at 68, big-endian.
        let integer = { (offset: Int) in bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) } }
        #expect(integer(68) == 0x4750_4B47, "application_id 'GPKG'")
        #expect(integer(60) == 10300, "user_version: GeoPackage 1.3")
    }
}

@Suite("layer styles")
struct LayerStyleTests {
    @Test(arguments: [CivicStyles.coverage, CivicStyles.districts, CivicStyles.gaps, CivicStyles.entityPoints,
                      CivicStyles.entityAreas])
    func qmlAndSLDAreWellFormedXML(style: LayerStyle) throws {
        let qml = try XMLDocument(xmlString: style.qml)
        #expect(qml.rootElement()?.name == "qgis")
        let sld = try XMLDocument(xmlString: style.sld)
        #expect(sld.rootElement()?.name == "StyledLayerDescriptor")
    }

    @Test func coverageIsGraduatedByCoveredShareInFiveClassesOfTheMap() throws {
        let qml = try XMLDocument(xmlString: CivicStyles.coverage.qml)
        let renderer = try #require(try qml.nodes(forXPath: "/qgis/renderer-v2").first as? XMLElement)
        #expect(renderer.attribute(forName: "type")?.stringValue == "graduatedSymbol")
        #expect(renderer.attribute(forName: "attr")?.stringValue == "covered_share")
        let ranges = try qml.nodes(forXPath: "/qgis/renderer-v2/ranges/range").compactMap { $0 as? XMLElement }
        #expect(ranges.map { $0.attribute(forName: "lower")?.stringValue } == ["0.000000", "0.200000", "0.400000", "0.600000", "0.800000"])
        #expect(ranges.last?.attribute(forName: "upper")?.stringValue == "1.000000")
        let colours = try qml.nodes(forXPath: "/qgis/renderer-v2/symbols/symbol/layer/prop[@k='color']/@v").map { $0.stringValue ?? "" }
        #expect(colours == ["255,255,204,255", "161,218,180,255", "65,182,196,255", "44,127,184,255", "37,52,148,255"])
    }
}
