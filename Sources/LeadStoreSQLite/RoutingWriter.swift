import Foundation
import GRDB
import LeadCore

/// Applies assignment decisions inside the caller's transaction: the decision's audit row, the
/// team's new rotation state, the assignment (or the hold), the new owner's clocks and the
/// notices, together, so restarts and concurrency never skip or repeat one.
enum RoutingWriter {
    /// Applies `effects` to `lead`; returns the decision with the clocks it armed (for the logs).
    static func apply(_ effects: AssignmentEffects, lead: LeadID, at now: Date, in db: Database) throws -> RoutingDecision {
        var decision = effects.decision
        try record(decision, lead: lead, at: now, manual: effects.manual, in: db)
        if decision.rep != nil {
            try SLAWriter.cancel(effects.restart, lead: lead, at: now, in: db)
            decision.clocks = try effects.arm.map { try SLAWriter.arm($0, lead: lead, at: now, in: db) }
        }
        for notice in effects.notices { try OutboxWriter.queue(notice, at: now, in: db) }
        return decision
    }

    static func state(of team: TeamID, in db: Database) throws -> TeamState {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM routing_state WHERE team_id = ?"), arguments: [team.rawValue]) else {
            return TeamState()
        }
        let last = (try? JSONSerialization.jsonObject(with: Data((row["last_assigned"] as String).utf8))) as? [String: Int64] ?? [:]
        let credits = (try? JSONSerialization.jsonObject(with: Data((row["credits"] as String).utf8))) as? [String: Int] ?? [:]
        return TeamState(sequence: row["sequence"],
                         lastAssigned: Dictionary(uniqueKeysWithValues: last.map { (RepID($0.key), $0.value) }),
                         credits: Dictionary(uniqueKeysWithValues: credits.map { (RepID($0.key), $0.value) }))
    }

    /// A rep's open leads and assignments since the local day and week starts (the caps' inputs).
    static func load(of rep: RepID, dayStart: Date, weekStart: Date, in db: Database) throws -> RepLoad {
        let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT
              (SELECT COUNT(*) FROM leads WHERE owner_rep_id = ?1 AND status NOT IN ('converted', 'disqualified')) AS open,
              (SELECT COUNT(*) FROM assignments WHERE rep_id = ?1 AND assigned_at >= ?2) AS today,
              (SELECT COUNT(*) FROM assignments WHERE rep_id = ?1 AND assigned_at >= ?3) AS week
            """), arguments: [rep.rawValue, dayStart.unixSeconds, weekStart.unixSeconds])!
        return RepLoad(open: row["open"], today: row["today"], thisWeek: row["week"])
    }

    static func record(_ decision: RoutingDecision, lead: LeadID, at now: Date, manual: Bool, in db: Database) throws {
        let considered = "[" + decision.considered.map {
            JSONText.object(["rep": $0.rep.rawValue, "eligible": $0.eligible ? "true" : "false", "reason": $0.reason])
        }.joined(separator: ",") + "]"
        let tried = "[" + decision.rulesTried.map {
            JSONText.object(["rule": $0.rule, "matched": $0.matched ? "true" : "false", "failed": $0.failed ?? ""])
        }.joined(separator: ",") + "]"
        try db.cachedStatement(sql: """
            INSERT INTO routing_decisions (lead_id, at, rule, team_id, strategy, rep_id, hold_reason, considered, rules_tried, manual)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [lead.rawValue, now.unixSeconds, decision.rule, decision.team?.rawValue,
                                     decision.strategy?.rawValue, decision.rep?.rawValue, decision.holdReason,
                                     considered, tried, manual])
        if let (team, state) = decision.newState {
            try db.cachedStatement(sql: """
                INSERT INTO routing_state (team_id, sequence, last_assigned, credits) VALUES (?, ?, ?, ?)
                ON CONFLICT(team_id) DO UPDATE SET sequence = excluded.sequence, last_assigned = excluded.last_assigned,
                    credits = excluded.credits
                """).execute(arguments: [team.rawValue, state.sequence,
                                         JSONText.object(state.lastAssigned.reduce(into: [String: Int64]()) { $0[$1.key.rawValue] = $1.value }),
                                         JSONText.object(state.credits.reduce(into: [String: Int]()) { $0[$1.key.rawValue] = $1.value })])
        }
        if let rep = decision.rep {
            try db.cachedStatement(sql: "UPDATE assignments SET ended_at = ? WHERE lead_id = ? AND ended_at IS NULL")
                .execute(arguments: [now.unixSeconds, lead.rawValue])
            try db.cachedStatement(sql: "INSERT INTO assignments (lead_id, rep_id, team_id, rule, assigned_at) VALUES (?, ?, ?, ?, ?)")
                .execute(arguments: [lead.rawValue, rep.rawValue, decision.team?.rawValue, decision.rule, now.unixSeconds])
            try db.cachedStatement(sql: "UPDATE leads SET owner_rep_id = ?, team_id = ?, updated_at = ? WHERE id = ?")
                .execute(arguments: [rep.rawValue, decision.team?.rawValue, now.unixSeconds, lead.rawValue])
            try db.cachedStatement(sql: "DELETE FROM held_leads WHERE lead_id = ?").execute(arguments: [lead.rawValue])
            try EventLog.append(db, kind: "lead.assigned", at: now, lead: lead.rawValue, rep: rep.rawValue,
                                data: ["rule": decision.rule, "team": decision.team?.rawValue ?? "", "manual": manual ? "true" : "false"])
        } else {
            try db.cachedStatement(sql: """
                INSERT INTO held_leads (lead_id, team_id, reason, since) VALUES (?, ?, ?, ?)
                ON CONFLICT(lead_id) DO UPDATE SET team_id = excluded.team_id, reason = excluded.reason
                """).execute(arguments: [lead.rawValue, decision.team?.rawValue, decision.holdReason ?? "held", now.unixSeconds])
            try EventLog.append(db, kind: "lead.held", at: now, lead: lead.rawValue,
                                data: ["rule": decision.rule, "reason": decision.holdReason ?? ""])
        }
    }
}
