import CivicAnalysis
import CivicCore
import Foundation
import GeoEngine
import GeoValues

/// What a map shows: the districts with their coverage, the gaps, the entities, and the words
/// around them.
///
/// ```swift
/// let measured = try await request.projectedCoverage(minGapArea: 10_000)
/// let spec = MapSpec(measured, vocabulary: info.vocabulary, language: info.language,
///                    date: "2026-11-25", datasetName: info.name)
/// let svg = try CivicMap(spec).svg()
/// ```
public struct MapSpec: Sendable {
    /// Coverage, gaps, districts and selected entities, already in the projected CRS the map is
    /// drawn in: the map projects nothing again.
    public var measured: ProjectedCoverage
    public var vocabulary: Vocabulary
    /// `ru`, `kk` or `en`: every word on the map, and the names of districts and entities where
    /// they have one in that language.
    public var language: String
    public var page: PageSize
    /// The title; nil for the dataset's name (or, for loose files, "District coverage").
    public var title: String?
    /// The date the map shows, `YYYY-MM-DD`; the caller gives it so that the output is deterministic.
    public var date: String
    /// The dataset's name for the sources line; nil for loose files.
    public var datasetName: String?
    /// The files the map was made from, for the sources line when there is no dataset.
    public var districtsFile: String?
    public var entitiesFile: String?
    /// Whether the districts make up one city (``DatasetInfo/isCity``): the totals say "whole city",
    /// else "all districts".
    public var isCity: Bool
    /// Sites `civic suggest` chose (`civic map --suggest K`), drawn numbered with their gains in
    /// the legend; none by default.
    public var suggestedSites: [SuggestedSite] = []
    /// Residents' concerns in 250 m cells (`civic map --concerns`); only cells of 5 or more are drawn.
    public var concernCells: [ConcernCell] = []

    /// What to draw; `date` is the text shown as the map's date.
    public init(_ measured: ProjectedCoverage, vocabulary: Vocabulary = .standard, language: String = "ru",
                page: PageSize = .a4, title: String? = nil, date: String, datasetName: String? = nil,
                districtsFile: String? = nil, entitiesFile: String? = nil, isCity: Bool = true) {
        self.isCity = isCity
        self.measured = measured
        self.vocabulary = vocabulary
        self.language = language
        self.page = page
        self.title = title
        self.date = date
        self.datasetName = datasetName
        self.districtsFile = districtsFile
        self.entitiesFile = entitiesFile
    }

    /// The coverage report the map shades the districts by.
    public var coverage: CoverageReport { measured.coverage }
    /// The gaps the map hatches.
    public var gaps: GapReport { measured.gaps }
    /// Which entities are drawn (as for coverage).
    public var selection: EntitySelection { measured.selection }
}

/// A map laid out on a page, ready to be written as SVG (``svg()``) or as a web page (``html()``).
///
/// Everything is drawn in the projected CRS of the coverage report (the UTM zone of DESIGN §5),
/// with one uniform scale: one page unit (a quarter of a millimetre, about a pixel on screen) is
/// ``metresPerUnit`` metres east–west and north–south alike, so shapes are true and the scale bar
/// measures. District and gap outlines are simplified to half a unit (GEOS, topology preserved)
/// and every coordinate is rounded to a tenth of a unit: finer detail no one can see.
public struct CivicMap: Sendable {
    /// Page units per millimetre.
    public static let unitsPerMillimetre = 4.0

    public let words: MapWords
    /// The page in units.
    public let width: Double
    public let height: Double
    public let page: PageSize
    /// Where the map is drawn, in page units.
    public let frame: BoundingBox
    /// Where the legend goes.
    public let panel: BoundingBox
    /// Metres on the ground per page unit.
    public let metresPerUnit: Double
    public let crs: String

    public let title: String
    public let subtitle: String
    public let dateText: String
    public let sources: String
    public let summary: String
    /// The districts a planner looks at first: most residents left out (or, without population
    /// figures, least covered), at most five.
    public let rankingTitle: String
    public let ranking: [RankedDistrict]

