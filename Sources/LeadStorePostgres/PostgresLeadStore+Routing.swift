import Foundation
import LeadCore
import Logging
import PostgresNIO

extension PostgresLeadStore: DirectorySyncing {
    /// The configured reps and teams, and a rotation row for every team up front (routing locks
    /// that row `FOR UPDATE`; a row that exists before the first lead is one less race).
    public func syncDirectory(reps: [Rep], teams: [Team], configGeneration: Int, at now: Date) async throws {
        try await transaction { connection in
            let at = now.unixSeconds
            // One sync at a time: two nodes reloading at once would otherwise interleave.
            try await connection.query("SELECT pg_advisory_xact_lock(hashtextextended('leadrouter:directory', 0))", logger: self.logger)
            try await connection.query("UPDATE reps SET retired = true, updated_at = \(at) WHERE NOT retired", logger: self.logger)
            for rep in reps {
                try await connection.query("""
                    INSERT INTO reps (id, name, email, active, retired, updated_at)
                    VALUES (\(rep.id.rawValue), \(rep.name), \(rep.email.rawValue), \(rep.active), false, \(at))
                    ON CONFLICT (id) DO UPDATE SET name = excluded.name, email = excluded.email, active = excluded.active,
                        retired = false, updated_at = excluded.updated_at
                    """, logger: self.logger)
            }
            try await connection.query("UPDATE teams SET retired = true, updated_at = \(at) WHERE NOT retired", logger: self.logger)
            try await connection.query("DELETE FROM team_members", logger: self.logger)
            for team in teams {
                try await connection.query("""
                    INSERT INTO teams (id, name, supervisor, retired, updated_at)
                    VALUES (\(team.id.rawValue), \(team.name), \(team.supervisor.description), false, \(at))
                    ON CONFLICT (id) DO UPDATE SET name = excluded.name, supervisor = excluded.supervisor, retired = false,
                        updated_at = excluded.updated_at
                    """, logger: self.logger)
                for (position, member) in team.members.enumerated() {
                    try await connection.query("""
                        INSERT INTO team_members (team_id, rep_id, position) VALUES (\(team.id.rawValue), \(member.rawValue), \(position))
                        """, logger: self.logger)
                }
                try await connection.query("""
                    INSERT INTO routing_state (team_id, sequence) VALUES (\(team.id.rawValue), 0) ON CONFLICT (team_id) DO NOTHING
                    """, logger: self.logger)
            }
            try await PostgresEvents.append(connection, kind: "config.applied", at: now, data: [
                "generation": String(configGeneration), "reps": String(reps.count), "teams": String(teams.count),
            ], logger: self.logger)
        }
    }
}

extension PostgresLeadStore: HeldLeadReleasing {
    /// Tries the held leads again, oldest first, one transaction each. A held row is claimed
    /// `FOR UPDATE SKIP LOCKED`, so two nodes never release the same lead.
    public func releaseHeld(decider: AssignmentDecider, at now: Date, limit: Int) async throws -> [(LeadID, RoutingDecision)] {
        var released: [(LeadID, RoutingDecision)] = []
        for (lead, _, _) in try await heldLeads(limit: limit) {
            let decision = try await transaction { connection -> RoutingDecision? in
                guard try await connection.query("""
                    SELECT lead_id FROM held_leads WHERE lead_id = \(lead.rawValue) FOR UPDATE SKIP LOCKED
                    """, logger: self.logger).collectFirst(Int64.self) != nil,
                      let stored = try await PostgresLeadRow.read(lead, lock: true, { try await connection.query($0, logger: self.logger) })
                else { return nil }
                guard let effects = try await PostgresRoutingFacts().decide(on: connection, logger: self.logger, { facts in
                    try decider.release(lead, draft: stored.draft, now: now, facts: facts)
                }) else { return nil }
                return try await PostgresAssignmentWriter.apply(effects, lead: lead, at: now, on: connection, logger: self.logger)
            }
            if let decision { released.append((lead, decision)) }
        }
        return released
    }
}

extension PostgresLeadStore: ManualAssigning {
    public func reassign(_ lead: LeadID, to rep: RepID, reason: String, force: Bool, decider: AssignmentDecider,
                         at now: Date) async throws -> RoutingDecision {
        try await transaction { connection in
            guard let stored = try await PostgresLeadRow.read(lead, lock: true, { try await connection.query($0, logger: self.logger) }) else {
                throw ReassignError.unknownLead(lead)
            }
            let effects = try await PostgresRoutingFacts().decide(on: connection, logger: self.logger) { facts in
                try decider.manual(lead, draft: stored.draft, to: rep, reason: reason, force: force, now: now, facts: facts)
            }
            return try await PostgresAssignmentWriter.apply(effects, lead: lead, at: now, on: connection, logger: self.logger)
        }
    }
}

