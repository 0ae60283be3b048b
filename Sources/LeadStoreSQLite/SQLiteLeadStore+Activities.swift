import Foundation
import GRDB
import LeadCore

extension SQLiteLeadStore {
    public func recordActivity(_ activity: ActivityDraft, at time: Date, clocks: ClockDecider, ownedBy: RepID?, bounds: Lifecycle?,
                               now: Date) async throws -> ActivityOutcome {
        try await write { db in
            try ActivityWriter.record(activity, at: time, clocks: clocks, ownedBy: ownedBy, bounds: bounds, now: now, in: db)
        }
    }

    /// Leads with an open deadline due before `before` (overdue when `before` is now: breached and
    /// not yet met), soonest first.
    public func leadsDue(before: Date, limit: Int) async throws -> [(LeadID, String, Date)] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT lead_id, clock, due_at FROM deadlines
                WHERE level = 0 AND due_at <= ?1 AND (state = 'pending' OR (state = 'missed' AND resolved_at IS NULL))
                ORDER BY due_at, lead_id LIMIT ?2
                """, arguments: [before.unixSeconds, limit]).map { (LeadID($0["lead_id"] as Int64), $0["clock"], Date(unixSeconds: $0["due_at"])) }
        }
    }
}

extension SQLiteLeadStore: MailActivityRecording {
    public func recordMailActivity(_ mail: MailActivity, clocks: ClockDecider, now: Date) async throws -> MailActivityResult {
        try await write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM mail_activities WHERE maildrop = ? AND file = ?", arguments: [mail.maildrop, mail.file]) != nil {
                return .alreadyTaken
            }
            if let id = mail.messageID, try Bool.fetchOne(db, sql: "SELECT 1 FROM mail_activities WHERE maildrop = ? AND message_id = ?",
                                                          arguments: [mail.maildrop, id]) != nil {
                try Self.remember(mail, rep: nil, leads: [], result: "duplicate Message-ID", now: now, message: false, in: db)
                return .duplicateMessage
            }
            guard let rep = try String.fetchOne(db, sql: "SELECT id FROM reps WHERE lower(email) = ? AND retired = 0",
                                                arguments: [mail.from.lowercased()]).map(RepID.init(rawValue:)) else {
                try Self.remember(mail, rep: nil, leads: [], result: "sender is not a rep", now: now, message: true, in: db)
                return .unknownSender
            }
            var recorded: [(LeadID, ActivityOutcome)] = []
            for address in Set(mail.recipients).sorted() {
                // The newest open lead with that address.
                guard let id = try Int64.fetchOne(db.cachedStatement(sql: """
                    SELECT id FROM leads WHERE email = ? AND status NOT IN ('converted', 'disqualified') ORDER BY id DESC LIMIT 1
                    """), arguments: [address]) else { continue }
                let outcome = try ActivityWriter.record(ActivityDraft(lead: LeadID(id), kind: .email, rep: rep, note: mail.subject),
                                                        at: mail.sentAt, clocks: clocks, ownedBy: nil, now: now, in: db)
                recorded.append((LeadID(id), outcome))
            }
            try Self.remember(mail, rep: rep, leads: recorded.map(\.0), result: recorded.isEmpty ? "no lead among the recipients" : "recorded",
                              now: now, message: true, in: db)
            return recorded.isEmpty ? .noLead(rep) : .recorded(rep, recorded.map(\.0))
        }
    }

    public func mailActivityTaken(maildrop: String, file: String) async throws -> Bool {
        try await pool.read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM mail_activities WHERE maildrop = ? AND file = ?", arguments: [maildrop, file]) != nil
        }
    }

    private static func remember(_ mail: MailActivity, rep: RepID?, leads: [LeadID], result: String, now: Date, message: Bool,
                                 in db: Database) throws {
        try db.execute(sql: """
            INSERT INTO mail_activities (maildrop, file, message_id, rep_id, leads, result, processed_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [mail.maildrop, mail.file, message ? mail.messageID : nil, rep?.rawValue,
                             leads.map(\.description).joined(separator: ","), result, now.unixSeconds])
    }
}

/// Records an activity and what it does to the clocks, inside the caller's transaction.
enum ActivityWriter {
    static func record(_ activity: ActivityDraft, at time: Date, clocks: ClockDecider, ownedBy: RepID?, bounds: Lifecycle? = nil, now: Date,
                       in db: Database) throws -> ActivityOutcome {
        guard let (lead, supervisor) = try LifecycleWriter.lead(activity.lead, in: db) else { throw LeadStoreError.unknownLead(activity.lead) }
        let assignedAt = try bounds.flatMap { _ in
            try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(assigned_at) FROM assignments WHERE lead_id = ?"),
                               arguments: [activity.lead.rawValue]).map(Date.init(unixSeconds:))
        }
        let effects = try LifecycleDecider.activity(activity, on: lead, teamSupervisor: supervisor, ownedBy: ownedBy, bounds: bounds,
                                                    assignedAt: assignedAt, clocks: clocks, at: time, now: now)
        try db.cachedStatement(sql: "INSERT INTO activities (lead_id, kind, rep_id, note, at, recorded_at) VALUES (?, ?, ?, ?, ?, ?)")
            .execute(arguments: [activity.lead.rawValue, activity.kind.rawValue, activity.rep?.rawValue,
                                 activity.note.map(LeadNormaliser.note), time.unixSeconds, now.unixSeconds])
        try db.cachedStatement(sql: "UPDATE leads SET updated_at = ?, status = ? WHERE id = ?")
            .execute(arguments: [now.unixSeconds, (effects.newStatus ?? lead.status).rawValue, activity.lead.rawValue])
        if let status = effects.newStatus {
            try StatusWriter.record(activity.lead, from: lead.status, to: status, rep: activity.rep, role: .owner, reason: nil, at: time, in: db)
        }
        let touched = try SLAWriter.touch(effects.clocks, lead: activity.lead, now: now, in: db)
        for notice in effects.notices { try OutboxWriter.queue(notice, at: now, in: db) }
        try EventLog.append(db, kind: "lead.activity", at: now, lead: activity.lead.rawValue, rep: activity.rep?.rawValue,
                            data: ["kind": activity.kind.rawValue, "counts": effects.counts ? "true" : "false", "at": String(time.unixSeconds)])
        return ActivityOutcome(countsForSLA: effects.counts, metFirstContact: touched.firstContact, metFollowUps: touched.followUpsMet,
                               armed: touched.armed, owner: lead.owner)
    }
}
