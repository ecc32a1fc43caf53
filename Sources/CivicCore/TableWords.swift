/// The words of civic's tables for people in Russian, Kazakh or English: column headings, statuses
/// and the name of the totals row. Kinds and themes come from the dataset's vocabulary
/// (``Term/label(_:)``); CSV, JSON and GeoJSON keep their English field names, which programs read.
///
/// ```swift
/// let words = TableWords.of("kk", isCity: true)
/// words.status(.inactive)   // "белсенді емес"
/// words.total               // "бүкіл қала"
/// ```
public struct TableWords: Sendable, Hashable {
    /// `ru`, `kk` or `en`.
    public let language: String
    /// The name of the totals row: the whole city, or all districts when they are not one city's.
    public let total: String
    public let id, kind, name, themes, status, district: String
    public let active, inactive: String
    public let areaKm2, coveredKm2, covered, entities, population, coveredPopulation, leftOut: String
    public let areaHectares, insideAt: String
    /// The dry run of an import: where a row or element is in the file, what would happen to it
    /// (the actions themselves stay civic's terms: add, update, unchanged, skip, invalid), details.
    public let place, action, details: String

    /// The words for `language` (English for a language civic has no words for). `isCity` says
    /// whether the districts make up one city (``DatasetInfo/isCity``); loose files do not.
    public static func of(_ language: String?, isCity: Bool) -> TableWords {
        switch language {
        case "ru":
            TableWords(language: "ru", total: isCity ? "весь город" : "все районы",
                       id: "id", kind: "вид", name: "название", themes: "темы", status: "статус", district: "район",
                       active: "активна", inactive: "неактивна",
                       areaKm2: "площадь, км²", coveredKm2: "в охвате, км²", covered: "охват", entities: "объекты",
                       population: "население", coveredPopulation: "в охвате, чел.", leftOut: "вне охвата",
                       areaHectares: "площадь, га", insideAt: "точка внутри (шир., долг.)",
                       place: "откуда", action: "действие", details: "подробности")
        case "kk":
            TableWords(language: "kk", total: isCity ? "бүкіл қала" : "барлық аудандар",
                       id: "id", kind: "түрі", name: "атауы", themes: "тақырыптар", status: "күйі", district: "аудан",
                       active: "белсенді", inactive: "белсенді емес",
                       areaKm2: "ауданы, км²", coveredKm2: "қамтылған, км²", covered: "қамту", entities: "нысандар",
                       population: "халық", coveredPopulation: "қамтылған, адам", leftOut: "қамтылмаған",
                       areaHectares: "ауданы, га", insideAt: "ішіндегі нүкте (ендік, бойлық)",
                       place: "қайдан", action: "әрекет", details: "толығырақ")
        default:
            TableWords(language: "en", total: isCity ? "whole city" : "all districts",
                       id: "id", kind: "kind", name: "name", themes: "themes", status: "status", district: "district",
                       active: "active", inactive: "inactive",
                       areaKm2: "area km²", coveredKm2: "covered km²", covered: "covered", entities: "entities",
                       population: "population", coveredPopulation: "covered pop.", leftOut: "left out",
                       areaHectares: "area ha", insideAt: "inside at (lat, lon)",
                       place: "from", action: "action", details: "details")
        }
    }

    /// The words of a dataset (its language; "whole city" unless ``DatasetInfo/isCity`` says
    /// otherwise), or of loose files (`nil`: English, "all districts").
    public static func of(_ info: DatasetInfo?) -> TableWords {
        of(info?.language, isCity: info?.isCity ?? false)
    }

    /// A status as the table says it.
    public func status(_ status: EntityStatus) -> String {
        status == .active ? active : inactive
    }
}

