import CivicCore
import CivicTestSupport
import Foundation
import Testing

/// What a new user types by mistake or brings from elsewhere, against `suggest`, `coverage --walk`
/// and `concerns`: each is refused with one line naming the place and a non-zero code, never a
/// crash, a hang or a stack trace.
@Suite("hostile inputs to suggest, walking and concerns, run as a program")
struct HostileInputTests {
    /// A stack trace or a runtime trap in the output: the process crashed instead of refusing.
    func crashed(_ result: RunResult) -> Bool {
        ["Fatal error", "Backtracing", "Swift runtime failure", "Stack dump"].contains { result.stderr.contains($0) }
    }

    @Test("--cell 1e-9 is refused as a grid too fine (exit 1, a cell that fits), not an arithmetic overflow")
    func cellTooSmallToCount() throws {
        for cell in ["1e-9", "1e-300"] {
            let result = try civic("suggest", "--dataset", bundledDataset, "--count", "3", "--cell", cell)
            #expect(result.status == 1 && !crashed(result), "\(result)")
            #expect(result.stderrLines.first?.hasPrefix("civic: error: a grid of \(cell) m cells over the districts would have ") == true,
                    "\(result.stderr)")
            #expect(result.stderr.contains("more than the 4000000 civic takes"), "\(result.stderr)")
            #expect(result.stderrLines.last?.hasPrefix("hint: use --cell ") == true, "\(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
    }

    @Test("a grid fine enough to weigh billions of site–resident pairs is refused at once, with a cell that fits")
    func tooManyPairs() throws {
        try withTemporaryDirectory { (folder: String) in
            // Ульбинский-sized: 2 km × 2 km, 12,000 residents spread over 10 m cells (40,000 of them,
            // each a candidate site): within 500 m each site would weigh some 20,000 cells.
            try writeText("""
                {"type":"FeatureCollection","features":[
                {"type":"Feature","properties":{"NAME":"Ульбинский","population":12000},"geometry":{"type":"Polygon","coordinates":[[[82.60,49.94],[82.628,49.94],[82.628,49.958],[82.60,49.958],[82.60,49.94]]]}}
                ]}
                """, to: folder + "/d.geojson")
            try writeText("""
                {"type":"FeatureCollection","features":[
                {"type":"Feature","id":"node/9001","properties":{"name":"Клуб «Ұлан»","kind":"venue","themes":["youth"],"status":"active"},"geometry":{"type":"Point","coordinates":[82.61,49.95]}}
                ]}
                """, to: folder + "/e.geojson")
            let result = try civic("suggest", "--districts", folder + "/d.geojson", "--entities", folder + "/e.geojson",
                                   "--count", "3", "--cell", "10")
            #expect(result.status == 1 && !crashed(result), "\(result)")
            #expect(result.stderrLines.first?.hasPrefix("civic: error: ") == true, "\(result.stderr)")
            #expect(result.stderr.contains("pairs to weigh, more than the 100,000,000 civic takes"), "\(result.stderr)")
            #expect(result.stderrLines.last?.hasPrefix("hint: use --cell ") == true, "\(result.stderr)")
            // The hinted cell is coarser than the one refused.
            let hinted = result.stderrLines.last.flatMap { $0.split(separator: " ").dropFirst(3).first }.flatMap { Double($0) }
            #expect((hinted ?? 0) > 10, "\(result.stderr)")
        }
    }

