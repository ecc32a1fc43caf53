import CivicTestSupport
import CivicCore
import GeoValues
import Testing

@Suite("Model conversions: entities, districts, dataset.json, contacts")
struct ModelConversionTests {
    static let point = Geometry.point(Position(lon: 82.6101234, lat: 49.9512345))

    @Test func entitiesRoundTripThroughTheFileByteForByte() throws {
        let bytes = try fixture("entities-compact.geojson")
        let features = try GeoJSONReader.features(in: bytes, file: "entities.geojson")
        let entities = try features.enumerated().map { index, feature throws(CivicError) in
            try Entity(feature: feature, index: index, file: "entities.geojson")
        }
        let first = try #require(entities.first, "three entities")
        #expect(first.id == 1 && first.kind == "community" && first.name == "Совет двора «Үлбі»")
        #expect(first.names == ["kk": "Үлбі ауласы", "ru": "Совет двора Ульби"])
        #expect(first.themes == ["courtyards", "lighting"] && first.status == .active)
        #expect(first.address == "Өскемен, Тәуелсіздік даңғылы 12" && first.source == "osm:node/9001")
        #expect(entities[1].status == .inactive && entities[1].extra == ["opening_hours": "Mo-Fr 09:00-18:00"])
        #expect(entities[2].website == "https://example.kz/путь")
        let written = GeoJSONWriter.featureCollection(entities.map(\.feature), onePerLine: true)
        #expect(written == String(decoding: bytes, as: UTF8.self))
    }

    @Test func entityPropertiesAreWrittenInTheContractOrder() throws {
        let entity = Entity(id: 9_007_199_254_740_993, kind: "venue", name: "Өскемен", names: ["ru": "Усть-Каменогорск", "kk": "Өскемен", "en": "Oskemen"],
                            themes: ["youth"], status: .inactive, address: "", description: "Зал", website: nil,
                            source: "csv:volunteers.csv#12", created: "2026-11-25T09:00:00Z", updated: "2026-11-25T09:00:00Z",
                            extra: ["z": "last", "a": "first", "name": "ignored", "phone": "hidden"], geometry: Self.point)
        let feature = entity.feature
        #expect(feature.id == .number("9007199254740993"))
        #expect(feature.properties.keys == ["kind", "name", "names", "themes", "status", "description", "source", "created", "updated", "a", "z"])
        #expect(feature.properties["names"]?.objectValue?.keys == ["en", "kk", "ru"])
        #expect(GeoJSONWriter.feature(feature).hasPrefix(#"{"type":"Feature","id":9007199254740993,"properties":{"kind":"venue","name":"Өскемен","names":{"en":"Oskemen","kk":"Өскемен","ru":"Усть-Каменогорск"},"themes":["youth"],"status":"inactive","description":"Зал""#))
        var back = entity
        back.address = nil
        back.extra = ["a": "first", "z": "last"]
        #expect(try Entity(feature: feature, index: 0, file: "e") == back)
    }

