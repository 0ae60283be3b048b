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

/// One scheduler pass inside its transaction: the decisions made so far and the notices to queue.
struct DeadlineBatch {
    let engine: RoutingEngine
    let plan: SLAPlan
    let now: Date
    var decisions: [SLADecision] = []
    var notices: [SLANotice] = []

    init(engine: RoutingEngine, now: Date) {
        self.engine = engine
        self.plan = engine.sla ?? SLAPlan(policies: [], calendars: [])
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
        let lead = LeadRow.lead(leadRow)
        let situation = LeadSituation(owner: lead.owner, team: lead.team, status: lead.status,
                                      title: [lead.draft.name, lead.draft.company].compactMap { $0 }.joined(separator: ", "))
        let late = max(0, now.timeIntervalSince(due.dueAt))
        var decision = SLADecision(kind: .cancelled, lead: due.lead, policy: due.policy, clock: clock, cycle: due.cycle,
                                   level: due.level, dueAt: due.dueAt, lateSeconds: late)
        // Every branch first claims the row: only a pending row is decided, so a row read into this
        // batch and cancelled by an earlier decision (a reassignment re-arms the clocks) is skipped.
        func claim(_ state: String, resolved: Bool) throws -> Bool {
            try db.cachedStatement(sql: "UPDATE deadlines SET state = ?, resolved_at = ? WHERE id = ? AND state = 'pending'")
                .execute(arguments: [state, resolved ? now.unixSeconds : nil, id])
            return db.changesCount > 0
        }
        let eventData = ["clock": clock.rawValue, "policy": due.policy, "cycle": String(due.cycle), "level": String(due.level),
                         "due_at": String(due.dueAt.unixSeconds), "late_ms": String(Int64(late * 1000))]
        switch plan.verdict(for: due, lead: situation) {
        case .cancel(let reason):
            guard try claim("cancelled", resolved: true) else { return }
            decision.detail = reason
            try EventLog.append(db, kind: "sla.cancelled", at: now, lead: due.lead.rawValue, data: eventData.merging(["reason": reason]) { a, _ in a })
        case .breach:
            // Breached and still open: `resolved_at` stays empty until a contact or a re-arm ends it.
            guard try claim("missed", resolved: false) else { return }
            decision.kind = .breach
            try EventLog.append(db, kind: "sla.breach", at: now, lead: due.lead.rawValue, rep: lead.owner?.rawValue, data: eventData)
        case .escalate(let level):
            guard try claim("missed", resolved: true) else { return }
            try db.cachedStatement(sql: """
                INSERT INTO escalations (lead_id, clock, cycle, level, policy, actions, due_at, decided_at, late_ms, owner_rep_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """).execute(arguments: [due.lead.rawValue, clock.rawValue, due.cycle, due.level, due.policy,
                                         level.actions.map(\.description).joined(separator: " "), due.dueAt.unixSeconds,
                                         now.unixSeconds, Int64(late * 1000), lead.owner?.rawValue])
            guard db.changesCount > 0 else { return }   // decided before: never twice
            decision.kind = level.isWarning ? .warning : .escalation
            decision.actions = level.actions.map(\.description)
            let deadline = try Int64.fetchOne(db.cachedStatement(sql: """
                SELECT due_at FROM deadlines WHERE lead_id = ? AND clock = ? AND cycle = ? AND level = 0
                """), arguments: [due.lead.rawValue, clock.rawValue, due.cycle]).map(Date.init(unixSeconds:)) ?? due.dueAt
            let overdue = plan.policy(named: due.policy).map { -plan.remaining($0, from: now, to: deadline) }
                ?? Int64(now.timeIntervalSince(deadline))
            let zone = plan.policy(named: due.policy).flatMap { plan.calendars[$0.calendar]?.zone } ?? engine.defaultZone
            let facts = SLANoticeFacts(lead: due.lead, title: situation.title, policy: due.policy, clock: clock, level: due.level,
                                       dueAt: deadline, overdueSeconds: overdue, lateSeconds: Int64(late), zone: zone,
                                       leadVariables: NoticeVariables.of(lead, engine: engine))
            let before = notices.count
            notices += SLANotices.notices(for: level, facts: facts, owner: lead.owner, team: lead.team, engine: engine)
            var outcome = "decided"
            if level.actions.contains(.reassign) {
                let reads = RoutingReads(db, engine: engine, now: now)
                let reassignment = engine.reassignment(from: lead.owner, team: lead.team, state: reads.state, load: reads.load, now: now)
                try reads.check()
                if var moved = reassignment, let rep = moved.rep {
                    try RoutingWriter.record(moved, lead: due.lead, at: now, manual: false, in: db)
                    // The reassignment notices below tell both owners; no separate "new lead" mail.
                    try RoutingWriter.armClocks(&moved, lead: due.lead, draft: lead.draft, engine: engine, at: now, in: db, notifyOwner: false)
                    notices += SLANotices.reassigned(facts: facts, from: lead.owner, to: rep, engine: engine)
                    decision.reassignedTo = rep
                    outcome = "reassigned to \(rep)"
                } else {
                    outcome = "reassign: nobody else eligible; the lead stays with \(lead.owner?.rawValue ?? "nobody")"
                }
                try db.cachedStatement(sql: "UPDATE escalations SET outcome = ? WHERE lead_id = ? AND clock = ? AND cycle = ? AND level = ?")
                    .execute(arguments: [outcome, due.lead.rawValue, clock.rawValue, due.cycle, due.level])
            }
            decision.notices = notices.count - before
            decision.detail = outcome
            try EventLog.append(db, kind: decision.kind == .warning ? "sla.warning" : "sla.escalation", at: now, lead: due.lead.rawValue,
                                rep: lead.owner?.rawValue,
                                data: eventData.merging(["actions": decision.actions.joined(separator: " "), "outcome": outcome]) { a, _ in a })
        }
        decisions.append(decision)
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
