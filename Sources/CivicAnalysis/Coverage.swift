import CivicCore
import CivicRules
import Foundation
import GeoEngine
import GeoValues

/// Which entities count for coverage (DESIGN §5): the active ones — a missing status counts as
/// active — of any of `kinds` and with at least one of `themes`. An empty list narrows nothing.
public struct EntitySelection: Hashable, Sendable {
    public var kinds: [String]
    public var themes: [String]

    /// `kinds` and `themes` are vocabulary ids (`venue`, `youth`); resolve labels before.
    public init(kinds: [String] = [], themes: [String] = []) {
        self.kinds = kinds
        self.themes = themes
    }

    /// True when `entity` counts: active, of one of the kinds, sharing a theme.
    public func includes(_ entity: Entity) -> Bool {
        entity.status == .active
            && (kinds.isEmpty || kinds.contains(entity.kind))
            && (themes.isEmpty || entity.themes.contains(where: themes.contains))
    }

    /// True when `entity` counts: active, of one of the kinds, sharing a theme. An unclassified
    /// entity (no kind) counts unless `kinds` narrows the selection.
    public func includes(_ entity: CoverageEntity) -> Bool {
        guard entity.status == .active else { return false }
        if !kinds.isEmpty {
            guard let kind = entity.kind, kinds.contains(kind) else { return false }
        }
        return themes.isEmpty || entity.themes.contains(where: themes.contains)
    }
}

/// People living at a point, or spread evenly over an area, as a `--population` file gives them.
public struct Residents: Hashable, Sendable {
    /// A Point, Polygon or MultiPolygon in WGS84.
    public var geometry: Geometry
    public var count: Double

    public init(geometry: Geometry, count: Double) {
        self.geometry = geometry
        self.count = count
    }
}

/// The figures of one district (DESIGN §5).
public struct DistrictCoverage: Hashable, Sendable {
    public var id: String
    public var name: String
    /// m², in the district's projected CRS (``crs``).
    public var area: Double
    /// m² of the district within reach of a selected entity.
    public var covered: Double
    /// `covered / area`, 0 for an empty district.
    public var coveredShare: Double
    /// Selected entities that intersect the district (boundary included).
    public var entities: Int
    /// Residents: from the population file, or the district's own `population`; nil when neither.
    public var population: Double?
    public var coveredPopulation: Double?
    /// The projected CRS the district was measured in, such as `EPSG:32644`: the UTM zone of its
    /// own centre (DESIGN §5), or the CRS forced with `--crs`.
    public var crs: String = ""
}

/// The city's totals: what the districts cover together, each place counted once — an entity
/// or a resident point on a border, and ground where districts overlap.
public struct CityCoverage: Hashable, Sendable {
    /// m² of the ground the districts cover (where two overlap, that ground once).
    public var area: Double
    /// m² of that ground within reach of a selected entity.
    public var covered: Double
    public var coveredShare: Double
    /// Selected entities that intersect some district.
    public var entities: Int
    public var population: Double?
    public var coveredPopulation: Double?
    /// Selected entities that lie in no district: they count in no figure.
    public var entitiesOutside: Int = 0
    /// Residents of the `--population` file outside every district (points, and the parts of
    /// polygons); nil without a population file.
    public var residentsOutside: Double?
}

/// What the figures leave out or cannot say well: the facts behind the warnings a command prints
/// (``PreparedRequest/warnings(for:)`` words them).
public struct CoverageNotices: Hashable, Sendable {
    /// Something outside every district, as an example for a warning.
    public struct Outside: Hashable, Sendable {
        /// The entity's label (``CoverageEntity/label``); nil for residents.
        public var label: String?
        /// Where it is, WGS84 (a point of it).
        public var at: Position
        /// Metres to the nearest district.
        public var distance: Double
    }

    /// One point of a population file holding most of a district's residents.
    public struct DominantPoint: Hashable, Sendable {
        public var districtID: String
        public var districtName: String
        /// The point, WGS84.
        public var at: Position
        /// Its residents.
        public var residents: Double
        /// The district's residents from the file.
        public var districtResidents: Double
    }