    @Test(arguments: [
        ("null", #"{"kind":"venue","name":"A"}"#, "id", "missing: an entity needs a positive integer id"),
        ("\"17\"", #"{"kind":"venue","name":"A"}"#, "id", "must be a positive integer, found the string \"17\""),
        ("0", #"{"kind":"venue","name":"A"}"#, "id", "must be a positive integer, found the number 0"),
        ("-3", #"{"kind":"venue","name":"A"}"#, "id", "must be a positive integer"),
        ("1.5", #"{"kind":"venue","name":"A"}"#, "id", "must be a positive integer, found the number 1.5"),
        ("17", #"{"kind":"venue"}"#, "name", "missing"),
        ("17", #"{"kind":"venue","name":"  "}"#, "name", "is blank"),
        ("17", #"{"kind":"venue","name":5}"#, "name", "must be a string, found the number 5"),
        ("17", #"{"name":"A"}"#, "kind", "missing"),
        ("17", #"{"kind":"venue","name":"A","themes":"youth"}"#, "themes", "must be an array of strings, found the string \"youth\""),
        ("17", #"{"kind":"venue","name":"A","themes":["youth",3]}"#, "themes", "item 1 is the number 3"),
        ("17", #"{"kind":"venue","name":"A","status":"closed"}"#, "status", "must be active or inactive, found \"closed\""),
        ("17", #"{"kind":"venue","name":"A","names":{"kk":1}}"#, "names", "kk is the number 1"),
        ("17", #"{"kind":"venue","name":"A","website":["x"]}"#, "website", "must be a string, found an array"),
        ("17", #"{"kind":"venue","name":"A","phone":"+7 777 123 4567"}"#, "phone", "a private field in the public file"),
        ("17", #"{"kind":"venue","name":"A","tags":{"a":"b"}}"#, "tags", "must be text, found an object"),
    ])
    func entityShapeErrorsNameTheFeatureAndField(id: String, properties: String, field: String, reason: String) throws {
        let text = collection(feature(id: "1", geometry: #"{"type":"Point","coordinates":[1,2]}"#, properties: #"{"kind":"venue","name":"ok"}"#),
                              feature(id: id, geometry: #"{"type":"Point","coordinates":[1,2]}"#, properties: properties))
        let features = try GeoJSONReader.features(in: Array(text.utf8), file: "entities.geojson")
        #expect(throws: Never.self) { try Entity(feature: features[0], index: 0, file: "entities.geojson") }
        let place = id == "null" ? "features[1]" : "features[1] (id \(id.replacingQuotes))"
        do {
            _ = try Entity(feature: features[1], index: 1, file: "entities.geojson")
            Issue.record("accepted \(properties)")
        } catch {
            expectError(error, .invalid("entities.geojson", line: 3, place: place, field: field), reason: reason)
        }
    }

    @Test(arguments: [
        ("null", "missing: an entity needs a Point, a Polygon or a MultiPolygon"),
        (#"{"type":"LineString","coordinates":[[1,2],[3,4]]}"#, "is a LineString; an entity is a Point, a Polygon or a MultiPolygon"),
        (#"{"type":"MultiPoint","coordinates":[[1,2]]}"#, "is a MultiPoint"),
    ])
    func entityGeometryMustBeAPointOrPolygon(geometry: String, reason: String) throws {
        let text = collection(feature(id: "17", geometry: geometry, properties: #"{"kind":"venue","name":"A"}"#))
        let features = try GeoJSONReader.features(in: Array(text.utf8), file: "entities.geojson")
        do {
            _ = try Entity(feature: features[0], index: 0, file: "entities.geojson")
            Issue.record("accepted \(geometry)")
        } catch {
            expectError(error, .invalid("entities.geojson", line: 2, place: "features[0] (id 17)", field: "geometry"), reason: reason)
        }
    }

    @Test func missingStatusIsActiveAndMissingThemesEmpty() throws {
        let entity = try Entity(feature: Feature(id: .number(4), properties: JSONObject([("kind", .string("venue")), ("name", .string("A"))]),
                                                 geometry: Self.point), index: 0, file: "e")
        #expect(entity.status == .active && entity.themes.isEmpty)
    }

    @Test func districtsRoundTrip() throws {
        let bytes = try fixture("districts.geojson")
        let features = try GeoJSONReader.features(in: bytes, file: "districts.geojson")
        let districts = try features.enumerated().map { index, feature throws(CivicError) in
            try District(feature: feature, index: index, file: "districts.geojson")
        }
        #expect(districts.map(\.id) == ["ulbinsky", "7"], "a number id is kept as its text")
        #expect(districts[0].population == 120_000 && districts[0].names["kk"] == "Үлбі")
        #expect(districts[1].population == nil)
        let written = GeoJSONWriter.featureCollection(districts.map(\.feature), onePerLine: true)
        #expect(written == String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\"id\":7", with: "\"id\":\"7\""))
    }

    @Test(arguments: [
        ("\"d\"", #"{"name":"A","population":-5}"#, #"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}"#, "population", "must be a non-negative integer, found the number -5"),
        ("\"d\"", #"{"name":"A","population":1.5}"#, #"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}"#, "population", "found the number 1.5"),
        ("\"d\"", #"{"name":"A","population":"many"}"#, #"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}"#, "population", "found the string \"many\""),
        ("\"d\"", #"{"names":{"ru":"A"}}"#, #"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}"#, "name", "missing"),
        ("null", #"{"name":"A"}"#, #"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}"#, "id", "missing: a district needs an id"),
        ("\"d\"", #"{"name":"A"}"#, #"{"type":"Point","coordinates":[0,0]}"#, "geometry", "is a Point; a district is a Polygon or a MultiPolygon"),
        ("\"d\"", #"{"name":"A"}"#, "null", "geometry", "missing: a district needs a Polygon or a MultiPolygon"),
    ])
    func districtShapeErrors(id: String, properties: String, geometry: String, field: String, reason: String) throws {
        let text = collection(feature(id: id, geometry: geometry, properties: properties))
        let features = try GeoJSONReader.features(in: Array(text.utf8), file: "districts.geojson")
        let place = id == "null" ? "features[0]" : "features[0] (id d)"
        do {
            _ = try District(feature: features[0], index: 0, file: "districts.geojson")
            Issue.record("accepted \(properties) \(geometry)")
        } catch {
            expectError(error, .invalid("districts.geojson", line: 2, place: place, field: field), reason: reason)
        }
    }

    @Test func datasetInfoRoundTripsAsPrettyJSON() throws {
        let info = DatasetInfo(name: "Өскемен civic", city: "Өскемен", language: "kk", radius: 750.5)
        let text = JSON.serialize(info.json, pretty: true)
        #expect(text.hasPrefix("{\n  \"format_version\": 1,\n  \"name\": \"Өскемен civic\",\n  \"city\": \"Өскемен\",\n  \"language\": \"kk\",\n  \"radius_m\": 750.5,\n  \"vocabulary\": {\n    \"kinds\": [\n      {\n        \"id\": \"community\",\n        \"labels\": {\n          \"en\": \"community\",\n          \"kk\": \"қауымдастық\",\n          \"ru\": \"сообщество\"\n        }\n      },"))
        let back = try DatasetInfo(json: try JSON.parse(text, file: "dataset.json"), file: "dataset.json")
        #expect(back == info)
        let minimal = try DatasetInfo(json: try JSON.parse(#"{"format_version": 1, "name": "n", "city": "c"}"#, file: "d"), file: "d")
        #expect(minimal == DatasetInfo(name: "n", city: "c"))
    }

    @Test(arguments: [
        (#"[]"#, nil as String?, "must be a JSON object, found an array"),
        (#"{"name":"n","city":"c"}"#, "format_version", "missing"),
        (#"{"format_version":"1","name":"n","city":"c"}"#, "format_version", "must be a positive integer, found the string \"1\""),
        (#"{"format_version":1,"city":"c"}"#, "name", "missing"),
        (#"{"format_version":1,"name":"n","city":" "}"#, "city", "is blank"),
        (#"{"format_version":1,"name":"n","city":"c","radius_m":-5}"#, "radius_m", "must be a positive number of metres"),
        (#"{"format_version":1,"name":"n","city":"c","radius_m":1e400}"#, "radius_m", "must be a positive number of metres"),
        (#"{"format_version":1,"name":"n","city":"c","vocabulary":{"kinds":[]}}"#, "vocabulary.themes", "missing"),
        (#"{"format_version":1,"name":"n","city":"c","vocabulary":{"kinds":[{"labels":{}}],"themes":[]}}"#, "vocabulary.kinds[0].id", "must be a non-blank string"),
        (#"{"format_version":1,"name":"n","city":"c","vocabulary":{"kinds":[{"id":"a","labels":{"en":1}}],"themes":[]}}"#, "vocabulary.kinds[0].labels.en", "must be a string"),
    ])
    func datasetInfoErrors(text: String, field: String?, reason: String) throws {
        do {
            _ = try DatasetInfo(json: try JSON.parse(text, file: "dataset.json"), file: "dataset.json")
            Issue.record("accepted \(text)")
        } catch {
            expectError(error, .invalid("dataset.json", line: nil, place: "dataset", field: field), reason: reason)
        }
    }

    @Test func contactsRoundTrip() throws {
        let contacts = Contacts(phone: "+7 777 123 4567", email: "a@b.kz", contactPerson: "Әсел Қасымова")
        #expect(JSON.serialize(contacts.json, pretty: false)
            == #"{"phone":"+7 777 123 4567","email":"a@b.kz","contact_person":"Әсел Қасымова"}"#)
        #expect(try Contacts(json: contacts.json) == contacts)
        #expect(try Contacts(json: try JSON.parse(#"{"phone": 77771234567, "email": null, "other": 1}"#, file: "c")) == Contacts(phone: "77771234567"))
        do {
            _ = try Contacts(json: .object(JSONObject([("email", .array([]))])), file: "private/contacts.json")
            Issue.record("accepted an array as e-mail")
        } catch {
            expectError(error, .invalid("private/contacts.json", line: nil, place: "contacts", field: "email"), reason: "must be a string")
        }
    }
}

private extension String {
    var replacingQuotes: String { filter { $0 != "\"" } }

    func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
