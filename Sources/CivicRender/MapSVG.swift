import CivicCore
import Foundation
import GeoEngine
import GeoValues

/// How the SVG is written: a file of its own, or inline in the web page.
enum SVGFlavour {
    /// SVG 1.1: XML declaration, `xlink:href`, width and height in millimetres for print, and the
    /// map's own facts (district ids, the scale) as attributes in civic's namespace, which SVG 1.1
    /// allows on any element and every renderer ignores.
    case file
    /// Inline in HTML: plain `href`, `data-` attributes that the page's script reads.
    case page
}

extension CivicMap {
    /// The namespace of civic's own attributes in an SVG file (a name, not an address: nothing is loaded).
    public static let namespace = "urn:civic:map"

    /// The families named for every text: DejaVu Sans and Noto Sans carry Cyrillic and the Kazakh
    /// letters (ә ғ қ ң ө ұ ү һ і) and are on nearly every Linux machine; Arial has them on Windows
    /// and macOS; the generic family is the last resort.
    static let fontFamily = "DejaVu Sans, Noto Sans, Arial, sans-serif"

    /// The page units the web page leaves off each side of the printed page (6 mm).
    static let pageCrop = 6 * unitsPerMillimetre

    /// The map as an SVG 1.1 document, sized for print (`width="297mm"`), deterministic: the same
    /// inputs give the same bytes.
    public func svg() -> String {
        var out = Markup(capacity: 1 << 20)
        out.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        writeSVG(into: &out, flavour: .file)
        return out.text
    }

