import CivicCore
import GeoEngine
import GeoValues

/// How urgent a district and theme are: high where residents complain much (per resident, against
/// the city's rate for the theme) and few of that theme's entities reach them (docs/concerns.md).
public enum ConcernPriority: String, Hashable, Sendable, CaseIterable {
    case high, medium, low

    /// need = demand × (1 − covered share): high from 1, medium from 0.5, low below; fewer than 5
    /// concerns are too few to call a priority high, so they are at most medium.
    public init(need: Double, concerns: Int = SmallCount.threshold) {
        self = need >= 1 && concerns >= SmallCount.threshold ? .high : need >= 0.5 ? .medium : .low
    }
}

/// One district and theme of `civic concerns summary` (DESIGN §10).
public struct ConcernSummaryRow: Hashable, Sendable {
    public var districtID: String
    public var districtName: String
    public var theme: String
    public var concerns: Int
    /// Concerns per 1,000 residents, when the district's population is known.
    public var perThousand: Double?
    public var open: Int
    /// How many resolved concerns have both dates (the median is over these).
    public var resolvedWithDates: Int
    /// The median of (resolved − received) in days, over ``resolvedWithDates`` concerns.
    public var medianDaysToResolve: Double?
    /// covered_share of the district for the entities with this theme (DESIGN §5).
    public var themeCoveredShare: Double
    /// This district's rate for the theme over the city's (1 = as often as the city at large).
    public var demand: Double
    public var priority: ConcernPriority
}

/// The public form of a count (DESIGN §10): below ``threshold`` it is shown as "<5".
public enum SmallCount {
    /// Counts below this are not shown exactly in public outputs.
    public static let threshold = 5
    /// `"<5"` or the count.
    public static func text(_ count: Int) -> String { count < threshold ? "<\(threshold)" : String(count) }
    /// `"<5"` as a JSON string, or the count as a number.
    public static func json(_ count: Int) -> JSONValue { count < threshold ? .string("<\(threshold)") : .number(count) }
}

/// A 250 m cell of a district's UTM grid with the concerns of one theme whose points lie in it.
public struct ConcernCell: Hashable, Sendable {
    public var districtID: String
    public var districtName: String
    public var theme: String
    /// The EPSG code of the district's UTM zone, and the cell's column and row in it
    /// (x from `column × 250` to `(column + 1) × 250` metres).
    public var epsg: Int
    public var column: Int
    public var row: Int
    public var concerns: Int
    public var open: Int
    /// The cell's centre, WGS84.
    public var centre: Position
    /// The cell's square, WGS84 (its four corners projected back; closed, counter-clockwise).
    public var square: Polygon
}

/// The analyses of residents' concerns: the summary per district and theme, the public cells and
/// the hotspots (DESIGN §10, docs/concerns.md).
public enum ConcernAnalysis {
    /// The side of a public cell, in metres of the district's UTM grid.
    public static let cellSize = 250.0

    /// The concerns `themes` (all when empty) received on or after `since`.
    public static func selected(_ concerns: [Concern], themes: [String], since: CivilDate?) -> [Concern] {
        let sinceDay = since?.dayNumber
        return concerns.filter { concern in
            if !themes.isEmpty, !themes.contains(concern.theme) { return false }
            if let sinceDay, let day = CivilDate(concern.received)?.dayNumber, day < sinceDay { return false }
            return true
        }
    }

