import Foundation

/// Instants as RFC 3339 text in UTC (`2026-10-02T09:00:00Z`), for logs, JSON and the CLI.
public enum RFC3339Text {
    public static func string(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
