import Foundation
import LeadCore
import Logging
import Synchronization

/// Warns before a calendar's holiday data runs out: at start, on every reload, and once a local
/// day from the work loop (journald `calendar coverage ending`, with its catalog entry), records
/// `leadrouter_calendar_coverage_days{calendar}` every tick, and gives the short text that joins
/// STATUS=. The clock is the caller's (`now`), so tests drive it with a manual clock.
final class CoverageWarnings: Sendable {
    /// The local day (`YYYYMMDD`) each calendar was last warned about.
    private let warned = Mutex<[String: Int]>([:])

    /// Checks every calendar at `now`; `force` (start, reload) warns even if already warned today.
    /// Returns the calendars that warn (for STATUS=).
    @discardableResult
    func check(_ calendars: [BusinessCalendar], now: Date, force: Bool, context: DaemonContext) -> [CalendarCoverage] {
        var warning: [CalendarCoverage] = []
        for calendar in calendars {
            guard let coverage = calendar.coverage(at: now) else { continue }
            context.metrics.calendarCoverage(calendar: calendar.id, days: coverage.daysLeft)
            guard coverage.warns else { continue }
            warning.append(coverage)
            let today = calendar.localDay(of: now).key
            let due = warned.withLock { warned -> Bool in
                guard force || warned[calendar.id] != today else { return false }
                warned[calendar.id] = today
                return true
            }
            guard due else { continue }
            context.logger.warning("calendar coverage ending", metadata: [
                "calendar": "\(calendar.id)", "coverage.end": "\(coverage.end)", "days.left": "\(coverage.daysLeft)",
                "calendar.fallback": "\(coverage.fallback ?? "none")", "detail": "\(coverage.message)",
            ])
        }
        return warning
    }
}
