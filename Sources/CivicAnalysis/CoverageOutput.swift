import CivicCore
import GeoEngine
import GeoValues

/// How `civic coverage --format table` orders the districts.
public enum CoverageOrder: String, CaseIterable, Sendable {
    /// Worst covered first (the default): where to act.
    case share
    case name
    case id
    /// Largest first.
    case area
    /// Most residents first.
    case population
}

extension CoverageReport {
    /// DESIGN §5's JSON: `{"crs", "radius_m", "districts": [{"id", "name", "area_m2", "covered_m2",
    /// "covered_share", "entities", "population"?, "covered_population"?}], "city": {…,
    /// "entities_outside", "residents_outside"?}}`, areas to the cm², shares to 6 decimals;
    /// `skipped_entities` only when some were skipped. When the districts were measured in several
    /// UTM zones, `crs` is `"UTM per district"` and each district's row has its own `crs`.
    /// Walking coverage (DESIGN §5b) adds `"mode": "walk"`, `"off_street_m"` and
    /// `"entities_away_from_streets"` (selected entities farther than the allowance from every street).
    public var json: JSONValue {
        var root = JSONObject()
        root["crs"] = .string(crs)
        root["radius_m"] = .number(radius)
        if let walk {
            root["mode"] = .string("walk")
            root["off_street_m"] = .number(walk.offStreet)
            root["entities_away_from_streets"] = .number(walk.entitiesAwayFromStreets)
        }
        let perDistrict = crs == Self.perDistrictCRS
        root["districts"] = .array(districts.map { district in
            var row = JSONObject()
            row["id"] = .string(district.id)
            row["name"] = .string(district.name)
            Self.figures(&row, area: district.area, covered: district.covered, share: district.coveredShare,
                         entities: district.entities, population: district.population,
                         coveredPopulation: district.coveredPopulation)
            if perDistrict { row["crs"] = .string(district.crs) }
            return .object(row)
        })
        var total = JSONObject()
        Self.figures(&total, area: city.area, covered: city.covered, share: city.coveredShare,
                     entities: city.entities, population: city.population, coveredPopulation: city.coveredPopulation)
        total["entities_outside"] = .number(city.entitiesOutside)
        if let outside = city.residentsOutside {
            total["residents_outside"] = .number(JSONNumber.format(outside, decimals: 3))
        }
        root["city"] = .object(total)
        if skippedEntities > 0 { root["skipped_entities"] = .number(skippedEntities) }
        return .object(root)
    }

    private static func figures(_ object: inout JSONObject, area: Double, covered: Double, share: Double,
                                entities: Int, population: Double?, coveredPopulation: Double?) {
        object["area_m2"] = .number(JSONNumber.format(area, decimals: 2))
        object["covered_m2"] = .number(JSONNumber.format(covered, decimals: 2))
        object["covered_share"] = .number(JSONNumber.format(share, decimals: 6))
        object["entities"] = .number(entities)
        if let population { object["population"] = .number(JSONNumber.format(population, decimals: 3)) }
        if let coveredPopulation {
            object["covered_population"] = .number(JSONNumber.format(coveredPopulation, decimals: 3))
        }
    }

    /// The districts for people: names as written (Cyrillic, Kazakh), areas in km², shares as
    /// percentages, in `order`, and the totals last ("whole city", or "all districts" when they
    /// are not one city's), headed in the words' language.
    public func table(order: CoverageOrder = .share, words: TableWords = .of("en", isCity: false)) -> Tabular {
        let withPopulation = districts.contains { $0.population != nil }
        var header = [words.district, words.id, words.areaKm2, words.coveredKm2, words.covered, words.entities]
        if withPopulation { header += [words.population, words.coveredPopulation, words.leftOut] }
        var rows = sorted(order).map { d in
            row(name: d.name, id: d.id, area: d.area, covered: d.covered, share: d.coveredShare,
                entities: d.entities, population: d.population, coveredPopulation: d.coveredPopulation,
                withPopulation: withPopulation)
        }
        rows.append(row(name: words.total, id: "", area: city.area, covered: city.covered, share: city.coveredShare,
                        entities: city.entities, population: city.population,
                        coveredPopulation: city.coveredPopulation, withPopulation: withPopulation))
        return Tabular(header: header, rows: rows,
                       alignments: [.left, .left] + Array(repeating: .right, count: header.count - 2))
    }

