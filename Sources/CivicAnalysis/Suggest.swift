import CivicCore
import Foundation
import GeoEngine
import GeoValues

/// A place where a new entity could open, from a `--candidates` file (DESIGN §5c).
public struct CandidateSite: Hashable, Sendable {
    /// The id as the file gives it (the feature's id, else its `id` property); nil when it has none.
    public var id: FeatureID?
    /// WGS84.
    public var position: Position

    public init(id: FeatureID?, position: Position) {
        self.id = id
        self.position = position
    }
}

/// "Where would K new places reach the most residents not reached yet?" (DESIGN §5c): a coverage
/// question (districts, selected entities, residents, radius) plus how many sites, where they may
/// go, and the grid that spreads residents when no population file gives them.
///
/// ```swift
/// var question = SuggestRequest(coverage: prepared.request, count: 3)
/// let report = try await question.suggest()
/// print(report.sites.map(\.gain), report.bestPossibleAtMost)
/// ```
public struct SuggestRequest: Sendable {
    /// Districts, entities (the selected ones are the existing places, fixed), residents, radius, CRS.
    public var coverage: CoverageRequest
    /// K: how many new sites.
    public var count: Int
    /// The side of the grid's cells in metres (DESIGN §5c's `--cell`, default 100).
    public var cell: Double
    /// Where sites may go; nil for the centres of the grid's cells inside the districts.
    public var candidates: [CandidateSite]?
    /// How a place reaches residents; nil for walking when ``CoverageRequest/walk`` is set (DESIGN
    /// §5b, ``WalkingReach``), else the straight line of ``CoverageRequest/radius``.
    public var reach: (any ReachModel)?

    /// The question; nothing is computed until ``suggest()``.
    public init(coverage: CoverageRequest, count: Int, cell: Double = 100, candidates: [CandidateSite]? = nil,
                reach: (any ReachModel)? = nil) {
        self.coverage = coverage
        self.count = count
        self.cell = cell
        self.candidates = candidates
        self.reach = reach
    }

    /// The most grid cells civic spreads residents over or offers as sites: 4 million (a
    /// 400 km × 100 km region at 100 m); beyond that, a larger `--cell`.
    public static let maximumCells = 4_000_000

    /// The columns and rows of the grid of `cell`-metre squares (aligned on multiples of `cell`)
    /// that `box` meets, refused when they would be more than ``maximumCells``, naming a cell size
    /// that fits (a whole number of metres, rounded up). Counted in floating point before any
    /// integer is made, so that `--cell 1e-9` is refused rather than overflowing.
    static func gridSpan(of box: BoundingBox, cell: Double) throws -> (columns: ClosedRange<Int>, rows: ClosedRange<Int>) {
        let c0 = (box.minX / cell).rounded(.down), c1 = (box.maxX / cell).rounded(.down)
        let r0 = (box.minY / cell).rounded(.down), r1 = (box.maxY / cell).rounded(.down)
        let cells = (c1 - c0 + 1) * (r1 - r0 + 1)
        guard cells.isFinite, cells <= Double(maximumCells) else {
            let fits = cells.isFinite ? (cell * (cells / Double(maximumCells)).squareRoot()).rounded(.up)
                : (max(box.width, box.height) / Double(maximumCells).squareRoot()).rounded(.up)
            throw CivicError.refused(
                reason: "a grid of \(JSONNumber.typed(cell)) m cells over the districts would have "
                    + (cells <= 1e12 ? "\(JSONNumber.format(cells)) cells" : "more than a million million cells")
                    + ", more than the \(maximumCells) civic takes", hint: "use --cell \(JSONNumber.format(fits)) or more")
        }
        return (Int(c0)...Int(c1), Int(r0)...Int(r1))
    }

