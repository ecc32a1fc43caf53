import CivicAnalysis
import CivicCore
import CivicTestSupport
import Foundation
import GeoEngine
import GeoValues
import Testing
@testable import CivicRender

/// Issue 11, "Maps at city scale": a map of tens of thousands of entities still shows the shading,
/// the gaps and the names; symbols stay smaller than the reach; the legend counts what is drawn;
/// the printed map and the page carry the per-district figures.
@Suite("The map at city scale")
struct MapScaleTests {
    /// 20 × 15 districts of 1 km and 40,000 entities (36,000 active), about the benchmark city.
    static func bigCity() throws -> SyntheticCity {
        try SyntheticCity(columns: 20, rows: 15, entities: 40_000, seed: 7)
    }

    @Test("clusters where symbols would overlap: clusters never overlap, and each stands for its cell's entities")
    func clusters() async throws {
        let city = try Self.bigCity()
        let spec = try await city.spec()
        let map = try CivicMap(spec)
        let selected = city.entities.filter(spec.selection.includes).count
        #expect(map.entityPoints.count + map.clusteredPoints.count + map.entityAreas.count + map.outsideCount == selected)
        #expect(!map.clusters.isEmpty && map.clusters.allSatisfy { $0.count >= map.clusterMinimum })
        #expect(map.clusterMinimum >= 2)
        // Each cluster's entities share its cell, and the circle stays inside that cell.
        let origin = Position(x: map.frame.minX, y: map.frame.minY)
        func cellOf(_ x: Double, _ y: Double) -> [Int] {
            [Int(floor((x - origin.x) / map.clusterCell)), Int(floor((y - origin.y) / map.clusterCell))]
        }
        var perCell: [[Int]: Int] = [:]
        for m in map.clusteredPoints { perCell[cellOf(m.x, m.y), default: 0] += 1 }
        for c in map.clusters {
            #expect(perCell[cellOf(c.x, c.y)] == c.count, "cluster at \(c.x), \(c.y)")
            #expect(cellOf(c.x - c.radius + 1e-6, c.y - c.radius + 1e-6) == cellOf(c.x + c.radius - 1e-6, c.y + c.radius - 1e-6))
        }
        // No single symbol is left in a cell that holds a cluster's minimum.
        var singles: [[Int]: Int] = [:]
        for m in map.entityPoints { singles[cellOf(m.x, m.y), default: 0] += 1 }
        #expect(singles.values.allSatisfy { $0 < map.clusterMinimum })
        #expect(Set(singles.keys).isDisjoint(with: Set(perCell.keys)))
        // The SVG draws them over the symbols, each with its number.
        let root = try parseXML(map.svg())
        let drawn = try #require(root.byID("clusters")).children
        #expect(drawn.count == map.clusters.count)
        #expect(drawn.compactMap { $0["civic:count"].flatMap(Int.init) } == map.clusters.map(\.count))
        #expect(drawn.first?.descendants("text").first?.fullText == MapWords.of("ru").number(Double(map.clusters[0].count)))
        #expect(root.byID("legend-clusters") != nil)
    }

    @Test("clusters small areas where they crowd, and keeps a park bigger than a cell as an area")
    func crowdedAreas() async throws {
        var city = try SyntheticCity(columns: 4, rows: 3, entities: 60)
        // Ten 60 m courtyards within 40 m of each other in the empty north-east, and a 300 m park.
        for i in 0..<10 {
            let centre = Position(x: 503_400 + Double(i % 5) * 10, y: 5_532_700 + Double(i / 5) * 20)
            city.entities.append(try SyntheticCity.square(2000 + i, centre: centre, side: 60, kind: "community"))
        }
        city.entities.append(try SyntheticCity.square(3000, centre: Position(x: 501_500, y: 5_531_500), side: 300))
        let map = try CivicMap(try await city.spec(selection: EntitySelection(themes: ["culture"])))
        // Drawn one by one they would be areas: each is wider than 2.5 symbol radii.
        #expect(60 / map.metresPerUnit >= 2.5 * map.symbolRadius)
        let clustered = Set(map.clusteredPoints.map(\.id))
        #expect(clustered.intersection(2000..<2010).count >= map.clusterMinimum, "clustered: \(clustered.sorted())")
        #expect(map.entityAreas.map(\.id).contains(3000))
        #expect(map.clusters.reduce(0) { $0 + $1.count } == map.clusteredPoints.count)
    }

