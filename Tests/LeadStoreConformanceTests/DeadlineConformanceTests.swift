import Foundation
import LeadCore
import Testing

/// SLA deadlines as every store must keep them: armed with the assignment, each level decided once
/// (a second pass, or a pass after a crash, decides nothing again), and met by a contact in time.
@Suite struct DeadlineConformanceTests {
    let t0 = Fixture.t0

    /// `east` under a one-hour wall-clock first-contact policy: a warning at -10 min, the breach,
    /// and a supervisor escalation at +30 min.
    var engine: RoutingEngine {
        let policy = SLAPolicy(name: "hour", criteria: [], clock: .wall, calendar: "", firstContactSeconds: 3_600,
                               ladders: [.firstContact: [
                                   EscalationLevel(level: 1, offsetSeconds: -600, actions: [.remindOwner]),
                                   EscalationLevel(level: 2, offsetSeconds: 1_800, actions: [.notifySupervisor]),
                               ]])
        var engine = Fixture.engine
        engine.sla = SLAPlan(policies: [policy], calendars: [])
        return engine
    }

    func routed(_ count: Int, in store: any ConformingStore) async throws -> [LeadID] {
        try await store.syncDirectory(reps: Array(engine.reps.values), teams: Array(engine.teams.values), configGeneration: 1, at: t0)
        let items = (0..<count).map { Fixture.item("sla-\($0)", email: "sla\($0)@example.cn") }
        return try await store.commitIntakes(items, duplicates: DuplicatePolicy(match: .off), routing: engine, at: t0).compactMap {
            if case .created(let lead) = $0.outcome { lead } else { nil }
        }
    }

    @Test(arguments: StoreFactories.all)
    func eachLevelIsDecidedOnceInOrder(_ factory: any StoreFactory) async throws {
        try await withStore(factory) { store in
            let leads = try await routed(2, in: store)
            #expect(leads.count == 2)
            #expect(try await store.nextDeadline() == t0.addingTimeInterval(3_000), "the warning comes first")
            #expect(try await store.decideDue(at: t0.addingTimeInterval(2_999), engine: engine, limit: 100, digestThreshold: 10).isEmpty)
            let warnings = try await store.decideDue(at: t0.addingTimeInterval(3_000), engine: engine, limit: 100, digestThreshold: 10)
            #expect(warnings.map(\.kind) == [.warning, .warning])
            #expect(try await store.decideDue(at: t0.addingTimeInterval(3_000), engine: engine, limit: 100, digestThreshold: 10).isEmpty,
                    "never twice")
            // Much later (downtime): the breach and the escalation of both, once each, in due order.
            let late = try await store.decideDue(at: t0.addingTimeInterval(86_400), engine: engine, limit: 100, digestThreshold: 10)
            #expect(late.map(\.kind) == [.breach, .breach, .escalation, .escalation])
            #expect(try await store.decideDue(at: t0.addingTimeInterval(90_000), engine: engine, limit: 100, digestThreshold: 10).isEmpty)
            #expect(try await store.nextDeadline() == nil)
        }
    }

    @Test(arguments: StoreFactories.all)
    func aContactInTimeMeetsTheClockAndCancelsItsLadder(_ factory: any StoreFactory) async throws {
        try await withStore(factory) { store in
            let lead = try #require(try await routed(1, in: store).first)
            let owner = try #require(try await store.lead(lead)?.owner)
            _ = try await store.recordActivity(ActivityDraft(lead: lead, kind: .call, rep: owner), at: t0.addingTimeInterval(600),
                                               sla: engine.sla, ownedBy: nil, now: t0.addingTimeInterval(600))
            #expect(try await store.decideDue(at: t0.addingTimeInterval(86_400), engine: engine, limit: 100, digestThreshold: 10).isEmpty,
                    "nothing left to decide")
            let clock = try #require(try await store.deadlines(of: lead).first { $0.clock == SLAClock.firstContact.rawValue })
            #expect(clock.state == .met)
        }
    }
}
