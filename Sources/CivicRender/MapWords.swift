import CivicCore
import Foundation

/// The fixed words of a map in Russian, Kazakh or English, and numbers written the way each
/// language writes them (`17,4 %`, `8 329` and `340 000` in Russian and Kazakh, `17.4%`, `8,329`
/// and `340,000` in English), grouped as the tables group them (``TableWords/grouped(_:separator:)``). Kinds and themes come from the dataset's vocabulary (``Term/label(_:)``), not from here.
public struct MapWords: Sendable {
    /// `ru`, `kk` or `en`.
    public let language: String

    let defaultTitle: String
    let shareTitle: String
    let coverageWord: String
    let reachPhrase: String  // "{r}" is replaced by the radius
    /// Walking coverage's reach: "{r}" the radius, "{a}" the off-street allowance.
    let walkPhrase: String
    let themesWord: String
    let kindsWord: String
    let allWord: String
    /// The legend's kind for entities of a loose file that have none.
    let unclassifiedWord: String
    let gapsLabel: String  // "{a}" is replaced by the smallest gap shown
    /// The legend's key for the walking reach's outline: "{r}" the radius, "{a}" the off-street allowance.
    let walkReachLabel: String
    /// The legend's key for the concerns layer (`map --concerns`): public 250 m cells, their count.
    let concernsLabel: String
    let entitiesTitle: String
    let scaleWord: String
    /// Before the CRS the map is drawn in when the figures were measured in several.
    let mapWord: String
    let northLetter: String
    let sourcesWord: String
    let datasetWord: String
    let osmCredit: String
    let boundariesWord: String
    let boundariesFromDataset: String
    let mostLeftOut: String
    let leastCovered: String
    var cityAreaPhrase: String  // "{a}" share of the area
    let cityPeoplePhrase: String  // follows cityAreaPhrase: "{p}" share, "{n}" covered, "{t}" total
    let metre: String
    let kilometre: String
    let hectare: String
    let squareMetre: String
    // The web page.
    let coveredWord: String
    let leftOutWord: String
    let populationWord: String
    let entitiesWord: String
    let kindWord: String
    let zoomIn: String
    let zoomOut: String
    var wholeCity: String
    let noneWord: String
    let printWord: String
    let shownWord: String
    let hint: String
    // Crowded maps and the table of districts.
    let clusterLabel: String
    let outsidePhrase: String  // "{n}" entities outside the map
    let districtWord: String
    let shareColumn: String
    let leftOutColumn: String
    let tableHint: String

    /// The words for `language`; English for a language civic has no words for. When the districts
    /// are not one city's (loose files, a region: ``DatasetInfo/isCity``), the totals are those of
    /// "all districts" (``TableWords/total``), not of the "whole city".
    public static func of(_ language: String, isCity: Bool = true) -> MapWords {
        var words: MapWords = switch language {
        case "ru": .russian
        case "kk": .kazakh
        default: .english
        }
        if !isCity {
            let total = TableWords.of(language, isCity: false).total
            let allDistricts = total.prefix(1).uppercased() + total.dropFirst()
            if words.cityAreaPhrase.hasPrefix(words.wholeCity) {
                words.cityAreaPhrase = allDistricts + words.cityAreaPhrase.dropFirst(words.wholeCity.count)
            }
            words.wholeCity = allDistricts
        }
        return words
    }

