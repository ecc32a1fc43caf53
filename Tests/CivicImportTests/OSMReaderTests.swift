import CivicCore
import CivicTestSupport
import GeoValues
import Testing
@testable import CivicImport

@Suite("OpenStreetMap extracts to candidates")
struct OSMReaderTests {
    @Test("Overpass JSON: nodes, ways by node reference, ways with inline geometry, a multipolygon")
    func overpassJSON() throws {
        let batch = try osm("oskemen-overpass.json")
        #expect(batch.problems.isEmpty, "\(batch.problems)")
        #expect(batch.candidates.map(\.place) == [
            "node/1001", "node/1003", "node/1005", "node/9007199254740993", "node/1006", "node/1007",
            "way/500", "way/501", "relation/700",
        ])

        let library = try #require(batch.candidate("node/1001"))
        #expect(library.draft.kind == "venue" && library.draft.themes == ["culture", "education"])
        #expect(library.draft.names == ["kk": "Пушкин атындағы облыстық кітапхана", "en": "Pushkin Regional Library"])
        #expect(library.draft.address == "улица Казахстан, 60")
        #expect(library.draft.website == "https://pushkinlib.kz")
        #expect(library.draft.extra == ["addr:street": "улица Казахстан", "addr:housenumber": "60",
                                        "addr:city": "Усть-Каменогорск", "opening_hours": "Tu-Su 10:00-19:00"])
        // The first of two phones; contact:vk has no private field and is not kept anywhere.
        #expect(library.draft.contacts.phone == "+7 7232 24-45-67")
        #expect(library.draft.contacts.email == "info@pushkinlib.kz")
        #expect(library.draft.source == "osm:node/1001")
        #expect(library.updatesKindAndThemes == false)

        #expect(batch.candidate("node/1003")?.draft.name == "Детская площадка")
        #expect(batch.candidate("node/1007")?.draft.contacts.phone == "+7 7232 57-11-22")

        let school = try #require(batch.candidate("way/500"))
        #expect(school.draft.geometry.polygons.first?.outerRing.count == 5)
        let park = try #require(batch.candidate("way/501"))
        #expect(park.draft.geometry.polygons.first?.outerRing.first == Position(lon: 82.63, lat: 49.96))

        // Two outer ways joined end to end (the second one reversed) around one hole.
        let victory = try #require(batch.candidate("relation/700"))
        guard case .polygon(let polygon) = victory.draft.geometry else {
            Issue.record("expected a Polygon, got \(victory.draft.geometry.typeName)")
            return
        }
        #expect(polygon.outerRing.count == 5 && polygon.outerRing.first == polygon.outerRing.last)
        #expect(Set(polygon.outerRing) == [Position(lon: 82.64, lat: 49.94), Position(lon: 82.644, lat: 49.94),
                                           Position(lon: 82.644, lat: 49.943), Position(lon: 82.64, lat: 49.943)])
        #expect(polygon.innerRings.count == 1)
        #expect(victory.draft.description == "Мемориальный парк")

        #expect(batch.skipped["not civic"] == 2)
        #expect(batch.skipped["without a name"] == 1)
        #expect(batch.skipped["incomplete"] == 2)
        #expect(batch.warnings.contains("oskemen-overpass.json: relation/701: 1 of 2 member ways not in the file; skipped"))
        #expect(batch.warnings.contains("oskemen-overpass.json: way/505: 3 of 3 nodes not in the file; skipped"))
        #expect(batch.warnings.contains { $0.contains("node/1006: email 'info at green.kz' is not an e-mail address") })
    }

    @Test("an id beyond 2^53 stays exact (it would round to …992 through a Double)")
    func bigIDs() throws {
        #expect(Double("9007199254740993").map { String(Int64($0)) } == "9007199254740992")
        let json = try osm("oskemen-overpass.json")
        #expect(json.candidate("node/9007199254740993")?.draft.source == "osm:node/9007199254740993")
        let xml = try osm("oskemen.osm")
        #expect(xml.candidate("node/9007199254740995")?.draft.source == "osm:node/9007199254740995")
    }

    @Test("OSM XML as JOSM saves it: entities, deleted and new objects, ways, a two-part multipolygon")
    func osmXML() throws {
        let batch = try osm("oskemen.osm")
        #expect(batch.problems.isEmpty, "\(batch.problems)")
        #expect(batch.candidates.map(\.place) == ["node/11", "node/9007199254740995", "way/600", "relation/800"])
        #expect(batch.candidates.map(\.line) == [5, 14, 48, 91])

        let club = try #require(batch.candidate("node/11"))
        #expect(club.draft.name == "Клуб \"Серебряный возраст\" & друзья")
        #expect(club.draft.names["kk"] == "Қарттар клубы")
        #expect(club.draft.themes == ["elderly"])
        #expect(club.draft.contacts == Contacts(phone: "+7 7232 40-50-60", email: "silver@example.kz"))

        let centre = try #require(batch.candidate("way/600"))
        #expect(centre.draft.address == "проспект Независимости, 12/1")
        #expect(centre.draft.website == "https://yunost.example.kz")

        let square = try #require(batch.candidate("relation/800"))
        guard case .multiPolygon(let parts) = square.draft.geometry else {
            Issue.record("expected a MultiPolygon, got \(square.draft.geometry.typeName)")
            return
        }
        #expect(parts.count == 2)
        #expect(parts.map(\.innerRings.count).sorted() == [0, 1])
        #expect(square.draft.names == ["ru": "Сквер Металлургов", "kk": "Металлургтер саябағы"])

        #expect(batch.skipped["not civic"] == 1)  // the pharmacy; the deleted library is gone altogether
        #expect(batch.skipped["not uploaded from JOSM yet"] == 1)
        #expect(batch.skipped["incomplete"] == 2)
        #expect(batch.warnings.contains("oskemen.osm: relation/801: 2 of 2 member ways not in the file; skipped"))
    }

    @Test("a truncated Overpass JSON file is refused naming the element it broke in")
    func truncatedJSON() throws {
        let bytes = try fixture("oskemen-overpass.json")
        let cut = Array(bytes[..<(try #require(firstRange(of: "Школа-гимназия", in: bytes)))])
        let error = civicError { _ = try OSMImport.read(cut, path: "overpass.json") }
        #expect(error?.description.contains("way/500") == true, "\(String(describing: error))")
        #expect(error?.description.contains("truncated") == true, "\(String(describing: error))")
    }

    @Test("a truncated OSM XML file is refused naming the element and the line it opened on")
    func truncatedXML() throws {
        let bytes = try fixture("oskemen.osm")
        let cut = Array(bytes[..<(try #require(firstRange(of: "sports_centre", in: bytes)))])
        let error = civicError { _ = try OSMImport.read(cut, path: "oskemen.osm") }
        #expect(error?.description.contains("the file ends inside way/600 (opened on line 48)") == true,
                "\(String(describing: error))")
    }

    @Test("malformed XML and non-OSM files are refused with where and why")
    func malformedXML() {
        let mismatched = civicError {
            _ = try OSMImport.read(Array("<osm>\n<node id='1' lat='1' lon='2'>\n</way>\n</osm>".utf8), path: "x.osm")
        }
        #expect(mismatched?.description == "x.osm:3:7: </way> closes <node>, opened on line 2")
        let gpx = civicError { _ = try OSMImport.read(Array("<gpx></gpx>".utf8), path: "x.gpx") }
        #expect(gpx?.description.contains("not an OSM XML file") == true)
        let csv = civicError { _ = try OSMImport.read(Array("name,lat\n".utf8), path: "x.csv") }
        #expect(csv?.description.contains("neither Overpass JSON nor OSM XML") == true)
    }

    @Test("a DOCTYPE with an internal subset is skipped, ']>' in quotes and comments included; its entities expand")
    func doctypeWithInternalSubset() throws {
        let batch = try osm("doctype-subset.osm")
        #expect(batch.problems.isEmpty, "\(batch.problems)")
        #expect(batch.candidates.map(\.place) == ["node/2101", "node/2102"])
        #expect(batch.candidates.map(\.line) == [15, 21], "lines inside the subset are counted")
        let palace = try #require(batch.candidate("node/2101"))
        #expect(palace.draft.name == "Дворец культуры металлургов")
        #expect(palace.draft.names["kk"] == "Металлургтер Мәдениет сарайы")

        // Cut inside the subset: truncated, named as such.
        let bytes = try fixture("doctype-subset.osm")
        let cut = Array(bytes[..<(try #require(firstRange(of: "<!ENTITY dk", in: bytes)))])
        let error = civicError { _ = try OSMImport.read(cut, path: "cut.osm") }
        #expect(error?.description.contains("the file ends inside the DOCTYPE's internal subset (line 2)") == true,
                "\(String(describing: error))")
        // An entity nobody declared is still an error.
        let undeclared = civicError {
            _ = try OSMImport.read(Array("<!DOCTYPE osm>\n<osm><node id='1' lat='1' lon='2'><tag k='name' v='&x;'/></node></osm>".utf8),
                                   path: "u.osm")
        }
        #expect(undeclared?.description.contains("unknown entity &x;") == true, "\(String(describing: undeclared))")
    }

    @Test("entities that expand beyond any OSM file are refused, not expanded without end")
    func entityExpansionIsBounded() throws {
        let big = String(repeating: "я", count: 1 << 20)  // 2 MB of text
        let uses = String(repeating: "<tag k='a' v='&big;'/>", count: 40)
        let text = "<!DOCTYPE osm [<!ENTITY big \"\(big)\">]>\n<osm><node id='1' lat='1' lon='2'>\(uses)</node></osm>"
        let error = civicError { _ = try OSMImport.read(Array(text.utf8), path: "bomb.osm") }
        #expect(error?.description.contains("expand to more than 64 MB") == true, "\(String(describing: error))")
    }

    @Test("when most civic ways lack their nodes, the query forgot to recurse: a problem with the fix")
    func forgotToRecurse() throws {
        let batch = try osm("no-recurse-overpass.json")
        let problem = try #require(batch.problems.first)
        #expect(problem.reason == "3 of 3 civic ways have none of their nodes in the file (way/900, way/901, way/902)")
        #expect(problem.hint?.contains(">;") == true && problem.hint?.contains("out geom") == true)
        #expect(problem.description.hasPrefix("no-recurse-overpass.json: 3 of 3 civic ways"))
        #expect(batch.candidates.map(\.place) == ["node/1001"])
        #expect(batch.warnings.isEmpty, "the problem names the ways; no warning per way: \(batch.warnings)")
    }

    @Test("an Overpass run that timed out is refused: its extract is incomplete")
    func serverError() {
        let text = #"{"version":0.6,"elements":[],"remark":"runtime error: Query timed out in \"query\" at line 3 after 26 seconds."}"#
        let error = civicError { _ = try OSMImport.read(Array(text.utf8), path: "o.json") }
        #expect(error?.description.contains("the extract is incomplete") == true)
        #expect(error?.hint?.contains("timeout") == true)
    }

    @Test("`out geom` relations carry their members' positions; `out center` ways become points")
    func inlineGeometry() throws {
        let text = """
        {"elements":[
         {"type":"relation","id":30,"tags":{"type":"multipolygon","leisure":"park","name":"Сквер у реки"},
          "members":[
           {"type":"way","ref":31,"role":"outer","geometry":[{"lat":49.95,"lon":82.60},{"lat":49.95,"lon":82.61},{"lat":49.96,"lon":82.61}]},
           {"type":"way","ref":32,"role":"outer","geometry":[{"lat":49.96,"lon":82.61},{"lat":49.96,"lon":82.60},{"lat":49.95,"lon":82.60}]},
           {"type":"node","ref":33,"role":"label","lat":49.955,"lon":82.605}]},
         {"type":"way","id":40,"center":{"lat":49.97,"lon":82.62},"tags":{"amenity":"school","name":"Школа №5"}}
        ]}
        """
        let batch = OSMImport.batch(try OSMImport.read(Array(text.utf8), path: "o.json"), path: "o.json", language: "ru")
        #expect(batch.problems.isEmpty, "\(batch.problems)")
        #expect(batch.candidate("relation/30")?.draft.geometry.polygons.first?.outerRing.count == 5)
        #expect(batch.candidate("way/40")?.draft.geometry == .point(Position(lon: 82.62, lat: 49.97)))
    }

    @Test("an open way and a multipolygon whose ring does not close are problems naming the element")
    func notAreas() throws {
        let text = """
        {"elements":[
         {"type":"node","id":1,"lat":49.95,"lon":82.60},{"type":"node","id":2,"lat":49.95,"lon":82.61},
         {"type":"node","id":3,"lat":49.96,"lon":82.61},{"type":"node","id":4,"lat":49.96,"lon":82.60},
         {"type":"way","id":10,"nodes":[1,2,3],"tags":{"leisure":"pitch","name":"Хоккейная коробка"}},
         {"type":"way","id":11,"nodes":[1,2,3]},{"type":"way","id":12,"nodes":[3,4]},
         {"type":"relation","id":20,"members":[{"type":"way","ref":11,"role":"outer"},{"type":"way","ref":12,"role":"outer"}],
          "tags":{"type":"multipolygon","leisure":"park","name":"Сквер"}}
        ]}
        """
        let batch = OSMImport.batch(try OSMImport.read(Array(text.utf8), path: "o.json"), path: "o.json", language: "ru")
        #expect(batch.problems.map(\.description) == [
            "o.json: way/10: the way is not closed, so it is not an area",
            "o.json: relation/20: the multipolygon cannot be built: an outer ring does not close: it stops at lon 82.6, lat 49.96",
        ])
        #expect(batch.candidates.isEmpty)
    }

    @Test("ring assembly joins ways either way round and puts each hole in the smallest outer ring")
    func ringAssembly() throws {
        let a = Position(lon: 0, lat: 0), b = Position(lon: 10, lat: 0), c = Position(lon: 10, lat: 10), d = Position(lon: 0, lat: 10)
        let rings = try RingAssembly.rings(from: [[c, d], [a, b], [c, b], [d, a]], role: "outer")
        #expect(rings.count == 1 && rings[0].count == 5 && rings[0].first == rings[0].last)
        let island = [Position(lon: 4, lat: 4), Position(lon: 6, lat: 4), Position(lon: 6, lat: 6), Position(lon: 4, lat: 6),
                      Position(lon: 4, lat: 4)]
        let lake = [Position(lon: 2, lat: 2), Position(lon: 8, lat: 2), Position(lon: 8, lat: 8), Position(lon: 2, lat: 8),
                    Position(lon: 2, lat: 2)]
        let hole = [Position(lon: 4.5, lat: 4.5), Position(lon: 5.5, lat: 4.5), Position(lon: 5.5, lat: 5.5),
                    Position(lon: 4.5, lat: 4.5)]
        let geometry = try RingAssembly.geometry(outer: [[a, b, c, d, a], island], inner: [lake, hole])
        guard case .multiPolygon(let parts) = geometry else {
            Issue.record("expected a MultiPolygon, got \(geometry.typeName)")
            return
        }
        #expect(parts[0].innerRings == [lake])
        #expect(parts[1].innerRings == [hole])
        #expect(throws: RingAssembly.Fault.self) { try RingAssembly.rings(from: [[a, b, c]], role: "outer") }
    }

    @Test("a mapping file adds rules before the defaults, skips what it says, and checks its vocabulary")
    func mappingFile() throws {
        let json = try JSON.parse(try fixture("mapping.json"), file: "mapping.json")
        let mapping = try OSMMapping(json: json, file: "mapping.json", vocabulary: .standard)
        let batch = try osm("oskemen-overpass.json", mapping: mapping)
        #expect(batch.candidate("way/500") == nil)  // schools skipped by the file
        #expect(batch.candidate("node/1002")?.draft.themes == ["youth", "culture"])  // a café the file takes
        #expect(batch.candidate("node/1001")?.draft.themes == ["culture", "education"])  // the defaults still apply

        let unknown = try JSON.parse(#"{"rules":[{"tags":{"amenity":"x"},"kind":"venue","themes":["chess"]}]}"#, file: "m.json")
        let error = civicError { _ = try OSMMapping(json: unknown, file: "m.json", vocabulary: .standard) }
        #expect(error?.description == "m.json: rules[0]: themes: unknown theme 'chess'")

        let only = try JSON.parse(#"{"defaults":false,"rules":[{"tags":{"leisure":"*"},"kind":"площадка","themes":"дворы"}]}"#,
                                  file: "m.json")
        let narrow = try OSMMapping(json: only, file: "m.json", vocabulary: .standard)
        #expect(narrow.rules.count == 1)
        #expect(narrow.rule(for: ["leisure": "park"])?.themes == ["courtyards"])
        #expect(narrow.rule(for: ["amenity": "library"]) == nil)
        #expect(narrow.rule(for: ["leisure": "no"]) == nil)
    }

    @Test("an openstreetmap.org export: theatre building, museum, university, sports palace, embankment in; private places and the akimat out")
    func websiteExport() throws {
        let batch = try osm("osm-website-export.osm")
        #expect(batch.problems.isEmpty, "\(batch.problems)")
        #expect(batch.candidates.map(\.place) == [
            "node/3411000101", "node/3411000102", "node/3411000103", "node/3411000104", "node/3411000105",
            "node/3411000106", "node/3411000107", "way/412000101", "way/412000103", "way/412000105", "way/412000106",
        ])
        let theatre = try #require(batch.candidate("way/412000105"))
        #expect(theatre.draft.name == "Восточно-Казахстанский областной драматический театр")
        #expect(theatre.draft.kind == "venue" && theatre.draft.themes == ["culture"])
        #expect(theatre.draft.geometry.polygons.count == 1, "the building way is the theatre's area")
        #expect(theatre.draft.names["kk"] == "Шығыс Қазақстан облыстық драма театры")
        #expect(theatre.draft.address == "улица Максима Горького, 57")
        func themes(_ place: String) -> [String]? { batch.candidate(place)?.draft.themes }
        #expect(themes("node/3411000102") == ["culture", "education"])  // museum
        #expect(themes("node/3411000103") == ["education", "youth"])    // university
        #expect(themes("node/3411000104") == ["youth"])                 // sports palace (ice rink)
        #expect(themes("node/3411000105") == ["youth"])                 // stadium
        #expect(themes("node/3411000106") == ["culture"])               // square
        #expect(themes("node/3411000107") == ["culture"])               // community hall
        let embankment = try #require(batch.candidate("way/412000106"))
        #expect(embankment.draft.name == "Набережная Иртыша" && embankment.draft.geometry.polygons.count == 1)

        #expect(batch.candidate("node/3411000101")?.draft.name == "Детская площадка")
        #expect(batch.candidate("way/412000101")?.draft.name == "Детская площадка")
        #expect(batch.candidate("way/412000103")?.draft.name == "Спортивная площадка")
        // access=private, and access=no with nothing for people on foot: not public venues.
        #expect(batch.candidate("way/412000102") == nil && batch.candidate("way/412000104") == nil)
        #expect(batch.skipped["private"] == 2)
        #expect(batch.skipped["not civic"] == 3)  // the akimat, the public bookcase, the café
    }

    @Test("unnamed places get the generic name in the dataset's language", arguments: [
        ("ru", "Детская площадка", "Спортивная площадка"), ("kk", "Балалар алаңы", "Спорт алаңы"),
        ("en", "Playground", "Sports pitch"), ("de", "Playground", "Sports pitch"),
    ])
    func genericNamesFollowTheLanguage(language: String, playground: String, pitch: String) throws {
        let batch = try osm("osm-website-export.osm", language: language)
        #expect(batch.candidate("node/3411000101")?.draft.name == playground)
        #expect(batch.candidate("way/412000103")?.draft.name == pitch)
        #expect(batch.candidate("way/412000105")?.draft.name == "Восточно-Казахстанский областной драматический театр",
                "a real name stays as it is")
    }

    @Test("who may go there: access=private and access=no keep the public out unless foot says otherwise")
    func publicAccess() {
        #expect(OSMImport.isPublic(["leisure": "playground"]))
        #expect(!OSMImport.isPublic(["leisure": "playground", "access": "private"]))
        #expect(!OSMImport.isPublic(["leisure": "pitch", "access": "no"]))
        #expect(!OSMImport.isPublic(["leisure": "pitch", "access": "no", "foot": "no"]))
        #expect(OSMImport.isPublic(["leisure": "pitch", "access": "no", "foot": "yes"]))
        #expect(OSMImport.isPublic(["leisure": "park", "access": "private", "foot": "permissive"]))
        #expect(OSMImport.isPublic(["leisure": "playground", "access": "customers"]))
        #expect(OSMImport.isPublic(["leisure": "playground", "access": "yes"]))
    }

    @Test("a mapping file's default_name: one name, or names by language")
    func mappingDefaultNames() throws {
        let json = try JSON.parse(#"""
        {"rules":[{"tags":{"leisure":"fitness_station"},"kind":"venue","themes":["youth"],
                   "default_name":{"ru":"Уличные тренажёры","kk":"Көше тренажерлары"}},
                  {"tags":{"amenity":"public_bookcase"},"kind":"venue","themes":["culture"],"default_name":"Книжная полка"}]}
        """#, file: "m.json")
        let mapping = try OSMMapping(json: json, file: "m.json", vocabulary: .standard)
        #expect(mapping.rules[0].defaultName(in: "kk") == "Көше тренажерлары")
        #expect(mapping.rules[0].defaultName(in: "en") == nil, "no English name and no name for every language")
        #expect(mapping.rules[1].defaultName(in: "en") == "Книжная полка")
        let bad = try JSON.parse(#"{"rules":[{"tags":{"leisure":"x"},"kind":"venue","themes":["youth"],"default_name":{"ru":""}}]}"#,
                                 file: "m.json")
        let error = civicError { _ = try OSMMapping(json: bad, file: "m.json", vocabulary: .standard) }
        #expect(error?.description == "m.json: rules[0]: default_name.ru: expected a name")
    }

    @Test("the default mapping: civic places in, shops and cafés out; multi-valued tags match")
    func defaultMapping() {
        let mapping = OSMMapping.standard
        #expect(mapping.rule(for: ["amenity": "community_centre", "community_centre": "youth_centre"])?.themes == ["youth", "culture"])
        #expect(mapping.rule(for: ["amenity": "social_facility", "social_facility:for": "senior"])?.themes == ["elderly"])
        #expect(mapping.rule(for: ["amenity": "school;kindergarten"])?.themes == ["education"])
        #expect(mapping.rule(for: ["office": "association"])?.kind == "community")
        #expect(mapping.rule(for: ["shop": "bakery"]) == nil)
        #expect(mapping.rule(for: ["amenity": "cafe"]) == nil)
        #expect(mapping.rule(for: ["amenity": "social_facility", "social_facility:for": "homeless"]) == nil)
        // Every kind of place the bundled city lists as a venue, and where volunteers meet.
        #expect(mapping.rule(for: ["amenity": "theatre", "building": "yes"])?.themes == ["culture"])
        #expect(mapping.rule(for: ["tourism": "museum"])?.themes == ["culture", "education"])
        #expect(mapping.rule(for: ["amenity": "college"])?.themes == ["education", "youth"])
        #expect(mapping.rule(for: ["leisure": "sports_hall"])?.themes == ["youth"])
        #expect(mapping.rule(for: ["highway": "pedestrian", "area": "yes"])?.themes == ["culture"])
        #expect(mapping.rule(for: ["highway": "pedestrian"]) == nil, "a pedestrian street is a way, not a place")
        #expect(mapping.rule(for: ["amenity": "townhall", "townhall:type": "community"])?.kind == "venue")
        #expect(mapping.rule(for: ["amenity": "townhall", "townhall:type": "city"]) == nil)
        #expect(mapping.rule(for: ["amenity": "public_bookcase"]) == nil)
        #expect(mapping.rule(for: ["amenity": "place_of_worship"]) == nil)
    }
}

/// The offset of the first occurrence of `text` in `bytes`.
func firstRange(of text: String, in bytes: [UInt8]) -> Int? {
    let needle = Array(text.utf8)
    guard needle.count <= bytes.count else { return nil }
    for i in 0...(bytes.count - needle.count) where bytes[i] == needle[0] && Array(bytes[i..<(i + needle.count)]) == needle {
        return i
    }
    return nil
}
