import Foundation

/// What a status change, a field edit or a logged activity does to a lead, decided from the lead
/// as stored and its team's supervisor (read in the transaction that applies the result). What it
/// does to the SLA clocks is a `ClockTouch`, which each store applies to its deadline rows.
public enum LifecycleDecider {
    /// What a change does to the clocks.
    public enum ClockTouch: Hashable, Sendable {
        /// Nothing (an admin's change to an open status).
        case none
        /// The lead closed: every clock ends.
        case closeAll
        /// Activity by the owner or supervisor: a contact meets first contact and counts toward
        /// follow-ups (met when its time, rounded up to the second, is not after the deadline);
        /// the stale clock ends and `stale` is its new cycle (nil while the status is not checked).
        case activity(contact: Bool, at: Date, stale: ClockArming?)
    }

    /// A status change (with the fields it sets) that is allowed.
    public struct StatusEffects: Hashable, Sendable {
        /// The lead's fields after the change, saved when `changed` is not empty.
        public var draft: LeadDraft
        public var changed: [String: String]
        public var from: LeadStatus
        public var to: LeadStatus
        public var role: Lifecycle.Role
        public var reason: String?
        public var clocks: ClockTouch
        /// `lead.status_changed` for the subscribed webhook channels, queued with the change.
        public var notices: [QueuedNotice]
    }

    /// How a requested change ends: not allowed at all (nothing written), refused by the
    /// lifecycle (only the attempt's audit event is written), or the change.
    public enum Verdict<Change: Hashable & Sendable>: Hashable, Sendable {
        case notAllowed(LifecycleError)
        case refused(Lifecycle.Refusal, to: String?)
        case change(Change)
    }

    /// The actor's role on this lead: the admin, the owner, or the supervisor of the lead's team
    /// (`teamSupervisor` as stored, `rep:ID` for a rep); nil for any other rep.
    public static func role(of actor: LifecycleActor, on lead: Lead, teamSupervisor: String?) -> Lifecycle.Role? {
        guard case .rep(let rep) = actor else { return .admin }
        if lead.owner == rep { return .owner }
        if lead.team != nil, teamSupervisor == "rep:\(rep.rawValue)" { return .supervisor }
        return nil
    }

    /// Moves `lead` to the status `name`, setting `edited` (the normaliser's result) on the way.
    public static func statusChange(_ lead: Lead, teamSupervisor: String?, to name: String, edited: Result<[String: String], FieldProblems>,
                                    reason: String?, actor: LifecycleActor, lifecycle: Lifecycle, clocks: ClockDecider,
                                    at now: Date) -> Verdict<StatusEffects> {
        guard let role = role(of: actor, on: lead, teamSupervisor: teamSupervisor) else {
            return .notAllowed(.notYours(lead.id, actor.rep!))
        }
        let fields: [String: String]
        switch edited {
        case .failure(let invalid): return .refused(.invalidFields(invalid.problems), to: name)
        case .success(let valid): fields = valid
        }
        var draft = lead.draft
        for (key, value) in fields { draft.set(key, to: value) }
        guard let target = lifecycle.status(named: name) else {
            return .refused(.unknownStatus(name, known: lifecycle.statuses), to: name)
        }
        let checked = draft.fieldValues.filter { fields[$0.key] != nil || lifecycle.required[target]?.contains($0.key) == true }
        if let refusal = lifecycle.check(from: lead.status, to: target, role: role, values: checked, reason: reason) {
            return .refused(refusal, to: name)
        }
        let touch: ClockTouch
        if lifecycle.closed.contains(target) {
            touch = .closeAll
        } else if role != .admin {
            // A change by the owner or supervisor is activity: it re-arms (or ends) the stale
            // clock, and counts as a contact where the policy says so.
            touch = .activity(contact: clocks.statusChangeIsContact(draft, team: lead.team), at: now,
                              stale: clocks.staleClock(draft, team: lead.team, status: target, from: now))
        } else {
            touch = .none
        }
        var changed = lead
        changed.draft = draft
        changed.status = target
        let notices = statusChanged(changed, from: lead.status, by: actor.rep, role: role, reason: reason, at: now, clocks: clocks)
        return .change(StatusEffects(draft: draft, changed: fields, from: lead.status, to: target, role: role, reason: reason, clocks: touch,
                                     notices: notices))
    }