    func writeSVG(into out: inout Markup, flavour: SVGFlavour) {
        let file = flavour == .file
        let href = file ? "xlink:href" : "href"
        func meta(_ name: String) -> String { file ? "civic:" + name : "data-" + name }

        // Root.
        out.raw("<svg xmlns=\"http://www.w3.org/2000/svg\"")
        if file {
            out.raw(" xmlns:xlink=\"http://www.w3.org/1999/xlink\" xmlns:civic=\"\(Self.namespace)\"")
        } else {
            out.attribute("id", "map")
        }
        out.raw(" version=\"1.1\"")
        if file {
            out.attribute("width", JSONNumber.format(page.width, decimals: 2) + "mm")
            out.attribute("height", JSONNumber.format(page.height, decimals: 2) + "mm")
            out.attribute("viewBox", "0 0 \(Markup.number(width)) \(Markup.number(height))")
        } else {
            // On screen and in print the page's own margin is enough: the outer 6 mm are cut off.
            let crop = Self.pageCrop
            out.attribute("viewBox", "\(Markup.number(crop)) \(Markup.number(crop)) \(Markup.number(width - 2 * crop)) \(Markup.number(height - 2 * crop))")
            out.attribute("preserveAspectRatio", "xMidYMin meet")
        }
        out.attribute("font-family", Self.fontFamily)
        out.attribute(file ? "civic:metres-per-unit" : "data-mpu", JSONNumber.format(metresPerUnit, decimals: 6))
        out.attribute(file ? "civic:crs" : "data-crs", crs)
        if !file { out.attribute("data-max", scaleBar.maxWidth) }
        out.raw(">\n")
        out.element("title", text: title)
        out.raw("\n")
        out.element("desc", text: subtitle + ". " + sources)
        out.raw("\n")

        // Definitions: the hatch of the gaps, the frame's clip, one symbol per kind.
        out.raw("<defs>\n")
        // Two copies of the hatch: the map's, which the web page rescales on zoom, and the legend's.
        for id in ["hatch", "hatch-key"] {
            out.raw("<pattern id=\"\(id)\" patternUnits=\"userSpaceOnUse\" width=\"4.5\" height=\"4.5\" patternTransform=\"rotate(45)\">")
            out.raw("<path d=\"M0,0V4.5\" stroke=\"\(MapStyle.hatch)\" stroke-width=\"0.8\" stroke-opacity=\"0.65\"/></pattern>\n")
        }
        out.raw("<clipPath id=\"frame-clip\"><rect")
        rect(&out, frame)
        out.raw("/></clipPath>\n")
        for (i, kind) in kinds.enumerated() {
            // A group around the path: the web page rescales the path so that symbols keep their size on zoom.
            out.raw("<g id=\"k\(i)\"><path")
            out.attribute("d", kind.symbol)
            out.attribute("fill", kind.colour)
            out.raw(" stroke=\"#fff\" stroke-width=\"\(Markup.number(max(0.2, symbolRadius * 0.28)))\"/></g>\n")
        }
        out.raw("</defs>\n")
        out.raw("<rect width=\"\(Markup.number(width))\" height=\"\(Markup.number(height))\" fill=\"#fff\"/>\n")

        // The map, clipped to its frame; the inner group is what the web page pans and zooms.
        out.raw("<g id=\"map-frame\" clip-path=\"url(#frame-clip)\">\n<rect")
        rect(&out, frame)
        out.attribute("fill", MapStyle.outside)
        out.raw("/>\n<g id=\"viewport\">\n")

        out.raw("<g id=\"districts\" fill-rule=\"evenodd\">\n")
        for d in districts {
            out.raw("<path")
            out.attribute(file ? "civic:district" : "data-id", d.id)
            if !file {
                out.attribute("data-n", d.name)
                out.attribute("data-s", words.percent(d.share))
                out.attribute("data-e", words.number(Double(d.entities)))
                if let population = d.population { out.attribute("data-pop", words.number(population.rounded())) }
                if let leftOut = d.leftOut { out.attribute("data-p", words.number(leftOut.rounded())) }
            }
            out.attribute("fill", MapStyle.shareColours[d.shareClass])
            out.attribute("d", d.path)
            if file {
                out.raw("><title>")
                out.escaped(d.name + ": " + words.percent(d.share))
                out.raw("</title></path>\n")
            } else {
                out.raw("/>\n")
            }
        }
        out.raw("</g>\n")

        // Walking: the streets, faint, over the shading and under the hatch of the gaps.
        if !streets.isEmpty {
            out.raw("<g id=\"streets\" fill=\"none\" stroke=\"\(Palette.street)\" stroke-opacity=\"0.55\" stroke-width=\"0.55\" "
                    + "stroke-linecap=\"round\" stroke-linejoin=\"round\"><path")
            out.attribute("d", streets)
            out.raw("/></g>\n")
        }

        out.raw("<g id=\"gaps\" fill=\"url(#hatch)\" fill-rule=\"evenodd\">\n")
        for gap in gaps {
            out.raw("<path")
            out.attribute(meta("district"), gap.districtID)
            out.attribute("d", gap.path)
            out.raw("/>\n")
        }
        out.raw("</g>\n")
        writeWalkReach(&out)

        // District edges over the hatching, so that every boundary reads as one clean line.
        out.raw("<g id=\"district-edges\" fill=\"none\" stroke=\"\(MapStyle.districtEdge)\" stroke-width=\"1.4\" stroke-linejoin=\"round\">\n")
        for d in districts {
            out.raw("<path")
            out.attribute("d", d.path)
            out.raw("/>\n")
        }
        out.raw("</g>\n")
        writeConcerns(&out)
        if !file {
            // The outline of the district under the pointer, drawn by the page's script.
            out.raw("<path id=\"highlight\" d=\"\" fill=\"none\" stroke=\"\(MapStyle.ink)\" stroke-width=\"2.5\" stroke-linejoin=\"round\"/>\n")
        }

        // Entities: areas first, then symbols, one group per kind.
        out.raw("<g id=\"entity-areas\" fill-opacity=\"0.4\" stroke-width=\"0.8\" stroke-linejoin=\"round\">\n")
        // The most numerous kind first, so that the rarer ones are drawn over it.
        for k in drawOrder {
            let kind = kinds[k]
            let marks = entityAreas.filter { $0.kind == k }
            guard !marks.isEmpty else { continue }
            out.raw("<g")
            out.attribute(file ? "civic:kind" : "data-k", file ? kind.id : String(k))
            out.attribute("fill", kind.colour)
            out.attribute("stroke", kind.colour)
            out.raw(">\n")
            for m in marks {
                out.raw("<path")
                entityData(&out, m, file: file)
                out.attribute("d", m.path ?? "")
                out.raw("/>\n")
            }
            out.raw("</g>\n")
        }
        out.raw("</g>\n<g id=\"entities\">\n")
        for k in drawOrder {
            let kind = kinds[k]
            let marks = entityPoints.filter { $0.kind == k }
            guard !marks.isEmpty else { continue }
            out.raw("<g")
            out.attribute(file ? "civic:kind" : "data-k", file ? kind.id : String(k))
            out.raw(">\n")
            let reference = " \(href)=\"#k\(k)\""
            for m in marks {
                out.raw("<use")
                out.raw(reference)
                out.attribute("x", m.x)
                out.attribute("y", m.y)
                entityData(&out, m, file: file)
                out.raw("/>\n")
            }
            out.raw("</g>\n")
        }
        out.raw("</g>\n")
        writeClusters(&out, file: file)
        if !file {
            // The clusters' entities, opened into symbols and smaller clusters by the page's script on zoom.
            out.raw("<g id=\"clusters-live\"></g>\n")
        }

        // District names with a white halo. `paint-order` is SVG 2, so the halo is a first copy of
        // the text, stroked, under the second: SVG 1.1 viewers draw it the same way.
        out.raw("<g id=\"labels\" text-anchor=\"middle\">\n")
        out.raw("<g fill=\"#fff\" stroke=\"#fff\" stroke-opacity=\"0.92\" stroke-width=\"3\" stroke-linejoin=\"round\">\n")
        for label in labels { labelText(&out, label) }
        out.raw("</g>\n<g fill=\"\(MapStyle.ink)\">\n")
        for label in labels { labelText(&out, label) }
        out.raw("</g>\n</g>\n")
        writeSites(&out)
        out.raw("</g>\n</g>\n")
        out.raw("<rect")
        rect(&out, frame)
        out.raw(" fill=\"none\" stroke=\"#8a8a8a\" stroke-width=\"0.8\"/>\n")

        writeTitle(&out)
        writeLegend(&out, meta: meta)
        writeSources(&out)
        out.raw("</svg>\n")
    }

