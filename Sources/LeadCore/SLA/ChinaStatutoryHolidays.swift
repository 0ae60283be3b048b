import Foundation

/// China's statutory public holidays (全国年节及纪念日放假办法, 2024 revision, in force from 2025):
/// the 13 days every citizen has off, computed — lunar dates with the Chinese lunisolar calendar
/// (ICU's, through Foundation), 清明 from the sun's apparent longitude reaching 15° — plus the
/// make-up rule of Article 6: a holiday falling on a Saturday or Sunday is made up on the next
/// working day after its festival. This is what the State Council's yearly notice starts from; the
/// notice also moves weekends around (调休), which no rule predicts, so these days are provisional
/// until that year's holiday file is installed. Pure.
public enum ChinaStatutoryHolidays {
    public struct Day: Hashable, Sendable {
        /// `YYYYMMDD`.
        public var key: Int
        /// 元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节, or "补假 (NAME)" for a make-up day.
        public var name: String
    }

    /// The holidays of Gregorian `year`, in date order.
    public static func days(year: Int) -> [Day] {
        let zone = TimeZone(identifier: "Asia/Shanghai")!
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = zone
        var festivals: [(name: String, days: [Date])] = []
        func date(_ month: Int, _ day: Int) -> Date { gregorian.date(from: DateComponents(year: year, month: month, day: day))! }
        func run(_ first: Date, _ count: Int) -> [Date] { (0..<count).map { gregorian.date(byAdding: .day, value: $0, to: first)! } }

        festivals.append(("元旦", [date(1, 1)]))
        if let newYear = lunar(month: 1, day: 1, gregorianYear: year, within: Pair(1, 15)...Pair(2, 25)) {
            festivals.append(("春节", run(gregorian.date(byAdding: .day, value: -1, to: newYear)!, 4)))   // 除夕 to 初三
        }
        if let qingming = qingming(year: year) { festivals.append(("清明节", [qingming])) }
        festivals.append(("劳动节", run(date(5, 1), 2)))
        if let duanwu = lunar(month: 5, day: 5, gregorianYear: year, within: Pair(5, 20)...Pair(6, 30)) { festivals.append(("端午节", [duanwu])) }
        if let zhongqiu = lunar(month: 8, day: 15, gregorianYear: year, within: Pair(9, 1)...Pair(10, 15)) { festivals.append(("中秋节", [zhongqiu])) }
        festivals.append(("国庆节", run(date(10, 1), 3)))

        func key(_ d: Date) -> Int { BusinessCalendar.dayKey(gregorian.dateComponents([.year, .month, .day], from: d)) }
        var taken: Set<Int> = []
        var result: [Day] = []
        for festival in festivals {
            for day in festival.days where taken.insert(key(day)).inserted { result.append(Day(key: key(day), name: festival.name)) }
        }
        // Article 6: each festival day on a weekend (or on another festival's day) is made up on
        // the next weekday after the festival that is not itself a holiday.
        for festival in festivals {
            let lost = festival.days.filter { day in
                let weekday = gregorian.component(.weekday, from: day)
                return weekday == 1 || weekday == 7 || result.first { $0.key == key(day) }?.name != festival.name
            }.count
            var next = gregorian.date(byAdding: .day, value: 1, to: festival.days.last!)!
            var made = 0
            while made < lost {
                let weekday = gregorian.component(.weekday, from: next)
                if weekday != 1, weekday != 7, taken.insert(key(next)).inserted {
                    result.append(Day(key: key(next), name: "补假 (\(festival.name))"))
                    made += 1
                }
                next = gregorian.date(byAdding: .day, value: 1, to: next)!
            }
        }
        return result.sorted { $0.key < $1.key }
    }

