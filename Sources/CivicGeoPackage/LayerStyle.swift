/// A default style for one layer, as QGIS keeps it in a GeoPackage's `layer_styles` table: QML for
/// QGIS, SLD for other readers.
public struct LayerStyle: Sendable, Equatable {
    /// `styleName`, as QGIS lists it under Layer Properties › Style.
    public var name: String
    /// The QGIS style document (`<qgis>…</qgis>`), what QGIS applies.
    public var qml: String
    /// The same symbology as an OGC Styled Layer Descriptor 1.1, for other readers.
    public var sld: String
    /// A sentence for the `description` column.
    public var description: String

    /// A style from its documents.
    public init(name: String, qml: String, sld: String, description: String) {
        self.name = name
        self.qml = qml
        self.sld = sld
        self.description = description
    }

    /// A colour as `#rrggbb`.
    public typealias Colour = String

    /// One class of a graduated style: values in [lower, upper] get `colour`.
    public struct Range: Sendable, Equatable {
        public var lower: Double
        public var upper: Double
        public var colour: Colour
        public var label: String

        /// A class; QGIS shows `label` in the legend.
        public init(lower: Double, upper: Double, colour: Colour, label: String) {
            self.lower = lower
            self.upper = upper
            self.colour = colour
            self.label = label
        }
    }

    /// Polygons shaded by `field` in `ranges` (QGIS's graduated renderer), with white outlines.
    public static func graduatedFill(name: String, field: String, ranges: [Range], description: String) -> LayerStyle {
        let rangeElements = ranges.enumerated().map { index, range in
            "      <range render=\"true\" symbol=\"\(index)\" lower=\"\(number(range.lower))\" upper=\"\(number(range.upper))\" label=\"\(escaped(range.label))\"/>"
        }.joined(separator: "\n")
        let symbols = ranges.enumerated().map { index, range in
            fillSymbol(name: String(index), colour: range.colour, outline: "#ffffff", indent: "      ")
        }.joined(separator: "\n")
        let qml = """
            <!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
            <qgis version="3.22.0" styleCategories="Symbology">
              <renderer-v2 type="graduatedSymbol" attr="\(escaped(field))" graduatedMethod="GraduatedColor" symbollevels="0" enableorderby="0" forceraster="0">
                <ranges>
            \(rangeElements)
                </ranges>
                <symbols>
            \(symbols)
                </symbols>
                <mode name="equal"/>
                <classificationMethod id="EqualInterval"/>
              </renderer-v2>
              <layerGeometryType>2</layerGeometryType>
            </qgis>
            """
        let rules = ranges.map { range in
            """
                    <se:Rule>
                      <se:Name>\(escaped(range.label))</se:Name>
                      <ogc:Filter><ogc:PropertyIsBetween><ogc:PropertyName>\(escaped(field))</ogc:PropertyName>\
            <ogc:LowerBoundary><ogc:Literal>\(number(range.lower))</ogc:Literal></ogc:LowerBoundary>\
            <ogc:UpperBoundary><ogc:Literal>\(number(range.upper))</ogc:Literal></ogc:UpperBoundary></ogc:PropertyIsBetween></ogc:Filter>
                      \(sldPolygon(range.colour, outline: "#ffffff"))
                    </se:Rule>
            """
        }.joined(separator: "\n")
        return LayerStyle(name: name, qml: qml, sld: sld(name: name, rules: rules), description: description)
    }

    /// Every polygon in one colour.
    public static func singleFill(name: String, colour: Colour, outline: Colour, description: String) -> LayerStyle {
        let qml = singleSymbolQML(fillSymbol(name: "0", colour: colour, outline: outline, indent: "      "), geometryType: 2)
        let rule = "        <se:Rule>\n          \(sldPolygon(colour, outline: outline))\n        </se:Rule>"
        return LayerStyle(name: name, qml: qml, sld: sld(name: name, rules: rule), description: description)
    }

