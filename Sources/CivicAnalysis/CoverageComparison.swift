import CivicCore

/// Straight-line and walking coverage of the same districts side by side (`civic coverage
/// --compare`), with how much the straight line overstates: the covered area and the residents a
/// circle counts that nobody reaches on foot — the table a planner shows the akimat.
///
/// ```swift
/// let comparison = try CoverageComparison(straight: straightReport, walking: walkingReport)
/// comparison.city.overstatedShare      // 0.112: 11.2 points of the city's area
/// print(comparison.table(language: "ru").table())
/// ```
public struct CoverageComparison: Hashable, Sendable {
    /// One district's two answers.
    public struct Row: Hashable, Sendable {
        public var id: String
        public var name: String
        public var area: Double
        public var straight: Figures
        public var walking: Figures
        /// m² the straight line counts as covered beyond what walking reaches (negative where
        /// walking reaches more, which only a street leaving the circle's area can't do: 0 or more).
        public var overstated: Double { straight.covered - walking.covered }
        /// The same in points of share (0.112 is 11.2 percentage points).
        public var overstatedShare: Double { straight.coveredShare - walking.coveredShare }
        /// Residents counted as covered by the straight line but not walking; nil without residents.
        public var overstatedPopulation: Double? {
            guard let a = straight.coveredPopulation, let b = walking.coveredPopulation else { return nil }
            return a - b
        }
        public var population: Double?
    }

    /// What one way of measuring gives a district (or the city).
    public struct Figures: Hashable, Sendable {
        public var covered: Double
        public var coveredShare: Double
        public var entities: Int
        public var coveredPopulation: Double?
    }

    public var crs: String
    public var radius: Double
    public var offStreet: Double
    public var districts: [Row]
    public var city: Row
    /// Walking: selected entities farther than the allowance from every street.
    public var entitiesAwayFromStreets: Int

    /// The two reports of the same districts, in the same order; throws when they are not.
    public init(straight: CoverageReport, walking: CoverageReport) throws {
        guard let walk = walking.walk, straight.walk == nil,
              straight.districts.map(\.id) == walking.districts.map(\.id) else {
            throw CivicError.refused(reason: "a comparison takes a straight-line and a walking report of the same districts")
        }
        func figures(_ d: DistrictCoverage) -> Figures {
            Figures(covered: d.covered, coveredShare: d.coveredShare, entities: d.entities, coveredPopulation: d.coveredPopulation)
        }
        crs = straight.crs
        radius = straight.radius
        offStreet = walk.offStreet
        entitiesAwayFromStreets = walk.entitiesAwayFromStreets
        districts = zip(straight.districts, walking.districts).map { s, w in
            Row(id: s.id, name: s.name, area: s.area, straight: figures(s), walking: figures(w), population: s.population)
        }
        let s = straight.city, w = walking.city
        city = Row(id: "", name: "", area: s.area,
                   straight: Figures(covered: s.covered, coveredShare: s.coveredShare, entities: s.entities,
                                     coveredPopulation: s.coveredPopulation),
                   walking: Figures(covered: w.covered, coveredShare: w.coveredShare, entities: w.entities,
                                    coveredPopulation: w.coveredPopulation),
                   population: s.population)
    }

    /// `{"mode": "compare", "crs", "radius_m", "off_street_m", "districts": [{"id", "name",
    /// "area_m2", "straight": {"covered_m2", "covered_share", "entities", "covered_population"?},
    /// "walk": {…}, "overstated_m2", "overstated_share", "overstated_population"?}], "city": {…},
    /// "entities_away_from_streets"}`.
    public var json: JSONValue {
        func figures(_ f: Figures) -> JSONValue {
            var o = JSONObject()
            o["covered_m2"] = .number(JSONNumber.format(f.covered, decimals: 2))
            o["covered_share"] = .number(JSONNumber.format(f.coveredShare, decimals: 6))
            o["entities"] = .number(f.entities)
            if let p = f.coveredPopulation { o["covered_population"] = .number(JSONNumber.format(p, decimals: 3)) }
            return .object(o)
        }
        func row(_ r: Row, named: Bool) -> JSONValue {
            var o = JSONObject()
            if named {
                o["id"] = .string(r.id)
                o["name"] = .string(r.name)
            }
            o["area_m2"] = .number(JSONNumber.format(r.area, decimals: 2))
            if let p = r.population { o["population"] = .number(JSONNumber.format(p, decimals: 3)) }
            o["straight"] = figures(r.straight)
            o["walk"] = figures(r.walking)
            o["overstated_m2"] = .number(JSONNumber.format(r.overstated, decimals: 2))
            o["overstated_share"] = .number(JSONNumber.format(r.overstatedShare, decimals: 6))
            if let p = r.overstatedPopulation { o["overstated_population"] = .number(JSONNumber.format(p, decimals: 3)) }
            return .object(o)
        }
        var root = JSONObject()
        root["mode"] = .string("compare")
        root["crs"] = .string(crs)
        root["radius_m"] = .number(radius)
        root["off_street_m"] = .number(offStreet)
        root["districts"] = .array(districts.map { row($0, named: true) })
        root["city"] = row(city, named: false)
        root["entities_away_from_streets"] = .number(entitiesAwayFromStreets)
        return .object(root)
    }

