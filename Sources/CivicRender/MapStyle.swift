import CivicCore
import Foundation

/// Colours and symbols: chosen to read for colour-blind people, in print, and in grey.
enum MapStyle {
    /// The covered-share classes (``Palette/shareColours``).
    static let shareColours = Palette.shareColours

    /// The class of a covered share: five equal steps of 20 %, the last one closed (100 % is class 4).
    /// Equal steps keep maps of different radii and themes comparable.
    static func shareClass(_ share: Double) -> Int {
        guard share.isFinite, share > 0 else { return 0 }
        return min(shareColours.count - 1, Int(share * Double(shareColours.count)))
    }

    /// The bounds of class `k` as shares: (0.2k, 0.2(k+1)).
    static func classBounds(_ k: Int) -> (Double, Double) {
        let n = Double(shareColours.count)
        return (Double(k) / n, Double(k + 1) / n)
    }

    /// Frame background: the land and water outside every district.
    static let outside = Palette.outside
    static let districtEdge = Palette.districtEdge
    static let ink = "#1f1f1f"
    static let quietInk = "#555555"
    /// Gap hatching: a dark brown-red that holds on yellow and on blue alike.
    static let hatch = Palette.hatch
    /// Clusters: a dark slate that no kind and no share class uses, with white numbers.
    static let cluster = "#37474f"

    /// Entity symbols: Okabe & Ito's colour-blind-safe colours that the YlGnBu fills do not use
    /// (vermillion, reddish purple, black, orange), each with a white outline so that it stands
    /// out on any fill; and a different shape for each kind, so that colour is never the only cue.
    static let kindColours = Palette.kindColours

    enum Shape: Int, CaseIterable {
        case circle, triangle, square, diamond, pentagon
    }

    /// The standard kinds get fixed symbols; other kinds take the rest in vocabulary order.
    static func kindStyles(_ kindIDs: [String]) -> [(shape: Shape, colour: String)] {
        let fixed: [String: Int] = ["community": 0, "initiative_group": 1, "venue": 2]
        var used = Set(kindIDs.compactMap { fixed[$0] })
        var next = 0
        return kindIDs.map { id in
            let k: Int
            if let f = fixed[id] {
                k = f
            } else {
                while used.contains(next % Shape.allCases.count) && used.count < Shape.allCases.count { next += 1 }
                k = next % Shape.allCases.count
                used.insert(k)
                next += 1
            }
            return (Shape(rawValue: k % Shape.allCases.count) ?? .circle, kindColours[k % kindColours.count])
        }
    }

    /// Path data of a symbol centred on (0, 0) whose area is about that of a circle of radius `r`.
    static func symbolPath(_ shape: Shape, r: Double) -> String {
        func n(_ v: Double) -> String { Markup.number(v) }
        switch shape {
        case .circle:
            return "M\(n(-r)),0a\(n(r)),\(n(r)) 0 1,0 \(n(2 * r)),0a\(n(r)),\(n(r)) 0 1,0 \(n(-2 * r)),0Z"
        case .square:
            let h = r * 0.89
            return "M\(n(-h)),\(n(-h))H\(n(h))V\(n(h))H\(n(-h))Z"
        case .triangle:
            let s = r * 1.35
            return "M0,\(n(-s))L\(n(s * 0.866)),\(n(s * 0.5))H\(n(-s * 0.866))Z"
        case .diamond:
            let h = r * 1.25
            return "M0,\(n(-h))L\(n(h)),0L0,\(n(h))L\(n(-h)),0Z"
        case .pentagon:
            let s = r * 1.15
            var d = ""
            for i in 0..<5 {
                let a = Double(i) * 2 * Double.pi / 5 - Double.pi / 2
                d += (i == 0 ? "M" : "L") + n(s * cos(a)) + "," + n(s * sin(a))
            }
            return d + "Z"
        }
    }
}

extension CivicMap {
    /// Walking: the reach's outline, a dark line on a white casing, over the hatch and the streets,
    /// so that the reach reads on every share colour (dark on the light classes, the casing on the
    /// dark ones) and apart from the street lines.
    func writeWalkReach(_ out: inout Markup) {
        guard !walkReach.isEmpty else { return }
        out.raw("<g id=\"walk-reach\" fill=\"none\" fill-rule=\"evenodd\" stroke-linejoin=\"round\">\n<path")
        out.attribute("d", walkReach)
        out.raw(" stroke=\"#fff\" stroke-opacity=\"0.9\" stroke-width=\"2.4\"/>\n<path")
        out.attribute("d", walkReach)
        out.raw(" stroke=\"\(MapStyle.walkReach)\" stroke-width=\"1.1\"/>\n</g>\n")
    }
}

extension CivicMap {
    /// The legend's key for the walking reach: a rounded swatch outlined as the reach is.
    func writeWalkReachKey(_ out: inout Markup, x: Double, y: Double, width: Double, height: Double) {
        for (stroke, strokeWidth) in [("#fff", "2.4"), (MapStyle.walkReach, "1.1")] {
            out.raw("<rect")
            out.attribute("x", x + 1)
            out.attribute("y", y + 1)
            out.attribute("width", width - 2)
            out.attribute("height", height - 2)
            out.attribute("rx", height / 3)
            out.raw(" fill=\"\(stroke == "#fff" ? MapStyle.shareColours[0] : "none")\" stroke=\"\(stroke)\" stroke-width=\"\(strokeWidth)\"/>\n")
        }
    }
}

extension MapStyle {
    /// The walking reach's outline: a deep blue-black that holds on yellow and green and, with its
    /// white casing, on the dark blues too.
    static let walkReach = "#08306b"
}
