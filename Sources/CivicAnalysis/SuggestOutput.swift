import CivicCore
import CivicRules
import Foundation
import GeoValues

extension CoverageInputs {
    /// Candidate sites from a `--candidates` GeoJSON file: one Point per site, with any id (the
    /// feature's `id`, else an `id` property, text or number; or none). Every feature that is not a
    /// Point is reported in one go, naming it; an empty file is refused.
    public static func candidates(in bytes: [UInt8], file: String) throws -> [CandidateSite] {
        let features = try GeoJSONReader.features(in: bytes, file: file)
        var sites: [CandidateSite] = []
        sites.reserveCapacity(features.count)
        var problems: [CivicError] = []
        for (index, feature) in features.enumerated() {
            let line = feature.line > 0 ? feature.line : nil
            var id = feature.id
            if id == nil {
                switch feature.properties["id"] {
                case .string(let s)? where !s.isEmpty: id = .string(s)
                case .number(let n)?: id = .number(n)
                default: break
                }
            }
            let place = Feature.place(index: index, id: id)
            switch feature.geometry {
            case .point(let p)?:
                sites.append(CandidateSite(id: id, position: p))
            case nil:
                problems.append(.invalid(file: file, line: line, place: place, field: "geometry",
                                         reason: "missing: a candidate site is a Point"))
            case let other?:
                problems.append(.invalid(file: file, line: line, place: place, field: "geometry",
                                         reason: "is a \(other.typeName); a candidate site is a Point",
                                         hint: "give one Point per site, such as a lot's centre (QGIS: Vector › Geometry Tools › Centroids)"))
            }
        }
        try InputProblems.throwIfAny(problems)
        guard !sites.isEmpty else {
            throw CivicError.invalid(file: file, place: "features", field: nil, reason: "no candidate sites: the file has no features",
                                     hint: "leave out --candidates to consider the centres of the grid's cells")
        }
        return sites
    }
}

extension SuggestReport {
    /// DESIGN §5c's JSON: `{"radius_m", "count", "covered_before", "covered_after",
    /// "best_possible_at_most", "sites": [{"rank", "id"?, "lon", "lat", "gain", "district_id"}]}`;
    /// residents to 3 decimals (spread residents are fractions), positions to 7; `district_id` is
    /// null for a candidate outside every district.
    public var json: JSONValue {
        var root = JSONObject()
        root["radius_m"] = .number(JSONNumber.format(radius))
        root["count"] = .number(count)
        root["covered_before"] = .number(JSONNumber.format(coveredBefore, decimals: 3))
        root["covered_after"] = .number(JSONNumber.format(coveredAfter, decimals: 3))
        root["best_possible_at_most"] = .number(JSONNumber.format(bestPossibleAtMost, decimals: 3))
        root["sites"] = .array(sites.map { .object(Self.properties($0)) })
        return .object(root)
    }

    private static func properties(_ site: SuggestedSite) -> JSONObject {
        var object = JSONObject()
        object["rank"] = .number(site.rank)
        if let id = site.id { object["id"] = id.json }
        object["lon"] = .number(JSONNumber.format(site.position.x, decimals: 7))
        object["lat"] = .number(JSONNumber.format(site.position.y, decimals: 7))
        object["gain"] = .number(JSONNumber.format(site.gain, decimals: 3))
        object["district_id"] = site.districtID.map { .string($0) } ?? .null
        return object
    }

    /// The sites as RFC 7946 Points (WGS84), the feature id their rank, the JSON's fields as properties.
    public var features: [Feature] {
        sites.map { Feature(id: .number($0.rank), properties: Self.properties($0), geometry: .point($0.position)) }
    }

    /// The sites for people, in `language` (`ru`, `kk`, else English), then what they add and how
    /// close that is to the best possible: "at least X % of the best possible".
    public func table(districts: [District], language: String) -> String {
        let words = TableWords.of(language, isCity: true)
        let names = Dictionary(districts.map { ($0.id, $0.names[language] ?? $0.name) }, uniquingKeysWith: { a, _ in a })
        let rows = sites.map { site -> [String] in
            [String(site.rank), site.id?.description ?? "—",
             site.districtID.map { names[$0] ?? $0 } ?? "—",
             JSONNumber.format(site.position.y, decimals: 5).padded(decimals: 5),
             JSONNumber.format(site.position.x, decimals: 5).padded(decimals: 5),
             TableWords.people(site.gain)]
        }
        var text = Tabular(header: words.suggestHeader, rows: rows,
                           alignments: [.right, .left, .left, .right, .right, .right]).table()
        text += words.suggestSummary(residents: residents, coveredBefore: coveredBefore, coveredAfter: coveredAfter,
                                     bestPossibleAtMost: bestPossibleAtMost, shareOfBest: shareOfBest,
                                     sites: sites.count, asked: count) + "\n"
        return text
    }
}
