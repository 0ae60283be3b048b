import Foundation
import LeadCore
import Logging
import PostgresNIO

/// The daily to-do mail's storage: which leads it lists, and the once-per-day record (its primary
/// key makes it once across nodes). The mail itself is built in `LeadCore` (`DailyDigests`).
extension PostgresLeadStore: DailyDigestStore {
    public func dailyDigestsDone(days: Set<Int>) async throws -> Set<String> {
        Set(try await self.query("""
            SELECT recipient || '|' || day AS done FROM daily_digests WHERE day = ANY(\(days.map(Int64.init)))
            """).map { try $0("done") as String })
    }

    public func queueDailyDigest(for recipient: DailyDigests.Recipient, day: (key: Int, start: Date, end: Date), idleSince: Date,
                                 at now: Date, build: @Sendable (DailyDigests.Facts) -> [QueuedNotice]) async throws -> Bool {
        try await transaction { connection in
            let logger = self.logger
            guard try await connection.query("""
                INSERT INTO daily_digests (recipient, day, created_at) VALUES (\(recipient.key), \(day.key), \(now.unixSeconds))
                ON CONFLICT DO NOTHING RETURNING day
                """, logger: logger).collectFirst(Int64.self) != nil else { return false }
            let facts = try await Self.digestFacts(for: recipient, day: day, idleSince: idleSince, now: now, on: connection, logger: logger)
            let notices = build(facts)
            guard let mail = notices.first else { return false }
            let id = try await PostgresOutboxWriter.queue(mail, at: now, on: connection, logger: logger)
            for copy in notices.dropFirst() { try await PostgresOutboxWriter.queue(copy, at: now, on: connection, logger: logger) }
            try await connection.query("""
                UPDATE daily_digests SET outbox_id = \(id) WHERE recipient = \(recipient.key) AND day = \(day.key)
                """, logger: logger)
            return true
        }
    }

    private static func digestFacts(for recipient: DailyDigests.Recipient, day: (key: Int, start: Date, end: Date), idleSince: Date,
                                    now: Date, on connection: PostgresConnection, logger: Logger) async throws -> DailyDigests.Facts {
        let byRep = recipient.rep != nil
        let owner = recipient.rep?.rawValue ?? recipient.team?.id.rawValue ?? ""
        func row(_ fields: PostgresFields) throws -> DailyDigests.Row {
            DailyDigests.Row(lead: LeadID(try fields("id") as Int64), name: try fields("name"), company: try fields("company"),
                             owner: (try fields("owner_rep_id") as String?).map(RepID.init(rawValue:)), status: try fields("status"),
                             clock: (try fields("clock") as String?).map { SLAClock(rawValue: $0) ?? .firstContact },
                             dueAt: try fields.optionalDate("due_at"))
        }
        // `$1` is the owner (a rep, or a team), `$2`… the condition's times.
        func deadlines(_ condition: String, _ times: [Int64]) async throws -> [DailyDigests.Row] {
            var binds = PostgresBindings()
            binds.append(owner)
            for time in times { binds.append(time) }
            return try await connection.query(PostgresQuery(unsafeSQL: """
                SELECT l.id, l.name, l.company, l.owner_rep_id, l.status, d.clock, d.due_at FROM deadlines d JOIN leads l ON l.id = d.lead_id
                WHERE \(byRep ? "l.owner_rep_id" : "l.team_id") = $1 AND d.level = 0 AND l.status NOT IN ('converted', 'disqualified')
                  AND \(condition)
                ORDER BY d.due_at, l.id LIMIT 100
                """, binds: binds), logger: logger).map(row)
        }
        let dueToday = try await deadlines("d.state = 'pending' AND d.due_at >= $2 AND d.due_at < $3",
                                           [max(now, day.start).unixSeconds, day.end.unixSeconds])
        let overdue = try await deadlines("((d.state = 'pending' AND d.due_at < $2) OR (d.state = 'missed' AND d.resolved_at IS NULL))",
                                          [now.unixSeconds])
        var binds = PostgresBindings()
        binds.append(owner); binds.append(idleSince.unixSeconds)
        let idle = try await connection.query(PostgresQuery(unsafeSQL: """
            SELECT l.id, l.name, l.company, l.owner_rep_id, l.status, NULL::TEXT AS clock, NULL::BIGINT AS due_at FROM leads l
            WHERE \(byRep ? "l.owner_rep_id" : "l.team_id") = $1 AND l.status NOT IN ('converted', 'disqualified')
              AND COALESCE((SELECT MAX(at) FROM activities a WHERE a.lead_id = l.id),
                           (SELECT MAX(assigned_at) FROM assignments s WHERE s.lead_id = l.id), l.created_at) < $2
            ORDER BY l.id LIMIT 100
            """, binds: binds), logger: logger).map(row)
        var breaches: Int?
        if let team = recipient.team {
            breaches = Int(try await connection.query("""
                SELECT COUNT(*)::BIGINT FROM deadlines d JOIN leads l ON l.id = d.lead_id
                WHERE l.team_id = \(team.id.rawValue) AND d.level = 0 AND d.state = 'missed'
                  AND d.due_at >= \(day.start.addingTimeInterval(-86_400).unixSeconds) AND d.due_at < \(day.start.unixSeconds)
                """, logger: logger).collectFirst(Int64.self) ?? 0)
        }
        return DailyDigests.Facts(dueToday: dueToday, overdue: overdue, idle: idle, breachesYesterday: breaches)
    }
}
