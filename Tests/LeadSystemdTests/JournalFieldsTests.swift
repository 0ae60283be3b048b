import Foundation
import LeadSystemd
import LeadTestSupport
import Logging
import Testing

@Suite struct JournalFieldsTests {
    @Test(arguments: [
        ("lead.id", "LEAD_ID"), ("rep.id", "REP_ID"), ("rule", "RULE"), ("config.issue_count", "CONFIG_ISSUE_COUNT"),
        ("_private", "PRIVATE"), ("2fa", "F_2FA"), ("http-address", "HTTP_ADDRESS"), ("名字", "FIELD"), ("a.名", "A__"),
        ("", "FIELD"), (String(repeating: "a", count: 80), String(repeating: "A", count: 64)),
    ])
    func fieldNamesAreOnesJournaldKeeps(key: String, name: String) {
        #expect(JournalFields.fieldName(key) == name)
    }

    @Test func priorityFollowsTheLevel() {
        #expect([Logger.Level.trace, .debug, .info, .notice, .warning, .error, .critical].map(JournalFields.priority)
                == [7, 7, 6, 5, 4, 3, 2])
    }

    @Test func aKnownPhraseGetsItsMessageIDAndMetadataBecomesFields() {
        let fields = JournalFields.fields(label: "leadrouterd", level: .info, message: "configuration reloaded",
                                          metadata: ["config.generation": "2", "priority": "forged"])
        let dict = Dictionary(fields.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        #expect(dict["MESSAGE"] == "configuration reloaded")
        #expect(dict["MESSAGE_ID"] == "4add639f1fc342ea9aa25cdf4370b99d")
        #expect(dict["PRIORITY"] == "6")
        #expect(dict["SYSLOG_IDENTIFIER"] == "leadrouterd")
        #expect(dict["CONFIG_GENERATION"] == "2")
        #expect(fields.filter { $0.name == "PRIORITY" }.count == 1, "metadata cannot overwrite reserved fields")
    }

    @Test func anUnknownPhraseHasNoMessageID() {
        let fields = JournalFields.fields(label: "x", level: .info, message: "something else", metadata: [:])
        #expect(!fields.contains { $0.name == "MESSAGE_ID" })
    }

    @Test func contactDetailsAreMaskedAtInfoAndAboveButNotAtDebug() {
        let metadata: Logger.Metadata = ["file": "from wang@example.cn tel 138 0013 8000 or +86-21-6888-1234"]
        let info = JournalFields.fields(label: "x", level: .warning, message: "m", metadata: metadata)
        #expect(info.first { $0.name == "FILE" }?.value == "from <email> tel <phone> or <phone>")
        let debug = JournalFields.fields(label: "x", level: .debug, message: "m", metadata: metadata)
        #expect(debug.first { $0.name == "FILE" }?.value == "from wang@example.cn tel 138 0013 8000 or +86-21-6888-1234")
    }
}

@Suite struct LogRedactorTests {
    @Test(arguments: [
        ("lead from zhang.wei@example.com arrived", "lead from <email> arrived"),
        ("13800138000", "<phone>"),
        ("call +8613800138000 now", "call <phone> now"),
        ("call +1 415-555-0100", "call <phone>"),
        ("a@b", "a@b"),
        ("2026-11-30 10:33:02", "2026-11-30 10:33:02"),
        ("lead 42 pid 18571 at 1796000000", "lead 42 pid 18571 at 1796000000"),
        ("user@localhost", "user@localhost"),
        ("12800138000", "12800138000"),
    ])
    func masksOnlyWhatLooksLikeContactDetails(input: String, output: String) {
        #expect(LogRedactor.redact(input) == output)
    }
}

@Suite struct StderrLogHandlerTests {
    @Test func writesPriorityPrefixPhraseAndLogfmtMetadata() {
        let line = StderrLogHandler.format(level: .warning, message: "configuration reload failed",
                                           metadata: ["config.file": "/etc/a b.toml", "n": "2"])
        #expect(line == "<4>configuration reload failed config.file=\"/etc/a b.toml\" n=2")
    }
}

@Suite struct LogCatalogTests {
    @Test func theShippedCatalogFileMatchesTheCode() throws {
        let shipped = try String(contentsOf: RepositoryPaths.root.appendingPathComponent("systemd/leadrouterd.catalog"),
                                 encoding: .utf8)
        #expect(shipped == LogCatalog.catalogText(), "regenerate with: leadrouterd --print-catalog > systemd/leadrouterd.catalog")
    }

    @Test func idsAreUniqueAnd128BitHex() {
        let ids = LogCatalog.entries.map(\.id)
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.count == 32 && $0.allSatisfy(\.isHexDigit) && $0 == $0.lowercased() })
        #expect(Set(LogCatalog.entries.map(\.message)).count == ids.count)
    }
}
