import CivicCore
import CivicStore
import CivicTestSupport
import Foundation
import Testing

/// The bundled city with what real datasets gain: OSM places (osm: sources, addr:*, opening_hours,
/// a multipolygon with a hole), a twin kept with --allow-duplicate, a place kept with
/// --allow-outside, and contacts. In `dir`/city.
private func enrichedBundledCity(in dir: String) throws -> String {
    let city = dir + "/city"
    try copyDataset(bundledDataset, to: city)
    let osm = repositoryRoot.appendingPathComponent("Tests/CivicImportTests/Fixtures/oskemen.osm").path
    let imported = try civic("import", "osm", osm, "--dataset", city)
    #expect(imported.status == 0 && imported.stderr.contains("4 added"), "\(imported)")
    let twin = try civic("add", "--dataset", city, "--kind", "venue", "--name", "Областная библиотека им. А. С. Пушкина",
                         "--lat", "49.9544", "--lon", "82.627", "--theme", "culture", "--allow-duplicate",
                         "--phone", "+7 777 123 45 67", "--contact-person", "Анна Петровна Ёлкина")
    #expect(twin.status == 0, "\(twin)")
    let far = try civic("add", "--dataset", city, "--kind", "community", "--name", "Совет посёлка Шмелёв Лог",
                        "--lat", "50.08", "--lon", "82.52", "--theme", "дворы", "--allow-outside")
    #expect(far.status == 0, "\(far)")
    return city
}

/// The rows of a CSV export as dictionaries by header, without the columns a dataset gives
/// itself (id, created, updated) and the allowance ids (numbers of each dataset).
private func exportedRows(_ path: String) throws -> [[String: String]] {
    let text = readText(path)
    let records = text.dropFirst(text.hasPrefix("\u{FEFF}") ? 1 : 0)
    let parsed = try #require(parseCSV(String(records), delimiter: ";"), "\(path) is not the CSV expected")
    let header = parsed[0]
    return parsed.dropFirst().map { row in
        var object: [String: String] = [:]
        for (k, title) in header.enumerated() where !["id", "created", "updated", "allow_duplicate_of"].contains(title) {
            object[title] = k < row.count ? row[k] : ""
        }
        return object
    }
}

/// A small RFC 4180 reader for the test's own check (quotes, doubled quotes, CRLF, line ends in cells).
private func parseCSV(_ text: String, delimiter: Character) -> [[String]]? {
    var rows: [[String]] = [], row: [String] = [], cell = "", quoted = false, afterQuote = false
    for ch in text {
        if quoted {
            if ch == "\"" { quoted = false; afterQuote = true } else { cell.append(ch) }
            continue
        }
        switch ch {
        case "\"": if afterQuote { cell.append("\"") }; quoted = true
        case delimiter: row.append(cell); cell = ""
        case "\r\n", "\n": row.append(cell); rows.append(row); row = []; cell = ""
        default: cell.append(ch)
        }
        afterQuote = false
    }
    return quoted ? nil : rows
}

