import Foundation

/// When the daily to-do mail goes out: at `minuteOfDay` local time, on working days of the
/// recipient's calendar (a rep's shift calendar, else `calendar`). Pure.
public struct DailyDigestSchedule: Hashable, Sendable {
    public var minuteOfDay: Int
    public var calendar: BusinessCalendar
    /// Open leads with no activity for this many days are listed as idle.
    public var idleDays: Int

    public init(minuteOfDay: Int, calendar: BusinessCalendar, idleDays: Int = 3) {
        self.minuteOfDay = minuteOfDay; self.calendar = calendar; self.idleDays = idleDays
    }

    /// The local day whose digest is due at `now` on `calendar`, or nil (before the time, or not a working day).
    public func dueDay(at now: Date, calendar own: BusinessCalendar? = nil) -> (key: Int, start: Date, end: Date)? {
        let calendar = own ?? self.calendar
        let day = calendar.localDay(of: now)
        guard now >= day.start.addingTimeInterval(TimeInterval(minuteOfDay * 60)), calendar.isWorkingDay(containing: now) else { return nil }
        return day
    }
}