    /// The most site–resident pairs civic weighs: 100 million, counted as the residents' grid
    /// hash offers them to each site (about three times the pairs within the radius). The bundled
    /// city at 500 m passes at 50 m cells and is refused at 40 m (149 million); every pair costs a
    /// distance (walking: a look through the site's streets) and the found ones 8 bytes or more
    /// each, so a grid a few times finer would run for many minutes and take gigabytes.
    public static let maximumPairs = 100_000_000

    /// Refuses a question whose sites and demand points would make more than ``maximumPairs``
    /// pairs to weigh (``DemandIndex/count(near:radius:)``, cheap: no distance is measured), with
    /// a cell size that fits when the grid gives the sites or the residents.
    func checkPairs(_ parts: [ZoneDemand], sites: SiteList) throws {
        var pairs = 0
        for (k, part) in parts.enumerated() {
            let index = DemandIndex(part.points, radius: coverage.radius)
            for site in sites.zonePositions[k] {
                pairs += index.count(near: BoundingBox(minX: site.x, minY: site.y, maxX: site.x, maxY: site.y),
                                     radius: coverage.radius)
            }
        }
        guard pairs > Self.maximumPairs else { return }
        // Pairs grow as 1/cell² for each side the grid makes: the sites (no --candidates) and the
        // residents (the districts' populations, or polygons, spread over the cells).
        let demandOnGrid = coverage.residents?.contains { if case .point = $0.geometry { false } else { true } } ?? true
        let gridSides = (candidates == nil ? 1 : 0) + (demandOnGrid ? 1 : 0)
        let hint: String
        if gridSides > 0 {
            let ratio = Double(pairs) / Double(Self.maximumPairs)
            let fits = (cell * pow(ratio, 1 / Double(2 * gridSides)) * 1.1).rounded(.up)
            hint = "use --cell \(JSONNumber.format(fits)) or more, or a smaller --radius"
                + (candidates == nil ? "" : ", or fewer --candidates")
        } else {
            hint = "give fewer --candidates, or residents in fewer points, or a smaller --radius"
        }
        throw CivicError.refused(
            reason: "\(TableWords.grouped(String(sites.count), separator: ",")) candidate sites and "
                + "\(TableWords.grouped(String(parts.reduce(0) { $0 + $1.points.count }), separator: ",")) resident points "
                + "at \(JSONNumber.typed(coverage.radius)) m would make about \(TableWords.grouped(String(pairs), separator: ",")) "
                + "pairs to weigh, more than the \(TableWords.grouped(String(Self.maximumPairs), separator: ",")) civic takes",
            hint: hint)
    }