extension DatasetInfo {
    /// Whether the districts make up one city, as `dataset.json`'s `city` says: it is a city unless
    /// the name is that of a region or a country, told by a word of its own (`Восточно-Казахстанская
    /// область`, `Шығыс Қазақстан облысы`, `East Kazakhstan Region`, `Казахстан`, `Germany`…: see
    /// ``regionWords``). Totals then say "all districts" instead of "whole city", as for loose files.
    public var isCity: Bool {
        let words = city.lowercased().split { !$0.isLetter }.map(String.init)
        return !words.contains { Self.regionWords.contains($0) }
    }

    /// Words that make `city` a region's or a country's name (in lower case).
    public static let regionWords: Set<String> = [
        "область", "области", "край", "республика", "республики", "страна", "регион", "казахстан", "россия",
        "облысы", "облыс", "өлкесі", "республикасы", "қазақстан", "аймақ", "аймағы",
        "region", "oblast", "province", "country", "republic", "county", "kazakhstan", "germany",
    ]
}

extension TableWords {
    /// The headings of `civic concerns summary`'s table, in this language.
    public var concernSummaryHeader: [String] {
        switch language {
        case "ru": [district, id, "тема", "обращения", "на 1000", "открыто", "дней до решения", "охват", "приоритет"]
        case "kk": [district, id, "тақырып", "өтініштер", "1000-ға", "ашық", "шешуге күн", "қамту", "басымдық"]
        default: [district, id, "theme", "concerns", "per 1000", "open", "median days", covered, "priority"]
        }
    }

    /// The headings of `civic concerns hotspots`' table, in this language.
    public var concernHotspotHeader: [String] {
        switch language {
        case "ru": ["№", district, id, "тема", "вне охвата", "открыто", "центр клетки (шир., долг.)"]
        case "kk": ["№", district, id, "тақырып", "қамтудан тыс", "ашық", "ұяшық ортасы (ендік, бойлық)"]
        default: ["#", district, id, "theme", "outside", "open", "cell centre (lat, lon)"]
        }
    }

    /// A concern summary's priority (`high`, `medium`, `low`) as the table says it; CSV and JSON keep
    /// the English value, which programs read.
    public func priority(_ value: String) -> String {
        switch (language, value) {
        case ("ru", "high"): "высокий"
        case ("ru", "medium"): "средний"
        case ("ru", "low"): "низкий"
        case ("kk", "high"): "жоғары"
        case ("kk", "medium"): "орташа"
        case ("kk", "low"): "төмен"
        default: value
        }
    }
}

// MARK: - Numbers

extension TableWords {
    /// The thin space (U+2009) that groups thousands in civic's tables and messages, in every
    /// language: `1 816 704`.
    public static let tableGroupSeparator = "\u{2009}"

    /// The digits of a whole number (`-1816704`) grouped by thousands with `separator`
    /// (`-1 816 704`): the one grouping of every number civic writes for people (tables, messages,
    /// progress, maps), each with its own separator.
    public static func grouped(_ digits: some StringProtocol, separator: String) -> String {
        let text = String(digits)
        let negative = text.hasPrefix("-")
        let body = negative ? text.dropFirst() : Substring(text)
        var out = negative ? "-" : ""
        for (i, ch) in body.enumerated() {
            if i > 0 && (body.count - i) % 3 == 0 { out += separator }
            out.append(ch)
        }
        return out
    }

    /// Whole people as the tables write them, rounded, grouped by thin spaces: `1 816 704`.
    public static func people(_ value: Double) -> String {
        grouped(String(Int64(value.rounded())), separator: tableGroupSeparator)
    }
}

// MARK: - civic suggest

extension TableWords {
    /// `civic suggest`'s headings: rank, site, district, latitude, longitude, residents it adds.
    public var suggestHeader: [String] {
        switch language {
        case "ru": ["№", "место", "район", "широта", "долгота", "новых жителей в охвате"]
        case "kk": ["№", "орын", "аудан", "ендік", "бойлық", "жаңадан қамтылған тұрғындар"]
        default: ["#", "site", "district", "lat", "lon", "new residents reached"]
        }
    }