    private func entityData(_ out: inout Markup, _ m: EntityMark, file: Bool) {
        guard !file else { return }
        out.attribute("data-n", m.name)
        out.raw(" data-t=\"")
        for (i, t) in m.themes.enumerated() {
            if i > 0 { out.raw(" ") }
            out.raw(String(t))
        }
        out.raw("\"")
    }

    private func rect(_ out: inout Markup, _ box: BoundingBox) {
        out.attribute("x", box.minX)
        out.attribute("y", box.minY)
        out.attribute("width", box.width)
        out.attribute("height", box.height)
    }

    private func labelText(_ out: inout Markup, _ label: PlacedLabel) {
        let lineHeight = label.size * PlacedLabel.lineHeight
        let top = label.y - Double(label.lines.count) * lineHeight / 2
        // 0.36 em below the middle of a line is where the baseline of Latin and Cyrillic capitals sits.
        func baseline(_ i: Int) -> Double { top + (Double(i) + 0.5) * lineHeight + 0.36 * label.size }
        out.raw("<text")
        out.attribute("x", label.x)
        out.attribute("y", baseline(0))
        out.attribute("font-size", label.size)
        out.raw(">")
        if label.lines.count == 1 {
            out.escaped(label.lines[0])
        } else {
            for (i, line) in label.lines.enumerated() {
                out.raw("<tspan")
                out.attribute("x", label.x)
                out.attribute("y", baseline(i))
                out.raw(">")
                out.escaped(line)
                out.raw("</tspan>")
            }
        }
        out.raw("</text>\n")
    }

    // MARK: - Around the map

    private func writeTitle(_ out: inout Markup) {
        let u = Self.unitsPerMillimetre
        let left = frame.minX, right = panel.maxX
        let dateSize = 3.2 * u
        let dateWidth = TextMetrics.width(dateText, size: dateSize)
        var titleSize = 5.6 * u
        let room = right - left - dateWidth - 6 * u
        let wanted = TextMetrics.width(title, size: titleSize, bold: true)
        if wanted > room { titleSize = max(3.4 * u, titleSize * room / wanted) }
        let baseline = frame.minY - 9.5 * u
        out.raw("<g id=\"title-block\">\n")
        out.raw("<text id=\"title\"")
        out.attribute("x", left)
        out.attribute("y", baseline)
        out.attribute("font-size", titleSize)
        out.raw(" font-weight=\"bold\" fill=\"\(MapStyle.ink)\">")
        out.escaped(title)
        out.raw("</text>\n<text id=\"subtitle\"")
        out.attribute("x", left)
        out.attribute("y", frame.minY - 3 * u)
        out.attribute("font-size", 3.1 * u)
        out.raw(" fill=\"\(MapStyle.quietInk)\">")
        out.escaped(subtitle)
        out.raw("</text>\n<text id=\"date\"")
        out.attribute("x", right)
        out.attribute("y", baseline)
        out.attribute("font-size", dateSize)
        out.raw(" text-anchor=\"end\" fill=\"\(MapStyle.quietInk)\">")
        out.escaped(dateText)
        out.raw("</text>\n</g>\n")
    }

