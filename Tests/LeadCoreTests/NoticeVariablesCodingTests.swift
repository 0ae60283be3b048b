import Foundation
import LeadCore
import Testing

/// The outbox keeps a notice's template variables as JSON written by hand; it must read back
/// exactly, and as Foundation's decoder reads `TemplateValue`.
@Suite struct NoticeVariablesCodingTests {
    static let variables: [String: TemplateValue] = [
        "lead_name": .text("王先生 \"VIP\" \\ 路径/分号;"),
        "lead_message": .text("第一行\n第二行\t制表\u{01}控制 emoji 🚀"),
        "warning": .flag(true),
        "late": .flag(false),
        "empty": .text(""),
        "items": .list([
            ["lead_id": .text("42"), "subject": .text("跟进 follow-up")],
            ["lead_id": .text("43"), "nested": .list([["x": .flag(true)]])],
        ]),
        "none": .list([]),
    ]

    @Test func encodedVariablesReadBackExactly() throws {
        let text = NoticeVariables.encode(Self.variables)
        #expect(NoticeVariables.decode(text) == Self.variables)
        let decoded = try JSONDecoder().decode([String: TemplateValue].self, from: Data(text.utf8))
        #expect(decoded == Self.variables, "Foundation's decoder reads the hand-written form")
    }

    @Test func theFormIsTheCodableOneWithSortedKeys() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let foundation = String(decoding: try encoder.encode(Self.variables), as: UTF8.self)
        let ours = NoticeVariables.encode(Self.variables)
        // Same structure; Foundation writes control characters and non-ASCII alike, so compare parsed.
        let a = try JSONSerialization.jsonObject(with: Data(foundation.utf8)) as? NSDictionary
        let b = try JSONSerialization.jsonObject(with: Data(ours.utf8)) as? NSDictionary
        #expect(a == b)
        #expect(ours.hasPrefix(#"{"empty":{"text":{"_0":""}},"items":{"list":{"_0":["#))
        #expect(NoticeVariables.encode([:]) == "{}")
    }
}
