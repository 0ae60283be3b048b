import Foundation
import LeadCore
import Testing

/// The lifecycle, activities, counters and reports as every store must keep them, on a small
/// seeded dataset: two leads routed at `t0` under a one-hour first-contact policy.
@Suite struct LifecycleConformanceTests {
    let t0 = Fixture.t0
    static let engine: RoutingEngine = {
        var engine = Fixture.engine
        engine.sla = SLAPlan(policies: [SLAPolicy(name: "hour", criteria: [], clock: .wall, calendar: "", firstContactSeconds: 3_600,
                                                  stale: StaleRule(afterSeconds: 86_400, statuses: [.contacted]))],
                             calendars: [])
        return engine
    }()

    /// Two leads, one per rep of the rotation.
    func seeded(_ store: any ConformingStore) async throws -> [Lead] {
        let engine = Self.engine
        try await store.syncDirectory(reps: Array(engine.reps.values), teams: Array(engine.teams.values), configGeneration: 1, at: t0)
        let commits = try await store.commitIntakes([Fixture.item("a", email: "a@example.cn"), Fixture.item("b", email: "b@example.cn")],
                                                    duplicates: DuplicatePolicy(match: .off), routing: engine, at: t0)
        var leads: [Lead] = []
        for commit in commits {
            guard case .created(let id) = commit.outcome, let lead = try await store.lead(id) else { throw CancellationError() }
            leads.append(lead)
        }
        return leads
    }

    @Test(arguments: StoreFactories.all)
    func aRefusedChangeWritesNothingButTheLeadStaysWhereItWas(_ factory: any StoreFactory) async throws {
        try await withStore(factory) { store in
            let lead = try await seeded(store)[0]
            let owner = try #require(lead.owner)
            let stranger = owner == Fixture.zhang.id ? Fixture.li.id : Fixture.zhang.id
            await #expect(throws: LifecycleError.refused(.notAllowed(from: .new, to: .qualified, reachable: [.contacted, .disqualified]))) {
                _ = try await store.changeStatus(lead.id, to: "qualified", fields: [:], reason: nil, actor: .admin,
                                                 lifecycle: .standard, sla: Self.engine.sla, at: t0 + 60)
            }
            await #expect(throws: LifecycleError.self) {
                _ = try await store.changeStatus(lead.id, to: "nonsense", fields: [:], reason: nil, actor: .admin,
                                                 lifecycle: .standard, sla: Self.engine.sla, at: t0 + 60)
            }
            // The other rep is the team's supervisor only when they are li.na; zhang.wei is not.
            if stranger == Fixture.zhang.id {
                await #expect(throws: LifecycleError.notYours(lead.id, stranger)) {
                    _ = try await store.changeStatus(lead.id, to: "contacted", fields: [:], reason: nil, actor: .rep(stranger),
                                                     lifecycle: .standard, sla: Self.engine.sla, at: t0 + 60)
                }
            }
            #expect(try await store.lead(lead.id)?.status == .new)
            #expect(try await store.deadlines(of: lead.id).map(\.state) == [.pending])

            let change = try await store.changeStatus(lead.id, to: "contacted", fields: [:], reason: nil, actor: .rep(owner),
                                                      lifecycle: .standard, sla: Self.engine.sla, at: t0 + 600)
            #expect(change.from == .new && change.to == .contacted && change.role == .owner)
            #expect(change.armed.map(\.clock) == [.stale] && change.armed.first?.due == t0 + 600 + 86_400)
        }
    }

    @Test(arguments: StoreFactories.all)
    func countersAndTheResponseReportFollowTheActivities(_ factory: any StoreFactory) async throws {
        try await withStore(factory) { store in
            let leads = try await seeded(store)
            let summary = try await store.summary()
            #expect(summary.leadsTotal == 2 && summary.leadsOpen == 2 && summary.leadsUnassigned == 0)
            #expect(summary.reps == 2 && summary.teams == 1 && summary.deadlinesPending == 2 && summary.outboxPending == 2)

            // Lead a: called after 30 minutes (met); lead b: never (missed once the hour is up).
            let owner = try #require(leads[0].owner)
            let outcome = try await store.recordActivity(ActivityDraft(lead: leads[0].id, kind: .call, rep: owner, note: "首次电话"),
                                                         at: t0 + 1_800, sla: Self.engine.sla, ownedBy: owner, now: t0 + 1_800)
            #expect(outcome.countsForSLA && outcome.metFirstContact)
            await #expect(throws: LeadStoreError.notOwner(leads[1].id, owner)) {
                _ = try await store.recordActivity(ActivityDraft(lead: leads[1].id, kind: .call, rep: owner, note: nil),
                                                   at: t0 + 1_800, sla: Self.engine.sla, ownedBy: owner, now: t0 + 1_800)
            }
            let after = try await store.summary()
            #expect(after.leadsByStatus["contacted"] == 1 && after.leadsByStatus["new"] == 1)
            // a: first contact met, its stale clock armed by the call; b: first contact still pending.
            #expect(try await store.deadlines(of: leads[0].id).map { "\($0.clock) \($0.state.rawValue)" } == ["stale pending", "first_contact met"])
            #expect(after.deadlinesPending == 2)

            let report = try await store.responseReport(ReportQuery(), plan: Self.engine.sla, at: t0 + 7_200)
            #expect(report.rows == [[.text("all"), .count(2), .count(1), .seconds(1_800), .seconds(1_800),
                                     .seconds(1_800), .seconds(1_800), .ratio(0.5)]])
        }
    }
}
