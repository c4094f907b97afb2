import Engine
import Testing

@Suite struct JSONValueTests {
    @Test func objectsKeepTheirKeyOrder() throws {
        let value = JSONValue.object([("z", .integer(1)), ("a", .null), ("m", .bool(true))])
        #expect(value.compactText == #"{"z":1,"a":null,"m":true}"#)
        let back = try JSONParser.parse(value.compactText)
        #expect(back.objectMembers?.map(\.0) == ["z", "a", "m"])
        #expect(back == value)
    }

    @Test func stringsAreEscapedAndReadBack() throws {
        let text = "quote \" backslash \\ tab \t newline \n bell \u{7} é 😀 \u{2028}"
        let encoded = JSONValue.string(text).compactText
        #expect(!encoded.contains("\n"))
        #expect(encoded.contains(#"\u0007"#))
        #expect(try JSONParser.parse(encoded) == .string(text))
        #expect(try JSONParser.parse(#""\ud83d\ude00""#) == .string("😀"))
    }

    @Test func prettyTextParsesToTheSameValue() throws {
        let value = JSONValue.object([
            ("list", .array([.integer(-3), .number(1.5), .string("x"), .array([]), .object([])]))
        ])
        #expect(try JSONParser.parse(value.prettyText) == value)
        #expect(value.prettyText.contains("\n  \"list\": ["))
    }

    @Test func largeValuesBecomeHexStrings() {
        #expect(JSONValue.unsigned(5) == .integer(5))
        #expect(JSONValue.unsigned(.max) == .string("0xffffffffffffffff"))
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "tru", "\"open", "1 2", "{\"a\":01x}"])
    func malformedTextIsRefused(text: String) {
        #expect(throws: JSONParser.ParseError.self) { try JSONParser.parse(text) }
    }

    @Test func deepNestingIsRefusedNotRecursedInto() {
        let text = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParser.ParseError.self) { try JSONParser.parse(text) }
    }
}
