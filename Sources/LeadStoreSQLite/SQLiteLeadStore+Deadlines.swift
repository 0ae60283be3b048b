import Foundation
import GRDB
import LeadCore

extension SQLiteLeadStore: DeadlineProcessing {
    public func nextDeadline() async throws -> Date? {
        try await pool.read { db in
            try Int64.fetchOne(db.cachedStatement(sql: "SELECT MIN(due_at) FROM deadlines WHERE state = 'pending'")).map(Date.init(unixSeconds:))
        }
    }

    public func oldestOverdue(at now: Date) async throws -> Date? {
        try await pool.read { db in
            let pending = try Int64.fetchOne(db, sql: "SELECT MIN(due_at) FROM deadlines WHERE state = 'pending' AND level = 0 AND due_at <= ?",
                                             arguments: [now.unixSeconds])
            let breached = try Int64.fetchOne(db, sql: "SELECT MIN(due_at) FROM deadlines WHERE state = 'missed' AND resolved_at IS NULL")
            return [pending, breached].compactMap { $0 }.min().map(Date.init(unixSeconds:))
        }
    }

    public func decideDue(at now: Date, decider: AssignmentDecider, limit: Int, digestThreshold: Int) async throws -> [SLADecision] {
        try await write { db in
            var batch = DeadlineBatch(decider: decider, now: now)
            let rows = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT * FROM deadlines WHERE state = 'pending' AND due_at <= ? ORDER BY due_at, id LIMIT ?
                """), arguments: [now.unixSeconds, limit])
            for row in rows { try batch.decide(row, in: db) }
            for notice in decider.outbox(batch.notices, digestThreshold: digestThreshold) { try OutboxWriter.queue(notice, at: now, in: db) }
            return batch.decisions
        }
    }
}

/// One scheduler pass inside its transaction: loads each due row's lead, asks `DeadlineDecider`,
/// and applies the effects it returns (claim, escalation record, reassignment, event), gathering
/// the notices to queue. Rows are decided one after another, each seeing what the previous applied.
struct DeadlineBatch {
    let decider: AssignmentDecider
    let now: Date
    var decisions: [SLADecision] = []
    var notices: [SLANotice] = []

    init(decider: AssignmentDecider, now: Date) {
        self.decider = decider
        self.now = now
    }

    mutating func decide(_ row: Row, in db: Database) throws {
        let id: Int64 = row["id"]
        guard let clock = SLAClock(rawValue: row["clock"]),
              let leadRow = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM leads WHERE id = ?"), arguments: [row["lead_id"] as Int64]) else {
            try db.cachedStatement(sql: "UPDATE deadlines SET state = 'cancelled', resolved_at = ? WHERE id = ?").execute(arguments: [now.unixSeconds, id])
            return
        }
        let due = DueDeadline(id: id, lead: LeadID(row["lead_id"] as Int64), clock: clock, cycle: row["cycle"], level: row["level"],
                              policy: (row["policy"] as String?) ?? "", dueAt: Date(unixSeconds: row["due_at"]))
        let deadline = try Int64.fetchOne(db.cachedStatement(sql: """
            SELECT due_at FROM deadlines WHERE lead_id = ? AND clock = ? AND cycle = ? AND level = 0
            """), arguments: [due.lead.rawValue, clock.rawValue, due.cycle]).map(Date.init(unixSeconds:))
        let lead = LeadRow.lead(leadRow)
        let effects = try decider.deadline(DueDeadlineInput(due: due, lead: lead, deadline: deadline), now: now, facts: SQLiteRoutingFacts(db))
        guard try apply(effects, due: due, in: db) else { return }
        notices += effects.notices
        decisions.append(effects.decision)
    }

    /// Applies one decision's effects; false when the row or level was decided before (nothing applied).
    private func apply(_ effects: DeadlineEffects, due: DueDeadline, in db: Database) throws -> Bool {
        // Only a pending row is decided: a row read into this batch and cancelled by an earlier
        // decision (a reassignment re-arms the clocks) is skipped.
        try db.cachedStatement(sql: "UPDATE deadlines SET state = ?, resolved_at = ? WHERE id = ? AND state = 'pending'")
            .execute(arguments: [effects.claim.state.rawValue, effects.claim.resolvesNow ? now.unixSeconds : nil, due.id])
        guard db.changesCount > 0 else { return false }
        if let escalation = effects.escalation {
            try db.cachedStatement(sql: """
                INSERT INTO escalations (lead_id, clock, cycle, level, policy, actions, due_at, decided_at, late_ms, owner_rep_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """).execute(arguments: [due.lead.rawValue, due.clock.rawValue, due.cycle, due.level, due.policy, escalation.actions,
                                         due.dueAt.unixSeconds, now.unixSeconds, escalation.lateMilliseconds, escalation.owner?.rawValue])
            guard db.changesCount > 0 else { return false }   // decided before: never twice
        }
        if let moved = effects.reassignment {
            _ = try RoutingWriter.apply(moved, lead: due.lead, at: now, in: db)
        }
        if let outcome = effects.outcome {
            try db.cachedStatement(sql: "UPDATE escalations SET outcome = ? WHERE lead_id = ? AND clock = ? AND cycle = ? AND level = ?")
                .execute(arguments: [outcome, due.lead.rawValue, due.clock.rawValue, due.cycle, due.level])
        }
        try EventLog.append(db, kind: effects.event.kind, at: now, lead: due.lead.rawValue, rep: effects.event.rep?.rawValue,
                            data: effects.event.data)
        return true
    }
}

/// Writes outbox rows inside the caller's transaction (the change that caused them).
enum OutboxWriter {
    static func queue(_ notice: QueuedNotice, at now: Date, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO outbox (kind, lead_id, recipient, cc, subject, body, state, next_attempt_at, created_at, data, language, channel, mentions)
            VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [notice.kind, notice.lead?.rawValue, notice.recipient.rawValue,
                                     notice.cc.map(\.rawValue).joined(separator: ", "), notice.subject, notice.body,
                                     now.unixSeconds, now.unixSeconds, notice.encodedVariables, notice.language, notice.channel,
                                     notice.mentions.joined(separator: ",")])
    }
}

extension SQLiteLeadStore: ProvisionalDeadlineRecomputing {
    public func recomputeProvisionalDeadlines(clocks: ClockDecider, at now: Date) async throws -> [RecomputedDeadline] {
        // A read first: almost always nothing is provisional and a reload should cost no write.
        guard try await pool.read({ db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM deadlines WHERE provisional = 1 AND state = 'pending' LIMIT 1") ?? false
        }) else { return [] }
        return try await write { db in
            try ProvisionalDeadlines.recompute(clocks: clocks, at: now, in: db).map {
                RecomputedDeadline(lead: LeadID($0.lead), clock: $0.clock, level: $0.level,
                                   from: Date(unixSeconds: $0.from), to: Date(unixSeconds: $0.to))
            }
        }
    }

    /// Whether a lead's pending deadlines were computed across provisional holidays (leads show).
    public func provisionalClocks(of lead: LeadID) async throws -> Set<String> {
        try await pool.read { db in
            Set(try String.fetchAll(db, sql: "SELECT DISTINCT clock FROM deadlines WHERE lead_id = ? AND provisional = 1 AND state = 'pending'",
                                    arguments: [lead.rawValue]))
        }
    }
}
