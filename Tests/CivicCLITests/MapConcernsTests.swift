import CivicCore
import CivicTestSupport
import Foundation
import Testing

/// `civic map --concerns`: the layer has its key in the legend, in the map's language, and the
/// files hold nothing private — no concern's text, reporter, phone, e-mail or exact point, and no
/// entity's contacts — since `map` has no private output at all.
@Suite("civic map --concerns: the legend's key and nothing private in the bytes")
struct MapConcernsTests {
    static let contacts = ["+7 705 111 22 33", "fonarshiki.bazhova@mail.kz", "Айгерим Нурланова"]

    /// The square city with the register's concerns (a cell of five lighting appeals) and a venue
    /// whose contacts are private.
    func dataset(in dir: String) throws -> String {
        let (path, _) = try SquareRegister.dataset(in: dir)
        _ = try addVenue(path, name: "Совет дома Бажова 12", lat: "49.9520", lon: "82.6010",
                         extra: ["--phone", Self.contacts[0], "--email", Self.contacts[1], "--contact-person", Self.contacts[2]])
        // The contacts are in the dataset, so a scan that finds none of them in the map means something.
        let privateFile = readText(path + "/private/contacts.json")
        #expect(Self.contacts.allSatisfy(privateFile.contains), "\(privateFile)")
        return path
    }

    @Test("the key: a cell as drawn with 5 in it, and the words in ru, kk and en",
          arguments: [("ru", "Обращения жителей: ячейки 250\u{00A0}м, где 5 и более по одной теме (число)"),
                      ("kk", "Тұрғындар өтініштері: бір тақырып бойынша 5 не одан көп 250\u{00A0}м ұяшықтар (саны)"),
                      ("en", "Residents' concerns: 250\u{00A0}m cells with 5 or more of one theme (the count)")])
    func legendKey(language: String, words: String) throws {
        try withTemporaryDirectory { dir in
            let path = try dataset(in: dir)
            let result = try civic("map", "--concerns", "--dataset", path, "--language", language, "-o", dir + "/map.svg")
            #expect(result.status == 0, "\(result)")
            let root = try parseXML(readText(dir + "/map.svg"))
            let key = try #require(root.byID("legend-concerns"), "no key for the concerns layer")
            let layer = try #require(root.byID("concerns"), "no concerns drawn")
            // The swatch is the layer's own fill.
            #expect(key.descendants("rect").first?["fill"] == layer["fill"])
            let texts = key.descendants("text").map(\.fullText)
            #expect(texts.first == "5", "\(texts)")
            // The words may wrap over lines; together they are the whole label.
            #expect(texts.dropFirst().joined(separator: " ") == words, "\(texts)")
        }
    }

    @Test("without --concerns there is no key; a map with concerns holds no private value in SVG or HTML")
    func nothingPrivate() throws {
        try withTemporaryDirectory { dir in
            let path = try dataset(in: dir)
            let plain = try civic("map", "--dataset", path, "-o", dir + "/plain.svg")
            #expect(plain.status == 0, "\(plain)")
            #expect(!readText(dir + "/plain.svg").contains("legend-concerns"))
            for file in ["map.svg", "map.html", "map-en.html"] {
                var arguments = ["map", "--concerns", "--dataset", path, "-o", dir + "/" + file]
                if file == "map-en.html" { arguments += ["--language", "en"] }
                let result = try civic(arguments: arguments)
                #expect(result.status == 0, "\(result)")
                let bytes = try #require(FileManager.default.contents(atPath: dir + "/" + file))
                let text = String(decoding: bytes, as: UTF8.self)
                #expect(text.contains("legend-concerns") && text.contains("id=\"concern-counts\""), "\(file): no concerns layer")
                for secret in SquareRegister.secrets + Self.contacts {
                    #expect(!text.contains(secret), "\(file) shows the private value «\(secret)»")
                    // Also as the bytes of an escaped form a writer might choose.
                    let escaped = secret.unicodeScalars.map { $0.isASCII ? String($0) : String(format: "\\u%04x", $0.value) }.joined()
                    #expect(!text.contains(escaped) || escaped == secret, "\(file) shows «\(secret)» escaped")
                }
                #expect(result.stderr.contains("concerns: 1 cell of 250 m with 5 or more of one theme drawn"), "\(result.stderr)")
            }
        }
    }
}
