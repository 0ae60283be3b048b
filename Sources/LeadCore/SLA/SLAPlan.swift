import Foundation

/// The policies in order (first match wins) and the calendars they count on. Pure.
public struct SLAPlan: Hashable, Sendable {
    public var policies: [SLAPolicy]
    public var calendars: [String: BusinessCalendar]
    public var regions: RegionGroups

    public init(policies: [SLAPolicy], calendars: [BusinessCalendar], regions: RegionGroups = .chinaDefault) {
        self.policies = policies
        self.calendars = Dictionary(calendars.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.regions = regions
    }

    /// The first policy whose criteria all hold (the team is matched as the `team` pseudo-field).
    public func policy(for lead: LeadDraft, team: TeamID?) -> SLAPolicy? {
        let table = RoutingTable(rules: [], defaultTarget: .team(TeamID("")), regions: regions)
        var draft = lead
        if let team { draft.customFields["__team"] = team.rawValue }
        return policies.first { policy in policy.criteria.allSatisfy { table.failure(of: $0, for: draft) == nil } }
    }

    /// The first-contact deadline for a lead assigned at `assignedAt`, if its policy has one.
    public func firstContactDue(for lead: LeadDraft, team: TeamID?, assignedAt: Date) -> (policy: SLAPolicy, due: Date)? {
        guard let policy = policy(for: lead, team: team), let seconds = policy.firstContactSeconds else { return nil }
        switch policy.clock {
        case .wall:
            return (policy, assignedAt.addingTimeInterval(TimeInterval(seconds)))
        case .business:
            guard let calendar = calendars[policy.calendar], let due = calendar.add(seconds: seconds, to: assignedAt) else { return nil }
            return (policy, due)
        }
    }
}

/// When one row of a clock falls due: level 0 is the deadline itself, level n the ladder's n-th rung.
public struct ScheduledDeadline: Hashable, Sendable {
    public var level: Int
    public var due: Date
    public init(level: Int, due: Date) { self.level = level; self.due = due }
}

extension SLAPlan {
    public func policy(named name: String) -> SLAPolicy? { policies.first { $0.name == name } }

    /// The instant `seconds` after `start` on the policy's clock (business or wall); nil when the
    /// calendar has no working time within its horizon.
    public func advance(_ policy: SLAPolicy, seconds: Int64, from start: Date) -> Date? {
        switch policy.clock {
        case .wall: return start.addingTimeInterval(TimeInterval(seconds))
        case .business: return calendars[policy.calendar]?.add(seconds: seconds, to: start)
        }
    }

    /// Time left until `due` on the policy's clock (business seconds for a business clock);
    /// negative when overdue.
    public func remaining(_ policy: SLAPolicy, from now: Date, to due: Date) -> Int64 {
        let sign: Int64 = due >= now ? 1 : -1
        let (a, b) = due >= now ? (now, due) : (due, now)
        switch policy.clock {
        case .wall: return sign * Int64(b.timeIntervalSince(a).rounded())
        case .business: return sign * (calendars[policy.calendar]?.businessTime(between: a, and: b) ?? 0)
        }
    }

    /// The rows of a clock started at `start`: the deadline (level 0) and each ladder level at its
    /// offset from the deadline, counted on the policy's clock (a warning never falls before `start`).
    public func schedule(_ clock: SLAClock, policy: SLAPolicy, from start: Date) -> [ScheduledDeadline] {
        guard let length = policy.seconds(of: clock), let due = advance(policy, seconds: length, from: start) else { return [] }
        return [ScheduledDeadline(level: 0, due: due)] + policy.ladder(clock).compactMap { level in
            advance(policy, seconds: max(0, length + level.offsetSeconds), from: start).map { ScheduledDeadline(level: level.level, due: $0) }
        }
    }

    /// What a row that fell due means now. Pure: the store passes the row and the lead as they are
    /// inside the deciding transaction.
    public func verdict(for due: DueDeadline, lead: LeadSituation) -> SLAVerdict {
        if lead.status.isClosed { return .cancel("the lead is \(lead.status)") }
        guard let policy = policy(named: due.policy) else { return .cancel("SLA policy \"\(due.policy)\" is no longer configured") }
        if due.clock == .stale, let rule = policy.stale, !rule.statuses.contains(lead.status) {
            return .cancel("the lead is \(lead.status), not a stale-checked status")
        }
        if due.level == 0 { return .breach }
        guard let level = policy.ladder(due.clock).first(where: { $0.level == due.level }) else {
            return .cancel("level \(due.level) of \(due.clock.rawValue) is no longer configured")
        }
        return .escalate(level)
    }
}

/// A deadline row that fell due, as the scheduler read it.
public struct DueDeadline: Hashable, Sendable {
    public var id: Int64
    public var lead: LeadID
    public var clock: SLAClock
    /// Which arming of the clock (re-armed on reassignment or, for stale, by each activity).
    public var cycle: Int
    public var level: Int
    public var policy: String
    public var dueAt: Date

    public init(id: Int64, lead: LeadID, clock: SLAClock, cycle: Int, level: Int, policy: String, dueAt: Date) {
        self.id = id; self.lead = lead; self.clock = clock; self.cycle = cycle; self.level = level
        self.policy = policy; self.dueAt = dueAt
    }
}

/// The lead as a decision sees it.
public struct LeadSituation: Hashable, Sendable {
    public var owner: RepID?
    public var team: TeamID?
    public var status: LeadStatus
    /// Name and company, for notices.
    public var title: String

    public init(owner: RepID?, team: TeamID?, status: LeadStatus, title: String) {
        self.owner = owner; self.team = team; self.status = status; self.title = title
    }
}

public enum SLAVerdict: Hashable, Sendable {
    /// The row no longer applies (lead closed, policy or level removed); nothing is sent.
    case cancel(String)
    /// The deadline itself passed unmet.
    case breach
    /// A ladder level acts.
    case escalate(EscalationLevel)
}
