import Foundation
import GeoEngine
import GeoValues

/// Widths of text as DejaVu Sans draws it, the widest of the fonts the map names: an estimate in
/// ems good to a few percent for Latin, Cyrillic and the Kazakh letters, erring on the wide side so
/// that a label judged to fit does fit in every font of the list.
enum TextMetrics {
    static func width(_ text: String, size: Double, bold: Bool = false) -> Double {
        var ems = 0.0
        for ch in text {
            if ch == " " || ch == "\u{00A0}" {
                ems += 0.32
            } else if ch.isNumber {
                ems += 0.64
            } else if "ШЩЖМшщжмWwmЮюҮҰӨ".contains(ch) {
                ems += 0.9
            } else if ch.isUppercase {
                ems += 0.73
            } else if ch.isLetter {
                ems += 0.6
            } else if ".,:;'!|ії".contains(ch) {
                ems += 0.32
            } else if "%—№".contains(ch) {
                ems += 1.0
            } else if "()/[]".contains(ch) {
                ems += 0.4
            } else {
                ems += 0.5
            }
        }
        return ems * size * (bold ? 1.1 : 1)
    }

    /// `text` broken into lines no wider than `width`, at spaces.
    static func wrap(_ text: String, width: Double, size: Double, bold: Bool = false) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            let candidate = line.isEmpty ? String(word) : line + " " + word
            if !line.isEmpty && Self.width(candidate, size: size, bold: bold) > width {
                lines.append(line)
                line = String(word)
            } else {
                line = candidate
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}

/// A district's name placed on the map: centred on (x, y), one or two lines.
public struct PlacedLabel: Hashable, Sendable {
    public var districtID: String
    public var lines: [String]
    public var x: Double
    public var y: Double
    /// Font size in page units.
    public var size: Double
    /// True when the whole label lies inside its district.
    public var inside: Bool

    /// The box the label covers, in page units.
    var box: BoundingBox { PlacedLabel.box(lines: lines, x: x, y: y, size: size) }

    static func box(lines: [String], x: Double, y: Double, size: Double) -> BoundingBox {
        let width = lines.map { TextMetrics.width($0, size: size) }.max() ?? 0
        let height = Double(lines.count) * size * lineHeight
        return BoundingBox(minX: x - width / 2, minY: y - height / 2, maxX: x + width / 2, maxY: y + height / 2)
    }

    static let lineHeight = 1.15
}

/// Places district names inside their districts, without overlaps.
///
/// Larger districts are labelled first. For each, the anchors tried are GEOS's point on surface
/// and then the interior points farthest from the boundary (a coarse pole of inaccessibility);
/// the name is tried at three sizes, on one line and split in two at a space. Of the boxes that lie
/// wholly inside the district and clear of the labels already placed, the one that is largest,
/// on one line and covers the fewest entity symbols wins. A name that fits
/// nowhere inside is put at the point on surface at the smallest size if it collides with no
/// other label, and left out otherwise (the web page still names every district on hover).
struct LabelPlacer {
    struct Candidate {
        var districtID: String
        var name: String
        /// The district's polygons in page units: rings, the first the outer one.
        var polygons: [[[Position]]]
        var anchor: Position?
        var area: Double
    }

    var sizes: [Double]
    var frame: BoundingBox
    /// Clear space kept around each label, in page units.
    var margin: Double = 2
    /// Boxes a label should rather not cover (the entity symbols): tried clear of them first.
    var obstacles = ObstacleIndex(boxes: [], cell: 50)
    /// Boxes a label should cover only when nothing else fits (clusters: a covered one hides its number).
    var strongObstacles = ObstacleIndex(boxes: [], cell: 50)