    static let russian = MapWords(
        language: "ru",
        defaultTitle: "Охват районов",
        shareTitle: "Доля площади района в охвате",
        coverageWord: "Охват",
        reachPhrase: "в радиусе {r} от активных объектов",
        walkPhrase: "{r} пешком по улицам от активных объектов (и до {a} от улицы)",
        themesWord: "темы", kindsWord: "виды", allWord: "все", unclassifiedWord: "без вида",
        gapsLabel: "Участки вне охвата (от {a})",
        walkReachLabel: "Пешая доступность: {r} по улицам и до {a} от улицы",
        concernsLabel: "Обращения жителей: ячейки 250\u{00A0}м, где 5 и более по одной теме (число)",
        entitiesTitle: "Объекты",
        scaleWord: "Масштаб", mapWord: "карта", northLetter: "С",
        sourcesWord: "Источники", datasetWord: "набор данных",
        osmCredit: "© участники OpenStreetMap",
        boundariesWord: "границы районов", boundariesFromDataset: "из набора данных",
        mostLeftOut: "Больше всего жителей вне охвата", leastCovered: "Наименьший охват",
        cityAreaPhrase: "Весь город: в охвате {a} площади",
        cityPeoplePhrase: " и {p} жителей ({n} из {t})",
        metre: "м", kilometre: "км", hectare: "га", squareMetre: "м²",
        coveredWord: "в охвате", leftOutWord: "жителей вне охвата", populationWord: "население",
        entitiesWord: "объектов", kindWord: "вид",
        zoomIn: "Приблизить", zoomOut: "Отдалить", wholeCity: "Весь город", noneWord: "ни одной",
        printWord: "Печать", shownWord: "Показано объектов",
        hint: "Колесо мыши или кнопки — масштаб, перетаскивание — сдвиг карты, наведение или касание — сведения о районе и объекте.",
        clusterLabel: "Несколько объектов рядом (их число)", outsidePhrase: "{n} вне карты",
        districtWord: "Район", shareColumn: "Охват", leftOutColumn: "Вне охвата",
        tableHint: "Щелчок по заголовку сортирует таблицу.")

    static let kazakh = MapWords(
        language: "kk",
        defaultTitle: "Аудандарды қамту",
        shareTitle: "Аудан аумағының қамтылған үлесі",
        coverageWord: "Қамту",
        reachPhrase: "белсенді нысандардан {r} радиуста",
        walkPhrase: "белсенді нысандардан көшелермен жаяу {r} (көшеден {a} дейін)",
        themesWord: "тақырыптар", kindsWord: "түрлері", allWord: "барлығы", unclassifiedWord: "түрі жоқ",
        gapsLabel: "Қамтылмаған аймақтар ({a} және одан үлкен)",
        walkReachLabel: "Жаяу қолжетімділік: көшелермен {r} және көшеден {a} дейін",
        concernsLabel: "Тұрғындар өтініштері: бір тақырып бойынша 5 не одан көп 250\u{00A0}м ұяшықтар (саны)",
        entitiesTitle: "Нысандар",
        scaleWord: "Масштаб", mapWord: "карта", northLetter: "С",
        sourcesWord: "Дереккөздер", datasetWord: "деректер жинағы",
        osmCredit: "© OpenStreetMap қатысушылары",
        boundariesWord: "аудан шекаралары", boundariesFromDataset: "деректер жинағынан",
        mostLeftOut: "Қамтылмаған тұрғындары ең көп аудандар", leastCovered: "Қамтуы ең төмен аудандар",
        cityAreaPhrase: "Бүкіл қала: аумақтың {a} қамтылған",
        cityPeoplePhrase: ", тұрғындардың {p} ({n} / {t})",
        metre: "м", kilometre: "км", hectare: "га", squareMetre: "м²",
        coveredWord: "қамтылған", leftOutWord: "қамтылмаған тұрғындар", populationWord: "халық саны",
        entitiesWord: "нысандар", kindWord: "түрі",
        zoomIn: "Жақындату", zoomOut: "Алыстату", wholeCity: "Бүкіл қала", noneWord: "ешқайсысы",
        printWord: "Басып шығару", shownWord: "Көрсетілген нысандар",
        hint: "Масштаб — тышқан дөңгелегі не батырмалар, картаны жылжыту — сүйреу, аудан мен нысан туралы мәлімет — меңзерді апару не түрту.",
        clusterLabel: "Қатар орналасқан нысандар (саны)", outsidePhrase: "{n} картадан тыс",
        districtWord: "Аудан", shareColumn: "Қамту", leftOutColumn: "Қамтылмаған",
        tableHint: "Кестені сұрыптау үшін тақырыпты басыңыз.")

