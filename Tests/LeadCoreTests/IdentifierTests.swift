import LeadCore
import Testing

@Suite struct EmailAddressTests {
    @Test(arguments: [
        ("zhang.wei@example.com", "zhang.wei@example.com"),
        ("  Li.Na@Example.COM ", "Li.Na@example.com"),
        ("sales+cn@mail.example.com.cn", "sales+cn@mail.example.com.cn"),
    ])
    func acceptsAndCanonicalises(input: String, canonical: String) {
        #expect(EmailAddress(rawValue: input)?.rawValue == canonical)
    }

    @Test(arguments: ["", "no-at-sign", "@example.com", "a@", "a@localhost", "a..b@example.com",
                      "a@-example.com", "张伟@example.com", "a b@example.com", "a@exa_mple.com"])
    func rejectsWhatRelaysWouldRefuse(input: String) {
        #expect(EmailAddress(rawValue: input) == nil)
    }
}

@Suite struct LeadIDTests {
    @Test func parsesNumbersWithOrWithoutPrefix() {
        #expect(LeadID(parsing: "42") == LeadID(42))
        #expect(LeadID(parsing: "L42") == LeadID(42))
        #expect(LeadID(parsing: " 7 ") == LeadID(7))
    }

    @Test(arguments: ["", "0", "-3", "abc", "L", "4 2"])
    func rejectsNonIDs(text: String) {
        #expect(LeadID(parsing: text) == nil)
    }
}

@Suite struct IdentifierRulesTests {
    @Test(arguments: ["zhang.wei", "east-china", "team_1", "A1"])
    func acceptsSafeIdentifiers(id: String) { #expect(TeamID.isValidIdentifier(id)) }

    @Test(arguments: ["", ".hidden", "-x", "华东", "a b", "a/b", String(repeating: "a", count: 65)])
    func rejectsUnsafeIdentifiers(id: String) { #expect(!TeamID.isValidIdentifier(id)) }
}

@Suite struct StoreSummaryTests {
    @Test func statusLineCountsWhatOperatorsWatch() {
        let summary = StoreSummary(leadsTotal: 9, leadsOpen: 7, leadsUnassigned: 2, deadlinesPending: 4, outboxPending: 1)
        #expect(summary.statusLine == "7 open leads, 2 unassigned, 4 due timers, outbox 1")
    }
}
