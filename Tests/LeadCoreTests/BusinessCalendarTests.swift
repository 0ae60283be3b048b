import Foundation
import LeadCore
import LeadTestSupport
import Testing

func iso(_ text: String) -> Date {
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withInternetDateTime]
    return f.date(from: text)!
}

func period(_ text: String) -> BusinessCalendar.Period { BusinessCalendar.parsePeriod(text)! }

func days(_ list: [String]) -> Set<Int> {
    Set(list.flatMap { range -> [Int] in
        let leave = LeavePeriod.parse(range)!
        var out: [Int] = []
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        var day = c.date(from: leave.first)!
        let last = c.date(from: leave.last)!
        while day <= last {
            out.append(BusinessCalendar.dayKey(c.dateComponents([.year, .month, .day], from: day)))
            day = c.date(byAdding: .day, value: 1, to: day)!
        }
        return out
    })
}

/// China office hours with the 2026 holidays and adjusted workdays (../shared/facts/china-holidays-2026.md).
let china = BusinessCalendar(
    id: "cn", zone: "Asia/Shanghai",
    periods: Dictionary(uniqueKeysWithValues: (1...5).map { ($0, [period("09:00-12:00"), period("13:30-18:00")]) }),
    holidays: days(["2026-01-01..2026-01-03", "2026-02-15..2026-02-23", "2026-04-04..2026-04-06", "2026-05-01..2026-05-05",
                    "2026-06-19..2026-06-21", "2026-09-25..2026-09-27", "2026-10-01..2026-10-07"]),
    extraWorkdays: days(["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]))
let newYork = BusinessCalendar(id: "ny", zone: "America/New_York",
                               periods: Dictionary(uniqueKeysWithValues: (1...5).map { ($0, [period("09:00-17:00")]) }))
let lateShift = BusinessCalendar(id: "late", zone: "UTC", periods: Dictionary(uniqueKeysWithValues: (1...7).map { ($0, [period("18:00-24:00")]) }))
let berlinSunday = BusinessCalendar(id: "be", zone: "Europe/Berlin", periods: [7: [period("01:00-04:00")]])

@Suite struct BusinessCalendarTests {
    @Test(arguments: [
        ("2026-11-27T17:30:00+08:00", "1h", "2026-11-30T09:30:00+08:00"),     // Friday 17:30 + 1 business hour
        ("2026-11-30T11:30:00+08:00", "1h", "2026-11-30T14:00:00+08:00"),     // across lunch
        ("2026-11-30T12:30:00+08:00", "30m", "2026-11-30T14:00:00+08:00"),    // from inside lunch
        ("2026-11-30T08:00:00+08:00", "0s", "2026-11-30T09:00:00+08:00"),     // zero from closed = next opening
        ("2026-11-30T09:00:00+08:00", "7h30m", "2026-11-30T18:00:00+08:00"),  // exactly the day
        ("2026-11-30T09:00:00+08:00", "7h30m1s", "2026-12-01T09:00:01+08:00"),
        ("2026-11-27T17:00:00+08:00", "24h", "2026-12-03T09:30:00+08:00"),    // Friday 17:00 + 24 business hours
        ("2026-09-30T17:00:00+08:00", "2h", "2026-10-08T10:00:00+08:00"),     // National Day week
        ("2026-10-09T17:00:00+08:00", "2h", "2026-10-10T10:00:00+08:00"),     // adjusted Saturday workday
        ("2026-09-18T17:30:00+08:00", "1h", "2026-09-20T09:30:00+08:00"),     // adjusted Sunday workday
        ("2026-09-24T17:00:00+08:00", "2h", "2026-09-28T10:00:00+08:00"),     // Mid-Autumn
        ("2026-02-13T17:00:00+08:00", "2h", "2026-02-14T10:00:00+08:00"),     // Saturday before Spring Festival is a workday
        ("2026-02-14T17:00:00+08:00", "2h", "2026-02-24T10:00:00+08:00"),     // Spring Festival
        ("2026-02-27T17:00:00+08:00", "2h", "2026-02-28T10:00:00+08:00"),     // adjusted Saturday after it
        ("2025-12-31T17:00:00+08:00", "2h", "2026-01-04T10:00:00+08:00"),     // year end, New Year, adjusted Sunday
        ("2026-04-30T17:00:00+08:00", "2h", "2026-05-06T10:00:00+08:00"),     // Labour Day
        ("2026-05-08T17:00:00+08:00", "2h", "2026-05-09T10:00:00+08:00"),     // adjusted Saturday
        ("2026-04-03T17:00:00+08:00", "2h", "2026-04-07T10:00:00+08:00"),     // Qingming
        ("2026-06-18T17:00:00+08:00", "2h", "2026-06-22T10:00:00+08:00"),     // Dragon Boat
        ("2026-11-28T10:00:00+08:00", "1h", "2026-11-30T10:00:00+08:00"),     // an ordinary Saturday
    ])
    func addInChinaBusinessTime(start: String, duration: String, due: String) throws {
        #expect(china.add(seconds: try DurationText.seconds(duration), to: iso(start)) == iso(due))
    }

    @Test(arguments: [
        ("2026-11-27T17:00:00+08:00", "2026-11-30T10:00:00+08:00", Int64(7_200)),
        ("2026-11-30T11:00:00+08:00", "2026-11-30T14:00:00+08:00", 5_400),
        ("2026-09-30T17:00:00+08:00", "2026-10-08T10:00:00+08:00", 7_200),
        ("2026-11-30T14:00:00+08:00", "2026-11-30T11:00:00+08:00", 0),
    ])
    func businessTimeInChina(from: String, to: String, seconds: Int64) {
        #expect(china.businessTime(between: iso(from), and: iso(to)) == seconds)
    }

    @Test(arguments: [
        ("2026-11-30T12:00:00+08:00", false), ("2026-11-30T13:30:00+08:00", true), ("2026-10-01T10:00:00+08:00", false),
        ("2026-10-10T10:00:00+08:00", true), ("2026-11-30T17:59:59+08:00", true), ("2026-11-30T18:00:00+08:00", false),
    ])
    func isOpenInChina(at: String, open: Bool) {
        #expect(china.isOpen(at: iso(at)) == open)
    }

    @Test func nextOpening() {
        #expect(china.nextOpening(after: iso("2026-11-30T12:15:00+08:00")) == iso("2026-11-30T13:30:00+08:00"))
        #expect(china.nextOpening(after: iso("2026-11-27T18:00:00+08:00")) == iso("2026-11-30T09:00:00+08:00"))
        #expect(china.nextOpening(after: iso("2026-11-30T10:00:00+08:00")) == iso("2026-11-30T10:00:00+08:00"))
    }

    @Test func twentyFourSevenAcrossMidnightLosesNoMinute() {
        let always = BusinessCalendar.always(id: "24x7")
        #expect(always.add(seconds: 120, to: iso("2026-11-30T23:59:00Z")) == iso("2026-12-01T00:01:00Z"))
        #expect(always.businessTime(between: iso("2026-11-30T23:00:00Z"), and: iso("2026-12-01T01:00:00Z")) == 7_200)
    }

    @Test func aPeriodEndingAt2400() {
        #expect(lateShift.add(seconds: 3_600, to: iso("2026-11-30T23:30:00Z")) == iso("2026-12-01T18:30:00Z"))
        #expect(lateShift.isOpen(at: iso("2026-11-30T23:59:59Z")))
        #expect(!lateShift.isOpen(at: iso("2026-12-01T00:00:00Z")))
    }

    @Test func daylightSavingTimeInNewYork() {
        #expect(newYork.add(seconds: 3_600, to: iso("2026-03-06T16:30:00-05:00")) == iso("2026-03-09T09:30:00-04:00"))
        #expect(newYork.businessTime(between: iso("2026-03-06T09:00:00-05:00"), and: iso("2026-03-09T17:00:00-04:00")) == 57_600)
        #expect(newYork.add(seconds: 3_600, to: iso("2026-10-30T16:30:00-04:00")) == iso("2026-11-02T09:30:00-05:00"))
        let always = BusinessCalendar.always(id: "ny24", zone: "America/New_York")
        #expect(always.add(seconds: 3_600, to: iso("2026-03-08T01:30:00-05:00")) == iso("2026-03-08T03:30:00-04:00"))
        #expect(always.businessTime(between: iso("2026-11-01T00:00:00-04:00"), and: iso("2026-11-02T00:00:00-05:00")) == 90_000)
    }

    @Test func daylightSavingGapAndOverlapInBerlin() {
        // Sunday 01:00-04:00 on the spring-forward day is two real hours, on the fall-back day four.
        #expect(berlinSunday.businessTime(between: iso("2026-03-28T00:00:00Z"), and: iso("2026-03-30T00:00:00Z")) == 7_200)
        #expect(berlinSunday.businessTime(between: iso("2026-10-24T00:00:00Z"), and: iso("2026-10-26T00:00:00Z")) == 14_400)
    }

    @Test func aCalendarThatNeverOpensGivesNilNotALoop() {
        let closed = BusinessCalendar(id: "x", zone: "UTC", periods: [:])
        #expect(closed.add(seconds: 60, to: iso("2026-11-30T00:00:00Z")) == nil)
        #expect(closed.nextOpening(after: iso("2026-11-30T00:00:00Z")) == nil)
        #expect(closed.weeklyMinutes == 0)
    }

    /// `add` and `businessTime` against minute-by-minute stepping, on random instants and durations.
    @Test(arguments: ["cn", "ny"])
    func agreesWithBruteForceStepping(which: String) {
        let calendar = which == "cn" ? china : newYork
        var rng = SeededGenerator(seed: which == "cn" ? 11 : 22)
        let base = iso("2026-01-01T00:00:00Z").timeIntervalSince1970
        for _ in 0..<60 {
            let start = Date(timeIntervalSince1970: base + Double(Int.random(in: 0..<525_600, using: &rng) * 60))
            let minutes = Int.random(in: 1...1_500, using: &rng)
            // Brute force: step minutes until `minutes` open ones have passed.
            var t = start
            var counted = 0
            while counted < minutes {
                if calendar.isOpen(at: t) { counted += 1 }
                t += 60
            }
            // The due instant is the end of the last open minute.
            #expect(calendar.add(seconds: Int64(minutes * 60), to: start) == t - 0, "add from \(start) + \(minutes)m")
            let span = Double(Int.random(in: 1...8_000, using: &rng) * 60)
            var open = 0
            var u = start
            while u < start + span {
                if calendar.isOpen(at: u) { open += 60 }
                u += 60
            }
            #expect(calendar.businessTime(between: start, and: start + span) == Int64(open), "between \(start) +\(span)s")
        }
    }
}
