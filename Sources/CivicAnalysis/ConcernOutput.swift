import CivicCore
import GeoValues

/// The outputs about concerns, in the public form unless asked for the private one (DESIGN §10,
/// docs/concerns.md): counts below 5 as "<5" (a JSON string in JSON), and with such a count the
/// figures that would give it away (per 1,000 residents, the median of fewer than 5 resolved
/// concerns) left out.
public struct ConcernOutput: Sendable {
    /// Exact counts and every figure, for the people who handle the concerns.
    public var includePrivate: Bool
    /// The language of the theme labels in tables.
    public var language: String
    public var vocabulary: Vocabulary

    public init(includePrivate: Bool, language: String, vocabulary: Vocabulary) {
        self.includePrivate = includePrivate
        self.language = language
        self.vocabulary = vocabulary
    }

    private func count(_ n: Int) -> String { includePrivate ? String(n) : SmallCount.text(n) }
    private func countJSON(_ n: Int) -> JSONValue { includePrivate ? .number(n) : SmallCount.json(n) }
    private func shows(_ n: Int) -> Bool { includePrivate || n >= SmallCount.threshold }

    /// Headings and priorities in the language of the theme labels.
    private var words: TableWords { TableWords.of(language, isCity: true) }

    private func label(_ theme: String) -> String {
        vocabulary.themes.first { $0.id == theme }?.label(language) ?? theme
    }

    /// `{"rows": [{"district_id", "district_name", "theme", "concerns", "per_1000"?, "open",
    /// "median_days_to_resolve"?, "theme_covered_share", "priority"}, …]}`.
    public func json(_ rows: [ConcernSummaryRow]) -> JSONValue {
        .object(JSONObject([("rows", .array(rows.map { row in
            var object = JSONObject()
            object["district_id"] = .string(row.districtID)
            object["district_name"] = .string(row.districtName)
            object["theme"] = .string(row.theme)
            object["concerns"] = countJSON(row.concerns)
            if let perThousand = row.perThousand, shows(row.concerns) {
                object["per_1000"] = .number(JSONNumber.format(perThousand, decimals: 3))
            }
            object["open"] = countJSON(row.open)
            if let median = row.medianDaysToResolve, shows(row.resolvedWithDates) {
                object["median_days_to_resolve"] = .number(median)
            }
            object["theme_covered_share"] = .number(JSONNumber.format(row.themeCoveredShare, decimals: 4))
            object["priority"] = .string(row.priority.rawValue)
            return .object(object)
        }))]))
    }

    /// For people: the theme by its label in the dataset's language, shares as percentages.
    public func table(_ rows: [ConcernSummaryRow]) -> Tabular {
        let body = rows.map { row -> [String] in
            [row.districtName, row.districtID, label(row.theme), count(row.concerns),
             row.perThousand.flatMap { shows(row.concerns) ? JSONNumber.format($0, decimals: 2) : nil } ?? "—",
             count(row.open),
             row.medianDaysToResolve.flatMap { shows(row.resolvedWithDates) ? JSONNumber.format($0) : nil } ?? "—",
             JSONNumber.format(row.themeCoveredShare * 100, decimals: 1) + " %", words.priority(row.priority.rawValue)]
        }
        return Tabular(header: words.concernSummaryHeader,
                       rows: body, alignments: [.left, .left, .left, .right, .right, .right, .right, .right, .left])
    }

    /// The JSON fields as columns; a suppressed figure is an empty cell, a small count "<5".
    public func csv(_ rows: [ConcernSummaryRow]) -> Tabular {
        let body = rows.map { row -> [String] in
            [row.districtID, row.districtName, row.theme, count(row.concerns),
             row.perThousand.flatMap { shows(row.concerns) ? JSONNumber.format($0, decimals: 3) : nil } ?? "",
             count(row.open),
             row.medianDaysToResolve.flatMap { shows(row.resolvedWithDates) ? JSONNumber.format($0) : nil } ?? "",
             JSONNumber.format(row.themeCoveredShare, decimals: 4), row.priority.rawValue]
        }
        return Tabular(header: ["district_id", "district_name", "theme", "concerns", "per_1000", "open",
                                "median_days_to_resolve", "theme_covered_share", "priority"],
                       rows: body, numberColumns: [4, 6, 7])
    }

    /// The public layer: one Point per cell of the district's 250 m UTM grid and theme, at the
    /// cell's centre, for cells with at least 5 concerns (smaller cells are not drawn).
    public func cellFeatures(_ cells: [ConcernCell]) -> [Feature] {
        cells.filter { $0.concerns >= SmallCount.threshold }.map { cell in
            Feature(properties: JSONObject([
                ("district_id", .string(cell.districtID)), ("district_name", .string(cell.districtName)),
                ("theme", .string(cell.theme)), ("concerns", .number(cell.concerns)), ("open", SmallCount.json(cell.open)),
                ("cell_m", .number(ConcernAnalysis.cellSize)),
            ]), geometry: .point(cell.centre))
        }
    }

    /// Hotspots as polygons (the cells' squares), largest count first.
    public func hotspotFeatures(_ cells: [ConcernCell], radius: Double) -> [Feature] {
        cells.enumerated().map { rank, cell in
            Feature(properties: JSONObject([
                ("rank", .number(rank + 1)), ("district_id", .string(cell.districtID)),
                ("district_name", .string(cell.districtName)), ("theme", .string(cell.theme)),
                ("concerns_outside", .number(cell.concerns)), ("open", SmallCount.json(cell.open)),
                ("radius_m", .number(radius)), ("cell_m", .number(ConcernAnalysis.cellSize)),
            ]), geometry: .polygon(cell.square))
        }
    }

    /// Hotspots for people.
    public func hotspotTable(_ cells: [ConcernCell]) -> Tabular {
        let rows = cells.enumerated().map { rank, cell in
            [String(rank + 1), cell.districtName, cell.districtID, label(cell.theme), String(cell.concerns),
             SmallCount.text(cell.open),
             "\(JSONNumber.format(cell.centre.y, decimals: 5)), \(JSONNumber.format(cell.centre.x, decimals: 5))"]
        }
        return Tabular(header: words.concernHotspotHeader, rows: rows,
                       alignments: [.right, .left, .left, .left, .right, .right, .left])
    }

    /// Every concern as it is, private fields included: for `--include-private` only.
    public static func privateFeatures(_ concerns: [Concern], privateFields: [Int: ConcernPrivate]) -> [Feature] {
        concerns.map { concern in
            var feature = concern.feature
            if let entry = privateFields[concern.id], case .object(let object) = entry.json {
                for (key, value) in object { feature.properties[key] = value }
            }
            return feature
        }
    }
}
