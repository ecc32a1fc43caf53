import GeoEngine
import GeoValues

/// Text for XML and HTML, written into one growing string: the map of a city of 40,000 entities
/// is a few megabytes, built once, front to back.
struct Markup {
    private(set) var text = ""

    init(capacity: Int = 1 << 16) {
        text.reserveCapacity(capacity)
    }

    mutating func raw(_ s: String) { text += s }

    /// `s` with `&`, `<`, `>` and `"` escaped for text and double-quoted attributes. Characters XML 1.0
    /// does not allow (C0 controls other than tab, newline and return) are dropped, so that a stray
    /// control character in a name cannot make the file unreadable.
    mutating func escaped(_ s: String) { text += Self.escape(s) }

    /// `name="value"` with a leading space, the value escaped.
    mutating func attribute(_ name: String, _ value: String) {
        text += " "
        text += name
        text += "=\""
        text += Self.escape(value)
        text += "\""
    }

    /// `name="1.5"`: a number with at most one decimal (a tenth of a unit is a tenth of a pixel).
    mutating func attribute(_ name: String, _ value: Double) {
        text += " "
        text += name
        text += "=\""
        Self.appendNumber(value, to: &text)
        text += "\""
    }

    /// A whole element with text content: `<name attributes>text</name>`.
    mutating func element(_ name: String, _ attributes: [(String, String)] = [], text content: String) {
        text += "<" + name
        for (key, value) in attributes { attribute(key, value) }
        text += ">"
        escaped(content)
        text += "</" + name + ">"
    }

    static func escape(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 < 0x20 }) else {
            return s
        }
        var out = ""
        out.reserveCapacity(s.utf8.count + 16)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A number rounded to one decimal, without a trailing `.0`, never in exponent notation:
    /// `12.34` → `12.3`, `7.0` → `7`, `-0.04` → `0`.
    static func number(_ value: Double) -> String {
        var s = ""
        appendNumber(value, to: &s)
        return s
    }

    static func appendNumber(_ value: Double, to s: inout String) {
        guard value.isFinite else {
            s += "0"
            return
        }
        appendTenths(Int64((value * 10).rounded()), to: &s)
    }

    /// SVG path data for rings already in page units: `M x,y x,y … Z` per ring, positions rounded
    /// to a tenth of a unit, repeated positions (after rounding) left out. Rings that round to fewer
    /// than three distinct positions are dropped.
    static func pathData(_ rings: [[Position]]) -> String {
        var d = ""
        for ring in rings {
            var points: [(Int64, Int64)] = []
            points.reserveCapacity(ring.count)
            for p in ring {
                let q = (Int64((p.x * 10).rounded()), Int64((p.y * 10).rounded()))
                if let last = points.last, last == q { continue }
                points.append(q)
            }
            if points.count > 1, points[0] == points[points.count - 1] { points.removeLast() }
            guard points.count >= 3 else { continue }
            for (i, q) in points.enumerated() {
                d += i == 0 ? "M" : " "
                appendTenths(q.0, to: &d)
                d += ","
                appendTenths(q.1, to: &d)
            }
            d += "Z"
        }
        return d
    }

    /// SVG path data for open lines already in page units: `M x,y x,y …` per line, rounded as
    /// ``pathData(_:)`` rounds; lines that round to one position are dropped.
    static func linePathData(_ lines: [[Position]]) -> String {
        var d = ""
        for line in lines {
            var points: [(Int64, Int64)] = []
            for p in line {
                let q = (Int64((p.x * 10).rounded()), Int64((p.y * 10).rounded()))
                if let last = points.last, last == q { continue }
                points.append(q)
            }
            guard points.count >= 2 else { continue }
            for (i, q) in points.enumerated() {
                d += i == 0 ? "M" : " "
                appendTenths(q.0, to: &d)
                d += ","
                appendTenths(q.1, to: &d)
            }
        }
        return d
    }

    /// `-12.3` for -123 tenths; `0` rather than `-0`.
    private static func appendTenths(_ tenths: Int64, to s: inout String) {
        if tenths < 0 { s += "-" }
        let magnitude = tenths.magnitude
        s += String(magnitude / 10)
        let fraction = magnitude % 10
        if fraction != 0 {
            s += "."
            s += String(fraction)
        }
    }
}