@Suite("export entities → import csv on the bundled city")
struct ExportImportRoundTripTests {
    @Test("a fresh dataset of the same districts gets every entity back whole; the export into its own dataset changes nothing")
    func roundTrip() throws {
        try withTemporaryDirectory { dir in
            let city = try enrichedBundledCity(in: dir)
            let original = try Dataset(path: city).load(includeContacts: true)
            #expect(original.entities.contains { $0.extra["opening_hours"] != nil && $0.source?.hasPrefix("osm:") == true })
            #expect(original.entities.contains { if case .multiPolygon = $0.geometry { true } else { false } })

            let exported = dir + "/entities.csv"
            let export = try civic("export", "entities", "--dataset", city, "-o", exported)
            #expect(export.status == 0, "\(export)")
            #expect(!readText(exported).contains("777 123"), "contacts stay out without --include-private")

            let fresh = dir + "/fresh"
            let initialized = try civic("init", fresh, "--name", "Копия", "--districts", city + "/districts.geojson")
            #expect(initialized.status == 0, "\(initialized)")
            let imported = try civic("import", "csv", exported, "--dataset", fresh)
            #expect(imported.status == 0 && imported.stderr.contains("\(original.entities.count) added, 0 updated, 0 unchanged, 0 skipped"),
                    "\(imported)")
            #expect(!imported.stderr.contains("not imported"), "every column is taken: \(imported.stderr)")
            let validated = try civic("validate", "--dataset", fresh)
            #expect(validated.status == 0 && validated.stderr.contains("no problems found (2 notes)"), "\(validated)")

            let again = dir + "/again.csv"
            #expect(try civic("export", "entities", "--dataset", fresh, "-o", again).status == 0)
            let before = try exportedRows(exported), after = try exportedRows(again)
            #expect(before.count == original.entities.count)
            for (a, b) in zip(before, after) where a != b {
                let fields: [String] = a.keys.sorted().filter { a[$0] != b[$0] }
                    .map { key in "\(key): \(a[key] ?? "nil") ≠ \(b[key] ?? "nil")" }
                Issue.record(Comment(rawValue: "\(a["name"] ?? ""): " + fields.joined(separator: "; ")))
            }
            // The pair kept as two stays a pair: the twin names the library, under the new ids.
            let copy = try Dataset(path: fresh).load(includeContacts: true)
            let pairs = { (entities: [Entity]) in
                entities.flatMap { e in e.allowed.duplicateOf.compactMap { other in
                    entities.first { $0.id == other }.map { [$0.name, e.name, "\(e.geometry)"] } } }
            }
            #expect(pairs(copy.entities) == pairs(original.entities) && !pairs(copy.entities).isEmpty)
            #expect(copy.entities.filter(\.allowed.outside).map(\.name) == ["Совет посёлка Шмелёв Лог"])
            #expect(copy.contacts.isEmpty)

            // Back into the dataset it came from: byte for byte as it was.
            let unchanged = snapshot(city)
            let reimport = try civic("import", "csv", exported, "--dataset", city)
            #expect(reimport.status == 0 && reimport.stderr.contains("0 added, 0 updated, \(original.entities.count) unchanged"),
                    "\(reimport)")
            #expect(snapshot(city) == unchanged)
        }
    }

    @Test("an outline longer than a spreadsheet cell holds is named in a warning, and still imports back whole from the file")
    func longOutline() throws {
        try withTemporaryDirectory { dir in
            let city = dir + "/city"
            try copyDataset(bundledDataset, to: city)
            // An embankment park drawn with 2,000 vertices along a circle 400 m across in the centre.
            let ring = (0...2_000).map { k -> String in
                let angle = Double(k % 2_000) / 2_000 * 2 * Double.pi
                return "[\(JSONNumber.format(82.6268 + 0.0028 * cos(angle), decimals: 7)),\(JSONNumber.format(49.9541 + 0.0018 * sin(angle), decimals: 7))]"
            }
            try writeText("{\"type\":\"Polygon\",\"coordinates\":[[" + ring.joined(separator: ",") + "]]}", to: dir + "/park.geojson")
            let added = try civic("add", "--dataset", city, "--kind", "venue", "--name", "Парк у воды, 2000 вершин", "--polygon",
                                  dir + "/park.geojson", "--theme", "culture")
            #expect(added.status == 0, "\(added)")
            let id = added.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let exported = dir + "/entities.csv"
            let export = try civic("export", "entities", "--dataset", city, "-o", exported)
            #expect(export.status == 0 && export.stderr.contains("civic: warning: \(exported): the outline of entity \(id) is longer than a spreadsheet cell holds"),
                    "\(export)")
            let fresh = dir + "/fresh"
            #expect(try civic("init", fresh, "--name", "Копия", "--districts", city + "/districts.geojson").status == 0)
            let imported = try civic("import", "csv", exported, "--dataset", fresh)
            #expect(imported.status == 0, "\(imported)")
            let park = try #require(try Dataset(path: fresh).load().entities.first { $0.name == "Парк у воды, 2000 вершин" })
            #expect(park.geometry.allPositions.count == 2_001)
        }
    }

    @Test("contacts travel only with --include-private, in both CSV dialects")
    func privateFields() throws {
        try withTemporaryDirectory { dir in
            let city = try enrichedBundledCity(in: dir)
            for dialect in ["excel", "rfc4180"] {
                let exported = dir + "/private-\(dialect).csv"
                let export = try civic("export", "entities", "--dataset", city, "--include-private", "--csv", dialect, "-o", exported)
                #expect(export.status == 0, "\(export)")
                let fresh = dir + "/fresh-\(dialect)"
                #expect(try civic("init", fresh, "--name", "Копия", "--districts", city + "/districts.geojson").status == 0)
                let imported = try civic("import", "csv", exported, "--dataset", fresh)
                #expect(imported.status == 0, "\(imported)")
                let copy = try Dataset(path: fresh).load(includeContacts: true)
                #expect(copy.contacts.values.contains(Contacts(phone: "+7 777 123 45 67", contactPerson: "Анна Петровна Ёлкина")),
                        "\(dialect): \(copy.contacts)")
                #expect(!readText(fresh + "/entities.geojson").contains("777 123"))
            }
        }
    }

    @Test("the GeoJSON export converts to Shapefiles as the README says: themes as text, Cyrillic kept, points and areas apart")
    func shapefileFromGeoJSON() throws {
        let ogr2ogr = try #require(which("ogr2ogr"), "ogr2ogr is needed (apt-get install gdal-bin; .ci/run installs it)")
        try withTemporaryDirectory { dir in
            let city = try enrichedBundledCity(in: dir)
            let geojson = dir + "/entities.geojson"
            #expect(try civic("export", "entities", "--dataset", city, "-o", geojson).status == 0)
            let text = readText(geojson)
            #expect(text.contains("\"themes\":[\"culture\",\"education\",\"elderly\"],\"themes_text\":\"culture;education;elderly\""))
            let state = try Dataset(path: city).load()
            let points = state.entities.filter { if case .point = $0.geometry { true } else { false } }
            let areas = state.entities.filter { if case .point = $0.geometry { false } else { true } }
            for (layer, filter, type, entities) in [("points", "OGR_GEOMETRY='POINT'", "POINT", points),
                                                    ("areas", "OGR_GEOMETRY IN ('POLYGON','MULTIPOLYGON')", "MULTIPOLYGON", areas)] {
                let count = entities.count
                let converted = try run(ogr2ogr, ["-f", "ESRI Shapefile", "-lco", "ENCODING=UTF-8", "-mapFieldType", "StringList=String",
                                                  "-where", filter, "-nlt", type, "-nln", layer, dir + "/shp-\(layer)", geojson])
                #expect(converted.status == 0 && !converted.stderr.contains("ERROR"), "\(converted)")
                let back = try run(ogr2ogr, ["-f", "GeoJSON", "/vsistdout/", dir + "/shp-\(layer)", layer])
                let features = (try JSONSerialization.jsonObject(with: Data(back.stdout.utf8)) as? [String: Any])?["features"]
                    as? [[String: Any]] ?? []
                #expect(features.count == count, "\(layer): \(back.stderr)")
                let names = Set(features.compactMap { ($0["properties"] as? [String: Any])?["name"] as? String })
                #expect(names == Set(entities.map(\.name)), "\(layer): Cyrillic names survive: \(names.prefix(3))")
                let themes = features.compactMap { ($0["properties"] as? [String: Any])?["themes_tex"] as? String }
                #expect(themes.count == count && themes.allSatisfy { !$0.isEmpty && !$0.contains("(") }, "\(themes.prefix(3))")
            }
        }
    }
}