    @Test("leaves a small city's symbols alone: no cluster where nothing crowds")
    func smallCityUnclustered() async throws {
        let map = try CivicMap(try await SyntheticCity(columns: 4, rows: 3, entities: 60).spec())
        #expect(map.clusters.isEmpty && map.clusteredPoints.isEmpty)
        #expect(map.outsideCount == 0)
        let root = try parseXML(map.svg())
        #expect(root.byID("clusters")?.children.isEmpty == true && root.byID("legend-clusters") == nil)
    }

    @Test("never draws a symbol wider than half the reach's radius, down to a 0.3 mm floor", arguments: [
        (500.0, false), (200.0, false), (20.0, true),
    ])
    func symbolsSmallerThanReach(_ radius: Double, _ floor: Bool) async throws {
        // A 20 km × 15 km city with a hundred entities: the crowd rule alone would give 1.1 mm symbols.
        let city = try SyntheticCity(columns: 20, rows: 15, entities: 100)
        let map = try CivicMap(try await city.spec(radius: radius))
        let reachOnPage = radius / map.metresPerUnit
        if floor {
            #expect(map.symbolRadius == CivicMap.smallestSymbolRadius)
        } else {
            #expect(map.symbolRadius <= 0.25 * reachOnPage + 1e-9, "symbol \(map.symbolRadius), reach \(reachOnPage)")
            // The drawn symbols, square and triangle included, are no wider than half the reach's radius.
            for kind in map.kinds {
                let width = symbolWidth(kind.symbol)
                #expect(width > 0 && width <= 0.5 * reachOnPage * 1.25, "\(kind.id): \(width) units for a reach of \(reachOnPage)")
            }
        }
        #expect(map.symbolRadius <= 1.1 * CivicMap.unitsPerMillimetre)
    }

    @Test("draws the rarer kinds on top of the common ones")
    func rarerOnTop() async throws {
        var city = try SyntheticCity(columns: 4, rows: 3, entities: 90)
        // 60 venues, 25 communities, 5 initiative groups.
        for i in city.entities.indices {
            city.entities[i].kind = i < 60 ? "venue" : i < 85 ? "community" : "initiative_group"
            city.entities[i].status = .active
        }
        let map = try CivicMap(try await city.spec())
        #expect(map.drawOrder.map { map.kinds[$0].id } == ["venue", "community", "initiative_group"])
        let root = try parseXML(map.svg())
        let groups = try #require(root.byID("entities")).children.compactMap { $0["civic:kind"] }
        #expect(groups == ["venue", "community", "initiative_group"])
    }

