import ArgumentParser
import Foundation
import LeadCore
import LeadStores

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show lead counts and whether the daemon is alive.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let (configuration, _) = try loadConfiguration(global)
        let opened = try await openCluster(configuration, access: .read)
        defer { opened.close() }
        let store = opened.store
        let summary = try await store.summary()
        let heartbeat = try await store.heartbeat()
        // On a shared database: every node and the leader, judged by the database's clock.
        let nodes = try await opened.cluster?.nodes() ?? []
        let now = try await opened.cluster?.databaseNow() ?? Date()
        let leader = try await opened.cluster?.leader(ClusterRole.periodic, at: now)
        let health = opened.cluster == nil
            ? DaemonHealth(heartbeat: heartbeat, now: now, maxSleep: configuration.scheduler.maxSleep)
            : DaemonHealth(nodes: nodes, now: now, maxSleep: configuration.scheduler.maxSleep)
        let coverage = configuration.calendars.compactMap { $0.coverage(at: now) }
        if output.json {
            var daemon: [String: Any] = ["state": health.rawValue]
            if let heartbeat {
                daemon["pid"] = Int(heartbeat.pid)
                daemon["started_at"] = RFC3339.string(heartbeat.startedAt)
                daemon["last_tick_at"] = RFC3339.string(heartbeat.lastTickAt)
                daemon["config_generation"] = heartbeat.configGeneration
                daemon["config_loaded_at"] = RFC3339.string(heartbeat.configLoadedAt)
                daemon["config_file"] = heartbeat.configFile
                daemon["version"] = heartbeat.version
            }
            var cluster: [String: Any] = [:]
            if opened.cluster != nil {
                cluster["leader"] = leader?.node ?? NSNull()
                cluster["nodes"] = nodes.map { node -> [String: Any] in
                    ["node": node.node, "host": node.host, "pid": Int(node.heartbeat.pid), "version": node.heartbeat.version,
                     "state": DaemonHealth(lastTick: node.heartbeat.lastTickAt, now: now, maxSleep: configuration.scheduler.maxSleep).rawValue,
                     "last_tick_at": RFC3339.string(node.heartbeat.lastTickAt), "leader": node.node == leader?.node,
                     "config_generation": node.heartbeat.configGeneration]
                }
            }
            try printJSON([
                "store": opened.description,
                "cluster": cluster.isEmpty ? NSNull() : cluster,
                "daemon": daemon,
                "leads": ["total": summary.leadsTotal, "open": summary.leadsOpen, "unassigned": summary.leadsUnassigned],
                "reps": summary.reps,
                "teams": summary.teams,
                "deadlines_pending": summary.deadlinesPending,
                "outbox": ["pending": summary.outboxPending, "dead": summary.outboxDead],
                "calendars": coverage.map { ["id": $0.calendar, "coverage_end": $0.end, "days_left": $0.daysLeft,
                                             "fallback": $0.fallback ?? "none", "warning": $0.warns] as [String: Any] },
            ])
        } else {
            var lines = ["daemon: \(health.rawValue)", "store: \(opened.description)"]
            if opened.cluster != nil {
                lines.append("nodes: \(nodes.count), leader: \(leader.map { "\($0.node) since \(RFC3339.string($0.electedAt))" } ?? "none")")
                for node in nodes {
                    let state = DaemonHealth(lastTick: node.heartbeat.lastTickAt, now: now, maxSleep: configuration.scheduler.maxSleep)
                    lines.append("  \(node.node) \(state.rawValue)\(node.node == leader?.node ? " leader" : ""), version \(node.heartbeat.version), "
                                 + "last tick \(RFC3339.string(node.heartbeat.lastTickAt)), configuration \(node.heartbeat.configGeneration)")
                }
            } else if let heartbeat {
                lines.append("  pid \(heartbeat.pid), version \(heartbeat.version), started \(RFC3339.string(heartbeat.startedAt))")
                lines.append("  last tick \(RFC3339.string(heartbeat.lastTickAt)), configuration \(heartbeat.configGeneration) loaded \(RFC3339.string(heartbeat.configLoadedAt))")
            }
            lines.append("leads: \(summary.leadsTotal) total, \(summary.leadsOpen) open, \(summary.leadsUnassigned) unassigned")
            lines.append("reps: \(summary.reps), teams: \(summary.teams)")
            lines.append("deadlines pending: \(summary.deadlinesPending)")
            lines.append("outbox: \(summary.outboxPending) pending, \(summary.outboxDead) dead")
            for c in coverage {
                lines.append("calendar \(c.calendar): holidays known until \(c.end) (\(c.daysLeft) days)"
                             + (c.fallback.map { ", then \($0) (provisional)" } ?? "") + (c.warns ? "  WARNING: add next year's holiday file" : ""))
            }
            print(lines.joined(separator: "\n"))
        }
    }
}

/// Whether the daemon is alive, judged from its heartbeat: its pid exists and it ticked recently
/// (within three of its longest sleeps).
enum DaemonHealth: String {
    case running, stale, stopped, unknown

    init(heartbeat: DaemonHeartbeat?, now: Date, maxSleep: Duration) {
        guard let heartbeat else { self = .unknown; return }
        guard kill(heartbeat.pid, 0) == 0 || errno == EPERM else { self = .stopped; return }
        self = DaemonHealth(lastTick: heartbeat.lastTickAt, now: now, maxSleep: maxSleep)
    }

    /// A node on another host (no pid to check): running while it ticks.
    init(lastTick: Date, now: Date, maxSleep: Duration) {
        let limit = Double(maxSleep.components.seconds) * 3 + 2
        self = now.timeIntervalSince(lastTick) <= limit ? .running : .stale
    }

    /// A cluster: running while any node ticks.
    init(nodes: [ClusterNode], now: Date, maxSleep: Duration) {
        guard !nodes.isEmpty else { self = .unknown; return }
        self = nodes.contains { DaemonHealth(lastTick: $0.heartbeat.lastTickAt, now: now, maxSleep: maxSleep) == .running } ? .running : .stale
    }
}
