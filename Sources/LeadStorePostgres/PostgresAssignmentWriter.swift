import Foundation
import LeadCore
import Logging
import PostgresNIO

/// Applies assignment decisions inside the caller's transaction (the PostgreSQL twin of the
/// SQLite store's `RoutingWriter`): the audit row, the team's new rotation state (its row was
/// locked when the decider read it), the assignment or the hold, the new owner's clocks and the
/// notices, together.
enum PostgresAssignmentWriter {
    static func apply(_ effects: AssignmentEffects, lead: LeadID, at now: Date, on connection: PostgresConnection,
                      logger: Logger) async throws -> RoutingDecision {
        var decision = effects.decision
        try await record(decision, lead: lead, at: now, manual: effects.manual, on: connection, logger: logger)
        if decision.rep != nil {
            try await PostgresSLAWriter.cancel(effects.restart, lead: lead, at: now, on: connection, logger: logger)
            var armed: [ArmedClock] = []
            for arming in effects.arm {
                armed.append(try await PostgresSLAWriter.arm(arming, lead: lead, at: now, on: connection, logger: logger))
            }
            decision.clocks = armed
        }
        for notice in effects.notices { try await PostgresOutboxWriter.queue(notice, at: now, on: connection, logger: logger) }
        return decision
    }

    static func record(_ decision: RoutingDecision, lead: LeadID, at now: Date, manual: Bool, on connection: PostgresConnection,
                       logger: Logger) async throws {
        let considered = "[" + decision.considered.map {
            JSONText.object(["rep": $0.rep.rawValue, "eligible": $0.eligible ? "true" : "false", "reason": $0.reason])
        }.joined(separator: ",") + "]"
        let tried = "[" + decision.rulesTried.map {
            JSONText.object(["rule": $0.rule, "matched": $0.matched ? "true" : "false", "failed": $0.failed ?? ""])
        }.joined(separator: ",") + "]"
        try await connection.query("""
            INSERT INTO routing_decisions (lead_id, at, rule, team_id, strategy, rep_id, hold_reason, considered, rules_tried, manual)
            VALUES (\(lead.rawValue), \(now.unixSeconds), \(decision.rule), \(decision.team?.rawValue), \(decision.strategy?.rawValue),
                    \(decision.rep?.rawValue), \(decision.holdReason), \(considered), \(tried), \(manual))
            """, logger: logger)
        if let (team, state) = decision.newState {
            let last = JSONText.object(state.lastAssigned.reduce(into: [String: Int64]()) { $0[$1.key.rawValue] = $1.value })
            let credits = JSONText.object(state.credits.reduce(into: [String: Int]()) { $0[$1.key.rawValue] = $1.value })
            try await connection.query("""
                INSERT INTO routing_state (team_id, sequence, last_assigned, credits) VALUES (\(team.rawValue), \(state.sequence), \(last), \(credits))
                ON CONFLICT (team_id) DO UPDATE SET sequence = excluded.sequence, last_assigned = excluded.last_assigned,
                    credits = excluded.credits
                """, logger: logger)
        }
        if let rep = decision.rep {
            try await connection.query("""
                UPDATE assignments SET ended_at = \(now.unixSeconds) WHERE lead_id = \(lead.rawValue) AND ended_at IS NULL
                """, logger: logger)
            try await connection.query("""
                INSERT INTO assignments (lead_id, rep_id, team_id, rule, assigned_at)
                VALUES (\(lead.rawValue), \(rep.rawValue), \(decision.team?.rawValue), \(decision.rule), \(now.unixSeconds))
                """, logger: logger)
            try await connection.query("""
                UPDATE leads SET owner_rep_id = \(rep.rawValue), team_id = \(decision.team?.rawValue), updated_at = \(now.unixSeconds)
                WHERE id = \(lead.rawValue)
                """, logger: logger)
            try await connection.query("DELETE FROM held_leads WHERE lead_id = \(lead.rawValue)", logger: logger)
            try await PostgresEvents.append(connection, kind: "lead.assigned", at: now, lead: lead.rawValue, rep: rep.rawValue, data: [
                "rule": decision.rule, "team": decision.team?.rawValue ?? "", "manual": manual ? "true" : "false",
            ], logger: logger)
        } else {
            try await connection.query("""
                INSERT INTO held_leads (lead_id, team_id, reason, since)
                VALUES (\(lead.rawValue), \(decision.team?.rawValue), \(decision.holdReason ?? "held"), \(now.unixSeconds))
                ON CONFLICT (lead_id) DO UPDATE SET team_id = excluded.team_id, reason = excluded.reason
                """, logger: logger)
            try await PostgresEvents.append(connection, kind: "lead.held", at: now, lead: lead.rawValue,
                                            data: ["rule": decision.rule, "reason": decision.holdReason ?? ""], logger: logger)
        }
    }
}

