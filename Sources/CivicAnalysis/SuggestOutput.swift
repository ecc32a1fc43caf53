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
        let words = SuggestWords.of(language)
        let names = Dictionary(districts.map { ($0.id, $0.names[language] ?? $0.name) }, uniquingKeysWith: { a, _ in a })
        let rows = sites.map { site -> [String] in
            [String(site.rank), site.id?.description ?? "—",
             site.districtID.map { names[$0] ?? $0 } ?? "—",
             JSONNumber.format(site.position.y, decimals: 5).padded(decimals: 5),
             JSONNumber.format(site.position.x, decimals: 5).padded(decimals: 5),
             words.people(site.gain)]
        }
        var text = Tabular(header: words.header, rows: rows,
                           alignments: [.right, .left, .left, .right, .right, .right]).table()
        text += words.summary(self) + "\n"
        return text
    }
}

/// The words of `civic suggest`'s table in Russian, Kazakh or English, numbers written as each
/// language writes them (`17,4 %` in Russian and Kazakh, `17.4 %` in English; thousands grouped
/// by a thin space as the coverage table groups them).
struct SuggestWords {
    let language: String
    let header: [String]

    static func of(_ language: String) -> SuggestWords {
        switch language {
        case "ru": SuggestWords(language: "ru", header: ["№", "место", "район", "широта", "долгота", "новых жителей в охвате"])
        case "kk": SuggestWords(language: "kk", header: ["№", "орын", "аудан", "ендік", "бойлық", "жаңадан қамтылған тұрғындар"])
        default: SuggestWords(language: "en", header: ["#", "site", "district", "lat", "lon", "new residents reached"])
        }
    }

    /// Whole people, grouped by thousands with a thin space: `1 816 704`.
    func people(_ value: Double) -> String { TableWords.people(value) }

    /// A share as a percentage with one decimal, rounded down so that "at least" stays true.
    func percent(_ share: Double, roundingDown: Bool = false) -> String {
        // Down, for "at least"; a share a rounding error short of a tenth is that tenth (1 − 1e-12 is 100 %).
        let tenths = roundingDown ? (share * 1000 + 1e-6).rounded(.down) : (share * 1000).rounded()
        let text = JSONNumber.format(tenths / 10, decimals: 1).padded(decimals: 1)
        return (language == "en" ? text : text.replacingOccurrences(of: ".", with: ",")) + " %"
    }

    /// `1 site`, `3 места`, `5 мест`, `3 орын`.
    func sites(_ n: Int) -> String {
        switch language {
        case "ru":
            let (ten, hundred) = (n % 10, n % 100)
            let word = ten == 1 && hundred != 11 ? "место" : (2...4).contains(ten) && !(12...14).contains(hundred) ? "места" : "мест"
            return "\(n) \(word)"
        case "kk": return "\(n) орын"
        default: return n == 1 ? "1 site" : "\(n) sites"
        }
    }

    /// Two lines: residents reached before and after, and how close the sites come to the best.
    func summary(_ report: SuggestReport) -> String {
        let total = report.residents
        func share(_ v: Double) -> String { total > 0 ? percent(v / total) : percent(0) }
        let added = report.coveredAfter - report.coveredBefore
        let possible = report.bestPossibleAtMost - report.coveredBefore
        let n = report.sites.count
        let k = report.count
        let best = percent(report.shareOfBest, roundingDown: true)
        switch language {
        case "ru":
            var text = "Жителей: \(people(total)); в охвате существующих мест: \(people(report.coveredBefore)) (\(share(report.coveredBefore))); "
                + "вместе с новыми: \(people(report.coveredAfter)) (\(share(report.coveredAfter))).\n"
            text += "\(sites(n).capitalizedFirst) \(n == 1 ? "добавляет" : "добавляют") \(people(added)) — не менее \(best) "
                + "от лучшего возможного (никакие \(sites(k)) не добавят больше \(people(possible)))."
            if n < k { text += "\nБольше мест не нужно: остальные кандидаты не добавляют ни одного жителя." }
            return text
        case "kk":
            var text = "Тұрғындар: \(people(total)); бар орындар қамтиды: \(people(report.coveredBefore)) (\(share(report.coveredBefore))); "
                + "жаңаларымен бірге: \(people(report.coveredAfter)) (\(share(report.coveredAfter))).\n"
            text += "\(sites(n)) \(people(added)) тұрғын қосады — ең жақсы мүмкін нәтиженің кемінде \(best) "
                + "(кез келген \(sites(k)) \(people(possible)) тұрғыннан артық қоспайды)."
            if n < k { text += "\nБасқа орын қажет емес: қалған нұсқалар бірде-бір тұрғын қоспайды." }
            return text
        default:
            var text = "Residents: \(people(total)); reached by the existing places: \(people(report.coveredBefore)) "
                + "(\(share(report.coveredBefore))); with the new sites: \(people(report.coveredAfter)) (\(share(report.coveredAfter))).\n"
            text += (n == 1 ? "The site adds" : "The \(n) sites add") + " \(people(added)): at least \(best) of the best possible "
                + "(no \(sites(k)) can add more than \(people(possible)))."
            if n < k { text += "\nNo more sites are needed: every other candidate adds no one." }
            return text
        }
    }
}

private extension String {
    /// The first letter in upper case: «3 места» stays, «место» becomes «Место».
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
