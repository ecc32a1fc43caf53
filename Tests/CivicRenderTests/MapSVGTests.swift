import CivicAnalysis
import CivicCore
import CivicTestSupport
import Foundation
import GeoEngine
import GeoValues
import Testing
@testable import CivicRender

@Suite("The map as SVG")
struct MapSVGTests {
    /// 4 × 3 districts of 1 km, 60 entities crowded in the south-west.
    static func smallCity() throws -> SyntheticCity {
        try SyntheticCity(columns: 4, rows: 3, entities: 60)
    }

    @Test("is well-formed SVG 1.1, sized in millimetres for print, with the fonts that carry Kazakh")
    func wellFormed() async throws {
        let map = try CivicMap(try await Self.smallCity().spec())
        let svg = map.svg()
        #expect(svg.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "))
        let root = try parseXML(svg)
        #expect(root.name == "svg")
        #expect(root["xmlns"] == "http://www.w3.org/2000/svg")
        #expect(root["xmlns:xlink"] == "http://www.w3.org/1999/xlink")
        #expect(root["version"] == "1.1")
        #expect(root["width"] == "297mm" && root["height"] == "210mm")
        #expect(root["viewBox"] == "0 0 1188 840")
        #expect(root["font-family"] == "DejaVu Sans, Noto Sans, Arial, sans-serif")
        // SVG 1.1 has no bare href and no paint-order.
        #expect(!svg.contains(" href=") && !svg.contains("paint-order"))
        // Only SVG 1.1 elements and attributes, and civic's own attributes in its namespace.
        let elements: Set = ["svg", "title", "desc", "defs", "pattern", "clipPath", "g", "path", "rect", "use", "text", "tspan"]
        let attributes: Set = [
            "xmlns", "xmlns:xlink", "xmlns:civic", "version", "width", "height", "viewBox", "font-family", "font-size",
            "font-weight", "id", "patternUnits", "patternTransform", "d", "fill", "fill-opacity", "fill-rule", "stroke",
            "stroke-width", "stroke-opacity", "stroke-linejoin", "clip-path", "x", "y", "xlink:href", "text-anchor",
            "transform",
        ]
        for element in root.all {
            #expect(elements.contains(element.name), "<\(element.name)> is not SVG 1.1")
            for name in element.attributes.keys where !name.hasPrefix("civic:") {
                #expect(attributes.contains(name), "\(name) on <\(element.name)>")
            }
        }
        #expect(root["xmlns:civic"] == CivicMap.namespace && !CivicMap.namespace.contains("http"))
    }

    @Test("has a legend of five classes with their ranges and the YlGnBu colours")
    func legendClasses() async throws {
        let root = try parseXML(try CivicMap(try await Self.smallCity().spec()).svg())
        let classes = try #require(root.byID("legend-classes"), "no legend-classes group")
        let swatches = classes.descendants("rect")
        #expect(swatches.map { $0["fill"] ?? "" } == ["#253494", "#2c7fb8", "#41b6c4", "#a1dab4", "#ffffcc"])
        let ranges = classes.descendants("text").map(\.fullText)
        #expect(ranges == ["80–100\u{00A0}%", "60–80\u{00A0}%", "40–60\u{00A0}%", "20–40\u{00A0}%", "0–20\u{00A0}%"])
    }

    @Test("draws one path per district, with its id, filled by its class")
    func onePathPerDistrict() async throws {
        let city = try Self.smallCity()
        let spec = try await city.spec()
        let root = try parseXML(try CivicMap(spec).svg())
        let paths = try #require(root.byID("districts")).descendants("path")
        #expect(paths.map { $0["civic:district"] ?? "" } == city.districts.map(\.id))
        for (path, row) in zip(paths, spec.coverage.districts) {
            let expected = MapStyle.shareColours[MapStyle.shareClass(row.coveredShare)]
            #expect(path["fill"] == expected, "district \(row.id) at \(row.coveredShare)")
            #expect(path.descendants("title").first?.fullText.hasPrefix(row.name) == true)
        }
        // Both ends of the palette are used by this city: crowded south-west, empty north-east.
        #expect(Set(paths.compactMap { $0["fill"] }).count >= 3)
    }

