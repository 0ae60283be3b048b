import Foundation
import LeadCore
import Testing

/// Intake as every store must keep it: an input counted once, the same person within the window
/// a re-inquiry, and a routed lead owned by one rep of the rotation.
@Suite struct IntakeConformanceTests {
    let t0 = Fixture.t0

    @Test(arguments: StoreFactories.all)
    func theSameOriginTwiceIsOneLead(_ factory: any StoreFactory) async throws {
        try await withStore(factory) { store in
            let once = try await store.recordIntakes([Fixture.item("evt-1")], duplicates: DuplicatePolicy(match: .off), at: t0)
            guard case .created(let lead) = try #require(once.first) else { Issue.record("\(once)"); return }
            let twice = try await store.recordIntakes([Fixture.item("evt-1"), Fixture.item("evt-1")],
                                                      duplicates: DuplicatePolicy(match: .off), at: t0.addingTimeInterval(5))
            #expect(twice == [.redelivered(lead), .redelivered(lead)])
            #expect(try await store.summary().leadsTotal == 1)
            #expect(try await store.intakeState(Fixture.draft("evt-1").origin) != nil)
            #expect(try await store.rawCapture(of: lead)?.body == Array(#"{"k":"evt-1"}"#.utf8))
        }
    }

    @Test(arguments: StoreFactories.all)
    func theSamePersonWithinTheWindowIsAReinquiry(_ factory: any StoreFactory) async throws {
        try await withStore(factory) { store in
            let policy = DuplicatePolicy(match: .either, windowSeconds: 7 * 86_400)
            let first = try await store.recordIntakes([Fixture.item("a", email: "same@example.cn")], duplicates: policy, at: t0)
            guard case .created(let lead) = try #require(first.first) else { Issue.record("\(first)"); return }
            let again = try await store.recordIntakes([Fixture.item("b", email: "same@example.cn")], duplicates: policy, at: t0.addingTimeInterval(3_600))
            #expect(again == [.reinquiry(lead)])
            let other = try await store.recordIntakes([Fixture.item("c", email: "other@example.cn")], duplicates: policy, at: t0.addingTimeInterval(3_600))
            guard case .created(let second) = try #require(other.first) else { Issue.record("\(other)"); return }
            #expect(second != lead)
            #expect(try await store.summary().leadsTotal == 2)
        }
    }

    @Test(arguments: StoreFactories.all)
    func aQuarantinedInputIsKeptOnceWithItsReasonAndRawBytes(_ factory: any StoreFactory) async throws {
        try await withStore(factory) { store in
            let origin = LeadOrigin(channel: .webhook, name: "site-form", key: "bad-1")
            let raw = RawCapture(headers: "Content-Type: application/json", body: Array("{not json".utf8))
            let item = QuarantineItem(origin: origin, reason: "body is not JSON", raw: raw, receivedAt: t0)
            let id = try await store.recordQuarantine(item, at: t0)
            #expect(try await store.recordQuarantine(item, at: t0 + 60) == id, "the same origin twice keeps the first entry")
            #expect(try await store.intakeState(origin) == .quarantined(id))
            let entries = try await store.quarantined(limit: 10)
            #expect(entries.map(\.reason) == ["body is not JSON"] && entries.first?.state == .held)
            #expect(try await store.quarantineRaw(id)?.1 == raw)
            try await store.markQuarantineRetried(id, at: t0 + 120)
            #expect(try await store.quarantined(limit: 10).first?.state == .retried)
            #expect(try await store.summary().leadsTotal == 0)
        }
    }

    @Test(arguments: StoreFactories.all)
    func capturesArePurgedButTheLeadStays(_ factory: any StoreFactory) async throws {
        try await withStore(factory) { store in
            let old = try await store.recordIntakes([Fixture.item("old")], duplicates: DuplicatePolicy(match: .off), at: t0)
            let recent = try await store.recordIntakes([Fixture.item("new", email: "new@example.cn")],
                                                       duplicates: DuplicatePolicy(match: .off), at: t0)
            guard case .created(let first) = try #require(old.first), case .created(let second) = try #require(recent.first) else {
                Issue.record("\(old) \(recent)"); return
            }
            // Both drafts were received at t0; purging before t0 + 1 empties both, once.
            #expect(try await store.purgeCaptures(receivedBefore: t0 + 1) == 2)
            #expect(try await store.purgeCaptures(receivedBefore: t0 + 1) == 0)
            #expect(try await store.rawCapture(of: first)?.body.isEmpty == true)
            #expect(try await store.lead(second)?.draft.email == "new@example.cn")
        }
    }

    @Test(arguments: StoreFactories.all)
    func roundRobinTakesTurnsAcrossCommits(_ factory: any StoreFactory) async throws {
        try await withStore(factory) { store in
            let commits = try await Fixture.routedLeads(4, in: store)
            var owners: [RepID] = []
            for commit in commits {
                guard case .created(let lead) = commit.outcome else { Issue.record("\(commit)"); return }
                owners.append(try #require(try await store.lead(lead)?.owner))
            }
            #expect(Set(owners) == [Fixture.zhang.id, Fixture.li.id])
            #expect(owners[0] != owners[1] && owners[1] != owners[2] && owners[2] != owners[3], "\(owners)")
            #expect(try await store.outboxMessages(state: .pending, limit: 10).filter { $0.kind == "lead.assigned" }.count == 4)
        }
    }
}
