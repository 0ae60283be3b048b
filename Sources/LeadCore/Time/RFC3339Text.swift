import Foundation

/// Instants as RFC 3339 text in UTC (`2026-10-02T09:00:00Z`), for logs, JSON and the CLI.
public enum RFC3339Text {
    /// `2026-11-30T02:00:00Z` (UTC, whole seconds).
    public static func string(_ date: Date) -> String {
        let f = CivilTime.fields(date)
        return "\(CivilTime.four(f.year))-\(CivilTime.two(f.month))-\(CivilTime.two(f.day))T"
            + "\(CivilTime.two(f.hour)):\(CivilTime.two(f.minute)):\(CivilTime.two(f.second))Z"
    }

    /// Parses RFC 3339 with an offset (`2026-12-04T17:00:00+08:00`, `…Z`); nil otherwise.
    public static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