    /// Chooses the sites: demand and candidates per UTM zone, the existing places' reach, the
    /// relation site → residents, then ``CoveringProblem/solve()``.
    ///
    /// Throws ``CivicError`` for a question that has no answer: a count below 1, a radius or cell
    /// that is not a distance, no districts, no residents anywhere (no `--population` and no
    /// district population), a grid too fine for the districts, no candidate sites.
    public func suggest() async throws -> SuggestReport {
        guard count >= 1 else {
            throw CivicError.refused(reason: "the number of sites must be 1 or more, not \(count)")
        }
        let radius = coverage.radius
        guard radius.isFinite, radius >= 0 else {
            throw CivicError.refused(reason: "the radius must be a distance in metres, 0 or more, not \(JSONNumber.typed(radius))")
        }
        guard cell.isFinite, cell > 0 else {
            throw CivicError.refused(reason: "the grid's cell must be a positive number of metres, not \(JSONNumber.typed(cell))")
        }
        guard !coverage.districts.isEmpty else {
            throw CivicError.refused(reason: "there are no districts to place sites in",
                                     hint: "a districts file holds Polygon or MultiPolygon features")
        }
        try CRSCheck.require(coverage)
        if coverage.residents == nil && !coverage.districts.contains(where: { ($0.population ?? 0) > 0 }) {
            throw CivicError.refused(
                reason: "there are no residents to reach: no --population file, and no district has a population",
                hint: "give residents with --population FILE (points or polygons with a 'population' property), "
                    + "or districts with a population property (--population-field names it)")
        }
        if let candidates, candidates.isEmpty {
            throw CivicError.refused(reason: "there are no candidate sites to choose from",
                                     hint: "leave out --candidates to consider the centres of the grid's cells")
        }
        var selected: [Int] = []
        for i in coverage.entities.indices where coverage.selection.includes(coverage.entities[i]) {
            switch coverage.entities[i].geometry {
            case .point, .polygon, .multiPolygon: selected.append(i)
            case let other:
                throw CivicError.refused(
                    reason: "entity \(coverage.entities[i].label): a \(other.typeName) has no reach; expected a Point, Polygon or MultiPolygon")
            }
        }

        // The districts of each zone, as coverage measures them.
        var zoneCodes: [Int] = []
        var members: [Int: [Int]] = [:]
        for (d, code) in coverage.districtEPSG.enumerated() {
            if members[code] == nil { zoneCodes.append(code) }
            members[code, default: []].append(d)
        }
        let model: any ReachModel = reach
            ?? coverage.walk.map { WalkingReach(walk: $0, radius: radius) } ?? StraightLineReach(radius: radius)
        var sites = SiteList(candidates: candidates)
        var parts: [ZoneDemand] = []
        var residentPointTaken = [Bool](repeating: false, count: coverage.residents?.count ?? 0)
        var notices = SuggestNotices()
        for code in zoneCodes {
            let zone = try Analysis.Zone(epsg: code, districts: members[code] ?? [], request: coverage,
                                         selected: selected, alone: zoneCodes.count == 1)
            // The sites first: with no candidates file their grid spans the zone's whole box, so a
            // grid too fine is refused with a cell that fits the whole zone.
            try sites.add(zone, request: self)
            parts.append(try ZoneDemand(zone, request: self, residentPointTaken: &residentPointTaken, notices: &notices))
        }
        for (k, taken) in residentPointTaken.enumerated() where !taken {
            if let r = coverage.residents?[k], case .point = r.geometry { notices.residentsOutside += r.count }
        }
        let demandCount = parts.reduce(0) { $0 + $1.points.count }
        guard demandCount > 0, parts.contains(where: { $0.weights.contains { $0 > 0 } }) else {
            throw CivicError.refused(
                reason: "there are no residents to reach inside the districts",
                hint: coverage.residents == nil ? "give the districts a population, or residents with --population FILE"
                    : "the --population file's residents all lie outside the districts, or number 0")
        }
        guard sites.count > 0 else {
            throw CivicError.refused(
                reason: candidates == nil ? "no cell of \(JSONNumber.typed(cell)) m has its centre inside a district"
                    : "there are no candidate sites to choose from",
                hint: candidates == nil ? "use a smaller --cell" : nil)
        }

        try checkPairs(parts, sites: sites)

        // The relation and the existing places' reach, zone by zone; demand points are numbered
        // zone after zone.
        var relations: [SiteReach] = []
        var weights: [Double] = []
        weights.reserveCapacity(demandCount)
        var coveredBefore = 0.0
        var residents = 0.0
        // Request indices: a place near two zones' districts is one place.
        var awayFromStreets = Set<Int>()
        for (k, part) in parts.enumerated() {
            let zoneSites = sites.zoneMembers[k]
            let local = try model.sites(sites.zonePositions[k], reach: part.points, epsg: zoneCodes[k])
            var lists = [[Int32]](repeating: [], count: sites.count)
            for (j, s) in zoneSites.enumerated() { lists[s] = Array(local[j]) }
            relations.append(SiteReach(demandCount: part.points.count, lists: lists))
            let existing = try model.existing(part.existingPlaces, reach: part.points, epsg: zoneCodes[k])
            let reached = existing.reached
            for i in existing.awayFromStreets where part.existingInDistricts[i] { awayFromStreets.insert(part.existingEntities[i]) }
            for (d, w) in part.weights.enumerated() {
                residents += w
                if reached[d] {
                    coveredBefore += w
                    weights.append(0)
                } else {
                    weights.append(w)
                }
            }
        }
        let relation = relations.count == 1 ? relations[0] : SiteReach.joined(relations, siteCount: sites.count)
        let problem = CoveringProblem(weights: weights, reach: relation, tieRank: sites.tieRanks(), count: count)
        let solution = problem.solve()

        var chosen: [SuggestedSite] = []
        let positions = try sites.wgs84(solution.sites, zoneCodes: zoneCodes)
        for (rank, s) in solution.sites.enumerated() {
            chosen.append(SuggestedSite(rank: rank + 1, id: sites.ids[s], position: positions[rank],
                                        gain: solution.gains[rank],
                                        districtID: sites.districts[s].map { coverage.districts[$0].id }))
        }
        notices.candidates = sites.count
        notices.candidatesOutside = sites.districts.reduce(0) { $0 + ($1 == nil ? 1 : 0) }
        notices.demandPoints = demandCount
        notices.pairs = relation.pairCount
        notices.greedyAfter = coveredBefore + solution.greedyTotal
        notices.swaps = solution.swaps
        notices.entitiesAwayFromStreets = awayFromStreets.count
        return SuggestReport(radius: radius, count: count, residents: residents, coveredBefore: coveredBefore,
                             coveredAfter: coveredBefore + solution.total,
                             bestPossibleAtMost: coveredBefore + solution.bound, sites: chosen, notices: notices)
    }
}

