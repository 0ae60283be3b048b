import Foundation
import LeadCore
import Logging
import ServiceLifecycle

/// On a shared database: renews (or takes) the leader row for the periodic work every third of
/// its time to live, measures this host's clock against the database's, and listens for the
/// wake-ups other nodes' writes send. A clean stop gives the leader row up at once; a node that
/// dies keeps it until its time to live runs out, then another node takes it.
struct ClusterService: Service {
    let context: DaemonContext
    let cluster: any ClusterCoordination
    let clock: OffsetWallClock
    let node: String
    /// How long a leader row lasts without renewal.
    static let leaderTTL: TimeInterval = 15
    /// A host clock further than this from the database's is warned about.
    static let skewWarning: TimeInterval = 2

    func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await listen() }
            group.addTask { await lead() }
            await group.next()
            group.cancelAll()
        }
        if context.leadership.isLeader {
            try? await cluster.resign(ClusterRole.periodic, node: node)
            _ = context.leadership.update(false)
            context.logger.notice("leadership given up", metadata: ["node": "\(node)"])
        }
    }

    /// The leader row, renewed every third of its time to live, until shutdown.
    private func lead() async {
        var skewWarned = false
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                skewWarned = try await measureClock(warned: skewWarned)
                let leading = try await cluster.lead(ClusterRole.periodic, node: node, ttl: Self.leaderTTL, at: clock.now())
                context.metrics.recordLeader(leading)
                if context.leadership.update(leading) {
                    context.logger.notice(leading ? "leadership taken" : "leadership lost", metadata: ["node": "\(node)"])
                }
                let alive = try await cluster.nodes().filter { clock.now().timeIntervalSince($0.heartbeat.lastTickAt) < 60 }
                context.metrics.recordNodes(alive.count)
            } catch {
                // Unreachable database: stop leading before the row could expire under us.
                if context.leadership.update(false) {
                    context.logger.error("leadership lost", metadata: ["node": "\(node)", "error": "\(error)"])
                }
                context.metrics.recordLeader(false)
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(Self.leaderTTL / 3)) }
        }
    }

    /// Measures the database's clock against this host's (half the round trip counted) and moves
    /// the daemon's clock onto it; warns once when they differ by more than `skewWarning`.
    private func measureClock(warned: Bool) async throws -> Bool {
        let before = clock.hostNow()
        let database = try await cluster.databaseNow()
        let after = clock.hostNow()
        let offset = database.timeIntervalSince(before) - after.timeIntervalSince(before) / 2
        clock.set(offset: offset)
        context.metrics.recordClockOffset(offset)
        guard abs(offset) > Self.skewWarning else { return false }
        if !warned {
            context.logger.warning("host clock differs from the database", metadata: [
                "node": "\(node)", "offset.seconds": "\(String(format: "%.3f", offset))",
            ])
        }
        return true
    }

    /// Wake-ups from other nodes' writes, listened for again after a failure (and a re-read
    /// then, since wake-ups sent meanwhile are lost).
    private func listen() async {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown {
                    try await cluster.listenForWakeups { [context] wakeup in
                        switch wakeup {
                        case .deadlines: context.wakeup.notify()
                        case .outbox: context.outboxWakeup.notify()
                        }
                    }
                }
            } catch {
                if Task.isCancelled || Task.isShuttingDownGracefully { return }
                context.logger.warning("wake-up listener reconnecting", metadata: ["error": "\(error)"])
            }
            context.wakeup.notify()
            context.outboxWakeup.notify()
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(1)) }
        }
    }
}
