import Foundation
import LeadConfig
import LeadCore
import LeadSystemd
import Logging
import Synchronization

/// What the daemon's services share: passed in explicitly, never global.
public struct DaemonContext: Sendable {
    public let store: any DaemonStore
    public let state: ConfigurationState
    public let notifier: SystemdNotifier
    public let metrics: DaemonMetrics
    public let clock: any WallClock
    public let logger: Logger
    public let identity: DaemonIdentity
    let storeHealth: StoreHealth
    let housekeeping: Housekeeping
    /// Wakes the SLA timer when a nearer deadline may have been written.
    let wakeup: DeadlineWakeup
    /// Wakes the mail senders when outbox rows were written.
    let outboxWakeup: OutboxWakeup
    /// Wakes the detail fetcher when a lead awaiting details was recorded.
    let detailWakeup: DeadlineWakeup
    /// When each calendar's coverage was last warned about.
    let coverageWarnings: CoverageWarnings
    /// Whether this node does the periodic work (always, alone on its store).
    let leadership: Leadership

    public init(store: any DaemonStore, state: ConfigurationState, notifier: SystemdNotifier, metrics: DaemonMetrics,
                clock: any WallClock, logger: Logger, identity: DaemonIdentity, sharedStore: Bool = false) {
        self.store = store; self.state = state; self.notifier = notifier; self.metrics = metrics
        self.clock = clock; self.logger = logger; self.identity = identity
        self.storeHealth = StoreHealth()
        self.housekeeping = Housekeeping()
        self.wakeup = DeadlineWakeup()
        self.outboxWakeup = OutboxWakeup()
        self.detailWakeup = DeadlineWakeup()
        self.coverageWarnings = CoverageWarnings()
        self.leadership = Leadership(leading: !sharedStore)
    }

    /// The heartbeat row for the configuration in force.
    func heartbeat(now: Date) -> DaemonHeartbeat {
        let snapshot = state.snapshot
        return DaemonHeartbeat(pid: identity.pid, startedAt: identity.startedAt, lastTickAt: now,
                               configGeneration: snapshot.generation, configLoadedAt: snapshot.loadedAt,
                               configFile: identity.configFile, version: LeadRouterVersion.current, host: identity.host)
    }
}

public struct DaemonIdentity: Sendable {
    public var pid: Int32
    public var startedAt: Date
    public var configFile: String
    public var host: String

    public init(pid: Int32, startedAt: Date, configFile: String, host: String = DaemonIdentity.hostName()) {
        self.pid = pid; self.startedAt = startedAt; self.configFile = configFile; self.host = host
    }

    /// This machine's name (`gethostname`), "localhost" if it has none.
    public static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "localhost" : name
    }

    /// The node's name among several daemons sharing a database.
    public var node: String { "\(host)/\(pid)" }
}

/// Remembers whether the last store operation failed, so a failure is logged when it starts and
/// when it ends, not on every tick.
final class StoreHealth: Sendable {
    private let failing = Mutex<String?>(nil)

    /// Returns true when this call changed the state (worth a log line).
    func update(failure: String?) -> Bool {
        failing.withLock { current in
            defer { current = failure }
            return (current == nil) != (failure == nil)
        }
    }

    var lastFailure: String? { failing.withLock { $0 } }
}

/// When periodic housekeeping last ran (it runs from the work loop, at most once per period).
final class Housekeeping: Sendable {
    private let last = Mutex<Date?>(nil)

    /// True (and remembers `now`) when `every` seconds passed since the last run, or on the first call.
    func due(now: Date, every: TimeInterval) -> Bool {
        last.withLock { last in
            if let previous = last, now.timeIntervalSince(previous) < every { return false }
            last = now
            return true
        }
    }
}
