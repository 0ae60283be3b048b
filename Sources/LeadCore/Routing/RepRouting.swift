import Foundation

/// What routing needs to know about a rep beyond who they are.
public struct RepRouting: Hashable, Sendable {
    public var weight: Int
    /// The rep's own weekly shifts (`BusinessCalendar.weekly`: hours without holidays).
    public var schedule: BusinessCalendar?
    /// A configured business calendar as the rep's shifts (instead of `schedule`): on shift while it is open.
    public var calendar: BusinessCalendar?
    public var leaves: [LeavePeriod]
    public var maxOpen: Int?
    public var maxPerDay: Int?
    public var maxPerWeek: Int?

    public init(weight: Int = 1, schedule: BusinessCalendar? = nil, leaves: [LeavePeriod] = [],
                maxOpen: Int? = nil, maxPerDay: Int? = nil, maxPerWeek: Int? = nil, calendar: BusinessCalendar? = nil) {
        self.weight = weight; self.schedule = schedule; self.calendar = calendar; self.leaves = leaves
        self.maxOpen = maxOpen; self.maxPerDay = maxPerDay; self.maxPerWeek = maxPerWeek
    }
}

extension RepRouting {
    /// The zone of the rep's local day (leave, daily and weekly caps).
    public func zone(default defaultZone: String) -> String { schedule?.zone ?? calendar?.zone ?? defaultZone }

    /// Whether the rep is on shift at `now`: inside the schedule or the calendar's working time
    /// (no schedule and no calendar: always).
    public func onShift(at now: Date) -> Bool {
        if let schedule { return schedule.isOpen(at: now) }
        if let calendar { return calendar.isOpen(at: now) }
        return true
    }
}

/// A rep's current load, read in the assignment's transaction.
public struct RepLoad: Hashable, Sendable {
    public var open: Int
    public var today: Int
    public var thisWeek: Int
    public init(open: Int = 0, today: Int = 0, thisWeek: Int = 0) { self.open = open; self.today = today; self.thisWeek = thisWeek }
}

/// How a team hands out leads.
public enum RoutingStrategy: String, Sendable, CaseIterable {
    case roundRobin = "round_robin"
    case weightedRoundRobin = "weighted_round_robin"
    case leastLoaded = "least_loaded"
}

/// Where a team's leads go when nobody in it is eligible.
public enum Overflow: Hashable, Sendable {
    case nextTeam(TeamID)
    case defaultTarget
    case hold
}

/// A team's routing settings.
public struct TeamRouting: Hashable, Sendable {
    public var strategy: RoutingStrategy
    public var requireOnShift: Bool
    public var overflow: Overflow

    public init(strategy: RoutingStrategy = .roundRobin, requireOnShift: Bool = true, overflow: Overflow = .hold) {
        self.strategy = strategy; self.requireOnShift = requireOnShift; self.overflow = overflow
    }
}
