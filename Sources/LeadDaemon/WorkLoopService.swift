import Foundation
import LeadCore
import Logging
import ServiceLifecycle

/// The daemon's work loop. Each tick does the housekeeping due at `now` from the clock (held leads
/// tried again, daily and weekly mail queued, old raw captures purged; SLA timers and the outbox
/// have services of their own), writes the heartbeat, updates STATUS= and the metrics,
/// and pats the systemd watchdog: a wedged loop stops the pats and systemd restarts the service.
public struct WorkLoopService: Service {
    let context: DaemonContext
    let watchdogInterval: Duration?

    public init(context: DaemonContext, watchdogInterval: Duration?) {
        self.context = context
        self.watchdogInterval = watchdogInterval
    }

    public func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            await tick(now: context.clock.now())
            let maxSleep = context.state.snapshot.configuration.scheduler.maxSleep
            let interval = watchdogInterval.map { min($0 / 2, maxSleep) } ?? maxSleep
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// Held leads go out, oldest first, as soon as someone is eligible (a shift starts, a leave
    /// ends, a cap resets, a lead closes): each tick retries the queue, which is empty almost always.
    func releaseHeldLeads(now: Date) async throws {
        guard let engine = context.state.snapshot.routing else { return }
        for (lead, decision) in try await context.store.releaseHeld(engine: engine, at: now, limit: 100) {
            IntakeReporting.routed(decision, lead: lead, context: context)
            SLAReporting.armed(decision.clocks, lead: lead, context: context)
        }
    }

    /// The daily to-do mails, once the configured local time has come on a working day.
    func queueDailyDigests(now: Date) async throws {
        let snapshot = context.state.snapshot
        guard let schedule = snapshot.configuration.mail.digest, let engine = snapshot.routing else { return }
        let queued = try await context.store.queueDailyDigests(at: now, engine: engine, schedule: schedule)
        guard queued > 0 else { return }
        context.logger.info("daily digests queued", metadata: ["count": "\(queued)"])
        context.outboxWakeup.notify()
    }

    /// The supervisors' weekly summaries, once the configured day and time have come.
    func queueWeeklySummaries(now: Date) async throws {
        let snapshot = context.state.snapshot
        guard let schedule = snapshot.configuration.mail.weekly, let engine = snapshot.routing else { return }
        let queued = try await context.store.queueWeeklySummaries(at: now, engine: engine, schedule: schedule, lifecycle: snapshot.configuration.lifecycle)
        guard queued > 0 else { return }
        context.logger.info("weekly summaries queued", metadata: ["count": "\(queued)"])
        context.outboxWakeup.notify()
    }

    /// Hourly: raw captures past `intake.capture_retention` are emptied.
    func purgeExpiredCaptures(now: Date) async throws {
        guard context.housekeeping.due(now: now, every: 3_600) else { return }
        let retention = TimeInterval(context.state.snapshot.configuration.intake.captureRetention.wholeSeconds)
        let purged = try await context.store.purgeCaptures(receivedBefore: now - retention)
        if purged > 0 { context.logger.info("raw captures purged", metadata: ["count": "\(purged)"]) }
    }

    /// One pass of due work at `now`. Never throws: a failing store is logged and reported by
    /// `/readyz`, and the loop carries on so it recovers by itself. `housekeeping: false` (the
    /// pass before READY=1) writes the heartbeat and reads the summary only: the purge, held
    /// leads and digests wait for the loop, so a start never waits for them.
    @discardableResult
    public func tick(now: Date, housekeeping: Bool = true) async -> StoreSummary? {
        defer {
            context.metrics.tickCompleted()
            context.notifier.watchdog()
        }
        do {
            try await context.store.recordHeartbeat(context.heartbeat(now: now))
            // On a shared database only the leader does this (unique keys would make a second
            // node's run a no-op; the leader saves it the work).
            if housekeeping, context.leadership.isLeader {
                try await purgeExpiredCaptures(now: now)
                try await releaseHeldLeads(now: now)
                try await queueDailyDigests(now: now)
                try await queueWeeklySummaries(now: now)
            }
            let summary = try await context.store.summary()
            context.metrics.record(summary)
            context.metrics.recordOldestOverdue(try await context.store.oldestOverdue(at: now), now: now)
            let coverage = context.coverageWarnings.check(context.state.snapshot.configuration.calendars, now: now,
                                                          force: false, context: context)
            context.notifier.status(([summary.statusLine] + coverage.map(\.short)).joined(separator: "; "))
            if context.storeHealth.update(failure: nil) {
                context.logger.notice("database available")
            }
            return summary
        } catch {
            context.metrics.storeFailed()
            let reason = String(describing: error)
            if context.storeHealth.update(failure: reason) {
                context.logger.error("database unavailable", metadata: ["error": "\(reason)"])
            }
            context.notifier.status("database unavailable: \(reason)")
            return nil
        }
    }
}
