import CivicCore
import CivicRules
import Foundation
import GeoEngine
import GeoValues

/// One coverage computation from start to end: zones, projection, reaches, tiles, totals.
///
/// Each district is measured in the UTM zone of its own centre (DESIGN §5), or in the one CRS the
/// request forces: the districts of one zone are measured together, with the entities and residents
/// that can matter to them projected into that zone. A city is one zone, and then what comes out
/// stays in that CRS for the map to draw; the outputs for GIS go back to WGS84 at the edge
/// (``GapReport/features()``).
struct Analysis: Sendable {
    var coverage: CoverageReport
    /// Uncovered pieces by district, each in its district's CRS; empty unless gaps were asked for.
    var gapPieces: [[Polygon]]
    /// The EPSG code each district was measured in.
    var districtEPSG: [Int]
    var districts: [District]
    /// The selected entities' indices in the request, in order.
    var selected: [Int]
    /// What one CRS measured, projected, when one CRS measured every district (a city): the map
    /// draws these without projecting again.
    var measured: MeasuredShapes?

    /// The inputs of one zone as the measure projected them.
    struct MeasuredShapes: Sendable {
        var epsg: Int
        /// The districts' geometries, projected, in the order of the request.
        var districtShapes: [Geometry]
        /// Point entities' positions and area entities' shapes, each with its index in the request.
        var points: [Position]
        var pointEntities: [Int]
        var areaShapes: [Geometry]
        var areaEntities: [Int]
    }

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
        try CRSCheck.require(request)
        if let walk = request.walk {
            guard walk.offStreet.isFinite, walk.offStreet >= 0, walk.offStreet <= radius else {
                throw CivicError.refused(
                    reason: "the off-street allowance must be 0 to \(JSONNumber.format(radius)) m (the radius), not \(JSONNumber.format(walk.offStreet))",
                    hint: "--off-street is the last leg from the street to a home; it cannot reach farther than --radius")
            }
        }

        // Ground that two districts both hold is found while the inputs are projected: on two
        // cores it costs nothing when districts tile the city, as they should.
        let districtList = request.districts
        async let overlapping = DoubleCounting.sharers(districtList)

        var selected: [Int] = []
        selected.reserveCapacity(request.entities.count)
        for i in request.entities.indices where request.selection.includes(request.entities[i]) {
            switch request.entities[i].geometry {
            case .point, .polygon, .multiPolygon: selected.append(i)
            case let other:
                throw CivicError.refused(
                    reason: "entity \(request.entities[i].label): a \(other.typeName) has no reach; expected a Point, Polygon or MultiPolygon")
            }
        }
        for residents in request.residents ?? [] {
            switch residents.geometry {
            case .point, .polygon, .multiPolygon: break
            default:
                throw CivicError.refused(reason: "residents as a \(residents.geometry.typeName) cannot be placed; expected a Point, Polygon or MultiPolygon")
            }
        }

        let epsgs = request.districtEPSG
        var zoneCodes: [Int] = []
        var members: [Int: [Int]] = [:]
        for (d, code) in epsgs.enumerated() {
            if members[code] == nil { zoneCodes.append(code) }
            members[code, default: []].append(d)
        }
        // A zone's walking graph depends on its districts alone, so it is built while the zones
        // project the entities and residents.
        let graphs: Task<[WalkNetwork], any Error>? = request.walk.map { walk in
            let plan = zoneCodes.map { code in
                (code, Analysis.walkBox(districts: members[code] ?? [], request: request, alone: zoneCodes.count == 1))
            }
            return Task {
                try plan.map { code, within in
                    try WalkNetwork(ways: walk.network, transform: CoordinateTransform(from: "EPSG:4326", to: "EPSG:\(code)"),
                                    within: within)
                }
            }
        }
        let zones: [Zone]
        do {
            zones = try zoneCodes.map { code in
                try Zone(epsg: code, districts: members[code] ?? [], request: request, selected: selected,
                         alone: zoneCodes.count == 1)
            }
        } catch {
            _ = try? await graphs?.value   // no work outlives the call
            throw error
        }
        let zoneGraphs = try await graphs?.value
        let doubled = try await overlapping

        let n = request.districts.count
        var figures = Figures(districts: n, entities: request.entities.count,
                              residents: request.residents?.count ?? 0, wantsGaps: wantsGaps)
        for (k, zone) in zones.enumerated() {
            let zoneProgress: (@Sendable (Double) -> Void)? = progress.map { report in
                let share = 1 / Double(zones.count), start = Double(k) * share
                return { @Sendable fraction in report(start + fraction * share) }
            }
            var reachRadius = radius
            var pieces: [WalkPiece] = []
            if let walk = request.walk, let zoneGraphs {
                let reach = try await WalkReach.pieces(zone: zone, network: zoneGraphs[k], walk: walk, radius: radius)
                pieces = reach.pieces
                figures.awayFromStreets.formUnion(reach.awayFromStreets)
                figures.networkSize.vertices += reach.vertices
                figures.networkSize.edges += reach.edges
                // The entities' own surroundings: within min(A, R) of their geometry.
                reachRadius = min(walk.offStreet, radius)
            }
            try await measure(zone, radius: reachRadius, pieces: pieces, walking: request.walk != nil, tileScale: radius,
                              tiling: request.tiling, districts: request.districts,
                              doubled: doubled, wantsGaps: wantsGaps,
                              progress: zoneProgress, into: &figures)
        }

