import Foundation

/// A deadline the store armed (with an assignment, a reassignment or an activity), for the
/// "deadline set" log line and the SLA timer's wake-up.
public struct ArmedClock: Hashable, Sendable {
    public var clock: SLAClock
    public var policy: String
    public var cycle: Int
    public var due: Date
    /// When the first of its rows falls due: a ladder rung before the deadline (a reminder two
    /// hours ahead) comes first.
    public var firstRowDue: Date

    public init(clock: SLAClock, policy: String, cycle: Int, due: Date, firstRowDue: Date? = nil) {
        self.clock = clock; self.policy = policy; self.cycle = cycle; self.due = due
        self.firstRowDue = min(firstRowDue ?? due, due)
    }
}