    public let districts: [DistrictShape]
    public let gaps: [GapShape]
    /// Walking coverage: the street network as SVG path data in page units, drawn faintly so that a
    /// planner sees why a place across the river is not covered; empty for straight lines.
    public let streets: String
    /// Walking coverage: the outline of the walking reach (the districts less the gaps drawn), as
    /// SVG path data in page units, so that the reach along the streets reads apart from the
    /// streets themselves; empty for straight lines.
    public let walkReach: String
    /// The legend's words for ``walkReach``: "walking reach: 500 m along the streets, up to 100 m
    /// off the street"; empty for straight lines.
    public let walkReachLabel: String
    public let kinds: [KindKey]
    public let themes: [ThemeKey]
    /// Entities drawn as areas (polygons big enough to see), then as symbols, in input order.
    /// Only what falls inside the map's frame: the rest is counted in ``outsideCount``.
    public let entityAreas: [EntityMark]
    /// Entities drawn one symbol each: those whose grid cell holds too few symbols to crowd it.
    public let entityPoints: [EntityMark]
    /// Where symbols would overlap, one circle with the number of entities it stands for.
    public let clusters: [Cluster]
    /// The entities the clusters stand for, in input order (the web page opens them on zoom).
    public let clusteredPoints: [EntityMark]
    /// The side of a cluster cell in page units; the grid starts at the frame's top-left corner.
    public let clusterCell: Double
    /// A cell becomes a cluster when it holds at least this many symbols.
    public let clusterMinimum: Int
    /// Indexes into ``kinds``, the most numerous first: rarer kinds are drawn on top.
    public let drawOrder: [Int]
    /// Selected entities that lie outside the map's frame, so are not drawn (nor counted by kind).
    public let outsideCount: Int
    public let labels: [PlacedLabel]
    public let scaleBar: ScaleBar
    /// Degrees clockwise from grid north (up the page) to true north at the centre of the map:
    /// the UTM grid convergence, about −1.2° in Oskemen.
    public let northRotation: Double
    /// The radius of an entity symbol, in page units.
    public let symbolRadius: Double
    /// The smallest gap drawn, m².
    public let minGapArea: Double
    /// Suggested sites inside the frame, and the legend's line for every suggested site.
    public let sites: [SiteMark]
    public let siteLegend: [String]
    /// The suggested sites' reach on the page, in page units.
    public let siteReachRadius: Double
    /// The public cells of residents' concerns, when asked for.
    public let concernMarks: [ConcernMark]

    /// One district as drawn.
    public struct DistrictShape: Hashable, Sendable {
        public var id: String
        public var name: String
        public var share: Double
        /// 0…4, the class of ``MapStyle`` colours.
        public var shareClass: Int
        public var population: Double?
        public var leftOut: Double?
        public var entities: Int
        /// SVG path data in page units.
        public var path: String
    }

    /// A line of the legend's list of the districts that leave the most residents out.
    public struct RankedDistrict: Hashable, Sendable {
        public var name: String
        /// The figure as shown: residents left out, or the covered share.
        public var value: String
        /// The covered share as shown (`17,4 %`).
        public var share: String
        /// Residents left out as shown; nil without population figures.
        public var leftOut: String?
    }

    /// A circle standing for `count` entities whose symbols would overlap, at their mean position
    /// (kept inside its cell so that clusters never overlap each other).
    public struct Cluster: Hashable, Sendable {
        public var x: Double
        public var y: Double
        public var count: Int
        /// The circle's radius in page units: grows slowly with the count.
        public var radius: Double
    }

    /// A gap drawn on the map: its district and its outline in page units.
    public struct GapShape: Hashable, Sendable {
        public var districtID: String
        public var path: String
    }

    /// A kind in the legend: its label, symbol and how many of the entities drawn have it.
    public struct KindKey: Hashable, Sendable {
        public var id: String
        public var label: String
        public var colour: String
        /// Path data of the symbol on the map, centred on (0, 0).
        public var symbol: String
        /// The same shape drawn large enough to read in the legend.
        public var legendSymbol: String
        /// Entities of the kind drawn on the map (as areas, symbols or in clusters); those outside
        /// the frame are not counted.
        public var count: Int
    }

