import CivicAnalysis
import CivicCore
import Foundation
import GeoValues
import Testing

/// `civic suggest`'s table, byte for byte as it was printed before its words moved into
/// ``TableWords`` (the one place for table words): every language, every form of the words.
@Suite("civic suggest's table, byte for byte in ru, kk, en")
struct SuggestTableGoldenTests {
    /// Printed by the table before the move (`SuggestWords`), for each case and language (`de`: English).
    static let expected: [String: String] = [
        "fewer/de": "#  site  district        lat       lon  new residents reached\n-  ----  ---------  --------  --------  ---------------------\n1  —     Центр      49.95000  82.61000                    600\n2  —     Восточный  49.95000  82.62000                    400\nResidents: 12\u{2009}000; reached by the existing places: 11\u{2009}000 (91.7 %); with the new sites: 12\u{2009}000 (100.0 %).\nThe 2 sites add 1\u{2009}000: at least 100.0 % of the best possible (no 5 sites can add more than 1\u{2009}000).\nNo more sites are needed: every other candidate adds no one.\n",
        "fewer/en": "#  site  district        lat       lon  new residents reached\n-  ----  ---------  --------  --------  ---------------------\n1  —     Centre     49.95000  82.61000                    600\n2  —     Восточный  49.95000  82.62000                    400\nResidents: 12\u{2009}000; reached by the existing places: 11\u{2009}000 (91.7 %); with the new sites: 12\u{2009}000 (100.0 %).\nThe 2 sites add 1\u{2009}000: at least 100.0 % of the best possible (no 5 sites can add more than 1\u{2009}000).\nNo more sites are needed: every other candidate adds no one.\n",
        "fewer/kk": "№  орын  аудан         ендік    бойлық  жаңадан қамтылған тұрғындар\n-  ----  ---------  --------  --------  ---------------------------\n1  —     Орталық    49.95000  82.61000                          600\n2  —     Восточный  49.95000  82.62000                          400\nТұрғындар: 12\u{2009}000; бар орындар қамтиды: 11\u{2009}000 (91,7 %); жаңаларымен бірге: 12\u{2009}000 (100,0 %).\n2 орын 1\u{2009}000 тұрғын қосады — ең жақсы мүмкін нәтиженің кемінде 100,0 % (кез келген 5 орын 1\u{2009}000 тұрғыннан артық қоспайды).\nБасқа орын қажет емес: қалған нұсқалар бірде-бір тұрғын қоспайды.\n",
        "fewer/ru": "№  место  район        широта   долгота  новых жителей в охвате\n-  -----  ---------  --------  --------  ----------------------\n1  —      Центр      49.95000  82.61000                     600\n2  —      Восточный  49.95000  82.62000                     400\nЖителей: 12\u{2009}000; в охвате существующих мест: 11\u{2009}000 (91,7 %); вместе с новыми: 12\u{2009}000 (100,0 %).\n2 места добавляют 1\u{2009}000 — не менее 100,0 % от лучшего возможного (никакие 5 мест не добавят больше 1\u{2009}000).\nБольше мест не нужно: остальные кандидаты не добавляют ни одного жителя.\n",
        "none/de": "#  site  district  lat  lon  new residents reached\n-  ----  --------  ---  ---  ---------------------\nResidents: 0; reached by the existing places: 0 (0.0 %); with the new sites: 0 (0.0 %).\nThe 0 sites add 0: at least 100.0 % of the best possible (no 21 sites can add more than 0).\nNo more sites are needed: every other candidate adds no one.\n",
        "none/en": "#  site  district  lat  lon  new residents reached\n-  ----  --------  ---  ---  ---------------------\nResidents: 0; reached by the existing places: 0 (0.0 %); with the new sites: 0 (0.0 %).\nThe 0 sites add 0: at least 100.0 % of the best possible (no 21 sites can add more than 0).\nNo more sites are needed: every other candidate adds no one.\n",
        "none/kk": "№  орын  аудан  ендік  бойлық  жаңадан қамтылған тұрғындар\n-  ----  -----  -----  ------  ---------------------------\nТұрғындар: 0; бар орындар қамтиды: 0 (0,0 %); жаңаларымен бірге: 0 (0,0 %).\n0 орын 0 тұрғын қосады — ең жақсы мүмкін нәтиженің кемінде 100,0 % (кез келген 21 орын 0 тұрғыннан артық қоспайды).\nБасқа орын қажет емес: қалған нұсқалар бірде-бір тұрғын қоспайды.\n",
        "none/ru": "№  место  район  широта  долгота  новых жителей в охвате\n-  -----  -----  ------  -------  ----------------------\nЖителей: 0; в охвате существующих мест: 0 (0,0 %); вместе с новыми: 0 (0,0 %).\n0 мест добавляют 0 — не менее 100,0 % от лучшего возможного (никакие 21 место не добавят больше 0).\nБольше мест не нужно: остальные кандидаты не добавляют ни одного жителя.\n",
        "one/de": "#  site   district       lat       lon  new residents reached\n-  -----  --------  --------  --------  ---------------------\n1  lot 4  —         49.90000  82.60000                  1\u{2009}000\nResidents: 1\u{2009}816\u{2009}704; reached by the existing places: 0 (0.0 %); with the new sites: 1\u{2009}000 (0.1 %).\nThe site adds 1\u{2009}000: at least 83.2 % of the best possible (no 1 site can add more than 1\u{2009}200).\n",
        "one/en": "#  site   district       lat       lon  new residents reached\n-  -----  --------  --------  --------  ---------------------\n1  lot 4  —         49.90000  82.60000                  1\u{2009}000\nResidents: 1\u{2009}816\u{2009}704; reached by the existing places: 0 (0.0 %); with the new sites: 1\u{2009}000 (0.1 %).\nThe site adds 1\u{2009}000: at least 83.2 % of the best possible (no 1 site can add more than 1\u{2009}200).\n",
        "one/kk": "№  орын   аудан     ендік    бойлық  жаңадан қамтылған тұрғындар\n-  -----  -----  --------  --------  ---------------------------\n1  lot 4  —      49.90000  82.60000                        1\u{2009}000\nТұрғындар: 1\u{2009}816\u{2009}704; бар орындар қамтиды: 0 (0,0 %); жаңаларымен бірге: 1\u{2009}000 (0,1 %).\n1 орын 1\u{2009}000 тұрғын қосады — ең жақсы мүмкін нәтиженің кемінде 83,2 % (кез келген 1 орын 1\u{2009}200 тұрғыннан артық қоспайды).\n",
        "one/ru": "№  место  район    широта   долгота  новых жителей в охвате\n-  -----  -----  --------  --------  ----------------------\n1  lot 4  —      49.90000  82.60000                   1\u{2009}000\nЖителей: 1\u{2009}816\u{2009}704; в охвате существующих мест: 0 (0,0 %); вместе с новыми: 1\u{2009}000 (0,1 %).\n1 место добавляет 1\u{2009}000 — не менее 83,2 % от лучшего возможного (никакие 1 место не добавят больше 1\u{2009}200).\n",
        "three/de": "#  site           district        lat       lon  new residents reached\n-  -------------  ---------  --------  --------  ---------------------\n1  —              Центр      49.94807  82.64268                  8\u{2009}329\n2  участок-7      Центр      49.95516  82.64989                  7\u{2009}612\n3  1234567890123  Восточный  49.98083  82.67867                  4\u{2009}187\nResidents: 340\u{2009}000; reached by the existing places: 62\u{2009}299 (18.3 %); with the new sites: 82\u{2009}427 (24.2 %).\nThe 3 sites add 20\u{2009}128: at least 99.0 % of the best possible (no 3 sites can add more than 20\u{2009}321).\n",
        "three/en": "#  site           district        lat       lon  new residents reached\n-  -------------  ---------  --------  --------  ---------------------\n1  —              Centre     49.94807  82.64268                  8\u{2009}329\n2  участок-7      Centre     49.95516  82.64989                  7\u{2009}612\n3  1234567890123  Восточный  49.98083  82.67867                  4\u{2009}187\nResidents: 340\u{2009}000; reached by the existing places: 62\u{2009}299 (18.3 %); with the new sites: 82\u{2009}427 (24.2 %).\nThe 3 sites add 20\u{2009}128: at least 99.0 % of the best possible (no 3 sites can add more than 20\u{2009}321).\n",
        "three/kk": "№  орын           аудан         ендік    бойлық  жаңадан қамтылған тұрғындар\n-  -------------  ---------  --------  --------  ---------------------------\n1  —              Орталық    49.94807  82.64268                        8\u{2009}329\n2  участок-7      Орталық    49.95516  82.64989                        7\u{2009}612\n3  1234567890123  Восточный  49.98083  82.67867                        4\u{2009}187\nТұрғындар: 340\u{2009}000; бар орындар қамтиды: 62\u{2009}299 (18,3 %); жаңаларымен бірге: 82\u{2009}427 (24,2 %).\n3 орын 20\u{2009}128 тұрғын қосады — ең жақсы мүмкін нәтиженің кемінде 99,0 % (кез келген 3 орын 20\u{2009}321 тұрғыннан артық қоспайды).\n",
        "three/ru": "№  место          район        широта   долгота  новых жителей в охвате\n-  -------------  ---------  --------  --------  ----------------------\n1  —              Центр      49.94807  82.64268                   8\u{2009}329\n2  участок-7      Центр      49.95516  82.64989                   7\u{2009}612\n3  1234567890123  Восточный  49.98083  82.67867                   4\u{2009}187\nЖителей: 340\u{2009}000; в охвате существующих мест: 62\u{2009}299 (18,3 %); вместе с новыми: 82\u{2009}427 (24,2 %).\n3 места добавляют 20\u{2009}128 — не менее 99,0 % от лучшего возможного (никакие 3 места не добавят больше 20\u{2009}321).\n",
    ]

