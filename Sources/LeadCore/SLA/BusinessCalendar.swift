import Foundation

/// Working time in one IANA zone: periods per weekday (several, e.g. a lunch break), holidays,
/// extra working days (China's adjusted workdays, 调休, which fall on weekends), or 24×7.
/// Pure: every function takes the instant it works on. Exact to the second; the cost of `add` and
/// `businessTime` grows with the days spanned, never with the seconds.
public struct BusinessCalendar: Hashable, Sendable {
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
    /// The local days (`YYYYMMDD` ranges) the holiday data speaks for; nil when the calendar keeps
    /// no holiday data (then no day is "uncovered"). A day outside it is never silently ordinary:
    /// the fallback's holidays apply there, provisionally, and the coverage's end is warned about.
    public var coverage: [ClosedRange<Int>]?
    /// Days off computed by the fallback (`cn-statutory`) for days outside `coverage`, with names.
    public var provisionalHolidays: [Int: String]
    /// The fallback's name, when one is on.
    public var fallback: String?
    /// Warn this many days before the coverage ends (`coverage_warning`, default 45 days).
    public var coverageWarningDays: Int = 45
    /// Where each listed holiday or workday came from (a holiday file's path, or "inline").
    public var sources: [Int: String] = [:]

    /// One day that is not what its weekday says: a weekday off or a weekend day at work.
    public struct SpecialDay: Hashable, Sendable {
        public enum Kind: String, Sendable { case holiday, workday }
        public var key: Int
        public var kind: Kind
        /// The holiday file, "inline", or the fallback's name.
        public var source: String
        /// The holiday's name when the fallback computed it.
        public var name: String?
        public var provisional: Bool
    }

    /// Every weekday off and weekend working day of `year`, in date order (`leadctl calendar show`).
    public func specialDays(year: Int) -> [SpecialDay] {
        let cal = calendar
        var day = cal.date(from: DateComponents(year: year, month: 1, day: 1))!
        var result: [SpecialDay] = []
        while cal.component(.year, from: day) == year {
            let c = cal.dateComponents([.year, .month, .day, .weekday], from: day)
            let key = Self.dayKey(c)
            let weekend = c.weekday == 1 || c.weekday == 7
            if holidays.contains(key), !weekend {
                result.append(SpecialDay(key: key, kind: .holiday, source: sources[key] ?? "inline", name: nil, provisional: false))
            } else if extraWorkdays.contains(key), weekend {
                result.append(SpecialDay(key: key, kind: .workday, source: sources[key] ?? "inline", name: nil, provisional: false))
            } else if let name = provisionalHolidays[key], !isCovered(key), !weekend, !holidays.contains(key) {
                result.append(SpecialDay(key: key, kind: .holiday, source: fallback ?? "fallback", name: name, provisional: true))
            }
            day = cal.date(byAdding: .day, value: 1, to: day)!
        }
        return result
    }

    public init(id: String, zone: String, periods: [Int: [Period]], holidays: Set<Int> = [], extraWorkdays: Set<Int> = [],
                extraWorkdayPeriods: [Period]? = nil, always: Bool = false) {
        self.id = id; self.zone = zone
        self.periods = periods.mapValues { $0.sorted { $0.start < $1.start } }
        self.holidays = holidays; self.extraWorkdays = extraWorkdays
        self.extraWorkdayPeriods = extraWorkdayPeriods ?? self.periods[1] ?? []
        self.always = always
        self.coverage = nil
        self.provisionalHolidays = [:]
        self.fallback = nil
    }

    /// Whether the holiday data speaks for a local day (always true without coverage tracking).
    public func isCovered(_ key: Int) -> Bool {
        guard let coverage else { return true }
        return coverage.contains { $0.contains(key) }
    }

    /// The last local day the holiday data speaks for (`YYYYMMDD`), nil without coverage tracking.
    public var coverageEnd: Int? { coverage?.map(\.upperBound).max() }

    /// The provisional days off (fallback holidays) in [from, to), as `YYYYMMDD`: a deadline computed
    /// across one of them may move when that year's holiday file arrives.
    public func provisionalDays(between from: Date, and to: Date) -> [Int] {
        guard !provisionalHolidays.isEmpty, to > from else { return [] }
        let cal = calendar
        var result: [Int] = []
        var day = midnight(of: from, calendar: cal)
        var guardDays = 0
        while day < to, guardDays < Self.horizonDays {
            let key = Self.dayKey(cal.dateComponents([.year, .month, .day], from: day))
            if provisionalHolidays[key] != nil { result.append(key) }
            day = cal.date(byAdding: .day, value: 1, to: day)!
            guardDays += 1
        }
        return result
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
        if provisionalHolidays[key] != nil, !isCovered(key) { return [] }
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
