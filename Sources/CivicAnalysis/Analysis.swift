import CivicCore
import Foundation
import GeoEngine
import GeoValues

/// One coverage computation from start to end: projection, reaches, tiles, totals. The inputs are
/// projected once, here; what comes out stays in the projected CRS for the map to draw, and only
/// the outputs for GIS go back to WGS84, at the edge (``GapReport/features()``).
struct Analysis: Sendable {
    var epsg: Int
    var coverage: CoverageReport
    /// Uncovered pieces by district, projected; empty unless gaps were asked for.
    var gapPieces: [[Polygon]]
    var districts: [District]
    /// The districts' geometries, projected, in the order of ``districts``.
    var districtShapes: [Geometry]
    /// The selected entities, projected: point entities' positions and area entities' shapes, each
    /// with the index of its entity in the request.
    var points: [Position]
    var pointEntities: [Int]
    var areaShapes: [Geometry]
    var areaEntities: [Int]

    // MARK: - Coverage

    static func run(_ request: CoverageRequest, wantsGaps: Bool,
                    progress: (@Sendable (Double) -> Void)?) async throws -> Analysis {
        let radius = request.radius
        guard radius.isFinite, radius >= 0 else {
            throw CivicError.refused(reason: "the radius must be a distance in metres, 0 or more, not \(radius)")
        }
        guard !request.districts.isEmpty else {
            throw CivicError.refused(reason: "there are no districts to measure",
                                     hint: "a districts file holds Polygon or MultiPolygon features")
        }
        let epsg = request.epsg
        let crs = "EPSG:\(epsg)"
        let transform = try CoordinateTransform(from: "EPSG:4326", to: crs)

        // Project: one PROJ call per kind of input.
        let districtShapes = try transform.forward(request.districts.map(\.geometry))
        var pointSources: [Position] = []
        var areaSources: [Geometry] = []
        var pointEntities: [Int] = []
        var areaEntities: [Int] = []
        pointSources.reserveCapacity(request.entities.count)
        pointEntities.reserveCapacity(request.entities.count)
        for i in request.entities.indices where request.selection.includes(request.entities[i]) {
            switch request.entities[i].geometry {
            case .point(let p):
                pointSources.append(p)
                pointEntities.append(i)
            case .polygon, .multiPolygon:
                areaSources.append(request.entities[i].geometry)
                areaEntities.append(i)
            case let other:
                throw CivicError.refused(
                    reason: "entity \(request.entities[i].id): a \(other.typeName) has no reach; expected a Point, Polygon or MultiPolygon")
            }
        }
        let disks = try transform.forward(pointSources)
        let areaShapes = try transform.forward(areaSources)
        var residentPoints: [Position] = []
        var residentCounts: [Double] = []
        var residentAreas: [Geometry] = []
        var residentAreaCounts: [Double] = []
        for residents in request.residents ?? [] {
            switch residents.geometry {
            case .point(let p):
                residentPoints.append(p)
                residentCounts.append(residents.count)
            case .polygon, .multiPolygon:
                residentAreas.append(residents.geometry)
                residentAreaCounts.append(residents.count)
            default:
                throw CivicError.refused(reason: "residents as a \(residents.geometry.typeName) cannot be placed; expected a Point, Polygon or MultiPolygon")
            }
        }
        residentPoints = try transform.forward(residentPoints)
        let residentShapes = try transform.forward(residentAreas)
        let residentShapeCounts = residentAreaCounts
        var regions: [Region] = []
        var domain: BoundingBox?
        for (i, shape) in districtShapes.enumerated() {
            let region = Region(geometry: shape, district: i)
            regions.append(region)
            if shape.boundingBox != nil { domain = domain.map { $0.union(region.box) } ?? region.box }
        }
        let districtCount = regions.count

        // Reaches of areas (GEOS buffers) and residents' areas cut by districts, on all cores.
        let areas = areaShapes.map { Self.areaReach($0, radius: radius) }
        let chunk = 256
        let residentJobs = (residentShapes.count + chunk - 1) / chunk
        let districtRegions = regions
        let prepared = try await Parallel.map(residentJobs) { job -> [ResidentPart] in
            let range = (job * chunk)..<min(residentShapes.count, (job + 1) * chunk)
            return try Self.residentParts(residentShapes, residentShapeCounts, range, districtRegions, GeometryContext())
        }
        var populationShares: [(region: Int, weight: Double)] = []
        var areaPopulation = [Double](repeating: 0, count: districtCount)
        for part in prepared.joined() {
            populationShares.append((regions.count, part.weight))
            areaPopulation[part.district] += part.weight * part.area
            regions.append(Region(geometry: part.geometry, district: part.district))
        }

        let scene = Scene(radius: radius, domain: domain ?? BoundingBox(minX: 0, minY: 0, maxX: 1, maxY: 1),
                          regions: regions, districtCount: districtCount, disks: disks, areas: areas,
                          residentPoints: residentPoints, residentCounts: residentCounts, wantsGaps: wantsGaps)
        let tiling = request.tiling
        let side = max(scene.domain.width, scene.domain.height)
        let grid = Grid(covering: scene.domain, cell: max(tiling.coarseTile * radius, side / 96, 1e-3))
        let diskBuckets = Buckets(grid: grid, count: disks.count) {
            grid.cells(touching: BoundingBox(minX: disks[$0].x, minY: disks[$0].y, maxX: disks[$0].x, maxY: disks[$0].y)
                .expanded(by: radius))
        }
        let areaBuckets = Buckets(grid: grid, count: areas.count) { grid.cells(touching: areas[$0].box) }
        let regionBuckets = Buckets(grid: grid, count: regions.count) { grid.cells(touching: regions[$0].box) }
        let entityBuckets = Buckets(grid: grid, points: disks)
        let residentBuckets = Buckets(grid: grid, points: residentPoints)
        let nearIndex = residentPoints.isEmpty ? nil : NearIndex(scene: scene)
        let tiles = (0..<grid.count).filter { !regionBuckets[$0].isEmpty }
        let jobCount = tiles.count + 1
        let tileOutcomes = try await Parallel.map(jobCount, progress: progress) { job -> TileOutcome in
            if job == 0 { return try Self.countAreaEntities(scene) }
            let tile = tiles[job - 1]
            let regionsHere = Array(regionBuckets[tile])
            let worker = try TileWorker(scene: scene, tiling: tiling)
            worker.nearIndex = nearIndex
            return try worker.measure(
                box: grid.box(tile), disks: Array(diskBuckets[tile]), areas: Array(areaBuckets[tile]),
                regions: regionsHere, entityPoints: entityBuckets[tile], residentPoints: residentBuckets[tile],
                districts: regionsHere.filter { Int($0) < districtCount })
        }
        // Totals.
        var covered = [Double](repeating: 0, count: regions.count)
        var entityCounts = [Int](repeating: 0, count: districtCount)
        var entitiesInCity = 0
        var pointPopulation = [Double](repeating: 0, count: districtCount)
        var pointPopulationNear = [Double](repeating: 0, count: districtCount)
        var cityResidents = 0.0, cityResidentsNear = 0.0
        var gapPieces = [[Polygon]](repeating: [], count: wantsGaps ? districtCount : 0)
        for outcome in tileOutcomes {
            for (region, m2) in outcome.covered { covered[Int(region)] += m2 }
            for (district, count) in outcome.entities { entityCounts[Int(district)] += Int(count) }
            entitiesInCity += outcome.entitiesInCity
            for (district, all, near) in outcome.residents {
                pointPopulation[Int(district)] += all
                pointPopulationNear[Int(district)] += near
            }
            cityResidents += outcome.cityResidents
            cityResidentsNear += outcome.cityResidentsNear
            for (district, piece) in outcome.gaps { gapPieces[Int(district)].append(piece) }
        }
        var areaPopulationNear = [Double](repeating: 0, count: districtCount)
        for (region, weight) in populationShares {
            areaPopulationNear[regions[region].district] += weight * covered[region]
        }

        var rows: [DistrictCoverage] = []
        for (i, district) in request.districts.enumerated() {
            let area = districtShapes[i].polygons.reduce(0) { $0 + $1.planarArea }
            let coveredArea = min(covered[i], area)
            let share = area > 0 ? coveredArea / area : 0
            var population: Double?
            var coveredPopulation: Double?
            if request.residents != nil {
                population = pointPopulation[i] + areaPopulation[i]
                coveredPopulation = pointPopulationNear[i] + areaPopulationNear[i]
            } else if let own = district.population {
                population = Double(own)
                coveredPopulation = Double(own) * share
            }
            rows.append(DistrictCoverage(id: district.id, name: district.name, area: area, covered: coveredArea,
                                         coveredShare: share, entities: entityCounts[i], population: population,
                                         coveredPopulation: coveredPopulation))
        }
        let totalArea = rows.reduce(0) { $0 + $1.area }
        let totalCovered = rows.reduce(0) { $0 + $1.covered }
        var city = CityCoverage(area: totalArea, covered: totalCovered,
                                coveredShare: totalArea > 0 ? totalCovered / totalArea : 0,
                                entities: entitiesInCity, population: nil, coveredPopulation: nil)
        if request.residents != nil {
            city.population = cityResidents + areaPopulation.reduce(0, +)
            city.coveredPopulation = cityResidentsNear + areaPopulationNear.reduce(0, +)
        } else if rows.contains(where: { $0.population != nil }) {
            city.population = rows.reduce(0) { $0 + ($1.population ?? 0) }
            city.coveredPopulation = rows.reduce(0) { $0 + ($1.coveredPopulation ?? 0) }
        }
        let report = CoverageReport(crs: crs, radius: radius, districts: rows, city: city)
        return Analysis(epsg: epsg, coverage: report, gapPieces: gapPieces, districts: request.districts,
                        districtShapes: districtShapes, points: disks, pointEntities: pointEntities,
                        areaShapes: areaShapes, areaEntities: areaEntities)
    }

