import Foundation
import LeadCore
import Testing

/// A handover (a rep leaves): every open lead of the rep gets a new owner in one transaction,
/// spread by the team's strategy and within caps unless forced, each move an audited manual
/// reassignment with restarted clocks and a notice; the dry run decides the same and writes nothing.
@Suite struct HandoverConformanceTests {
    let t0 = Fixture.t0
    static func rep(_ id: String, maxOpen: Int? = nil) -> Rep {
        Rep(id: RepID(id), name: id, email: EmailAddress(rawValue: "\(id)@example.com")!, routing: RepRouting(maxOpen: maxOpen))
    }
    static let gone = rep("gone"), a = rep("a"), b = rep("b", maxOpen: 1), c = rep("c")

    /// Team `desk`: only `gone` while the leads arrive, then everyone (the handover's engine).
    static func engine(_ members: [Rep]) -> RoutingEngine {
        let team = Team(id: TeamID("desk"), name: "前台", members: members.map(\.id), supervisor: .rep(c.id))
        let policy = SLAPolicy(name: "hour", criteria: [], clock: .wall, calendar: "", firstContactSeconds: 3_600)
        var engine = RoutingEngine(table: RoutingTable(rules: [], defaultTarget: .team(team.id)), reps: [gone, a, b, c],
                                   teams: [team], sla: SLAPlan(policies: [policy], calendars: []))
        engine.notices = AssignmentNotices(notifyOwner: true)
        return engine
    }

    /// Five open leads and one closed (disqualified) lead, all owned by `gone`.
    func seeded(_ store: any ConformingStore) async throws -> [LeadID] {
        let arrival = Self.engine([Self.gone])
        let full = Self.engine([Self.gone, Self.a, Self.b, Self.c])
        try await store.syncDirectory(reps: Array(full.reps.values), teams: Array(full.teams.values), configGeneration: 1, at: t0)
        var leads: [LeadID] = []
        for index in 0..<6 {
            let commit = try await store.commitIntakes([Fixture.item("h\(index)", email: "h\(index)@example.cn")],
                                                       duplicates: DuplicatePolicy(match: .off), routing: arrival, at: t0).first
            guard case .created(let id) = try #require(commit).outcome else { throw CancellationError() }
            leads.append(id)
        }
        _ = try await store.changeStatus(leads[5], to: "disqualified", fields: [:], reason: "无需求", actor: .admin, lifecycle: .standard,
                                         sla: arrival.sla, at: t0 + 10)
        return leads
    }

    @Test(arguments: StoreFactories.all)
    func aPreviewWritesNothingAndThePerformedHandoverMatchesIt(_ factory: any StoreFactory) async throws {
        try await withStore(factory) { store in
            let leads = try await seeded(store)
            let decider = AssignmentDecider(Self.engine([Self.gone, Self.a, Self.b, Self.c]))
            let noticesBefore = try await store.outboxMessages(state: .pending, limit: 100).count
            let preview = try await store.handover(Self.gone.id, to: .ownTeams, reason: "离职", force: false, dryRun: true, decider: decider,
                                                   at: t0 + 60)
            #expect(!preview.performed && preview.moves.map(\.lead) == Array(leads.prefix(5)), "open leads only, oldest first")
            // Round-robin over a, b, c; b is full after one (max_open 1).
            #expect(preview.moves.map { $0.to?.rawValue } == ["a", "b", "c", "a", "c"])
            #expect(preview.spread.map { "\($0.0)=\($0.1)" } == ["a=2", "b=1", "c=2"])
            for lead in leads { #expect(try await store.lead(lead)?.owner == Self.gone.id, "the preview wrote nothing") }
            #expect(try await store.outboxMessages(state: .pending, limit: 100).count == noticesBefore)

            let done = try await store.handover(Self.gone.id, to: .ownTeams, reason: "离职 (by rep:c)", force: false, dryRun: false,
                                                decider: decider, at: t0 + 60)
            #expect(done.performed && done.moves.map(\.to) == preview.moves.map(\.to), "performed as previewed")
            for move in done.moves {
                #expect(try await store.lead(move.lead)?.owner == move.to)
                #expect(try await store.routingHistory(of: move.lead).last?.contains("handover: 离职 (by rep:c)") == true)
                let clocks = try await store.deadlines(of: move.lead)
                #expect(clocks.first?.state == .pending && clocks.first?.dueAt == t0 + 60 + 3_600, "a new cycle for the new owner")
                #expect(clocks.first?.cycle == 2)
            }
            #expect(try await store.lead(leads[5])?.owner == Self.gone.id, "a closed lead is not handed over")
            let notices = try await store.outboxMessages(state: .pending, limit: 100).filter { $0.kind == "lead.assigned" && $0.createdAt == t0 + 60 }
            #expect(notices.map(\.recipient).sorted() == ["a@example.com", "a@example.com", "b@example.com", "c@example.com", "c@example.com"])
            // Nothing left to hand over.
            #expect(try await store.handover(Self.gone.id, to: .ownTeams, reason: "again", force: false, dryRun: false, decider: decider,
                                             at: t0 + 120).moves.isEmpty)
        }
    }

    @Test(arguments: StoreFactories.all)
    func aNamedRepTakesUpToTheirCapUnlessForced(_ factory: any StoreFactory) async throws {
        try await withStore(factory) { store in
            let leads = try await seeded(store)
            let decider = AssignmentDecider(Self.engine([Self.gone, Self.a, Self.b, Self.c]))
            let capped = try await store.handover(Self.gone.id, to: .rep(Self.b.id), reason: "休长假", force: false, dryRun: false,
                                                  decider: decider, at: t0 + 60)
            #expect(capped.moved == 1 && capped.stayed == 4)
            #expect(capped.moves.dropFirst().allSatisfy { $0.stays?.contains("cannot take it now") == true })
            #expect(try await store.lead(leads[1])?.owner == Self.gone.id, "what nobody may take stays")
            let forced = try await store.handover(Self.gone.id, to: .rep(Self.b.id), reason: "休长假", force: true, dryRun: false,
                                                  decider: decider, at: t0 + 120)
            #expect(forced.moved == 4 && forced.stayed == 0)
            for lead in leads.prefix(5) { #expect(try await store.lead(lead)?.owner == Self.b.id) }
        }
    }
}
