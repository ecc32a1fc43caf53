import Foundation

/// The size of the printed page, in millimetres.
///
/// `a4` and `a3` are landscape; `WxH` (such as `400x300`) is any size, portrait when H > W.
public struct PageSize: Hashable, Sendable {
    public var width: Double
    public var height: Double

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// A4 landscape, the default.
    public static let a4 = PageSize(width: 297, height: 210)
    /// A3 landscape.
    public static let a3 = PageSize(width: 420, height: 297)

    /// `a4`, `a3` or `WxH` in millimetres (each side 50 to 2000 mm); nil for anything else.
    public init?(parsing text: String) {
        let lower = text.lowercased().trimmingCharacters(in: .whitespaces)
        switch lower {
        case "a4": self = .a4
        case "a3": self = .a3
        default:
            let parts = lower.split(separator: "x", omittingEmptySubsequences: false)
            guard parts.count == 2, let w = Double(parts[0]), let h = Double(parts[1]),
                  (50...2000).contains(w), (50...2000).contains(h) else { return nil }
            self.init(width: w, height: h)
        }
    }
}
