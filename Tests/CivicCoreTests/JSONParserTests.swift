import CivicTestSupport
import CivicCore
import Testing

@Suite("JSON parser: strict RFC 8259, errors with line and column")
struct JSONParserTests {
    @Test func keepsMemberOrderNumberLiteralsAndEscapes() throws {
        let text = #"{"b": 1, "a": [1e400, 9007199254740993, -0.0, 1E+2], "c": "\"\\\/\b\f\n\r\t\u00e9\u0416\ud83d\ude00", "d": {"x": null, "y": true, "z": false}}"#
        let value = try JSON.parse(text, file: "t.json")
        let object = try #require(value.objectValue, "the root is an object")
        #expect(object.keys == ["b", "a", "c", "d"])
        #expect(object["a"] == .array([.number("1e400"), .number("9007199254740993"), .number("-0.0"), .number("1E+2")]))
        #expect(object["c"] == .string("\"\\/\u{8}\u{C}\n\r\té\u{416}😀"))
        #expect(object["d"] == .object(JSONObject([("x", .null), ("y", .bool(true)), ("z", .bool(false))])))
        // A number literal beyond Double's precision is kept as written.
        #expect(object["a"]?.arrayValue?[1].intValue == 9_007_199_254_740_993)
        #expect(object["a"]?.arrayValue?[0].doubleValue?.isFinite == false, "callers must check 1e400 themselves")
    }

    @Test func emptyFile() {
        expectError(parseFailure(""), .syntax("t.json", line: 1, column: 1), reason: "the file is empty")
        expectError(parseFailure("\n\n  "), .syntax("t.json", line: 3, column: 3), reason: "the file is empty")
    }

