import Foundation
import GRDB
import LeadCore

extension SQLiteLeadStore {
    /// What recording a contact did to the clocks.
    public struct ContactResult: Sendable, Equatable {
        /// The first-contact deadline was met by this contact.
        public var metFirstContact: Bool
        /// The contact was by the owner or the team's supervisor (only those stop clocks).
        public var countsForSLA: Bool
    }

    /// Records a contact (call, e-mail, meeting, message) in one transaction; a contact by the
    /// lead's owner or its team's supervisor meets a pending first-contact deadline.
    public func recordContact(_ activity: ActivityDraft, at time: Date) async throws -> ContactResult {
        try await pool.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT owner_rep_id, team_id FROM leads WHERE id = ?", arguments: [activity.lead.rawValue]) else {
                throw LeadStoreError.unknownLead(activity.lead)
            }
            try db.execute(sql: "INSERT INTO activities (lead_id, kind, rep_id, note, at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [activity.lead.rawValue, activity.kind.rawValue, activity.rep?.rawValue, activity.note, time.unixSeconds])
            try db.execute(sql: "UPDATE leads SET updated_at = ?, status = CASE WHEN status = 'new' THEN 'contacted' ELSE status END WHERE id = ?",
                           arguments: [time.unixSeconds, activity.lead.rawValue])
            let owner: String? = row["owner_rep_id"]
            var supervisor = false
            if let team = row["team_id"] as String?, let rep = activity.rep {
                supervisor = try String.fetchOne(db, sql: "SELECT supervisor FROM teams WHERE id = ?", arguments: [team]) == "rep:\(rep.rawValue)"
            }
            let counts = activity.rep != nil && (activity.rep?.rawValue == owner || supervisor)
            var met = false
            if counts {
                try db.execute(sql: """
                    UPDATE deadlines SET state = CASE WHEN due_at >= ? THEN 'met' ELSE 'missed' END, resolved_at = ?
                    WHERE lead_id = ? AND clock = 'first_contact' AND state = 'pending'
                    """, arguments: [time.unixSeconds, time.unixSeconds, activity.lead.rawValue])
                met = db.changesCount > 0
            }
            try EventLog.append(db, kind: "lead.contact", at: time, lead: activity.lead.rawValue, rep: activity.rep?.rawValue,
                                data: ["kind": activity.kind.rawValue, "counts": counts ? "true" : "false"])
            return ContactResult(metFirstContact: met, countsForSLA: counts)
        }
    }

    /// Leads with a pending deadline due before `before` (overdue when `before` is now), soonest first.
    public func leadsDue(before: Date, limit: Int) async throws -> [(LeadID, String, Date)] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT lead_id, clock, due_at FROM deadlines WHERE state = 'pending' AND due_at < ? ORDER BY due_at, lead_id LIMIT ?
                """, arguments: [before.unixSeconds, limit]).map { (LeadID($0["lead_id"] as Int64), $0["clock"], Date(unixSeconds: $0["due_at"])) }
        }
    }
}
