import Foundation
import GRDB
import LeadCore

/// The weekly summary's storage: the text is built in `LeadCore` (`WeeklySummaries`).
extension SQLiteLeadStore: WeeklySummaryStore {
    public func firstLeadCreatedAt() async throws -> Date? {
        try await pool.read { db in try Int64.fetchOne(db, sql: "SELECT created_at FROM leads ORDER BY id LIMIT 1").map(Date.init(unixSeconds:)) }
    }

    public func weeklySummaryTeams(week: Int) async throws -> Set<TeamID> {
        try await pool.read { db in
            Set(try String.fetchAll(db, sql: "SELECT team_id FROM weekly_summaries WHERE week = ?", arguments: [week]).map(TeamID.init(rawValue:)))
        }
    }

    public func queueWeeklySummary(_ notice: QueuedNotice, team: TeamID, week: Int, at now: Date) async throws -> Bool {
        try await write { db -> Bool in
            try db.execute(sql: "INSERT INTO weekly_summaries (team_id, week, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                           arguments: [team.rawValue, week, now.unixSeconds])
            guard db.changesCount > 0 else { return false }
            try OutboxWriter.queue(notice, at: now, in: db)
            try db.execute(sql: "UPDATE weekly_summaries SET outbox_id = ? WHERE team_id = ? AND week = ?",
                           arguments: [db.lastInsertedRowID, team.rawValue, week])
            return true
        }
    }
}
