import CivicCore

/// The styles civic's layers open with in QGIS: the colours of civic's own map.
public enum CivicStyles {
    /// The covered-share classes of civic's map (CivicRender's five equal steps of 20 %, light to dark).
    public static let shareColours: [LayerStyle.Colour] = Palette.shareColours

    /// Districts shaded by `covered_share`, as on the map.
    public static let coverage = LayerStyle.graduatedFill(
        name: "civic coverage", field: "covered_share",
        ranges: shareColours.indices.map { k in
            LayerStyle.Range(lower: Double(k) / 5, upper: Double(k + 1) / 5, colour: shareColours[k],
                             label: "\(k * 20) – \((k + 1) * 20) %")
        },
        description: "districts shaded by covered share, as on civic's map")

    /// Districts as a light background.
    public static let districts = LayerStyle.singleFill(name: "civic districts", colour: Palette.outside, outline: Palette.districtEdge,
                                                        description: "districts as a background")

    /// The uncovered parts, in the map's hatch colour.
    public static let gaps = LayerStyle.singleFill(name: "civic gaps", colour: Palette.hatch, outline: Palette.hatch,
                                                   description: "parts of districts out of reach")

    /// Point entities.
    public static let entityPoints = LayerStyle.singleMarker(name: "civic entities", colour: Palette.kindColours[0],
                                                             description: "communities, initiative groups and venues")

    /// Area entities (parks, courtyards).
    public static let entityAreas = LayerStyle.singleFill(name: "civic entity areas", colour: Palette.kindColours[3], outline: Palette.kindColours[0],
                                                          description: "entities mapped as areas")

    /// The `highway` values drawn wider: the main streets a reader finds their way by.
    public static let majorHighways = ["trunk", "trunk_link", "primary", "primary_link", "secondary", "secondary_link"]

    /// The street network: thin grey lines, wider for primary and secondary streets, as on the map.
    public static let network = LayerStyle.lines(name: "civic network", colour: Palette.street, width: 0.2,
                                                 field: "highway", major: majorHighways, majorWidth: 0.6,
                                                 description: "walkable ways; main streets wider")

    /// Residents' concerns (the public cells' centres, or the exact points of the private form).
    public static let concerns = LayerStyle.singleMarker(name: "civic concerns", colour: Palette.concern,
                                                         description: "residents' concerns")
}
