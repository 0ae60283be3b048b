import Foundation
import GRDB
import LeadCore
import LeadStoreSQLite
import LeadTestSupport
import Testing

/// Status changes and field edits on a real SQLite file.
@Suite struct LifecycleStoreTests {
    let he = Rep(id: RepID("he.min"), name: "何敏", email: EmailAddress(rawValue: "he.min@example.com")!)

    func engine() -> RoutingEngine {
        let team = Team(id: east.id, name: "华东", members: [zhang.id], supervisor: .rep(li.id))
        let policy = SLAPolicy(name: "s", criteria: [], clock: .wall, calendar: "", firstContactSeconds: 86_400,
                               stale: StaleRule(afterSeconds: 7 * 86_400, statuses: [.contacted, .qualified]))
        return RoutingEngine(table: RoutingTable(rules: [], defaultTarget: .team(team.id)), reps: [zhang, li, he], teams: [team],
                             sla: SLAPlan(policies: [policy], calendars: []))
    }

    func withLead(_ body: (SQLiteLeadStore, URL, RoutingEngine) async throws -> Void) async throws {
        try await withStore { store, file in
            let engine = engine()
            try await store.syncDirectory(reps: Array(engine.reps.values), teams: Array(engine.teams.values), configGeneration: 1, at: t0)
            _ = try await store.commitIntakes([IntakeItem(draft: draft("lc"), raw: RawCapture(body: []))], duplicates: DuplicatePolicy(match: .off),
                                              routing: engine, at: t0)
            try await body(store, file, engine)
        }
    }

    func count(_ file: URL, _ sql: String) async throws -> Int {
        try await DatabaseQueue(path: file.path).read { db in try Int.fetchOne(db, sql: sql) ?? 0 }
    }

