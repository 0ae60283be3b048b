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