    private func writeLegend(_ out: inout Markup, meta: (String) -> String) {
        let u = Self.unitsPerMillimetre
        let x0 = panel.minX
        let textX = x0 + 13 * u
        let headSize = 3.3 * u, itemSize = 3 * u
        var y = panel.minY + headSize
        out.raw("<g id=\"legend\" fill=\"\(MapStyle.ink)\">\n")

        func heading(_ text: String) {
            for line in TextMetrics.wrap(text, width: panel.width, size: headSize, bold: true) {
                out.raw("<text")
                out.attribute("x", x0)
                out.attribute("y", y)
                out.attribute("font-size", headSize)
                out.raw(" font-weight=\"bold\">")
                out.escaped(line)
                out.raw("</text>\n")
                y += headSize * 1.25
            }
        }
        func item(_ text: String, swatchTop: Double, swatchHeight: Double) {
            let lines = TextMetrics.wrap(text, width: panel.maxX - textX, size: itemSize)
            let block = Double(lines.count) * itemSize * 1.2
            var baseline = swatchTop + swatchHeight / 2 - block / 2 + itemSize * 0.95
            for line in lines {
                out.raw("<text")
                out.attribute("x", textX)
                out.attribute("y", baseline)
                out.attribute("font-size", itemSize)
                out.raw(">")
                out.escaped(line)
                out.raw("</text>\n")
                baseline += itemSize * 1.2
            }
        }

        // Covered share: five classes, the most covered on top.
        heading(words.shareTitle)
        y += 0.5 * u
        out.raw("<g id=\"legend-classes\">\n")
        let swatch = (w: 10 * u, h: 5.5 * u)
        for k in stride(from: MapStyle.shareColours.count - 1, through: 0, by: -1) {
            let (low, high) = MapStyle.classBounds(k)
            let range = words.number(low * 100) + "–" + words.percent(high, decimals: 0)
            out.raw("<g")
            out.attribute(meta("class"), String(k))
            out.raw("><rect")
            out.attribute("x", x0)
            out.attribute("y", y)
            out.attribute("width", swatch.w)
            out.attribute("height", swatch.h)
            out.attribute("fill", MapStyle.shareColours[k])
            out.raw(" stroke=\"#8a8a8a\" stroke-width=\"0.5\"/>\n")
            item(range, swatchTop: y, swatchHeight: swatch.h)
            out.raw("</g>\n")
            y += swatch.h
        }
        out.raw("</g>\n")
        y += 2.5 * u
        out.raw("<g id=\"legend-gaps\"><rect")
        out.attribute("x", x0)
        out.attribute("y", y)
        out.attribute("width", swatch.w)
        out.attribute("height", swatch.h)
        out.raw(" fill=\"url(#hatch-key)\" stroke=\"#8a8a8a\" stroke-width=\"0.5\"/>\n")
        item(words.fill(words.gapsLabel, ["a": words.area(minGapArea)]), swatchTop: y, swatchHeight: swatch.h)
        out.raw("</g>\n")
        y += swatch.h
        if !walkReach.isEmpty {
            // The walking reach's key: its outline as drawn, round a swatch of the least covered class.
            let label = walkReachLabel
            let lines = TextMetrics.wrap(label, width: panel.maxX - textX, size: itemSize).count
            let rowHeight = max(swatch.h, Double(lines) * itemSize * 1.2)
            let top = y + 2.5 * u + (rowHeight - swatch.h) / 2
            out.raw("<g id=\"legend-walk-reach\">")
            writeWalkReachKey(&out, x: x0, y: top, width: swatch.w, height: swatch.h)
            item(label, swatchTop: top, swatchHeight: swatch.h)
            out.raw("</g>\n")
            y += 2.5 * u + rowHeight
        }
        if !concernMarks.isEmpty {
            // The concerns' key: a cell as the map draws it, with the smallest count it shows.
            // Its words take several lines: the row is as tall as they are, the cell in its middle.
            let lines = TextMetrics.wrap(words.concernsLabel, width: panel.maxX - textX, size: itemSize).count
            let rowHeight = max(swatch.h, Double(lines) * itemSize * 1.2)
            let top = y + 2.5 * u + (rowHeight - swatch.h) / 2
            out.raw("<g id=\"legend-concerns\">")
            writeConcernKey(&out, x: x0, y: top, width: swatch.w, height: swatch.h)
            item(words.concernsLabel, swatchTop: top, swatchHeight: swatch.h)
            out.raw("</g>\n")
            y += 2.5 * u + rowHeight
        }
        y += 6 * u

        // Entities by kind, with their symbols drawn large enough to read.
        heading(words.entitiesTitle)
        y += 0.5 * u
        out.raw("<g id=\"legend-kinds\">\n")
        for kind in kinds where kind.count > 0 {
            let rowHeight = 5.5 * u
            out.raw("<path")
            out.attribute("transform", "translate(\(Markup.number(x0 + swatch.w / 2)) \(Markup.number(y + rowHeight / 2)))")
            out.attribute("d", kind.legendSymbol)
            out.attribute("fill", kind.colour)
            out.raw(" stroke=\"#fff\" stroke-width=\"0.6\"/>\n")
            item(kind.label + " — " + words.number(Double(kind.count)), swatchTop: y, swatchHeight: rowHeight)
            y += rowHeight
        }
        if !clusters.isEmpty {
            let rowHeight = 6.5 * u
            let sample = Cluster(x: x0 + swatch.w / 2, y: y + rowHeight / 2, count: 12, radius: 2.6 * u)
            out.raw("<g id=\"legend-clusters\">")
            clusterMark(&out, sample)
            item(words.clusterLabel, swatchTop: y, swatchHeight: rowHeight)
            out.raw("</g>\n")
            y += rowHeight
        }
        if outsideCount > 0 {
            // Counted apart, so that the kinds above add up to what the map shows.
            y += itemSize * 1.2
            out.raw("<text id=\"legend-outside\"")
            out.attribute("x", x0)
            out.attribute("y", y)
            out.attribute("font-size", itemSize)
            out.raw(" fill=\"\(MapStyle.quietInk)\">")
            out.escaped(words.fill(words.outsidePhrase, ["n": words.number(Double(outsideCount))]))
            out.raw("</text>\n")
        }
        out.raw("</g>\n")
        y += 5 * u
        if !siteLegend.isEmpty {
            // The suggested sites, numbered as on the map, with the residents each adds.
            heading(sitesTitle)
            y += 0.5 * u
            out.raw("<g id=\"legend-sites\">\n")
            let rowHeight = 6 * u
            for (i, line) in siteLegend.enumerated() {
                siteDisc(&out, x: x0 + swatch.w / 2, y: y + rowHeight / 2, rank: i + 1, radius: 2.2 * u)
                item(line, swatchTop: y, swatchHeight: rowHeight)
                y += rowHeight
            }
            out.raw("</g>\n")
            y += 3 * u
        }

        // The city in one sentence, then the districts to look at first.
        let summarySize = 2.9 * u
        out.raw("<g id=\"summary\">\n")
        for line in TextMetrics.wrap(summary, width: panel.width - 2 * u, size: summarySize) {
            y += summarySize * 1.25
            out.raw("<text")
            out.attribute("x", x0)
            out.attribute("y", y)
            out.attribute("font-size", summarySize)
            out.raw(">")
            out.escaped(line)
            out.raw("</text>\n")
        }
        out.raw("</g>\n")
        if !ranking.isEmpty {
            y += 9 * u
            heading(rankingTitle)
            writeRanking(&out, top: y, size: summarySize)
        }
        out.raw("</g>\n")

        writeScaleBar(&out, meta: meta)
        writeNorthArrow(&out)
    }