/// One suggested site.
public struct SuggestedSite: Hashable, Sendable {
    /// 1 for the site that adds the most, then each adds the most to the ones before it.
    public var rank: Int
    /// The candidate's id; nil for a grid cell's centre or a candidate without one.
    public var id: FeatureID?
    /// WGS84.
    public var position: Position
    /// Residents it reaches that neither the existing places nor the sites ranked before it reach.
    public var gain: Double
    /// The district that holds it (the first in the districts' order where two share a border);
    /// nil for a candidate outside every district.
    public var districtID: String?

    public init(rank: Int, id: FeatureID?, position: Position, gain: Double, districtID: String?) {
        self.rank = rank
        self.id = id
        self.position = position
        self.gain = gain
        self.districtID = districtID
    }
}

/// What a suggestion leaves out or how it was found, for notes and measurements.
public struct SuggestNotices: Hashable, Sendable {
    /// Candidate sites considered, and how many of them lie outside every district.
    public var candidates = 0
    public var candidatesOutside = 0
    /// Demand points (resident points, and cells of spread residents) and site–point pairs.
    public var demandPoints = 0
    public var pairs = 0
    /// Residents at points of the `--population` file outside every district (not counted).
    public var residentsOutside = 0.0
    /// Districts without a population when the grid spreads the districts' own populations.
    public var districtsWithoutPopulation: [String] = []
    /// Residents covered after the greedy alone, before the exchange improvements.
    public var greedyAfter = 0.0
    /// Swaps the exchange improvements made.
    public var swaps = 0
    /// Walking: existing selected places in the districts farther than the off-street allowance
    /// from every street (as `coverage --walk` counts them); 0 for straight lines.
    public var entitiesAwayFromStreets = 0

    public init() {}
}

/// What `civic suggest` reports (DESIGN §5c).
public struct SuggestReport: Hashable, Sendable {
    /// Metres.
    public var radius: Double
    /// K, as asked.
    public var count: Int
    /// Residents inside the districts.
    public var residents: Double
    /// Residents the existing selected places reach.
    public var coveredBefore: Double
    /// Residents reached with the sites added.
    public var coveredAfter: Double
    /// No K sites can reach more than this (an upper bound, at least ``coveredAfter``).
    public var bestPossibleAtMost: Double
    /// The sites in rank order; fewer than ``count`` when no more site reaches anyone new.
    public var sites: [SuggestedSite]
    public var notices: SuggestNotices

