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

    public func decideDue(at now: Date, engine: RoutingEngine, limit: Int, digestThreshold: Int) async throws -> [SLADecision] {
        try await pool.write { db in
            var batch = DeadlineBatch(engine: engine, now: now)
            let rows = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT * FROM deadlines WHERE state = 'pending' AND due_at <= ? ORDER BY due_at, id LIMIT ?
                """), arguments: [now.unixSeconds, limit])
            for row in rows { try batch.decide(row, in: db) }
            try batch.queue(SLANotices.combine(batch.notices, threshold: digestThreshold), in: db)
            return batch.decisions
        }
    }
}

/// One scheduler pass inside its transaction: loads each due row's lead, asks `DeadlineDecider`,
/// and applies the effects it returns (claim, escalation record, reassignment, event), gathering
/// the notices to queue. Rows are decided one after another, each seeing what the previous applied.
struct DeadlineBatch {
    let engine: RoutingEngine
    let now: Date
    var decisions: [SLADecision] = []
    var notices: [SLANotice] = []

    init(engine: RoutingEngine, now: Date) {
        self.engine = engine
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
        let reads = RoutingReads(db, engine: engine, now: now)
        let effects = DeadlineDecider.decide(DueDeadlineInput(due: due, lead: lead, deadline: deadline), engine: engine, now: now,
                                             state: reads.state, load: reads.load)
        try reads.check()
        guard try apply(effects, due: due, draft: lead.draft, in: db) else { return }
        notices += effects.notices
        decisions.append(effects.decision)
    }

    /// Applies one decision's effects; false when the row or level was decided before (nothing applied).
    private func apply(_ effects: DeadlineEffects, due: DueDeadline, draft: LeadDraft, in db: Database) throws -> Bool {
        // Only a pending row is decided: a row read into this batch and cancelled by an earlier
        // decision (a reassignment re-arms the clocks) is skipped.
        let (state, resolved): (String, Int64?) = switch effects.claim {
        case .cancel: ("cancelled", now.unixSeconds)
        case .breach: ("missed", nil)
        case .escalate: ("missed", now.unixSeconds)
        }
        try db.cachedStatement(sql: "UPDATE deadlines SET state = ?, resolved_at = ? WHERE id = ? AND state = 'pending'")
            .execute(arguments: [state, resolved, due.id])
        guard db.changesCount > 0 else { return false }
        if let escalation = effects.escalation {
            try db.cachedStatement(sql: """
                INSERT INTO escalations (lead_id, clock, cycle, level, policy, actions, due_at, decided_at, late_ms, owner_rep_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """).execute(arguments: [due.lead.rawValue, due.clock.rawValue, due.cycle, due.level, due.policy, escalation.actions,
                                         due.dueAt.unixSeconds, now.unixSeconds, escalation.lateMilliseconds, escalation.owner?.rawValue])
            guard db.changesCount > 0 else { return false }   // decided before: never twice
        }
        if var moved = effects.reassignment {
            try RoutingWriter.record(moved, lead: due.lead, at: now, manual: false, in: db)
            // The reassignment notices tell both owners; no separate "new lead" mail.
            try RoutingWriter.armClocks(&moved, lead: due.lead, draft: draft, engine: engine, at: now, in: db, notifyOwner: false)
        }
        if let outcome = effects.outcome {
            try db.cachedStatement(sql: "UPDATE escalations SET outcome = ? WHERE lead_id = ? AND clock = ? AND cycle = ? AND level = ?")
                .execute(arguments: [outcome, due.lead.rawValue, due.clock.rawValue, due.cycle, due.level])
        }
        try EventLog.append(db, kind: effects.event.kind, at: now, lead: due.lead.rawValue, rep: effects.event.rep?.rawValue,
                            data: effects.event.data)
        return true
    }

    /// The batch's notices as outbox rows, due now.
    func queue(_ notices: [SLANotice], in db: Database) throws {
        for notice in notices {
            try OutboxWriter.queue(kind: notice.kind.rawValue, lead: notice.lead, to: notice.recipient, cc: notice.cc,
                                   subject: notice.subject, body: notice.body, variables: notice.variables,
                                   language: notice.language, at: now, in: db)
        }
    }
}

/// Writes outbox rows inside the caller's transaction (the change that caused them).
enum OutboxWriter {
    static func queue(_ notice: QueuedNotice, at now: Date, in db: Database) throws {
        try queue(kind: notice.kind, lead: notice.lead, to: notice.recipient, subject: notice.subject, body: notice.body,
                  variables: notice.variables, language: notice.language, at: now, in: db)
    }

    static func queue(kind: String, lead: LeadID?, to recipient: EmailAddress, cc: [EmailAddress] = [], subject: String, body: String,
                      variables: [String: TemplateValue], language: String?, at now: Date, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO outbox (kind, lead_id, recipient, cc, subject, body, state, next_attempt_at, created_at, data, language)
            VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)
            """).execute(arguments: [kind, lead?.rawValue, recipient.rawValue, cc.map(\.rawValue).joined(separator: ", "), subject, body,
                                     now.unixSeconds, now.unixSeconds, OutboxData.encode(variables), language])
    }
}

/// Template variables as stored with an outbox row.
enum OutboxData {
    static func encode(_ variables: [String: TemplateValue]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(variables)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    static func decode(_ text: String) -> [String: TemplateValue] {
        (try? JSONDecoder().decode([String: TemplateValue].self, from: Data(text.utf8))) ?? [:]
    }
}

extension SQLiteLeadStore: ProvisionalDeadlineRecomputing {
    public func recomputeProvisionalDeadlines(plan: SLAPlan, at now: Date) async throws -> [RecomputedDeadline] {
        // A read first: almost always nothing is provisional and a reload should cost no write.
        guard try await pool.read({ db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM deadlines WHERE provisional = 1 AND state = 'pending' LIMIT 1") ?? false
        }) else { return [] }
        return try await pool.write { db in
            try ProvisionalDeadlines.recompute(plan: plan, at: now, in: db).map {
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
