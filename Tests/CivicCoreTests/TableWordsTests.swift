import CivicCore
import Testing

@Suite("Tables for people: words in the dataset's language, columns aligned by display width")
struct TableWordsTests {
    @Test("one column per character as a terminal draws it", arguments: [
        ("Өскемен", 7),
        ("Бийск", 5),                       // й precomposed
        ("Би\u{0438}\u{0306}ск", 5),         // й as и + combining breve
        ("Cafe\u{0301} «Ақ жол»", 13),       // é as e + combining acute
        ("Клуб 🎭", 7),
        ("Семья 👨‍👩‍👧", 8),                 // one family: a ZWJ sequence of three people
        ("🇰🇿 Қазақстан", 12),               // a flag is two regional indicators, one symbol
        ("❤️ двор", 7),                      // a text heart asked to be an emoji (U+FE0F)
        ("☕ кофе", 7),
        ("漢字 かな 한글", 14),
        ("ＡＢ", 4),                          // full-width Latin
        ("a\u{200B}b", 2),                  // a zero-width space takes none
    ])
    func widths(text: String, width: Int) {
        #expect(Tabular.displayWidth(text) == width, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
    }

    @Test("a table of such names lines up: every column starts at the same terminal column on every line")
    func aligned() {
        let names = ["Би\u{0438}\u{0306}ск", "Cafe\u{0301}", "Семья 👨‍👩‍👧", "🇰🇿 Ақ жол", "漢字", "Өскемен"]
        let table = Tabular(header: ["name", "id"], rows: names.enumerated().map { [$0.element, String($0.offset)] },
                            alignments: [.left, .right]).table()
        let lines = table.split(separator: "\n").map(String.init)
        #expect(lines.count == names.count + 2)
        let widths = Set(lines.map(Tabular.displayWidth))
        #expect(widths.count == 1, "every line ends at the same column: \(lines.map(Tabular.displayWidth))\n\(table)")
    }

    @Test("headings, statuses and the totals row follow the language; a region or loose files have all districts")
    func words() {
        #expect(TableWords.of("ru", isCity: true).total == "весь город")
        #expect(TableWords.of("ru", isCity: false).total == "все районы")
        #expect(TableWords.of("kk", isCity: true).total == "бүкіл қала")
        #expect(TableWords.of("kk", isCity: false).total == "барлық аудандар")
        #expect(TableWords.of("en", isCity: false).total == "all districts")
        #expect(TableWords.of(nil).total == "all districts" && TableWords.of(nil).district == "district")
        #expect(TableWords.of("kk", isCity: true).status(.inactive) == "белсенді емес")
        #expect(TableWords.of("ru", isCity: true).status(.active) == "активна")
        for city in ["Өскемен", "Усть-Каменогорск", "Almaty", "Berlin", "Нур-Султан"] {
            #expect(DatasetInfo(name: "x", city: city).isCity, "\(city)")
        }
        for region in ["Восточно-Казахстанская область", "Шығыс Қазақстан облысы", "East Kazakhstan Region", "Казахстан",
                       "Republic of Kazakhstan", "Алтайский край"] {
            #expect(!DatasetInfo(name: "x", city: region).isCity, "\(region)")
            #expect(TableWords.of(DatasetInfo(name: "x", city: region, language: "ru")).total == "все районы")
        }
    }

    @Test("the list table is headed and filled in the dataset's language")
    func listing() {
        let entity = Entity(id: 7, kind: "venue", name: "Дом культуры", themes: ["culture", "youth"], status: .inactive,
                            geometry: .point(.init(lon: 82.6, lat: 49.95)))
        let kazakh = EntityListing(includePrivate: false, language: "kk", vocabulary: .standard)
            .table([entity], contacts: [:]) { _ in "Орталық" }
        #expect(kazakh.header == ["id", "түрі", "атауы", "тақырыптар", "күйі", "аудан"])
        #expect(kazakh.rows == [["7", "алаң", "Дом культуры", "мәдениет, жастар", "белсенді емес", "Орталық"]])
        let english = EntityListing(includePrivate: false, language: "en", vocabulary: .standard)
            .table([entity], contacts: [:]) { _ in nil }
        #expect(english.rows == [["7", "venue", "Дом культуры", "culture, youth", "inactive", "—"]])
    }
}
