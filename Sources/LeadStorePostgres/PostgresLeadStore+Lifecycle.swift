import Foundation
import LeadCore
import Logging
import PostgresNIO

extension PostgresLeadStore: LeadStatusChanging {
    public func changeStatus(_ lead: LeadID, to name: String, fields rawFields: [String: String], reason rawReason: String?,
                             actor: LifecycleActor, lifecycle: Lifecycle, clocks: ClockDecider, normaliser: LeadNormaliser,
                             at now: Date) async throws -> StatusChange {
        let edited = normaliser.edit(rawFields)
        let reason = rawReason.map(LeadNormaliser.note)
        // The transaction returns a refusal instead of throwing it, so the attempt's audit event commits.
        let result: Result<StatusChange, LifecycleError> = try await transaction { connection in
            let logger = self.logger
            guard let (stored, supervisor) = try await PostgresLifecycleWriter.lead(lead, on: connection, logger: logger) else {
                return .failure(.unknownLead(lead))
            }
            switch LifecycleDecider.statusChange(stored, teamSupervisor: supervisor, to: name, edited: edited, reason: reason, actor: actor,
                                                 lifecycle: lifecycle, clocks: clocks, at: now) {
            case .notAllowed(let error):
                return .failure(error)
            case .refused(let refusal, let to):
                try await PostgresLifecycleWriter.auditRefusal(lead, actor: actor, to: to, refusal: refusal, at: now, on: connection, logger: logger)
                return .failure(.refused(refusal))
            case .change(let change):
                if !change.changed.isEmpty {
                    try await PostgresLifecycleWriter.save(change.draft, lead: lead, changed: change.changed, actor: actor, at: now,
                                                           on: connection, logger: logger)
                }
                try await connection.query("""
                    UPDATE leads SET status = \(change.to.rawValue), updated_at = \(now.unixSeconds) WHERE id = \(lead.rawValue)
                    """, logger: logger)
                try await PostgresLifecycleWriter.status(lead, from: change.from, to: change.to, rep: actor.rep, role: change.role,
                                                         reason: change.reason, at: now, on: connection, logger: logger)
                let armed = try await PostgresSLAWriter.touch(change.clocks, lead: lead, now: now, on: connection, logger: logger).armed
                for notice in change.notices { try await PostgresOutboxWriter.queue(notice, at: now, on: connection, logger: logger) }
                return .success(StatusChange(from: change.from, to: change.to, role: change.role, armed: armed))
            }
        }
        return try result.get()
    }

    public func setFields(_ lead: LeadID, fields rawFields: [String: String], actor: LifecycleActor, lifecycle: Lifecycle, clocks: ClockDecider,
                          normaliser: LeadNormaliser, at now: Date) async throws {
        let edited = normaliser.edit(rawFields)
        let result: Result<Void, LifecycleError> = try await transaction { connection in
            let logger = self.logger
            guard let (stored, supervisor) = try await PostgresLifecycleWriter.lead(lead, on: connection, logger: logger) else {
                return .failure(.unknownLead(lead))
            }
            switch LifecycleDecider.fieldEdit(stored, teamSupervisor: supervisor, edited: edited, actor: actor, lifecycle: lifecycle) {
            case .notAllowed(let error):
                return .failure(error)
            case .refused(let refusal, let to):
                try await PostgresLifecycleWriter.auditRefusal(lead, actor: actor, to: to, refusal: refusal, at: now, on: connection, logger: logger)
                return .failure(.refused(refusal))
            case .change(let edit):
                try await PostgresLifecycleWriter.save(edit.draft, lead: lead, changed: edit.changed, actor: actor, at: now,
                                                       on: connection, logger: logger)
                return .success(())
            }
        }
        try result.get()
    }
}

extension PostgresLeadStore {
    public func recordActivity(_ activity: ActivityDraft, at time: Date, clocks: ClockDecider, ownedBy: RepID?, bounds: Lifecycle?,
                               now: Date) async throws -> ActivityOutcome {
        try await transaction { connection in
            try await PostgresLifecycleWriter.activity(activity, at: time, clocks: clocks, ownedBy: ownedBy, bounds: bounds, now: now,
                                                       on: connection, logger: self.logger)
        }
    }

    /// Leads with an open deadline due before `before`, soonest first.
    public func leadsDue(before: Date, limit: Int) async throws -> [(LeadID, String, Date)] {
        try await self.query("""
            SELECT lead_id, clock, due_at FROM deadlines
            WHERE level = 0 AND due_at <= \(before.unixSeconds) AND (state = 'pending' OR (state = 'missed' AND resolved_at IS NULL))
            ORDER BY due_at, lead_id LIMIT \(limit)
            """).map { (LeadID(try $0("lead_id") as Int64), try $0("clock") as String, try $0.date("due_at")) }
    }
}

/// Lifecycle writes inside the caller's transaction.
enum PostgresLifecycleWriter {
    /// The lead, its row locked (changes to one lead are serialised across nodes), and its team's
    /// stored supervisor.
    static func lead(_ id: LeadID, on connection: PostgresConnection, logger: Logger) async throws -> (Lead, String?)? {
        guard let lead = try await PostgresLeadRow.read(id, lock: true, { try await connection.query($0, logger: logger) }) else { return nil }
        guard let team = lead.team else { return (lead, nil) }
        let supervisor = try await connection.query("SELECT supervisor FROM teams WHERE id = \(team.rawValue)", logger: logger)
            .collectFirst(String.self)
        return (lead, supervisor)
    }