    public init(radius: Double, count: Int, residents: Double, coveredBefore: Double, coveredAfter: Double,
                bestPossibleAtMost: Double, sites: [SuggestedSite], notices: SuggestNotices = SuggestNotices()) {
        self.radius = radius
        self.count = count
        self.residents = residents
        self.coveredBefore = coveredBefore
        self.coveredAfter = coveredAfter
        self.bestPossibleAtMost = bestPossibleAtMost
        self.sites = sites
        self.notices = notices
    }

    /// What the sites add as a share of the most any K sites could add: at least this close to
    /// the best possible (1 when nothing can be added).
    public var shareOfBest: Double {
        let possible = bestPossibleAtMost - coveredBefore
        guard possible > 1e-9 * max(1, residents) else { return 1 }
        return min(1, (coveredAfter - coveredBefore) / possible)
    }
}

/// The residents of one zone as demand points: resident points inside the zone's districts,
/// resident polygons and district populations spread over the grid's cells.
struct ZoneDemand {
    var points: [Position] = []
    var weights: [Double] = []
    /// The zone's selected entities, projected.
    var existingPlaces: [Geometry]
    /// Their indices in the request, in the same order.
    var existingEntities: [Int]
    /// Walking: whether each of them meets one of the zone's districts (coverage counts only those
    /// among the entities away from the streets); all true for straight lines, which do not ask.
    var existingInDistricts: [Bool]

    init(_ zone: Analysis.Zone, request: SuggestRequest, residentPointTaken: inout [Bool],
         notices: inout SuggestNotices) throws {
        existingPlaces = zone.points.map { .point($0) } + zone.areaShapes
        existingEntities = zone.pointEntities + zone.areaEntities
        let districts = zone.shapes.map { (polygons: $0.polygons, box: $0.boundingBox) }
        func inside(_ p: Position) -> Bool {
            districts.contains { d in d.box.map { $0.contains(p) } ?? false && Planar.covers(d.polygons, p) }
        }
        let context = try GeometryContext()
        if request.coverage.walk == nil {
            existingInDistricts = Array(repeating: true, count: existingPlaces.count)
        } else {
            let districtHandles = try zone.shapes.map { try context.make($0) }
            existingInDistricts = try zone.points.map(inside) + zone.areaShapes.map { shape in
                let handle = try context.make(shape)
                guard let box = shape.boundingBox else { return false }
                for (j, d) in districts.enumerated() where d.box?.intersects(box) ?? false {
                    if try handle.intersects(districtHandles[j]) { return true }
                }
                return false
            }
        }
        if request.coverage.residents != nil {
            for (k, p) in zone.residentPoints.enumerated() {
                let global = zone.residentPointIndex[k]
                guard !residentPointTaken[global] else { continue }
                if inside(p) {
                    residentPointTaken[global] = true
                    points.append(p)
                    weights.append(zone.residentCounts[k])
                }
            }
            if !zone.residentShapes.isEmpty {
                let land = try context.union(zone.shapes.map { try context.make($0) })
                for (k, shape) in zone.residentShapes.enumerated() {
                    let handle = try context.make(shape)
                    let whole = try handle.area
                    guard whole > 0 else { continue }
                    let part = try handle.intersection(land)
                    let area = try part.area
                    guard area > 0 else { continue }
                    try spread(zone.residentAreaCounts[k] * area / whole, over: part, context: context, cell: request.cell)
                }
            }
        } else {
            for (j, d) in zone.districts.enumerated() {
                guard let population = request.coverage.districts[d].population, population > 0 else {
                    notices.districtsWithoutPopulation.append(request.coverage.districts[d].id)
                    continue
                }
                try spread(Double(population), over: context.make(zone.shapes[j]), context: context, cell: request.cell)
            }
        }
    }

