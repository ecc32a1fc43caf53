/// civic's colours, in one place: the map (CivicRender) draws with them and the GeoPackage's QGIS
/// styles (CivicGeoPackage) open with them, so a layer in QGIS looks like civic's own map.
/// Chosen to read for colour-blind people, in print, and in grey.
public enum Palette {
    /// ColorBrewer **YlGnBu**, 5 classes (Cynthia Brewer, colorbrewer2.org): sequential, rated
    /// colour-blind safe and print friendly; one colour per 20 % of covered share, light yellow the
    /// least covered, dark blue the most.
    public static let shareColours = ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"]

    /// The land and water outside every district; districts as a background.
    public static let outside = "#ecece8"
    /// District outlines.
    public static let districtEdge = "#ffffff"
    /// Gaps: a dark brown-red that holds on yellow and on blue alike.
    public static let hatch = "#7f2704"

    /// Entity symbols: Okabe & Ito's colour-blind-safe colours that the YlGnBu fills do not use
    /// (vermillion, reddish purple, black, orange, purple), one per kind.
    public static let kindColours = ["#d55e00", "#cc79a7", "#1f1f1f", "#e69f00", "#7f5a9f"]

    /// Streets of the walking network: a grey that stays behind the fills and symbols.
    public static let street = "#46525a"
    /// Residents' concerns: an orange apart from every kind colour.
    public static let concern = "#e6550d"
}
