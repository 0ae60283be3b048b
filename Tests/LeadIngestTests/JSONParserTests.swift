import LeadIngest
import Testing

@Suite struct JSONParserTests {
    func parse(_ text: String) throws(JSONParser.ParseError) -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

    @Test func integersAbove2To53SurviveExactly() throws {
        let value = try parse(#"{"leadgen_id":55459717045641545,"noise":3317070384547923033,"big":12345678901234567890}"#)
        #expect(value["leadgen_id"]?.text == "55459717045641545")
        #expect(value["noise"]?.text == "3317070384547923033")
        #expect(value["big"]?.text == "12345678901234567890")
    }

    @Test func pathsReachNestedValues() throws {
        let value = try parse(#"{"contact":{"name":"张伟","phones":["1","2"]},"list":[{"a":1}]}"#)
        #expect(value.value(at: "$.contact.name")?.text == "张伟")
        #expect(value.value(at: "contact.phones[1]")?.text == "2")
        #expect(value.value(at: "list[0].a")?.text == "1")
        #expect(value.value(at: "list[5].a") == nil)
    }

    @Test func escapesAndSurrogatePairs() throws {
        #expect(try parse(#""james.oak\u0040example.org""#) == .string("james.oak@example.org"))
        #expect(try parse(#""\ud83d\ude00 \u4e2d""#) == .string("😀 中"))
    }

    @Test(arguments: [
        ("{\"a\":1,}", 7), ("[1 2]", 3), ("{\"a\" 1}", 5), ("\"\\u0000\"", 7), ("\"\\ud800\"", 7),
        ("01", 1), ("{} x", 3), ("", 0), ("\"abc", 4),
    ])
    func rejectsInvalidJSONSayingWhere(text: String, offset: Int) {
        #expect(throws: JSONParser.ParseError.self) { try parse(text) }
        do { _ = try parse(text) } catch { #expect(error.offset == offset, "\(error)") }
    }

    @Test func deepNestingIsRefusedNotRecursedInto() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONParser.ParseError(offset: 65, reason: "nested deeper than 64")) { try parse(deep) }
    }

    @Test func invalidUTF8InAStringIsRefused() {
        #expect(throws: JSONParser.ParseError.self) { try JSONParser.parse([0x22, 0xFF, 0xFE, 0x22]) }
    }
}
