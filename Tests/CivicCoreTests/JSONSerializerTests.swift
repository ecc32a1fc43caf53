import CivicTestSupport
import CivicCore
import Testing

@Suite("JSON serializer: stable order, text as is")
struct JSONSerializerTests {
    static let value = JSONValue.object(JSONObject([
        ("name", .string("Өскемен")),
        ("list", .array([.number(1), .bool(true), .null, .string("a/b")])),
        ("empty", .object(JSONObject())),
        ("none", .array([])),
        ("nested", .object(JSONObject([("z", .number("9007199254740993")), ("a", .number(0.5))]))),
    ]))

    @Test func compactHasNoSpaces() {
        #expect(JSON.serialize(Self.value, pretty: false)
            == #"{"name":"Өскемен","list":[1,true,null,"a/b"],"empty":{},"none":[],"nested":{"z":9007199254740993,"a":0.5}}"#)
    }

    @Test func prettyIndentsByTwoSpaces() {
        let expected = """
            {
              "name": "Өскемен",
              "list": [
                1,
                true,
                null,
                "a/b"
              ],
              "empty": {},
              "none": [],
              "nested": {
                "z": 9007199254740993,
                "a": 0.5
              }
            }
            """
        #expect(JSON.serialize(Self.value, pretty: true) == expected)
    }

    @Test func onlyQuotesBackslashesAndControlCharactersAreEscaped() {
        let text = JSON.serialize(.string("«ҚҰҒҢӘІҮҺ» \"q\" \\ / \n\r\t\u{8}\u{C}\u{1}\u{1F} 😀"), pretty: false)
        #expect(text == #""«ҚҰҒҢӘІҮҺ» \"q\" \\ / \n\r\t\b\f\u0001\u001f 😀""#)
    }

    @Test func numbersThatAreNotJSONBecomeNull() {
        #expect(JSON.serialize(.array([.number(Double.nan), .number(Double.infinity), .number("1e400"), .number("0x1F")]), pretty: false)
            == "[null,null,1e400,null]")
    }

    @Test func parseAndSerializeRoundTrip() throws {
        for pretty in [false, true] {
            let text = JSON.serialize(Self.value, pretty: pretty)
            let back = try JSON.parse(text, file: "t.json")
            #expect(back == Self.value)
            #expect(JSON.serialize(back, pretty: pretty) == text)
        }
    }
}