    @Test("every case in every language is the table printed before")
    func byteIdentical() throws {
        var compared = 0
        for (key, report, districts) in try SuggestTableCases.all() {
            for language in ["ru", "kk", "en", "de"] {
                let wanted = try #require(Self.expected[key + "/" + language], "no expected table for \(key)/\(language)")
                let table = report.table(districts: districts, language: language)
                #expect(Array(table.utf8) == Array(wanted.utf8), "\(key)/\(language):\n\(table)\nwanted:\n\(wanted)")
                compared += 1
            }
        }
        #expect(compared == 16)
    }
}

/// Suggestion reports with every form the table words take: one site, three, fewer than asked
/// (five asked: «5 мест»), ids of text and number, a candidate outside every district, a district
/// named by language.
enum SuggestTableCases {
    static func all() throws -> [(String, SuggestReport, [District])] {
        let square = Polygon(outerRing: [Position(x: 82.60, y: 49.94), Position(x: 82.66, y: 49.94), Position(x: 82.66, y: 49.97),
                                         Position(x: 82.60, y: 49.97), Position(x: 82.60, y: 49.94)])
        let centre = District(id: "tsentr", name: "Центр", names: ["kk": "Орталық", "en": "Centre"], population: 340_000,
                              geometry: .polygon(square))
        let east = District(id: "vostochny", name: "Восточный", geometry: .polygon(square))
        let districts = [centre, east]
        let three = SuggestReport(
            radius: 500, count: 3, residents: 340_000, coveredBefore: 62_299.4, coveredAfter: 82_427.2, bestPossibleAtMost: 82_620.9,
            sites: [SuggestedSite(rank: 1, id: nil, position: Position(x: 82.642681, y: 49.948071), gain: 8_329.2, districtID: "tsentr"),
                    SuggestedSite(rank: 2, id: .string("участок-7"), position: Position(x: 82.6498912, y: 49.95516), gain: 7_612.4, districtID: "tsentr"),
                    SuggestedSite(rank: 3, id: .number("1234567890123"), position: Position(x: 82.67867, y: 49.98083), gain: 4_186.6, districtID: "vostochny")])
        let one = SuggestReport(
            radius: 800, count: 1, residents: 1_816_704, coveredBefore: 0, coveredAfter: 999.5, bestPossibleAtMost: 1_200,
            sites: [SuggestedSite(rank: 1, id: .string("lot 4"), position: Position(x: 82.6, y: 49.9), gain: 999.5, districtID: nil)])
        let fewer = SuggestReport(
            radius: 500, count: 5, residents: 12_000, coveredBefore: 11_000, coveredAfter: 12_000, bestPossibleAtMost: 12_000,
            sites: [SuggestedSite(rank: 1, id: nil, position: Position(x: 82.61, y: 49.95), gain: 600, districtID: "tsentr"),
                    SuggestedSite(rank: 2, id: nil, position: Position(x: 82.62, y: 49.95), gain: 400, districtID: "vostochny")])
        let none = SuggestReport(radius: 500, count: 21, residents: 0, coveredBefore: 0, coveredAfter: 0, bestPossibleAtMost: 0, sites: [])
        return [("three", three, districts), ("one", one, districts), ("fewer", fewer, districts), ("none", none, districts)]
    }
}
