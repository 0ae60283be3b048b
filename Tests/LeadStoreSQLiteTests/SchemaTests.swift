import Foundation
import GRDB
import LeadCore
import LeadStoreSQLite
import LeadTestSupport
import Testing

@Suite struct SchemaTests {
    @Test func migratesAnEmptyFileToTheCurrentSchema() async throws {
        try await withStore { store, file in
            #expect(try store.appliedMigrations() == ["v1-foundation", "v2-intake", "v3-routing", "v4-sla"])
            #expect(try store.journalMode() == "wal")
            let tables = try await DatabaseQueue(path: file.path).read { db in
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%' ORDER BY name")
            }
            #expect(tables == ["activities", "assignments", "captures", "daemon", "daily_digests", "deadlines", "escalations", "events", "held_leads",
                               "leads", "mail_activities", "outbox", "quarantine", "reps", "routing_decisions", "routing_state", "status_history", "team_members", "teams", "weekly_summaries"])
        }
    }

    @Test func reopeningIsIdempotentAndKeepsData() async throws {
        try await withStore { store, file in
            try await store.syncDirectory(reps: [zhang], teams: [], configGeneration: 1, at: t0)
            _ = try await store.recordLead(draft("a"), at: t0)
            try store.close()
            let again = try SQLiteLeadStore.openWriter(at: file)
            #expect(try again.appliedMigrations() == ["v1-foundation", "v2-intake", "v3-routing", "v4-sla"])
            #expect(try await again.summary().leadsTotal == 1)
        }
    }

    @Test(arguments: [(SQLiteLeadStore.Synchronous.full, 2), (.normal, 1)])
    func synchronousIsSetOnTheWriterAndVerified(mode: SQLiteLeadStore.Synchronous, expected: Int) async throws {
        try await withStore(synchronous: mode) { store, _ in
            let value = try store.writerSynchronous()
            #expect(value == expected)
        }
    }

    @Test func theEventLogIsAppendOnly() async throws {
        try await withStore { store, file in
            _ = try await store.recordLead(draft("a"), at: t0)
            try store.close()
            let queue = try DatabaseQueue(path: file.path)
            #expect(try await queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events") } == 1)
            #expect(throws: DatabaseError.self) {
                try queue.write { db in try db.execute(sql: "UPDATE events SET kind = 'forged'") }
            }
            #expect(throws: DatabaseError.self) {
                try queue.write { db in try db.execute(sql: "DELETE FROM events") }
            }
        }
    }

    @Test func aReaderRefusesADatabaseFromANewerVersion() async throws {
        try await withStore { store, file in
            try store.close()
            try await DatabaseQueue(path: file.path).write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-future')")
            }
            #expect(throws: StoreOpenError.newerSchema(["v99-future"])) {
                try SQLiteLeadStore.openReadOnly(at: file)
            }
        }
    }

    @Test func aReaderNeedsAnExistingDatabase() {
        #expect(throws: StoreOpenError.missing(path: "/nonexistent/leadrouter.sqlite")) {
            try SQLiteLeadStore.openReadOnly(at: URL(fileURLWithPath: "/nonexistent/leadrouter.sqlite"))
        }
    }
}
