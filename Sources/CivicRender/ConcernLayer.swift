import CivicAnalysis
import CivicCore
import GeoEngine
import GeoValues

/// One public cell of residents' concerns as drawn (`civic map --concerns`): the 250 m square of
/// its district's UTM grid, the theme and the count. Only the public form reaches the map: cells
/// with fewer than 5 concerns of a theme are not drawn (DESIGN §10).
public struct ConcernMark: Hashable, Sendable {
    public var theme: String
    public var count: Int
    /// The square's centre in page units, where the count is written.
    public var x: Double
    public var y: Double
    /// SVG path data of the square in page units.
    public var path: String

    /// The marks of `cells` of at least 5 concerns, on the page of a map drawn in `crs`: a cell of
    /// that zone is the exact square of the grid; one of another zone is its WGS84 square projected.
    static func marks(_ cells: [ConcernCell], crs: String, toPage: PageTransform, vocabulary: Vocabulary,
                      language: String) throws -> [ConcernMark] {
        let shown = cells.filter { $0.concerns >= SmallCount.threshold }
        guard !shown.isEmpty else { return [] }
        let transform = try CoordinateTransform(from: "EPSG:4326", to: crs)
        let size = ConcernAnalysis.cellSize
        return try shown.map { cell in
            let ring: [Position]
            if "EPSG:\(cell.epsg)" == crs {
                let x0 = Double(cell.column) * size, y0 = Double(cell.row) * size
                ring = [Position(x: x0, y: y0), Position(x: x0 + size, y: y0), Position(x: x0 + size, y: y0 + size),
                        Position(x: x0, y: y0 + size), Position(x: x0, y: y0)]
            } else {
                ring = try transform.forward(cell.square.outerRing)
            }
            let page = ring.map(toPage.apply)
            let box = BoundingBox(page) ?? BoundingBox(minX: 0, minY: 0, maxX: 0, maxY: 0)
            let label = vocabulary.themes.first { $0.id == cell.theme }?.label(language) ?? cell.theme
            return ConcernMark(theme: label, count: cell.concerns, x: box.center.x, y: box.center.y,
                               path: Markup.pathData([page]))
        }
    }
}

extension CivicMap {
    /// The concerns layer: each cell's square, outlined, with its count; a title names the theme.
    func writeConcerns(_ out: inout Markup) {
        guard !concernMarks.isEmpty else { return }
        out.raw("<g id=\"concerns\" fill=\"\(Self.concernColour)\" fill-opacity=\"0.45\" stroke=\"\(Self.concernColour)\" stroke-width=\"0.8\">\n")
        for mark in concernMarks {
            out.raw("<path")
            out.attribute("d", mark.path)
            out.raw("><title>")
            out.escaped("\(mark.theme): " + words.number(Double(mark.count)))
            out.raw("</title></path>\n")
        }
        out.raw("</g>\n")
        out.raw("<g id=\"concern-counts\" font-size=\"7\" text-anchor=\"middle\" fill=\"\(MapStyle.ink)\">\n")
        for mark in concernMarks {
            out.raw("<text")
            out.attribute("x", mark.x)
            out.attribute("y", mark.y + 2.5)
            out.raw(">")
            out.escaped(words.number(Double(mark.count)))
            out.raw("</text>\n")
        }
        out.raw("</g>\n")
    }

    /// The legend's key: a cell drawn as on the map, holding the smallest count shown (5).
    func writeConcernKey(_ out: inout Markup, x: Double, y: Double, width: Double, height: Double) {
        out.raw("<rect")
        out.attribute("x", x)
        out.attribute("y", y)
        out.attribute("width", width)
        out.attribute("height", height)
        out.raw(" fill=\"\(Self.concernColour)\" fill-opacity=\"0.45\" stroke=\"\(Self.concernColour)\" stroke-width=\"0.8\"/><text")
        out.attribute("x", x + width / 2)
        out.attribute("y", y + height / 2 + 2.5)
        out.raw(" font-size=\"7\" text-anchor=\"middle\" fill=\"\(MapStyle.ink)\">")
        out.escaped(words.number(Double(SmallCount.threshold)))
        out.raw("</text>\n")
    }

    /// Residents' concerns: an orange that no share class, kind or hatch uses.
    static let concernColour = Palette.concern
}
