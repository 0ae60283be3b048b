import Foundation

/// A deadline the store armed (with an assignment, a reassignment or an activity), for the
/// "deadline set" log line.
public struct ArmedClock: Hashable, Sendable {
    public var clock: SLAClock
    public var policy: String
    public var cycle: Int
    public var due: Date

    public init(clock: SLAClock, policy: String, cycle: Int, due: Date) {
        self.clock = clock; self.policy = policy; self.cycle = cycle; self.due = due
    }
}