    @Test("counts in the legend only what is drawn, and says how many lie outside the map")
    func legendCountsDrawn() async throws {
        var city = try SyntheticCity(columns: 4, rows: 3, entities: 60)
        let transform = try CoordinateTransform(from: "EPSG:4326", to: "EPSG:\(SyntheticCity.epsg)")
        // 40 km east of the districts: measured (it reaches nothing) but off the map.
        let far = try transform.inverse([Position(x: 545_000, y: 5_531_000)])[0]
        city.entities.append(Entity(id: 5001, kind: "community", name: "Далеко", themes: ["youth"], geometry: .point(far)))
        let spec = try await city.spec()
        let selected = city.entities.filter(spec.selection.includes).count
        for language in ["ru", "en"] {
            let map = try CivicMap(try await city.spec(language: language))
            #expect(map.outsideCount == 1)
            #expect(map.kinds.reduce(0) { $0 + $1.count } == selected - 1)
            #expect(!map.entityPoints.contains { $0.id == 5001 })
            let root = try parseXML(map.svg())
            let outside = try #require(root.byID("legend-outside")).fullText
            #expect(outside == (language == "ru" ? "1 вне карты" : "1 outside the map"))
        }
        // Without the far one, no such line.
        #expect(try parseXML(try CivicMap(try await SyntheticCity(columns: 4, rows: 3, entities: 60).spec()).svg())
            .byID("legend-outside") == nil)
    }

    @Test("prints the worst districts as a table: name, covered share and residents left out")
    func printedTable() async throws {
        let city = try SyntheticCity(columns: 4, rows: 3, entities: 60)
        let spec = try await city.spec()
        let map = try CivicMap(spec)
        let words = MapWords.of("ru")
        let root = try parseXML(map.svg())
        let table = try #require(root.byID("ranking"))
        #expect(try #require(table.byID("ranking-head")).descendants("text").map(\.fullText) == ["Район", "Охват", "Вне охвата"])
        let rows = table.children.filter { $0.name == "g" && $0["id"] == nil }
        func leftOut(_ row: DistrictCoverage) -> Double { max(0, (row.population ?? 0) - (row.coveredPopulation ?? 0)) }
        let worst: [DistrictCoverage] = spec.coverage.districts.filter { leftOut($0) >= 0.5 }
            .sorted { a, b in leftOut(a) != leftOut(b) ? leftOut(a) > leftOut(b) : a.id < b.id }
        let expected = Array(worst.prefix(CivicMap.rankingRows))
        #expect(rows.count == expected.count && rows.count == CivicMap.rankingRows)
        for (row, figures) in zip(rows, expected) {
            let cells: [String] = row.descendants("text").map { $0.fullText }
            let name = map.districts.first { $0.id == figures.id }?.name ?? "?"
            let wanted: [String] = [name, words.percent(figures.coveredShare), words.number(leftOut(figures).rounded())]
            #expect(cells == wanted, "row \(cells)")
        }
    }

    @Test("keeps the table's columns apart in every language", arguments: ["ru", "kk", "en"])
    func tableColumnsApart(_ language: String) async throws {
        let map = try CivicMap(try await SyntheticCity(columns: 4, rows: 3, entities: 60).spec(language: language))
        let root = try parseXML(map.svg())
        let table = try #require(root.byID("ranking"))
        let head = try #require(table.byID("ranking-head"))
        let headSize = try #require(head.number("font-size")), size = try #require(table.number("font-size"))
        // Each line's cells: left edge and right edge from the anchor and the text's width.
        var lines: [[(Double, Double)]] = [head.descendants("text").map { ($0, headSize) }.map { text, size in
            let x = text.number("x") ?? 0, w = TextMetrics.width(text.fullText, size: size)
            return text["text-anchor"] == "end" ? (x - w, x) : (x, x + w)
        }]
        for row in table.children where row.name == "g" && row["id"] == nil {
            lines.append(row.descendants("text").map { text in
                let x = text.number("x") ?? 0, w = TextMetrics.width(text.fullText, size: size)
                return text["text-anchor"] == "end" ? (x - w, x) : (x, x + w)
            })
        }
        #expect(lines.count > 1)
        for cells in lines {
            #expect(cells.count == 3)
            for (a, b) in zip(cells, cells.dropFirst()) {
                #expect(a.1 < b.0, "\(language): cells overlap: \(cells)")
            }
        }
    }

    @Test("lists every district in a sortable table beside the map, with the figures as numbers to sort by")
    func pageTable() async throws {
        let city = try SyntheticCity(columns: 4, rows: 3, entities: 60)
        let spec = try await city.spec(language: "en")
        let html = try CivicMap(spec).html()
        let words = MapWords.of("en")
        #expect(html.contains("<table id=\"district-table\">"))
        #expect(html.contains("<th data-type=\"text\">District</th><th data-type=\"number\" class=\"num\">Covered</th><th data-type=\"number\" class=\"num\">Left out</th><th data-type=\"number\" class=\"num\">Entities</th>"))
        for row in spec.coverage.districts {
            let leftOut = max(0, (row.population ?? 0) - (row.coveredPopulation ?? 0)).rounded()
            let expected = "<tr data-id=\"\(row.id)\"><td>\(row.name)</td><td class=\"num\" data-v=\"\(JSONNumber.format(row.coveredShare, decimals: 6))\">\(words.percent(row.coveredShare))</td><td class=\"num\" data-v=\"\(JSONNumber.format(leftOut))\">\(words.number(leftOut))</td>"
            #expect(html.contains(expected), "no row for \(row.id)")
        }
        #expect(html.components(separatedBy: "<tr data-id=").count - 1 == spec.coverage.districts.count)
        // The script sorts on a heading's click and outlines the district of the row under the pointer.
        #expect(html.contains("th.addEventListener(\"click\"") && html.contains("aria-sort"))
        #expect(html.contains("body.addEventListener(\"mouseover\""))
    }

    @Test("carries the clustered entities for the page to open on zoom: positions, kinds, themes, ids, names")
    func pagePoints() async throws {
        let city = try Self.bigCity()
        let map = try CivicMap(try await city.spec())
        let html = map.html()
        let start = try #require(html.range(of: "<script type=\"application/json\" id=\"civic-points\">"))
        let end = try #require(html.range(of: "</script>", range: start.upperBound..<html.endIndex))
        let data = try #require(try JSONSerialization.jsonObject(with: Data(html[start.upperBound..<end.lowerBound].utf8)) as? [String: Any])
        let xs = try #require(data["x"] as? [Int]), ys = try #require(data["y"] as? [Int])
        let profiles = try #require(data["profiles"] as? [[Int]]), ps = try #require(data["p"] as? [Int])
        let ids = try #require(data["i"] as? [Int]), names = try #require(data["n"] as? [String])
        #expect(xs.count == map.clusteredPoints.count && ys.count == xs.count && ps.count == xs.count && ids.count == xs.count)
        #expect(names.count == xs.count)
        #expect((data["min"] as? Int) == map.clusterMinimum)
        var id = 0
        for (i, m) in map.clusteredPoints.enumerated() {
            id += ids[i]
            #expect(id == m.id)
            #expect(abs(map.frame.minX + Double(xs[i]) / 10 - m.x) <= 0.051 && abs(map.frame.minY + Double(ys[i]) / 10 - m.y) <= 0.051)
            #expect(profiles[ps[i]] == [m.kind] + m.themes)
            #expect(names[i] == m.name)
            if i > 200 { break }
        }
        // "Entities shown" counts the clustered ones too.
        let total = map.entityAreas.count + map.entityPoints.count + map.clusteredPoints.count
        #expect(html.contains("<b id=\"shown\">\(MapWords.of("ru").number(Double(total)))</b>"))
        #expect((data["radius"] as? [Double]) == [CivicMap.clusterRadiusBase, CivicMap.clusterRadiusPerDecade, CivicMap.clusterRadiusMost])
        // The script hides the printed clusters and draws its own, halving the cells at each doubling of the zoom.
        #expect(html.contains("<g id=\"clusters-live\"></g>") && html.contains("document.getElementById(\"clusters\").style.display = \"none\""))
        #expect(html.contains("Math.pow(2, Math.floor(Math.log(s) / Math.LN2"))
    }
}

/// The larger extent (width or height) of a symbol's path data centred on (0, 0), as civic writes it:
/// `M`/`L` with x,y pairs, `H` and `V` with one number; a circle (arcs from `M-r,0`) is 2r wide.
func symbolWidth(_ d: String) -> Double {
    func numbers(_ s: Substring) -> [Double] { s.split(whereSeparator: { !"0123456789.-".contains($0) }).compactMap { Double($0) } }
    if d.contains("a") { return 2 * abs(numbers(Substring(d)).first ?? 0) }
    var xs: [Double] = [], ys: [Double] = []
    var command: Character = "M"
    var body = Substring("")
    func flush() {
        let n = numbers(body)
        switch command {
        case "H": xs += n
        case "V": ys += n
        default:
            for k in stride(from: 0, to: n.count - 1, by: 2) { xs.append(n[k]); ys.append(n[k + 1]) }
        }
    }
    for ch in d {
        if "MLHVZ".contains(ch) { flush(); command = ch; body = "" } else { body.append(ch) }
    }
    flush()
    guard let x0 = xs.min(), let x1 = xs.max(), let y0 = ys.min(), let y1 = ys.max() else { return 0 }
    return max(x1 - x0, y1 - y0)
}