    @Test func truncatedFile() {
        expectError(parseFailure(#"{"a": [1, 2"#), .syntax("t.json", line: 1, column: 12),
                    reason: "unexpected end of file; expected ',' or ']'", hint: "truncated")
        expectError(parseFailure("{\n  \"a\": \"abc"), .syntax("t.json", line: 2, column: 8),
                    reason: "a string is not closed", hint: "truncated")
        expectError(parseFailure(#"{"a""#), .syntax("t.json", line: 1, column: 5),
                    reason: "unexpected end of file; expected ':'")
    }

    @Test func xmlIsNotJSON() {
        expectError(parseFailure("<?xml version=\"1.0\"?>\n<kml/>"), .syntax("t.json", line: 1, column: 1),
                    reason: "expected a value, found '<'", hint: "XML")
    }

    @Test func utf8ByteOrderMarkIsAcceptedAndNotCounted() throws {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let value = try JSON.parse(bom + Array(#"{"name": "Өскемен"}"#.utf8), file: "t.json")
        #expect(value.objectValue?["name"] == .string("Өскемен"))
        expectError(parseFailure(bom + Array(#"{"a":x}"#.utf8)), .syntax("t.json", line: 1, column: 6),
                    reason: "expected a value, found 'x'")
    }

    @Test func utf16IsRefusedWithAHint() {
        expectError(parseFailure([0xFF, 0xFE, 0x7B, 0x00, 0x7D, 0x00]), .syntax("t.json", line: 1, column: 1),
                    reason: "UTF-16", hint: "iconv")
    }

    @Test func deepNestingIsRefusedQuickly() {
        let brackets = [UInt8](repeating: UInt8(ascii: "["), count: 100_000)
        var failure: CivicError?
        let time = seconds { failure = parseFailure(brackets) }
        expectError(failure, .syntax("t.json", line: 1, column: 65), reason: "nesting deeper than 64 levels")
        #expect(time < 1, "took \(time) s")

        let objects = Array(String(repeating: #"{"a":"#, count: 100_000).utf8)
        expectError(parseFailure(objects), .syntax("t.json", line: 1, column: 64 * 5 + 1),
                    reason: "nesting deeper than 64 levels")
        // 64 levels are fine.
        let deepest = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(parseFailure(deepest) == nil)
    }

    @Test func invalidUTF8IsNamedWithLineAndColumn() {
        var bytes = Array("{\n  \"name\": \"ab".utf8)
        bytes += [0xFF] + Array("c\"\n}".utf8)
        expectError(parseFailure(bytes), .syntax("t.json", line: 2, column: 14), reason: "invalid UTF-8 (byte 0xFF)",
                    hint: "CP1251")
        // Columns count characters: two Cyrillic letters are two columns.
        expectError(parseFailure(Array("[\"жж".utf8) + [0xC0, 0xAF, 0x22, 0x5D]), .syntax("t.json", line: 1, column: 5),
                    reason: "invalid UTF-8 (byte 0xC0)")
        // A UTF-8-encoded surrogate and a byte outside any string.
        expectError(parseFailure([0x5B, 0x22, 0xED, 0xA0, 0x80, 0x22, 0x5D]), .syntax("t.json", line: 1, column: 3),
                    reason: "invalid UTF-8 (byte 0xED)")
        expectError(parseFailure([0x5B, 0x31, 0x2C, 0xFE, 0x5D]), .syntax("t.json", line: 1, column: 4),
                    reason: "invalid UTF-8 (byte 0xFE)")
    }

    @Test func loneSurrogatesAreRefused() {
        expectError(parseFailure(#"["\uD800"]"#), .syntax("t.json", line: 1, column: 3), reason: "lone surrogate \\uD800")
        expectError(parseFailure(#"["ab\uDC00"]"#), .syntax("t.json", line: 1, column: 5), reason: "lone surrogate \\uDC00")
        expectError(parseFailure(#"["\uD800\u0041"]"#), .syntax("t.json", line: 1, column: 3), reason: "lone surrogate")
        expectError(parseFailure(#"["\u12G4"]"#), .syntax("t.json", line: 1, column: 3), reason: "4 hexadecimal digits")
        expectError(parseFailure(#"["\x"]"#), .syntax("t.json", line: 1, column: 3), reason: "invalid escape \\x")
    }

    @Test func controlCharactersInStringsAreRefused() {
        expectError(parseFailure("[\"a\tb\"]"), .syntax("t.json", line: 1, column: 4),
                    reason: "control character U+0009 inside a string", hint: "\\u0009")
        expectError(parseFailure("[\"a\nb\"]"), .syntax("t.json", line: 1, column: 4),
                    reason: "control character U+000A inside a string", hint: "cannot span lines")
    }

    @Test(arguments: [
        ("[01]", 2, "leading zero"), ("[-01]", 3, "leading zero"), ("[1.]", 4, "a digit after the decimal point"),
        ("[.5]", 2, "found '.'"), ("[1e]", 4, "a digit in the exponent"), ("[1.5e+]", 7, "a digit in the exponent"),
        ("[+1]", 2, "found '+'"), ("[-]", 3, "a digit after '-'"), ("[NaN]", 2, "found 'N'"),
        ("[Infinity]", 2, "found 'I'"), ("[tru]", 2, "expected a value"), ("[1 2]", 4, "expected ',' or ']'"),
    ])
    func malformedNumbersAndLiterals(text: String, column: Int, reason: String) {
        expectError(parseFailure(text), .syntax("t.json", line: 1, column: column), reason: reason)
    }

    @Test func validNumbersParse() throws {
        let value = try JSON.parse("[0, -0, 0.5, -1.25e-3, 10, 1e400]", file: "t.json")
        #expect(value == .array(["0", "-0", "0.5", "-1.25e-3", "10", "1e400"].map(JSONValue.number)))
    }

    @Test func nanHasAHint() {
        expectError(parseFailure("[NaN]"), .syntax("t.json", line: 1, column: 2), reason: "found 'N'", hint: "no NaN")
    }

    @Test func trailingGarbageAndCommas() {
        expectError(parseFailure("{} x"), .syntax("t.json", line: 1, column: 4),
                    reason: "unexpected 'x' after the end of the JSON value")
        expectError(parseFailure("[1]\n[2]"), .syntax("t.json", line: 2, column: 1), reason: "after the end of the JSON value")
        expectError(parseFailure("[1,]"), .syntax("t.json", line: 1, column: 4), reason: "expected a value, found ']'",
                    hint: "no comma before a closing")
        expectError(parseFailure(#"{"a":1,}"#), .syntax("t.json", line: 1, column: 8),
                    reason: "expected a member name in double quotes, found '}'", hint: "no comma before a closing")
        expectError(parseFailure("{'a':1}"), .syntax("t.json", line: 1, column: 2), reason: "found '''",
                    hint: "double quotes")
    }

    @Test func duplicateKeysAreRefused() {
        expectError(parseFailure(#"{"a":1,"a":2}"#), .syntax("t.json", line: 1, column: 8), reason: "duplicate member \"a\"")
        // Also in a large object, where lookups go through an index.
        let members = (0..<100).map { "\"k\($0)\":\($0)" } + ["\"k50\":0"]
        let text = "{" + members.joined(separator: ",") + "}"
        expectError(parseFailure(text), .syntax("t.json", line: 1, column: text.count - 7), reason: "duplicate member \"k50\"")
    }

    @Test("keys are told apart by their bytes: a composed and a decomposed é are two keys, in small and large objects")
    func keysCompareByTheirBytes() throws {
        let composed = "caf\u{E9}", decomposed = "cafe\u{301}"
        #expect(composed == decomposed, "Swift's String == is canonical equivalence; the reader must not rely on it")
        let object = try #require(try JSON.parse("{\"\(composed)\":1,\"\(decomposed)\":2}", file: "t.json").objectValue)
        #expect(object.count == 2)
        #expect(object.keys.map { Array($0.utf8) } == [Array(composed.utf8), Array(decomposed.utf8)])
        #expect(object[composed] == .number("1") && object[decomposed] == .number("2"))
        // The same spelling twice is still a duplicate.
        expectError(parseFailure("{\"\(decomposed)\":1,\"\(decomposed)\":2}"), .syntax("t.json", line: 1, column: 12),
                    reason: "duplicate member")  // columns count scalars: e and U+0301 are two
        // Past 16 members lookups go through an index, which must compare bytes as well.
        let members = (0..<20).map { "\"k\($0)\":\($0)" } + ["\"\(composed)\":1", "\"\(decomposed)\":2"]
        let large = try #require(try JSON.parse("{" + members.joined(separator: ",") + "}", file: "t.json").objectValue)
        #expect(large.count == 22 && large[composed] == .number("1") && large[decomposed] == .number("2"))
        var edited = large
        edited[decomposed] = nil
        #expect(edited.count == 21 && edited[composed] == .number("1") && edited[decomposed] == nil)
        #expect(JSONObject([(composed, .null)]) != JSONObject([(decomposed, .null)]))
    }

    @Test func largeObjectsKeepOrderAndLookups() throws {
        let members = (0..<100).map { "\"k\($0)\":\($0)" }
        let object = try #require(try JSON.parse("{" + members.joined(separator: ",") + "}", file: "t.json").objectValue)
        #expect(object.count == 100)
        #expect(object.keys.first == "k0" && object.keys.last == "k99")
        #expect(object["k73"] == .number("73"))
        var copy = object
        copy["k10"] = nil
        #expect(copy["k10"] == nil && copy["k11"] == .number("11") && copy.count == 99)
        copy["k10"] = .bool(true)
        #expect(copy.keys.last == "k10", "a new key goes last")
    }

    @Test func crlfLineEndsCountOnce() {
        expectError(parseFailure("{\r\n\"a\": 1,\r\n\"b\": x\r\n}"), .syntax("t.json", line: 3, column: 6),
                    reason: "found 'x'")
    }
}