    /// The part of a residents' area inside one district.
    private struct ResidentPart: Sendable {
        var district: Int
        var geometry: Geometry
        var area: Double
        /// Residents per m² of the whole area.
        var weight: Double
    }

    private static func areaReach(_ shape: Geometry, radius: Double) -> AreaReach {
        let polygons = shape.polygons
        let shapeIsConvex = polygons.count == 1 && polygons[0].innerRings.isEmpty
            && Planar.isConvex(Planar.open(polygons[0].outerRing))
        let shapeBox = shape.boundingBox ?? BoundingBox(minX: 0, minY: 0, maxX: 0, maxY: 0)
        return AreaReach(box: shapeBox.expanded(by: radius), shape: polygons, shapeIsConvex: shapeIsConvex,
                         shapeBox: shapeBox)
    }

    private static func residentParts(_ shapes: [Geometry], _ counts: [Double], _ range: Range<Int>,
                                      _ districts: [Region], _ context: GeometryContext) throws -> [ResidentPart] {
        var handles: [Int: GeometryHandle] = [:]
        var parts: [ResidentPart] = []
        for k in range {
            let shape = shapes[k]
            guard let box = shape.boundingBox else { continue }
            let handle = try context.make(shape)
            let total = try handle.area
            guard total > 0 else { continue }
            for (d, district) in districts.enumerated() where district.box.intersects(box) {
                let districtHandle: GeometryHandle
                if let cached = handles[d] {
                    districtHandle = cached
                } else {
                    districtHandle = try context.make(district.geometry)
                    handles[d] = districtHandle
                }
                let part = try handle.intersection(districtHandle)
                let area = try part.area
                guard area > 0 else { continue }
                let polygons = try part.geometry().polygons
                parts.append(ResidentPart(district: d, geometry: .multiPolygon(polygons), area: area,
                                          weight: counts[k] / total))
            }
        }
        return parts
    }