/// Arms and ends SLA clocks inside the caller's transaction.
enum PostgresSLAWriter {
    /// Ends `clocks` of a lead: pending rows are cancelled and a breach still open is closed.
    static func cancel(_ clocks: [SLAClock], lead: LeadID, at now: Date, on connection: PostgresConnection, logger: Logger) async throws {
        guard !clocks.isEmpty else { return }
        let names = clocks.map(\.rawValue)
        try await connection.query("""
            UPDATE deadlines SET state = 'cancelled', resolved_at = \(now.unixSeconds)
            WHERE lead_id = \(lead.rawValue) AND clock = ANY(\(names)) AND state = 'pending'
            """, logger: logger)
        try await connection.query("""
            UPDATE deadlines SET resolved_at = \(now.unixSeconds)
            WHERE lead_id = \(lead.rawValue) AND clock = ANY(\(names)) AND state = 'missed' AND resolved_at IS NULL
            """, logger: logger)
    }

    /// Writes a new cycle of a clock: the deadline row and one row per ladder level, and wakes
    /// every node's deadline scheduler when the transaction commits.
    static func arm(_ arming: ClockArming, lead: LeadID, at now: Date, on connection: PostgresConnection, logger: Logger) async throws -> ArmedClock {
        let cycle = try await connection.query("""
            SELECT (COALESCE(MAX(cycle), 0) + 1)::BIGINT FROM deadlines WHERE lead_id = \(lead.rawValue) AND clock = \(arming.clock.rawValue)
            """, logger: logger).collectFirst(Int64.self) ?? 1
        for row in arming.levels {
            try await connection.query("""
                INSERT INTO deadlines (lead_id, clock, due_at, state, created_at, policy, level, cycle, need, started_at, provisional)
                VALUES (\(lead.rawValue), \(arming.clock.rawValue), \(row.due.unixSeconds), 'pending', \(now.unixSeconds), \(arming.policy),
                        \(row.level), \(cycle), \(row.level == 0 ? arming.need : nil), \(arming.start.timeIntervalSince1970), \(row.provisional))
                """, logger: logger)
        }
        try await PostgresEvents.append(connection, kind: "deadline.set", at: now, lead: lead.rawValue, data: [
            "clock": arming.clock.rawValue, "policy": arming.policy, "cycle": String(cycle), "due_at": String(arming.due.unixSeconds),
        ], logger: logger)
        try await PostgresWakeups.notify(.deadlines, on: connection, logger: logger)
        return ArmedClock(clock: arming.clock, policy: arming.policy, cycle: Int(cycle), due: arming.due,
                          firstRowDue: arming.levels.map(\.due).min())
    }
}

extension PostgresSLAWriter {
    /// Applies what a lifecycle decision does to the clocks (the same rules as the SQLite store's
    /// `SLAWriter.touch`; the conformance suite holds the two equal).
    static func touch(_ touch: LifecycleDecider.ClockTouch, lead: LeadID, now: Date, on connection: PostgresConnection,
                      logger: Logger) async throws -> (firstContact: Bool, followUpsMet: Bool, armed: [ArmedClock]) {
        switch touch {
        case .none:
            return (false, false, [])
        case .closeAll:
            try await cancel(SLAClock.allCases, lead: lead, at: now, on: connection, logger: logger)
            return (false, false, [])
        case .activity(let contact, let time, let stale):
            var metFirst = false
            var metFollowUps = false
            let contactAt = time.roundedUpToSecond.unixSeconds
            if contact {
                // First contact: met when on time (the contact's time rounded up), every level ends.
                metFirst = try await connection.query("""
                    UPDATE deadlines SET state = CASE WHEN due_at >= \(contactAt) THEN 'met' ELSE 'missed' END, resolved_at = \(now.unixSeconds)
                    WHERE lead_id = \(lead.rawValue) AND clock = 'first_contact' AND level = 0 AND state = 'pending' RETURNING id
                    """, logger: logger).collectFirst(Int64.self) != nil
                try await cancel([.firstContact], lead: lead, at: now, on: connection, logger: logger)
                // Follow-ups count down on the current cycle's deadline row, breached or not.
                let current = try await connection.query("""
                    SELECT id, need FROM deadlines WHERE lead_id = \(lead.rawValue) AND clock = 'follow_ups' AND level = 0
                    ORDER BY cycle DESC LIMIT 1
                    """, logger: logger).map { (try $0("id") as Int64, try $0("need") as Int32?) }.first
                if let (id, need) = current, let need, need > 0 {
                    try await connection.query("UPDATE deadlines SET need = need - 1 WHERE id = \(id)", logger: logger)
                    if need == 1 {
                        metFollowUps = try await connection.query("""
                            UPDATE deadlines SET state = CASE WHEN due_at >= \(contactAt) THEN 'met' ELSE 'missed' END,
                                resolved_at = \(now.unixSeconds)
                            WHERE id = \(id) AND state = 'pending' RETURNING id
                            """, logger: logger).collectFirst(Int64.self) != nil
                        try await cancel([.followUps], lead: lead, at: now, on: connection, logger: logger)
                    }
                }
            }
            try await cancel([.stale], lead: lead, at: now, on: connection, logger: logger)
            var armed: [ArmedClock] = []
            if let stale { armed.append(try await arm(stale, lead: lead, at: now, on: connection, logger: logger)) }
            return (metFirst, metFollowUps, armed)
        }
    }
}