    /// Selected entities, all of them (inside and outside).
    public var selectedEntities = 0
    /// The selected entity outside every district nearest to one; nil when none is outside.
    public var nearestEntityOutside: Outside?
    /// Features of the population file wholly outside every district.
    public var residentFeaturesOutside = 0
    /// The resident point or polygon outside every district nearest to one.
    public var nearestResidentsOutside: Outside?
    /// Districts where one point holds more than half the residents, most dominated first.
    public var dominantPoints: [DominantPoint] = []
    /// Districts that overlap (above ``CivicRules/DistrictTopology``'s thresholds), largest first.
    public var overlaps: [DistrictOverlap] = []
    /// m² counted once in the city's total that the districts' own figures count more than once.
    public var overlapArea = 0.0

    /// Notices of nothing.
    public init() {}
}

/// What `civic coverage` reports.
public struct CoverageReport: Hashable, Sendable {
    /// The CRS of every district, `EPSG:32644`, when one CRS measured them all; else
    /// ``perDistrictCRS``, and each district's row names its own.
    public var crs: String
    public var radius: Double
    /// In the order of the districts given.
    public var districts: [DistrictCoverage]
    public var city: CityCoverage
    /// Entities left out because their geometry was unusable (`--skip-invalid`); the caller sets it.
    public var skippedEntities: Int = 0
    /// What the figures leave out (entities and residents outside every district, overlapping
    /// districts, points that hold a district's residents).
    public var notices = CoverageNotices()
    /// Walking coverage's own figures; nil for straight lines.
    public var walk: WalkFigures?

    /// ``crs`` when districts far apart east–west were each measured in the UTM zone of their own centre.
    public static let perDistrictCRS = "UTM per district"
}

/// One connected uncovered part of a district (`civic gaps`): gaps that meet across tiles are one.
public struct Gap: Hashable, Sendable {
    public var districtID: String
    public var districtName: String
    /// m², measured in the district's CRS.
    public var area: Double
    /// In ``crs``, outer ring counter-clockwise and holes clockwise; the outputs for GIS turn it
    /// into WGS84 (``GapReport/features()``).
    public var polygon: Polygon
    /// A point inside the gap, in ``crs``, to find it on a map.
    public var anchor: Position
    /// The projected CRS of ``polygon`` and ``anchor``, such as `EPSG:32644`.
    public var crs: String = ""
}

/// What `civic gaps` reports: the parts of at least `minArea`, largest first, each in the projected
/// CRS it was measured in. ``features()``, ``table()`` and ``csv()`` give them in WGS84.
public struct GapReport: Hashable, Sendable {
    /// The projected CRS of the gaps' coordinates and areas, such as `EPSG:32644`, or
    /// ``CoverageReport/perDistrictCRS`` when each gap is in its district's zone (``Gap/crs``).
    public var crs: String
    public var radius: Double
    public var minArea: Double
    public var gaps: [Gap]
    /// Gaps smaller than `minArea`, left out.
    public var dropped: Int
    public var skippedEntities: Int = 0
    /// Walking gaps: the walking figures of the coverage they were cut from (the allowance, the
    /// entities away from every street); nil for straight lines.
    public var walk: WalkFigures?
}

/// A coverage question: these districts, these entities, this radius.
///
/// ```swift
/// let request = CoverageRequest(districts: state.districts, entities: state.entities, radius: 500)
/// let report = try await request.coverage()
/// print(report.city.coveredShare)          // 0.9477
/// let gaps = try await request.gaps(minArea: 10_000)   // projected; gaps.features() in WGS84
/// ```
///
/// How it is computed, exactly and fast: each district is measured in the UTM zone of its own
/// centre (a city has one zone, a country several), with the entities and residents near it
/// projected into that zone (one PROJ call per array); the reach of a point is the 64-gon built in
/// Swift, the reach of an area GEOS's buffer. The districts of a zone are cut into coarse tiles,
/// shared out over the cores; each tile is a quadtree that settles a square as covered as soon as
/// it lies inside one reach's inscribed circle, as uncovered when no reach meets it, and otherwise
/// splits it until few reaches cross it; there the reaches, cut to the square in Swift, are unioned
/// by GEOS and intersected with the districts' parts. Areas are exact polygon areas, not a raster.
public struct CoverageRequest: Sendable {
    public var districts: [District]
    /// All entities; ``selection`` picks the ones that count.
    public var entities: [CoverageEntity]
    /// From `--population`; nil to use the districts' own `population`.
    public var residents: [Residents]?
    /// Metres.
    public var radius: Double
    /// An EPSG code for one projected CRS to measure everything in; nil for the UTM zone of each
    /// district's own centre (DESIGN §5).
    public var crs: Int?
    public var selection: EntitySelection
    /// Walking coverage over a street network (DESIGN §5b); nil for straight lines (§5).
    public var walk: WalkSettings?
    var tiling = Tiling()

