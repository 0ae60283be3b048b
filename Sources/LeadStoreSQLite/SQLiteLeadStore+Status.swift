import Foundation
import GRDB
import LeadCore

extension SQLiteLeadStore {
    public func summary() async throws -> StoreSummary {
        try await pool.read { db in
            // Lead, clock and outbox counts come from the counters the triggers keep (schema v5, v11), not scans.
            let closed = [LeadStatus.converted.rawValue, LeadStatus.disqualified.rawValue]
            let row = try Row.fetchOne(db, sql: """
                SELECT
                  (SELECT COALESCE(SUM(n), 0) FROM lead_counts) AS total,
                  (SELECT COALESCE(SUM(n), 0) FROM lead_counts WHERE status NOT IN (?, ?)) AS open,
                  (SELECT COALESCE(SUM(n), 0) FROM lead_counts WHERE owned = 0 AND status NOT IN (?, ?)) AS unassigned,
                  (SELECT COUNT(*) FROM reps WHERE retired = 0) AS reps,
                  (SELECT COUNT(*) FROM teams WHERE retired = 0) AS teams,
                  (SELECT pending FROM deadline_counts) AS deadlines,
                  (SELECT COALESCE(SUM(n), 0) FROM outbox_counts WHERE state IN ('pending', 'sending')) AS outbox,
                  (SELECT COALESCE(SUM(n), 0) FROM outbox_counts WHERE state = 'dead') AS dead
                """, arguments: StatementArguments(closed + closed))!
            var summary = StoreSummary(
                leadsTotal: row["total"], leadsOpen: row["open"], leadsUnassigned: row["unassigned"],
                reps: row["reps"], teams: row["teams"], deadlinesPending: row["deadlines"] ?? 0,
                outboxPending: row["outbox"], outboxDead: row["dead"])
            for status in try Row.fetchAll(db, sql: "SELECT status, SUM(n) AS n FROM lead_counts GROUP BY status HAVING SUM(n) > 0") {
                summary.leadsByStatus[status["status"]] = status["n"]
            }
            summary.leadsStale = try Int.fetchOne(db, sql: """
                SELECT COUNT(DISTINCT lead_id) FROM deadlines WHERE clock = 'stale' AND level = 0 AND state = 'missed' AND resolved_at IS NULL
                """) ?? 0
            return summary
        }
    }

    public func recordHeartbeat(_ heartbeat: DaemonHeartbeat) async throws {
        try await write { db in
            try db.execute(sql: """
                INSERT INTO daemon (singleton, pid, started_at, last_tick_at, config_generation, config_loaded_at,
                    config_file, version) VALUES (1, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(singleton) DO UPDATE SET pid = excluded.pid, started_at = excluded.started_at,
                    last_tick_at = excluded.last_tick_at, config_generation = excluded.config_generation,
                    config_loaded_at = excluded.config_loaded_at, config_file = excluded.config_file,
                    version = excluded.version
                """, arguments: [heartbeat.pid, heartbeat.startedAt.unixSeconds, heartbeat.lastTickAt.unixSeconds,
                                 heartbeat.configGeneration, heartbeat.configLoadedAt.unixSeconds,
                                 heartbeat.configFile, heartbeat.version])
        }
    }

    public func heartbeat() async throws -> DaemonHeartbeat? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM daemon WHERE singleton = 1").map { row in
                DaemonHeartbeat(
                    pid: row["pid"], startedAt: Date(unixSeconds: row["started_at"]),
                    lastTickAt: Date(unixSeconds: row["last_tick_at"]), configGeneration: row["config_generation"],
                    configLoadedAt: Date(unixSeconds: row["config_loaded_at"]), configFile: row["config_file"],
                    version: row["version"])
            }
        }
    }
}
