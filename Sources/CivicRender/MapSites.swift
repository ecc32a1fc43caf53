import CivicAnalysis
import CivicCore
import GeoEngine
import GeoValues

/// Suggested sites (`civic map --suggest K`, DESIGN §5c) as the map draws them: a numbered disc
/// at each site with its reach as a dashed circle, and one legend line per site with what it adds.
public struct SiteMark: Hashable, Sendable {
    public var rank: Int
    /// Page units.
    public var x: Double
    public var y: Double
    /// The legend's line: `1 — +8 329 жителей`.
    public var label: String
}

/// The few words the sites need, apart from ``MapWords`` so that the suggestion stays one addition.
struct SiteWords {
    let title: String
    let residents: String

    static func of(_ language: String) -> SiteWords {
        switch language {
        case "ru": SiteWords(title: "Предлагаемые новые места", residents: "жителей")
        case "kk": SiteWords(title: "Ұсынылатын жаңа орындар", residents: "тұрғын")
        default: SiteWords(title: "Suggested new sites", residents: "residents")
        }
    }
}

extension CivicMap {
    /// The sites of `spec` projected into the map's CRS (one PROJ call), placed on the page; those
    /// outside the frame are left out (they are still listed in the legend).
    static func siteMarks(_ spec: MapSpec, words: MapWords, crs: String, toPage: PageTransform,
                          frame: BoundingBox) throws -> (marks: [SiteMark], legend: [String]) {
        guard !spec.suggestedSites.isEmpty else { return ([], []) }
        let siteWords = SiteWords.of(spec.language)
        let projected = try CoordinateTransform(from: "EPSG:4326", to: crs).forward(spec.suggestedSites.map(\.position))
        var marks: [SiteMark] = []
        var legend: [String] = []
        for (site, p) in zip(spec.suggestedSites, projected) {
            let label = "\(site.rank) — +" + words.number(site.gain.rounded()) + " " + siteWords.residents
            legend.append(label)
            let at = toPage.apply(p)
            if frame.contains(at) { marks.append(SiteMark(rank: site.rank, x: at.x, y: at.y, label: label)) }
        }
        return (marks, legend)
    }

    /// The legend's heading for the sites.
    var sitesTitle: String { SiteWords.of(words.language).title }

    /// The sites on the map: each one's reach as a dashed circle, then a disc with its rank.
    func writeSites(_ out: inout Markup) {
        guard !sites.isEmpty else { return }
        let reach = siteReachRadius
        out.raw("<g id=\"suggested-sites\">\n")
        for site in sites {
            out.raw("<circle")
            out.attribute("cx", site.x)
            out.attribute("cy", site.y)
            out.attribute("r", reach)
            out.raw(" fill=\"none\" stroke=\"\(MapStyle.siteColour)\" stroke-width=\"1.2\" stroke-dasharray=\"4 3\"/>\n")
        }
        for site in sites { siteDisc(&out, x: site.x, y: site.y, rank: site.rank, radius: Self.siteDiscRadius) }
        out.raw("</g>\n")
    }

    /// A white disc ringed in the sites' colour with the rank in it.
    func siteDisc(_ out: inout Markup, x: Double, y: Double, rank: Int, radius: Double) {
        out.raw("<g><title>")
        out.escaped(sites.first { $0.rank == rank }?.label ?? String(rank))
        out.raw("</title><circle")
        out.attribute("cx", x)
        out.attribute("cy", y)
        out.attribute("r", radius)
        out.raw(" fill=\"#fff\" stroke=\"\(MapStyle.siteColour)\" stroke-width=\"\(Markup.number(radius * 0.28))\"/><text")
        out.attribute("x", x)
        out.attribute("y", y + radius * 0.42)
        out.attribute("font-size", radius * 1.15)
        out.raw(" font-weight=\"bold\" text-anchor=\"middle\" fill=\"\(MapStyle.siteColour)\">\(rank)</text></g>\n")
    }

    /// 2.4 mm: a number in it reads on paper.
    static let siteDiscRadius = 2.4 * unitsPerMillimetre
}

extension MapStyle {
    /// The suggested sites: a deep red that none of the kinds' colours or the coverage classes use.
    static let siteColour = "#b2182b"
}