    static let english = MapWords(
        language: "en",
        defaultTitle: "District coverage",
        shareTitle: "Share of the district within reach",
        coverageWord: "Coverage",
        reachPhrase: "within {r} of an active entity",
        walkPhrase: "{r} on foot along the streets from an active entity (and up to {a} off the street)",
        themesWord: "themes", kindsWord: "kinds", allWord: "all", unclassifiedWord: "unclassified",
        gapsLabel: "Out of reach (gaps of {a} or more)",
        walkReachLabel: "Walking reach: {r} along the streets, up to {a} off the street",
        concernsLabel: "Residents' concerns: 250\u{00A0}m cells with 5 or more of one theme (the count)",
        entitiesTitle: "Entities",
        scaleWord: "Scale", mapWord: "map", northLetter: "N",
        sourcesWord: "Sources", datasetWord: "dataset",
        osmCredit: "© OpenStreetMap contributors",
        boundariesWord: "district boundaries", boundariesFromDataset: "from the dataset",
        mostLeftOut: "Most residents left out", leastCovered: "Least covered districts",
        cityAreaPhrase: "Whole city: {a} of the area within reach",
        cityPeoplePhrase: " and {p} of residents ({n} of {t})",
        metre: "m", kilometre: "km", hectare: "ha", squareMetre: "m²",
        coveredWord: "within reach", leftOutWord: "residents left out", populationWord: "population",
        entitiesWord: "entities", kindWord: "kind",
        zoomIn: "Zoom in", zoomOut: "Zoom out", wholeCity: "Whole city", noneWord: "none",
        printWord: "Print", shownWord: "Entities shown",
        hint: "Wheel or buttons to zoom, drag to move the map, hover or tap for a district's or an entity's details.",
        clusterLabel: "Entities close together (how many)", outsidePhrase: "{n} outside the map",
        districtWord: "District", shareColumn: "Covered", leftOutColumn: "Left out",
        tableHint: "Click a heading to sort the table.")

    // MARK: - Numbers

    /// The decimal separator: a point in English, a comma in Russian and Kazakh.
    var decimalSeparator: String { language == "en" ? "." : "," }
    /// A no-break space (U+00A0) groups thousands in Russian and Kazakh, so that a number never
    /// breaks across lines and every font has the character; a comma in English.
    var groupSeparator: String { language == "en" ? "," : "\u{00A0}" }

    /// `value` with at most `decimals` decimals, trailing zeros kept (`17,4`), thousands grouped.
    public func number(_ value: Double, decimals: Int = 0) -> String {
        let text = JSONNumber.format(value, decimals: decimals)
        var integer = Substring(text)
        var fraction = Substring("")
        if let dot = text.firstIndex(of: ".") {
            integer = text[..<dot]
            fraction = text[text.index(after: dot)...]
        }
        // Four-digit numbers are grouped too (8 329, 8,329), as the tables write them.
        var grouped = TableWords.grouped(integer, separator: groupSeparator)
        if decimals > 0 {
            grouped += decimalSeparator + fraction + String(repeating: "0", count: decimals - fraction.count)
        }
        return grouped
    }

    /// A share as a percentage: `17,4 %` (no-break space) or `17.4%`.
    public func percent(_ share: Double, decimals: Int = 1) -> String {
        number(share * 100, decimals: decimals) + (language == "en" ? "%" : "\u{00A0}%")
    }

    /// A length for a scale bar or a radius: `500 м`, `2 км`, `1,5 км`.
    public func length(_ metres: Double) -> String {
        if metres >= 1000 {
            let km = metres / 1000
            return number(km, decimals: km == km.rounded() ? 0 : 1) + "\u{00A0}" + kilometre
        }
        return number(metres, decimals: metres == metres.rounded() ? 0 : 1) + "\u{00A0}" + metre
    }

    /// An area for the smallest gap shown: `1 га`, `5 000 м²`.
    public func area(_ squareMetres: Double) -> String {
        if squareMetres >= 10_000 {
            let ha = squareMetres / 10_000
            return number(ha, decimals: ha == ha.rounded() ? 0 : 1) + "\u{00A0}" + hectare
        }
        return number(squareMetres) + "\u{00A0}" + squareMetre
    }

    /// A date `YYYY-MM-DD` as each language writes it: `25.11.2026` in Russian and Kazakh, as is in English.
    public func date(_ iso: String) -> String {
        let parts = iso.split(separator: "-")
        guard language != "en", parts.count == 3 else { return iso }
        return "\(parts[2]).\(parts[1]).\(parts[0])"
    }

    func fill(_ template: String, _ values: [String: String]) -> String {
        var out = template
        for (key, value) in values { out = out.replacingOccurrences(of: "{\(key)}", with: value) }
        return out
    }
}
