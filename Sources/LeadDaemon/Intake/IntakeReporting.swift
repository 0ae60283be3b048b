import LeadCore
import Logging

/// The log lines and metrics of intake, in one place for every channel.
enum IntakeReporting {
    static func accepted(_ item: IntakeItem, commit: IntakeCommit, context: DaemonContext) {
        accepted(item, outcome: commit.outcome, context: context)
        guard let decision = commit.decision else { return }
        routed(decision, lead: commit.outcome.leadID, context: context)
        SLAReporting.armed(decision.clocks, lead: commit.outcome.leadID, context: context)
    }

    static func routed(_ decision: RoutingDecision, lead: LeadID, context: DaemonContext) {
        if let rep = decision.rep {
            if context.state.snapshot.configuration.mail.notifyOwner { context.outboxWakeup.notify() }
            context.metrics.assigned(team: decision.team?.rawValue ?? "", rep: rep.rawValue)
            context.logger.info("lead assigned", metadata: [
                "lead.id": "\(lead)", "rep.id": "\(rep)", "team": "\(decision.team?.rawValue ?? "")", "rule": "\(decision.rule)",
            ])
        } else {
            context.metrics.held(team: decision.team?.rawValue ?? "")
            context.logger.warning("lead held", metadata: [
                "lead.id": "\(lead)", "team": "\(decision.team?.rawValue ?? "")", "rule": "\(decision.rule)",
                "hold.reason": "\(decision.holdReason ?? "")",
            ])
        }
    }

    static func accepted(_ item: IntakeItem, outcome: IntakeOutcome, context: DaemonContext) {
        let kind: String = switch outcome {
        case .created: "created"
        case .redelivered: "redelivered"
        case .reinquiry: "reinquiry"
        }
        context.metrics.intake(channel: item.draft.origin.channel.rawValue, source: item.draft.source ?? "", outcome: kind)
        guard case .redelivered = outcome else {
            context.logger.info(kind == "created" ? "lead accepted" : "lead re-inquiry", metadata: [
                "lead.id": "\(outcome.leadID)", "intake.channel": "\(item.draft.origin.channel.rawValue)",
                "intake.origin": "\(item.draft.origin.name)", "lead.source": "\(item.draft.source ?? "")",
            ])
            return
        }
        context.logger.debug("intake redelivered", metadata: ["lead.id": "\(outcome.leadID)"])
    }

    static func quarantined(_ item: QuarantineItem, id: Int64, context: DaemonContext, kind: String) {
        context.metrics.intake(channel: item.origin.channel.rawValue, source: "", outcome: "quarantined")
        context.metrics.rejected(channel: item.origin.channel.rawValue, reason: kind)
        context.logger.warning("intake quarantined", metadata: [
            "quarantine.id": "\(id)", "intake.channel": "\(item.origin.channel.rawValue)",
            "intake.origin": "\(item.origin.name)", "intake.reason": "\(item.reason)",
        ])
    }
}
