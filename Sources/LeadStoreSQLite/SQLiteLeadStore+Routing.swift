import Foundation
import GRDB
import LeadCore

extension SQLiteLeadStore: HeldLeadReleasing {
    /// A team's rotation state as stored (for explain and simulate; routing itself reads it in
    /// the intake transaction).
    public func teamState(_ team: TeamID) async throws -> TeamState {
        try await pool.read { db in try RoutingWriter.state(of: team, in: db) }
    }

    public func load(of rep: RepID, dayStart: Date, weekStart: Date) async throws -> RepLoad {
        try await pool.read { db in try RoutingWriter.load(of: rep, dayStart: dayStart, weekStart: weekStart, in: db) }
    }

    /// The stored routing decisions of a lead, oldest first, as text lines for `leads show`.
    public func routingHistory(of lead: LeadID) async throws -> [String] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM routing_decisions WHERE lead_id = ? ORDER BY id", arguments: [lead.rawValue]).map { row in
                let when = ISO8601DateFormatter().string(from: Date(unixSeconds: row["at"]))
                let target = (row["rep_id"] as String?).map { "-> \($0)" } ?? "held: \((row["hold_reason"] as String?) ?? "")"
                return "\(when) rule \"\(row["rule"] as String)\" team \((row["team_id"] as String?) ?? "-") \(target); considered \(row["considered"] as String)"
            }
        }
    }

    /// Held leads, oldest first.
    public func heldLeads(limit: Int) async throws -> [(LeadID, String, Date)] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM held_leads ORDER BY since, lead_id LIMIT ?", arguments: [limit]).map {
                (LeadID($0["lead_id"] as Int64), $0["reason"] as String, Date(unixSeconds: $0["since"]))
            }
        }
    }

    /// Tries the held leads again, oldest first, in one transaction each: a lead goes out as soon
    /// as someone is eligible. Returns the decisions that assigned a lead.
    public func releaseHeld(decider: AssignmentDecider, at now: Date, limit: Int) async throws -> [(LeadID, RoutingDecision)] {
        let held = try await heldLeads(limit: limit)
        var released: [(LeadID, RoutingDecision)] = []
        for (lead, _, _) in held {
            guard let stored = try await self.lead(lead) else { continue }
            @Sendable func decide(_ db: Database) throws -> AssignmentEffects? {
                try decider.release(lead, draft: stored.draft, now: now, facts: SQLiteRoutingFacts(db))
            }
            // A read-only probe first: while nobody is eligible, retrying costs no write.
            guard try await pool.read({ db in try decide(db) }) != nil else { continue }
            let decision = try await write { db -> RoutingDecision? in
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM held_leads WHERE lead_id = ?", arguments: [lead.rawValue]) != nil,
                      let effects = try decide(db) else { return nil }
                return try RoutingWriter.apply(effects, lead: lead, at: now, in: db)
            }
            if let decision { released.append((lead, decision)) }
        }
        return released
    }

}

extension SQLiteLeadStore: ManualAssigning {
    /// Manual reassignment, audited like an automatic decision (rule `manual: REASON`). Caps,
    /// leave and shifts are respected unless `force`.
    public func reassign(_ lead: LeadID, to rep: RepID, reason: String, force: Bool, decider: AssignmentDecider,
                         at now: Date) async throws -> RoutingDecision {
        try await write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM leads WHERE id = ?", arguments: [lead.rawValue]) else {
                throw ReassignError.unknownLead(lead)
            }
            let effects = try decider.manual(lead, draft: LeadRow.lead(row).draft, to: rep, reason: reason, force: force, now: now,
                                             facts: SQLiteRoutingFacts(db))
            return try RoutingWriter.apply(effects, lead: lead, at: now, in: db)
        }
    }
}

extension SQLiteLeadStore {
    public typealias DeadlineView = LeadCore.DeadlineView
    public typealias EscalationView = LeadCore.EscalationView

    /// A lead's SLA deadlines (level 0 of each arming), newest first.
    public func deadlines(of lead: LeadID) async throws -> [DeadlineView] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM deadlines WHERE lead_id = ? AND level = 0 ORDER BY id DESC", arguments: [lead.rawValue]).map {
                DeadlineView(clock: $0["clock"], policy: $0["policy"], cycle: $0["cycle"], level: $0["level"],
                             dueAt: Date(unixSeconds: $0["due_at"]), state: DeadlineState(rawValue: $0["state"]) ?? .pending,
                             resolvedAt: ($0["resolved_at"] as Int64?).map(Date.init(unixSeconds:)), need: $0["need"])
            }
        }
    }

    /// A lead's decided escalations, oldest first.
    public func escalations(of lead: LeadID) async throws -> [EscalationView] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM escalations WHERE lead_id = ? ORDER BY decided_at, id", arguments: [lead.rawValue]).map {
                EscalationView(clock: $0["clock"], cycle: $0["cycle"], level: $0["level"], policy: $0["policy"], actions: $0["actions"],
                               decidedAt: Date(unixSeconds: $0["decided_at"]), lateMilliseconds: $0["late_ms"],
                               owner: $0["owner_rep_id"], outcome: $0["outcome"])
            }
        }
    }
}

extension SQLiteLeadStore: StoreInspection {}