    /// `count` residents spread evenly over `shape`: one demand point per grid cell it meets, at
    /// the centroid of its part in the cell, weighted by that part's area.
    private mutating func spread(_ count: Double, over shape: GeometryHandle, context: GeometryContext, cell: Double) throws {
        guard let box = try shape.boundingBox else { return }
        let total = try shape.area
        guard total > 0 else { return }
        let span = try SuggestRequest.gridSpan(of: box, cell: cell)
        let prepared = try shape.prepared()
        for r in span.rows {
            for c in span.columns {
                let cellBox = BoundingBox(minX: Double(c) * cell, minY: Double(r) * cell,
                                          maxX: Double(c + 1) * cell, maxY: Double(r + 1) * cell)
                let rectangle = try context.rectangle(cellBox)
                if try prepared.contains(rectangle) {
                    points.append(cellBox.center)
                    weights.append(count * cell * cell / total)
                } else if try prepared.intersects(rectangle) {
                    let polygons = try shape.clip(to: cellBox).geometry().polygons
                    let area = polygons.reduce(0) { $0 + $1.planarArea }
                    guard area > 0 else { continue }
                    points.append(Planar.centroid(polygons) ?? cellBox.center)
                    weights.append(count * area / total)
                }
            }
        }
    }
}

/// The candidate sites: a file's points, or the centres of the grid's cells inside the districts;
/// where each lies (its district), and which zones it can reach into.
struct SiteList {
    /// Per site: the candidate's id (nil for grid cells), its district, its tie key.
    var ids: [FeatureID?] = []
    var districts: [Int?] = []
    /// For grid cells: the zone (index) and the projected centre; nil for a file's candidates.
    var gridCells: [(zone: Int, centre: Position)?] = []
    /// Per zone: the sites that can reach into it, and their positions projected into it.
    var zoneMembers: [[Int]] = []
    var zonePositions: [[Position]] = []
    let candidates: [CandidateSite]?

    init(candidates: [CandidateSite]?) {
        self.candidates = candidates
        if let candidates {
            ids = candidates.map(\.id)
            districts = Array(repeating: nil, count: candidates.count)
            gridCells = Array(repeating: nil, count: candidates.count)
        }
    }

    var count: Int { ids.count }

    /// Adds what `zone` contributes: the file's candidates that can reach its districts (and the
    /// district each lies in), or its grid cells' centres.
    mutating func add(_ zone: Analysis.Zone, request: SuggestRequest) throws {
        let z = zoneMembers.count
        let districtShapes = zone.shapes.map { (polygons: $0.polygons, box: $0.boundingBox) }
        func district(of p: Position) -> Int? {
            for (j, d) in districtShapes.enumerated() where d.box?.contains(p) ?? false && Planar.covers(d.polygons, p) {
                return zone.districts[j]
            }
            return nil
        }
        let transform = try CoordinateTransform(from: "EPSG:4326", to: "EPSG:\(zone.epsg)")
        if let candidates {
            var box: BoundingBox?
            for d in zone.districts {
                if let b = request.coverage.districts[d].geometry.boundingBox { box = box.map { $0.union(b) } ?? b }
            }
            let reachBox = box.flatMap { Analysis.reachBox(around: $0, radius: request.coverage.radius) }
            let members = candidates.indices.filter { reachBox?.contains(candidates[$0].position) ?? true }
            let projected = try transform.forward(members.map { candidates[$0].position })
            for (j, s) in members.enumerated() where districts[s] == nil {
                districts[s] = district(of: projected[j])
            }
            zoneMembers.append(members)
            zonePositions.append(projected)
            return
        }
        var box: BoundingBox?
        for shape in zone.shapes {
            if let b = shape.boundingBox { box = box.map { $0.union(b) } ?? b }
        }
        var members: [Int] = []
        var positions: [Position] = []
        if let box {
            let cell = request.cell
            let span = try SuggestRequest.gridSpan(of: box, cell: cell)
            for r in span.rows {
                for c in span.columns {
                    let centre = Position(x: (Double(c) + 0.5) * cell, y: (Double(r) + 0.5) * cell)
                    guard let d = district(of: centre) else { continue }
                    members.append(ids.count)
                    positions.append(centre)
                    ids.append(nil)
                    districts.append(d)
                    gridCells.append((z, centre))
                }
            }
        }
        zoneMembers.append(members)
        zonePositions.append(positions)
        // A zone's cells can reach across into a neighbouring zone only in a country-wide run; the
        // grid's sites are kept to the zone they lie in, where they are measured.
    }

