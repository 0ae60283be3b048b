import Foundation
import LeadChannels
import LeadConfig
import LeadCore
import LeadMail
import Logging
import ServiceLifecycle

/// Sends the outbox's channel messages (group robots, webhook events): claims only messages of channels whose
/// minute has room (`ChannelBudget`), posts each on its own thread (`ChannelLane`), reads the
/// vendor's answer (`ChannelAnswers`) and records it: sent, retry later (the vendor's wait, else
/// backoff with full jitter) or dead. At least once, like mail: a crash between the vendor's answer
/// and the commit sends the message again once its lease expires.
struct ChannelSender: Service {
    let context: DaemonContext
    let store: any OutboxStore
    var lane = ChannelLane()
    let budget = ChannelBudget()

    /// How long a message of a channel no longer in the configuration waits before it goes dead.
    static let removedChannelWait: TimeInterval = 3_600

    func run() async throws {
        let wakeup = context.outboxWakeup.register()
        var generator = SystemRandomNumberGenerator()
        var swept = Date.distantPast
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            let recheck = context.state.snapshot.configuration.scheduler.recheck
            do {
                if context.clock.now().timeIntervalSince(swept) >= 60 {
                    swept = context.clock.now()
                    _ = try await abandonRemovedChannels(now: swept)
                }
                guard !context.state.snapshot.configuration.channels.isEmpty else {
                    // No channel (yet: a reload may add one); the sweep above still runs each minute.
                    await cancelWhenGracefulShutdown { await wakeup.wait(upTo: recheck) }
                    continue
                }
                let next = try await pass(now: context.clock.now(), jitter: Double.random(in: 0...1, using: &generator))
                guard let next else { continue }
                let wait = Duration.milliseconds(max(1, Int64((next.timeIntervalSince(context.clock.now()) * 1000).rounded(.up))))
                await cancelWhenGracefulShutdown { await wakeup.wait(upTo: min(wait, recheck)) }
            } catch {
                context.metrics.storeFailed()
                context.logger.error("database unavailable", metadata: ["error": "\(error)"])
                await cancelWhenGracefulShutdown { await wakeup.wait(upTo: .seconds(1)) }
            }
        }
    }

    /// One message at `now`, or nil when one was sent (go on at once); else when to look again.
    func pass(now: Date, jitter: Double) async throws -> Date? {
        let channels = context.state.snapshot.configuration.channels
        let limits = Dictionary(channels.map { ($0.name, $0.perMinute) }, uniquingKeysWith: { a, _ in a })
        let ready = budget.ready(limits, now: now)
        let room = budget.nextRoom(limits, now: now)
        // A request ends within its channel's timeout: the lease outlasts the slowest by 5 s, so a
        // row a killed daemon held is claimed again soon after.
        let lease = TimeInterval(channels.filter { ready.contains($0.name) }.map(\.timeout.components.seconds).max() ?? 10) + 5
        guard !ready.isEmpty,
              let message = try await store.claimOutbox(at: now, lease: lease, retry: false, lane: .channels(ready)) else {
            let due = try await store.nextOutboxAttempt(lane: .channels(Set(limits.keys)))
            return [due.map { max($0, room ?? $0) }, room].compactMap { $0 }.min() ?? now.addingTimeInterval(3_600)
        }
        guard let channel = channels.first(where: { $0.name == message.channel }) else {
            try await finish(message, .dead(error: "no channel \(message.channel ?? "-") in the configuration"), kind: "-")
            return nil
        }
        budget.spend(channel.name, at: now)
        let endpoint = ChannelEndpoint(name: channel.name, kind: channel.kind, url: channel.url.value, secret: channel.secret?.value,
                                       format: channel.format)
        let request: ChannelRequest
        if channel.kind == .webhook {
            // The event's id is the row's: the same on every retry, so the receiver can drop copies.
            let event = WebhookEvent(type: message.kind, id: "evt_\(message.id)", at: message.createdAt, dataJSON: message.body)
            request = StandardWebhookSigner.request(event, to: endpoint, now: now)
        } else {
            request = RobotEncoder.request(Self.robotMessage(message, templates: context.state.snapshot.configuration.mail.templates),
                                           to: endpoint, now: now)
        }
        let response = await lane.post(request, caFile: channel.caFile?.path, timeoutSeconds: Int(channel.timeout.components.seconds))
        let finished = context.clock.now()
        let answer = ChannelAnswers.classify(.init(status: response.status, retryAfter: response.retryAfter, body: response.body,
                                                   transportError: response.transportError), kind: channel.kind, now: finished)
        let delivery: OutboxDelivery
        switch answer {
        case .sent(let reply):
            delivery = .sent(reply: reply)
        case .dead(let reason):
            delivery = .dead(error: reason)
        case .retry(let after, let reason):
            let base = Double(channel.retryBase.components.seconds)
            let backoff = jitter * min(600, base * pow(2, Double(max(0, message.attempts - 1))))
            if finished.timeIntervalSince(message.ageFrom) > Double(channel.giveUpAfter.components.seconds) {
                delivery = .dead(error: "gave up after \(DurationText.format(seconds: channel.giveUpAfter.components.seconds)): \(reason)")
            } else {
                delivery = .retry(at: finished.addingTimeInterval(max(1, after ?? backoff)), error: reason)
            }
        }
        try await finish(message, delivery, kind: channel.kind.rawValue)
        return nil
    }

    /// Messages of channels removed from the configuration, waiting for an hour, go dead (they
    /// would otherwise stay pending forever); how many.
    func abandonRemovedChannels(now: Date) async throws -> Int {
        let names = Set(context.state.snapshot.configuration.channels.map(\.name))
        let dead = try await store.abandonUnconfiguredChannels(names, waitingSince: now.addingTimeInterval(-Self.removedChannelWait), at: now)
        for (id, lead) in dead {
            context.metrics.channelMessage(kind: "-", outcome: "dead")
            var metadata: Logger.Metadata = ["outbox.id": "\(id)", "error": "its channel is no longer in the configuration"]
            if let lead { metadata["lead.id"] = "\(lead)" }
            context.logger.error("channel message dead", metadata: metadata)
        }
        return dead.count
    }

    /// A robot's message: the kind's `KIND.LANG.md.mustache` when there is one (the row's language,
    /// else the default), else the built-in text under the mail's subject.
    static func robotMessage(_ message: OutboxMessage, templates: TemplateLibrary?) -> ChannelMessage {
        if !message.variables.isEmpty,
           let rendered = templates?.render(kind: message.kind, language: message.language, variables: message.variables, robot: true) {
            return ChannelMessage(title: rendered.subject, text: rendered.body, mentions: message.mentions, standalone: true)
        }
        let title = message.subject.hasPrefix("[leadrouter] ") ? String(message.subject.dropFirst(13)) : message.subject
        return ChannelMessage(title: title, text: message.body, mentions: message.mentions)
    }

    private func finish(_ message: OutboxMessage, _ delivery: OutboxDelivery, kind: String) async throws {
        guard try await store.finishOutbox(message, delivery, at: context.clock.now()) else {
            context.logger.warning("outbox finish stale", metadata: ["outbox.id": "\(message.id)", "mail.kind": "\(message.kind)"])
            return
        }
        var metadata: Logger.Metadata = ["outbox.id": "\(message.id)", "attempt": "\(message.attempts)", "channel": "\(message.channel ?? "-")",
                                         "channel.kind": "\(kind)", "mail.kind": "\(message.kind)"]
        if let lead = message.lead { metadata["lead.id"] = "\(lead)" }
        switch delivery {
        case .sent(let reply):
            context.metrics.channelMessage(kind: kind, outcome: "sent")
            context.logger.info("channel message sent", metadata: metadata.merging(["reply": "\(reply)"]) { a, _ in a })
        case .retry(let at, let error):
            context.metrics.channelMessage(kind: kind, outcome: "retry")
            context.logger.warning("channel message retry scheduled", metadata: metadata.merging([
                "retry.at": "\(RFC3339Text.string(at))", "error": "\(error)",
            ]) { a, _ in a })
        case .dead(let error):
            context.metrics.channelMessage(kind: kind, outcome: "dead")
            context.logger.error("channel message dead", metadata: metadata.merging(["error": "\(error)"]) { a, _ in a })
        }
    }
}
