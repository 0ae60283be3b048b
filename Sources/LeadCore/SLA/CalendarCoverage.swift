import Foundation

/// Where a calendar's holiday data ends, as seen at `now`: the warning the daemon logs at start,
/// on reload and daily, `leadctl config check` and `status` print, and the gauge
/// `leadrouter_calendar_coverage_days` reads. Pure: `now` is given.
public struct CalendarCoverage: Hashable, Sendable {
    public var calendar: String
    /// The last covered local day, `YYYY-MM-DD`.
    public var end: String
    /// Whole local days from today to the coverage's last day (0 on that day, negative after it).
    public var daysLeft: Int
    public var fallback: String?
    /// Whether `daysLeft` is within the calendar's `coverage_warning`.
    public var warns: Bool

    public var message: String {
        let when = daysLeft >= 0 ? "ends \(end) (\(daysLeft) day\(daysLeft == 1 ? "" : "s") left)" : "ended \(end) (\(-daysLeft) days ago)"
        let after = fallback == "cn-statutory"
            ? "days after it take China's statutory holidays, provisionally (no 调休 weekends)"
            : "days after it count as ordinary working days (no holidays at all)"
        return "calendar \(calendar): holiday data \(when); \(after). Add the next year's holiday file (README: Business calendars) and reload"
    }

    /// A short form for `STATUS=` and `leadctl status`.
    public var short: String { "calendar \(calendar) holidays \(daysLeft >= 0 ? "end" : "ended") \(end)" }
}

extension BusinessCalendar {
    /// The coverage as seen at `now`; nil when the calendar keeps no holiday data.
    public func coverage(at now: Date) -> CalendarCoverage? {
        guard let end = coverageEnd else { return nil }
        let cal = calendar
        let today = cal.startOfDay(for: now)
        guard let last = cal.date(from: DateComponents(year: end / 10_000, month: end / 100 % 100, day: end % 100)) else { return nil }
        let days = cal.dateComponents([.day], from: today, to: last).day ?? 0
        let text = String(format: "%04d-%02d-%02d", end / 10_000, end / 100 % 100, end % 100)
        return CalendarCoverage(calendar: id, end: text, daysLeft: days, fallback: fallback, warns: days <= coverageWarningDays)
    }
}
