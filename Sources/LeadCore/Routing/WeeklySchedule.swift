import Foundation

/// Working hours per weekday in one IANA time zone (`Mon-Fri 09:00-18:00`). A stand-in for the
/// business calendars of the SLA issue, which will replace it behind the same `isOpen(at:)`.
public struct WeeklySchedule: Hashable, Sendable {
    /// Minutes from local midnight, [start, end).
    public struct Period: Hashable, Sendable {
        public var start: Int
        public var end: Int
        public init(start: Int, end: Int) { self.start = start; self.end = end }
    }

    public var zone: String
    /// Index 1 = Monday … 7 = Sunday (ISO 8601).
    public var periods: [Int: [Period]]

    public init(zone: String, periods: [Int: [Period]]) { self.zone = zone; self.periods = periods }

    public var timeZone: TimeZone { TimeZone(identifier: zone) ?? TimeZone(identifier: "UTC")! }

    /// ISO weekday (1 = Monday) and minute of the day of `date` in this zone.
    public func local(_ date: Date) -> (weekday: Int, minute: Int, day: DateComponents) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .weekday, .hour, .minute], from: date)
        let iso = ((c.weekday ?? 1) + 5) % 7 + 1              // Sunday = 1 in Calendar → 7
        return (iso, (c.hour ?? 0) * 60 + (c.minute ?? 0), DateComponents(year: c.year, month: c.month, day: c.day))
    }

    public func isOpen(at date: Date) -> Bool {
        let (weekday, minute, _) = local(date)
        return (periods[weekday] ?? []).contains { minute >= $0.start && minute < $0.end }
    }

    /// Parses `"HH:MM-HH:MM"` (end may be `24:00`).
    public static func parsePeriod(_ text: String) -> Period? {
        let parts = text.split(separator: "-").map { $0.trimmingWhitespace() }
        guard parts.count == 2, let start = minutes(parts[0]), let end = minutes(parts[1]), start < end else { return nil }
        return Period(start: start, end: end)
    }

    static func minutes(_ text: String) -> Int? {
        let hm = text.split(separator: ":")
        guard hm.count == 2, let h = Int(hm[0]), let m = Int(hm[1]), (0...24).contains(h), (0..<60).contains(m),
              h * 60 + m <= 24 * 60 else { return nil }
        return h * 60 + m
    }

    /// `"mon"`…`"sun"`, `"mon-fri"`, `"sat,sun"` → ISO weekdays.
    public static func parseDays(_ text: String) -> [Int]? {
        let names = ["mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7]
        var days: [Int] = []
        for part in text.lowercased().split(separator: ",") {
            let range = part.split(separator: "-").map { String($0).trimmingWhitespace() }
            guard let first = range.first.flatMap({ names[$0] }) else { return nil }
            let last = range.count == 2 ? names[range[1]] : first
            guard let last, range.count <= 2, first <= last else { return nil }
            days += Array(first...last)
        }
        return days.isEmpty ? nil : days
    }
}

/// A leave, in whole local days, both ends included (`"2026-12-01..2026-12-05"`).
public struct LeavePeriod: Hashable, Sendable {
    public var first: DateComponents
    public var last: DateComponents

    public init(first: DateComponents, last: DateComponents) { self.first = first; self.last = last }

    public static func parse(_ text: String) -> LeavePeriod? {
        let ends = text.components(separatedBy: "..").map { $0.trimmingWhitespace() }
        guard (1...2).contains(ends.count), let first = day(ends[0]), let last = day(ends.count == 2 ? ends[1] : ends[0]),
              key(first) <= key(last) else { return nil }
        return LeavePeriod(first: first, last: last)
    }

    static func day(_ text: String) -> DateComponents? {
        let p = text.split(separator: "-").compactMap { Int($0) }
        guard p.count == 3, (1...12).contains(p[1]), (1...31).contains(p[2]) else { return nil }
        return DateComponents(year: p[0], month: p[1], day: p[2])
    }

    static func key(_ c: DateComponents) -> Int { (c.year ?? 0) * 10_000 + (c.month ?? 0) * 100 + (c.day ?? 0) }

    public func contains(localDay: DateComponents) -> Bool {
        let k = Self.key(localDay)
        return k >= Self.key(first) && k <= Self.key(last)
    }

    public var description: String {
        String(format: "%04d-%02d-%02d..%04d-%02d-%02d", first.year ?? 0, first.month ?? 0, first.day ?? 0,
               last.year ?? 0, last.month ?? 0, last.day ?? 0)
    }
}
