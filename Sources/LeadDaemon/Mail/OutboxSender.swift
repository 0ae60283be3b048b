import Foundation
import LeadConfig
import LeadCore
import LeadMail
import ServiceLifecycle

/// Sends the outbox by SMTP: `smtp.senders` lanes, each claiming one due message at a time
/// (alternating new and retried messages, as Postfix alternates its incoming and deferred
/// queues, so retries never starve new mail), sending it on its own thread and connection, and
/// recording the result: sent, retry later (backoff with full jitter) or dead. Delivery is
/// at-least-once: a crash between the server's 250 and the commit resends the message, with the
/// same Message-ID, once its lease expires.
struct OutboxSender: Service {
    let context: DaemonContext
    let store: any OutboxStore

    func run() async throws {
        guard let smtp = context.state.snapshot.configuration.smtp else {
            context.logger.notice("mail sending off", metadata: ["reason": "no [smtp] in the configuration; messages stay in the outbox"])
            try? await gracefulShutdown()
            return
        }
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<smtp.senders {
                let lane = SenderLane(index: index)
                let wakeup = context.outboxWakeup.register()
                group.addTask { await runLane(lane, wakeup: wakeup) }
            }
        }
    }

    private func runLane(_ lane: SenderLane, wakeup: DeadlineWakeup) async {
        var retryTurn = false
        var generator = SystemRandomNumberGenerator()
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            guard let smtp = context.state.snapshot.configuration.smtp else { return }
            let recheck = context.state.snapshot.configuration.scheduler.recheck
            do {
                let now = context.clock.now()
                guard let message = try await store.claimOutbox(at: now, lease: TimeInterval(smtp.lease.wholeSeconds), retry: retryTurn) else {
                    let next = try await store.nextOutboxAttempt()
                    let wait = next.map { Duration.milliseconds(max(1, Int64(($0.timeIntervalSince(context.clock.now()) * 1000).rounded(.up)))) } ?? recheck
                    await cancelWhenGracefulShutdown { await wakeup.wait(upTo: min(wait, recheck)) }
                    continue
                }
                retryTurn.toggle()
                let rendered = MailComposer.message(for: message, smtp: smtp, templates: context.state.snapshot.configuration.mail.templates, at: now)
                let started = ContinuousClock.now
                let outcome = await lane.send(rendered.rendered(), from: smtp.from.rawValue, to: rendered.recipients,
                                              settings: MailComposer.settings(smtp))
                let finished = context.clock.now()
                let policy = RetryPolicy(baseSeconds: Double(smtp.retryBase.wholeSeconds), capSeconds: Double(smtp.retryCap.wholeSeconds),
                                         giveUpAfterSeconds: Double(smtp.giveUpAfter.wholeSeconds))
                let disposition = policy.disposition(for: outcome, attempt: message.attempts,
                                                     ageSeconds: finished.timeIntervalSince(message.ageFrom),
                                                     unit: Double.random(in: 0...1, using: &generator))
                let delivery: OutboxDelivery = switch disposition {
                case .sent(let reply): .sent(reply: reply)
                case .retry(let after, let reason): .retry(at: finished.addingTimeInterval(after), error: reason)
                case .dead(let reason): .dead(error: reason)
                }
                guard try await store.finishOutbox(message, delivery, at: finished) else {
                    // Our lease ran out mid-send and another attempt holds the row: its result stands.
                    context.logger.warning("outbox finish stale", metadata: ["outbox.id": "\(message.id)", "mail.kind": "\(message.kind)"])
                    continue
                }
                MailReporting.finished(message, outcome: outcome, delivery: delivery, duration: started.duration(to: .now), context: context)
            } catch {
                context.metrics.storeFailed()
                context.logger.error("database unavailable", metadata: ["error": "\(error)"])
                await cancelWhenGracefulShutdown { await wakeup.wait(upTo: .seconds(1)) }
            }
        }
    }
}