extension PostgresLeadStore {
    /// Routes newly created leads inside the intake transaction.
    func route(_ lead: LeadID, draft: LeadDraft, decider: AssignmentDecider, at now: Date, on connection: PostgresConnection) async throws
        -> RoutingDecision {
        let effects = try await PostgresRoutingFacts().decide(on: connection, logger: logger) { facts in
            try decider.newLead(lead, draft: draft, now: now, facts: facts)
        }
        return try await PostgresAssignmentWriter.apply(effects, lead: lead, at: now, on: connection, logger: logger)
    }

    public func teamState(_ team: TeamID) async throws -> TeamState {
        try await PostgresRotation.read(team) { try await self.query($0) }
    }

    public func load(of rep: RepID, dayStart: Date, weekStart: Date) async throws -> RepLoad {
        try await PostgresRotation.loadQuery(rep, dayStart.unixSeconds, weekStart.unixSeconds) { try await self.query($0) }
    }

    /// The stored routing decisions of a lead, oldest first, as text lines for `leads show`.
    public func routingHistory(of lead: LeadID) async throws -> [String] {
        try await self.query("""
            SELECT at, rule, team_id, rep_id, hold_reason, considered FROM routing_decisions WHERE lead_id = \(lead.rawValue) ORDER BY id
            """).map { fields in
            let when = ISO8601DateFormatter().string(from: try fields.date("at"))
            let rep: String? = try fields("rep_id"), hold: String? = try fields("hold_reason"), team: String? = try fields("team_id")
            let rule: String = try fields("rule"), considered: String = try fields("considered")
            let target = rep.map { "-> \($0)" } ?? "held: \(hold ?? "")"
            return "\(when) rule \"\(rule)\" team \(team ?? "-") \(target); considered \(considered)"
        }
    }

    /// Held leads, oldest first.
    public func heldLeads(limit: Int) async throws -> [(LeadID, String, Date)] {
        try await self.query("SELECT lead_id, reason, since FROM held_leads ORDER BY since, lead_id LIMIT \(limit)").map {
            (LeadID(try $0("lead_id") as Int64), try $0("reason") as String, try $0.date("since"))
        }
    }

    /// A lead's SLA deadlines (level 0 of each arming), newest first.
    public func deadlines(of lead: LeadID) async throws -> [DeadlineView] {
        try await self.query("SELECT * FROM deadlines WHERE lead_id = \(lead.rawValue) AND level = 0 ORDER BY id DESC").map {
            DeadlineView(clock: try $0("clock"), policy: try $0("policy"), cycle: Int(try $0("cycle") as Int32), level: Int(try $0("level") as Int32),
                         dueAt: try $0.date("due_at"), state: DeadlineState(rawValue: try $0("state")) ?? .pending,
                         resolvedAt: try $0.optionalDate("resolved_at"), need: (try $0("need") as Int32?).map(Int.init))
        }
    }

    /// A lead's decided escalations, oldest first.
    public func escalations(of lead: LeadID) async throws -> [EscalationView] {
        try await self.query("SELECT * FROM escalations WHERE lead_id = \(lead.rawValue) ORDER BY decided_at, id").map {
            EscalationView(clock: try $0("clock"), cycle: Int(try $0("cycle") as Int32), level: Int(try $0("level") as Int32),
                           policy: try $0("policy"), actions: try $0("actions"), decidedAt: try $0.date("decided_at"),
                           lateMilliseconds: try $0("late_ms"), owner: try $0("owner_rep_id"), outcome: try $0("outcome"))
        }
    }
}

extension PostgresLeadStore {
    /// Every input that made or touched the lead, oldest first.
    public func inputs(of lead: LeadID) async throws -> [LeadInput] {
        try await self.query("""
            SELECT origin_channel, origin_name, origin_key, activity_id, received_at, warnings, headers, body FROM captures
            WHERE lead_id = \(lead.rawValue) ORDER BY id
            """).map { fields in
            let warnings = (try? JSONSerialization.jsonObject(with: Data((try fields("warnings") as String).utf8))) as? [String] ?? []
            return LeadInput(origin: LeadOrigin(channel: LeadOrigin.Channel(rawValue: try fields("origin_channel")) ?? .manual,
                                                name: try fields("origin_name"), key: try fields("origin_key")),
                             reinquiryActivity: try fields("activity_id"), receivedAt: try fields.date("received_at"),
                             warnings: warnings, raw: RawCapture(headers: try fields("headers"), body: Array(try fields("body") as Data)))
        }
    }

    /// Whether a lead's pending deadlines were computed across provisional holidays.
    public func provisionalClocks(of lead: LeadID) async throws -> Set<String> {
        Set(try await self.query("""
            SELECT DISTINCT clock FROM deadlines WHERE lead_id = \(lead.rawValue) AND provisional AND state = 'pending'
            """).map { try $0("clock") as String })
    }
}

extension PostgresLeadStore: StoreInspection, ActivityRecording {}