    /// The Gregorian date (local midnight, Beijing) of lunar `month`/`day` (not a leap month)
    /// between the given (month, day) bounds of `gregorianYear`.
    static func lunar(month: Int, day: Int, gregorianYear: Int, within bounds: ClosedRange<Pair>) -> Date? {
        let zone = TimeZone(identifier: "Asia/Shanghai")!
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = zone
        var chinese = Calendar(identifier: .chinese)
        chinese.timeZone = zone
        guard var date = gregorian.date(from: DateComponents(year: gregorianYear, month: bounds.lowerBound.month, day: bounds.lowerBound.day)),
              let last = gregorian.date(from: DateComponents(year: gregorianYear, month: bounds.upperBound.month, day: bounds.upperBound.day))
        else { return nil }
        while date <= last {
            let c = chinese.dateComponents([.month, .day, .isLeapMonth], from: date)
            if c.month == month, c.day == day, c.isLeapMonth != true { return date }
            date = gregorian.date(byAdding: .day, value: 1, to: date)!
        }
        return nil
    }

    /// A (month, day) bound, ordered.
    struct Pair: Comparable {
        var month: Int
        var day: Int
        init(_ month: Int, _ day: Int) { self.month = month; self.day = day }
        static func < (a: Pair, b: Pair) -> Bool { (a.month, a.day) < (b.month, b.day) }
    }

    /// The Beijing day on which the sun's apparent longitude reaches 15° (清明), in early April.
    public static func qingming(year: Int) -> Date? {
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        for day in 2...7 {
            guard let start = gregorian.date(from: DateComponents(year: year, month: 4, day: day)) else { continue }
            let end = start.addingTimeInterval(86_400)
            if apparentSolarLongitude(start) < 15, apparentSolarLongitude(end) >= 15 { return start }
        }
        return nil
    }

    /// The sun's apparent longitude in degrees (0–360) at `date` (Meeus, Astronomical Algorithms,
    /// ch. 25, low accuracy: about 0.01°, a quarter of an hour of the sun's motion).
    public static func apparentSolarLongitude(_ date: Date) -> Double {
        let julianDay = date.timeIntervalSince1970 / 86_400 + 2_440_587.5
        let t = (julianDay - 2_451_545.0) / 36_525
        func rad(_ degrees: Double) -> Double { degrees * .pi / 180 }
        let meanLongitude = 280.46646 + 36_000.76983 * t + 0.0003032 * t * t
        let meanAnomaly = 357.52911 + 35_999.05029 * t - 0.0001537 * t * t
        let center = (1.914602 - 0.004817 * t - 0.000014 * t * t) * sin(rad(meanAnomaly))
            + (0.019993 - 0.000101 * t) * sin(rad(2 * meanAnomaly)) + 0.000289 * sin(rad(3 * meanAnomaly))
        let omega = 125.04 - 1_934.136 * t
        let apparent = meanLongitude + center - 0.00569 - 0.00478 * sin(rad(omega))
        let wrapped = apparent.truncatingRemainder(dividingBy: 360)
        return wrapped < 0 ? wrapped + 360 : wrapped
    }
}

extension BusinessCalendar {
    /// The fallbacks a calendar may name (`[[calendar]] fallback`).
    public static let fallbacks = ["cn-statutory"]

    /// This calendar with `coverage`, and with `fallback`'s holidays on the uncovered days of
    /// `years` (provisional).
    public func withCoverage(_ coverage: [ClosedRange<Int>]?, fallback: String?, years: ClosedRange<Int>) -> BusinessCalendar {
        var calendar = self
        // With a fallback and no holiday data at all, every day is the fallback's.
        calendar.coverage = coverage ?? (fallback != nil ? [] : nil)
        calendar.fallback = fallback
        calendar.provisionalHolidays = [:]
        if fallback == "cn-statutory" {
            for year in years {
                for day in ChinaStatutoryHolidays.days(year: year) where !calendar.isCovered(day.key) {
                    calendar.provisionalHolidays[day.key] = day.name
                }
            }
        }
        return calendar
    }
}