    /// The worst districts as a small table a planner reads out: name, covered share and, with
    /// population figures, residents left out. Long names are cut with an ellipsis.
    private func writeRanking(_ out: inout Markup, top: Double, size: Double) {
        let u = Self.unitsPerMillimetre
        let hasPeople = ranking.contains { $0.leftOut != nil }
        let headSize = size * 0.85
        // Each figure column as wide as its heading or its widest figure, with a 2.5 mm gutter.
        func columnWidth(_ heading: String, _ values: [String]) -> Double {
            max(TextMetrics.width(heading, size: headSize), values.map { TextMetrics.width($0, size: size) }.max() ?? 0)
        }
        let gutter = 2.5 * u
        let leftOutRight = panel.maxX
        let leftOutWidth = hasPeople ? columnWidth(words.leftOutColumn, ranking.compactMap(\.leftOut)) : 0
        let shareRight = hasPeople ? leftOutRight - leftOutWidth - gutter : panel.maxX
        let shareWidth = columnWidth(words.shareColumn, ranking.map(\.share))
        let nameRoom = shareRight - shareWidth - gutter - panel.minX
        var y = top + 0.2 * u
        out.raw("<g id=\"ranking\" font-size=\"\(Markup.number(size))\">\n")
        // Column headings, quiet, over the figures.
        out.raw("<g id=\"ranking-head\" fill=\"\(MapStyle.quietInk)\" font-size=\"\(Markup.number(headSize))\">")
        cell(&out, words.districtWord, x: panel.minX, y: y, anchorEnd: false)
        cell(&out, words.shareColumn, x: shareRight, y: y, anchorEnd: true)
        if hasPeople { cell(&out, words.leftOutColumn, x: leftOutRight, y: y, anchorEnd: true) }
        out.raw("</g>\n")
        out.raw("<path")
        out.attribute("d", "M\(Markup.number(panel.minX)),\(Markup.number(y + 0.35 * size))H\(Markup.number(panel.maxX))")
        out.raw(" stroke=\"#8a8a8a\" stroke-width=\"0.5\"/>\n")
        y += size * 1.45
        for row in ranking {
            var name = row.name
            while name.count > 3 && TextMetrics.width(name, size: size) > nameRoom {
                name = String(name.dropLast(2)) + "…"
            }
            out.raw("<g>")
            cell(&out, name, x: panel.minX, y: y, anchorEnd: false)
            cell(&out, row.share, x: shareRight, y: y, anchorEnd: true)
            if let leftOut = row.leftOut { cell(&out, leftOut, x: leftOutRight, y: y, anchorEnd: true) }
            out.raw("</g>\n")
            y += size * 1.45
        }
        out.raw("</g>\n")
    }

