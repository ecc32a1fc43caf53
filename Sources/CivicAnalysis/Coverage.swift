import CivicCore
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
    /// m², in the report's projected CRS.
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
}

/// The city's totals: sums over districts, except that an entity or a resident point on a border
/// is counted once.
public struct CityCoverage: Hashable, Sendable {
    public var area: Double
    public var covered: Double
    public var coveredShare: Double
    public var entities: Int
    public var population: Double?
    public var coveredPopulation: Double?
}

/// What `civic coverage` reports.
public struct CoverageReport: Hashable, Sendable {
    /// The projected CRS the areas are measured in, such as `EPSG:32644`.
    public var crs: String
    public var radius: Double
    /// In the order of the districts given.
    public var districts: [DistrictCoverage]
    public var city: CityCoverage
    /// Entities left out because their geometry was unusable (`--skip-invalid`); the caller sets it.
    public var skippedEntities: Int = 0
}

/// One connected uncovered part of a district (`civic gaps`): gaps that meet across tiles are one.
public struct Gap: Hashable, Sendable {
    public var districtID: String
    public var districtName: String
    /// m², in the report's projected CRS.
    public var area: Double
    /// In the report's projected CRS, outer ring counter-clockwise and holes clockwise; the
    /// outputs for GIS turn it into WGS84 (``GapReport/features()``).
    public var polygon: Polygon
    /// A point inside the gap, in the report's projected CRS, to find it on a map.
    public var anchor: Position
}

/// What `civic gaps` reports: the parts of at least `minArea`, largest first, in the projected CRS
/// they were measured in. ``features()``, ``table()`` and ``csv()`` give them in WGS84.
public struct GapReport: Hashable, Sendable {
    /// The projected CRS of the gaps' coordinates and areas, such as `EPSG:32644`.
    public var crs: String
    public var radius: Double
    public var minArea: Double
    public var gaps: [Gap]
    /// Gaps smaller than `minArea`, left out.
    public var dropped: Int
    public var skippedEntities: Int = 0
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
/// How it is computed, exactly and fast: everything is projected (one PROJ call per array); the
/// reach of a point is the 64-gon built in Swift, the reach of an area GEOS's buffer. The city is cut
/// into coarse tiles, shared out over the cores; each tile is a quadtree that settles a square as
/// covered as soon as it lies inside one reach's inscribed circle, as uncovered when no reach meets
/// it, and otherwise splits it until few reaches cross it; there the reaches, cut to the square in
/// Swift, are unioned by GEOS and intersected with the districts' parts. Areas are exact polygon
/// areas, not a raster.
public struct CoverageRequest: Sendable {
    public var districts: [District]
    /// All entities; ``selection`` picks the ones that count.
    public var entities: [Entity]
    /// From `--population`; nil to use the districts' own `population`.
    public var residents: [Residents]?
    /// Metres.
    public var radius: Double
    /// An EPSG code for the projected CRS; nil for the UTM zone of the districts' centre (DESIGN §5).
    public var crs: Int?
    public var selection: EntitySelection
    var tiling = Tiling()

    /// The question; nothing is computed until ``coverage(progress:)`` or ``gaps(minArea:progress:)``.
    public init(districts: [District], entities: [Entity], residents: [Residents]? = nil, radius: Double,
                crs: Int? = nil, selection: EntitySelection = EntitySelection()) {
        self.districts = districts
        self.entities = entities
        self.residents = residents
        self.radius = radius
        self.crs = crs
        self.selection = selection
    }

    /// The EPSG code the figures are measured in.
    public var epsg: Int {
        if let crs { return crs }
        var box: BoundingBox?
        for district in districts {
            guard let b = district.geometry.boundingBox else { continue }
            box = box.map { $0.union(b) } ?? b
        }
        return box.map { UTM.epsg(for: $0) } ?? 32644
    }

    /// Coverage of every district and of the city. `progress` gets the fraction done (0…1) now and then.
    public func coverage(progress: (@Sendable (Double) -> Void)? = nil) async throws -> CoverageReport {
        try await Analysis.run(self, wantsGaps: false, progress: progress).coverage
    }

    /// The uncovered parts of every district of at least `minArea` m², largest first, in the projected CRS.
    public func gaps(minArea: Double = 10_000, progress: (@Sendable (Double) -> Void)? = nil) async throws -> GapReport {
        let analysis = try await Analysis.run(self, wantsGaps: true, progress: progress)
        return try await analysis.gapReport(minArea: minArea)
    }

    /// Coverage, gaps of at least `minGapArea` m², and the districts and selected entities they were
    /// measured on, from one projection of the inputs and one pass over the city: what `civic map`
    /// draws, with no second projection.
    public func projectedCoverage(minGapArea: Double = 10_000, progress: (@Sendable (Double) -> Void)? = nil)
        async throws -> ProjectedCoverage {
        try await Analysis.run(self, wantsGaps: true, progress: progress).projected(self, minGapArea: minGapArea)
    }
}

/// A selected entity with its geometry in the projected CRS of a coverage report.
public struct ProjectedEntity: Hashable, Sendable {
    /// The entity as given (its geometry in WGS84).
    public var entity: Entity
    /// Its Point, Polygon or MultiPolygon, projected.
    public var shape: Geometry
}

/// Coverage, gaps and what they were measured on, all in the projected CRS of ``coverage`` from
/// one projection of the inputs (``CoverageRequest/projectedCoverage(minGapArea:progress:)``): a
/// map draws it as it is.
public struct ProjectedCoverage: Hashable, Sendable {
    public var coverage: CoverageReport
    /// Projected, as ``coverage``.
    public var gaps: GapReport
    /// Which entities counted.
    public var selection: EntitySelection
    /// The districts as given (ids, names; geometry in WGS84), in the order of the report.
    public var districts: [District]
    /// The districts' geometries, projected, in the same order.
    public var districtShapes: [Geometry]
    /// The selected entities in the order given, projected.
    public var entities: [ProjectedEntity]

    /// The projected CRS, such as `EPSG:32644`.
    public var crs: String { coverage.crs }
}
