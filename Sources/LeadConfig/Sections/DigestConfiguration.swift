import Foundation
import LeadCore

/// `[digest]` (optional): the daily to-do mail.
/// - `digest.at` (`"HH:MM"`, required): local time it goes out, on working days.
/// - `digest.calendar` (a `[[calendar]]` id, required): working days and zone; a rep with
///   `calendar = …` gets it by their own calendar (no mail on their holidays).
/// - `digest.idle_days` (1–90, default 3): open leads without activity this long are listed.
/// - `digest.weekly` (`"mon 09:00"`, optional): each supervisor's weekly summary (the team's response
///   time, SLA misses by rep, funnel and slowest stage against the week before), in the calendar's zone.
/// Each rep gets their leads due today, overdue and idle; each supervisor the same for the team
/// plus yesterday's breaches. Once per recipient and day, across restarts; an empty list sends nothing.
enum DigestConfiguration {
    static func weekly(_ root: TableReader, calendars: [BusinessCalendar]) -> WeeklySummarySchedule? {
        guard root.hasKey("digest") else { return nil }
        let table = root.section("digest")
        guard let text = table.peekString("weekly") else { return nil }
        let parts = text.lowercased().split(separator: " ")
        let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        let time = parts.count == 2 ? parts[1].split(separator: ":").compactMap { Int($0) } : []
        guard parts.count == 2, let day = days.firstIndex(of: String(parts[0])), time.count == 2, (0..<24).contains(time[0]), (0..<60).contains(time[1]) else {
            return nil   // reported by decode
        }
        let zone = table.peekString("calendar").flatMap { id in calendars.first { $0.id == id }?.zone } ?? "Asia/Shanghai"
        return WeeklySummarySchedule(weekday: day + 1, minuteOfDay: time[0] * 60 + time[1], zone: zone)
    }

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
        if let weekly = table.text("weekly") {
            let parts = weekly.lowercased().split(separator: " ")
            let time = parts.count == 2 ? parts[1].split(separator: ":").compactMap { Int($0) } : []
            if parts.count != 2 || !["mon", "tue", "wed", "thu", "fri", "sat", "sun"].contains(String(parts[0])) || time.count != 2
                || !(0..<24).contains(time[0]) || !(0..<60).contains(time[1]) {
                table.report("weekly", "\"\(weekly)\" is not a day and time like \"mon 09:00\"")
            }
        }
        guard let minute, let calendar else { return nil }
        return DailyDigestSchedule(minuteOfDay: minute, calendar: calendar, idleDays: idle)
    }
}
