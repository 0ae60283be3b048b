import Foundation

/// Working time in one IANA zone: periods per weekday (several, e.g. a lunch break), holidays,
/// extra working days (China's adjusted workdays, 调休, which fall on weekends), or 24×7.
/// Pure: every function takes the instant it works on. Exact to the second; the cost of `add` and
/// `businessTime` grows with the days spanned, never with the seconds.
public struct BusinessCalendar: Hashable, Sendable {
    public typealias Period = WeeklySchedule.Period

    public var id: String
    public var zone: String
    /// ISO weekday (1 = Monday … 7 = Sunday) → periods, sorted, not overlapping.
    public var periods: [Int: [Period]]
    /// Local days off (`YYYYMMDD`).
    public var holidays: Set<Int>
    /// Local days that are working days whatever their weekday (`YYYYMMDD`).
    public var extraWorkdays: Set<Int>
    /// Hours of an extra working day (default: Monday's).
    public var extraWorkdayPeriods: [Period]
    public var always: Bool

    public init(id: String, zone: String, periods: [Int: [Period]], holidays: Set<Int> = [], extraWorkdays: Set<Int> = [],
                extraWorkdayPeriods: [Period]? = nil, always: Bool = false) {
        self.id = id; self.zone = zone
        self.periods = periods.mapValues { $0.sorted { $0.start < $1.start } }
        self.holidays = holidays; self.extraWorkdays = extraWorkdays
        self.extraWorkdayPeriods = extraWorkdayPeriods ?? self.periods[1] ?? []
        self.always = always
    }

    public static func always(id: String, zone: String = "UTC") -> BusinessCalendar {
        BusinessCalendar(id: id, zone: zone, periods: [:], always: true)
    }

    /// Days checked before a calendar is declared to have no working time (ten years).
    static let horizonDays = 3_660

    var calendar: Calendar {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: zone) ?? TimeZone(identifier: "UTC")!
        return c
    }

    /// `YYYYMMDD` of a local day.
    public static func dayKey(_ c: DateComponents) -> Int { (c.year ?? 0) * 10_000 + (c.month ?? 0) * 100 + (c.day ?? 0) }

    /// The working periods of a local day (holidays first, then extra workdays, then the weekday).
    public func periods(onDay day: DateComponents, weekday: Int) -> [Period] {
        if always { return [Period(start: 0, end: 1_440)] }
        let key = Self.dayKey(day)
        if holidays.contains(key) { return [] }
        if extraWorkdays.contains(key) { return extraWorkdayPeriods }
        return periods[weekday] ?? []
    }

    /// Working intervals of the local day starting at `midnight`, as instants (DST handled by the
    /// zone: a local time in a gap moves forward, an overlap is counted once).
    func intervals(dayStartingAt midnight: Date, calendar: Calendar) -> [(start: Date, end: Date)] {
        let c = calendar.dateComponents([.year, .month, .day, .weekday], from: midnight)
        let weekday = ((c.weekday ?? 1) + 5) % 7 + 1
        let day = DateComponents(year: c.year, month: c.month, day: c.day)
        let next = calendar.date(byAdding: .day, value: 1, to: midnight)!
        return periods(onDay: day, weekday: weekday).compactMap { period in
            let start = instant(day, minute: period.start, next: next, calendar: calendar)
            let end = instant(day, minute: period.end, next: next, calendar: calendar)
            return end > start ? (start, end) : nil
        }
    }

    private func instant(_ day: DateComponents, minute: Int, next: Date, calendar: Calendar) -> Date {
        if minute >= 1_440 { return next }
        var c = day
        c.hour = minute / 60
        c.minute = minute % 60
        c.second = 0
        return calendar.date(from: c) ?? next
    }

    /// Local midnight of the day holding `date`.
    func midnight(of date: Date, calendar: Calendar) -> Date { calendar.startOfDay(for: date) }

    public func isOpen(at date: Date) -> Bool {
        let cal = calendar
        return intervals(dayStartingAt: midnight(of: date, calendar: cal), calendar: cal).contains { $0.start <= date && date < $0.end }
    }

    /// `date` when open, else the start of the next working period; nil when there is none within ten years.
    public func nextOpening(after date: Date) -> Date? {
        let cal = calendar
        var day = midnight(of: date, calendar: cal)
        for _ in 0..<Self.horizonDays {
            for interval in intervals(dayStartingAt: day, calendar: cal) where interval.end > date {
                return max(interval.start, date)
            }
            day = cal.date(byAdding: .day, value: 1, to: day)!
        }
        return nil
    }

    /// The instant `seconds` of working time after `start`; nil when the calendar runs out of
    /// working time within ten years. Zero seconds from a closed instant is the next opening.
    public func add(seconds: Int64, to start: Date) -> Date? {
        let cal = calendar
        var remaining = Double(seconds)
        var day = midnight(of: start, calendar: cal)
        for _ in 0..<Self.horizonDays {
            for interval in intervals(dayStartingAt: day, calendar: cal) where interval.end > start {
                let from = max(interval.start, start)
                let available = interval.end.timeIntervalSince(from)
                if remaining <= available { return from.addingTimeInterval(remaining) }
                remaining -= available
            }
            day = cal.date(byAdding: .day, value: 1, to: day)!
        }
        return nil
    }

    /// Working seconds in [from, to) (zero when `to` is not after `from`).
    public func businessTime(between from: Date, and to: Date) -> Int64 {
        guard to > from else { return 0 }
        let cal = calendar
        var total = 0.0
        var day = midnight(of: from, calendar: cal)
        while day < to {
            for interval in intervals(dayStartingAt: day, calendar: cal) {
                let start = max(interval.start, from)
                let end = min(interval.end, to)
                if end > start { total += end.timeIntervalSince(start) }
            }
            day = cal.date(byAdding: .day, value: 1, to: day)!
        }
        return Int64(total.rounded())
    }

    /// The local day holding `date`: its `YYYYMMDD` key, its start and its end.
    public func localDay(of date: Date) -> (key: Int, start: Date, end: Date) {
        let cal = calendar
        let start = cal.startOfDay(for: date)
        let end = cal.date(byAdding: .day, value: 1, to: start)!
        return (Self.dayKey(cal.dateComponents([.year, .month, .day], from: start)), start, end)
    }

    /// Whether the local day holding `date` has working time (a holiday has none, a 调休 day has).
    public func isWorkingDay(containing date: Date) -> Bool {
        let cal = calendar
        return !intervals(dayStartingAt: midnight(of: date, calendar: cal), calendar: cal).isEmpty
    }

    /// Working minutes in an ordinary week (0 means the calendar never opens, unless extra days exist).
    public var weeklyMinutes: Int {
        always ? 7 * 1_440 : periods.values.flatMap { $0 }.reduce(0) { $0 + ($1.end - $1.start) }
    }
}