    @Test("draws one symbol per selected entity, polygons as areas, inactive ones not at all")
    func oneSymbolPerEntity() async throws {
        var city = try Self.smallCity()
        city.entities.append(try SyntheticCity.square(1001, centre: Position(x: 501_500, y: 5_531_500), side: 300))
        city.entities.append(try SyntheticCity.square(1002, centre: Position(x: 502_500, y: 5_531_500), side: 2))
        let selection = EntitySelection(themes: ["culture", "youth"])
        let map = try CivicMap(try await city.spec(selection: selection))
        let selected = city.entities.filter(selection.includes)
        #expect(selected.count > 2 && selected.count < city.entities.count)
        let root = try parseXML(map.svg())
        let uses = try #require(root.byID("entities")).descendants("use")
        let areas = try #require(root.byID("entity-areas")).descendants("path")
        #expect(uses.count + areas.count == selected.count)
        // The 300 m park is an area; the 2 m one would vanish, so it is a symbol.
        #expect(areas.count == 1)
        #expect(uses.allSatisfy { ($0["xlink:href"] ?? "").hasPrefix("#k") })
        // Every symbol refers to a kind's symbol in the defs.
        let defined = Set(root.descendants("g").compactMap { $0["id"] }.filter { $0.hasPrefix("k") })
        #expect(Set(uses.compactMap { $0["xlink:href"].map { String($0.dropFirst()) } }).isSubset(of: defined))
        // The legend counts them by kind.
        #expect(map.kinds.reduce(0) { $0 + $1.count } == selected.count)
    }

    @Test("hatches the gaps with a pattern defined in the file, and shows it in the legend")
    func gapsHatched() async throws {
        let spec = try await Self.smallCity().spec()
        #expect(!spec.gaps.gaps.isEmpty, "the synthetic city should have gaps")
        let root = try parseXML(try CivicMap(spec).svg())
        let pattern = root.descendants("pattern").first { $0["id"] == "hatch" }
        #expect(pattern != nil)
        let gaps = try #require(root.byID("gaps"))
        #expect(gaps["fill"] == "url(#hatch)")
        #expect(gaps.descendants("path").count == spec.gaps.gaps.count)
        // The legend's swatch has its own copy of the hatch (the web page rescales the map's on zoom).
        let key = root.descendants("pattern").first { $0["id"] == "hatch-key" }
        #expect(key != nil && key?.children.first?.attributes == pattern?.children.first?.attributes)
        #expect(root.byID("legend-gaps")?.descendants("rect").first?["fill"] == "url(#hatch-key)")
    }

    @Test("titles the map with the dataset's name, the radius, themes, date and sources")
    func titleBlock() async throws {
        let spec = try await Self.smallCity().spec(radius: 800, selection: EntitySelection(themes: ["youth"]))
        let root = try parseXML(try CivicMap(spec).svg())
        #expect(root.byID("title")?.fullText == "Тестовый город")
        #expect(root.descendants("title").first?.fullText == "Тестовый город")
        let subtitle = try #require(root.byID("subtitle")).fullText
        #expect(subtitle.contains("800\u{00A0}м") && subtitle.contains("темы: молодёжь") && subtitle.contains("виды: все"))
        #expect(root.byID("date")?.fullText == "25.11.2026")
        let sources = try #require(root.byID("sources")).fullText
        #expect(sources.contains("набор данных «Тестовый город»") && sources.contains("границы районов"))
        #expect(!sources.contains("OpenStreetMap"), "no entity came from OSM")
    }

    @Test("credits OpenStreetMap when an entity drawn came from it")
    func osmCredit() async throws {
        var city = try Self.smallCity()
        city.entities[0].source = "osm:node/9001"
        let root = try parseXML(try CivicMap(try await city.spec(language: "en")).svg())
        #expect(try #require(root.byID("sources")).fullText.contains("© OpenStreetMap contributors"))
    }

    @Test("has a scale bar whose drawn length is its label's metres over the metres per unit")
    func scaleBar() async throws {
        let city = try Self.smallCity()
        let map = try CivicMap(try await city.spec())
        let root = try parseXML(map.svg())
        let metresPerUnit = try #require(root.number("civic:metres-per-unit"))
        let bar = try #require(root.byID("scale-bar"))
        let metres = try #require(bar.number("civic:length-m"))
        let drawn = try #require(bar.byID("scale-bar-a")?.number("width")) + (try #require(bar.byID("scale-bar-b")?.number("width")))
        #expect(abs(drawn - metres / metresPerUnit) <= 0.1, "drawn \(drawn) units for \(metres) m at \(metresPerUnit) m/unit")
        // A round length, written as the label says.
        let leading = metres / pow(10, floor(log10(metres)))
        #expect([1, 2, 5].contains(leading))
        #expect(bar.byID("scale-bar-label")?.fullText == MapWords.of("ru").length(metres))
        // And the metres per unit are the projection's: a 1 km district is drawn 1000 m / k wide and high.
        let first = try #require(root.byID("districts")?.descendants("path").first?["d"])
        let box = try #require(BoundingBox(pathPositions(first).flatMap { $0 }))
        #expect(abs(box.width * metresPerUnit - 1000) < 0.2 * metresPerUnit + 1, "width \(box.width * metresPerUnit) m")
        #expect(abs(box.height * metresPerUnit - 1000) < 0.2 * metresPerUnit + 1, "height \(box.height * metresPerUnit) m")
    }

