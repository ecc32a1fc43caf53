import CivicCore
import CivicStore
import CivicTestSupport
import GeoValues
import Testing
@testable import CivicImport

@Suite("Spreadsheet rows to candidates")
struct SpreadsheetImportTests {
    @Test("a Russian Excel export: Windows-1251, ';', decimal commas, CRLF, trailing empty columns and rows")
    func windows1251Export() throws {
        let batch = try spreadsheet("volunteers-cp1251.csv", SpreadsheetOptions(encoding: .cp1251))
        #expect(batch.problems.isEmpty, "\(batch.problems)")
        #expect(batch.candidates.map(\.place) == ["line 2", "line 3", "line 5"])

        let council = try #require(batch.candidate("line 2"))
        #expect(council.draft.name == "Совет дома «Бажова, 333»")
        #expect(council.draft.kind == "сообщество")
        #expect(council.draft.themes == ["Дворы", "Отопление"])
        #expect(council.draft.geometry == .point(Position(lon: 82.6405, lat: 49.9705)))
        #expect(council.draft.address == "ул. Бажова, 333")
        #expect(council.draft.contacts == Contacts(phone: "+7 777 123 45 67", contactPerson: "Анна Петровна Ёлкина"))
        #expect(council.draft.source == "csv:volunteers-cp1251.csv#2")

        let group = try #require(batch.candidate("line 3"))
        #expect(group.draft.name == "Инициативная группа \"Свет во дворах Ульбы\"")
        #expect(group.draft.themes == ["освещение", "уборка снега"])

        // With ';' as the delimiter, a comma separates themes too.
        let library = try #require(batch.candidate("line 5"))
        #expect(library.draft.themes == ["культура", "образование"])
        #expect(library.draft.address == "ул. Казахстан, 60")

        #expect(batch.warnings == ["volunteers-cp1251.csv: column not imported: «Примечание»"])
    }

    @Test("quoted Cyrillic cells with embedded quotes and line breaks; a Kazakh row keeps ә ғ қ ң ө ұ ү һ і")
    func quotedAndKazakh() throws {
        let batch = try spreadsheet("quoted-utf8.csv")
        #expect(batch.problems.isEmpty, "\(batch.problems)")
        #expect(batch.candidates.map(\.place) == ["line 2", "line 4", "line 5"])

        let club = try #require(batch.candidate("line 2"))
        #expect(club.draft.name == "Клуб \"Серебряный возраст\"")
        #expect(club.draft.description == "Встречи по средам.\nВход свободный, \"приходите\"!")
        #expect(club.draft.themes == ["elderly", "culture"])
        #expect(club.draft.website == "https://vk.com/silver_oskemen")
        #expect(club.draft.contacts.email == "club@example.kz")

        let kazakh = try #require(batch.candidate("line 4"))
        let name = "«Шаһар» өңірлік қоғамдық жастар ұйымы, мәдениет үйі"
        #expect(kazakh.draft.name == name)
        #expect(kazakh.draft.names["kk"] == name)
        for letter in ["ә", "ғ", "қ", "ң", "ө", "ұ", "ү", "һ", "і"] {
            #expect(kazakh.draft.name.contains(letter), "lost \(letter)")
        }
        #expect(kazakh.draft.themes == ["жастар", "мәдениет"])
        #expect(kazakh.draft.description == "Жастарға арналған \"Өрлеу\" жобасы")
    }