    @Test func aRefusedChangeLeavesNoTraceButTheAuditOfTheAttempt() async throws {
        try await withLead { store, file, engine in
            let before = try await count(file, "SELECT COUNT(*) FROM activities")
            await #expect(throws: LifecycleError.refused(.notAllowed(from: .new, to: .qualified, reachable: [.contacted, .disqualified]))) {
                _ = try await store.changeStatus(LeadID(1), to: "qualified", fields: ["company_size": "300"], reason: nil, actor: .admin,
                                                 lifecycle: .standard, sla: engine.sla, at: t0 + 60)
            }
            #expect(try await store.lead(LeadID(1))?.status == .new)
            #expect(try await store.lead(LeadID(1))?.draft.customFields["company_size"] == nil, "the fields did not stick")
            #expect(try await count(file, "SELECT COUNT(*) FROM activities") == before)
            #expect(try await count(file, "SELECT COUNT(*) FROM status_history") == 0)
            #expect(try await count(file, "SELECT COUNT(*) FROM events WHERE kind = 'lead.change_refused'") == 1)
            await #expect(throws: LifecycleError.notYours(LeadID(1), he.id)) {
                _ = try await store.changeStatus(LeadID(1), to: "contacted", fields: [:], reason: nil, actor: .rep(he.id),
                                                 lifecycle: .standard, sla: engine.sla, at: t0 + 60)
            }
        }
    }

    @Test func anAllowedPathWithItsFieldsIsRecordedAndFeedsTheClocks() async throws {
        try await withLead { store, file, engine in
            let first = try await store.changeStatus(LeadID(1), to: "contacted", fields: [:], reason: nil, actor: .rep(zhang.id),
                                                     lifecycle: .standard, sla: engine.sla, at: t0 + 3_600)
            #expect(first.role == .owner && first.armed.map(\.clock) == [.stale], "the owner's change re-arms the stale clock")
            await #expect(throws: LifecycleError.refused(.missingFields(.qualified, ["decision_maker_title", "budget_range"]))) {
                _ = try await store.changeStatus(LeadID(1), to: "qualified", fields: ["industry": "制造业", "company_size": "300"],
                                                 reason: nil, actor: .rep(li.id), lifecycle: .standard, sla: engine.sla, at: t0 + 7_200)
            }
            try await store.setFields(LeadID(1), fields: ["decision_maker_title": "采购总监"], actor: .rep(li.id), lifecycle: .standard,
                                      sla: engine.sla, at: t0 + 7_300)
            let qualified = try await store.changeStatus(LeadID(1), to: "qualified", fields: ["company_size": "300", "budget_range": "10-50万"],
                                                         reason: nil, actor: .rep(li.id), lifecycle: .standard, sla: engine.sla, at: t0 + 7_400)
            #expect(qualified.role == .supervisor)
            let lead = try #require(try await store.lead(LeadID(1)))
            #expect(lead.status == .qualified)
            #expect(lead.draft.customFields == ["company_size": "300", "budget_range": "10-50万", "decision_maker_title": "采购总监"])
            #expect(lead.draft.industry == "制造业")
            let history = try await DatabaseQueue(path: file.path).read { db in
                try String.fetchAll(db, sql: "SELECT from_status || '>' || to_status || ':' || role FROM status_history ORDER BY id")
            }
            #expect(history == ["new>contacted:owner", "contacted>qualified:supervisor"])
            // Closing the lead stops its clocks.
            _ = try await store.changeStatus(LeadID(1), to: "disqualified", fields: [:], reason: "预算取消", actor: .admin,
                                             lifecycle: .standard, sla: engine.sla, at: t0 + 8_000)
            #expect(try await count(file, "SELECT COUNT(*) FROM deadlines WHERE state = 'pending'") == 0)
            await #expect(throws: LifecycleError.refused(.invalidFields(["company_size must be a number, not \"many\""]))) {
                try await store.setFields(LeadID(1), fields: ["company_size": "many"], actor: .admin, lifecycle: .standard, sla: engine.sla, at: t0 + 9_000)
            }
        }
    }

    /// Issue 14 item 6: edits go through the intake's normaliser and validation.
    @Test func fieldEditsAreCleanedAndCheckedLikeIntake() async throws {
        try await withLead { store, _, engine in
            try await store.setFields(LeadID(1), fields: ["name": "王\u{1B}[31m伟\r\nBcc: x@evil.example", "phone": "138 0013 8999",
                                                          "email": " Wang.Wei@Example.CN ", "province": "沪"],
                                      actor: .admin, lifecycle: .standard, sla: engine.sla, at: t0 + 60)
            let lead = try #require(try await store.lead(LeadID(1)))
            #expect(lead.draft.name == "王[31m伟  Bcc: x@evil.example")
            #expect(lead.draft.phone == "+8613800138999")
            #expect(lead.draft.email == "wang.wei@example.cn")
            #expect(lead.draft.province == "上海市")
            await #expect(throws: LifecycleError.refused(.invalidFields(["email \"not-an-address\" is not an e-mail address",
                                                                          "phone \"call me\" is not a phone number"]))) {
                try await store.setFields(LeadID(1), fields: ["email": "not-an-address", "phone": "call me"], actor: .admin,
                                          lifecycle: .standard, sla: engine.sla, at: t0 + 120)
            }
            await #expect(throws: LifecycleError.self) {
                _ = try await store.changeStatus(LeadID(1), to: "contacted", fields: ["email": "nope"], reason: nil, actor: .admin,
                                                 lifecycle: .standard, sla: engine.sla, at: t0 + 180)
            }
            #expect(try await store.lead(LeadID(1))?.draft.email == "wang.wei@example.cn", "a refused edit changes nothing")
        }
    }

    @Test func aStatusChangeCountsAsContactWhereThePolicySaysSo() async throws {
        try await withLead { store, file, engine in
            var counting = engine
            counting.sla?.policies[0].statusChangeIsContact = true
            _ = try await store.changeStatus(LeadID(1), to: "contacted", fields: [:], reason: nil, actor: .rep(zhang.id),
                                             lifecycle: .standard, sla: counting.sla, at: t0 + 600)
            #expect(try await store.deadlines(of: LeadID(1)).first { $0.clock == "first_contact" }?.state == .met)
        }
        try await withLead { store, file, engine in
            _ = try await store.changeStatus(LeadID(1), to: "contacted", fields: [:], reason: nil, actor: .rep(zhang.id),
                                             lifecycle: .standard, sla: engine.sla, at: t0 + 600)
            #expect(try await store.deadlines(of: LeadID(1)).first { $0.clock == "first_contact" }?.state == .pending, "by default it does not")
        }
    }
}
