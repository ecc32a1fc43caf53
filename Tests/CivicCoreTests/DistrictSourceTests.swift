import CivicCore
import GeoValues
import Testing

@Suite("District files as people have them: their own property names, nulls and numeric strings")
struct DistrictSourceTests {
    func districts(_ name: String, _ fields: DistrictFields = DistrictFields()) throws -> [District] {
        let file = "districts/\(name)"
        return try DistrictSource.districts(from: try GeoJSONReader.features(in: fixture(file), file: file),
                                            fields: fields, file: file)
    }

    @Test("geoBoundaries: shapeName is the one property ending in 'name'; shapeISO and shapeID are kept")
    func geoBoundaries() throws {
        let found = try districts("geoboundaries-adm2.geojson")
        #expect(found.map(\.name) == ["Ulan District", "Oskemen City", "Glubokoe District"])
        #expect(found.map(\.id) == ["d1", "d2", "d3"])
        #expect(found[1].properties["shapeID"] == .string("59054962B82466441556436"))
        #expect(found[1].properties["shapeName"] == nil, "the name is the district's name, not kept twice")
        #expect(found[0].population == nil)
        // The feature written to districts.geojson carries them on, after civic's own.
        #expect(found[1].feature.properties.keys == ["name", "shapeISO", "shapeID", "shapeGroup", "shapeType"])
    }

    @Test("Berlin's Bezirke: Gemeinde_name, not Land_name, which every district shares")
    func berlin() throws {
        let found = try districts("berlin-bezirke.geojson")
        #expect(found.map(\.name) == ["Reinickendorf", "Charlottenburg-Wilmersdorf", "Treptow-Köpenick"])
        #expect(found[2].properties["Schluessel_gesamt"] == .string("11009"))
        #expect(found[2].properties["Land_name"] == .string("Berlin"))
        let byKey = try districts("berlin-bezirke.geojson", DistrictFields(id: "Schluessel_gesamt"))
        #expect(byKey.map(\.id) == ["11012", "11004", "11009"])
    }

    @Test("ogr2ogr from KML: 'Name' is a name in another case; KML's null columns are kept as null")
    func kml() throws {
        let found = try districts("kml-via-ogr2ogr.geojson")
        #expect(found.map(\.name) == ["Ульбинский", "Защита"])
        #expect(found[0].properties["description"] == .null)
        #expect(found[1].properties["description"] == .string("жд вокзал"))
    }

    @Test("Moscow's okrugs: NAME, string ids, populations as text with spaces or null, names from name_en and NAME:ru")
    func moscow() throws {
        let found = try districts("moscow-okrugs.geojson")
        #expect(found.map(\.id) == ["ЦАО", "САО", "ЮАО"])
        #expect(found[0].name == "Центральный административный округ")
        #expect(found.map(\.population) == [769_630, nil, 1_776_789])
        #expect(found[0].names == ["en": "Central Administrative Okrug", "ru": "Центральный"])
        #expect(found[1].names == ["en": "Northern Administrative Okrug"])
        #expect(found[2].names.isEmpty)
        #expect(found[0].properties["OKATO"] == .string("45286000"))
    }

    @Test("GADM's levels: no name is unambiguous, so the refusal lists the text properties; --name-field settles it")
    func gadm() throws {
        do {
            _ = try districts("gadm-levels.geojson")
            Issue.record("GADM's NAME_1/NAME_2 were taken without being named")
        } catch let error as CivicError {
            #expect(error.description.contains("districts/gadm-levels.geojson: features: name: no property holds the districts' names"))
            #expect(error.description.contains("GID_0, NAME_0, GID_1, NAME_1, GID_2, NAME_2, TYPE_2, ENGTYPE_2, POP"))
            #expect(error.hint == "name it with --name-field, e.g. --name-field NAME_2")
        }
        let found = try districts("gadm-levels.geojson", DistrictFields(name: "NAME_2", id: "GID_2", population: "POP"))
        #expect(found.map(\.name) == ["Oskemen", "Ulan"])
        #expect(found.map(\.id) == ["KAZ.4.13_1", "KAZ.4.14_1"])
        #expect(found.map(\.population) == [nil, 40_115])
        #expect(found[0].properties["NAME_1"] == .string("East Kazakhstan"))
    }

    @Test("a field that is not there is refused with the properties the file has, and a case hint")
    func missingField() throws {
        #expect(throws: CivicError.self) { try districts("gadm-levels.geojson", DistrictFields(name: "name_2")) }
        do {
            _ = try districts("gadm-levels.geojson", DistrictFields(name: "name_2"))
        } catch let error as CivicError {
            #expect(error.description.hasPrefix("--name-field name_2: no feature of districts/gadm-levels.geojson has this property; it has: GID_0, NAME_0"))
            #expect(error.hint == "property names are case-sensitive: try --name-field NAME_2")
        }
    }

    @Test("a population that is not a number names the feature and the field")
    func badPopulation() throws {
        let features = [Feature(id: .string("a"), properties: JSONObject([("name", .string("A")), ("population", .string("около 5 тысяч"))]),
                                geometry: .polygon(square), line: 7)]
        do {
            _ = try DistrictSource.districts(from: features, fields: DistrictFields(), file: "d.geojson")
            Issue.record("accepted text as a population")
        } catch {
            #expect(error.description == "d.geojson:7: features[0] (id a): population: must be a number of residents, found the string \"около 5 тысяч\"")
        }
        #expect(DistrictSource.residentCount(.string("354770")) == .count(354_770))
        #expect(DistrictSource.residentCount(.string("354\u{00A0}770")) == .count(354_770))
        #expect(DistrictSource.residentCount(.number("1200.6")) == .count(1_201))
        #expect(DistrictSource.residentCount(.null) == .missing)
        #expect(DistrictSource.residentCount(.string(" ")) == .missing)
        #expect(DistrictSource.residentCount(.number("-3")) == .invalid)
        #expect(DistrictSource.residentCount(.bool(true)) == .invalid)
    }

    let square = Polygon(outerRing: [Position(x: 0, y: 0), Position(x: 1, y: 0), Position(x: 1, y: 1), Position(x: 0, y: 1), Position(x: 0, y: 0)])
}