    @Test("Windows-1251 cannot hold Kazakh letters: each cell where Excel wrote '?' for one is named, with the fix")
    func questionMarksForKazakhLetters() throws {
        let batch = try spreadsheet("kazakh-cp1251.csv", SpreadsheetOptions(encoding: .cp1251))
        #expect(batch.problems.isEmpty, "\(batch.problems)")
        #expect(batch.candidates.count == 4)
        #expect(batch.candidate("line 2")?.draft.name == "Клуб «?аза? тілі» при библиотеке", "imported as written")
        // Question marks that end a question («Кто придёт?», «Кто мы? Соседи.») are not letters;
        // a lost letter at the end of a word («А? жол») cannot be told from one and is not named.
        #expect(batch.warnings == [
            "kazakh-cp1251.csv:2: column «Название»: '?' stands where letters were: «Клуб «?аза? тілі» при библиотеке»",
            "kazakh-cp1251.csv:4: column «Название»: '?' stands where letters were: ««Ша?ар» жастар ?йымы»",
            "kazakh-cp1251.csv:4: column «Адрес»: '?' stands where letters were: «Абай да??ылы, 12»",
        ])
        #expect(batch.hints.count == 1)
        #expect(batch.hints.first?.contains("CSV UTF-8") == true && batch.hints.first?.contains("without --encoding") == true)

        // The same rows saved as UTF-8 keep their letters and warn of nothing.
        let utf8 = "Название;Тип;Широта;Долгота;Темы\r\nКлуб «Қазақ тілі»;сообщество;49,9541;82,6268;культура\r\n"
        let clean = try SpreadsheetImport.batch(Array(utf8.utf8), path: "k.csv")
        #expect(clean.warnings.isEmpty && clean.hints.isEmpty)
        #expect(clean.candidates.first?.draft.name == "Клуб «Қазақ тілі»")
    }

    @Test("which question marks stand for letters", arguments: [
        ("?аза? тілі", true), ("Ша?ар", true), ("да??ылы", true), ("Та?ырыптар", true),
        ("Кто придёт?", false), ("Что? Где? Когда?", false), ("А? жол", false), ("what?now", false), ("??", false),
    ])
    func questionMarkForLetter(text: String, lost: Bool) {
        #expect(SpreadsheetImport.questionMarkForLetter(in: text) == lost, "\(text)")
    }

    @Test("rows that cannot be read are problems with their exact line numbers")
    func badRowsParse() throws {
        let batch = try spreadsheet("bad-rows.csv")
        #expect(batch.problems.map(\.line) == [3, 5])
        #expect(batch.problems.map(\.description) == [
            "bad-rows.csv:3: the name is empty",
            "bad-rows.csv:5: latitude '49.9x' is not a number",
        ])
        // The record spanning lines 7–8 keeps the line it starts on; later lines are counted right.
        #expect(batch.candidates.map(\.line) == [2, 4, 6, 7, 9, 10, 11, 12])
    }

    @Test("headers in English or Russian in any case; tab delimiter; unknown columns named in a warning")
    func headers() throws {
        let text = "НАЗВАНИЕ\tТип\tШирота\tДолгота\tТемы\tE-Mail\tКонтактное Лицо\tРайон\tid\n"
            + "Совет дома\tсообщество\t49,95\t82,61\tдворы\ta@b.kz\tАйгүл\tУльбинский\t7\n"
        let batch = try SpreadsheetImport.batch(Array(text.utf8), path: "t.tsv")
        #expect(batch.problems.isEmpty, "\(batch.problems)")
        let row = try #require(batch.candidates.first)
        #expect(row.draft.geometry == .point(Position(lon: 82.61, lat: 49.95)))
        #expect(row.draft.contacts == Contacts(email: "a@b.kz", contactPerson: "Айгүл"))
        // `id` is a column of civic's own export: passed over in silence.
        #expect(batch.warnings == ["t.tsv: column not imported: «Район»"])
    }

    @Test("a duplicated header is an error; so are missing name and coordinate columns")
    func headerErrors() {
        let duplicated = civicError {
            _ = try SpreadsheetImport.batch(Array("name,lat,lon,Название\nx,1,2,y\n".utf8), path: "t.csv")
        }
        #expect(duplicated?.description.contains("columns 1 («name») and 4 («Название») are both the name") == true,
                "\(String(describing: duplicated))")
        let repeated = civicError {
            _ = try SpreadsheetImport.batch(Array("name,lat,lon,note,Note\nx,1,2,a,b\n".utf8), path: "t.csv")
        }
        #expect(repeated?.description.contains("same header") == true, "\(String(describing: repeated))")
        let noLatitude = civicError {
            _ = try SpreadsheetImport.batch(Array("name;kind;themes\nx;venue;culture\n".utf8), path: "t.csv")
        }
        #expect(noLatitude?.description.contains("no latitude (широта) column") == true)
        let noKind = civicError {
            _ = try SpreadsheetImport.batch(Array("name,lat,lon,themes\nx,1,2,culture\n".utf8), path: "t.csv")
        }
        #expect(noKind?.hint?.contains("--kind") == true)
    }

    @Test("--kind and --theme fill rows without them; --delimiter overrides detection")
    func defaultsAndDelimiter() throws {
        let text = "name|lat|lon\nСовет дома Бажова 5|49.95|82.61\n"
        let options = SpreadsheetOptions(delimiter: "|", defaultKind: "community", defaultThemes: ["courtyards"])
        let batch = try SpreadsheetImport.batch(Array(text.utf8), path: "t.csv", options: options)
        let row = try #require(batch.candidates.first)
        #expect(row.draft.kind == "community" && row.draft.themes == ["courtyards"])
    }

    @Test("a decimal comma is read only when the delimiter is not a comma; a formula guard is taken off")
    func numbersAndFormulaGuard() throws {
        #expect(try SpreadsheetImport.number("49,9512", what: "latitude", delimiter: ";") == 49.9512)
        #expect(try SpreadsheetImport.number(" 82.61° ", what: "longitude", delimiter: ",") == 82.61)
        #expect(throws: SpreadsheetImport.RowFault.self) {
            try SpreadsheetImport.number("49,9512", what: "latitude", delimiter: ",")
        }
        #expect(SpreadsheetImport.unescapeFormula("'+7 777 123 45 67") == "+7 777 123 45 67")
        #expect(SpreadsheetImport.unescapeFormula("'quoted") == "'quoted")
    }

    @Test("a row with more cells than the header is refused with a hint about quoting")
    func tooManyCells() throws {
        let batch = try SpreadsheetImport.batch(Array("name,lat,lon,kind,themes\nул. Бажова, 5,49.95,82.61,venue,culture\n".utf8),
                                                path: "t.csv")
        #expect(batch.problems.map(\.line) == [2])
        #expect(batch.problems.first?.hint?.contains("double quotes") == true)
    }
}