    @Test("turns the north arrow by the grid convergence: none on the central meridian, about −1.2° in Oskemen")
    func northArrow() async throws {
        let onMeridian = try CivicMap(try await SyntheticCity(columns: 3, rows: 3, entities: 5).spec())
        let east = try CivicMap(try await SyntheticCity(columns: 3, rows: 3, origin: SyntheticCity.oskemen, entities: 5).spec())
        #expect(abs(onMeridian.northRotation) < 0.02)
        // γ = atan(tan(λ − λ₀) · sin φ); east of the central meridian true north leans west of grid north.
        #expect(east.northRotation < -1.0 && east.northRotation > -1.4, "rotation \(east.northRotation)°")
        let root = try parseXML(east.svg())
        let arrow = try #require(root.byID("north-arrow"))
        #expect(arrow["transform"]?.contains("rotate(\(JSONNumber.format(east.northRotation, decimals: 2)))") == true)
        #expect(arrow.descendants("text").first?.fullText == "С")
        #expect(arrow.descendants("path").count == 2)
    }

    @Test("escapes markup characters in names and keeps Cyrillic and Kazakh letters as they are")
    func escaping() async throws {
        var city = try Self.smallCity()
        let tricky = "Өскемен & <Үлбі> \"қала\" ғ ң ө ұ ү һ і ә"
        city.districts[0].name = tricky
        city.districts[0].names = [:]
        let map = try CivicMap(try await city.spec(title: "Карта <тест> & \"кавычки\""))
        let svg = map.svg()
        #expect(svg.contains("Өскемен &amp; &lt;Үлбі&gt; &quot;қала&quot; ғ ң ө ұ ү һ і ә"))
        #expect(!svg.contains("&#"), "non-ASCII letters are written as UTF-8, not as character references")
        let root = try parseXML(svg)
        #expect(root.byID("title")?.fullText == "Карта <тест> & \"кавычки\"")
        let district = try #require(root.byID("districts")?.descendants("path").first)
        #expect(district.descendants("title").first?.fullText.hasPrefix(tricky) == true)
        // And in the web page, where names go into data- attributes.
        #expect(map.html().contains("data-n=\"Өскемен &amp; &lt;Үлбі&gt; &quot;қала&quot;"))
    }

    @Test("speaks the language asked for: legend, kinds, scale and north", arguments: [
        ("kk", "Аудан аумағының қамтылған үлесі", "алаң", "Масштаб", "С", "Қамтылмаған аймақтар"),
        ("ru", "Доля площади района в охвате", "площадка", "Масштаб", "С", "Участки вне охвата"),
        ("en", "Share of the district within reach", "venue", "Scale", "N", "Out of reach"),
    ])
    func language(_ language: String, _ heading: String, _ venue: String, _ scale: String, _ north: String,
                  _ gaps: String) async throws {
        let city = try Self.smallCity()
        let map = try CivicMap(try await city.spec(language: language))
        let root = try parseXML(map.svg())
        let legend = try #require(root.byID("legend")).fullText
        #expect(legend.contains(heading))
        #expect(legend.contains(venue + " — "))
        #expect(legend.contains(gaps))
        #expect(root.byID("scale-bar")?.fullText.contains(scale) == true)
        #expect(root.byID("north-arrow")?.fullText == north)
        if language == "kk" {
            // District names in Kazakh where the district has one.
            #expect(map.districts[0].name == "0-0 аудан")
            #expect(legend.contains("Бүкіл қала"))
            #expect(root.byID("subtitle")?.fullText.contains("тақырыптар: барлығы") == true)
        }
    }

