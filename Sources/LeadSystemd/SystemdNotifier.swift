import CSystemd
import Foundation

/// Speaks the sd_notify protocol through libsystemd. With no `NOTIFY_SOCKET` every call is a no-op,
/// so the daemon runs the same under systemd, in a terminal and in tests (which bind a real socket).
public struct SystemdNotifier: Sendable {
    public init() {}

    public var isActive: Bool { ProcessInfo.processInfo.environment["NOTIFY_SOCKET"] != nil }

    public func ready(status: String) { send(["READY=1", "STATUS=\(oneLine(status))"]) }
    public func status(_ status: String) { send(["STATUS=\(oneLine(status))"]) }
    public func stopping(status: String) { send(["STOPPING=1", "STATUS=\(oneLine(status))"]) }
    public func watchdog() { send(["WATCHDOG=1"]) }

    /// `RELOADING=1` with `MONOTONIC_USEC=` (required by systemd 253's notify-reload, harmless on 252).
    public func reloading() {
        send(["RELOADING=1", "MONOTONIC_USEC=\(leadrouter_monotonic_usec())", "STATUS=reloading configuration"])
    }

    public func send(_ assignments: [String]) {
        guard isActive else { return }
        _ = sd_notify(0, assignments.joined(separator: "\n"))
    }

    /// The watchdog period systemd asked for (`WATCHDOG_USEC`, for this pid), if any.
    public static func watchdogInterval() -> Duration? {
        var usec: UInt64 = 0
        guard sd_watchdog_enabled(0, &usec) > 0, usec > 0 else { return nil }
        return .microseconds(Int64(usec))
    }

    private func oneLine(_ text: String) -> String {
        text.replacingOccurrences(of: "\n", with: " ")
    }
}
