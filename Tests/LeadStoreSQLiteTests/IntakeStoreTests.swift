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

    @Test(arguments: [
        (DuplicatePolicy.Match.either, "other@x.cn", "+8613800138000", true),
        (.either, "wang@example.cn", "+8613911112222", true),
        (.email, "other@x.cn", "+8613800138000", false),
        (.phone, "other@x.cn", "+8613800138000", true),
        (.off, "wang@example.cn", "+8613800138000", false),
    ])
    func theSamePersonWithinTheWindowIsAReinquiry(match: DuplicatePolicy.Match, email: String, phone: String, reinquiry: Bool) async throws {
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
