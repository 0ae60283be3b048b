import Foundation
import LeadCore
import Logging
import PostgresNIO

/// The daemons sharing the database: one `nodes` row per host and process, renewed by its
/// heartbeat, and the leader row for periodic work.
extension PostgresLeadStore: ClusterCoordination {
    public func recordHeartbeat(_ heartbeat: DaemonHeartbeat) async throws {
        try await self.query("""
            INSERT INTO nodes (node, host, pid, version, config_generation, config_file, started_at, last_tick_at, config_loaded_at)
            VALUES (\(heartbeat.node), \(heartbeat.host), \(Int64(heartbeat.pid)), \(heartbeat.version),
                    \(heartbeat.configGeneration), \(heartbeat.configFile), \(heartbeat.startedAt.unixSeconds),
                    \(heartbeat.lastTickAt.unixSeconds), \(heartbeat.configLoadedAt.unixSeconds))
            ON CONFLICT (node) DO UPDATE SET version = excluded.version, config_generation = excluded.config_generation,
                config_file = excluded.config_file, started_at = excluded.started_at, last_tick_at = excluded.last_tick_at,
                config_loaded_at = excluded.config_loaded_at
            """)
    }

    /// The most recent heartbeat of any node.
    public func heartbeat() async throws -> DaemonHeartbeat? {
        try await nodes().first?.heartbeat
    }

    /// Every node that has sent a heartbeat, the most recent first.
    public func nodes() async throws -> [ClusterNode] {
        try await self.query("""
            SELECT n.*, (l.node IS NOT NULL) AS leads FROM nodes n
            LEFT JOIN leader l ON l.node = n.node AND l.role = \(ClusterRole.periodic) AND l.expires_at > EXTRACT(EPOCH FROM now())::BIGINT
            ORDER BY n.last_tick_at DESC, n.node
            """).map { fields in
            ClusterNode(node: try fields("node"), host: try fields("host"), leader: try fields("leads"),
                        heartbeat: DaemonHeartbeat(pid: try fields("pid"), startedAt: try fields.date("started_at"),
                                                   lastTickAt: try fields.date("last_tick_at"),
                                                   configGeneration: Int(try fields("config_generation") as Int32),
                                                   configLoadedAt: try fields.date("config_loaded_at"), configFile: try fields("config_file"),
                                                   version: try fields("version"), host: try fields("host")))
        }
    }

    /// Takes or renews the leader row for `role` for `ttl` seconds from `now`: true when this node
    /// holds it (it held it and renewed, or the row was absent or expired). Insert-if-absent,
    /// renew-while-holding, re-elect-on-expiry, in one statement.
    public func lead(_ role: String, node: String, ttl: TimeInterval, at now: Date) async throws -> Bool {
        let expires = now.unixSeconds + Int64(ttl.rounded(.up))
        return try await self.query("""
            INSERT INTO leader (role, node, elected_at, expires_at) VALUES (\(role), \(node), \(now.unixSeconds), \(expires))
            ON CONFLICT (role) DO UPDATE SET node = excluded.node, expires_at = excluded.expires_at,
                elected_at = CASE WHEN leader.node = excluded.node THEN leader.elected_at ELSE excluded.elected_at END
            WHERE leader.node = excluded.node OR leader.expires_at <= \(now.unixSeconds)
            RETURNING node
            """).collectFirst(String.self) == node
    }

    /// Gives up the leader row (a clean stop), so another node takes over at once.
    public func resign(_ role: String, node: String) async throws {
        try await self.query("DELETE FROM leader WHERE role = \(role) AND node = \(node)")
    }

    /// The node holding `role` at `now`, if its row has not expired.
    public func leader(_ role: String, at now: Date) async throws -> (node: String, electedAt: Date)? {
        try await self.query("""
            SELECT node, elected_at FROM leader WHERE role = \(role) AND expires_at > \(now.unixSeconds)
            """).map { (try $0("node") as String, try $0.date("elected_at")) }.first
    }

    /// The database's clock (what leases and due times are compared with on a shared database).
    public func databaseNow() async throws -> Date {
        let micros = try await self.query("SELECT (EXTRACT(EPOCH FROM clock_timestamp()) * 1000000)::BIGINT")
            .collectFirst(Int64.self) ?? 0
        return Date(timeIntervalSince1970: TimeInterval(micros) / 1_000_000)
    }

    public func ping() async throws {
        _ = try await self.query("SELECT 1").collectFirst(Int32.self)
    }
}

extension PostgresLeadStore {
    public func recordLead(_ draft: LeadDraft, at now: Date) async throws -> LeadRecording {
        try await transaction { connection in
            let origin = draft.origin
            if let existing = try await connection.query("""
                SELECT id FROM leads WHERE origin_channel = \(origin.channel.rawValue) AND origin_name = \(origin.name) AND origin_key = \(origin.key)
                """, logger: self.logger).collectFirst(Int64.self) {
                return .duplicate(LeadID(existing))
            }
            return .created(LeadID(try await PostgresIntakeWriter.insertLead(draft, at: now, on: connection, logger: self.logger)))
        }
    }

    public func assign(_ lead: LeadID, to rep: RepID, team: TeamID?, rule: String, at now: Date) async throws {
        try await transaction { connection in
            guard try await PostgresLeadRow.read(lead, lock: true, { try await connection.query($0, logger: self.logger) }) != nil else {
                throw LeadStoreError.unknownLead(lead)
            }
            guard try await connection.query("SELECT id FROM reps WHERE id = \(rep.rawValue)", logger: self.logger).collectFirst(String.self) != nil
            else { throw LeadStoreError.unknownRep(rep) }
            let at = now.unixSeconds
            try await connection.query("UPDATE assignments SET ended_at = \(at) WHERE lead_id = \(lead.rawValue) AND ended_at IS NULL",
                                       logger: self.logger)
            try await connection.query("""
                INSERT INTO assignments (lead_id, rep_id, team_id, rule, assigned_at)
                VALUES (\(lead.rawValue), \(rep.rawValue), \(team?.rawValue), \(rule), \(at))
                """, logger: self.logger)
            try await connection.query("""
                UPDATE leads SET owner_rep_id = \(rep.rawValue), team_id = \(team?.rawValue), updated_at = \(at) WHERE id = \(lead.rawValue)
                """, logger: self.logger)
            try await PostgresEvents.append(connection, kind: "lead.assigned", at: now, lead: lead.rawValue, rep: rep.rawValue,
                                            data: ["rule": rule, "team": team?.rawValue ?? ""], logger: self.logger)
        }
    }

    public func leads(_ filter: LeadQuery) async throws -> [Lead] {
        let rows = try await self.query("""
            SELECT \(unescaped: PostgresLeadRow.columns) FROM leads
            WHERE (\(filter.status?.rawValue)::TEXT IS NULL OR status = \(filter.status?.rawValue))
              AND (\(filter.owner?.rawValue)::TEXT IS NULL OR owner_rep_id = \(filter.owner?.rawValue))
              AND (\(filter.receivedSince?.unixSeconds)::BIGINT IS NULL OR received_at >= \(filter.receivedSince?.unixSeconds))
            ORDER BY id DESC LIMIT \(filter.limit)
            """ as PostgresQuery)
        var leads: [Lead] = []
        for try await row in rows { leads.append(try PostgresLeadRow.lead(row)) }
        return leads
    }
}
extension PostgresLeadStore: LeadStore {}
