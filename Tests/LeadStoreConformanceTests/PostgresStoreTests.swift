import Foundation
import LeadCore
import LeadStorePostgres
import Testing

/// What only a shared database needs: several stores (daemons) on one PostgreSQL database at once.
/// Skipped, with a message, when no test server is up; `scripts/test` always starts one and sets
/// `LEADROUTER_REQUIRE_POSTGRES=1`, so there a missing server is a failure, not a skip.
@Suite(.enabled(if: PostgresStoreFactory.socket != nil || ProcessInfo.processInfo.environment["LEADROUTER_REQUIRE_POSTGRES"] == "1",
                "no test PostgreSQL (LEADROUTER_TEST_PG_SOCKET is unset): run scripts/test"))
struct PostgresStoreTests {
    let t0 = Fixture.t0

    func factory() throws -> PostgresStoreFactory {
        PostgresStoreFactory(socket: try #require(PostgresStoreFactory.socket, "scripts/test starts PostgreSQL and sets LEADROUTER_TEST_PG_SOCKET"))
    }

    @Test func daemonsStartingTogetherMigrateOnceAndANewerSchemaIsRefused() async throws {
        let factory = try factory()
        let database = try await PostgresStoreFactory.createDatabase(socket: factory.socket)
        defer { Task { try? await PostgresStoreFactory.admin(socket: factory.socket, "DROP DATABASE \(database) WITH (FORCE)") } }
        let stores = try await withThrowingTaskGroup(of: PostgresLeadStore.self) { group in
            for _ in 0..<3 { group.addTask { try await PostgresLeadStore.open(factory.settings(database)) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        defer { stores.forEach { $0.close() } }
        #expect(try await stores[0].appliedMigrations() == ["pg1-foundation", "pg2-leader", "pg3-console-links", "pg4-channels"])
        #expect(try await stores[2].summary().leadsTotal == 0)

        try await PostgresStoreFactory.admin(socket: factory.socket, "SELECT 1")   // the server is fine
        let insert = "INSERT INTO schema_migrations (name, applied_order) VALUES ('pg99-from-the-future', 99)"
        try await PostgresStoreFactory.adminOn(database: database, socket: factory.socket, insert)
        await #expect(throws: PostgresStoreError.self) { _ = try await PostgresLeadStore.open(factory.settings(database)) }
    }

    @Test func twoDaemonsCommittingTheSameInputsMakeEachOneLeadOnce() async throws {
        let factory = try factory()
        let database = try await PostgresStoreFactory.createDatabase(socket: factory.socket)
        defer { Task { try? await PostgresStoreFactory.admin(socket: factory.socket, "DROP DATABASE \(database) WITH (FORCE)") } }
        let a = try await PostgresLeadStore.open(factory.settings(database))
        let b = try await PostgresLeadStore.open(factory.settings(database))
        defer { a.close(); b.close() }
        // Each daemon gets every input (a sender retrying on another node), in batches of 5, in
        // opposite orders; the same person arrives twice under different origins too.
        let items = (0..<40).map { Fixture.item("evt-\($0)", email: "p\($0 % 30)@example.cn") }
        let policy = DuplicatePolicy(match: .email, windowSeconds: 86_400)
        async let first: Void = commit(items, to: a, policy: policy)
        async let second: Void = commit(items.reversed(), to: b, policy: policy)
        _ = try await (first, second)

        #expect(try await a.summary().leadsTotal == 30, "one lead per person")
        var leadOf: [String: LeadID] = [:]
        for item in items {
            guard case .lead(let lead) = try #require(try await b.intakeState(item.draft.origin)) else { Issue.record("\(item)"); continue }
            let person = try #require(item.draft.email)
            #expect(leadOf[person, default: lead] == lead, "\(person) is one lead")
            leadOf[person] = lead
        }
        #expect(leadOf.count == 30)
    }

    /// Three stores (daemons) on one fresh database, closed and dropped after `body`.
    func withThreeDaemons(_ body: ([PostgresLeadStore]) async throws -> Void) async throws {
        let factory = try factory()
        let database = try await PostgresStoreFactory.createDatabase(socket: factory.socket)
        var stores: [PostgresLeadStore] = []
        do {
            for _ in 0..<3 { stores.append(try await PostgresLeadStore.open(factory.settings(database))) }
            try await body(stores)
        } catch {
            stores.forEach { $0.close() }
            try? await PostgresStoreFactory.admin(socket: factory.socket, "DROP DATABASE \(database) WITH (FORCE)")
            throw error
        }
        stores.forEach { $0.close() }
        try? await PostgresStoreFactory.admin(socket: factory.socket, "DROP DATABASE \(database) WITH (FORCE)")
    }

    /// Round-robin over three reps under a one-hour first-contact policy with a warning and a
    /// supervisor escalation (three deadline rows per lead).
    static let engine: RoutingEngine = {
        let wang = Rep(id: RepID("wang.fang"), name: "王芳", email: EmailAddress(rawValue: "wang.fang@example.com")!)
        let team = Team(id: TeamID("east-china"), name: "华东", members: [Fixture.zhang.id, Fixture.li.id, wang.id], supervisor: .rep(Fixture.li.id))
        let policy = SLAPolicy(name: "hour", criteria: [], clock: .wall, calendar: "", firstContactSeconds: 3_600,
                               ladders: [.firstContact: [
                                   EscalationLevel(level: 1, offsetSeconds: -600, actions: [.remindOwner]),
                                   EscalationLevel(level: 2, offsetSeconds: 1_800, actions: [.notifySupervisor]),
                               ]])
        var engine = RoutingEngine(table: RoutingTable(rules: [], defaultTarget: .team(team.id)), reps: [Fixture.zhang, Fixture.li, wang],
                                   teams: [team], sla: SLAPlan(policies: [policy], calendars: []))
        engine.notices = AssignmentNotices(notifyOwner: true)
        return engine
    }()

    @Test func threeDaemonsRoutingAtOnceKeepTheRotationFair() async throws {
        try await withThreeDaemons { stores in
            let engine = Self.engine
            try await stores[0].syncDirectory(reps: Array(engine.reps.values), teams: Array(engine.teams.values), configGeneration: 1, at: t0)
            // 3 × 20 leads, committed one at a time by each daemon at once.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, store) in stores.enumerated() {
                    group.addTask {
                        for n in 0..<20 {
                            let item = Fixture.item("node\(index)-\(n)", email: "n\(index)-\(n)@example.cn")
                            _ = try await store.commitIntakes([item], duplicates: DuplicatePolicy(match: .off), routing: engine, at: self.t0)
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await stores[1].summary().leadsTotal == 60)
            #expect(try await stores[2].summary().leadsUnassigned == 0)
            let team = try #require(engine.teams.values.first)
            #expect(try await stores[0].teamState(team.id).sequence == 60, "every assignment advanced the rotation once")
            var counts: [Int] = []
            for rep in team.members { counts.append(try await stores[0].load(of: rep, dayStart: t0, weekStart: t0).today) }
            #expect(counts == [20, 20, 20], "round-robin spread ≤ 1 (here 0) with three daemons routing at once: \(counts)")
            #expect(try await stores[0].outboxMessages(state: .pending, limit: 100).filter { $0.kind == "lead.assigned" }.count == 60)
        }
    }

    @Test func threeDaemonsDecidingTheSameDueRowsDecideEachLevelOnce() async throws {
        try await withThreeDaemons { stores in
            let engine = Self.engine
            try await stores[0].syncDirectory(reps: Array(engine.reps.values), teams: Array(engine.teams.values), configGeneration: 1, at: t0)
            let items = (0..<30).map { Fixture.item("sla-\($0)", email: "sla\($0)@example.cn") }
            _ = try await stores[0].commitIntakes(items, duplicates: DuplicatePolicy(match: .off), routing: engine, at: t0)
            // Every node works the same due rows at once, in small batches, until none is left.
            let later = t0.addingTimeInterval(86_400)
            let decided = try await withThrowingTaskGroup(of: [SLADecision].self) { group in
                for store in stores {
                    group.addTask {
                        var mine: [SLADecision] = []
                        while true {
                            let batch = try await store.decideDue(at: later, engine: engine, limit: 7, digestThreshold: 100)
                            if batch.isEmpty { return mine }
                            mine += batch
                        }
                    }
                }
                return try await group.reduce(into: [SLADecision]()) { $0 += $1 }
            }
            #expect(decided.count == 90, "30 leads × (warning, breach, escalation)")
            let levels = decided.map { "\($0.lead)/\($0.clock)/\($0.cycle)/\($0.level)" }
            #expect(Set(levels).count == levels.count, "no level decided twice")
            #expect(try await stores[1].nextDeadline() == nil)
            var escalations = 0
            for lead in Set(decided.map(\.lead)) { escalations += try await stores[2].escalations(of: lead).count }
            #expect(escalations == 60, "one row per ladder level decided (the breach is the deadline row's own state)")
        }
    }

    @Test func threeDaemonsSendingAtOnceClaimEachMessageOnce() async throws {
        try await withThreeDaemons { stores in
            let engine = Self.engine
            try await stores[0].syncDirectory(reps: Array(engine.reps.values), teams: Array(engine.teams.values), configGeneration: 1, at: t0)
            let items = (0..<40).map { Fixture.item("mail-\($0)", email: "mail\($0)@example.cn") }
            _ = try await stores[0].commitIntakes(items, duplicates: DuplicatePolicy(match: .off), routing: engine, at: t0)
            let claimed = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for store in stores {
                    group.addTask {
                        var mine: [Int64] = []
                        while let message = try await store.claimOutbox(at: self.t0, lease: 300, retry: false) {
                            mine.append(message.id)
                            #expect(try await store.finishOutbox(message, .sent(reply: "250 ok"), at: self.t0))
                        }
                        return mine
                    }
                }
                return try await group.reduce(into: [Int64]()) { $0 += $1 }
            }
            #expect(claimed.count == 40 && Set(claimed).count == 40, "each owner notice claimed and sent once")
            #expect(try await stores[1].outboxMessages(state: .sent, limit: 100).count == 40)
        }
    }

    func commit(_ items: [IntakeItem], to store: PostgresLeadStore, policy: DuplicatePolicy) async throws {
        for start in stride(from: 0, to: items.count, by: 5) {
            _ = try await store.recordIntakes(Array(items[start..<min(start + 5, items.count)]), duplicates: policy, at: t0)
        }
    }
}
