import Foundation
import LeadCore
import Logging
import PostgresNIO

/// A rep's mail (BCC drop box) as activities on the leads among its recipients, once per file.
extension PostgresLeadStore: MailActivityRecording {
    public func recordMailActivity(_ mail: MailActivity, clocks: ClockDecider, now: Date) async throws -> MailActivityResult {
        try await transaction { connection in
            let logger = self.logger
            // The file's row is the claim: a node that sees the same file later finds it taken.
            if try await self.mailActivityTaken(maildrop: mail.maildrop, file: mail.file, on: connection) { return .alreadyTaken }
            if let id = mail.messageID, try await connection.query("""
                SELECT file FROM mail_activities WHERE maildrop = \(mail.maildrop) AND message_id = \(id)
                """, logger: logger).collectFirst(String.self) != nil {
                try await Self.remember(mail, rep: nil, leads: [], result: "duplicate Message-ID", now: now, message: false, on: connection, logger: logger)
                return .duplicateMessage
            }
            guard let rep = try await connection.query("""
                SELECT id FROM reps WHERE lower(email) = \(mail.from.lowercased()) AND NOT retired
                """, logger: logger).collectFirst(String.self).map(RepID.init(rawValue:)) else {
                try await Self.remember(mail, rep: nil, leads: [], result: "sender is not a rep", now: now, message: true, on: connection, logger: logger)
                return .unknownSender
            }
            var recorded: [LeadID] = []
            for address in Set(mail.recipients).sorted() {
                // The newest open lead with that address.
                guard let id = try await connection.query("""
                    SELECT id FROM leads WHERE email = \(address) AND status NOT IN ('converted', 'disqualified') ORDER BY id DESC LIMIT 1
                    """, logger: logger).collectFirst(Int64.self) else { continue }
                _ = try await PostgresLifecycleWriter.activity(ActivityDraft(lead: LeadID(id), kind: .email, rep: rep, note: mail.subject),
                                                               at: mail.sentAt, clocks: clocks, ownedBy: nil, bounds: nil, now: now,
                                                               on: connection, logger: logger)
                recorded.append(LeadID(id))
            }
            try await Self.remember(mail, rep: rep, leads: recorded, result: recorded.isEmpty ? "no lead among the recipients" : "recorded",
                                    now: now, message: true, on: connection, logger: logger)
            return recorded.isEmpty ? .noLead(rep) : .recorded(rep, recorded)
        }
    }

    public func mailActivityTaken(maildrop: String, file: String) async throws -> Bool {
        try await self.query("SELECT file FROM mail_activities WHERE maildrop = \(maildrop) AND file = \(file)")
            .collectFirst(String.self) != nil
    }

    private func mailActivityTaken(maildrop: String, file: String, on connection: PostgresConnection) async throws -> Bool {
        try await connection.query("SELECT file FROM mail_activities WHERE maildrop = \(maildrop) AND file = \(file)", logger: logger)
            .collectFirst(String.self) != nil
    }

    private static func remember(_ mail: MailActivity, rep: RepID?, leads: [LeadID], result: String, now: Date, message: Bool,
                                 on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO mail_activities (maildrop, file, message_id, rep_id, leads, result, processed_at)
            VALUES (\(mail.maildrop), \(mail.file), \(message ? mail.messageID : nil), \(rep?.rawValue),
                    \(leads.map(\.description).joined(separator: ",")), \(result), \(now.unixSeconds))
            """, logger: logger)
    }
}

extension PostgresLeadStore: ProvisionalDeadlineRecomputing {
    /// Recomputes every pending row computed across a provisional holiday (`clocks` decides the new
    /// time); the rows are locked, so two nodes reloading at once move each row once.
    public func recomputeProvisionalDeadlines(clocks: ClockDecider, at now: Date) async throws -> [RecomputedDeadline] {
        guard try await self.query("SELECT id FROM deadlines WHERE provisional AND state = 'pending' LIMIT 1")
            .collectFirst(Int64.self) != nil else { return [] }
        return try await transaction { connection in
            let rows = try await connection.query("""
                SELECT id, lead_id, clock, cycle, level, due_at, policy, started_at FROM deadlines
                WHERE provisional AND state = 'pending' AND started_at IS NOT NULL FOR UPDATE
                """, logger: self.logger).map {
                (id: try $0("id") as Int64, lead: try $0("lead_id") as Int64, clock: try $0("clock") as String, cycle: Int(try $0("cycle") as Int32),
                 level: Int(try $0("level") as Int32), due: try $0("due_at") as Int64, policy: try $0("policy") as String?,
                 start: try $0("started_at") as Double)
            }
            var changes: [RecomputedDeadline] = []
            for row in rows {
                guard let clock = SLAClock(rawValue: row.clock),
                      let level = clocks.rescheduled(clock: clock, policy: row.policy ?? "", level: row.level,
                                                     start: Date(timeIntervalSince1970: row.start)) else { continue }
                let due = level.due.unixSeconds
                try await connection.query("UPDATE deadlines SET due_at = \(due), provisional = \(level.provisional) WHERE id = \(row.id)",
                                           logger: self.logger)
                guard due != row.due else { continue }
                changes.append(RecomputedDeadline(lead: LeadID(row.lead), clock: row.clock, level: row.level,
                                                  from: Date(timeIntervalSince1970: TimeInterval(row.due)),
                                                  to: Date(timeIntervalSince1970: TimeInterval(due))))
                try await PostgresEvents.append(connection, kind: "deadline.recomputed", at: now, lead: row.lead, data: [
                    "clock": row.clock, "cycle": String(row.cycle), "level": String(row.level),
                    "from": String(row.due), "to": String(due), "reason": "calendar holiday data changed",
                ], logger: self.logger)
            }
            if !changes.isEmpty { try await PostgresWakeups.notify(.deadlines, on: connection, logger: self.logger) }
            return changes
        }
    }
}
