import Foundation
import GRDB
import LeadCore
@testable import LeadStoreSQLite
import LeadTestSupport
import Synchronization
import Testing

/// Every statement the daemon runs while it takes leads and works off due deadlines — intake
/// (new, re-inquiry, redelivery), deadline decisions (remind, supervisor, reassign), the outbox's
/// claim and finish, the removed-channel sweep, the capture purge, the scheduler's and work loop's reads — traced on a real store, then asked
/// for its `EXPLAIN QUERY PLAN`: none may scan a table that grows with the leads. Such a scan
/// costs nothing in a test's small file and seconds at 1,000,000 leads (issue 21).
@Suite struct HotPathPlanTests {
    /// Tables whose size follows the number of leads or their history.
    static let growing: Set<String> = ["leads", "deadlines", "outbox", "events", "captures", "escalations", "activities",
                                        "assignments", "routing_decisions", "status_history", "detail_fetches", "quarantine",
                                        "held_leads", "mail_activities"]

    @Test func noHotPathStatementScansAGrowingTable() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let file = folder.file("state/leadrouter.sqlite")
        let traced = Mutex<Set<String>>([])
        let tracing = Atomic<Bool>(false)   // from after the migrations (they run once, at open)
        let store = try SQLiteLeadStore.openWriter(at: file, synchronous: .normal, busyTimeout: .seconds(5)) { db in
            db.trace(options: .statement) { event in
                guard tracing.load(ordering: .relaxed), case .statement(let statement) = event else { return }
                let sql = statement.sql
                guard !sql.hasPrefix("--") else { return }   // a trigger's program (its tables are counters)
                traced.withLock { _ = $0.insert(sql) }
            }
        }
        tracing.store(true, ordering: .relaxed)
        let engine = ladderEngine()
        try await store.syncDirectory(reps: Array(engine.reps.values), teams: Array(engine.teams.values), configGeneration: 1, at: t0)
        // Leads: new ones, a re-inquiry (same e-mail), a redelivery (same origin key).
        let policy = DuplicatePolicy(match: .either)
        let items = (0..<3).map { i in
            var d = draft("hot-\(i)")
            d.email = "wang\(i)@example.cn"
            d.phone = "+86138001380\(10 + i)"
            return IntakeItem(draft: d, raw: RawCapture(body: Array("{}".utf8)))
        }
        _ = try await store.commitIntakes(items, duplicates: policy, routing: engine, at: t0)
        var again = draft("hot-again")
        again.email = "wang0@example.cn"
        _ = try await store.commitIntakes([IntakeItem(draft: again, raw: RawCapture(body: [])), items[1]], duplicates: policy,
                                          routing: engine, at: t0.addingTimeInterval(60))
        // Every rung falls due: remind, supervisor, reassign.
        for hours in [23.0, 24, 28] {
            _ = try await store.decideDue(at: t0.addingTimeInterval(hours * 3_600 + 1), engine: engine, limit: 100, digestThreshold: 50)
            _ = try await store.nextDeadline()
            _ = try await store.oldestOverdue(at: t0.addingTimeInterval(hours * 3_600 + 1))
        }
        let sendAt = t0.addingTimeInterval(29 * 3_600)
        for lane in [OutboxLane.mail, .channels(["sales-group"])] {
            _ = try await store.nextOutboxAttempt(lane: lane)
            if let message = try await store.claimOutbox(at: sendAt, lease: 60, retry: false, lane: lane) {
                _ = try await store.finishOutbox(message, .sent(reply: "250 ok"), at: sendAt)
            }
        }
        _ = try await store.abandonUnconfiguredChannels([], waitingSince: sendAt, at: sendAt)   // the minute's sweep
        #expect(try await store.purgeCaptures(receivedBefore: t0.addingTimeInterval(1), batch: 2) == 3)   // the hourly purge, in batches of 2
        _ = try await store.summary()
        try await store.recordHeartbeat(DaemonHeartbeat(pid: 1, startedAt: t0, lastTickAt: sendAt, configGeneration: 1,
                                                        configLoadedAt: t0, configFile: "/etc/leadrouter/leadrouter.toml", version: "test"))

        let statements = traced.withLock { $0 }.filter { sql in
            ["SELECT", "INSERT", "UPDATE", "DELETE", "WITH"].contains { sql.uppercased().hasPrefix($0) }
        }
        #expect(statements.contains { $0.hasPrefix("INSERT INTO leads") }, "the trace saw the intake")
        #expect(statements.contains { $0.hasPrefix("INSERT INTO escalations") }, "the trace saw the decisions")
        #expect(statements.contains { $0.contains("UPDATE outbox SET state = 'sending'") }, "the trace saw the outbox claim")
        #expect(statements.contains { $0.contains("INDEXED BY outbox_channel_waiting") }, "the trace saw the removed-channel sweep")
        #expect(statements.contains { $0.contains("UPDATE captures SET body") }, "the trace saw the purge")
        let scans = try await store.pool.read { db in
            try statements.sorted().flatMap { sql in
                let explain = try db.makeStatement(sql: "EXPLAIN QUERY PLAN " + sql)
                explain.setUncheckedArguments(StatementArguments())   // the parameters stay NULL: the plan is the prepared one
                return try Row.fetchAll(explain).map { $0["detail"] as String }
                    .filter { Self.scansGrowingTable($0) && !Self.isForeignKeyCounterCheck($0, of: sql) }.map { "\($0)  ←  \(sql)" }
            }
        }
        #expect(scans.isEmpty, "\(scans.joined(separator: "\n"))")
        try store.close()
    }

    /// Partial indexes that hold only waiting work — messages to send, dead letters for an admin,
    /// pending and breached deadlines, details to fetch — never the history: walking one costs
    /// the backlog, whatever the number of leads.
    static let queues: Set<String> = ["outbox_due", "outbox_dead", "deadlines_due", "deadlines_breached", "detail_fetches_due",
                                      "outbox_channel_waiting", "captures_unpurged"]

    /// `SCAN leads` or `SCAN leads USING INDEX …` (a whole index is as bad, unless it is a queue);
    /// a `SEARCH` is bounded.
    static func scansGrowingTable(_ step: String) -> Bool {
        let words = step.split(separator: " ").map(String.init)
        guard words.count >= 2, words[0] == "SCAN", growing.contains(words[1]) else { return false }
        if let index = words.firstIndex(of: "INDEX"), index + 1 < words.count, queues.contains(words[index + 1]) { return false }
        return true
    }

    /// An `INSERT … VALUES` into a parent table lists a scan of each child table without an index
    /// on its key (`outbox.lead_id`): SQLite runs it only while deferred foreign-key violations are
    /// outstanding (`OP_FkIfZero`), never for a single-row insert at the top level — measured: an
    /// insert into a parent of 300,000 unindexed child rows takes 7 µs.
    static func isForeignKeyCounterCheck(_ step: String, of sql: String) -> Bool {
        let text = sql.uppercased()
        return text.hasPrefix("INSERT") && !text.contains("SELECT")
    }

    @Test func theCheckRecognisesAScan() {
        #expect(Self.scansGrowingTable("SCAN leads"))
        #expect(Self.scansGrowingTable("SCAN outbox USING INDEX outbox_by_lead"))
        #expect(Self.scansGrowingTable("SCAN leads USING COVERING INDEX leads_by_status"))
        #expect(!Self.scansGrowingTable("SCAN outbox USING INDEX outbox_due"))
        #expect(!Self.scansGrowingTable("SEARCH leads USING INTEGER PRIMARY KEY (rowid=?)"))
        #expect(!Self.scansGrowingTable("SCAN lead_counts"))
    }
}
