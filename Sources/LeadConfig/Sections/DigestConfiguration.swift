import Foundation
import LeadCore

/// `[digest]` (optional): the daily to-do mail.
/// - `digest.at` (`"HH:MM"`, required): local time it goes out, on working days.
/// - `digest.calendar` (a `[[calendar]]` id, required): working days and zone; a rep with
///   `calendar = …` gets it by their own calendar (no mail on their holidays).
/// - `digest.idle_days` (1–90, default 3): open leads without activity this long are listed.
/// Each rep gets their leads due today, overdue and idle; each supervisor the same for the team
/// plus yesterday's breaches. Once per recipient and day, across restarts; an empty list sends nothing.
enum DigestConfiguration {
    static func decode(_ root: TableReader, calendars: [BusinessCalendar]) -> DailyDigestSchedule? {
        guard root.hasKey("digest") else { return nil }
        let table = root.section("digest")
        defer { table.finish() }
        var minute: Int? = nil
        if let at = table.text("at", required: true) {
            let parts = at.split(separator: ":").compactMap { Int($0) }
            if parts.count == 2, (0..<24).contains(parts[0]), (0..<60).contains(parts[1]) { minute = parts[0] * 60 + parts[1] }
            else { table.report("at", "\"\(at)\" is not a time like \"08:30\"") }
        }
        var calendar: BusinessCalendar? = nil
        if let id = table.text("calendar", required: true) {
            calendar = calendars.first { $0.id == id }
            if calendar == nil { table.report("calendar", "unknown calendar \"\(id)\"") }
        }
        let idle = table.int("idle_days", default: 3, range: 1 ... 90)
        guard let minute, let calendar else { return nil }
        return DailyDigestSchedule(minuteOfDay: minute, calendar: calendar, idleDays: idle)
    }
}
