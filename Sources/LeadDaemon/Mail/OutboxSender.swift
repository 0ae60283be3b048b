import Foundation
import LeadConfig
import LeadCore
import LeadMail
import ServiceLifecycle

/// Sends the outbox by SMTP: `smtp.senders` lanes, each claiming one due message at a time
/// (alternating new and retried messages, as Postfix alternates its incoming and deferred
/// queues, so retries never starve new mail), sending it on its own transport, and recording the
/// result: sent, retry later (backoff with full jitter) or dead. Delivery is at-least-once: a crash
/// between the server's 250 and the commit resends the message, with the same Message-ID, once its
/// lease expires; a sender that finishes after losing its lease is fenced off by the store.
struct OutboxSender: Service {
    let context: DaemonContext
    let store: any OutboxStore
    /// One transport per lane (libcurl on a thread of its own in the daemon).
    var makeTransport: @Sendable (Int) -> any MailTransport = { SenderLane(index: $0) }

    /// What one `pass` did.
    enum Pass: Sendable, Equatable {
        /// Nothing due; the next message falls due then (nil: none waiting).
        case idle(nextDue: Date?)
        /// One message tried and recorded (`stale`: our lease had been taken over, the result dropped).
        case finished(id: Int64, delivery: OutboxDelivery, stale: Bool)
    }

    /// Per-lane state between passes.
    struct Lane: Sendable {
        let transport: any MailTransport
        var retryTurn = false
    }

    func run() async throws {
        guard let smtp = context.state.snapshot.configuration.smtp else {
            context.logger.notice("mail sending off", metadata: ["reason": "no [smtp] in the configuration; messages stay in the outbox"])
            try? await gracefulShutdown()
            return
        }
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<smtp.senders {
                let lane = Lane(transport: makeTransport(index))
                let wakeup = context.outboxWakeup.register()
                group.addTask { await runLane(lane, wakeup: wakeup) }
            }
        }
    }

    private func runLane(_ initial: Lane, wakeup: DeadlineWakeup) async {
        var lane = initial
        var generator = SystemRandomNumberGenerator()
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            let recheck = context.state.snapshot.configuration.scheduler.recheck
            do {
                let unit = Double.random(in: 0...1, using: &generator)
                guard case .idle(let next) = try await pass(&lane, now: context.clock.now(), jitter: unit) else { continue }
                let wait = next.map { Duration.milliseconds(max(1, Int64(($0.timeIntervalSince(context.clock.now()) * 1000).rounded(.up)))) } ?? recheck
                await cancelWhenGracefulShutdown { await wakeup.wait(upTo: min(wait, recheck)) }
            } catch {
                context.metrics.storeFailed()
                context.logger.error("database unavailable", metadata: ["error": "\(error)"])
                await cancelWhenGracefulShutdown { await wakeup.wait(upTo: .seconds(1)) }
            }
        }
    }

    /// One step of a lane at `now`: claims the next due message, sends it, and records the result.
    /// `jitter` is the uniform draw (0...1) for the retry backoff. Tests drive this with a manual clock.
    func pass(_ lane: inout Lane, now: Date, jitter: Double) async throws -> Pass {
        guard let smtp = context.state.snapshot.configuration.smtp else { return .idle(nextDue: nil) }
        guard let message = try await store.claimOutbox(at: now, lease: TimeInterval(smtp.lease.wholeSeconds), retry: lane.retryTurn) else {
            return .idle(nextDue: try await store.nextOutboxAttempt())
        }
        lane.retryTurn.toggle()
        let rendered = MailComposer.message(for: message, smtp: smtp, templates: context.state.snapshot.configuration.mail.templates, at: now)
        let started = ContinuousClock.now
        let outcome = await lane.transport.send(rendered.rendered(), from: smtp.from.rawValue, to: rendered.recipients,
                                                settings: MailComposer.settings(smtp))
        let finished = context.clock.now()
        let policy = RetryPolicy(baseSeconds: Double(smtp.retryBase.wholeSeconds), capSeconds: Double(smtp.retryCap.wholeSeconds),
                                 giveUpAfterSeconds: Double(smtp.giveUpAfter.wholeSeconds))
        let delivery: OutboxDelivery = switch policy.disposition(for: outcome, attempt: message.attempts,
                                                                 ageSeconds: finished.timeIntervalSince(message.ageFrom), unit: jitter) {
        case .sent(let reply): .sent(reply: reply)
        case .retry(let after, let reason): .retry(at: finished.addingTimeInterval(after), error: reason)
        case .dead(let reason): .dead(error: reason)
        }
        guard try await store.finishOutbox(message, delivery, at: finished) else {
            // Our lease ran out mid-send and another attempt holds the row: its result stands.
            context.logger.warning("outbox finish stale", metadata: ["outbox.id": "\(message.id)", "mail.kind": "\(message.kind)"])
            return .finished(id: message.id, delivery: delivery, stale: true)
        }
        MailReporting.finished(message, outcome: outcome, delivery: delivery, duration: started.duration(to: .now), context: context)
        return .finished(id: message.id, delivery: delivery, stale: false)
    }
}