    @Test("--off-street, --radius and --cell of nan, inf or 1e309: a usage error that echoes the value, not 'null'")
    func nonFiniteOptionValues() throws {
        let cases: [([String], String)] = [
            (["coverage", "--walk", "--off-street", "nan"], "civic: error: --off-street nan: must be a finite number of metres, 0 or more"),
            (["coverage", "--walk", "--off-street", "1e309"], "civic: error: --off-street inf: must be a finite number of metres, 0 or more"),
            (["gaps", "--walk", "--off-street", "inf"], "civic: error: --off-street inf: must be a finite number of metres, 0 or more"),
            (["concerns", "summary", "--walk", "--off-street", "nan"], "civic: error: --off-street nan: must be a finite number of metres, 0 or more"),
            (["coverage", "--radius", "nan"], "civic: error: --radius nan: must be 0 or more metres"),
            (["suggest", "--count", "2", "--cell", "inf"], "civic: error: --cell inf: must be a positive, finite number of metres"),
        ]
        for (arguments, message) in cases {
            let result = try civic(arguments: arguments + ["--dataset", bundledDataset])
            #expect(result.status == 64 && !crashed(result), "\(arguments): \(result)")
            #expect(result.stderrLines.first == message, "\(arguments): \(result.stderr)")
            #expect(!result.stderr.contains("null") && result.stdout.isEmpty, "\(arguments): \(result.stderr)")
        }
        // -0 is 0: walking with no off-street leg at all, as 0 gives.
        let zero = try civic("coverage", "--dataset", bundledDataset, "--walk", "--off-street", "-0", "--format", "json")
        #expect(zero.status == 0, "\(zero)")
        #expect(zero.stdout.contains("\"off_street_m\": 0,") && !zero.stdout.contains("-0"), "\(zero.stdout.prefix(300))")
    }

    @Test("a --network with no ways, another city's streets or [lat, lon] positions is refused, naming the file; one way is enough")
    func networkThatCannotWalk() throws {
        try withTemporaryDirectory { (folder: String) in
            func way(_ coordinates: String) -> String {
                #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"source":"osm:way/4217","highway":"residential","name":"улица Казахстан","nodes":["11","12"]},"geometry":{"type":"LineString","coordinates":"#
                    + coordinates + "}}]}"
            }
            let files: [(name: String, text: String, message: String)] = [
                ("empty.geojson", #"{"type":"FeatureCollection","features":[]}"#, "no streets to walk: the network has no ways"),
                ("empty.osm", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<osm version=\"0.6\" generator=\"JOSM\">\n</osm>\n",
                 "no streets to walk: the network has no ways"),
                // Alexanderplatz, Berlin.
                ("berlin.geojson", way("[[13.4132,52.5219],[13.4141,52.5225]]"),
                 "its one way lies more than 1 km from every district (osm:way/4217 is "),
                ("swapped.geojson", way("[[49.9512,82.6271],[49.9515,82.6290]]"),
                 "and its latitude and longitude look swapped"),
            ]
            for file in files {
                let path = folder + "/" + file.name
                try writeText(file.text, to: path)
                for command in [["coverage"], ["gaps"], ["suggest", "--count", "2"]] {
                    let result = try civic(arguments: command + ["--dataset", bundledDataset, "--walk", "--network", path])
                    #expect(result.status == 1 && !crashed(result) && result.stdout.isEmpty, "\(command) \(file.name): \(result)")
                    #expect(result.stderrLines.first?.hasPrefix("civic: error: \(path): ") == true, "\(command) \(file.name): \(result.stderr)")
                    #expect(result.stderr.contains(file.message), "\(command) \(file.name): \(result.stderr)")
                    #expect(result.stderrLines.contains { $0.hasPrefix("hint: ") }, "\(result.stderr)")
                }
            }
            // One real street of the city, with node ids: walking works, with the warning about the places it strands.
            let one = folder + "/one.geojson"
            try writeText(way("[[82.6271,49.9512],[82.6290,49.9515]]"), to: one)
            let walked = try civic("coverage", "--dataset", bundledDataset, "--walk", "--network", one, "--format", "json")
            #expect(walked.status == 0 && walked.stdout.contains("\"mode\": \"walk\""), "\(walked)")

            // The dataset's own network.geojson, emptied: coverage and concerns summary alike refuse it.
            let dataset = folder + "/oskemen"
            try FileManager.default.copyItem(atPath: bundledDataset, toPath: dataset)
            try writeText("{\"type\":\"FeatureCollection\",\"features\":[\n]}\n", to: dataset + "/network.geojson")
            let before = snapshot(dataset)
            for command in [["coverage", "--walk"], ["concerns", "summary", "--walk"]] {
                let result = try civic(arguments: command + ["--dataset", dataset])
                #expect(result.status == 1 && !crashed(result), "\(command): \(result)")
                #expect(result.stderrLines.first == "civic: error: \(dataset)/network.geojson: no streets to walk: the network has no ways",
                        "\(command): \(result.stderr)")
            }
            #expect(snapshot(dataset) == before)
        }
    }

