import Foundation
import GRDB
import LeadCore

/// The daily to-do mail's storage: which leads it lists, and the once-per-day record. The mail
/// itself is built in `LeadCore` (`DailyDigests`).
extension SQLiteLeadStore: DailyDigestStore {
    public func dailyDigestsDone(days: Set<Int>) async throws -> Set<String> {
        try await pool.read { db in
            Set(try String.fetchAll(db, sql: "SELECT recipient || '|' || day FROM daily_digests WHERE day IN (\(days.map(String.init).joined(separator: ",")))"))
        }
    }

    public func queueDailyDigest(for recipient: DailyDigests.Recipient, day: (key: Int, start: Date, end: Date), idleSince: Date,
                                 at now: Date, build: @Sendable (DailyDigests.Facts) -> [QueuedNotice]) async throws -> Bool {
        try await write { db -> Bool in
            try db.execute(sql: "INSERT INTO daily_digests (recipient, day, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                           arguments: [recipient.key, day.key, now.unixSeconds])
            guard db.changesCount > 0 else { return false }
            let notices = build(try Self.digestFacts(for: recipient, day: day, idleSince: idleSince, now: now, in: db))
            guard let mail = notices.first else { return false }
            try OutboxWriter.queue(mail, at: now, in: db)
            try db.execute(sql: "UPDATE daily_digests SET outbox_id = ? WHERE recipient = ? AND day = ?",
                           arguments: [db.lastInsertedRowID, recipient.key, day.key])
            for copy in notices.dropFirst() { try OutboxWriter.queue(copy, at: now, in: db) }
            return true
        }
    }

    private static func digestFacts(for recipient: DailyDigests.Recipient, day: (key: Int, start: Date, end: Date), idleSince: Date,
                                    now: Date, in db: Database) throws -> DailyDigests.Facts {
        let filter = recipient.rep != nil ? "l.owner_rep_id = ?1" : "l.team_id = ?1"
        let owner: DatabaseValueConvertible = recipient.rep?.rawValue ?? recipient.team?.id.rawValue ?? ""
        func row(_ row: Row) -> DailyDigests.Row {
            DailyDigests.Row(lead: LeadID(row["id"] as Int64), name: row["name"], company: row["company"],
                             owner: (row["owner_rep_id"] as String?).map(RepID.init(rawValue:)), status: row["status"],
                             clock: (row["clock"] as String?).map { SLAClock(rawValue: $0) ?? .firstContact },
                             dueAt: (row["due_at"] as Int64?).map(Date.init(unixSeconds:)))
        }
        func deadlines(_ condition: String, _ extra: [DatabaseValueConvertible]) throws -> [DailyDigests.Row] {
            try Row.fetchAll(db, sql: """
                SELECT l.id, l.name, l.company, l.owner_rep_id, l.status, d.clock, d.due_at FROM deadlines d JOIN leads l ON l.id = d.lead_id
                WHERE \(filter) AND d.level = 0 AND l.status NOT IN ('converted', 'disqualified') AND \(condition)
                ORDER BY d.due_at, l.id LIMIT 100
                """, arguments: StatementArguments([owner] + extra)).map(row)
        }
        let dueToday = try deadlines("d.state = 'pending' AND d.due_at >= ?2 AND d.due_at < ?3", [max(now, day.start).unixSeconds, day.end.unixSeconds])
        let overdue = try deadlines("((d.state = 'pending' AND d.due_at < ?2) OR (d.state = 'missed' AND d.resolved_at IS NULL))", [now.unixSeconds])
        let idle = try Row.fetchAll(db, sql: """
            SELECT l.id, l.name, l.company, l.owner_rep_id, l.status, NULL AS clock, NULL AS due_at FROM leads l
            WHERE \(filter) AND l.status NOT IN ('converted', 'disqualified')
              AND COALESCE((SELECT MAX(at) FROM activities a WHERE a.lead_id = l.id),
                           (SELECT MAX(assigned_at) FROM assignments s WHERE s.lead_id = l.id), l.created_at) < ?2
            ORDER BY l.id LIMIT 100
            """, arguments: [owner, idleSince.unixSeconds]).map(row)
        var breaches: Int?
        if let team = recipient.team {
            breaches = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM deadlines d JOIN leads l ON l.id = d.lead_id
                WHERE l.team_id = ? AND d.level = 0 AND d.state = 'missed' AND d.due_at >= ? AND d.due_at < ?
                """, arguments: [team.id.rawValue, day.start.addingTimeInterval(-86_400).unixSeconds, day.start.unixSeconds]) ?? 0
        }
        return DailyDigests.Facts(dueToday: dueToday, overdue: overdue, idle: idle, breachesYesterday: breaches)
    }
}
