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
        #expect(try await stores[0].appliedMigrations() == ["pg1-foundation"])
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

    func commit(_ items: [IntakeItem], to store: PostgresLeadStore, policy: DuplicatePolicy) async throws {
        for start in stride(from: 0, to: items.count, by: 5) {
            _ = try await store.recordIntakes(Array(items[start..<min(start + 5, items.count)]), duplicates: policy, at: t0)
        }
    }
}
