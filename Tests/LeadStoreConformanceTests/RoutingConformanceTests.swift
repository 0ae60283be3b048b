import Foundation
import LeadCore
import Testing

/// Routing as every store must apply it: a rep at a cap is skipped, a lead nobody can take waits
/// in the held queue and leaves it once someone can, and manual reassignment refuses what the
/// rules refuse unless forced.
@Suite struct RoutingConformanceTests {
    let t0 = Fixture.t0
    /// One rep, at most one open lead, in a team of their own; first contact within an hour.
    static let solo = Rep(id: RepID("solo"), name: "独行", email: EmailAddress(rawValue: "solo@example.com")!, routing: RepRouting(maxOpen: 1))
    static let engine: RoutingEngine = {
        let team = Team(id: TeamID("solo-team"), name: "单人", members: [solo.id], supervisor: .rep(solo.id))
        let policy = SLAPolicy(name: "hour", criteria: [], clock: .wall, calendar: "", firstContactSeconds: 3_600)
        var engine = RoutingEngine(table: RoutingTable(rules: [], defaultTarget: .team(team.id)), reps: [solo, Fixture.zhang],
                                   teams: [team], sla: SLAPlan(policies: [policy], calendars: []))
        engine.notices = AssignmentNotices(notifyOwner: true)
        return engine
    }()

    func lead(_ commit: IntakeCommit?) throws -> LeadID {
        guard case .created(let id) = try #require(commit).outcome else { throw Unexpected(commit) }
        return id
    }

    struct Unexpected: Error { let value: Any? ; init(_ value: Any?) { self.value = value } }

    /// One web lead for `email`, committed and routed with `engine` at `at`.
    func commit(_ key: String, _ email: String, at: Date, to store: any ConformingStore) async throws -> IntakeCommit? {
        try await store.commitIntakes([Fixture.item(key, email: email)], duplicates: DuplicatePolicy(match: .off),
                                      routing: Self.engine, at: at).first
    }

    /// The directory synced at `t0`.
    func synced(_ store: any ConformingStore) async throws {
        try await store.syncDirectory(reps: Array(Self.engine.reps.values), teams: Array(Self.engine.teams.values),
                                      configGeneration: 1, at: t0)
    }

    @Test(arguments: StoreFactories.all)
    func aRepAtTheirCapIsSkippedAndTheHeldLeadGoesOutOnceTheyAreFree(_ factory: any StoreFactory) async throws {
        try await withStore(factory) { store in
            let engine = Self.engine
            try await synced(store)
            let first = try lead(try await commit("a", "a@example.cn", at: t0, to: store))
            let commit = try await self.commit("b", "b@example.cn", at: t0 + 60, to: store)
            let second = try lead(commit)
            #expect(try await store.lead(first)?.owner == Self.solo.id)
            #expect(commit?.decision?.rep == nil && commit?.decision?.holdReason != nil, "at max_open 1: held")
            #expect(try await store.lead(second)?.owner == nil)
            #expect(try await store.heldLeads(limit: 10).map(\.0) == [second])
            #expect(try await store.deadlines(of: second).isEmpty, "a held lead's clocks have not started")

            // Still full: trying again changes nothing.
            #expect(try await store.releaseHeld(engine: engine, at: t0 + 120, limit: 10).isEmpty)
            #expect(try await store.heldLeads(limit: 10).map(\.0) == [second])

            // The first lead closes; the held one goes out, with its clock and its notice.
            _ = try await store.changeStatus(first, to: "disqualified", fields: [:], reason: "无需求", actor: .admin,
                                             lifecycle: .standard, sla: engine.sla, at: t0 + 180)
            let released = try await store.releaseHeld(engine: engine, at: t0 + 240, limit: 10)
            #expect(released.map(\.0) == [second] && released.first?.1.rep == Self.solo.id)
            #expect(released.first?.1.clocks.map(\.due) == [t0 + 240 + 3_600])
            #expect(try await store.heldLeads(limit: 10).isEmpty)
            #expect(try await store.lead(second)?.owner == Self.solo.id)
            #expect(try await store.deadlines(of: second).map(\.state) == [.pending])
            let notices = try await store.outboxMessages(state: .pending, limit: 10).filter { $0.kind == "lead.assigned" }
            #expect(notices.compactMap(\.lead).sorted() == [first, second])
            // And only once: the queue is empty now.
            #expect(try await store.releaseHeld(engine: engine, at: t0 + 300, limit: 10).isEmpty)
        }
    }

    @Test(arguments: StoreFactories.all)
    func aManualReassignmentRefusesWhatTheRulesRefuseUnlessForced(_ factory: any StoreFactory) async throws {
        try await withStore(factory) { store in
            let engine = Self.engine
            try await synced(store)
            let first = try lead(try await commit("a", "a@example.cn", at: t0, to: store))
            let other = try lead(try await commit("b", "b@example.cn", at: t0, to: store))
            await #expect(throws: ReassignError.unknownLead(LeadID(999))) {
                _ = try await store.reassign(LeadID(999), to: Self.solo.id, reason: "x", force: false, engine: engine, at: t0 + 60)
            }
            await #expect(throws: ReassignError.unknownRep(RepID("ghost"))) {
                _ = try await store.reassign(other, to: RepID("ghost"), reason: "x", force: false, engine: engine, at: t0 + 60)
            }
            await #expect(throws: ReassignError.notEligible(Self.solo.id, "at max_open 1")) {
                _ = try await store.reassign(other, to: Self.solo.id, reason: "VIP", force: false, engine: engine, at: t0 + 60)
            }
            #expect(try await store.lead(other)?.owner == nil, "a refusal writes nothing")
            let forced = try await store.reassign(other, to: Self.solo.id, reason: "VIP", force: true, engine: engine, at: t0 + 60)
            #expect(forced.rep == Self.solo.id && forced.rule == "manual: VIP")
            #expect(try await store.lead(other)?.owner == Self.solo.id)
            #expect(try await store.heldLeads(limit: 10).isEmpty, "assigning a held lead takes it off the queue")
            #expect(try await store.routingHistory(of: other).last?.contains("manual: VIP") == true)
            #expect(try await store.summary().leadsUnassigned == 0)
            #expect(try await store.lead(first)?.owner == Self.solo.id)
        }
    }
}
