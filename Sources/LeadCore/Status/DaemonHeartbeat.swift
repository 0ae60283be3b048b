import Foundation

/// What a running daemon says about itself in the store, so `leadctl status` can tell whether it
/// is alive and which configuration it runs.
public struct DaemonHeartbeat: Hashable, Sendable, Codable {
    public var pid: Int32
    public var startedAt: Date
    public var lastTickAt: Date
    public var configGeneration: Int
    public var configLoadedAt: Date
    public var configFile: String
    public var version: String
    /// The host it runs on (kept by a shared database, where several hosts write heartbeats).
    public var host: String

    public init(pid: Int32, startedAt: Date, lastTickAt: Date, configGeneration: Int,
                configLoadedAt: Date, configFile: String, version: String, host: String = "") {
        self.pid = pid; self.startedAt = startedAt; self.lastTickAt = lastTickAt
        self.configGeneration = configGeneration; self.configLoadedAt = configLoadedAt
        self.configFile = configFile; self.version = version; self.host = host
    }

    /// The node's name among several daemons: host and process.
    public var node: String { "\(host)/\(pid)" }
}

/// The version: this one line is where it is set (`leadrouterd --version`, `leadctl --version`,
/// the heartbeat, and `scripts/package` reads it from the built binary for the Debian version).
public enum LeadRouterVersion {
    public static let current = "0.2.0"

    /// What `--version` prints: `0.2.0 (commit abc1234)`.
    public static func describe(commit: String) -> String { "\(current) (commit \(commit))" }
}