    func place(_ candidates: [Candidate]) -> [PlacedLabel] {
        var placed: [PlacedLabel] = []
        var boxes: [BoundingBox] = []
        let order = candidates.indices.sorted {
            candidates[$0].area != candidates[$1].area ? candidates[$0].area > candidates[$1].area
                : candidates[$0].districtID < candidates[$1].districtID
        }
        for index in order {
            let candidate = candidates[index]
            let name = candidate.name.trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { continue }
            let segments = Self.segments(candidate.polygons)
            let anchors = anchorPoints(candidate, segments: segments)
            var layouts = [[name]]
            if let split = Self.split(name) { layouts.append(split) }
            // Every box inside the district and clear of other names is a candidate; the cheapest
            // wins: each step down in size costs 1, each symbol covered 0.6 (three at most), two
            // lines 0.3, each cluster covered 1.5 (two at most), and each anchor further down the list
            // a little.
            var chosen: PlacedLabel?
            var best = Double.infinity
            for (sizeRank, size) in sizes.enumerated() {
                for (layoutRank, lines) in layouts.enumerated() {
                    for (anchorRank, anchor) in anchors.enumerated() {
                        let base = Double(sizeRank) + 0.3 * Double(layoutRank) + 0.01 * Double(anchorRank)
                        guard base < best else { continue }
                        let box = PlacedLabel.box(lines: lines, x: anchor.x, y: anchor.y, size: size)
                        guard contains(frame, box), !collides(box, boxes),
                              Self.inside(box.expanded(by: margin / 2), candidate.polygons, segments) else { continue }
                        let cost = base + 0.6 * Double(obstacles.count(box, upTo: 3))
                            + 1.5 * Double(strongObstacles.count(box, upTo: 2))
                        if cost < best {
                            best = cost
                            chosen = PlacedLabel(districtID: candidate.districtID, lines: lines, x: anchor.x,
                                                 y: anchor.y, size: size, inside: true)
                        }
                    }
                }
            }
            if chosen == nil, let anchor = candidate.anchor ?? anchors.first, let size = sizes.last {
                let lines = layouts.last ?? [name]
                let box = PlacedLabel.box(lines: lines, x: anchor.x, y: anchor.y, size: size)
                if contains(frame, box), !collides(box, boxes) {
                    chosen = PlacedLabel(districtID: candidate.districtID, lines: lines, x: anchor.x, y: anchor.y,
                                         size: size, inside: false)
                }
            }
            if let chosen {
                placed.append(chosen)
                boxes.append(chosen.box.expanded(by: margin))
            }
        }
        return placed
    }

    private func contains(_ outer: BoundingBox, _ box: BoundingBox) -> Bool {
        box.minX >= outer.minX && box.maxX <= outer.maxX && box.minY >= outer.minY && box.maxY <= outer.maxY
    }

    private func collides(_ box: BoundingBox, _ boxes: [BoundingBox]) -> Bool {
        boxes.contains { $0.intersects(box) }
    }

    /// The point on surface, then up to 24 grid points inside, farthest from the boundary first.
    private func anchorPoints(_ candidate: Candidate, segments: [(Position, Position)]) -> [Position] {
        var anchors: [Position] = []
        if let anchor = candidate.anchor { anchors.append(anchor) }
        guard let box = BoundingBox(candidate.polygons.flatMap { $0.flatMap { $0 } }) else { return anchors }
        let steps = 14
        var scored: [(Position, Double)] = []
        for i in 0..<steps {
            for j in 0..<steps {
                let p = Position(x: box.minX + (Double(i) + 0.5) * box.width / Double(steps),
                                 y: box.minY + (Double(j) + 0.5) * box.height / Double(steps))
                guard Self.contains(candidate.polygons, p) else { continue }
                scored.append((p, Self.clearance(p, segments)))
            }
        }
        scored.sort { $0.1 != $1.1 ? $0.1 > $1.1 : ($0.0.x, $0.0.y) < ($1.0.x, $1.0.y) }
        anchors += scored.prefix(24).map(\.0)
        return anchors
    }

    /// A name of two or more words split into two lines as evenly as the spaces allow.
    static func split(_ name: String) -> [String]? {
        let words = name.split(separator: " ")
        guard words.count >= 2 else { return nil }
        var best: [String]?
        var bestWidth = Double.infinity
        for cut in 1..<words.count {
            let a = words[..<cut].joined(separator: " "), b = words[cut...].joined(separator: " ")
            let width = max(TextMetrics.width(a, size: 1), TextMetrics.width(b, size: 1))
            if width < bestWidth {
                bestWidth = width
                best = [a, b]
            }
        }
        return best
    }