    /// The districts for people, the most overstated first, the totals last; headers in `language`
    /// (`ru`, `kk`, `en`; English for others). The totals row is ``TableWords/total``: the whole
    /// city, or all districts when `isCity` is false (loose files, a region).
    public func table(language: String, isCity: Bool = true) -> Tabular {
        let w = Words(language)
        let withPopulation = districts.contains { $0.overstatedPopulation != nil }
        var header = [w.district, w.straight, w.walking, w.overstated]
        if withPopulation { header += [w.residentsStraight, w.residentsWalking, w.residentsOverstated] }
        func cells(_ r: Row, _ name: String) -> [String] {
            var c = [name, Self.percent(r.straight.coveredShare), Self.percent(r.walking.coveredShare),
                     Self.points(r.overstatedShare, w.pp) + " (" + Self.km2(r.overstated) + " " + w.km2 + ")"]
            if withPopulation {
                c += [r.straight.coveredPopulation.map(Self.people) ?? "", r.walking.coveredPopulation.map(Self.people) ?? "",
                      r.overstatedPopulation.map(Self.people) ?? ""]
            }
            return c
        }
        let ordered = districts.enumerated().sorted { a, b in
            a.element.overstatedShare != b.element.overstatedShare
                ? a.element.overstatedShare > b.element.overstatedShare : a.offset < b.offset
        }.map(\.element)
        var rows = ordered.map { cells($0, $0.name) }
        rows.append(cells(city, TableWords.of(language, isCity: isCity).total))
        return Tabular(header: header, rows: rows, alignments: [.left] + Array(repeating: .right, count: header.count - 1))
    }

    /// The figures as CSV, one row per district: `id, name, area_m2, straight_covered_m2,
    /// straight_covered_share, walk_covered_m2, walk_covered_share, overstated_m2, overstated_share`,
    /// and the residents' columns when there are residents.
    public var csv: Tabular {
        let withPopulation = districts.contains { $0.overstatedPopulation != nil }
        var header = ["id", "name", "area_m2", "straight_covered_m2", "straight_covered_share", "walk_covered_m2",
                      "walk_covered_share", "overstated_m2", "overstated_share"]
        if withPopulation { header += ["population", "straight_covered_population", "walk_covered_population", "overstated_population"] }
        let rows = districts.map { r -> [String] in
            var c = [r.id, r.name, JSONNumber.format(r.area, decimals: 2),
                     JSONNumber.format(r.straight.covered, decimals: 2), JSONNumber.format(r.straight.coveredShare, decimals: 6),
                     JSONNumber.format(r.walking.covered, decimals: 2), JSONNumber.format(r.walking.coveredShare, decimals: 6),
                     JSONNumber.format(r.overstated, decimals: 2), JSONNumber.format(r.overstatedShare, decimals: 6)]
            if withPopulation {
                c += [r.population, r.straight.coveredPopulation, r.walking.coveredPopulation, r.overstatedPopulation]
                    .map { $0.map { JSONNumber.format($0, decimals: 3) } ?? "" }
            }
            return c
        }
        return Tabular(header: header, rows: rows, numberColumns: Set(2..<header.count))
    }

    private static func percent(_ share: Double) -> String { fixed(share * 100, 1) + " %" }
    private static func points(_ share: Double, _ unit: String) -> String {
        (share >= 0.0005 ? "+" : "") + fixed(share * 100, 1) + " " + unit
    }
    private static func km2(_ m2: Double) -> String { fixed(m2 / 1e6, 2) }

    /// `value` with exactly `decimals` decimals, so that a column lines up on the point.
    private static func fixed(_ value: Double, _ decimals: Int) -> String {
        var text = JSONNumber.format(value, decimals: decimals)
        if text == "-0" { text = "0" }
        guard let dot = text.firstIndex(of: ".") else { return text + "." + String(repeating: "0", count: decimals) }
        let have = text.distance(from: text.index(after: dot), to: text.endIndex)
        return text + String(repeating: "0", count: max(0, decimals - have))
    }

    /// Whole people, grouped by thousands with a thin space.
    private static func people(_ value: Double) -> String { TableWords.people(value) }

    /// The table's words in Russian, Kazakh or English.
    private struct Words {
        var district, straight, walking, overstated, residentsStraight, residentsWalking, residentsOverstated: String
        var km2, pp: String

        init(_ language: String) {
            switch language {
            case "ru":
                (district, straight, walking, overstated) = ("район", "охват по прямой", "охват пешком", "завышение")
                (residentsStraight, residentsWalking, residentsOverstated) = ("жители по прямой", "жители пешком", "лишние жители")
                (km2, pp) = ("км²", "п.п.")
            case "kk":
                (district, straight, walking, overstated) = ("аудан", "түзу сызықпен қамту", "жаяу қамту", "асыра бағалау")
                (residentsStraight, residentsWalking, residentsOverstated) = ("тұрғындар түзу сызықпен", "тұрғындар жаяу", "артық тұрғындар")
                (km2, pp) = ("км²", "п.т.")
            default:
                (district, straight, walking, overstated) = ("district", "straight-line", "walking", "overstated by")
                (residentsStraight, residentsWalking, residentsOverstated) = ("residents straight", "residents walking", "residents overstated")
                (km2, pp) = ("km²", "pp")
            }
        }
    }
}