        // Rows, as measured.
        var rows: [DistrictCoverage] = []
        for (i, district) in request.districts.enumerated() {
            let area = figures.area[i]
            let coveredArea = min(figures.covered[i], area)
            let share = area > 0 ? coveredArea / area : 0
            var population: Double?
            var coveredPopulation: Double?
            if request.residents != nil {
                population = figures.pointPopulation[i] + figures.areaPopulation[i]
                coveredPopulation = figures.pointPopulationNear[i] + figures.areaPopulationNear[i]
            } else if let own = district.population {
                population = Double(own)
                coveredPopulation = Double(own) * share
            }
            rows.append(DistrictCoverage(id: district.id, name: district.name, area: area, covered: coveredArea,
                                         coveredShare: share, entities: figures.entityCounts[i], population: population,
                                         coveredPopulation: coveredPopulation, crs: "EPSG:\(epsgs[i])"))
        }

        // The city: each place once.
        let totalArea = rows.reduce(0) { $0 + $1.area } - figures.doubledArea
        let totalCovered = max(0, rows.reduce(0) { $0 + $1.covered } - figures.doubledCovered)
        let entitiesInCity = figures.entityInside.reduce(0) { $0 + ($1 ? 1 : 0) }
        var city = CityCoverage(area: totalArea, covered: totalCovered,
                                coveredShare: totalArea > 0 ? totalCovered / totalArea : 0,
                                entities: entitiesInCity, population: nil, coveredPopulation: nil,
                                entitiesOutside: selected.count - entitiesInCity)
        var notices = CoverageNotices()
        notices.selectedEntities = selected.count
        if let residents = request.residents {
            var cityResidents = 0.0, cityResidentsNear = 0.0, outside = 0.0
            var outsideFeatures: [Int] = []
            for (k, r) in residents.enumerated() {
                if case .point = r.geometry {
                    if figures.residentInside[k] {
                        cityResidents += r.count
                        if figures.residentNear[k] { cityResidentsNear += r.count }
                    } else {
                        outside += r.count
                        outsideFeatures.append(k)
                    }
                } else {
                    let left = r.count - min(r.count, figures.residentAreaInside[k])
                    if left > r.count * 1e-9 { outside += left }
                    if figures.residentAreaInside[k] <= 0 { outsideFeatures.append(k) }
                }
            }
            city.population = cityResidents + figures.areaPopulation.reduce(0, +) - figures.doubledPopulation
            city.coveredPopulation = cityResidentsNear + figures.areaPopulationNear.reduce(0, +)
                - figures.doubledPopulationNear
            city.residentsOutside = outside
            notices.residentFeaturesOutside = outsideFeatures.count
            let isOutside = Set(outsideFeatures)
            let found = OutsideProbe.nearest(figures.outside, \.residents) { isOutside.contains($0) }
            if let (k, distance) = try found ?? Self.nearest(outsideFeatures, residents.map(\.geometry), request.districts) {
                notices.nearestResidentsOutside = CoverageNotices.Outside(
                    label: nil, at: residents[k].geometry.anchor ?? Position(x: 0, y: 0), distance: distance)
            }
            for (i, peak) in figures.peaks.enumerated() {
                guard let peak, let population = rows[i].population, population > 0,
                      peak.residents > 0.5 * population,
                      case .point(let at) = residents[peak.point].geometry else { continue }
                notices.dominantPoints.append(CoverageNotices.DominantPoint(
                    districtID: rows[i].id, districtName: rows[i].name, at: at, residents: peak.residents,
                    districtResidents: population))
            }
            notices.dominantPoints.sort {
                $0.residents / $0.districtResidents > $1.residents / $1.districtResidents
            }
        } else if rows.contains(where: { $0.population != nil }) {
            city.population = rows.reduce(0) { $0 + ($1.population ?? 0) }
            city.coveredPopulation = rows.reduce(0) { $0 + ($1.coveredPopulation ?? 0) }
        }
        if city.entitiesOutside > 0 {
            let outside = selected.filter { !figures.entityInside[$0] }
            let found = OutsideProbe.nearest(figures.outside, \.entities) { !figures.entityInside[$0] }
            if let (i, distance) = try found ?? Self.nearest(outside, request.entities.map(\.geometry), request.districts) {
                notices.nearestEntityOutside = CoverageNotices.Outside(
                    label: request.entities[i].label, at: request.entities[i].geometry.anchor ?? Position(x: 0, y: 0),
                    distance: distance)
            }
        }
        if !doubled.isEmpty {
            notices.overlapArea = figures.doubledArea
            notices.overlaps = try DistrictTopology.overlaps(request.districts)
        }

