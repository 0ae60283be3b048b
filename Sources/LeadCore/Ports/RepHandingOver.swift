import Foundation

/// Stores that hand all of a rep's open leads over (a rep leaves or goes on long leave).
public protocol RepHandingOver: Sendable {
    /// Every open lead of `rep` (not converted or disqualified), oldest first, in one transaction:
    /// each move is the decider's `handover` applied as a reassignment (audited, clocks restarted,
    /// new owner told); a lead nobody may take stays. `dryRun` makes the same decisions in a
    /// transaction that is rolled back: the preview is what performing it now would do.
    func handover(_ rep: RepID, to target: HandoverTarget, reason: String, force: Bool, dryRun: Bool, decider: AssignmentDecider,
                  at now: Date) async throws -> HandoverPlan
}

/// Thrown out of a dry run's transaction to roll it back; carries the plan out.
public struct HandoverDryRun: Error {
    public let plan: HandoverPlan
    public init(plan: HandoverPlan) { self.plan = plan }
}
