import Foundation
import LeadCore

/// A handover as the admin API and the console ask for it: the checks (a configured rep, a
/// target that names one rep or team, never the rep themselves, a reason), the store's one
/// transaction, then the wake-ups and the log line.
struct RepHandoverAction {
    let context: DaemonContext

    enum Refusal: Error, CustomStringConvertible {
        case noRouting
        case invalid(HandoverError)

        var description: String {
            switch self {
            case .noRouting: "no [routing] in the configuration"
            case .invalid(let error): error.description
            }
        }
    }

    /// `to`: `rep:ID`, `team:ID`, a bare id, or nil/empty for each lead's own team.
    func run(_ rep: RepID, to: String?, reason: String, force: Bool, dryRun: Bool, actor: String) async throws -> HandoverPlan {
        guard let engine = context.state.snapshot.routing else { throw Refusal.noRouting }
        guard engine.reps[rep] != nil else { throw Refusal.invalid(.unknownRep(rep)) }
        let reason = reason.trimmingWhitespace()
        guard !reason.isEmpty else { throw Refusal.invalid(.noReason) }
        let target = try HandoverTarget.parse(to, engine: engine).mapError(Refusal.invalid).get()
        if case .rep(let same) = target, same == rep { throw Refusal.invalid(.toSelf(rep)) }
        let plan = try await context.store.handover(rep, to: target, reason: "\(reason) (by \(actor))", force: force, dryRun: dryRun,
                                                    decider: AssignmentDecider(engine), at: context.clock.now())
        guard !dryRun else { return plan }
        for move in plan.moves {
            if let to = move.to { context.metrics.assigned(team: move.team?.rawValue ?? "", rep: to.rawValue) }
        }
        if plan.moved > 0 {
            context.wakeup.notify()
            context.outboxWakeup.notify()
        }
        context.logger.notice("rep handed over", metadata: [
            "rep.id": "\(rep)", "target": "\(target)", "moved": "\(plan.moved)", "stayed": "\(plan.stayed)", "actor": "\(actor)",
        ])
        return plan
    }
}
