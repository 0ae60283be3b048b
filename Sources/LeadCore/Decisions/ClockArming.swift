import Foundation

/// One new cycle of an SLA clock, as a decider computed it: the deadline (level 0) and each
/// ladder level, with their due instants. The store numbers the cycle and writes one row per level.
public struct ClockArming: Hashable, Sendable {
    public struct Level: Hashable, Sendable {
        public var level: Int
        /// Whole seconds, rounded up: a deadline is never earlier than its exact instant.
        public var due: Date
        /// Computed across a provisional (fallback) holiday: recomputed when holiday data changes.
        public var provisional: Bool

        public init(level: Int, due: Date, provisional: Bool) {
            self.level = level; self.due = due; self.provisional = provisional
        }
    }

    public var clock: SLAClock
    public var policy: String
    /// Where the clock counts from (kept for recomputation, to the sub-second).
    public var start: Date
    /// Follow-ups still needed (level 0 of a follow-ups clock only).
    public var need: Int?
    /// Level 0 first.
    public var levels: [Level]

    public init(clock: SLAClock, policy: String, start: Date, need: Int?, levels: [Level]) {
        self.clock = clock; self.policy = policy; self.start = start; self.need = need; self.levels = levels
    }

    /// The deadline itself.
    public var due: Date { levels[0].due }
}

extension Date {
    /// The instant rounded up to a whole second (how deadlines are kept).
    public var roundedUpToSecond: Date { Date(timeIntervalSince1970: timeIntervalSince1970.rounded(.up)) }
}