    @Test("--radius 1e300 covers every district whole instead of trapping in the tile grid")
    func radiusBeyondAnyInt() throws {
        let coverage = try civic("coverage", "--dataset", bundledDataset, "--radius", "1e300", "--format", "json")
        #expect(coverage.status == 0 && !crashed(coverage), "\(coverage)")
        let root = try JSON.parse(coverage.stdout, file: "stdout").objectValue ?? JSONObject()
        let city = root["city"]?.objectValue ?? JSONObject()
        #expect(city["covered_share"] == .number("1") && city["covered_m2"] == city["area_m2"], "\(city)")
        let gaps = try civic("gaps", "--dataset", bundledDataset, "--radius", "1e300")
        #expect(gaps.status == 0 && !crashed(gaps), "\(gaps)")
        let features = try GeoJSONReader.features(in: Array(gaps.stdout.utf8), file: "stdout")
        #expect(features.isEmpty, "no gaps when every district is covered whole")
    }

    @Test("--count Int.max suggests every site that adds anyone, as --count 100000 does, instead of overflowing")
    func countBeyondTheSites() throws {
        let most = try civic("suggest", "--dataset", bundledDataset, "--count", "9223372036854775807", "--cell", "250", "--format", "json")
        #expect(most.status == 0 && !crashed(most), "\(most)")
        let many = try civic("suggest", "--dataset", bundledDataset, "--count", "100000", "--cell", "250", "--format", "json")
        #expect(many.status == 0, "\(many)")
        let sites = { (run: RunResult) in (try? JSON.parse(run.stdout, file: "stdout").objectValue?["sites"]?.arrayValue?.count) ?? nil }
        #expect(sites(most) != nil && sites(most) == sites(many), "\(most.stderr)")
        #expect(most.stderr.contains("of 9223372036854775807 sites suggested"), "\(most.stderr)")
    }

    @Test("import concerns lists every refused row, each hint once: a register's rows of one unknown theme")
    func everyRowEachHintOnce() throws {
        try withTemporaryDirectory { (folder: String) in
            let dataset = folder + "/oskemen"
            try FileManager.default.copyItem(atPath: bundledDataset, toPath: dataset)
            let register = "\u{FEFF}Номер;Дата обращения;Тема;Текст;ФИО;Телефон;Широта;Долгота;Статус;Дата решения\r\n"
                + "7001;03.03.2026;Дороги;\"Яма на перекрёстке;\r\nмашины объезжают по тротуару\";Ахметов Ерлан;+7 777 123 45 67;49,9512;82,6271;Открыто;\r\n"
                + "7002;2026-03-04;Освещение;Не горят фонари;;;49,9483;82,6112;Решено;09.03.2026\r\n"
                + "\r\n"
                + "7003;05.03.2026 14:30;Дороги;Снег;;;49,9512;82,6271;Открыто;\r\n"
                + "7004;31.02.2026;Освещение;;;;49,9512;82,6271;Открыто;\r\n"
                + "7005;06.03.2026;Дороги;;;;49,9512;82,6271;Открыто;\r\n"
            try writeText(register, to: folder + "/appeals.csv")
            let before = snapshot(dataset)
            let result = try civic("import", "concerns", folder + "/appeals.csv", "--dataset", dataset)
            #expect(result.status == 1 && !crashed(result), "\(result)")
            let lines = result.stderrLines
            let file = folder + "/appeals.csv"
            #expect(lines.filter { $0.hasPrefix("civic: error: \(file):") && $0.contains("unknown theme 'Дороги'") }.count == 3, "\(result.stderr)")
            #expect(lines.contains("civic: error: \(file):6: unknown theme 'Дороги'"), "the row after the quoted newline and the blank line")
            #expect(lines.contains("civic: error: \(file):7: received date '31.02.2026' is not a date"), "\(result.stderr)")
            #expect(lines.filter { $0.hasPrefix("hint: allowed themes:") }.count == 1, "\(result.stderr)")
            #expect(lines.filter { $0.hasPrefix("hint: write it as 2026-03-05") }.count == 1, "\(result.stderr)")
            #expect(lines.last == "hint: fix them and import again", "\(result.stderr)")
            #expect(snapshot(dataset) == before)
        }
    }
}
