import Foundation
@testable import LeadCore
import Testing

/// Issue 15: China's statutory holidays computed, checked against the published dates of
/// 2020–2026 (除夕, 春节, 清明, 端午, 中秋: State Council notices of those years).
@Suite struct StatutoryHolidayTests {
    static let published: [(year: Int, chuxi: Int, chunjie: Int, qingming: Int, duanwu: Int, zhongqiu: Int)] = [
        (2020, 20200124, 20200125, 20200404, 20200625, 20201001),
        (2021, 20210211, 20210212, 20210404, 20210614, 20210921),
        (2022, 20220131, 20220201, 20220405, 20220603, 20220910),
        (2023, 20230121, 20230122, 20230405, 20230622, 20230929),
        (2024, 20240209, 20240210, 20240404, 20240610, 20240917),
        (2025, 20250128, 20250129, 20250404, 20250531, 20251006),
        (2026, 20260216, 20260217, 20260405, 20260619, 20260925),
    ]

    @Test(arguments: published.map(\.year))
    func lunarAndSolarTermDatesEqualThePublishedOnes(year: Int) throws {
        let known = try #require(Self.published.first { $0.year == year })
        let days = ChinaStatutoryHolidays.days(year: year)
        func first(_ name: String) -> Int? { days.first { $0.name == name }?.key }
        #expect(first("春节") == known.chuxi)                   // 除夕 starts the four days
        #expect(days.filter { $0.name == "春节" }.map(\.key).contains(known.chunjie))
        #expect(first("清明节") == known.qingming)
        #expect(first("端午节") == known.duanwu)
        #expect(first("中秋节") == known.zhongqiu)
        #expect(first("元旦") == year * 10_000 + 101)
        #expect(days.filter { $0.name == "劳动节" }.map(\.key) == [year * 10_000 + 501, year * 10_000 + 502])
        // (In 2020 中秋 fell on October 1: that day is listed once, as 中秋节.)
        #expect(Set(days.filter { ["国庆节", "中秋节"].contains($0.name) }.map(\.key))
            .isSuperset(of: [year * 10_000 + 1001, year * 10_000 + 1002, year * 10_000 + 1003]))
        #expect(days.filter { !$0.name.hasPrefix("补假") }.count == (known.zhongqiu == year * 10_000 + 1001 ? 12 : 13))
    }

    @Test func weekendHolidaysAreMadeUpOnTheNextWorkingDays() {
        // 2027: 春节 除夕 Feb 5 (Fri) – 初三 Feb 8 (Mon), two on the weekend: made up Feb 9 and 10.
        // 劳动节 May 1–2 is a weekend: May 3 and 4. 国庆 Oct 1 (Fri) – 3 (Sun): Oct 4 and 5.
        let days = ChinaStatutoryHolidays.days(year: 2027)
        let madeUp = days.filter { $0.name.hasPrefix("补假") }.map(\.key)
        #expect(madeUp == [20270209, 20270210, 20270503, 20270504, 20271004, 20271005])
        // 2020: 中秋 fell on 国庆 (Oct 1): the day lost is made up after the festival.
        let y2020 = ChinaStatutoryHolidays.days(year: 2020)
        #expect(y2020.contains { $0.key == 20201005 && $0.name == "补假 (中秋节)" || $0.key == 20201005 })
    }

    @Test func theFallbackAppliesOnlyOutsideCoverage() throws {
        var calendar = BusinessCalendar(id: "cn", zone: "Asia/Shanghai", periods: [1: [.init(start: 540, end: 1_080)], 5: [.init(start: 540, end: 1_080)]])
        calendar = calendar.withCoverage([20260101...20261231], fallback: "cn-statutory", years: 2025...2028)
        #expect(calendar.provisionalHolidays[20270101] == "元旦")
        #expect(calendar.provisionalHolidays[20260101] == nil)          // covered: the file decides
        let friday = try #require(RFC3339Text.date("2027-01-01T10:00:00+08:00"))
        #expect(!calendar.isOpen(at: friday))
        let coveredFriday = try #require(RFC3339Text.date("2026-01-02T10:00:00+08:00"))
        #expect(calendar.isOpen(at: coveredFriday))                     // the file (here: empty) says it is a workday
    }

    @Test(arguments: [
        ("2026-12-01T00:00:00+08:00", 30, true),
        ("2026-11-16T00:00:00+08:00", 45, true),
        ("2026-11-15T23:59:59+08:00", 46, false),
        ("2026-12-31T23:00:00+08:00", 0, true),
        ("2027-01-02T08:00:00+08:00", -2, true),
    ])
    func theCoverageWarningStartsWithinItsWindow(now: String, daysLeft: Int, warns: Bool) throws {
        var calendar = BusinessCalendar(id: "cn", zone: "Asia/Shanghai", periods: [1: [.init(start: 540, end: 1_080)]])
            .withCoverage([20260101...20261231], fallback: nil, years: 2026...2026)
        calendar.coverageWarningDays = 45
        let instant = try #require(RFC3339Text.date(now))
        let coverage = try #require(calendar.coverage(at: instant))
        #expect(coverage.daysLeft == daysLeft)
        #expect(coverage.warns == warns)
        #expect(coverage.end == "2026-12-31")
    }

    @Test(arguments: [
        ("2026-12-01T09:00:00.5+08:00", 1_796_086_800.5), ("2026-12-01t01:00:00z", 1_796_086_800.0),
        ("2026-12-01 01:00:00Z", 1_796_086_800.0), ("2024-02-29T00:00:00-00:30", 1_709_166_600.0),
    ])
    func rfc3339IsReadExactly(text: String, seconds: Double) {
        #expect(RFC3339Text.date(text)?.timeIntervalSince1970 == seconds)
    }

    @Test(arguments: ["2026-12-01T09:00:00+0800", "2026-12-01T09:00:00", "2026-02-29T00:00:00Z", "2026-12-01T24:00:00Z",
                      "2026-12-01T09:00:00+24:00", "2026-12-01T09:00:00.Z", "2026-1-01T09:00:00Z", " 2026-12-01T09:00:00Z"])
    func rfc3339RefusesWhatItDoesNotAllow(text: String) {
        #expect(RFC3339Text.date(text) == nil)
    }

    @Test func exactTextNeverShowsAnEarlierInstant() {
        #expect(RFC3339Text.exactString(Date(timeIntervalSince1970: 1_796_086_801.5)) == "2026-12-01T01:00:01.500Z")
        #expect(RFC3339Text.exactString(Date(timeIntervalSince1970: 1_796_086_801.0001)) == "2026-12-01T01:00:01.001Z")
        #expect(RFC3339Text.exactString(Date(timeIntervalSince1970: 1_796_086_801)) == "2026-12-01T01:00:01Z")
    }
}
