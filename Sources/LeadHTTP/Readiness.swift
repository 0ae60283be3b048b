/// Whether the daemon can take work now, and if not, why (shown by `/readyz`).
public struct ReadinessReport: Sendable, Equatable, Codable {
    public var ready: Bool
    /// Check name → "ok" or the reason it failed.
    public var checks: [String: String]

    public init(checks: [String: String]) {
        self.checks = checks
        self.ready = checks.values.allSatisfy { $0 == "ok" }
    }
}

/// Runs the readiness checks (database round trip, later: spool writable, disk space).
public typealias ReadinessProbe = @Sendable () async -> ReadinessReport