    /// Every point as a circle in one colour.
    public static func singleMarker(name: String, colour: Colour, description: String) -> LayerStyle {
        let symbol = """
                  <symbol type="marker" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
                    <layer class="SimpleMarker" enabled="1" pass="0" locked="0">
                      <Option type="Map">
                        <Option name="name" type="QString" value="circle"/>
                        <Option name="color" type="QString" value="\(rgba(colour))"/>
                        <Option name="outline_color" type="QString" value="255,255,255,255"/>
                        <Option name="outline_width" type="QString" value="0.3"/>
                        <Option name="size" type="QString" value="2.6"/>
                        <Option name="size_unit" type="QString" value="MM"/>
                      </Option>
                      <prop k="name" v="circle"/>
                      <prop k="color" v="\(rgba(colour))"/>
                      <prop k="outline_color" v="255,255,255,255"/>
                      <prop k="outline_width" v="0.3"/>
                      <prop k="size" v="2.6"/>
                      <prop k="size_unit" v="MM"/>
                    </layer>
                  </symbol>
            """
        let qml = singleSymbolQML(symbol, geometryType: 0)
        let rule = """
                    <se:Rule>
                      <se:PointSymbolizer><se:Graphic><se:Mark><se:WellKnownName>circle</se:WellKnownName>\
            <se:Fill><se:SvgParameter name="fill">\(colour)</se:SvgParameter></se:Fill>\
            <se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter></se:Stroke></se:Mark>\
            <se:Size>10</se:Size></se:Graphic></se:PointSymbolizer>
                    </se:Rule>
            """
        return LayerStyle(name: name, qml: qml, sld: sld(name: name, rules: rule), description: description)
    }

    /// Lines in one colour, `width` mm wide, and `majorWidth` mm where `field` is one of `major`
    /// (QGIS's rule-based renderer: the major rule first, then an ELSE rule for every other line).
    ///
    /// ```swift
    /// LayerStyle.lines(name: "streets", colour: Palette.street, width: 0.2, field: "highway",
    ///                  major: ["primary", "secondary"], majorWidth: 0.6, description: "…")
    /// ```
    public static func lines(name: String, colour: Colour, width: Double, field: String, major: [String],
                             majorWidth: Double, description: String) -> LayerStyle {
        // QGIS expression: "highway" IN ('primary','secondary'); quotes doubled inside the literals.
        let values = major.map { "'" + $0.replacingAll("'", with: "''") + "'" }.joined(separator: ",")
        let filter = "\"" + field.replacingAll("\"", with: "\"\"") + "\" IN (" + values + ")"
        let qml = """
            <!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
            <qgis version="3.22.0" styleCategories="Symbology">
              <renderer-v2 type="RuleRenderer" symbollevels="0" enableorderby="0" forceraster="0">
                <rules key="{civic-root}">
                  <rule key="{civic-major}" symbol="0" label="\(escaped(major.joined(separator: ", ")))" filter="\(escaped(filter))"/>
                  <rule key="{civic-other}" symbol="1" label="other ways" filter="ELSE"/>
                </rules>
                <symbols>
            \(lineSymbol(name: "0", colour: colour, width: majorWidth, indent: "      "))
            \(lineSymbol(name: "1", colour: colour, width: width, indent: "      "))
                </symbols>
              </renderer-v2>
              <layerGeometryType>1</layerGeometryType>
            </qgis>
            """
        let equalities = major.map {
            "<ogc:PropertyIsEqualTo><ogc:PropertyName>\(escaped(field))</ogc:PropertyName><ogc:Literal>\(escaped($0))</ogc:Literal></ogc:PropertyIsEqualTo>"
        }.joined()
        let rules = """
                    <se:Rule>
                      <se:Name>\(escaped(major.joined(separator: ", ")))</se:Name>
                      <ogc:Filter>\(major.count > 1 ? "<ogc:Or>\(equalities)</ogc:Or>" : equalities)</ogc:Filter>
                      \(sldLine(colour, width: majorWidth))
                    </se:Rule>
                    <se:Rule>
                      <se:Name>other ways</se:Name>
                      <se:ElseFilter/>
                      \(sldLine(colour, width: width))
                    </se:Rule>
            """
        return LayerStyle(name: name, qml: qml, sld: sld(name: name, rules: rules), description: description)
    }

    // MARK: pieces

    private static func singleSymbolQML(_ symbol: String, geometryType: Int) -> String {
        """
        <!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
        <qgis version="3.22.0" styleCategories="Symbology">
          <renderer-v2 type="singleSymbol" symbollevels="0" enableorderby="0" forceraster="0">
            <symbols>
        \(symbol)
            </symbols>
          </renderer-v2>
          <layerGeometryType>\(geometryType)</layerGeometryType>
        </qgis>
        """
    }