    /// The question about a dataset's entities; nothing is computed until ``coverage(progress:)``
    /// or ``gaps(minArea:progress:)``.
    public init(districts: [District], entities: [Entity], residents: [Residents]? = nil, radius: Double,
                crs: Int? = nil, selection: EntitySelection = EntitySelection()) {
        self.init(districts: districts, coverageEntities: entities.map(CoverageEntity.init), residents: residents,
                  radius: radius, crs: crs, selection: selection)
    }

    /// The question about entities of any origin, such as a loose file's (``CoverageInputs/entities(in:file:skipInvalid:warn:)``).
    public init(districts: [District], coverageEntities: [CoverageEntity], residents: [Residents]? = nil,
                radius: Double, crs: Int? = nil, selection: EntitySelection = EntitySelection()) {
        self.districts = districts
        self.entities = coverageEntities
        self.residents = residents
        self.radius = radius
        self.crs = crs
        self.selection = selection
    }

    /// The EPSG code of the districts' zone, or of the forced CRS: what the map is drawn in. The
    /// figures of each district are measured in ``districtEPSG``.
    public var epsg: Int {
        if let crs { return crs }
        var box: BoundingBox?
        for district in districts {
            guard let b = district.geometry.boundingBox else { continue }
            box = box.map { $0.union(b) } ?? b
        }
        return box.map { UTM.epsg(for: $0) } ?? 32644
    }

    /// The EPSG code each district is measured in, in order: the forced CRS, or the UTM zone of the
    /// district's own centre (DESIGN §5), so that its area is within 0.2 % of its geodesic area
    /// wherever it lies.
    public var districtEPSG: [Int] {
        if let crs { return Array(repeating: crs, count: districts.count) }
        return districts.map { district in district.geometry.boundingBox.map { UTM.epsg(for: $0) } ?? epsg }
    }

    /// Coverage of every district and of the city. `progress` gets the fraction done (0…1) now and then.
    public func coverage(progress: (@Sendable (Double) -> Void)? = nil) async throws -> CoverageReport {
        try await Analysis.run(self, wantsGaps: false, progress: progress).coverage
    }

    /// The uncovered parts of every district of at least `minArea` m², largest first, in the projected CRS.
    public func gaps(minArea: Double = 10_000, progress: (@Sendable (Double) -> Void)? = nil) async throws -> GapReport {
        let analysis = try await Analysis.run(self, wantsGaps: true, progress: progress)
        var report = try await analysis.gapReport(minArea: minArea)
        report.walk = analysis.coverage.walk
        return report
    }

    /// Coverage, gaps of at least `minGapArea` m², and the districts and selected entities they were
    /// measured on, from one pass over the city, all in one projected CRS for the map: the CRS the
    /// figures were measured in when there is one (no second projection), else the UTM zone of the
    /// districts' centre.
    public func projectedCoverage(minGapArea: Double = 10_000, progress: (@Sendable (Double) -> Void)? = nil)
        async throws -> ProjectedCoverage {
        try await Analysis.run(self, wantsGaps: true, progress: progress).projected(self, minGapArea: minGapArea)
    }
}

/// A selected entity with its geometry in the projected CRS of a map.
public struct ProjectedEntity: Hashable, Sendable {
    /// The entity as given (its geometry in WGS84).
    public var entity: CoverageEntity
    /// Its Point, Polygon or MultiPolygon, projected.
    public var shape: Geometry
}

/// Coverage, gaps and what they were measured on, all in one projected CRS (``crs``) from one
/// pass over the city (``CoverageRequest/projectedCoverage(minGapArea:progress:)``): a map draws
/// it as it is.
public struct ProjectedCoverage: Hashable, Sendable {
    public var coverage: CoverageReport
    /// In ``crs``, as the districts.
    public var gaps: GapReport
    /// Which entities counted.
    public var selection: EntitySelection
    /// The districts as given (ids, names; geometry in WGS84), in the order of the report.
    public var districts: [District]
    /// The districts' geometries, projected, in the same order.
    public var districtShapes: [Geometry]
    /// The selected entities in the order given, projected.
    public var entities: [ProjectedEntity]
    /// The projected CRS of the shapes, such as `EPSG:32644`: the figures' own when one CRS
    /// measured every district.
    public var crs: String
    /// Walking coverage: the street network's ways, projected into ``crs``; empty for straight lines.
    public var network: [[Position]] = []
}