    private func cell(_ out: inout Markup, _ text: String, x: Double, y: Double, anchorEnd: Bool) {
        out.raw("<text")
        out.attribute("x", x)
        out.attribute("y", y)
        if anchorEnd { out.raw(" text-anchor=\"end\"") }
        out.raw(">")
        out.escaped(text)
        out.raw("</text>")
    }

    /// The clusters, over the single symbols: a dark disc with a white rim and the count in white.
    private func writeClusters(_ out: inout Markup, file: Bool) {
        out.raw("<g id=\"clusters\"")
        out.attribute(file ? "civic:cell" : "data-cell", JSONNumber.format(clusterCell, decimals: 2))
        out.raw(">\n")
        for cluster in clusters {
            out.raw("<g")
            out.attribute(file ? "civic:count" : "data-c", String(cluster.count))
            out.raw(">")
            clusterMark(&out, cluster)
            out.raw("</g>\n")
        }
        out.raw("</g>\n")
    }

    /// One cluster's disc and number; the number's size fits its digits inside the disc.
    func clusterMark(_ out: inout Markup, _ c: Cluster) {
        let r = c.radius
        out.raw("<path")
        out.attribute("d", "M\(Markup.number(c.x - r)),\(Markup.number(c.y))a\(Markup.number(r)),\(Markup.number(r)) 0 1,0 \(Markup.number(2 * r)),0a\(Markup.number(r)),\(Markup.number(r)) 0 1,0 \(Markup.number(-2 * r)),0Z")
        out.raw(" fill=\"\(MapStyle.cluster)\" fill-opacity=\"0.88\" stroke=\"#fff\" stroke-width=\"\(Markup.number(max(0.4, r * 0.12)))\"/>")
        let text = words.number(Double(c.count))
        let size = Self.clusterFontSize(text, radius: r)
        out.raw("<text")
        out.attribute("x", c.x)
        out.attribute("y", c.y + 0.36 * size)
        out.attribute("font-size", size)
        out.raw(" text-anchor=\"middle\" font-weight=\"bold\" fill=\"#fff\">")
        out.escaped(text)
        out.raw("</text>")
    }

    /// As large as the disc allows: about 1.2 radii for one or two digits, less for more.
    static func clusterFontSize(_ text: String, radius: Double) -> Double {
        let width = TextMetrics.width(text, size: 1, bold: true)
        return min(1.2 * radius, 1.7 * radius / max(width, 0.01))
    }

