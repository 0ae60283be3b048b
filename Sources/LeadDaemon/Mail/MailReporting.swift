import Foundation
import LeadCore
import LeadMail
import Logging

/// The log lines and metrics of mail sending. No addresses at info level.
enum MailReporting {
    static func finished(_ message: OutboxMessage, outcome: SMTPOutcome, delivery: OutboxDelivery, duration: Duration,
                         context: DaemonContext) {
        context.metrics.mailAttempt(duration: duration)
        var metadata: Logger.Metadata = [
            "outbox.id": "\(message.id)", "attempt": "\(message.attempts)", "mail.kind": "\(message.kind)",
        ]
        if let lead = message.lead { metadata["lead.id"] = "\(lead)" }
        let code: Int = switch outcome {
        case .sent: 250
        case .transient(let code, _, _), .permanent(let code, _): code
        }
        metadata["smtp.code"] = "\(code)"
        switch delivery {
        case .sent(let reply):
            context.metrics.mailSent(kind: message.kind)
            context.logger.info("mail sent", metadata: metadata.merging(["smtp.reply": "\(reply)"]))
        case .retry(let at, let error):
            if case .transient(_, _, let failureClass) = outcome { context.metrics.mailFailed(failureClass: failureClass) }
            context.logger.warning("mail retry scheduled", metadata: metadata.merging([
                "retry.at": "\(RFC3339Text.string(at))", "error": "\(error)",
            ]))
        case .dead(let error):
            context.metrics.mailFailed(failureClass: { if case .permanent = outcome { "5xx" } else { "gave_up" } }())
            context.logger.error("mail dead", metadata: metadata.merging(["error": "\(error)"]))
        }
    }
}