        let crs = Set(epsgs).count == 1 ? "EPSG:\(epsgs[0])" : CoverageReport.perDistrictCRS
        var report = CoverageReport(crs: crs, radius: radius, districts: rows, city: city)
        report.notices = notices
        if let walk = request.walk {
            report.walk = WalkFigures(offStreet: walk.offStreet,
                                      entitiesAwayFromStreets: figures.awayFromStreets.count { figures.entityInside[$0] },
                                      vertices: figures.networkSize.vertices, edges: figures.networkSize.edges)
        }
        var measured: MeasuredShapes?
        if zones.count == 1, let zone = zones.first {
            measured = MeasuredShapes(epsg: zone.epsg, districtShapes: zone.shapes, points: zone.points,
                                      pointEntities: zone.pointEntities, areaShapes: zone.areaShapes,
                                      areaEntities: zone.areaEntities)
        }
        return Analysis(coverage: report, gapPieces: figures.gapPieces, districtEPSG: epsgs,
                        districts: request.districts, selected: selected, measured: measured)
    }

    /// Among `outside` (indices of `geometries`) that no zone measured (too far from every
    /// district to be projected into one, so rare), the one nearest to a district: ``NearestOutside``.
    private static func nearest(_ outside: [Int], _ geometries: [Geometry],
                                _ districts: [District]) throws -> (index: Int, distance: Double)? {
        guard !outside.isEmpty else { return nil }
        return try NearestOutside.find(outside.map { geometries[$0] }, districts: districts).map { (outside[$0.index], $0.distance) }
    }

    /// The districts measured in one CRS, and the selected entities and residents that can matter
    /// to them, projected into it (one PROJ call per kind of input).
    struct Zone: Sendable {
        var epsg: Int
        /// The districts' indices in the request, in order, and their projected geometries.
        var districts: [Int]
        var shapes: [Geometry]
        /// Point entities (request indices) and their projected positions.
        var pointEntities: [Int] = []
        var points: [Position] = []
        /// Area entities (request indices) and their projected shapes.
        var areaEntities: [Int] = []
        var areaShapes: [Geometry] = []
        /// Resident points and polygons (indices in the request's residents), projected.
        var residentPointIndex: [Int] = []
        var residentPoints: [Position] = []
        var residentCounts: [Double] = []
        var residentAreaIndex: [Int] = []
        var residentShapes: [Geometry] = []
        var residentAreaCounts: [Double] = []

        /// `alone`: this zone measures every district, so every selected entity and resident counts
        /// (nothing is filtered, the figures are the one-zone figures exactly).
        init(epsg: Int, districts: [Int], request: CoverageRequest, selected: [Int], alone: Bool) throws {
            self.epsg = epsg
            self.districts = districts
            let transform = try CoordinateTransform(from: "EPSG:4326", to: "EPSG:\(epsg)")
            shapes = try transform.forward(districts.map { request.districts[$0].geometry })

            // Entities that can reach these districts: their box within the radius of the districts'
            // box, in degrees generously reckoned (a degree is at least 110 km north–south, and
            // east–west shrinks with the cosine of the latitude farthest from the equator).
            var box: BoundingBox?
            for d in districts {
                if let b = request.districts[d].geometry.boundingBox { box = box.map { $0.union(b) } ?? b }
            }
            var reachBox: BoundingBox?
            var residentBox: BoundingBox?
            if !alone, let box {
                reachBox = Analysis.reachBox(around: box, radius: request.radius)
                residentBox = box
            }
            var pointSources: [Position] = []
            var areaSources: [Geometry] = []
            pointSources.reserveCapacity(selected.count)
            pointEntities.reserveCapacity(selected.count)
            for i in selected {
                let geometry = request.entities[i].geometry
                if let reachBox, let b = geometry.boundingBox, !reachBox.intersects(b) { continue }
                if case .point(let p) = geometry {
                    pointSources.append(p)
                    pointEntities.append(i)
                } else {
                    areaSources.append(geometry)
                    areaEntities.append(i)
                }
            }
            points = try transform.forward(pointSources)
            areaShapes = try transform.forward(areaSources)
            var residentSources: [Position] = []
            var residentAreaSources: [Geometry] = []
            for (k, residents) in (request.residents ?? []).enumerated() {
                if let residentBox, let b = residents.geometry.boundingBox, !residentBox.intersects(b) { continue }
                if case .point(let p) = residents.geometry {
                    residentPointIndex.append(k)
                    residentSources.append(p)
                    residentCounts.append(residents.count)
                } else {
                    residentAreaIndex.append(k)
                    residentAreaSources.append(residents.geometry)
                    residentAreaCounts.append(residents.count)
                }
            }
            residentPoints = try transform.forward(residentSources)
            residentShapes = try transform.forward(residentAreaSources)
        }
    }

    /// The box (WGS84) of the ways that can matter to `districts`: their box grown by twice the
    /// radius (a street may lead out of the districts and back); nil when they are all the
    /// districts (`alone`: every way may matter) or when that reaches round the globe.
    static func walkBox(districts: [Int], request: CoverageRequest, alone: Bool) -> BoundingBox? {
        guard !alone else { return nil }
        var box: BoundingBox?
        for d in districts {
            if let b = request.districts[d].geometry.boundingBox { box = box.map { $0.union(b) } ?? b }
        }
        return box.flatMap { reachBox(around: $0, radius: 2 * request.radius) }
    }

    /// The box (WGS84) of everything within `radius` metres of `box`, in degrees generously
    /// reckoned: a degree is at least 110 km north–south, and east–west shrinks with the cosine of
    /// the latitude farthest from the equator. Nil when that reaches round the globe.
    static func reachBox(around box: BoundingBox, radius: Double) -> BoundingBox? {
        let dLat = radius / 110_000
        let farthest = min(90, max(abs(box.minY), abs(box.maxY)) + dLat)
        let dLon = radius / (110_000 * max(cos(farthest * .pi / 180), 1e-3))
        guard dLat < 90 && dLon < 180 else { return nil }
        return BoundingBox(minX: box.minX - dLon, minY: box.minY - dLat, maxX: box.maxX + dLon, maxY: box.maxY + dLat)
    }

    /// The figures of every zone, gathered by the request's indices.
    struct Figures {
        var area: [Double]
        var covered: [Double]
        var entityCounts: [Int]
        var pointPopulation: [Double]
        var pointPopulationNear: [Double]
        var areaPopulation: [Double]
        var areaPopulationNear: [Double]
        var gapPieces: [[Polygon]]
        /// By entity: inside some district.
        var entityInside: [Bool]
        /// By resident point: inside some district, and within the radius of an entity there.
        var residentInside: [Bool]
        var residentNear: [Bool]
        /// By residents' polygon: its residents inside the districts (each place once).
        var residentAreaInside: [Double]
        /// By district: the resident point holding the most of its residents.
        var peaks: [(residents: Double, point: Int)?]
        /// Ground that more than one district holds, counted once more than it should be by the
        /// districts' sums, and what of it is covered; its residents from polygons likewise.
        var doubledArea = 0.0
        var doubledCovered = 0.0
        var doubledPopulation = 0.0
        var doubledPopulationNear = 0.0
        /// What each zone left outside its districts, to find the nearest of what no zone holds.
        var outside: [OutsideProbe] = []
        /// Walking: entities (request indices) farther than the off-street allowance from every street.
        var awayFromStreets = Set<Int>()
        var networkSize = (vertices: 0, edges: 0)

        init(districts n: Int, entities: Int, residents: Int, wantsGaps: Bool) {
            area = Array(repeating: 0, count: n)
            covered = area
            entityCounts = Array(repeating: 0, count: n)
            pointPopulation = area
            pointPopulationNear = area
            areaPopulation = area
            areaPopulationNear = area
            gapPieces = Array(repeating: [], count: wantsGaps ? n : 0)
            entityInside = Array(repeating: false, count: entities)
            residentInside = Array(repeating: false, count: residents)
            residentNear = residentInside
            residentAreaInside = Array(repeating: 0, count: residents)
            peaks = Array(repeating: nil, count: n)
        }
    }

    /// Measures the districts of one zone and adds their figures to `figures`.
    ///
    /// `doubled` names, for each district that shares ground with districts before it, those
    /// districts (indices in the request): that ground, measured like a district, is what the
    /// city's total takes off so that each place counts once. It is cut in this zone's CRS, so
    /// that its edges are the districts' own.
    private static func measure(_ zone: Zone, radius: Double, pieces walkPieces: [WalkPiece], walking: Bool,
                                tileScale: Double, tiling: Tiling,
                                districts: [District],
                                doubled: [Int: [Int]], wantsGaps: Bool,
                                progress: (@Sendable (Double) -> Void)?, into figures: inout Figures) async throws {
        var regions: [Region] = []
        var domain: BoundingBox?
        for (i, shape) in zone.shapes.enumerated() {
            let region = Region(geometry: shape, district: i)
            regions.append(region)
            if shape.boundingBox != nil { domain = domain.map { $0.union(region.box) } ?? region.box }
        }
        let districtCount = regions.count
        let shared = zone.districts.enumerated().compactMap { i, d in doubled[d].map { (i, $0) } }
        if !shared.isEmpty {
            let transform = try CoordinateTransform(from: "EPSG:4326", to: "EPSG:\(zone.epsg)")
            let context = try GeometryContext()
            for (i, earlier) in shared {
                let ground = try DoubleCounting.ground(of: zone.shapes[i], sharedWith: earlier.map { districts[$0].geometry },
                                                       transform: transform, context: context)
                if !ground.isEmpty { regions.append(Region(geometry: .multiPolygon(ground), district: i)) }
            }
        }
        let doubledEnd = regions.count

        // Reaches of areas (GEOS buffers) and residents' areas cut by districts and by the doubled
        // ground, on all cores.
        let areas = zone.areaShapes.map { Self.areaReach($0, radius: radius) }
        let chunk = 256
        let residentShapes = zone.residentShapes, residentShapeCounts = zone.residentAreaCounts
        let residentJobs = (residentShapes.count + chunk - 1) / chunk
        let cutters = regions
        let prepared = try await Parallel.map(residentJobs) { job -> [ResidentPart] in
            let range = (job * chunk)..<min(residentShapes.count, (job + 1) * chunk)
            return try Self.residentParts(residentShapes, residentShapeCounts, range, cutters, GeometryContext())
        }
        var populationShares: [(region: Int, weight: Double, doubled: Bool)] = []
        for part in prepared.joined() {
            let isDoubled = part.cutter >= districtCount
            let district = regions[part.cutter].district
            populationShares.append((regions.count, part.weight, isDoubled))
            let people = part.weight * part.area
            let resident = zone.residentAreaIndex[part.resident]
            if isDoubled {
                figures.doubledPopulation += people
                figures.residentAreaInside[resident] -= people
            } else {
                figures.areaPopulation[zone.districts[district]] += people
                figures.residentAreaInside[resident] += people
            }
            regions.append(Region(geometry: part.geometry, district: district))
        }

        let scene = Scene(radius: radius, domain: domain ?? BoundingBox(minX: 0, minY: 0, maxX: 1, maxY: 1),
                          regions: regions, districtCount: districtCount, disks: zone.points, areas: areas,
                          residentPoints: zone.residentPoints, residentCounts: zone.residentCounts, wantsGaps: wantsGaps,
                          pieces: walkPieces, walking: walking, tileScale: walking ? tileScale : nil)
        let side = max(scene.domain.width, scene.domain.height)
        // A tile is never larger than the ground it measures: with a radius far beyond the districts
        // (--radius 1e9), tiles of three radii would dwarf them, and the tolerances that are
        // relative to a tile's area would take whole districts for slivers.
        let cell = min(max(tiling.coarseTile * (walking ? tileScale : radius), side / 96, 1e-3), max(side, 1e-3))
        let grid = Grid(covering: scene.domain, cell: cell)
        let disks = zone.points
        let diskBuckets = Buckets(grid: grid, count: disks.count) {
            grid.cells(touching: BoundingBox(minX: disks[$0].x, minY: disks[$0].y, maxX: disks[$0].x, maxY: disks[$0].y)
                .expanded(by: radius))
        }
        let areaBuckets = Buckets(grid: grid, count: areas.count) { grid.cells(touching: areas[$0].box) }
        let pieceBuckets = Buckets(grid: grid, count: walkPieces.count) { grid.cells(touching: walkPieces[$0].box) }
        let regionBuckets = Buckets(grid: grid, count: regions.count) { grid.cells(touching: regions[$0].box) }
        let entityBuckets = Buckets(grid: grid, points: disks)
        let residentBuckets = Buckets(grid: grid, points: zone.residentPoints)
        let nearIndex = zone.residentPoints.isEmpty ? nil : NearIndex(scene: scene)
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
                pieces: Array(pieceBuckets[tile]), regions: regionsHere, entityPoints: entityBuckets[tile], residentPoints: residentBuckets[tile],
                districts: regionsHere.filter { Int($0) < districtCount })
        }

        // Totals.
        var covered = [Double](repeating: 0, count: regions.count)
        for outcome in tileOutcomes {
            for (region, m2) in outcome.covered { covered[Int(region)] += m2 }
            for (district, count) in outcome.entities { figures.entityCounts[zone.districts[Int(district)]] += Int(count) }
            for e in outcome.entitiesInside { figures.entityInside[zone.pointEntities[Int(e)]] = true }
            for a in outcome.areasInside { figures.entityInside[zone.areaEntities[Int(a)]] = true }
            for (district, all, near) in outcome.residents {
                figures.pointPopulation[zone.districts[Int(district)]] += all
                figures.pointPopulationNear[zone.districts[Int(district)]] += near
            }
            for (point, near) in outcome.residentsInside {
                let k = zone.residentPointIndex[Int(point)]
                figures.residentInside[k] = true
                if near { figures.residentNear[k] = true }
            }
            for (district, residents, point) in outcome.peaks {
                let d = zone.districts[Int(district)]
                if residents > figures.peaks[d]?.residents ?? 0 {
                    figures.peaks[d] = (residents, zone.residentPointIndex[Int(point)])
                }
            }
            for (district, piece) in outcome.gaps { figures.gapPieces[zone.districts[Int(district)]].append(piece) }
        }
        for (i, shape) in zone.shapes.enumerated() {
            let d = zone.districts[i]
            figures.area[d] = shape.polygons.reduce(0) { $0 + $1.planarArea }
            figures.covered[d] = covered[i]
        }
        Self.probeOutside(zone, regions: regions[..<districtCount], tileOutcomes, into: &figures)
        for r in districtCount..<doubledEnd {
            let area = regions[r].geometry.polygons.reduce(0) { $0 + $1.planarArea }
            figures.doubledArea += area
            figures.doubledCovered += min(covered[r], area)
        }
        for (region, weight, isDoubled) in populationShares {
            let near = weight * covered[region]
            if isDoubled {
                figures.doubledPopulationNear += near
            } else {
                figures.areaPopulationNear[zone.districts[regions[region].district]] += near
            }
        }
    }

    /// The entities and residents of a zone outside all of its districts, projected, with the
    /// districts' edges: after every zone, those that no district holds are measured from here.
    struct OutsideProbe: Sendable {
        var edges: EdgeIndex
        /// Request indices and positions (a point, or an area's vertices), projected.
        var entities: [(index: Int, positions: [Position])] = []
        var residents: [(index: Int, positions: [Position])] = []

        /// The nearest to a district of the candidates `isOutside` keeps, and its distance; `best` is
        /// the nearest found so far (in other zones), which the search has to beat.
        static func nearest(_ probes: [OutsideProbe], _ candidates: KeyPath<OutsideProbe, [(index: Int, positions: [Position])]>,
                            isOutside: (Int) -> Bool) -> (index: Int, distance: Double)? {
            var best: (index: Int, distance: Double)?
            for probe in probes {
                for (index, positions) in probe[keyPath: candidates] where isOutside(index) {
                    for p in positions {
                        let d = probe.edges.distance(from: p, below: best?.distance ?? .infinity)
                        if d < best?.distance ?? .infinity { best = (index, d) }
                    }
                }
            }
            return best
        }
    }

    /// Keeps what the zone left outside its districts, for the warning's example; nothing when
    /// everything is inside.
    private static func probeOutside(_ zone: Zone, regions: ArraySlice<Region>, _ outcomes: [TileOutcome],
                                     into figures: inout Figures) {
        var inside = [Bool](repeating: false, count: zone.points.count)
        var areasInside = [Bool](repeating: false, count: zone.areaShapes.count)
        var residentsInside = [Bool](repeating: false, count: zone.residentPoints.count)
        for outcome in outcomes {
            for e in outcome.entitiesInside { inside[Int(e)] = true }
            for a in outcome.areasInside { areasInside[Int(a)] = true }
            for (k, _) in outcome.residentsInside { residentsInside[Int(k)] = true }
        }
        var probe = OutsideProbe(edges: EdgeIndex(rings: []))
        for (i, p) in zone.points.enumerated() where !inside[i] { probe.entities.append((zone.pointEntities[i], [p])) }
        for (j, shape) in zone.areaShapes.enumerated() where !areasInside[j] {
            probe.entities.append((zone.areaEntities[j], shape.allPositions))
        }
        for (k, p) in zone.residentPoints.enumerated() where !residentsInside[k] {
            probe.residents.append((zone.residentPointIndex[k], [p]))
        }
        for (k, shape) in zone.residentShapes.enumerated() where figures.residentAreaInside[zone.residentAreaIndex[k]] <= 0 {
            probe.residents.append((zone.residentAreaIndex[k], shape.allPositions))
        }
        guard !probe.entities.isEmpty || !probe.residents.isEmpty else { return }
        probe.edges = EdgeIndex(rings: regions.flatMap(\.rings))
        figures.outside.append(probe)
    }

    /// The part of a residents' area inside one district, or inside ground two districts share.
    private struct ResidentPart: Sendable {
        /// The region that cut it: a district, or a district's doubled ground.
        var cutter: Int
        /// The residents' area (its index among the zone's).
        var resident: Int
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
                                      _ cutters: [Region], _ context: GeometryContext) throws -> [ResidentPart] {
        var handles: [Int: GeometryHandle] = [:]
        var parts: [ResidentPart] = []
        for k in range {
            let shape = shapes[k]
            guard let box = shape.boundingBox else { continue }
            let handle = try context.make(shape)
            let total = try handle.area
            guard total > 0 else { continue }
            for (d, cutter) in cutters.enumerated() where cutter.box.intersects(box) {
                let cutterHandle: GeometryHandle
                if let cached = handles[d] {
                    cutterHandle = cached
                } else {
                    cutterHandle = try context.make(cutter.geometry)
                    handles[d] = cutterHandle
                }
                let part = try handle.intersection(cutterHandle)
                let area = try part.area
                guard area > 0 else { continue }
                let polygons = try part.geometry().polygons
                parts.append(ResidentPart(cutter: d, resident: k, geometry: .multiPolygon(polygons), area: area,
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
        for (j, area) in scene.areas.enumerated() {
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
            if inCity { outcome.areasInside.append(Int32(j)) }
        }
        outcome.entities = counts.map { ($0.key, $0.value) }
        return outcome
    }

    // MARK: - Gaps

    /// Pieces merged per district into connected parts, measured, filtered; each in its district's
    /// CRS, outer rings counter-clockwise and holes clockwise.
    func gapReport(minArea: Double) async throws -> GapReport {
        let pieces = gapPieces
        let districts = self.districts
        let epsgs = districtEPSG
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
                                polygon: polygon.rightHanded, anchor: anchor, crs: "EPSG:\(epsgs[d])"))
            }
            return (gaps, dropped)
        }
        var gaps = perDistrict.flatMap(\.gaps)
        gaps.sort { $0.area != $1.area ? $0.area > $1.area : $0.districtID < $1.districtID }
        return GapReport(crs: coverage.crs, radius: coverage.radius, minArea: minArea, gaps: gaps,
                         dropped: perDistrict.reduce(0) { $0 + $1.dropped })
    }

    /// Everything a map draws, in one CRS: the shapes the figures were measured on when one CRS
    /// measured them all; else the districts, entities and gaps projected into the UTM zone of the
    /// districts' centre, to draw (the figures stay as each district's zone measured them).
    func projected(_ request: CoverageRequest, minGapArea: Double) async throws -> ProjectedCoverage {
        var gaps = try await gapReport(minArea: minGapArea)
        if let measured {
            // Both lists are in request order: merge them back into it.
            var entities: [ProjectedEntity] = []
            entities.reserveCapacity(measured.pointEntities.count + measured.areaEntities.count)
            var p = 0, a = 0
            while p < measured.pointEntities.count || a < measured.areaEntities.count {
                if a == measured.areaEntities.count
                    || (p < measured.pointEntities.count && measured.pointEntities[p] < measured.areaEntities[a]) {
                    entities.append(ProjectedEntity(entity: request.entities[measured.pointEntities[p]],
                                                    shape: .point(measured.points[p])))
                    p += 1
                } else {
                    entities.append(ProjectedEntity(entity: request.entities[measured.areaEntities[a]],
                                                    shape: measured.areaShapes[a]))
                    a += 1
                }
            }
            var result = ProjectedCoverage(coverage: coverage, gaps: gaps, selection: request.selection,
                                           districts: districts, districtShapes: measured.districtShapes,
                                           entities: entities, crs: "EPSG:\(measured.epsg)")
            result.network = try Self.projectedNetwork(request, epsg: measured.epsg)
            return result
        }
        let display = "EPSG:\(request.epsg)"
        let transform = try CoordinateTransform(from: "EPSG:4326", to: display)
        let districtShapes = try transform.forward(districts.map(\.geometry))
        let shapes = try transform.forward(selected.map { request.entities[$0].geometry })
        let entities = zip(selected, shapes).map { ProjectedEntity(entity: request.entities[$0], shape: $1) }
        var byZone: [String: [Int]] = [:]
        for (i, gap) in gaps.gaps.enumerated() { byZone[gap.crs, default: []].append(i) }
        for (zone, indices) in byZone.sorted(by: { $0.key < $1.key }) where zone != display {
            let move = try CoordinateTransform(from: zone, to: display)
            let polygons = try move.forward(indices.map { Geometry.polygon(gaps.gaps[$0].polygon) })
            let anchors = try move.forward(indices.map { gaps.gaps[$0].anchor })
            for (k, i) in indices.enumerated() {
                gaps.gaps[i].polygon = polygons[k].polygons.first.map(\.rightHanded) ?? gaps.gaps[i].polygon
                gaps.gaps[i].anchor = anchors[k]
                gaps.gaps[i].crs = display
            }
        }
        gaps.crs = display
        var result = ProjectedCoverage(coverage: coverage, gaps: gaps, selection: request.selection, districts: districts,
                                       districtShapes: districtShapes, entities: entities, crs: display)
        result.network = try Self.projectedNetwork(request, epsg: request.epsg)
        return result
    }

    /// The walking network's ways in `epsg`, in one PROJ call; empty for straight lines.
    private static func projectedNetwork(_ request: CoverageRequest, epsg: Int) throws -> [[Position]] {
        guard let walk = request.walk, !walk.network.isEmpty else { return [] }
        let transform = try CoordinateTransform(from: "EPSG:4326", to: "EPSG:\(epsg)")
        let flat = try transform.forward(walk.network.flatMap(\.positions))
        var lines: [[Position]] = []
        var start = 0
        for way in walk.network {
            lines.append(Array(flat[start..<(start + way.positions.count)]))
            start += way.positions.count
        }
        return lines
    }
}

