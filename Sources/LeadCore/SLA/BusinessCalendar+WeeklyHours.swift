import Foundation

/// Weekly working hours: the periods of a calendar, their text forms, and a rep's `schedule`
/// (a calendar of weekly hours without holidays).
extension BusinessCalendar {
    /// Minutes from local midnight, [start, end).
    public struct Period: Hashable, Sendable {
        public var start: Int
        public var end: Int
        public init(start: Int, end: Int) { self.start = start; self.end = end }
    }

    /// Weekly hours in `zone` and nothing else (no holidays, no adjusted workdays): a rep's shifts.
    public static func weekly(id: String = "schedule", zone: String, periods: [Int: [Period]]) -> BusinessCalendar {
        BusinessCalendar(id: id, zone: zone, periods: periods)
    }

    /// ISO weekday (1 = Monday), minute of the day and the local day of `date` in `zone` (UTC
    /// when the zone is unknown).
    public static func local(_ date: Date, zone: String) -> (weekday: Int, minute: Int, day: DateComponents) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zone) ?? TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .weekday, .hour, .minute], from: date)
        let iso = ((c.weekday ?? 1) + 5) % 7 + 1              // Sunday = 1 in Calendar → 7
        return (iso, (c.hour ?? 0) * 60 + (c.minute ?? 0), DateComponents(year: c.year, month: c.month, day: c.day))
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