    private func row(name: String, id: String, area: Double, covered: Double, share: Double, entities: Int,
                     population: Double?, coveredPopulation: Double?, withPopulation: Bool) -> [String] {
        var cells = [name, id, JSONNumber.format(area / 1e6, decimals: 2).padded(decimals: 2),
                     JSONNumber.format(covered / 1e6, decimals: 2).padded(decimals: 2),
                     JSONNumber.format(share * 100, decimals: 1).padded(decimals: 1) + " %", String(entities)]
        if withPopulation {
            if let population, let coveredPopulation {
                cells += [Self.people(population), Self.people(coveredPopulation),
                          Self.people(max(0, population - coveredPopulation))]
            } else {
                cells += ["", "", ""]
            }
        }
        return cells
    }

    /// Whole people, grouped by thousands with a thin space: `1 816 704`.
    private static func people(_ value: Double) -> String { TableWords.people(value) }

    private func sorted(_ order: CoverageOrder) -> [DistrictCoverage] {
        districts.enumerated().sorted { a, b in
            let x = a.element, y = b.element
            switch order {
            case .share: if x.coveredShare != y.coveredShare { return x.coveredShare < y.coveredShare }
            case .name: if x.name != y.name { return x.name < y.name }
            case .id: if x.id != y.id { return x.id < y.id }
            case .area: if x.area != y.area { return x.area > y.area }
            case .population:
                let p = x.population ?? -1, q = y.population ?? -1
                if p != q { return p > q }
            }
            return a.offset < b.offset
        }.map(\.element)
    }

    /// The JSON's figures as CSV rows, one per district in the given order. The city's totals are
    /// left out: a spreadsheet user sums or filters a column, and a total among the rows would be
    /// counted twice (the city's figures are in the JSON and the table).
    public var csv: Tabular {
        let withPopulation = districts.contains { $0.population != nil } || city.population != nil
        var header = ["id", "name", "area_m2", "covered_m2", "covered_share", "entities"]
        if withPopulation { header += ["population", "covered_population"] }
        func cells(_ id: String, _ name: String, _ area: Double, _ covered: Double, _ share: Double,
                   _ entities: Int, _ population: Double?, _ coveredPopulation: Double?) -> [String] {
            var row = [id, name, JSONNumber.format(area, decimals: 2), JSONNumber.format(covered, decimals: 2),
                       JSONNumber.format(share, decimals: 6), String(entities)]
            if withPopulation {
                row += [population.map { JSONNumber.format($0, decimals: 3) } ?? "",
                        coveredPopulation.map { JSONNumber.format($0, decimals: 3) } ?? ""]
            }
            return row
        }
        let rows = districts.map {
            cells($0.id, $0.name, $0.area, $0.covered, $0.coveredShare, $0.entities, $0.population, $0.coveredPopulation)
        }
        return Tabular(header: header, rows: rows, numberColumns: Set(2..<header.count))
    }

    /// The district layer for QGIS: each district in WGS84 with the JSON's figures as flat properties
    /// (`name`, `area_m2`, `covered_m2`, `covered_share`, `entities`, `population`, `covered_population`).
    /// `districts` are the ones the report was made from, in the same order.
    public func features(districts shapes: [District]) -> [Feature] {
        zip(districts, shapes).map { figures, district in
            var properties = JSONObject()
            properties["name"] = .string(figures.name)
            Self.figures(&properties, area: figures.area, covered: figures.covered, share: figures.coveredShare,
                         entities: figures.entities, population: figures.population,
                         coveredPopulation: figures.coveredPopulation)
            return Feature(id: .string(figures.id), properties: properties, geometry: district.geometry)
        }
    }
}