    @Test("places names inside their districts without overlaps")
    func labels() async throws {
        let city = try SyntheticCity(columns: 6, rows: 4, entities: 40)
        let map = try CivicMap(try await city.spec())
        #expect(map.labels.count == city.districts.count, "1 km districts have room for their names")
        let boxes = map.labels.map(\.box)
        for i in boxes.indices {
            for j in boxes.indices where j > i {
                #expect(!boxes[i].intersects(boxes[j]), "\(map.labels[i].lines) overlaps \(map.labels[j].lines)")
            }
        }
        for label in map.labels {
            #expect(label.inside, "\(label.lines) is not inside its district")
            let district = try #require(map.districts.first { $0.id == label.districtID })
            let ring = try #require(pathPositions(district.path).first)
            let box = try #require(BoundingBox(ring))
            #expect(box.contains(Position(x: label.box.minX, y: label.box.minY))
                    && box.contains(Position(x: label.box.maxX, y: label.box.maxY)))
        }
        // Two copies of each name: the halo, then the text.
        let root = try parseXML(map.svg())
        #expect(try #require(root.byID("labels")).descendants("text").count == 2 * map.labels.count)
    }

    @Test("simplifies outlines to the display resolution and rounds coordinates to a tenth of a unit")
    func simplification() async throws {
        // A district bounded by a circle of 2000 vertices: far more than half a unit apart.
        let transform = try CoordinateTransform(from: "EPSG:4326", to: "EPSG:32644")
        let centre = SyntheticCity.centralMeridian
        let ring = (0...2000).map { i -> Position in
            let a = Double(i % 2000) * 2 * .pi / 2000
            return Position(x: centre.x + 3000 * cos(a), y: centre.y + 3000 * sin(a))
        }
        let district = District(id: "round", name: "Круг", geometry: .polygon(Polygon(outerRing: try transform.inverse(ring))))
        var city = try SyntheticCity(columns: 1, rows: 1, entities: 0)
        city.districts = [district]
        let map = try CivicMap(try await city.spec())
        let positions = try #require(pathPositions(map.districts[0].path).first)
        #expect(positions.count < 400, "\(positions.count) vertices kept of 2000")
        #expect(positions.count > 40, "the circle is still a circle")
        let numbers = map.districts[0].path.split(whereSeparator: { " ,MZ".contains($0) })
        #expect(numbers.allSatisfy { $0.split(separator: ".").dropFirst().first.map { $0.count <= 1 } ?? true })
    }

    @Test("draws the projected results as they are: the WGS84 geometries are not projected again")
    func noSecondProjection() async throws {
        var city = try Self.smallCity()
        city.entities.append(try SyntheticCity.square(1001, centre: Position(x: 501_500, y: 5_531_500), side: 300))
        let spec = try await city.spec()
        #expect(!spec.gaps.gaps.isEmpty && spec.measured.entities.count > 50)
        let drawn = try CivicMap(spec).svg()
        // Move every WGS84 geometry far away: a map that projected them again would change.
        var moved = spec
        let nowhere = Geometry.point(Position(x: -170, y: -80))
        for i in moved.measured.districts.indices { moved.measured.districts[i].geometry = nowhere }
        for i in moved.measured.entities.indices { moved.measured.entities[i].entity.geometry = nowhere }
        #expect(try CivicMap(moved).svg() == drawn)
        // And the drawn outlines are the projected shapes: a district moved 1 m east in the CRS moves on the page.
        var shifted = spec
        shifted.measured.districtShapes[0] = .polygon(Polygon(outerRing: shifted.measured.districtShapes[0].polygons[0]
            .outerRing.map { Position(x: $0.x + 1, y: $0.y) }))
        let before = try CivicMap(spec).districts[0].path, after = try CivicMap(shifted).districts[0].path
        #expect(before != after)
    }

    @Test("is deterministic and honours the page size")
    func deterministic() async throws {
        let city = try Self.smallCity()
        let a = try CivicMap(try await city.spec()).svg()
        let b = try CivicMap(try await city.spec()).svg()
        #expect(a == b)
        let a3 = try parseXML(try CivicMap(try await city.spec(page: .a3)).svg())
        #expect(a3["width"] == "420mm" && a3["height"] == "297mm" && a3["viewBox"] == "0 0 1680 1188")
        #expect(PageSize(parsing: "A3") == .a3)
        #expect(PageSize(parsing: "400x300") == PageSize(width: 400, height: 300))
        #expect(PageSize(parsing: "a5") == nil && PageSize(parsing: "10x10") == nil && PageSize(parsing: "x") == nil)
    }
}
