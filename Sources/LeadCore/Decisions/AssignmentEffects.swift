import Foundation

/// What one assignment decision asks of the store, applied in this order in one transaction:
/// record the decision (its audit row, the team's new rotation state, and the assignment or the
/// hold), end `restart` and arm `arm` (only when the lead was assigned), queue `notices`.
public struct AssignmentEffects: Hashable, Sendable {
    public var decision: RoutingDecision
    /// Chosen by an admin (audited as manual).
    public var manual: Bool
    /// Clocks that end because the lead has a new owner (their new cycles are in `arm`).
    public var restart: [SLAClock]
    public var arm: [ClockArming]
    public var notices: [QueuedNotice]

    public init(decision: RoutingDecision, manual: Bool = false, restart: [SLAClock] = [], arm: [ClockArming] = [],
                notices: [QueuedNotice] = []) {
        self.decision = decision; self.manual = manual; self.restart = restart; self.arm = arm; self.notices = notices
    }
}