/// Ground that more than one district holds (two OpenStreetMap units that overlap by 9 km²): the
/// districts' own figures each count it, the city's total must count it once.
enum DoubleCounting {
    /// For each district that shares ground with districts before it, those districts (indices in
    /// `districts`); empty when the districts tile the ground without overlaps, which one union
    /// tells (the sum of their areas is the area of their union, to a billionth).
    static func sharers(_ districts: [District]) throws -> [Int: [Int]] {
        guard districts.count > 1 else { return [:] }
        let context = try GeometryContext()
        let handles = try districts.map { try context.make($0.geometry) }
        var sum = 0.0
        for handle in handles { sum += try handle.area }
        do {
            let union = try context.union(handles)
            guard sum - (try union.area) > sum * 1e-9 else { return [:] }
        } catch {
            // A union GEOS cannot make of valid districts (it happens with boundaries that nearly
            // coincide) proves nothing: each pair is looked at instead.
        }
        let boxes = districts.map(\.geometry.boundingBox)
        var found: [Int: [Int]] = [:]
        for i in 1..<districts.count {
            guard let box = boxes[i] else { continue }
            for j in 0..<i where boxes[j].map({ $0.intersects(box) }) ?? false {
                let shared = try handles[i].intersection(handles[j]).geometry().polygonalParts
                if shared.contains(where: { $0.planarArea > 0 }) { found[i, default: []].append(j) }
            }
        }
        return found
    }