    /// Selected area entities by district (`intersects`), in one job.
    private static func countAreaEntities(_ scene: Scene) throws -> TileOutcome {
        var outcome = TileOutcome()
        guard !scene.areas.isEmpty else { return outcome }
        let context = try GeometryContext()
        var prepared: [Int: PreparedGeometry] = [:]
        var counts: [Int32: Int32] = [:]
        for area in scene.areas {
            var shape: GeometryHandle?
            var inCity = false
            for d in 0..<scene.districtCount where scene.regions[d].box.intersects(area.shapeBox) {
                if shape == nil { shape = try context.make(.multiPolygon(area.shape)) }
                let district: PreparedGeometry
                if let cached = prepared[d] {
                    district = cached
                } else {
                    district = try context.make(scene.regions[d].geometry).prepared()
                    prepared[d] = district
                }
                if try district.intersects(shape!) {
                    counts[Int32(d), default: 0] += 1
                    inCity = true
                }
            }
            if inCity { outcome.entitiesInCity += 1 }
        }
        outcome.entities = counts.map { ($0.key, $0.value) }
        return outcome
    }

    // MARK: - Gaps

    /// Pieces merged per district into connected parts, measured, filtered; in the projected CRS,
    /// outer rings counter-clockwise and holes clockwise.
    func gapReport(minArea: Double) async throws -> GapReport {
        let pieces = gapPieces
        let districts = self.districts
        let perDistrict = try await Parallel.map(pieces.count) { d -> (gaps: [Gap], dropped: Int) in
            guard !pieces[d].isEmpty else { return ([], 0) }
            let context = try GeometryContext()
            let parts = try pieces[d].map { try context.make(.polygon($0)) }
            // A grid of 1 µm closes the hairline seams between tiles; areas move by far less than 1 m².
            let merged = try context.collection(parts).unaryUnion(gridSize: 1e-6).geometry().polygons
            var gaps: [Gap] = []
            var dropped = 0
            for polygon in merged {
                let area = polygon.planarArea
                guard area > 0 else { continue }
                guard area >= minArea else {
                    dropped += 1
                    continue
                }
                let anchor = try context.make(.polygon(polygon)).pointOnSurface() ?? polygon.outerRing[0]
                gaps.append(Gap(districtID: districts[d].id, districtName: districts[d].name, area: area,
                                polygon: polygon.rightHanded, anchor: anchor))
            }
            return (gaps, dropped)
        }
        var gaps = perDistrict.flatMap(\.gaps)
        gaps.sort { $0.area != $1.area ? $0.area > $1.area : $0.districtID < $1.districtID }
        return GapReport(crs: coverage.crs, radius: coverage.radius, minArea: minArea, gaps: gaps,
                         dropped: perDistrict.reduce(0) { $0 + $1.dropped })
    }

    /// Everything a map draws, from this one projection: the report, the gaps, the districts and
    /// the selected entities in the report's CRS.
    func projected(_ request: CoverageRequest, minGapArea: Double) async throws -> ProjectedCoverage {
        // Both lists are in request order: merge them back into it.
        var entities: [ProjectedEntity] = []
        entities.reserveCapacity(pointEntities.count + areaEntities.count)
        var p = 0, a = 0
        while p < pointEntities.count || a < areaEntities.count {
            if a == areaEntities.count || (p < pointEntities.count && pointEntities[p] < areaEntities[a]) {
                entities.append(ProjectedEntity(entity: request.entities[pointEntities[p]], shape: .point(points[p])))
                p += 1
            } else {
                entities.append(ProjectedEntity(entity: request.entities[areaEntities[a]], shape: areaShapes[a]))
                a += 1
            }
        }
        return ProjectedCoverage(coverage: coverage, gaps: try await gapReport(minArea: minGapArea),
                                 selection: request.selection, districts: districts, districtShapes: districtShapes,
                                 entities: entities)
    }
}