    /// Two halves, dark and light, with 0 and the length under the ends.
    private func writeScaleBar(_ out: inout Markup, meta: (String) -> String) {
        let u = Self.unitsPerMillimetre
        let x0 = panel.minX + 1 * u
        let barTop = panel.maxY - 7 * u
        let barHeight = 1.6 * u
        let labelSize = 2.8 * u
        let half = scaleBar.width / 2
        out.raw("<g id=\"scale-bar\"")
        out.attribute(meta("length-m"), JSONNumber.format(scaleBar.metres))
        out.attribute("transform", "translate(\(Markup.number(x0)) \(Markup.number(barTop)))")
        out.raw(" font-size=\"\(Markup.number(labelSize))\" fill=\"\(MapStyle.ink)\">\n")
        out.raw("<text y=\"\(Markup.number(-2 * u))\" fill=\"\(MapStyle.quietInk)\">")
        out.escaped(words.scaleWord)
        out.raw("</text>\n")
        out.raw("<rect id=\"scale-bar-a\" x=\"0\" y=\"0\"")
        out.attribute("width", half)
        out.attribute("height", barHeight)
        out.raw(" fill=\"\(MapStyle.ink)\" stroke=\"\(MapStyle.ink)\" stroke-width=\"0.4\"/>\n")
        out.raw("<rect id=\"scale-bar-b\"")
        out.attribute("x", half)
        out.raw(" y=\"0\"")
        out.attribute("width", scaleBar.width - half)
        out.attribute("height", barHeight)
        out.raw(" fill=\"#fff\" stroke=\"\(MapStyle.ink)\" stroke-width=\"0.4\"/>\n")
        let labelY = Markup.number(barHeight + labelSize * 1.15)
        out.raw("<text x=\"0\" y=\"\(labelY)\" text-anchor=\"middle\">0</text>\n")
        out.raw("<text id=\"scale-bar-label\"")
        out.attribute("x", scaleBar.width)
        out.raw(" y=\"\(labelY)\" text-anchor=\"middle\">")
        out.escaped(scaleBar.label)
        out.raw("</text>\n</g>\n")
    }

    /// An arrow to true north: the grid north of the projection turned by the grid convergence.
    private func writeNorthArrow(_ out: inout Markup) {
        let u = Self.unitsPerMillimetre
        let cx = panel.maxX - 6 * u
        let cy = panel.maxY - 9 * u
        let h = 6 * u, w = 2.4 * u
        out.raw("<g id=\"north-arrow\"")
        out.attribute("transform", "translate(\(Markup.number(cx)) \(Markup.number(cy))) rotate(\(JSONNumber.format(northRotation, decimals: 2)))")
        out.raw(">\n")
        out.raw("<path d=\"M0,\(Markup.number(-h))L\(Markup.number(w)),\(Markup.number(h * 0.6))L0,\(Markup.number(h * 0.25))Z\" fill=\"\(MapStyle.ink)\"/>\n")
        out.raw("<path d=\"M0,\(Markup.number(-h))L\(Markup.number(-w)),\(Markup.number(h * 0.6))L0,\(Markup.number(h * 0.25))Z\" fill=\"#fff\" stroke=\"\(MapStyle.ink)\" stroke-width=\"0.5\" stroke-linejoin=\"round\"/>\n")
        out.raw("<text y=\"\(Markup.number(-h - 1.5 * u))\" text-anchor=\"middle\" font-size=\"\(Markup.number(3.4 * u))\" font-weight=\"bold\" fill=\"\(MapStyle.ink)\">")
        out.escaped(words.northLetter)
        out.raw("</text>\n</g>\n")
    }

    private func writeSources(_ out: inout Markup) {
        let u = Self.unitsPerMillimetre
        let size = Self.sourcesSize
        let lines = TextMetrics.wrap(sources, width: panel.maxX - frame.minX, size: size)
        var y = frame.maxY + 2 * u + size
        out.raw("<g id=\"sources\" font-size=\"\(Markup.number(size))\" fill=\"\(MapStyle.quietInk)\">\n")
        for line in lines {
            out.raw("<text")
            out.attribute("x", frame.minX)
            out.attribute("y", y)
            out.raw(">")
            out.escaped(line)
            out.raw("</text>\n")
            y += size * 1.3
        }
        out.raw("</g>\n")
    }
}
