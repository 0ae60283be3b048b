import Foundation

/// An SLA policy: which leads it covers, the clock it counts on, and its deadlines.
/// (Follow-ups, stale leads and escalation ladders join it in the SLA issue's next steps.)
public struct SLAPolicy: Hashable, Sendable {
    public enum Clock: String, Hashable, Sendable, CaseIterable { case business, wall }

    public var name: String
    public var criteria: [Criterion]
    public var clock: Clock
    public var calendar: String
    /// Time to first contact from assignment (re-armed on reassignment).
    public var firstContactSeconds: Int64?

    public init(name: String, criteria: [Criterion], clock: Clock, calendar: String, firstContactSeconds: Int64?) {
        self.name = name; self.criteria = criteria; self.clock = clock; self.calendar = calendar
        self.firstContactSeconds = firstContactSeconds
    }
}

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
