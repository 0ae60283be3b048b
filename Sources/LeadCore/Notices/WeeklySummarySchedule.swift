import Foundation

/// When the weekly summary goes to each supervisor: on `weekday` (1 = Monday) at `minuteOfDay`
/// local time in `zone`, covering the seven days before that day. Pure.
public struct WeeklySummarySchedule: Hashable, Sendable {
    public var weekday: Int
    public var minuteOfDay: Int
    public var zone: String

    public init(weekday: Int, minuteOfDay: Int, zone: String) { self.weekday = weekday; self.minuteOfDay = minuteOfDay; self.zone = zone }

    /// The summary due at `now`: the start of its day (`YYYYMMDD` key) and the week it covers,
    /// [start − 7 days, start). Nil before the first such day and time has come this week.
    public func due(at now: Date) -> (key: Int, weekStart: Date, previousStart: Date)? {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: zone) ?? TimeZone(identifier: "UTC")!
        let today = calendar.startOfDay(for: now)
        let isoWeekday = (calendar.component(.weekday, from: today) + 5) % 7 + 1
        let back = (isoWeekday - weekday + 7) % 7
        guard let day = calendar.date(byAdding: .day, value: -back, to: today),
              now >= day.addingTimeInterval(TimeInterval(minuteOfDay * 60)) else { return nil }
        let c = calendar.dateComponents([.year, .month, .day], from: day)
        let weekStart = calendar.date(byAdding: .day, value: -7, to: day)!
        return ((c.year ?? 0) * 10_000 + (c.month ?? 0) * 100 + (c.day ?? 0), day, weekStart)
    }
}
