import CivicAnalysis
import CivicCore
import CivicTestSupport
import Foundation
import GeoEngine
import Testing
@testable import CivicRender

@Suite("The map as a web page")
struct MapHTMLTests {
    @Test("loads nothing from anywhere: no src, href, url(), @import or link to a network address")
    func selfContained() async throws {
        let map = try CivicMap(try await SyntheticCity(columns: 4, rows: 3, entities: 60).spec())
        let html = map.html()
        #expect(externalLoads(in: html) == [], "external references: \(externalLoads(in: html))")
        // The check itself finds what it is meant to find.
        #expect(externalLoads(in: #"<script src="https://cdn.example/x.js"></script>"#).count >= 1)
        #expect(externalLoads(in: #"<style>@import "a.css"; p{background:url(http://x/y.png)}</style>"#).count >= 2)
        #expect(externalLoads(in: ##"<use href="#k0"/><rect fill="url(#hatch)"/>"##) == [])
        // The only http text is the SVG namespace.
        #expect(html.components(separatedBy: "http").count - 1 == 1)
        #expect(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"map\""))
        #expect(html.contains("<style>") && html.contains("<script>") && !html.contains("<script src"))
    }

    @Test("holds each district's name, covered share and residents left out for hover")
    func hoverData() async throws {
        let city = try SyntheticCity(columns: 4, rows: 3, entities: 60)
        let spec = try await city.spec()
        let html = try CivicMap(spec).html()
        let words = MapWords.of("ru")
        for row in spec.coverage.districts {
            let leftOut = words.number(max(0, (row.population ?? 0) - (row.coveredPopulation ?? 0)).rounded())
            let expected = "data-id=\"\(row.id)\" data-n=\"\(row.name)\" data-s=\"\(words.percent(row.coveredShare))\""
            #expect(html.contains(expected), "no hover data for \(row.id)")
            #expect(html.contains("data-p=\"\(leftOut)\""), "no residents left out for \(row.id)")
        }
        // Entities carry their name and themes; the kind is their group's.
        #expect(html.contains("<use href=\"#k0\""))
        #expect(html.contains("data-n=\"Объект № 1\" data-t=\""))
        #expect(html.contains("<div id=\"tip\" hidden></div>"))
    }

    @Test("offers a checkbox per theme in use, with counts, and a script that filters by them")
    func themeFilters() async throws {
        let city = try SyntheticCity(columns: 4, rows: 3, entities: 60)
        let spec = try await city.spec()
        let map = try CivicMap(spec)
        let html = map.html()
        let used = Set(city.entities.filter(spec.selection.includes).flatMap(\.themes))
        let boxes = html.components(separatedBy: "<input type=\"checkbox\" checked").count - 1
        #expect(boxes == used.count)
        for theme in map.themes where theme.count > 0 {
            #expect(html.contains("data-theme=\"\(theme.id)\"><span>\(theme.label)</span>"), "no checkbox for \(theme.id)")
        }
        #expect(html.contains("id=\"themes-all\"") && html.contains("id=\"themes-none\""))
        #expect(html.contains("addEventListener(\"change\", filter)"))
        // Pan and zoom act on one group; print hides the controls on a landscape page.
        #expect(html.contains("<g id=\"viewport\">") && html.contains("vp.setAttribute(\"transform\""))
        #expect(html.contains("\"wheel\"") && html.contains("id=\"zoom-in\"") && html.contains("id=\"zoom-out\""))
        #expect(html.contains("@page{size:297mm 210mm;margin:6mm}") && html.contains("@media print{"))
        #expect(html.contains("#controls,#tip{display:none}"))
    }

    @Test("keeps the page of a 40,000-entity city under 10 MB")
    func bigCity() async throws {
        // 20 × 15 districts of 1 km and 40,000 entities, about the synthetic benchmark city.
        let city = try SyntheticCity(columns: 20, rows: 15, entities: 40_000, seed: 7)
        let spec = try await city.spec()
        let map = try CivicMap(spec)
        let html = map.html()
        let bytes = html.utf8.count
        #expect(bytes < 10_000_000, "the page is \(bytes) bytes")
        let selected = city.entities.filter(spec.selection.includes).count
        #expect(selected == 36_000)
        // Where symbols would overlap they are clustered (issue 11): every selected entity is drawn
        // once, as a symbol or inside a cluster, and the clusters stand for exactly the others.
        #expect(html.components(separatedBy: "<use href=").count - 1 + map.clusteredPoints.count == selected)
        #expect(map.clusters.reduce(0) { $0 + $1.count } == map.clusteredPoints.count)
        #expect(map.entityPoints.count + map.clusters.count < 5_000, "\(map.entityPoints.count) symbols and \(map.clusters.count) clusters")
        let svg = map.svg()
        #expect(svg.utf8.count < 10_000_000, "the SVG is \(svg.utf8.count) bytes")
        _ = try parseXML(svg)
    }
}