    /// One row per district (file order) and theme (vocabulary order) with at least one concern.
    /// The covered share of each theme comes from the coverage engine: straight line at `radius`,
    /// or along the street network with `walk` (DESIGN §5b); `walked` gets each measured theme's
    /// walking figures (the entities away from every street), to warn about.
    public static func summary(districts: [District], entities: [Entity], vocabulary: Vocabulary,
                               concerns: [Concern], radius: Double,
                               walk: WalkSettings? = nil,
                               walked: (_ theme: String, _ figures: WalkFigures) -> Void = { _, _ in })
        async throws -> [ConcernSummaryRow] {
        var counts: [String: [String: [Concern]]] = [:]
        for concern in concerns {
            guard let district = concern.district else { continue }
            counts[concern.theme, default: [:]][district, default: []].append(concern)
        }
        var rows: [ConcernSummaryRow] = []
        for term in vocabulary.themes {
            guard let byDistrict = counts[term.id] else { continue }
            var request = CoverageRequest(districts: districts, entities: entities, radius: radius,
                                          selection: EntitySelection(themes: [term.id]))
            request.walk = walk
            let coverage = try await request.coverage()
            if let figures = coverage.walk { walked(term.id, figures) }
            var share: [String: Double] = [:]
            for district in coverage.districts { share[district.id] = district.coveredShare }
            // The city's rate for the theme: over districts with a population, concerns per resident;
            // without any, the mean count per district.
            var known = 0, residents = 0, total = 0
            for district in districts {
                let n = byDistrict[district.id]?.count ?? 0
                total += n
                if let population = district.population, population > 0 {
                    known += n
                    residents += population
                }
            }
            for district in districts {
                guard let list = byDistrict[district.id], !list.isEmpty else { continue }
                var perThousand: Double?
                var demand: Double
                if let population = district.population, population > 0 {
                    let rate = Double(list.count) / Double(population)
                    perThousand = rate * 1000
                    demand = known > 0 ? rate / (Double(known) / Double(residents)) : 0
                } else {
                    demand = Double(list.count) / (Double(total) / Double(districts.count))
                }
                var days: [Int] = []
                var open = 0
                for concern in list {
                    if concern.status == .open { open += 1 }
                    if concern.status == .resolved, let resolved = concern.resolved.flatMap(CivilDate.init),
                       let received = CivilDate(concern.received) {
                        days.append(received.days(to: resolved))
                    }
                }
                let covered = share[district.id] ?? 0
                rows.append(ConcernSummaryRow(
                    districtID: district.id, districtName: district.name, theme: term.id, concerns: list.count,
                    perThousand: perThousand, open: open, resolvedWithDates: days.count, medianDaysToResolve: median(days),
                    themeCoveredShare: covered, demand: demand, priority: ConcernPriority(need: demand * (1 - covered), concerns: list.count)))
            }
        }
        return rows
    }

    /// The median of whole numbers: the middle one, or the mean of the two middle ones; nil for none.
    public static func median(_ values: [Int]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? Double(sorted[mid]) : Double(sorted[mid - 1] + sorted[mid]) / 2
    }

    /// The EPSG code of each district's UTM zone, as coverage measures it (DESIGN §5).
    static func zones(_ districts: [District]) -> [String: Int] {
        var zones: [String: Int] = [:]
        for district in districts {
            zones[district.id] = district.geometry.boundingBox.map { UTM.epsg(for: $0) } ?? 32644
        }
        return zones
    }

