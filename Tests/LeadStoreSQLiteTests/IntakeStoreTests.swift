import Foundation
import LeadCore
import LeadStoreSQLite
import LeadTestSupport
import Testing

func item(_ key: String, email: String? = "wang@example.cn", phone: String? = "+8613800138000",
          channel: LeadOrigin.Channel = .webhook) -> IntakeItem {
    var d = draft(key)
    d.origin.channel = channel
    d.email = email
    d.phone = phone
    return IntakeItem(draft: d, raw: RawCapture(headers: "content-type: application/json", body: Array("{\"k\":\"\(key)\"}".utf8)),
                      warnings: ["w"])
}

@Suite struct IntakeStoreTests {
    @Test func aBatchCommitsTogetherAndKeepsTheRawCapture() async throws {
        try await withStore { store, _ in
            let outcomes = try await store.recordIntakes([item("a", email: "a@x.cn", phone: nil), item("b", email: "b@x.cn", phone: nil)],
                                                         duplicates: DuplicatePolicy(), at: t0)
            #expect(outcomes == [.created(LeadID(1)), .created(LeadID(2))])
            let raw = try #require(try await store.rawCapture(of: LeadID(2)))
            #expect(String(decoding: raw.body, as: UTF8.self) == "{\"k\":\"b\"}")
            #expect(raw.headers == "content-type: application/json")
            #expect(try await store.intakeState(item("a").draft.origin) == .lead(LeadID(1)))
        }
    }

    @Test func theSameOriginTwiceIsARedeliveryNotANewLead() async throws {
        try await withStore { store, _ in
            _ = try await store.recordIntakes([item("evt-1")], duplicates: DuplicatePolicy(match: .off), at: t0)
            let again = try await store.recordIntakes([item("evt-1")], duplicates: DuplicatePolicy(match: .off), at: t0 + 9)
            #expect(again == [.redelivered(LeadID(1))])
            #expect(try await store.summary().leadsTotal == 1)
        }
    }

    /// The first lead is wang@example.cn, +8613800138000. A match on one contact field is the same
    /// person only when the other field does not contradict the open lead's (issue 13: a form
    /// service's one address must never merge two people; a shared landline neither).
    @Test(arguments: [
        (DuplicatePolicy.Match.either, nil, "+8613800138000", true),
        (.either, "wang@example.cn", nil, true),
        (.either, "WANG@example.cn", "+8613800138000", true),
        (.either, "other@x.cn", "+8613800138000", false),              // same phone, another e-mail
        (.either, "wang@example.cn", "+8613911112222", false),         // same e-mail, another phone
        (.email, "other@x.cn", "+8613800138000", false),
        (.phone, nil, "+8613800138000", true),
        (.phone, "other@x.cn", "+8613800138000", false),
        (.off, "wang@example.cn", "+8613800138000", false),
    ] as [(DuplicatePolicy.Match, String?, String?, Bool)])
    func theSamePersonWithinTheWindowIsAReinquiry(match: DuplicatePolicy.Match, email: String?, phone: String?, reinquiry: Bool) async throws {
        try await withStore { store, _ in
            let policy = DuplicatePolicy(match: match, windowSeconds: 86_400)
            _ = try await store.recordIntakes([item("first")], duplicates: policy, at: t0)
            let second = try await store.recordIntakes([item("second", email: email, phone: phone)], duplicates: policy, at: t0 + 3_600)
            #expect(second == [reinquiry ? .reinquiry(LeadID(1)) : .created(LeadID(2))])
            #expect(try await store.summary().leadsTotal == (reinquiry ? 1 : 2))
        }
    }

    @Test func outsideTheWindowItIsANewLead() async throws {
        try await withStore { store, _ in
            let policy = DuplicatePolicy(match: .either, windowSeconds: 86_400)
            _ = try await store.recordIntakes([item("first")], duplicates: policy, at: t0)
            let later = try await store.recordIntakes([item("second")], duplicates: policy, at: t0 + 86_401)
            #expect(later == [.created(LeadID(2))])
        }
    }

    @Test func quarantineIsKeptOncePerOriginAndCanBeMarkedRetried() async throws {
        try await withStore { store, _ in
            let q = QuarantineItem(origin: LeadOrigin(channel: .maildrop, name: "inbox", key: "1.M2.host"),
                                   reason: "no usable lead", raw: RawCapture(body: [0xFF, 0x00]), receivedAt: t0)
            let id = try await store.recordQuarantine(q, at: t0)
            #expect(try await store.recordQuarantine(q, at: t0 + 1) == id)
            #expect(try await store.intakeState(q.origin) == .quarantined(id))
            let (entry, raw) = try #require(try await store.quarantineRaw(id))
            #expect(entry.reason == "no usable lead")
            #expect(raw.body == [0xFF, 0x00])
            try await store.markQuarantineRetried(id, at: t0 + 2)
            #expect(try await store.quarantined(limit: 10).map(\.state) == [.retried])
        }
    }
}