    /// Tie ranks: a file's candidates by id (numbers by value, then text), then those without an
    /// id in file order; grid cells zone by zone, south to north, west to east.
    func tieRanks() -> [Int] {
        guard candidates != nil else { return Array(0..<count) }
        let order = ids.indices.sorted { a, b in
            switch (ids[a], ids[b]) {
            case (nil, nil): return a < b
            case (nil, _): return false
            case (_, nil): return true
            case let (x?, y?):
                let key = Self.idOrder(x, y)
                return key != 0 ? key < 0 : a < b
            }
        }
        var ranks = [Int](repeating: 0, count: count)
        for (rank, s) in order.enumerated() { ranks[s] = rank }
        return ranks
    }

    /// −1, 0 or 1: numbers (and numeric text) by value before other text, text by its characters.
    static func idOrder(_ a: FeatureID, _ b: FeatureID) -> Int {
        let x = Double(a.description), y = Double(b.description)
        switch (x, y) {
        case let (x?, y?): return x < y ? -1 : x > y ? 1 : (a.description < b.description ? -1 : a.description > b.description ? 1 : 0)
        case (_?, nil): return -1
        case (nil, _?): return 1
        case (nil, nil): return a.description < b.description ? -1 : a.description > b.description ? 1 : 0
        }
    }

    /// The WGS84 positions of `chosen` sites: a file's as given, grid centres projected back.
    func wgs84(_ chosen: [Int], zoneCodes: [Int]) throws -> [Position] {
        var result: [Position] = []
        for s in chosen {
            if let candidates {
                result.append(candidates[s].position)
            } else if let cell = gridCells[s] {
                let transform = try CoordinateTransform(from: "EPSG:4326", to: "EPSG:\(zoneCodes[cell.zone])")
                result.append(try transform.inverse([cell.centre])[0])
            }
        }
        return result
    }
}

extension Planar {
    /// The centroid of polygons (holes subtracted); nil when they have no area.
    static func centroid(_ polygons: [Polygon]) -> Position? {
        var sx = 0.0, sy = 0.0, sa = 0.0
        for polygon in polygons {
            for (i, ring) in polygon.rings.enumerated() where ring.count >= 3 {
                var a = 0.0, cx = 0.0, cy = 0.0
                let o = ring[0]
                for j in 0..<(ring.count - 1) {
                    let p = Position(x: ring[j].x - o.x, y: ring[j].y - o.y)
                    let q = Position(x: ring[j + 1].x - o.x, y: ring[j + 1].y - o.y)
                    let cross = p.x * q.y - q.x * p.y
                    a += cross
                    cx += (p.x + q.x) * cross
                    cy += (p.y + q.y) * cross
                }
                guard a != 0 else { continue }
                // Each ring's area with its own sign removed: outer rings add, holes subtract.
                let weight = (i == 0 ? 1.0 : -1.0) * abs(a / 2)
                sx += weight * (o.x + cx / (3 * a))
                sy += weight * (o.y + cy / (3 * a))
                sa += weight
            }
        }
        guard sa > 0 else { return nil }
        return Position(x: sx / sa, y: sy / sa)
    }
}