    /// The concerns with a point, grouped by district, theme and 250 m cell of the district's UTM
    /// grid; every cell with at least one, largest count first (then district, theme, row, column).
    /// `include` picks the concerns that count (all by default).
    public static func cells(districts: [District], concerns: [Concern],
                             include: (Concern) throws -> Bool = { _ in true }) throws -> [ConcernCell] {
        let zones = zones(districts)
        let names = Dictionary(districts.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        var byZone: [Int: [Concern]] = [:]
        for concern in concerns where concern.point != nil {
            guard let district = concern.district, let zone = zones[district] else { continue }
            byZone[zone, default: []].append(concern)
        }
        struct Key: Hashable { var district: String, theme: String, column: Int, row: Int }
        var cells: [ConcernCell] = []
        for zone in byZone.keys.sorted() {
            let list = byZone[zone] ?? []
            let transform = try CoordinateTransform(from: "EPSG:4326", to: "EPSG:\(zone)")
            let projected = try transform.forward(list.compactMap(\.point))
            var groups: [Key: (concerns: Int, open: Int)] = [:]
            for (concern, p) in zip(list, projected) where try include(concern) {
                let key = Key(district: concern.district ?? "", theme: concern.theme,
                              column: Int((p.x / cellSize).rounded(.down)), row: Int((p.y / cellSize).rounded(.down)))
                var group = groups[key] ?? (0, 0)
                group.concerns += 1
                if concern.status == .open { group.open += 1 }
                groups[key] = group
            }
            let keys = Array(groups.keys)
            var corners: [Position] = []
            var centres: [Position] = []
            for key in keys {
                let x0 = Double(key.column) * cellSize, y0 = Double(key.row) * cellSize
                corners += [Position(x: x0, y: y0), Position(x: x0 + cellSize, y: y0),
                            Position(x: x0 + cellSize, y: y0 + cellSize), Position(x: x0, y: y0 + cellSize)]
                centres.append(Position(x: x0 + cellSize / 2, y: y0 + cellSize / 2))
            }
            let cornersWGS84 = try transform.inverse(corners)
            let centresWGS84 = try transform.inverse(centres)
            for (k, key) in keys.enumerated() {
                let ring = Array(cornersWGS84[(4 * k)..<(4 * k + 4)]) + [cornersWGS84[4 * k]]
                let group = groups[key] ?? (0, 0)
                cells.append(ConcernCell(districtID: key.district, districtName: names[key.district] ?? key.district,
                                         theme: key.theme, epsg: zone, column: key.column, row: key.row,
                                         concerns: group.concerns, open: group.open, centre: centresWGS84[k],
                                         square: Polygon(outerRing: ring).rightHanded))
            }
        }
        return cells.sorted {
            ($1.concerns, $0.districtID, $0.theme, $0.row, $0.column) < ($0.concerns, $1.districtID, $1.theme, $1.row, $1.column)
        }
    }

    /// Cells with at least `minimum` concerns of `theme` outside that theme's coverage: farther than
    /// `radius` metres (straight line, in the district's UTM zone) from every active entity with the
    /// theme, as population points are judged (DESIGN §5). Largest count first.
    public static func hotspots(districts: [District], entities: [Entity], concerns: [Concern], theme: String,
                                radius: Double, minimum: Int = SmallCount.threshold) throws -> [ConcernCell] {
        let selection = EntitySelection(themes: [theme])
        let chosen = entities.filter { selection.includes($0) && $0.status == .active }
        let zones = zones(districts)
        let context = try GeometryContext()
        // Per zone: the selected entities projected, with their boxes grown by the radius.
        var reaches: [Int: [(box: BoundingBox, handle: GeometryHandle)]] = [:]
        for zone in Set(zones.values) {
            let transform = try CoordinateTransform(from: "EPSG:4326", to: "EPSG:\(zone)")
            reaches[zone] = try chosen.map { entity in
                let shape = try transform.forward(entity.geometry)
                let box = shape.boundingBox ?? BoundingBox(minX: 0, minY: 0, maxX: 0, maxY: 0)
                return (box.expanded(by: radius), try context.make(shape))
            }
        }
        var transforms: [Int: CoordinateTransform] = [:]
        let ofTheme = concerns.filter { $0.theme == theme }
        let cells = try cells(districts: districts, concerns: ofTheme) { concern in
            guard let point = concern.point, let district = concern.district, let zone = zones[district] else { return false }
            if transforms[zone] == nil { transforms[zone] = try CoordinateTransform(from: "EPSG:4326", to: "EPSG:\(zone)") }
            guard let transform = transforms[zone] else { return false }
            let p = try transform.forward([point])[0]
            let here = try context.point(p)
            for reach in reaches[zone] ?? [] where reach.box.contains(p) {
                if try reach.handle.distance(to: here) <= radius { return false }
            }
            return true
        }
        return cells.filter { $0.concerns >= minimum }
    }
}