@Suite struct OwnerMatchingTests {
    @Test func aReturningCompanyGoesToItsEarlierOwnerUnlessFreeMailOnly() async throws {
        try await withStore { store, _ in
            let reps = [zhang, li]
            let team = Team(id: TeamID("t"), name: "t", members: [zhang.id, li.id], supervisor: .rep(li.id))
            try await store.syncDirectory(reps: reps, teams: [team], configGeneration: 1, at: t0)
            let engine = RoutingEngine(
                table: RoutingTable(rules: [RoutingRule(name: "all", criteria: [], target: .team(team.id), ownerMatching: true)],
                                    defaultTarget: .team(team.id)),
                reps: reps, teams: [team])
            func lead(_ key: String, email: String, company: String?) -> IntakeItem {
                var d = draft(key)
                d.email = email
                d.phone = nil
                d.company = company
                return IntakeItem(draft: d, raw: RawCapture(body: []))
            }
            let policy = DuplicatePolicy(match: .off)
            let first = try await store.commitIntakes([lead("1", email: "a@corp-a.cn", company: "上海某某科技有限公司")], duplicates: policy, routing: engine, at: t0)
            #expect(first[0].decision?.rep == zhang.id)
            // Same company written differently, a free-mail address: back to its owner, not the rotation.
            let again = try await store.commitIntakes([lead("2", email: "boss@qq.com", company: "上海某某科技")], duplicates: policy, routing: engine, at: t0)
            #expect(again[0].decision?.rep == zhang.id)
            #expect(again[0].decision?.considered.first?.reason == "owner of this customer's earlier lead")
            // Another free-mail lead without a company: the rotation.
            let other = try await store.commitIntakes([lead("3", email: "x@qq.com", company: nil)], duplicates: policy, routing: engine, at: t0)
            #expect(other[0].decision?.rep == li.id)
            // Same company domain (not free mail): its owner.
            let domain = try await store.commitIntakes([lead("4", email: "b@corp-a.cn", company: nil)], duplicates: policy, routing: engine, at: t0)
            #expect(domain[0].decision?.rep == zhang.id)
        }
    }
}

/// Issue 13: an address seen sending two labelled forms is a form service's: an unlabelled mail
/// from it does not give it as a lead's e-mail, so it can merge nobody.
@Suite struct FormSenderTests {
    @Test func aKnownFormSendersAddressIsNeverALeadsEmail() async throws {
        try await withStore { store, _ in
            func form(_ key: String, phone: String) -> IntakeItem {
                var d = draft(key)
                d.email = nil
                d.phone = phone
                d.formSender = "notify@forms.example"
                return IntakeItem(draft: d, raw: RawCapture(body: []))
            }
            func unlabelled(_ key: String) -> IntakeItem {
                var d = draft(key)
                d.email = "notify@forms.example"
                d.phone = nil
                d.emailFromHeader = true
                return IntakeItem(draft: d, raw: RawCapture(body: []))
            }
            let policy = DuplicatePolicy()
            // One form seen: not yet known as a form service; the unlabelled mail is its sender's lead.
            _ = try await store.recordIntakes([form("f1", phone: "+8613800000001")], duplicates: policy, at: t0)
            _ = try await store.recordIntakes([unlabelled("u1")], duplicates: policy, at: t0 + 1)
            #expect(try await store.lead(LeadID(2))?.draft.email == "notify@forms.example")
            // A second form: now it is a form service's address.
            _ = try await store.recordIntakes([form("f2", phone: "+8613800000002")], duplicates: policy, at: t0 + 2)
            let outcomes = try await store.recordIntakes([unlabelled("u2"), unlabelled("u3")], duplicates: policy, at: t0 + 3)
            #expect(outcomes == [.created(LeadID(4)), .created(LeadID(5))], "never merged through the service's address")
            let lead = try #require(try await store.lead(LeadID(4)))
            #expect(lead.draft.email == nil)
            #expect(lead.draft.customFields["form_sender"] == "notify@forms.example")
            #expect(try await store.inputs(of: LeadID(4)).first?.warnings.contains { $0.contains("form service") } == true)
        }
    }
}
