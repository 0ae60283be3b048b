import Foundation
import GRDB
import LeadCore

extension SQLiteLeadStore {
    public func recordActivity(_ activity: ActivityDraft, at time: Date, sla: SLAPlan?, ownedBy: RepID?,
                               now: Date) async throws -> ActivityOutcome {
        try await pool.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM leads WHERE id = ?", arguments: [activity.lead.rawValue]) else {
                throw LeadStoreError.unknownLead(activity.lead)
            }
            let lead = LeadRow.lead(row)
            if let ownedBy, lead.owner != ownedBy { throw LeadStoreError.notOwner(activity.lead, ownedBy) }
            try db.execute(sql: "INSERT INTO activities (lead_id, kind, rep_id, note, at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [activity.lead.rawValue, activity.kind.rawValue, activity.rep?.rawValue, activity.note, time.unixSeconds])
            var status = lead.status
            if activity.kind.isContact, status == .new { status = .contacted }
            try db.execute(sql: "UPDATE leads SET updated_at = ?, status = ? WHERE id = ?",
                           arguments: [now.unixSeconds, status.rawValue, activity.lead.rawValue])
            var supervisor = false
            if let team = lead.team, let rep = activity.rep {
                supervisor = try String.fetchOne(db, sql: "SELECT supervisor FROM teams WHERE id = ?", arguments: [team.rawValue]) == "rep:\(rep.rawValue)"
            }
            let counts = activity.rep != nil && (activity.rep == lead.owner || supervisor)
            var outcome = ActivityOutcome(countsForSLA: counts, metFirstContact: false, metFollowUps: false, armed: [], owner: lead.owner)
            if counts, !status.isClosed {
                let policy = sla?.policy(for: lead.draft, team: lead.team)
                let effect = try SLAWriter.onActivity(lead: activity.lead, contact: activity.kind.isContact, status: status,
                                                      policy: policy, plan: sla, at: time, now: now, in: db)
                outcome.metFirstContact = effect.firstContact
                outcome.metFollowUps = effect.followUpsMet
                outcome.armed = effect.armed
            }
            try EventLog.append(db, kind: "lead.activity", at: now, lead: activity.lead.rawValue, rep: activity.rep?.rawValue,
                                data: ["kind": activity.kind.rawValue, "counts": counts ? "true" : "false", "at": String(time.unixSeconds)])
            return outcome
        }
    }

    /// Leads with an open deadline due before `before` (overdue when `before` is now: breached and
    /// not yet met), soonest first.
    public func leadsDue(before: Date, limit: Int) async throws -> [(LeadID, String, Date)] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT lead_id, clock, due_at FROM deadlines
                WHERE level = 0 AND due_at < ?1 AND (state = 'pending' OR (state = 'missed' AND resolved_at IS NULL))
                ORDER BY due_at, lead_id LIMIT ?2
                """, arguments: [before.unixSeconds, limit]).map { (LeadID($0["lead_id"] as Int64), $0["clock"], Date(unixSeconds: $0["due_at"])) }
        }
    }
}