    /// An activity and what it does to the clocks.
    static func activity(_ activity: ActivityDraft, at time: Date, clocks: ClockDecider, ownedBy: RepID?, bounds: Lifecycle?, now: Date,
                         on connection: PostgresConnection, logger: Logger) async throws -> ActivityOutcome {
        guard let (lead, supervisor) = try await self.lead(activity.lead, on: connection, logger: logger) else {
            throw LeadStoreError.unknownLead(activity.lead)
        }
        var assignedAt: Date?
        if bounds != nil {
            assignedAt = try await connection.query("""
                SELECT MAX(assigned_at) FROM assignments WHERE lead_id = \(activity.lead.rawValue)
                """, logger: logger).collectFirst(Int64?.self).flatMap { $0 }.map { Date(timeIntervalSince1970: TimeInterval($0)) }
        }
        let effects = try LifecycleDecider.activity(activity, on: lead, teamSupervisor: supervisor, ownedBy: ownedBy, bounds: bounds,
                                                    assignedAt: assignedAt, clocks: clocks, at: time, now: now)
        try await connection.query("""
            INSERT INTO activities (lead_id, kind, rep_id, note, at, recorded_at)
            VALUES (\(activity.lead.rawValue), \(activity.kind.rawValue), \(activity.rep?.rawValue), \(activity.note.map(LeadNormaliser.note)),
                    \(time.unixSeconds), \(now.unixSeconds))
            """, logger: logger)
        try await connection.query("""
            UPDATE leads SET updated_at = \(now.unixSeconds), status = \((effects.newStatus ?? lead.status).rawValue) WHERE id = \(activity.lead.rawValue)
            """, logger: logger)
        if let status = effects.newStatus {
            try await self.status(activity.lead, from: lead.status, to: status, rep: activity.rep, role: .owner, reason: nil, at: time,
                                  on: connection, logger: logger)
        }
        let touched = try await PostgresSLAWriter.touch(effects.clocks, lead: activity.lead, now: now, on: connection, logger: logger)
        for notice in effects.notices { try await PostgresOutboxWriter.queue(notice, at: now, on: connection, logger: logger) }
        try await PostgresEvents.append(connection, kind: "lead.activity", at: now, lead: activity.lead.rawValue, rep: activity.rep?.rawValue,
                                        data: ["kind": activity.kind.rawValue, "counts": effects.counts ? "true" : "false",
                                               "at": String(time.unixSeconds)], logger: logger)
        return ActivityOutcome(countsForSLA: effects.counts, metFirstContact: touched.firstContact, metFollowUps: touched.followUpsMet,
                               armed: touched.armed, owner: lead.owner)
    }

    /// The fields of `draft` into the row, with an activity and an audit event naming what changed.
    static func save(_ draft: LeadDraft, lead: LeadID, changed: [String: String], actor: LifecycleActor, at now: Date,
                     on connection: PostgresConnection, logger: Logger) async throws {
        let custom = (try? JSONSerialization.data(withJSONObject: draft.customFields, options: [.sortedKeys]))
            .map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        try await connection.query("""
            UPDATE leads SET name = \(draft.name), company = \(draft.company), email = \(draft.email), phone = \(draft.phone),
                country = \(draft.country), province = \(draft.province), city = \(draft.city), industry = \(draft.industry),
                source = \(draft.source), campaign = \(draft.campaign), message = \(draft.message), custom_fields = \(custom),
                updated_at = \(now.unixSeconds)
            WHERE id = \(lead.rawValue)
            """, logger: logger)
        let summary = changed.keys.sorted().map { "\($0)=\(changed[$0]!)" }.joined(separator: ", ")
        try await connection.query("""
            INSERT INTO activities (lead_id, kind, rep_id, note, at) VALUES (\(lead.rawValue), 'note', \(actor.rep?.rawValue), \("set \(summary)"),
                \(now.unixSeconds))
            """, logger: logger)
        try await PostgresEvents.append(connection, kind: "lead.fields", at: now, lead: lead.rawValue, rep: actor.rep?.rawValue, data: changed,
                                        logger: logger)
    }

    static func auditRefusal(_ lead: LeadID, actor: LifecycleActor, to: String?, refusal: Lifecycle.Refusal, at now: Date,
                             on connection: PostgresConnection, logger: Logger) async throws {
        try await PostgresEvents.append(connection, kind: "lead.change_refused", at: now, lead: lead.rawValue, rep: actor.rep?.rawValue,
                                        data: ["to": to ?? "", "refusal": refusal.description], logger: logger)
    }

    /// A status change's history row, activity and audit event.
    static func status(_ lead: LeadID, from: LeadStatus, to: LeadStatus, rep: RepID?, role: Lifecycle.Role, reason: String?, at time: Date,
                       on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO status_history (lead_id, from_status, to_status, at, rep_id, role, reason)
            VALUES (\(lead.rawValue), \(from.rawValue), \(to.rawValue), \(time.unixSeconds), \(rep?.rawValue), \(role.rawValue), \(reason))
            """, logger: logger)
        try await connection.query("""
            INSERT INTO activities (lead_id, kind, rep_id, note, at)
            VALUES (\(lead.rawValue), 'status_change', \(rep?.rawValue), \("\(from) → \(to)" + (reason.map { ": \($0)" } ?? "")), \(time.unixSeconds))
            """, logger: logger)
        try await PostgresEvents.append(connection, kind: "lead.status", at: time, lead: lead.rawValue, rep: rep?.rawValue,
                                        data: ["from": from.rawValue, "to": to.rawValue, "role": role.rawValue, "reason": reason ?? ""],
                                        logger: logger)
    }
}
