import Foundation

/// Counts for `leadctl status`, the systemd STATUS= line and the metrics gauges.
public struct StoreSummary: Hashable, Sendable, Codable {
    public var leadsTotal: Int
    public var leadsOpen: Int
    public var leadsUnassigned: Int
    public var reps: Int
    public var teams: Int
    public var deadlinesPending: Int
    public var outboxPending: Int
    public var outboxDead: Int
    /// Leads per status.
    public var leadsByStatus: [String: Int] = [:]
    /// Open leads whose stale deadline passed (no activity for too long).
    public var leadsStale: Int = 0

    public init(leadsTotal: Int = 0, leadsOpen: Int = 0, leadsUnassigned: Int = 0, reps: Int = 0,
                teams: Int = 0, deadlinesPending: Int = 0, outboxPending: Int = 0, outboxDead: Int = 0) {
        self.leadsTotal = leadsTotal; self.leadsOpen = leadsOpen; self.leadsUnassigned = leadsUnassigned
        self.reps = reps; self.teams = teams; self.deadlinesPending = deadlinesPending
        self.outboxPending = outboxPending; self.outboxDead = outboxDead
    }

    /// One line for systemd's STATUS=.
    public var statusLine: String {
        "\(leadsOpen) open leads, \(leadsUnassigned) unassigned, \(deadlinesPending) due timers, outbox \(outboxPending)"
    }
}
