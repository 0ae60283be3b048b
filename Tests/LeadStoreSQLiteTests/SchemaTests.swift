import Foundation
import GRDB
import LeadCore
@testable import LeadStoreSQLite
import LeadTestSupport
import Testing

@Suite struct SchemaTests {
    @Test func migratesAnEmptyFileToTheCurrentSchema() async throws {
        try await withStore { store, file in
            #expect(try store.appliedMigrations() == ["v1-foundation", "v2-intake", "v3-routing", "v4-sla", "v5-counters", "v6-intake-fidelity", "v7-lease-fencing", "v8-console-links", "v9-channels", "v10-sweep-indexes", "v11-outbox-counts"])
            #expect(try store.journalMode() == "wal")
            let tables = try await DatabaseQueue(path: file.path).read { db in
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%' ORDER BY name")
            }
            #expect(tables == ["activities", "assignments", "captures", "console_links", "daemon", "daily_digests", "deadline_counts", "deadlines", "detail_fetches", "escalations", "events", "form_senders", "held_leads",
                               "lead_counts", "leads", "mail_activities", "outbox", "outbox_counts", "quarantine", "reps", "routing_decisions", "routing_state", "status_history", "team_members", "teams", "weekly_summaries"])
        }
    }

    /// The minute's sweep of removed channels reads the waiting channel messages through the
    /// `outbox_channel_waiting` partial index: never the history of sent messages, nor the mail
    /// waiting (a million rows when mail is off made it hold the writer for seconds).
    @Test func theRemovedChannelSweepReadsOnlyWaitingRows() async throws {
        try await withStore { _, file in
            let plan = try await DatabaseQueue(path: file.path).read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + SQLiteLeadStore.abandonSQL, arguments: ["[\"a\"]", 0, 0])
                    .map { $0["detail"] as String }
            }
            #expect(plan.contains { $0.contains("outbox USING INDEX outbox_channel_waiting") }, "\(plan)")
            #expect(!plan.contains("SCAN outbox"), "\(plan)")
        }
    }

    /// The states the store writes are the core's documented enums: each table's CHECK constraint
    /// lists exactly their raw values (a new state needs both, and a migration).
    @Test func stateColumnsAllowExactlyTheCoreStates() async throws {
        try await withStore { _, file in
            let tables = try await DatabaseQueue(path: file.path).read { db in
                try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'table'").map {
                    ($0["name"] as String, $0["sql"] as String)
                })
            }
            func allowed(_ table: String) throws -> Set<String> {
                let sql = try #require(tables[table])
                let check = try #require(sql.range(of: "CHECK (state IN ("))
                let list = sql[check.upperBound...].prefix { $0 != ")" }
                return Set(list.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " '")) })
            }
            #expect(try allowed("deadlines") == Set(DeadlineState.allCases.map(\.rawValue)))
            #expect(try allowed("outbox") == Set(OutboxMessage.State.allCases.map(\.rawValue)))
            #expect(try allowed("detail_fetches") == Set(DetailFetchState.allCases.map(\.rawValue)))
        }
    }

    @Test func reopeningIsIdempotentAndKeepsData() async throws {
        try await withStore { store, file in
            try await store.syncDirectory(reps: [zhang], teams: [], configGeneration: 1, at: t0)
            _ = try await store.recordLead(draft("a"), at: t0)
            try store.close()
            let again = try SQLiteLeadStore.openWriter(at: file)
            #expect(try again.appliedMigrations() == ["v1-foundation", "v2-intake", "v3-routing", "v4-sla", "v5-counters", "v6-intake-fidelity", "v7-lease-fencing", "v8-console-links", "v9-channels", "v10-sweep-indexes", "v11-outbox-counts"])
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

/// The v5 counters against the rows they count, after every kind of write the triggers watch.
@Suite struct CounterTests {
    static let truth = """
        SELECT (SELECT COUNT(*) FROM leads),
               (SELECT COUNT(*) FROM leads WHERE status NOT IN ('converted', 'disqualified')),
               (SELECT COUNT(*) FROM leads WHERE owner_rep_id IS NULL AND status NOT IN ('converted', 'disqualified')),
               (SELECT COUNT(*) FROM deadlines WHERE state = 'pending' AND level = 0),
               (SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'sending')),
               (SELECT COUNT(*) FROM outbox WHERE state = 'dead')
        """

    @Test func countersFollowInsertsUpdatesAndDeletes() async throws {
        try await withStore { store, file in
            try await store.syncDirectory(reps: [zhang, li], teams: [east], configGeneration: 1, at: t0)
            var recorded: [LeadID] = []
            for i in 0..<6 { recorded.append(try await store.recordLead(draft("c\(i)"), at: t0).leadID) }
            let ids = recorded
            try await store.assign(ids[0], to: zhang.id, team: east.id, rule: "r", at: t0)
            try await store.assign(ids[1], to: li.id, team: east.id, rule: "r", at: t0)
            try await store.assign(ids[1], to: zhang.id, team: east.id, rule: "r", at: t0 + 1)
            let queue = try DatabaseQueue(path: file.path)
            func check(_ label: String) async throws {
                let real = try await queue.read { db in try Row.fetchOne(db, sql: Self.truth)! }
                let summary = try await store.summary()
                #expect([summary.leadsTotal, summary.leadsOpen, summary.leadsUnassigned, summary.deadlinesPending,
                          summary.outboxPending, summary.outboxDead]
                        == [real[0], real[1], real[2], real[3], real[4], real[5]] as [Int], "\(label)")
                let byStatus = try await queue.read { db in
                    try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT status, COUNT(*) FROM leads GROUP BY status").map { ($0[0] as String, $0[1] as Int) })
                }
                #expect(summary.leadsByStatus == byStatus, "\(label)")
            }
            try await check("after intake and assignment")
            try await queue.write { db in
                try db.execute(sql: "UPDATE leads SET status = 'converted' WHERE id = ?", arguments: [ids[0].rawValue])
                try db.execute(sql: "UPDATE leads SET owner_rep_id = NULL WHERE id = ?", arguments: [ids[1].rawValue])
                try db.execute(sql: "UPDATE leads SET name = 'x' WHERE id = ?", arguments: [ids[2].rawValue])   // no count changes
                try db.execute(sql: "UPDATE leads SET status = 'contacted', owner_rep_id = 'li.na' WHERE id = ?", arguments: [ids[3].rawValue])
                for (i, state) in ["pending", "pending", "met", "pending"].enumerated() {
                    try db.execute(sql: "INSERT INTO deadlines (lead_id, clock, due_at, state, created_at, level, cycle) VALUES (?, 'first_contact', 0, ?, 0, ?, 1)",
                                   arguments: [ids[4].rawValue, state, i])
                }
                try db.execute(sql: "UPDATE deadlines SET state = 'missed' WHERE level = 0")
                try db.execute(sql: "UPDATE deadlines SET state = 'pending' WHERE level = 0")
                try db.execute(sql: "UPDATE deadlines SET level = 0, cycle = 2 WHERE level = 3")
                for state in ["pending", "pending", "sending", "sent", "dead"] {
                    try db.execute(sql: "INSERT INTO outbox (kind, recipient, subject, body, state, next_attempt_at, created_at) VALUES ('n', 'a@example.com', 's', 'b', ?, 0, 0)",
                                   arguments: [state])
                }
                try db.execute(sql: "UPDATE outbox SET state = 'sending' WHERE id = (SELECT MIN(id) FROM outbox WHERE state = 'pending')")
                try db.execute(sql: "UPDATE outbox SET state = 'sent' WHERE state = 'sending'")
                try db.execute(sql: "UPDATE outbox SET state = 'dead', attempts = 3 WHERE state = 'pending'")
                try db.execute(sql: "UPDATE outbox SET attempts = 4 WHERE state = 'dead'")   // no count changes
                try db.execute(sql: "UPDATE outbox SET state = 'pending' WHERE id = (SELECT MIN(id) FROM outbox WHERE state = 'dead')")
            }
            try await check("after status, owner and deadline changes")
            try await queue.write { db in
                try db.execute(sql: "PRAGMA foreign_keys = OFF")
                try db.execute(sql: "DELETE FROM deadlines WHERE level = 0 AND cycle = 1")
                try db.execute(sql: "DELETE FROM leads WHERE id = ?", arguments: [ids[5].rawValue])
                try db.execute(sql: "DELETE FROM outbox WHERE id IN (SELECT MIN(id) FROM outbox WHERE state = 'pending' UNION SELECT MIN(id) FROM outbox WHERE state = 'dead')")
            }
            try await check("after deletes")
        }
    }

    /// v11 starts its outbox counts from the rows already there (an upgraded database with mail waiting).
    @Test func theOutboxCountsStartFromTheRowsOfAnUpgradedDatabase() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let queue = try DatabaseQueue(path: folder.file("old.sqlite").path)
        try Migrations.migrator.migrate(queue, upTo: "v10-sweep-indexes")
        try await queue.write { db in
            for state in ["pending", "pending", "pending", "sending", "sent", "dead", "dead"] {
                try db.execute(sql: "INSERT INTO outbox (kind, recipient, subject, body, state, next_attempt_at, created_at) VALUES ('n', 'a@example.com', 's', 'b', ?, 0, 0)",
                               arguments: [state])
            }
        }
        try Migrations.migrator.migrate(queue)
        let counts = try await queue.read { db in
            try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT state, n FROM outbox_counts").map { ($0[0] as String, $0[1] as Int) })
        }
        #expect(counts == ["pending": 3, "sending": 1, "sent": 1, "dead": 2])
    }
}