    /// The ground district `shape` (projected) shares with `earlier` (WGS84, projected here by
    /// `transform` into the same CRS), as polygons; empty when they only touch.
    static func ground(of shape: Geometry, sharedWith earlier: [Geometry], transform: CoordinateTransform,
                       context: GeometryContext) throws -> [Polygon] {
        let others = try transform.forward(earlier).map { try context.make($0) }
        let union = others.count == 1 ? others[0] : try context.union(others)
        return try context.make(shape).intersection(union).geometry().polygonalParts.filter { $0.planarArea > 0 }
    }
}

/// Among things outside every district, the one nearest to a district, for a warning's example.
enum NearestOutside {
    /// The index in `geometries` (WGS84) of the one nearest to a district, a point of it, and its
    /// distance in metres (GEOS, in an azimuthal equidistant projection centred on that point, where
    /// distances from it are true however far the districts are); nil for no geometries.
    ///
    /// Candidates are ranked by the great-circle distance to the districts' boxes, and the few
    /// nearest measured exactly: cheap for thousands of points outside, and what a warning needs.
    static func find(_ geometries: [Geometry], districts: [District]) throws -> (index: Int, at: Position, distance: Double)? {
        let boxes = districts.compactMap(\.geometry.boundingBox)
        guard !geometries.isEmpty, let whole = boxes.dropFirst().reduce(boxes.first, { $0?.union($1) }) else { return nil }
        func towards(_ p: Position, _ box: BoundingBox) -> Double {
            Geodesy.distanceMetres(p, Position(x: min(max(p.x, box.minX), box.maxX), y: min(max(p.y, box.minY), box.maxY)))
        }
        let anchors = geometries.map { $0.anchor ?? Position(x: 0, y: 0) }
        // The nearest to the whole extent first, then the nearest to a district's box among them.
        var order = Array(geometries.indices)
        if order.count > 256 {
            order = Array(order.sorted { towards(anchors[$0], whole) < towards(anchors[$1], whole) }.prefix(256))
        }
        var ranked: [(index: Int, distance: Double)] = []
        for i in order {
            var nearest = Double.infinity
            for box in boxes { nearest = min(nearest, towards(anchors[i], box)) }
            ranked.append((i, nearest))
        }
        ranked.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.index < $1.index }
        var best: (index: Int, at: Position, distance: Double)?
        let context = try GeometryContext()
        for (i, _) in ranked.prefix(5) {
            let p = anchors[i]
            let transform = try CoordinateTransform(
                from: "EPSG:4326", to: "+proj=aeqd +lat_0=\(p.y) +lon_0=\(p.x) +datum=WGS84 +units=m +no_defs")
            let item = try context.make(transform.forward(geometries[i]))
            // The three districts whose boxes are nearest hold the nearest district but in contrived cases.
            let near = districts.indices.filter { districts[$0].geometry.boundingBox != nil }
                .sorted { towards(p, districts[$0].geometry.boundingBox!) < towards(p, districts[$1].geometry.boundingBox!) }
                .prefix(3)
            var distance = Double.infinity
            for d in near {
                distance = min(distance, try context.make(transform.forward(districts[d].geometry)).distance(to: item))
            }
            if distance < best?.distance ?? .infinity { best = (i, p, distance) }
        }
        return best
    }
}
