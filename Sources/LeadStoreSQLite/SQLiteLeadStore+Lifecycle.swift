import Foundation
import GRDB
import LeadCore

extension SQLiteLeadStore {
    public func changeStatus(_ lead: LeadID, to name: String, fields rawFields: [String: String], reason rawReason: String?,
                             actor: LifecycleActor, lifecycle: Lifecycle, clocks: ClockDecider, normaliser: LeadNormaliser = LeadNormaliser(),
                             at now: Date) async throws -> StatusChange {
        let edited = normaliser.edit(rawFields)
        let fields = (try? edited.get()) ?? [:]
        let reason = rawReason.map(LeadNormaliser.note)
        // The transaction returns a refusal instead of throwing it, so the attempt's audit event commits.
        let result: Result<StatusChange, LifecycleError> = try await pool.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM leads WHERE id = ?", arguments: [lead.rawValue]) else {
                return .failure(.unknownLead(lead))
            }
            var stored = LeadRow.lead(row)
            let role: Lifecycle.Role
            switch try LifecycleWriter.role(of: actor, on: stored, in: db) {
            case .success(let found): role = found
            case .failure(let error): return .failure(error)
            }
            if case .failure(let invalid) = edited {
                let refusal = Lifecycle.Refusal.invalidFields(invalid.problems)
                try LifecycleWriter.auditRefusal(lead, actor: actor, to: name, refusal: refusal, at: now, in: db)
                return .failure(.refused(refusal))
            }
            var draft = stored.draft
            for (key, value) in fields { draft.set(key, to: value) }
            guard let target = lifecycle.status(named: name) else {
                let refusal = Lifecycle.Refusal.unknownStatus(name, known: lifecycle.statuses)
                try LifecycleWriter.auditRefusal(lead, actor: actor, to: name, refusal: refusal, at: now, in: db)
                return .failure(.refused(refusal))
            }
            if let refusal = lifecycle.check(from: stored.status, to: target, role: role, values: draft.fieldValues.filter { fields[$0.key] != nil || lifecycle.required[target]?.contains($0.key) == true }, reason: reason) {
                try LifecycleWriter.auditRefusal(lead, actor: actor, to: name, refusal: refusal, at: now, in: db)
                return .failure(.refused(refusal))
            }
            let from = stored.status
            if !fields.isEmpty { try LifecycleWriter.save(draft, lead: lead, changed: fields, actor: actor, at: now, in: db) }
            try db.execute(sql: "UPDATE leads SET status = ?, updated_at = ? WHERE id = ?", arguments: [target.rawValue, now.unixSeconds, lead.rawValue])
            try StatusWriter.record(lead, from: from, to: target, rep: actor.rep, role: role, reason: reason, at: now, in: db)
            stored.status = target
            var armed: [ArmedClock] = []
            if lifecycle.closed.contains(target) {
                try SLAWriter.cancel(SLAClock.allCases, lead: lead, at: now, in: db)
            } else if role != .admin {
                // A change by the owner or supervisor is activity: it re-arms (or ends) the stale clock,
                // and counts as a contact where the policy says so.
                armed = try SLAWriter.onActivity(lead: lead, contact: clocks.statusChangeIsContact(draft, team: stored.team),
                                                 stale: clocks.staleClock(draft, team: stored.team, status: target, from: now),
                                                 at: now, now: now, in: db).armed
            }
            return .success(StatusChange(from: from, to: target, role: role, armed: armed))
        }
        return try result.get()
    }

    public func setFields(_ lead: LeadID, fields rawFields: [String: String], actor: LifecycleActor, lifecycle: Lifecycle, clocks: ClockDecider,
                          normaliser: LeadNormaliser = LeadNormaliser(), at now: Date) async throws {
        let edited = normaliser.edit(rawFields)
        let fields = (try? edited.get()) ?? [:]
        let result: Result<Void, LifecycleError> = try await pool.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM leads WHERE id = ?", arguments: [lead.rawValue]) else {
                return .failure(.unknownLead(lead))
            }
            let stored = LeadRow.lead(row)
            if case .failure(let error) = try LifecycleWriter.role(of: actor, on: stored, in: db) { return .failure(error) }
            let problems: [String]
            if case .failure(let invalid) = edited { problems = invalid.problems }
            else { problems = fields.compactMap { lifecycle.problem(field: $0.key, value: $0.value) }.sorted() }
            if !problems.isEmpty {
                let refusal = Lifecycle.Refusal.invalidFields(problems)
                try LifecycleWriter.auditRefusal(lead, actor: actor, to: nil, refusal: refusal, at: now, in: db)
                return .failure(.refused(refusal))
            }
            var draft = stored.draft
            for (key, value) in fields { draft.set(key, to: value) }
            try LifecycleWriter.save(draft, lead: lead, changed: fields, actor: actor, at: now, in: db)
            return .success(())
        }
        try result.get()
    }
}

/// Writes of the lifecycle inside the caller's transaction.
enum LifecycleWriter {
    /// The actor's role on this lead: admin, the owner, or the team's supervisor.
    static func role(of actor: LifecycleActor, on lead: Lead, in db: Database) throws -> Result<Lifecycle.Role, LifecycleError> {
        guard case .rep(let rep) = actor else { return .success(.admin) }
        if lead.owner == rep { return .success(.owner) }
        if let team = lead.team, try String.fetchOne(db, sql: "SELECT supervisor FROM teams WHERE id = ?", arguments: [team.rawValue]) == "rep:\(rep)" {
            return .success(.supervisor)
        }
        return .failure(.notYours(lead.id, rep))
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

extension LifecycleActor {
    var rep: RepID? { if case .rep(let rep) = self { rep } else { nil } }
}