    /// Sets fields without a status change: the lead's fields after the edit.
    public static func fieldEdit(_ lead: Lead, teamSupervisor: String?, edited: Result<[String: String], FieldProblems>,
                                 actor: LifecycleActor, lifecycle: Lifecycle) -> Verdict<FieldEdit> {
        guard role(of: actor, on: lead, teamSupervisor: teamSupervisor) != nil else { return .notAllowed(.notYours(lead.id, actor.rep!)) }
        let fields: [String: String]
        switch edited {
        case .failure(let invalid): return .refused(.invalidFields(invalid.problems), to: nil)
        case .success(let valid): fields = valid
        }
        let problems = fields.compactMap { lifecycle.problem(field: $0.key, value: $0.value) }.sorted()
        if !problems.isEmpty { return .refused(.invalidFields(problems), to: nil) }
        var draft = lead.draft
        for (key, value) in fields { draft.set(key, to: value) }
        return .change(FieldEdit(draft: draft, changed: fields))
    }

    public struct FieldEdit: Hashable, Sendable {
        public var draft: LeadDraft
        public var changed: [String: String]
    }

    /// A logged activity that is allowed.
    public struct ActivityEffects: Hashable, Sendable {
        /// The status it moves the lead to (a first contact moves a new lead to contacted), with
        /// its own history row by the owner at the activity's time.
        public var newStatus: LeadStatus?
        /// By the owner or the team's supervisor (only those move clocks).
        public var counts: Bool
        public var clocks: ClockTouch
        /// `activity.logged` (and `lead.status_changed` when it moves the lead) for the
        /// subscribed webhook channels, queued with the activity.
        public var notices: [QueuedNotice]
    }

    /// An activity at `time` on `lead`. Throws `LeadStoreError.notOwner` when `ownedBy` is not the
    /// owner, and `.activityRefused` for a time `bounds` refuses (`assignedAt`: the current
    /// assignment's start).
    public static func activity(_ activity: ActivityDraft, on lead: Lead, teamSupervisor: String?, ownedBy: RepID?, bounds: Lifecycle?,
                                assignedAt: Date?, clocks: ClockDecider, at time: Date, now: Date) throws -> ActivityEffects {
        if let ownedBy, lead.owner != ownedBy { throw LeadStoreError.notOwner(activity.lead, ownedBy) }
        if let bounds, let problem = bounds.activityTimeProblem(at: time, recordedAt: now, assignedAt: assignedAt) {
            throw LeadStoreError.activityRefused(activity.lead, problem)
        }
        let status: LeadStatus = activity.kind.isContact && lead.status == .new ? .contacted : lead.status
        let supervisor = lead.team != nil && activity.rep.map { teamSupervisor == "rep:\($0.rawValue)" } == true
        let counts = activity.rep != nil && (activity.rep == lead.owner || supervisor)
        let touch: ClockTouch = counts && !status.isClosed
            ? .activity(contact: activity.kind.isContact, at: time, stale: clocks.staleClock(lead.draft, team: lead.team, status: status, from: time))
            : .none
        var after = lead
        after.status = status
        var extra: [String: EventValue] = ["kind": .text(activity.kind.rawValue), "at": .text(RFC3339Text.string(time)),
                                           "counts_for_sla": .flag(counts)]
        if let rep = activity.rep { extra["rep"] = .text(rep.rawValue) }
        if let note = activity.note.map(LeadNormaliser.note), !note.isEmpty { extra["note"] = .text(note) }
        var notices = clocks.events("activity.logged", lead: after, extra: extra)
        if status != lead.status {
            notices += statusChanged(after, from: lead.status, by: activity.rep, role: .owner, reason: nil, at: time, clocks: clocks)
        }
        return ActivityEffects(newStatus: status != lead.status ? status : nil, counts: counts, clocks: touch, notices: notices)
    }

    /// `lead.status_changed`: `from`, `to`, `role`, `by` (the rep; absent for the admin), `reason`, `at`.
    static func statusChanged(_ lead: Lead, from: LeadStatus, by rep: RepID?, role: Lifecycle.Role, reason: String?, at time: Date,
                              clocks: ClockDecider) -> [QueuedNotice] {
        var extra: [String: EventValue] = ["from": .text(from.rawValue), "to": .text(lead.status.rawValue), "role": .text(role.rawValue),
                                           "at": .text(RFC3339Text.string(time))]
        if let rep { extra["by"] = .text(rep.rawValue) }
        if let reason, !reason.isEmpty { extra["reason"] = .text(reason) }
        return clocks.events("lead.status_changed", lead: lead, extra: extra)
    }
}

extension LifecycleActor {
    /// The rep acting, nil for the admin.
    public var rep: RepID? { if case .rep(let rep) = self { rep } else { nil } }
}
