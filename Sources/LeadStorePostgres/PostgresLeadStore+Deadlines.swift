import Foundation
import LeadCore
import Logging
import PostgresNIO

extension PostgresLeadStore: DeadlineProcessing {
    public func nextDeadline() async throws -> Date? {
        try await self.query("SELECT MIN(due_at) FROM deadlines WHERE state = 'pending'")
            .collectFirst(Int64?.self).flatMap { $0 }.map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }

    public func oldestOverdue(at now: Date) async throws -> Date? {
        try await self.query("""
            SELECT LEAST((SELECT MIN(due_at) FROM deadlines WHERE state = 'pending' AND level = 0 AND due_at <= \(now.unixSeconds)),
                         (SELECT MIN(due_at) FROM deadlines WHERE state = 'missed' AND resolved_at IS NULL))
            """).collectFirst(Int64?.self).flatMap { $0 }.map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }

    /// Claims up to `limit` due rows with their leads, `FOR UPDATE SKIP LOCKED`: nodes deciding at
    /// once take different rows, and a row whose lead another transaction is changing waits for
    /// the next pass instead of blocking this one. The unique (lead, clock, cycle, level) key of
    /// `escalations` stays the backstop: a level is never decided twice.
    public func decideDue(at now: Date, decider: AssignmentDecider, limit: Int, digestThreshold: Int) async throws -> [SLADecision] {
        try await transaction { connection in
            let rows = try await connection.query("""
                SELECT d.id, d.lead_id, d.clock, d.cycle, d.level, d.policy, d.due_at FROM deadlines d JOIN leads l ON l.id = d.lead_id
                WHERE d.state = 'pending' AND d.due_at <= \(now.unixSeconds)
                ORDER BY d.due_at, d.id LIMIT \(limit) FOR UPDATE OF d, l SKIP LOCKED
                """, logger: self.logger).map { fields -> (Int64, DueDeadline?) in
                let id: Int64 = try fields("id")
                guard let clock = SLAClock(rawValue: try fields("clock")) else { return (id, nil) }
                return (id, DueDeadline(id: id, lead: LeadID(try fields("lead_id") as Int64), clock: clock,
                                        cycle: Int(try fields("cycle") as Int32), level: Int(try fields("level") as Int32),
                                        policy: (try fields("policy") as String?) ?? "", dueAt: try fields.date("due_at")))
            }
            var batch = PostgresDeadlineBatch(decider: decider, now: now, connection: connection, logger: self.logger)
            for (id, due) in rows { try await batch.decide(id, due) }
            for notice in decider.outbox(batch.notices, digestThreshold: digestThreshold) {
                try await PostgresOutboxWriter.queue(notice, at: now, on: connection, logger: self.logger)
            }
            return batch.decisions
        }
    }
}

/// One scheduler pass inside its transaction: each claimed row's lead, the decider's verdict, the
/// effects applied; rows are decided one after another, each seeing what the previous applied.
struct PostgresDeadlineBatch {
    let decider: AssignmentDecider
    let now: Date
    let connection: PostgresConnection
    let logger: Logger
    var decisions: [SLADecision] = []
    var notices: [SLANotice] = []

    init(decider: AssignmentDecider, now: Date, connection: PostgresConnection, logger: Logger) {
        self.decider = decider; self.now = now; self.connection = connection; self.logger = logger
    }

    mutating func decide(_ id: Int64, _ due: DueDeadline?) async throws {
        let connection = connection, logger = logger
        guard let due, let lead = try await PostgresLeadRow.read(due.lead, { try await connection.query($0, logger: logger) }) else {
            try await connection.query("""
                UPDATE deadlines SET state = 'cancelled', resolved_at = \(now.unixSeconds) WHERE id = \(id)
                """, logger: logger)
            return
        }
        let deadline = try await connection.query("""
            SELECT due_at FROM deadlines WHERE lead_id = \(due.lead.rawValue) AND clock = \(due.clock.rawValue) AND cycle = \(due.cycle)
              AND level = 0
            """, logger: logger).collectFirst(Int64.self).map { Date(timeIntervalSince1970: TimeInterval($0)) }
        let (decider, now) = (decider, now)
        let effects = try await PostgresRoutingFacts().decide(on: connection, logger: logger) { facts in
            try decider.deadline(DueDeadlineInput(due: due, lead: lead, deadline: deadline), now: now, facts: facts)
        }
        guard try await apply(effects, due: due) else { return }
        notices += effects.notices
        decisions.append(effects.decision)
    }

    /// Applies one decision's effects; false when the row or level was decided before.
    private func apply(_ effects: DeadlineEffects, due: DueDeadline) async throws -> Bool {
        // Only a pending row is decided: a row claimed into this batch and cancelled by an
        // earlier decision in it (a reassignment re-arms the clocks) is skipped.
        guard try await connection.query("""
            UPDATE deadlines SET state = \(effects.claim.state.rawValue), resolved_at = \(effects.claim.resolvesNow ? now.unixSeconds : nil)
            WHERE id = \(due.id) AND state = 'pending' RETURNING id
            """, logger: logger).collectFirst(Int64.self) != nil else { return false }
        if let escalation = effects.escalation {
            guard try await connection.query("""
                INSERT INTO escalations (lead_id, clock, cycle, level, policy, actions, due_at, decided_at, late_ms, owner_rep_id)
                VALUES (\(due.lead.rawValue), \(due.clock.rawValue), \(due.cycle), \(due.level), \(due.policy), \(escalation.actions),
                        \(due.dueAt.unixSeconds), \(now.unixSeconds), \(escalation.lateMilliseconds), \(escalation.owner?.rawValue))
                ON CONFLICT DO NOTHING RETURNING id
                """, logger: logger).collectFirst(Int64.self) != nil else { return false }   // decided before: never twice
        }
        if let moved = effects.reassignment {
            _ = try await PostgresAssignmentWriter.apply(moved, lead: due.lead, at: now, on: connection, logger: logger)
        }
        if let outcome = effects.outcome {
            try await connection.query("""
                UPDATE escalations SET outcome = \(outcome) WHERE lead_id = \(due.lead.rawValue) AND clock = \(due.clock.rawValue)
                  AND cycle = \(due.cycle) AND level = \(due.level)
                """, logger: logger)
        }
        try await PostgresEvents.append(connection, kind: effects.event.kind, at: now, lead: due.lead.rawValue,
                                        rep: effects.event.rep?.rawValue, data: effects.event.data, logger: logger)
        return true
    }
}
