import Foundation
import LeadCore
import Logging

/// The log lines and metrics of the SLA clocks, in one place.
enum SLAReporting {
    /// Clocks armed by an assignment or an activity: logged, and the timer woken (a new row may be
    /// nearer than the one it sleeps for).
    static func armed(_ clocks: [ArmedClock], lead: LeadID, context: DaemonContext) {
        guard !clocks.isEmpty else { return }
        for clock in clocks {
            context.logger.info("sla deadline set", metadata: [
                "lead.id": "\(lead)", "sla": "\(clock.policy)", "clock": "\(clock.clock.rawValue)", "cycle": "\(clock.cycle)",
                "due.at": "\(RFC3339Text.string(clock.due))",
            ])
        }
        context.wakeup.notify(earliest: clocks.map(\.firstRowDue).min())
    }

    static func decided(_ decisions: [SLADecision], context: DaemonContext) {
        let queued = decisions.reduce(0) { $0 + $1.notices }
        if queued > 0 { context.logger.info("mail queued", metadata: ["count": "\(queued)"]) }
        for decision in decisions {
            let metadata: Logger.Metadata = [
                "lead.id": "\(decision.lead)", "sla": "\(decision.policy)", "clock": "\(decision.clock.rawValue)",
                "cycle": "\(decision.cycle)", "level": "\(decision.level)", "due.at": "\(RFC3339Text.string(decision.dueAt))",
                "late.seconds": "\(String(format: "%.3f", decision.lateSeconds))",
            ]
            context.metrics.slaDecided(decision)
            switch decision.kind {
            case .breach:
                context.logger.warning("sla breach", metadata: metadata)
            case .warning:
                context.logger.info("sla warning", metadata: metadata.merging([
                    "actions": "\(decision.actions.joined(separator: " "))", "notices": "\(decision.notices)",
                ]) { a, _ in a })
            case .escalation:
                context.logger.warning("sla escalation decided", metadata: metadata.merging([
                    "actions": "\(decision.actions.joined(separator: " "))", "notices": "\(decision.notices)",
                    "outcome": "\(decision.detail ?? "")",
                ]) { a, _ in a })
                if let rep = decision.reassignedTo {
                    context.metrics.assigned(team: "", rep: rep.rawValue)
                }
            case .cancelled:
                context.logger.debug("sla deadline cancelled", metadata: metadata.merging(["reason": "\(decision.detail ?? "")"]) { a, _ in a })
            }
        }
    }
}