    /// A share as a percentage with one decimal, as the language writes it (`17,4 %` in Russian
    /// and Kazakh, `17.4 %` in English); `roundingDown` for "at least", so that it stays true.
    public func percent(_ share: Double, roundingDown: Bool = false) -> String {
        // Down, for "at least"; a share a rounding error short of a tenth is that tenth (1 − 1e-12 is 100 %).
        let tenths = roundingDown ? (share * 1000 + 1e-6).rounded(.down) : (share * 1000).rounded()
        let text = JSONNumber.format(tenths / 10, decimals: 1).padded(decimals: 1)
        return (language == "en" ? text : String(text.map { $0 == "." ? "," : $0 })) + " %"
    }

    /// `1 site`, `3 места`, `5 мест`, `3 орын`.
    public func sites(_ n: Int) -> String {
        switch language {
        case "ru":
            let (ten, hundred) = (n % 10, n % 100)
            let word = ten == 1 && hundred != 11 ? "место" : (2...4).contains(ten) && !(12...14).contains(hundred) ? "места" : "мест"
            return "\(n) \(word)"
        case "kk": return "\(n) орын"
        default: return n == 1 ? "1 site" : "\(n) sites"
        }
    }

    /// The two lines under `civic suggest`'s table (three when fewer sites than `asked` add
    /// anyone): the residents reached before and after, and how close the sites come to the best
    /// possible. Residents are counts (``people(_:)``); `shareOfBest` is at most 1.
    public func suggestSummary(residents total: Double, coveredBefore: Double, coveredAfter: Double,
                               bestPossibleAtMost: Double, shareOfBest: Double, sites n: Int, asked k: Int) -> String {
        let people = Self.people
        func share(_ v: Double) -> String { total > 0 ? percent(v / total) : percent(0) }
        let added = coveredAfter - coveredBefore
        let possible = bestPossibleAtMost - coveredBefore
        let best = percent(shareOfBest, roundingDown: true)
        switch language {
        case "ru":
            var text = "Жителей: \(people(total)); в охвате существующих мест: \(people(coveredBefore)) (\(share(coveredBefore))); "
                + "вместе с новыми: \(people(coveredAfter)) (\(share(coveredAfter))).\n"
            let first = sites(n)
            text += "\(first.prefix(1).uppercased() + first.dropFirst()) \(n == 1 ? "добавляет" : "добавляют") \(people(added)) — не менее \(best) "
                + "от лучшего возможного (никакие \(sites(k)) не добавят больше \(people(possible)))."
            if n < k { text += "\nБольше мест не нужно: остальные кандидаты не добавляют ни одного жителя." }
            return text
        case "kk":
            var text = "Тұрғындар: \(people(total)); бар орындар қамтиды: \(people(coveredBefore)) (\(share(coveredBefore))); "
                + "жаңаларымен бірге: \(people(coveredAfter)) (\(share(coveredAfter))).\n"
            text += "\(sites(n)) \(people(added)) тұрғын қосады — ең жақсы мүмкін нәтиженің кемінде \(best) "
                + "(кез келген \(sites(k)) \(people(possible)) тұрғыннан артық қоспайды)."
            if n < k { text += "\nБасқа орын қажет емес: қалған нұсқалар бірде-бір тұрғын қоспайды." }
            return text
        default:
            var text = "Residents: \(people(total)); reached by the existing places: \(people(coveredBefore)) "
                + "(\(share(coveredBefore))); with the new sites: \(people(coveredAfter)) (\(share(coveredAfter))).\n"
            text += (n == 1 ? "The site adds" : "The \(n) sites add") + " \(people(added)): at least \(best) of the best possible "
                + "(no \(sites(k)) can add more than \(people(possible)))."
            if n < k { text += "\nNo more sites are needed: every other candidate adds no one." }
            return text
        }
    }
}
