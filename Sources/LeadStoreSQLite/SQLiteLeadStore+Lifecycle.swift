import Foundation
import GRDB
import LeadCore

extension SQLiteLeadStore {
    public func changeStatus(_ lead: LeadID, to name: String, fields rawFields: [String: String], reason rawReason: String?,
                             actor: LifecycleActor, lifecycle: Lifecycle, clocks: ClockDecider, normaliser: LeadNormaliser = LeadNormaliser(),
                             at now: Date) async throws -> StatusChange {
        let edited = normaliser.edit(rawFields)
        let reason = rawReason.map(LeadNormaliser.note)
        // The transaction returns a refusal instead of throwing it, so the attempt's audit event commits.
        let result: Result<StatusChange, LifecycleError> = try await write { db in
            guard let (stored, supervisor) = try LifecycleWriter.lead(lead, in: db) else { return .failure(.unknownLead(lead)) }
            switch LifecycleDecider.statusChange(stored, teamSupervisor: supervisor, to: name, edited: edited, reason: reason, actor: actor,
                                                 lifecycle: lifecycle, clocks: clocks, at: now) {
            case .notAllowed(let error):
                return .failure(error)
            case .refused(let refusal, let to):
                try LifecycleWriter.auditRefusal(lead, actor: actor, to: to, refusal: refusal, at: now, in: db)
                return .failure(.refused(refusal))
            case .change(let change):
                if !change.changed.isEmpty { try LifecycleWriter.save(change.draft, lead: lead, changed: change.changed, actor: actor, at: now, in: db) }
                try db.execute(sql: "UPDATE leads SET status = ?, updated_at = ? WHERE id = ?",
                               arguments: [change.to.rawValue, now.unixSeconds, lead.rawValue])
                try StatusWriter.record(lead, from: change.from, to: change.to, rep: actor.rep, role: change.role, reason: change.reason,
                                        at: now, in: db)
                let armed = try SLAWriter.touch(change.clocks, lead: lead, now: now, in: db).armed
                for notice in change.notices { try OutboxWriter.queue(notice, at: now, in: db) }
                return .success(StatusChange(from: change.from, to: change.to, role: change.role, armed: armed))
            }
        }
        return try result.get()
    }

    public func setFields(_ lead: LeadID, fields rawFields: [String: String], actor: LifecycleActor, lifecycle: Lifecycle, clocks: ClockDecider,
                          normaliser: LeadNormaliser = LeadNormaliser(), at now: Date) async throws {
        let edited = normaliser.edit(rawFields)
        let result: Result<Void, LifecycleError> = try await write { db in
            guard let (stored, supervisor) = try LifecycleWriter.lead(lead, in: db) else { return .failure(.unknownLead(lead)) }
            switch LifecycleDecider.fieldEdit(stored, teamSupervisor: supervisor, edited: edited, actor: actor, lifecycle: lifecycle) {
            case .notAllowed(let error):
                return .failure(error)
            case .refused(let refusal, let to):
                try LifecycleWriter.auditRefusal(lead, actor: actor, to: to, refusal: refusal, at: now, in: db)
                return .failure(.refused(refusal))
            case .change(let edit):
                try LifecycleWriter.save(edit.draft, lead: lead, changed: edit.changed, actor: actor, at: now, in: db)
                return .success(())
            }
        }
        try result.get()
    }
}

/// Writes of the lifecycle inside the caller's transaction.
enum LifecycleWriter {
    /// The lead and its team's stored supervisor (what the lifecycle decisions read).
    static func lead(_ id: LeadID, in db: Database) throws -> (Lead, String?)? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM leads WHERE id = ?"), arguments: [id.rawValue]) else { return nil }
        let lead = LeadRow.lead(row)
        let supervisor = try lead.team.flatMap {
            try String.fetchOne(db.cachedStatement(sql: "SELECT supervisor FROM teams WHERE id = ?"), arguments: [$0.rawValue])
        }
        return (lead, supervisor)
    }

    /// The fields of `draft` into the row, with an activity and an audit event naming what changed.
    static func save(_ draft: LeadDraft, lead: LeadID, changed: [String: String], actor: LifecycleActor, at now: Date, in db: Database) throws {
        let custom = (try? JSONSerialization.data(withJSONObject: draft.customFields, options: [.sortedKeys])).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        try db.execute(sql: """
            UPDATE leads SET name = ?, company = ?, email = ?, phone = ?, country = ?, province = ?, city = ?, industry = ?,
                source = ?, campaign = ?, message = ?, custom_fields = ?, updated_at = ? WHERE id = ?
            """, arguments: [draft.name, draft.company, draft.email, draft.phone, draft.country, draft.province, draft.city, draft.industry,
                             draft.source, draft.campaign, draft.message, custom, now.unixSeconds, lead.rawValue])
        let summary = changed.keys.sorted().map { "\($0)=\(changed[$0]!)" }.joined(separator: ", ")
        try db.execute(sql: "INSERT INTO activities (lead_id, kind, rep_id, note, at) VALUES (?, 'note', ?, ?, ?)",
                       arguments: [lead.rawValue, actor.rep?.rawValue, "set \(summary)", now.unixSeconds])
        try EventLog.append(db, kind: "lead.fields", at: now, lead: lead.rawValue, rep: actor.rep?.rawValue, data: changed)
    }

    static func auditRefusal(_ lead: LeadID, actor: LifecycleActor, to: String?, refusal: Lifecycle.Refusal, at now: Date, in db: Database) throws {
        try EventLog.append(db, kind: "lead.change_refused", at: now, lead: lead.rawValue, rep: actor.rep?.rawValue,
                            data: ["to": to ?? "", "refusal": refusal.description])
    }
}

/// A status change's history row, activity and audit event.
enum StatusWriter {
    static func record(_ lead: LeadID, from: LeadStatus, to: LeadStatus, rep: RepID?, role: Lifecycle.Role, reason: String?, at time: Date,
                       in db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO status_history (lead_id, from_status, to_status, at, rep_id, role, reason) VALUES (?, ?, ?, ?, ?, ?, ?)")
            .execute(arguments: [lead.rawValue, from.rawValue, to.rawValue, time.unixSeconds, rep?.rawValue, role.rawValue, reason])
        try db.cachedStatement(sql: "INSERT INTO activities (lead_id, kind, rep_id, note, at) VALUES (?, 'status_change', ?, ?, ?)")
            .execute(arguments: [lead.rawValue, rep?.rawValue, "\(from) → \(to)" + (reason.map { ": \($0)" } ?? ""), time.unixSeconds])
        try EventLog.append(db, kind: "lead.status", at: time, lead: lead.rawValue, rep: rep?.rawValue,
                            data: ["from": from.rawValue, "to": to.rawValue, "role": role.rawValue, "reason": reason ?? ""])
    }
}
