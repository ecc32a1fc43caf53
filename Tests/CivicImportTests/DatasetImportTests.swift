import CivicCore
import CivicRules
import CivicStore
import CivicTestSupport
import Foundation
import GeoValues
import Testing
@testable import CivicImport

@Suite("Imports into a dataset")
struct DatasetImportTests {
    @Test("a Windows-1251 export imports with labels resolved, contacts private, one journal entry per entity")
    func importSpreadsheet() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Oskemen.dataset(in: folder)
            let batch = try spreadsheet("volunteers-cp1251.csv", SpreadsheetOptions(encoding: .cp1251))
            let report = try DatasetImport.run(batch, into: dataset, options: ImportOptions())
            #expect(report.committed)
            #expect(report.summary == "3 added, 0 updated, 0 unchanged, 0 skipped")

            let state = try dataset.load(includeContacts: true)
            #expect(state.entities.map(\.name) == ["Совет дома «Бажова, 333»", "Инициативная группа \"Свет во дворах Ульбы\"",
                                                   "Библиотека им. Пушкина"])
            let council = state.entities[0]
            #expect(council.kind == "community" && council.themes == ["courtyards", "heating"])
            #expect(council.source == "csv:volunteers-cp1251.csv#2")
            #expect(state.entities[1].kind == "initiative_group" && state.entities[1].themes == ["lighting", "snow_removal"])
            #expect(state.entities[2].kind == "venue" && state.entities[2].themes == ["culture", "education"])
            #expect(state.contacts[council.id] == Contacts(phone: "+7 777 123 45 67", contactPerson: "Анна Петровна Ёлкина"))
            // Contacts never reach the public file.
            let entitiesText = String(decoding: try #require(FileManager.default.contents(atPath: dataset.path + "/entities.geojson")),
                                      as: UTF8.self)
            #expect(!entitiesText.contains("777 123"))
            let journal = try dataset.journal()
            #expect(journal.map(\.action) == ["init", "add", "add", "add"])
            #expect(journal.last?.changes["source"] == .string("csv:volunteers-cp1251.csv#5"))
        }
    }

    @Test("re-importing the same file adds nothing and leaves every file byte for byte")
    func reimportIsIdempotent() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Oskemen.dataset(in: folder)
            let batch = try spreadsheet("quoted-utf8.csv")
            _ = try DatasetImport.run(batch, into: dataset, options: ImportOptions())
            let before = snapshot(dataset.path)
            let again = try DatasetImport.run(batch, into: dataset, options: ImportOptions())
            #expect(again.summary == "0 added, 0 updated, 3 unchanged, 0 skipped")
            #expect(snapshot(dataset.path) == before)
            let kazakh = try #require(try dataset.load().entities.first { $0.name.hasPrefix("«Шаһар»") })
            #expect(kazakh.themes == ["youth", "culture"])
            #expect(kazakh.names["kk"] == "«Шаһар» өңірлік қоғамдық жастар ұйымы, мәдениет үйі")
        }
    }

    @Test("a changed row updates its entity in place; moved rows still find theirs; empty cells clear nothing")
    func changedRowsUpdate() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Oskemen.dataset(in: folder)
            let first = "name;kind;lat;lon;themes;address;phone\n"
                + "Совет дома Бажова 5;community;49,9705;82,6405;courtyards;ул. Бажова, 5;+7 777 000 00 01\n"
                + "Клуб «Ветеран»;community;49,9561;82,6152;elderly;;\n"
            _ = try DatasetImport.run(try SpreadsheetImport.batch(Array(first.utf8), path: "list.csv"), into: dataset,
                                      options: ImportOptions())
            let ids = try dataset.load().entities.map(\.id)

            // A new row on top moves the others down; the council's address cell is now empty and its
            // themes and phone changed; the club is as it was.
            let second = "name;kind;lat;lon;themes;address;phone\n"
                + "Двор Кирова 15;initiative_group;49,9402;82,6021;courtyards;;\n"
                + "Совет дома Бажова 5;community;49,9705;82,6405;courtyards|heating;;+7 777 000 00 02\n"
                + "Клуб «Ветеран»;community;49,9561;82,6152;elderly;;\n"
            let report = try DatasetImport.run(try SpreadsheetImport.batch(Array(second.utf8), path: "list.csv"),
                                               into: dataset, options: ImportOptions())
            #expect(report.summary == "1 added, 1 updated, 1 unchanged, 0 skipped", "\(report.steps) \(report.problems)")
            let update = try #require(report.steps.first { $0.action == .update })
            #expect(update.place == "line 3" && update.id == ids[0] && update.detail == ["themes", "contacts"])
            let state = try dataset.load(includeContacts: true)
            let council = try #require(state.entity(id: ids[0]))
            #expect(council.themes == ["courtyards", "heating"])
            #expect(council.address == "ул. Бажова, 5")
            #expect(council.source == "csv:list.csv#2")  // where it came from first
            #expect(state.contacts[ids[0]]?.phone == "+7 777 000 00 02")
            #expect(try dataset.journal().last?.changes.keys.sorted() == ["contacts", "themes"])
        }
    }

    @Test("a row renamed in place finds its entity by its line")
    func renamedRow() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Oskemen.dataset(in: folder)
            let header = "name,kind,lat,lon,themes\n"
            _ = try DatasetImport.run(try SpreadsheetImport.batch(Array((header + "Клуб Ветеран,community,49.9561,82.6152,elderly\n").utf8),
                                                                  path: "clubs.csv"), into: dataset, options: ImportOptions())
            let renamed = header + "Клуб «Ветеран» (Ульба),community,49.9562,82.6152,elderly\n"
            let report = try DatasetImport.run(try SpreadsheetImport.batch(Array(renamed.utf8), path: "clubs.csv"),
                                               into: dataset, options: ImportOptions())
            #expect(report.summary == "0 added, 1 updated, 0 unchanged, 0 skipped")
            #expect(try dataset.load().entities.map(\.name) == ["Клуб «Ветеран» (Ульба)"])
        }
    }

    @Test("bad rows: nothing imported, every bad row listed with its exact line, the dataset unchanged byte for byte")
    func allOrNothing() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Oskemen.dataset(in: folder)
            let before = snapshot(dataset.path)
            let report = try DatasetImport.run(try spreadsheet("bad-rows.csv"), into: dataset, options: ImportOptions())
            #expect(report.refused && !report.committed)
            #expect(report.problems.map(\.line) == [3, 5, 6, 9, 10, 11, 12])
            #expect(report.problems.map(\.description) == [
                "bad-rows.csv:3: the name is empty",
                "bad-rows.csv:5: latitude '49.9x' is not a number",
                "bad-rows.csv:6: unknown theme 'chess'",
                "bad-rows.csv:9: lat 82.6275, lon 49.9483 is 3787 km outside every district, and latitude and longitude look swapped",
                "bad-rows.csv:10: lat 50.4111, lon 80.2275 is 168 km outside every district",
                "bad-rows.csv:11: 'not-an-email' is not an e-mail address",
                "bad-rows.csv:12: the same name within 100 m as line 2",
            ])
            #expect(report.problems[3].hint == "swap the latitude and longitude cells of this row")
            #expect(snapshot(dataset.path) == before)
        }
    }

    @Test("--skip-invalid imports the good rows and counts the bad ones as skipped")
    func skipInvalid() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Oskemen.dataset(in: folder)
            let report = try DatasetImport.run(try spreadsheet("bad-rows.csv"), into: dataset,
                                               options: ImportOptions(skipInvalid: true))
            #expect(report.committed)
            #expect(report.summary == "3 added, 0 updated, 0 unchanged, 7 skipped (7 invalid)")
            #expect(try dataset.load().entities.map(\.name) == ["Совет дома Ушанова 62", "Сквер у ДК", "Совет дома\nБажова 10"])
        }
    }

    @Test("--dry-run reports what would happen and writes nothing")
    func dryRun() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Oskemen.dataset(in: folder)
            let before = snapshot(dataset.path)
            let report = try DatasetImport.run(try spreadsheet("quoted-utf8.csv"), into: dataset, options: ImportOptions(dryRun: true))
            #expect(!report.committed && report.dryRun)
            #expect(report.steps.map(\.action) == [.add, .add, .add])
            #expect(report.steps.map(\.id) == [1, 2, 3])
            #expect(snapshot(dataset.path) == before)
        }
    }

    @Test("Overpass JSON: civic elements in, the rest counted; a re-import adds nothing")
    func importOverpass() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Oskemen.dataset(in: folder)
            let batch = try osm("oskemen-overpass.json")
            let report = try DatasetImport.run(batch, into: dataset, options: ImportOptions())
            #expect(report.summary
                    == "8 added, 0 updated, 0 unchanged, 6 skipped (2 not civic, 1 without a name, 2 incomplete, 1 outside the city)")
            let state = try dataset.load(includeContacts: true)
            let big = try #require(state.entities.first { $0.source == "osm:node/9007199254740993" })
            #expect(big.name == "Дом культуры «Ульба»")
            let victory = try #require(state.entities.first { $0.source == "osm:relation/700" })
            #expect(victory.geometry.polygons.first?.innerRings.count == 1)
            let library = try #require(state.entities.first { $0.source == "osm:node/1001" })
            #expect(library.extra["opening_hours"] == "Tu-Su 10:00-19:00")
            #expect(state.contacts[library.id]?.email == "info@pushkinlib.kz")
            let text = String(decoding: try #require(FileManager.default.contents(atPath: dataset.path + "/entities.geojson")),
                              as: UTF8.self)
            #expect(text.contains("\"source\":\"osm:node/9007199254740993\""))

            let before = snapshot(dataset.path)
            let again = try DatasetImport.run(batch, into: dataset, options: ImportOptions())
            #expect(again.summary
                    == "0 added, 0 updated, 8 unchanged, 6 skipped (2 not civic, 1 without a name, 2 incomplete, 1 outside the city)")
            #expect(snapshot(dataset.path) == before)
        }
    }

    @Test("a newer extract updates entities in place by their source and keeps volunteers' themes")
    func newerExtract() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Oskemen.dataset(in: folder)
            _ = try DatasetImport.run(try osm("oskemen.osm"), into: dataset, options: ImportOptions())
            let same = try DatasetImport.run(try osm("oskemen.osm"), into: dataset, options: ImportOptions())
            #expect(same.summary == "0 added, 0 updated, 4 unchanged, 4 skipped (1 not civic, 1 not uploaded from JOSM yet, 2 incomplete)")
            let id = try #require(try dataset.load().entities.first { $0.source == "osm:way/600" }?.id)
            try dataset.update { state, journal in
                let rules = try EntityRules(info: state.info, districts: state.districts)
                var patch = EntityPatch()
                patch.addThemes = ["culture"]
                journal.append(try state.edit(id: id, patch, rules: rules, options: AdmissionOptions(), now: Timestamp.now()).1)
            }

            var text = String(decoding: try fixture("oskemen.osm"), as: UTF8.self)
            text = text.replacingOccurrences(of: "Спортивный комплекс «Юность»", with: "Спорткомплекс «Юность»")
                .replacingOccurrences(of: "lat='49.9708' lon='82.6412'", with: "lat='49.9710' lon='82.6415'")
            let newer = OSMImport.batch(try OSMImport.read(Array(text.utf8), path: "oskemen-2.osm"), path: "oskemen-2.osm", language: "ru")
            let report = try DatasetImport.run(newer, into: dataset, options: ImportOptions())
            #expect(report.summary.hasPrefix("0 added, 1 updated, 3 unchanged"), "\(report.summary)")
            let centre = try #require(try dataset.load().entity(id: id))
            #expect(centre.name == "Спорткомплекс «Юность»")
            #expect(centre.themes == ["youth", "culture"])
            #expect(centre.geometry.allPositions.contains(Position(lon: 82.6415, lat: 49.971)))
            #expect(try dataset.journal().last?.changes.keys.sorted() == ["geometry", "name"])
        }
    }

    @Test("an OSM element with the name of an entity added by hand nearby updates it instead of doubling it")
    func adoptsHandAdded() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Oskemen.dataset(in: folder)
            let hand = try dataset.update { state, journal -> Int in
                let rules = try EntityRules(info: state.info, districts: state.districts)
                var draft = EntityDraft(kind: "venue", name: "областная библиотека им. Пушкина", themes: ["culture"],
                                        geometry: .point(Position(lon: 82.6276, lat: 49.9484)))
                draft.description = "Добавлено волонтёром"
                let (entity, entry) = try state.add(draft, id: try dataset.nextEntityID(in: state), rules: rules,
                                                    options: AdmissionOptions(), now: Timestamp.now())
                journal.append(entry)
                return entity.id
            }
            _ = try DatasetImport.run(try osm("oskemen-overpass.json"), into: dataset, options: ImportOptions())
            let library = try #require(try dataset.load().entity(id: hand))
            #expect(library.source == "osm:node/1001")
            #expect(library.name == "Областная библиотека им. Пушкина")
            #expect(library.description == "Добавлено волонтёром")
            #expect(library.themes == ["culture"])
        }
    }

    @Test("a spreadsheet row updates an area from OSM by name but does not turn it into a point")
    func rowForArea() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Oskemen.dataset(in: folder)
            _ = try DatasetImport.run(try osm("oskemen.osm"), into: dataset, options: ImportOptions())
            let centre = try #require(try dataset.load().entities.first { $0.source == "osm:way/600" })
            let anchor = try #require(centre.geometry.anchor)
            let row = "name;kind;lat;lon;themes;phone\n"
                + "Спортивный комплекс «Юность»;venue;\(anchor.y);\(anchor.x);youth;+7 7232 11-22-33\n"
            let report = try DatasetImport.run(try SpreadsheetImport.batch(Array(row.utf8), path: "sport.csv"),
                                               into: dataset, options: ImportOptions())
            #expect(report.summary == "0 added, 1 updated, 0 unchanged, 0 skipped")
            #expect(report.steps.first?.detail == ["contacts"])
            let state = try dataset.load(includeContacts: true)
            #expect(state.entity(id: centre.id)?.geometry == centre.geometry)
            #expect(state.entity(id: centre.id)?.source == "osm:way/600")
            #expect(state.contacts[centre.id]?.phone == "+7 7232 11-22-33")
        }
    }

    @Test("two OSM playgrounds without names, 40 m apart, stay two entities, and a re-import keeps them apart")
    func twoPlaygrounds() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Oskemen.dataset(in: folder)
            let text = """
            {"elements":[{"type":"node","id":1,"lat":49.9600,"lon":82.6200,"tags":{"leisure":"playground"}},
                         {"type":"node","id":2,"lat":49.9603,"lon":82.6203,"tags":{"leisure":"playground"}}]}
            """
            let batch = OSMImport.batch(try OSMImport.read(Array(text.utf8), path: "p.json"), path: "p.json", language: "ru")
            #expect(try DatasetImport.run(batch, into: dataset, options: ImportOptions()).summary
                    == "2 added, 0 updated, 0 unchanged, 0 skipped")
            #expect(try DatasetImport.run(batch, into: dataset, options: ImportOptions()).summary
                    == "0 added, 0 updated, 2 unchanged, 0 skipped")
            #expect(try dataset.load().entities.compactMap(\.source) == ["osm:node/1", "osm:node/2"])
        }
    }

    @Test("an OSM export with two unnamed playgrounds 30 m apart and a private one imports, and the dataset validates")
    func cleanImportValidates() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Oskemen.dataset(in: folder)
            let report = try DatasetImport.run(try osm("osm-website-export.osm"), into: dataset, options: ImportOptions())
            #expect(report.committed && report.problems.isEmpty, "\(report.problems)")
            #expect(report.summary == "11 added, 0 updated, 0 unchanged, 5 skipped (3 not civic, 2 private)")
            let entities = try dataset.load().entities
            let playgrounds = entities.filter { $0.name == "Детская площадка" }
            #expect(playgrounds.compactMap(\.source) == ["osm:node/3411000101", "osm:way/412000101"])
            let anchors = playgrounds.compactMap(\.geometry.anchor)
            #expect(anchors.count == 2 && Geodesy.distanceMetres(anchors[0], anchors[1]) < 40)
            #expect(!entities.contains { $0.source == "osm:way/412000102" }, "the private playground is not a venue")
            #expect(DatasetValidator.problems(in: dataset.path).isEmpty,
                    "\(DatasetValidator.problems(in: dataset.path))")
            // Again: nothing changes, and still nothing to report.
            let again = try DatasetImport.run(try osm("osm-website-export.osm"), into: dataset, options: ImportOptions())
            #expect(again.summary == "0 added, 0 updated, 11 unchanged, 5 skipped (3 not civic, 2 private)")
        }
    }

    @Test("rows of one name within 100 m are found across grid cells: at 50° N, at 69° N and across the antimeridian")
    func duplicatesAcrossCells() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Oskemen.dataset(in: folder)
            let rows = [
                "name;kind;lat;lon;themes",
                "Совет дома;community;49.9504;82.6001;courtyards",   // line 2
                "Совет дома;community;49.9504;82.59875;courtyards",  // 97 m west, two cells over
                "Двор Кирова;community;49.9504;82.6101;courtyards",
                "Двор Кирова;community;49.9504;82.61163;courtyards", // 110 m east: another courtyard
                "Норильский двор;community;69.3501;88.2001;courtyards",
                "Норильский двор;community;69.3501;88.19775;courtyards", // 88 m west, three cells over at 69° N
                "Двор у смены дат;community;-16.5;179.9996;courtyards",
                "Двор у смены дат;community;-16.5;-179.9996;courtyards", // 85 m east, across 180°
            ].joined(separator: "\n") + "\n"
            let batch = try SpreadsheetImport.batch(Array(rows.utf8), path: "cells.csv")
            let report = try DatasetImport.run(batch, into: dataset, options: ImportOptions(allowOutside: true))
            #expect(report.problems.map(\.description) == [
                "cells.csv:3: the same name within 100 m as line 2",
                "cells.csv:7: the same name within 100 m as line 6",
                "cells.csv:9: the same name within 100 m as line 8",
            ])
            #expect(report.steps.filter { $0.action == .add }.map(\.place) == ["line 2", "line 4", "line 5", "line 6", "line 8"])
        }
    }

    @Test("validate still reports an OSM place imported twice and a hand-added copy of an OSM place")
    func validateStillFindsDuplicates() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Oskemen.dataset(in: folder)
            _ = try DatasetImport.run(try osm("osm-website-export.osm"), into: dataset, options: ImportOptions())
            try dataset.update { state, journal in
                let rules = try EntityRules(info: state.info, districts: state.districts)
                var copy = EntityDraft(kind: "venue", name: "Детская площадка", themes: ["courtyards"],
                                       geometry: .point(Position(lon: 82.6301, lat: 49.9560)))
                // Added past the rule without a remembered choice, as a hand edit of the file would.
                let allow = AdmissionOptions(skipDuplicateCheck: true)
                journal.append(try state.add(copy, id: try dataset.nextEntityID(in: state), rules: rules, options: allow,
                                             now: Timestamp.now()).1)
                copy.source = "osm:way/412000105"
                copy.name = "Восточно-Казахстанский областной драматический театр"
                copy.geometry = .point(Position(lon: 82.6222, lat: 49.9556))
                journal.append(try state.add(copy, id: try dataset.nextEntityID(in: state), rules: rules, options: allow,
                                             now: Timestamp.now()).1)
            }
            // The hand-added playground is within 100 m of both OSM ones: two problems; the theatre: one.
            let problems = DatasetValidator.problems(in: dataset.path).map(\.description)
            #expect(problems.count == 3, "\(problems)")
            #expect(problems.allSatisfy { $0.contains("likely duplicate of entity") }, "\(problems)")
        }
    }

    @Test("an invalid element fails the whole OSM import unless --skip-invalid")
    func osmAllOrNothing() throws {
        try withTemporaryDirectory { folder in
            let dataset = try Oskemen.dataset(in: folder)
            let before = snapshot(dataset.path)
            let refused = try DatasetImport.run(try osm("no-recurse-overpass.json"), into: dataset, options: ImportOptions())
            #expect(refused.refused)
            #expect(snapshot(dataset.path) == before)
            let skipped = try DatasetImport.run(try osm("no-recurse-overpass.json"), into: dataset,
                                                options: ImportOptions(skipInvalid: true))
            #expect(skipped.summary == "1 added, 0 updated, 0 unchanged, 4 skipped (3 incomplete, 1 invalid)")
        }
    }
}