    /// A theme of the web page's filters: its label and how many selected entities have it.
    public struct ThemeKey: Hashable, Sendable {
        public var id: String
        public var label: String
        public var count: Int
    }

    /// An entity as drawn: a symbol at (x, y), or an area with ``path``.
    public struct EntityMark: Hashable, Sendable {
        /// The entity's id as given; nil for a loose feature without one.
        public var id: FeatureID?
        /// Index into ``kinds``.
        public var kind: Int
        public var name: String
        /// Indexes into ``themes``.
        public var themes: [Int]
        public var x: Double
        public var y: Double
        public var path: String?
    }

    /// A scale bar of a round length whose drawn width is `metres / metresPerUnit`.
    public struct ScaleBar: Hashable, Sendable {
        public var metres: Double
        public var width: Double
        public var label: String
        /// The widest bar the layout allows, in page units (the web page picks a new length on zoom).
        public var maxWidth: Double
    }

    // MARK: - Layout

    /// Lays out the map of `spec`, drawn in the projected CRS it was measured in: fits it to the
    /// page, simplifies outlines to the display resolution, places the labels, the legend and the
    /// scale bar.
    public init(_ spec: MapSpec) throws {
        let words = MapWords.of(spec.language, isCity: spec.isCity)
        self.words = words
        let u = Self.unitsPerMillimetre
        page = spec.page
        width = spec.page.width * u
        height = spec.page.height * u
        crs = spec.measured.crs
        minGapArea = spec.gaps.minArea

        // Words first: the sources line decides how much room the footer takes.
        title = spec.title ?? spec.datasetName ?? words.defaultTitle
        let selected = spec.measured.entities.map(\.entity)
        subtitle = Self.subtitle(spec, words)
        dateText = words.date(spec.date)
        sources = Self.sources(spec, selected, words)
        summary = Self.summary(spec.coverage, words)

        let margin = 10 * u
        let panelWidth = min(66 * u, width * 0.3)
        let gutter = 6 * u
        let top = margin + 15.5 * u
        let sourceLines = TextMetrics.wrap(sources, width: width - 2 * margin, size: Self.sourcesSize).count
        let bottom = height - margin - Double(max(1, sourceLines)) * Self.sourcesSize * 1.3 - 2 * u
        frame = BoundingBox(minX: margin, minY: top, maxX: width - margin - panelWidth - gutter, maxY: bottom)
        panel = BoundingBox(minX: frame.maxX + gutter, minY: top, maxX: width - margin, maxY: bottom)
        guard frame.width > 20 * u, frame.height > 20 * u else {
            throw CivicError.refused(reason: "a page of \(JSONNumber.format(spec.page.width)) × \(JSONNumber.format(spec.page.height)) mm leaves no room for the map",
                                     hint: "use --size a4, a3 or a larger WxH in millimetres")
        }

        // Everything is in the report's CRS already.
        guard !spec.measured.districts.isEmpty else {
            throw CivicError.refused(reason: "there are no districts to draw")
        }
        let districtMetres = spec.measured.districtShapes
        var extent: BoundingBox?
        for g in districtMetres {
            if let b = g.boundingBox { extent = extent.map { $0.union(b) } ?? b }
        }
        guard let extent, extent.width > 0 || extent.height > 0 else {
            throw CivicError.refused(reason: "the districts have no extent to draw")
        }
        let pad = 3 * u
        let k = max(extent.width / (frame.width - 2 * pad), extent.height / (frame.height - 2 * pad))
        metresPerUnit = k
        let toPage = PageTransform(metresPerUnit: k, centre: extent.center,
                                   pageCentre: frame.center)
        let tolerance = 0.5 * k
        let context = try GeometryContext()

        // Districts: simplified outlines, the report's figures, an anchor for the name.
        var shapes: [DistrictShape] = []
        var candidates: [LabelPlacer.Candidate] = []
        let figures = Dictionary(spec.coverage.districts.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for (i, district) in spec.measured.districts.enumerated() {
            let handle = try context.make(districtMetres[i])
            let simple = try handle.simplified(tolerance: tolerance).geometry()
            let polygons = simple.polygons.map { $0.rings.map { $0.map(toPage.apply) } }
            let row = figures[district.id]
            let share = row?.coveredShare ?? 0
            let leftOut = row.flatMap { r in r.population.map { max(0, $0 - (r.coveredPopulation ?? 0)) } }
            let name = district.names[spec.language] ?? district.name
            shapes.append(DistrictShape(id: district.id, name: name, share: share,
                                        shareClass: MapStyle.shareClass(share), population: row?.population,
                                        leftOut: leftOut, entities: row?.entities ?? 0,
                                        path: Markup.pathData(polygons.flatMap { $0 })))
            candidates.append(LabelPlacer.Candidate(districtID: district.id, name: name, polygons: polygons,
                                                    anchor: try handle.pointOnSurface().map(toPage.apply),
                                                    area: try handle.area))
        }
        districts = shapes
        if shapes.contains(where: { $0.leftOut != nil }) {
            rankingTitle = words.mostLeftOut
            ranking = shapes.filter { ($0.leftOut ?? 0) >= 0.5 }
                .sorted { ($0.leftOut ?? 0) != ($1.leftOut ?? 0) ? ($0.leftOut ?? 0) > ($1.leftOut ?? 0) : $0.id < $1.id }
                .prefix(Self.rankingRows).map {
                    RankedDistrict(name: $0.name, value: words.number(($0.leftOut ?? 0).rounded()),
                                   share: words.percent($0.share), leftOut: words.number(($0.leftOut ?? 0).rounded()))
                }
        } else {
            rankingTitle = words.leastCovered
            ranking = shapes.sorted { $0.share != $1.share ? $0.share < $1.share : $0.id < $1.id }
                .prefix(Self.rankingRows).map {
                    RankedDistrict(name: $0.name, value: words.percent($0.share), share: words.percent($0.share), leftOut: nil)
                }
        }

        // Gaps, as measured.
        var gapShapes: [GapShape] = []
        for gap in spec.gaps.gaps {
            let simple = try context.make(.polygon(gap.polygon)).simplified(tolerance: tolerance).geometry()
            let path = Markup.pathData(simple.polygons.flatMap { $0.rings.map { $0.map(toPage.apply) } })
            if !path.isEmpty { gapShapes.append(GapShape(districtID: gap.districtID, path: path)) }
        }
        gaps = gapShapes
        if spec.coverage.walk != nil {
            // The districts less the gaps the map hatches: what the walking reach leaves unhatched.
            var reach = try context.union(districtMetres.map { try context.make($0) })
            if !spec.gaps.gaps.isEmpty {
                reach = try reach.difference(context.union(spec.gaps.gaps.map { try context.make(.polygon($0.polygon)) }))
            }
            // Where a gap's edge runs along a district's, the difference leaves hairline slivers:
            // parts and holes narrower than the display resolution (twice the area over the
            // perimeter, a ring's mean width) are not drawn.
            func visible(_ ring: [Position]) -> Bool {
                var perimeter = 0.0
                for (a, b) in zip(ring, ring.dropFirst()) { perimeter += ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot() }
                return perimeter > 0 && 2 * abs(Ring.signedArea(ring)) / perimeter >= tolerance
            }
            let parts = try reach.simplified(tolerance: tolerance).geometry().polygons.compactMap { polygon -> Polygon? in
                visible(polygon.outerRing) ? Polygon(outerRing: polygon.outerRing, innerRings: polygon.innerRings.filter(visible)) : nil
            }
            walkReach = Markup.pathData(parts.flatMap { $0.rings.map { $0.map(toPage.apply) } })
        } else {
            walkReach = ""
        }
        walkReachLabel = spec.coverage.walk.map {
            words.fill(words.walkReachLabel, ["r": words.length(spec.coverage.radius), "a": words.length($0.offStreet)])
        } ?? ""
        concernMarks = try ConcernMark.marks(spec.concernCells, crs: crs, toPage: toPage, vocabulary: spec.vocabulary,
                                             language: spec.language)

        // Streets (walking): simplified to the display resolution like the outlines.
        if spec.measured.network.isEmpty {
            streets = ""
        } else {
            let lines = try context.make(.multiLineString(spec.measured.network)).simplified(tolerance: tolerance).geometry()
            var parts: [[Position]] = []
            switch lines {
            case .lineString(let line): parts = [line]
            case .multiLineString(let many): parts = many
            default: break
            }
            streets = Markup.linePathData(parts.map { $0.map(toPage.apply) })
        }

        // Kinds and themes: the vocabulary's order, then any others the entities use.
        var kindIDs = spec.vocabulary.kinds.map(\.id)
        for e in selected where !kindIDs.contains(Self.kindKey(e)) { kindIDs.append(Self.kindKey(e)) }
        var themeTerms = spec.vocabulary.themes
        for e in selected {
            for t in e.themes where !themeTerms.contains(where: { $0.id == t }) {
                themeTerms.append(Term(id: t, labels: [:]))
            }
        }
        let kindIndex = Dictionary(kindIDs.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let themeIndex = Dictionary(themeTerms.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })

        // Symbols shrink as entities crowd (2 mm across for a city's hundred, under 1 mm for tens of
        // thousands), and never grow wider than half the reach's radius on the page, so that the reach
        // around each one stays visible; a floor keeps them visible at all.
        let crowdRadius: Double = selected.count <= 300 ? 1.1 * u : selected.count <= 3000 ? 0.8 * u : 0.45 * u
        let reachOnPage = spec.coverage.radius / k
        let radius = max(Self.smallestSymbolRadius, min(crowdRadius, Self.symbolShareOfReach * reachOnPage))
        symbolRadius = radius

        // Entities: points as symbols; areas drawn as areas when they are bigger than a symbol.
        var pointMetres: [Position] = []
        var pointOwners: [Int] = []
        var areaMetres: [Geometry] = []
        var areaOwners: [Int] = []
        for (i, projected) in spec.measured.entities.enumerated() {
            switch projected.shape {
            case .point(let p):
                pointMetres.append(p)
                pointOwners.append(i)
            case .polygon, .multiPolygon:
                areaMetres.append(projected.shape)
                areaOwners.append(i)
            default:
                continue
            }
        }
        func mark(_ i: Int, _ at: Position, _ path: String?) -> EntityMark {
            let e = selected[i]
            var seen = Set<Int>()
            let themeList = e.themes.compactMap { themeIndex[$0] }.filter { seen.insert($0).inserted }
            return EntityMark(id: e.id, kind: kindIndex[Self.kindKey(e)] ?? 0,
                              name: e.names[spec.language] ?? e.name ?? e.id?.description ?? "",
                              themes: themeList, x: at.x, y: at.y, path: path)
        }
        // What lies outside the frame is clipped away: it is neither drawn nor counted in the legend.
        let visible = frame
        var outside = 0
        var marks: [(order: Int, mark: EntityMark)] = []
        var areaMarks: [(order: Int, mark: EntityMark, box: BoundingBox)] = []
        for (j, p) in pointMetres.enumerated() {
            let at = toPage.apply(p)
            guard visible.contains(at) else { outside += 1; continue }
            marks.append((pointOwners[j], mark(pointOwners[j], at, nil)))
        }
        for (j, shape) in areaMetres.enumerated() {
            guard let b = shape.boundingBox,
                  let pageBox = BoundingBox([toPage.apply(Position(x: b.minX, y: b.minY)), toPage.apply(Position(x: b.maxX, y: b.maxY))]),
                  pageBox.intersects(visible) else { outside += 1; continue }
            let handle = try context.make(shape)
            let anchor = toPage.apply(try handle.pointOnSurface() ?? shape.anchor ?? Position(x: 0, y: 0))
            if max(b.width, b.height) / k >= 2.5 * radius {
                let simple = try handle.simplified(tolerance: tolerance).geometry()
                let path = Markup.pathData(simple.polygons.flatMap { $0.rings.map { $0.map(toPage.apply) } })
                if !path.isEmpty {
                    areaMarks.append((areaOwners[j], mark(areaOwners[j], anchor, path), pageBox))
                    continue
                }
            }
            guard visible.contains(anchor) else { outside += 1; continue }
            marks.append((areaOwners[j], mark(areaOwners[j], anchor, nil)))
        }
        outsideCount = outside

        // Where symbols would overlap, a cluster: a grid of cells a few symbols wide, and a cell whose
        // symbols would cover a third of it or more becomes one circle with their number.
        let cell = max(Self.clusterCellInSymbols * radius, Self.smallestClusterCell)
        let minimum = max(2, Int((cell * cell / (3 * Double.pi * radius * radius)).rounded(.up)))
        clusterCell = cell
        clusterMinimum = minimum
        // Areas smaller than a cell take part too: where they crowd, they are what hides the shading.
        // Bigger ones (a park, an embankment) stay areas.
        let bigAreas = areaMarks.filter { max($0.box.width, $0.box.height) >= cell }
        let smallAreas = areaMarks.filter { max($0.box.width, $0.box.height) < cell }
        let crowdable = (marks + smallAreas.map { (order: $0.order, mark: $0.mark) }).sorted { $0.order < $1.order }
        let grouped = Self.cluster(crowdable.map(\.mark), cell: cell, origin: Position(x: frame.minX, y: frame.minY), minimum: minimum)
        entityPoints = grouped.singles.filter { $0.path == nil }
        // By the whole mark, not the id: a loose file's entities may have none.
        let keptAreas = Set(grouped.singles.filter { $0.path != nil })
        let drawnAreas = (bigAreas + smallAreas.filter { keptAreas.contains($0.mark) }).sorted { $0.order < $1.order }
        entityAreas = drawnAreas.map(\.mark)
        let areaBoxes = drawnAreas.map(\.box)
        clusteredPoints = grouped.clustered
        clusters = grouped.clusters

        // The legend counts what is drawn, by kind; rarer kinds are drawn over the common ones.
        var kindCounts = [Int](repeating: 0, count: kindIDs.count)
        var themeCounts = [Int](repeating: 0, count: themeTerms.count)
        for m in entityAreas + entityPoints + clusteredPoints {
            kindCounts[m.kind] += 1
            for t in m.themes { themeCounts[t] += 1 }
        }
        drawOrder = kindIDs.indices.sorted { kindCounts[$0] != kindCounts[$1] ? kindCounts[$0] > kindCounts[$1] : $0 < $1 }
        let styles = MapStyle.kindStyles(kindIDs)
        let vocabularyKinds = Dictionary(spec.vocabulary.kinds.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        kinds = kindIDs.enumerated().map { i, id in
            KindKey(id: id, label: vocabularyKinds[id]?.label(spec.language) ?? (id == Self.unclassified ? words.unclassifiedWord : id),
                    colour: styles[i].colour,
                    symbol: MapStyle.symbolPath(styles[i].shape, r: radius),
                    legendSymbol: MapStyle.symbolPath(styles[i].shape, r: 1.3 * u), count: kindCounts[i])
        }
        themes = themeTerms.enumerated().map { i, term in
            ThemeKey(id: term.id, label: term.labels.isEmpty ? term.id : term.label(spec.language), count: themeCounts[i])
        }

        // Names inside their districts.
        let labelSize = 3.1 * u
        var placer = LabelPlacer(sizes: [labelSize, labelSize * 0.85, labelSize * 0.72], frame: frame.expanded(by: -u))
        // Names go between clusters and areas; between single symbols too where they are few, over
        // them where they carpet the city.
        let singleBoxes = entityPoints.count <= 2000 ? entityPoints.map {
            BoundingBox(minX: $0.x - radius, minY: $0.y - radius, maxX: $0.x + radius, maxY: $0.y + radius)
        } : []
        placer.obstacles = ObstacleIndex(boxes: areaBoxes + singleBoxes, cell: 10 * labelSize)
        placer.strongObstacles = ObstacleIndex(boxes: clusters.map {
            BoundingBox(minX: $0.x - $0.radius, minY: $0.y - $0.radius, maxX: $0.x + $0.radius, maxY: $0.y + $0.radius)
        }, cell: 10 * labelSize)
        labels = placer.place(candidates)

        // Scale bar: the roundest length up to 45 mm on the page.
        let maxBar = min(45 * u, panel.width - 12 * u)
        let metres = Self.roundLength(maxBar * k)
        scaleBar = ScaleBar(metres: metres, width: metres / k, label: words.length(metres), maxWidth: maxBar)

        let placed = try Self.siteMarks(spec, words: words, crs: crs, toPage: toPage, frame: frame)
        sites = placed.marks
        siteLegend = placed.legend
        siteReachRadius = spec.coverage.radius / k

        // North: the direction of true north at the centre, in the grid (two positions through PROJ,
        // not the data).
        northRotation = try Self.convergence(at: extent.center, CoordinateTransform(from: "EPSG:4326", to: crs))
    }

    static let sourcesSize = 2.4 * unitsPerMillimetre

    /// The districts listed in the legend's table of the worst.
    static let rankingRows = 6
    /// A symbol's radius is at most this share of the reach's radius on the page (so it is at most
    /// half as wide as the reach's radius, a quarter of the reach's width).
    static let symbolShareOfReach = 0.25
    /// 0.3 mm: smaller symbols no longer read as shapes on paper or on screen.
    static let smallestSymbolRadius = 0.3 * unitsPerMillimetre
    /// A cluster cell is this many symbol radii wide (three symbols side by side)…
    static let clusterCellInSymbols = 6.0
    /// …and never narrower than 6 mm, so that the number in a cluster can be read.
    static let smallestClusterCell = 6 * unitsPerMillimetre

    /// Puts `marks` into square cells of `cell` page units from `origin`; a cell holding `minimum` or
    /// more becomes a cluster at the mean of its marks, held inside the cell. Deterministic: cells
    /// in row-major order, marks in input order.
    static func cluster(_ marks: [EntityMark], cell: Double, origin: Position, minimum: Int)
        -> (singles: [EntityMark], clustered: [EntityMark], clusters: [Cluster])
    {
        struct Key: Hashable, Comparable {
            var row: Int, column: Int
            static func < (a: Key, b: Key) -> Bool { a.row != b.row ? a.row < b.row : a.column < b.column }
        }
        var cells: [Key: [Int]] = [:]
        for (i, m) in marks.enumerated() {
            let key = Key(row: Int(floor((m.y - origin.y) / cell)), column: Int(floor((m.x - origin.x) / cell)))
            cells[key, default: []].append(i)
        }
        var inCluster = [Bool](repeating: false, count: marks.count)
        var clusters: [Cluster] = []
        for key in cells.keys.sorted() {
            guard let members = cells[key], members.count >= minimum else { continue }
            var sx = 0.0, sy = 0.0
            for i in members {
                inCluster[i] = true
                sx += marks[i].x
                sy += marks[i].y
            }
            let n = Double(members.count)
            let r = clusterRadius(count: members.count, cell: cell)
            let left = origin.x + Double(key.column) * cell, top = origin.y + Double(key.row) * cell
            let x = min(max(sx / n, left + r), left + cell - r)
            let y = min(max(sy / n, top + r), top + cell - r)
            clusters.append(Cluster(x: x, y: y, count: members.count, radius: r))
        }
        var singles: [EntityMark] = [], clustered: [EntityMark] = []
        for (i, m) in marks.enumerated() {
            if inCluster[i] { clustered.append(m) } else { singles.append(m) }
        }
        return (singles, clustered, clusters)
    }

    /// A fifth of the cell for a few entities, growing with the logarithm of the count to just
    /// under half the cell for tens of thousands: sizes order clusters without hiding the map under them.
    static func clusterRadius(count: Int, cell: Double) -> Double {
        min(clusterRadiusMost, clusterRadiusBase + clusterRadiusPerDecade * log10(Double(max(1, count)))) * cell
    }
    static let clusterRadiusBase = 0.17
    static let clusterRadiusPerDecade = 0.06
    static let clusterRadiusMost = 0.42

    /// The legend's key for entities without a kind (a loose file's stations, say).
    static let unclassified = "unclassified"

    /// The kind an entity is drawn as: its own, or ``unclassified``.
    static func kindKey(_ entity: CoverageEntity) -> String { entity.kind ?? unclassified }

    /// The largest 1, 2 or 5 × 10ⁿ metres not above `metres`.
    static func roundLength(_ metres: Double) -> Double {
        guard metres.isFinite, metres > 0 else { return 1 }
        let power = pow(10, floor(log10(metres)))
        let f = metres / power
        return (f >= 5 ? 5 : f >= 2 ? 2 : 1) * power
    }

    /// Degrees clockwise from grid north to true north at `centre` (metres in the map's CRS).
    static func convergence(at centre: Position, _ transform: CoordinateTransform) throws -> Double {
        let lonLat = try transform.inverse([centre])[0]
        let north = try transform.forward([Position(x: lonLat.x, y: lonLat.y + 0.01)])[0]
        return atan2(north.x - centre.x, north.y - centre.y) * 180 / .pi
    }

    private static func subtitle(_ spec: MapSpec, _ words: MapWords) -> String {
        let radius = spec.coverage.walk.map {
            words.fill(words.walkPhrase, ["r": words.length(spec.coverage.radius), "a": words.length($0.offStreet)])
        } ?? words.fill(words.reachPhrase, ["r": words.length(spec.coverage.radius)])
        func labels(_ ids: [String], _ terms: [Term]) -> String {
            guard !ids.isEmpty else { return words.allWord }
            return ids.map { id in terms.first { $0.id == id }?.label(spec.language) ?? id }.joined(separator: ", ")
        }
        return words.coverageWord + ": " + radius
            + " · " + words.themesWord + ": " + labels(spec.selection.themes, spec.vocabulary.themes)
            + " · " + words.kindsWord + ": " + labels(spec.selection.kinds, spec.vocabulary.kinds)
    }

    private static func sources(_ spec: MapSpec, _ selected: [CoverageEntity], _ words: MapWords) -> String {
        let (open, close) = spec.language == "en" ? ("“", "”") : ("«", "»")
        var parts: [String] = []
        if let name = spec.datasetName {
            parts.append(words.datasetWord + " " + open + name + close)
            parts.append(words.boundariesWord + " — " + words.boundariesFromDataset)
        } else {
            if let file = spec.entitiesFile { parts.append((file as NSString).lastPathComponent) }
            if let file = spec.districtsFile {
                parts.append(words.boundariesWord + " — " + (file as NSString).lastPathComponent)
            }
        }
        if selected.contains(where: { $0.source?.hasPrefix("osm:") == true }) { parts.append(words.osmCredit) }
        parts.append("civic, " + (spec.coverage.crs == spec.measured.crs ? spec.coverage.crs
                                  : spec.coverage.crs + " (" + words.mapWord + " " + spec.measured.crs + ")"))
        return words.sourcesWord + ": " + parts.joined(separator: "; ")
    }

    private static func summary(_ coverage: CoverageReport, _ words: MapWords) -> String {
        var text = words.fill(words.cityAreaPhrase, ["a": words.percent(coverage.city.coveredShare)])
        if let total = coverage.city.population, let covered = coverage.city.coveredPopulation, total > 0 {
            text += words.fill(words.cityPeoplePhrase, [
                "p": words.percent(covered / total), "n": words.number(covered.rounded()),
                "t": words.number(total.rounded()),
            ])
        }
        return text
    }
}

/// Metres in the map's CRS to page units: x to the right, y down, one scale for both.
struct PageTransform {
    var metresPerUnit: Double
    var centre: Position
    var pageCentre: Position

    func apply(_ p: Position) -> Position {
        Position(x: pageCentre.x + (p.x - centre.x) / metresPerUnit, y: pageCentre.y - (p.y - centre.y) / metresPerUnit)
    }
}
