import Foundation
import LeadConfig
import LeadCore
import ServiceLifecycle

/// The SLA timer. It sleeps until the earliest pending deadline row, is woken early when a nearer
/// one may have been written, and re-reads the earliest row at least every `scheduler.recheck`
/// (a wall-clock step, or a row written by leadctl, is noticed within that time). Due rows are
/// decided in batches, oldest first; after downtime the backlog goes in bounded batches with a
/// pause between them, so intake keeps getting the writer. It never scans open leads.
struct DeadlineScheduler: Service {
    let context: DaemonContext

    func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            let settings = context.state.snapshot.configuration.scheduler
            let wait = await pass(settings: settings)
            guard wait > .zero else { continue }
            let plannedWake = context.clock.now().addingTimeInterval(Double(wait.nanoseconds) / 1e9)
            await cancelWhenGracefulShutdown { await context.wakeup.wait(upTo: wait, plannedWake: plannedWake) }
        }
    }

    /// One pass: decides what is due and returns how long to wait before the next.
    func pass(settings: SchedulerConfiguration) async -> Duration {
        let store = context.store
        do {
            var decided = 0
            if let engine = context.state.snapshot.routing {
                let decisions = try await store.decideDue(at: context.clock.now(), engine: engine, limit: settings.batch,
                                                          digestThreshold: settings.digestThreshold)
                decided = decisions.count
                SLAReporting.decided(decisions, context: context)
                if decisions.contains(where: { $0.notices > 0 }) { context.outboxWakeup.notify() }
                if decided >= settings.batch { return max(settings.catchUpPause, .nanoseconds(1)) }
            }
            guard let next = try await store.nextDeadline() else { return settings.recheck }
            let until = next.timeIntervalSince(context.clock.now())
            // Due now but nothing decided (no routing configured): never spin.
            if until <= 0 { return decided > 0 ? .zero : min(.milliseconds(200), settings.recheck) }
            return min(.milliseconds(Int64((until * 1000).rounded(.up))), settings.recheck)
        } catch {
            context.metrics.storeFailed()
            context.logger.error("sla scheduler failed", metadata: ["error": "\(error)"])
            return .seconds(1)
        }
    }
}