    /// A QGIS fill symbol; both the `Option` map (QGIS 3.26 and later) and `prop` (earlier) forms.
    private static func fillSymbol(name: String, colour: Colour, outline: Colour, indent: String) -> String {
        let lines = [
            "<symbol type=\"fill\" name=\"\(name)\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">",
            "  <layer class=\"SimpleFill\" enabled=\"1\" pass=\"0\" locked=\"0\">",
            "    <Option type=\"Map\">",
            "      <Option name=\"color\" type=\"QString\" value=\"\(rgba(colour))\"/>",
            "      <Option name=\"outline_color\" type=\"QString\" value=\"\(rgba(outline))\"/>",
            "      <Option name=\"outline_style\" type=\"QString\" value=\"solid\"/>",
            "      <Option name=\"outline_width\" type=\"QString\" value=\"0.4\"/>",
            "      <Option name=\"outline_width_unit\" type=\"QString\" value=\"MM\"/>",
            "      <Option name=\"style\" type=\"QString\" value=\"solid\"/>",
            "    </Option>",
            "    <prop k=\"color\" v=\"\(rgba(colour))\"/>",
            "    <prop k=\"outline_color\" v=\"\(rgba(outline))\"/>",
            "    <prop k=\"outline_style\" v=\"solid\"/>",
            "    <prop k=\"outline_width\" v=\"0.4\"/>",
            "    <prop k=\"outline_width_unit\" v=\"MM\"/>",
            "    <prop k=\"style\" v=\"solid\"/>",
            "  </layer>",
            "</symbol>",
        ]
        return lines.map { indent + $0 }.joined(separator: "\n")
    }

    /// A QGIS line symbol `width` mm wide; both the `Option` map and `prop` forms, as for fills.
    private static func lineSymbol(name: String, colour: Colour, width: Double, indent: String) -> String {
        let options = [("line_color", rgba(colour)), ("line_width", number(width)), ("line_width_unit", "MM"),
                       ("line_style", "solid"), ("capstyle", "round"), ("joinstyle", "round")]
        let lines = ["<symbol type=\"line\" name=\"\(name)\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">",
                     "  <layer class=\"SimpleLine\" enabled=\"1\" pass=\"0\" locked=\"0\">",
                     "    <Option type=\"Map\">"]
            + options.map { "      <Option name=\"\($0.0)\" type=\"QString\" value=\"\($0.1)\"/>" }
            + ["    </Option>"]
            + options.map { "    <prop k=\"\($0.0)\" v=\"\($0.1)\"/>" }
            + ["  </layer>", "</symbol>"]
        return lines.map { indent + $0 }.joined(separator: "\n")
    }

    /// An SLD line; SLD widths are in pixels (about 0.28 mm each).
    private static func sldLine(_ colour: Colour, width: Double) -> String {
        "<se:LineSymbolizer><se:Stroke><se:SvgParameter name=\"stroke\">\(colour)</se:SvgParameter>"
            + "<se:SvgParameter name=\"stroke-width\">\(number(max(1, width / 0.28)))</se:SvgParameter></se:Stroke></se:LineSymbolizer>"
    }

    private static func sldPolygon(_ colour: Colour, outline: Colour) -> String {
        "<se:PolygonSymbolizer><se:Fill><se:SvgParameter name=\"fill\">\(colour)</se:SvgParameter></se:Fill>"
            + "<se:Stroke><se:SvgParameter name=\"stroke\">\(outline)</se:SvgParameter>"
            + "<se:SvgParameter name=\"stroke-width\">1</se:SvgParameter></se:Stroke></se:PolygonSymbolizer>"
    }

    private static func sld(name: String, rules: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <StyledLayerDescriptor xmlns="http://www.opengis.net/sld" xmlns:ogc="http://www.opengis.net/ogc" \
        xmlns:se="http://www.opengis.net/se" version="1.1.0">
          <NamedLayer>
            <se:Name>\(escaped(name))</se:Name>
            <UserStyle>
              <se:Name>\(escaped(name))</se:Name>
              <se:FeatureTypeStyle>
        \(rules)
              </se:FeatureTypeStyle>
            </UserStyle>
          </NamedLayer>
        </StyledLayerDescriptor>
        """
    }

    /// `#41b6c4` → `65,182,196,255`, QGIS's colour form.
    static func rgba(_ colour: Colour) -> String {
        let hex = colour.hasPrefix("#") ? String(colour.dropFirst()) : colour
        guard hex.count == 6, let value = UInt32(hex, radix: 16) else { return "0,0,0,255" }
        return "\(value >> 16 & 0xff),\(value >> 8 & 0xff),\(value & 0xff),255"
    }

    /// A bound as QGIS writes it: six decimals.
    static func number(_ value: Double) -> String {
        let scaled = (value * 1_000_000).rounded()
        let whole = Int(scaled) / 1_000_000, fraction = abs(Int(scaled) % 1_000_000)
        let digits = String(fraction)
        return (scaled < 0 && whole == 0 ? "-" : "") + "\(whole)." + String(repeating: "0", count: 6 - digits.count) + digits
    }

    /// Text for an XML attribute or element.
    static func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            default: result.append(character)
            }
        }
        return result
    }
}
