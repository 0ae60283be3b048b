import Foundation

/// What several daemons sharing one database coordinate through it: who does the periodic work
/// (a leader row with a time to live), which nodes are alive (their heartbeats), and the
/// database's clock (leases and due times are compared with one clock, not each host's).
/// Correctness never rests on the leader: unique keys and row locks do that; the leader only saves
/// the other nodes the work.
public protocol ClusterCoordination: Sendable {
    /// Takes or renews `role` for `node` until `now + ttl`: true when `node` holds it (it held it,
    /// or the row was absent or had expired).
    func lead(_ role: String, node: String, ttl: TimeInterval, at now: Date) async throws -> Bool
    /// Gives `role` up at once (a clean stop), so another node takes it on its next try.
    func resign(_ role: String, node: String) async throws
    /// The node holding `role` at `now`.
    func leader(_ role: String, at now: Date) async throws -> (node: String, electedAt: Date)?
    /// Every node that has sent a heartbeat, the most recent first.
    func nodes() async throws -> [ClusterNode]
    /// The database server's clock.
    func databaseNow() async throws -> Date
    /// Calls `wake` for every wake-up another node's committed write sent, until cancelled
    /// (returns) or the connection fails (throws; the caller listens again, and re-reads once,
    /// as wake-ups sent meanwhile are lost).
    func listenForWakeups(_ wake: @escaping @Sendable (ClusterWakeup) -> Void) async throws
}

/// What a committed write on one node wakes on every node.
public enum ClusterWakeup: String, Sendable, CaseIterable {
    /// A deadline row was armed or moved: the deadline scheduler re-reads its next due time.
    case deadlines
    /// An outbox row became due: the senders look for work.
    case outbox
}

/// One daemon sharing the database, as `leadctl status` lists it.
public struct ClusterNode: Hashable, Sendable {
    public var node: String
    public var host: String
    /// Holds the leader row for periodic work.
    public var leader: Bool
    public var heartbeat: DaemonHeartbeat

    public init(node: String, host: String, leader: Bool, heartbeat: DaemonHeartbeat) {
        self.node = node; self.host = host; self.leader = leader; self.heartbeat = heartbeat
    }
}

/// The roles a leader row is held for.
public enum ClusterRole {
    /// The work loop's periodic jobs: held-queue retries, daily and weekly mail, capture purges.
    public static let periodic = "periodic"
}
