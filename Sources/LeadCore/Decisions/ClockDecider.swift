import Foundation

/// Decides which SLA clocks start, and when they fall due, for the changes a store applies
/// (an assignment, an activity, a status change, new holiday data). Pure: the store passes the
/// lead as it reads it in its transaction and writes the `ClockArming` values it gets back.
/// Without a plan nothing is armed. Built from the routing engine, it also names the outbound
/// events (`lead.status_changed`, `activity.logged`) the lifecycle changes queue with their clocks.
public struct ClockDecider: Sendable {
    let plan: SLAPlan?
    let engine: RoutingEngine?

    /// Clocks only: the changes queue no events.
    public init(_ plan: SLAPlan?) { self.plan = plan; self.engine = nil }

    /// The engine's SLA plan, and its webhook channels for the events a change queues.
    public init(engine: RoutingEngine?) { self.plan = engine?.sla; self.engine = engine }

    /// `type`'s outbox rows for the subscribed webhook channels (none without an engine).
    func events(_ type: String, lead: Lead, extra: [String: EventValue]) -> [QueuedNotice] {
        guard let engine else { return [] }
        return OutboundEvents.notices(type, lead: lead, extra: extra, engine: engine)
    }

    /// Whether an assignment restarts the assignment clocks (first contact, follow-ups): only
    /// when SLA policies are configured (without them a store leaves existing rows alone).
    public var restartsOnAssignment: Bool { plan != nil }

    /// The clocks that run from an assignment at `now`: first contact and follow-ups, under the
    /// lead's policy (the first whose criteria hold, the team included).
    public func onAssignment(_ draft: LeadDraft, team: TeamID?, at now: Date) -> [ClockArming] {
        guard let plan, let policy = plan.policy(for: draft, team: team) else { return [] }
        return [SLAClock.firstContact, .followUps].compactMap { arming($0, policy: policy, plan: plan, from: now) }
    }

    /// The stale clock an activity at `time` re-arms, while the lead's status is one its policy
    /// checks; nil otherwise (the activity still ends the old one).
    public func staleClock(_ draft: LeadDraft, team: TeamID?, status: LeadStatus, from time: Date) -> ClockArming? {
        guard let plan, let policy = plan.policy(for: draft, team: team), let rule = policy.stale, rule.statuses.contains(status) else { return nil }
        return arming(.stale, policy: policy, plan: plan, from: time)
    }

    /// Whether a status change by the owner or supervisor counts as a contact under the lead's policy.
    public func statusChangeIsContact(_ draft: LeadDraft, team: TeamID?) -> Bool {
        plan?.policy(for: draft, team: team)?.statusChangeIsContact == true
    }

    /// A pending row recomputed from its clock's start under the current calendars (a reload
    /// brought holiday data); nil when its policy or level is no longer configured.
    public func rescheduled(clock: SLAClock, policy name: String, level: Int, start: Date) -> ClockArming.Level? {
        guard let plan, let policy = plan.policy(named: name),
              let arming = arming(clock, policy: policy, plan: plan, from: start) else { return nil }
        return arming.levels.first { $0.level == level }
    }

    /// The response report over facts a store gathered (business time on each policy's calendar).
    public func responseReport(groups: [(String, [ResponseReport.Fact])], groupTitle: String, now: Date) -> Report {
        ResponseReport.build(groups: groups, groupTitle: groupTitle, plan: plan, now: now)
    }

    private func arming(_ clock: SLAClock, policy: SLAPolicy, plan: SLAPlan, from start: Date) -> ClockArming? {
        let rows = plan.schedule(clock, policy: policy, from: start)
        guard !rows.isEmpty else { return nil }
        let calendar = plan.calendars[policy.calendar]
        return ClockArming(
            clock: clock, policy: policy.name, start: start, need: clock == .followUps ? policy.followUps?.count : nil,
            levels: rows.map { row in
                ClockArming.Level(level: row.level, due: row.due.roundedUpToSecond,
                                  provisional: !(calendar?.provisionalDays(between: start, and: row.due).isEmpty ?? true))
            })
    }
}