    static func segments(_ polygons: [[[Position]]]) -> [(Position, Position)] {
        var out: [(Position, Position)] = []
        for polygon in polygons {
            for ring in polygon where ring.count > 1 {
                for i in 0..<(ring.count - 1) { out.append((ring[i], ring[i + 1])) }
                if ring[0] != ring[ring.count - 1] { out.append((ring[ring.count - 1], ring[0])) }
            }
        }
        return out
    }

    /// Even-odd point in polygon over each polygon's rings.
    static func contains(_ polygons: [[[Position]]], _ p: Position) -> Bool {
        for polygon in polygons {
            var inside = false
            for ring in polygon where ring.count > 2 {
                var j = ring.count - 1
                for i in 0..<ring.count {
                    let a = ring[i], b = ring[j]
                    if (a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x {
                        inside.toggle()
                    }
                    j = i
                }
            }
            if inside { return true }
        }
        return false
    }

    /// Whether `box` lies wholly inside the polygons: its centre is inside and no edge crosses it.
    static func inside(_ box: BoundingBox, _ polygons: [[[Position]]], _ segments: [(Position, Position)]) -> Bool {
        guard contains(polygons, box.center) else { return false }
        return !segments.contains { crosses($0.0, $0.1, box) }
    }

    /// Liang–Barsky: whether the segment a–b meets the box.
    static func crosses(_ a: Position, _ b: Position, _ box: BoundingBox) -> Bool {
        let dx = b.x - a.x, dy = b.y - a.y
        var t0 = 0.0, t1 = 1.0
        for (p, q) in [(-dx, a.x - box.minX), (dx, box.maxX - a.x), (-dy, a.y - box.minY), (dy, box.maxY - a.y)] {
            if p == 0 {
                if q < 0 { return false }
            } else {
                let r = q / p
                if p < 0 {
                    if r > t1 { return false }
                    t0 = max(t0, r)
                } else {
                    if r < t0 { return false }
                    t1 = min(t1, r)
                }
            }
        }
        return true
    }

    static func clearance(_ p: Position, _ segments: [(Position, Position)]) -> Double {
        var best = Double.infinity
        for (a, b) in segments {
            let dx = b.x - a.x, dy = b.y - a.y
            let length2 = dx * dx + dy * dy
            var t = length2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / length2 : 0
            t = min(1, max(0, t))
            let ex = a.x + t * dx - p.x, ey = a.y + t * dy - p.y
            best = min(best, ex * ex + ey * ey)
        }
        return best.squareRoot()
    }
}

/// Boxes in a uniform grid, for "does this label cover a symbol?" over thousands of symbols.
struct ObstacleIndex {
    private var cells: [Int64: [BoundingBox]] = [:]
    private let cell: Double

    init(boxes: [BoundingBox], cell: Double) {
        self.cell = cell
        for box in boxes {
            for key in keys(box) { cells[key, default: []].append(box) }
        }
    }

    private func keys(_ box: BoundingBox) -> [Int64] {
        let x0 = Int64((box.minX / cell).rounded(.down)), x1 = Int64((box.maxX / cell).rounded(.down))
        let y0 = Int64((box.minY / cell).rounded(.down)), y1 = Int64((box.maxY / cell).rounded(.down))
        var out: [Int64] = []
        for x in x0...x1 {
            for y in y0...y1 { out.append(x << 32 ^ (y & 0xFFFF_FFFF)) }
        }
        return out
    }

    /// How many boxes `box` meets, counting up to `limit`.
    func count(_ box: BoundingBox, upTo limit: Int) -> Int {
        var met: [BoundingBox] = []
        for key in keys(box) {
            for other in cells[key] ?? [] where other.intersects(box) && !met.contains(other) {
                met.append(other)
                if met.count >= limit { return limit }
            }
        }
        return met.count
    }
}