extension GapReport {
    /// RFC 7946 features, largest first: `id` the rank (1, 2, …), properties `district_id`,
    /// `district_name`, `area_m2`; Polygons in WGS84 by the right-hand rule. The one place gaps
    /// leave the projected CRS: one PROJ call for every ring.
    public func features() throws -> [Feature] {
        let polygons = try wgs84Polygons()
        return gaps.enumerated().map { rank, gap in
            var properties = JSONObject()
            properties["district_id"] = .string(gap.districtID)
            properties["district_name"] = .string(gap.districtName)
            properties["area_m2"] = .number(JSONNumber.format(gap.area, decimals: 2))
            return Feature(id: .number(rank + 1), properties: properties, geometry: .polygon(polygons[rank]))
        }
    }

    /// The gaps for people, largest first: district, area in hectares, and a point inside each
    /// (latitude, longitude, as map sites take it), headed in the words' language.
    public func table(words: TableWords = .of("en", isCity: false)) throws -> Tabular {
        let anchors = try wgs84Anchors()
        return Tabular(header: ["#", words.district, words.id, words.areaHectares, words.insideAt],
                       rows: gaps.enumerated().map { rank, gap in
                           [String(rank + 1), gap.districtName, gap.districtID,
                            JSONNumber.format(gap.area / 1e4, decimals: 2).padded(decimals: 2),
                            JSONNumber.format(anchors[rank].y, decimals: 5) + ", "
                                + JSONNumber.format(anchors[rank].x, decimals: 5)]
                       },
                       alignments: [.right, .left, .left, .right, .left])
    }

    /// The gaps as CSV rows: `rank, district_id, district_name, area_m2, lat, lon` (a point inside).
    public func csv() throws -> Tabular {
        let anchors = try wgs84Anchors()
        return Tabular(header: ["rank", "district_id", "district_name", "area_m2", "lat", "lon"],
                       rows: gaps.enumerated().map { rank, gap in
                           [String(rank + 1), gap.districtID, gap.districtName, JSONNumber.format(gap.area, decimals: 2),
                            JSONNumber.format(anchors[rank].y, decimals: 7), JSONNumber.format(anchors[rank].x, decimals: 7)]
                       },
                       numberColumns: [0, 3, 4, 5])
    }

    /// The gaps' polygons in WGS84, by the right-hand rule: wound again after the transform, as a
    /// forced CRS may run an axis the other way (a south-oriented grid mirrors every ring).
    func wgs84Polygons() throws -> [Polygon] {
        try inWGS84 { transform, gaps in
            try transform.inverse(gaps.map { .polygon($0.polygon) }).map { $0.polygons[0].rightHanded }
        }
    }

    /// The points inside the gaps in WGS84 (longitude as x, latitude as y).
    func wgs84Anchors() throws -> [Position] {
        try inWGS84 { transform, gaps in try transform.inverse(gaps.map(\.anchor)) }
    }

    /// `convert` applied to the gaps of each CRS (one PROJ call per zone), the results in the gaps' order.
    private func inWGS84<T>(_ convert: (CoordinateTransform, [Gap]) throws -> [T]) throws -> [T] {
        guard !gaps.isEmpty else { return [] }
        var byCRS: [String: [Int]] = [:]
        var order: [String] = []
        for (i, gap) in gaps.enumerated() {
            let crs = gap.crs.isEmpty ? self.crs : gap.crs
            if byCRS[crs] == nil { order.append(crs) }
            byCRS[crs, default: []].append(i)
        }
        var results = [T?](repeating: nil, count: gaps.count)
        for crs in order {
            let indices = byCRS[crs] ?? []
            let converted = try convert(CoordinateTransform(from: "EPSG:4326", to: crs), indices.map { gaps[$0] })
            for (k, i) in indices.enumerated() { results[i] = converted[k] }
        }
        return results.compactMap { $0 }
    }
}

