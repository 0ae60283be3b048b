import Foundation
import LeadCore
import TOMLKit

/// `[[calendar]]`: business time for SLA clocks (and, later, shifts).
/// - `id` (identifier, required, unique); `zone` (IANA zone, default `"Asia/Shanghai"`).
/// - `hours` (table: days → periods), e.g. `{ "mon-fri" = ["09:00-12:00", "13:30-18:00"] }`;
///   periods may not overlap or run past 24:00.
/// - `holidays` and `workdays` (arrays of `"YYYY-MM-DD"` or `"YYYY-MM-DD..YYYY-MM-DD"`): days off,
///   and adjusted working days (调休) that follow the normal weekday hours.
/// - `holiday_files` (array of paths): files holding `holidays` and `workdays`, such as
///   `calendars/cn-2026.toml`.
/// - `always` (boolean, default false): 24×7.
/// - `covers` (`"YYYY-MM-DD..YYYY-MM-DD"`, optional): days the inline lists speak for. A holiday
///   file says what it covers with `year = 2026` or `covers = "…"`; a file or inline list without
///   either covers the whole years of its days. The calendar's coverage is the union.
/// - `fallback` (`"cn-statutory"` | `"none"`, default `"none"`): holidays for days outside the
///   coverage: China's statutory holidays, computed, marked provisional.
/// - `coverage_warning` (duration, default `"45d"`, range 0s–366d): warn when the coverage ends
///   within this time (at start, on reload, daily; `leadctl config check` and `status` too).
/// A calendar with no working time in any week is an error.
enum CalendarConfiguration {
    static func decodeAll(_ root: TableReader) -> [BusinessCalendar] {
        var seen: Set<String> = []
        return root.tables("calendar").compactMap { table in
            defer { table.finish() }
            guard let id = table.text("id", required: true) else { return nil }
            if !seen.insert(id).inserted { table.report("id", "duplicate calendar id \"\(id)\"") }
            let zone = table.text("zone") ?? "Asia/Shanghai"
            if TimeZone(identifier: zone) == nil { table.report("zone", "\"\(zone)\" is not an IANA time zone") }
            let always = table.bool("always", default: false)
            var periods: [Int: [BusinessCalendar.Period]] = [:]
            if table.hasKey("hours") {
                let hours = table.section("hours")
                defer { hours.finish() }
                periods = WeeklyHours.decode(hours)
            }
            var holidays = days(table.stringArray("holidays") ?? [], table: table, key: "holidays")
            var workdays = days(table.stringArray("workdays") ?? [], table: table, key: "workdays")
            var coverage: [ClosedRange<Int>] = []
            var sources: [Int: String] = [:]
            for day in holidays.union(workdays) { sources[day] = "inline" }
            if let covers = table.text("covers") {
                if let range = coverRange(covers) { coverage.append(range) }
                else { table.report("covers", "\"\(covers)\" is not a range \"YYYY-MM-DD..YYYY-MM-DD\"") }
            } else {
                coverage += wholeYears(of: holidays.union(workdays))
            }
            for path in table.stringArray("holiday_files") ?? [] {
                if let file = includedDays(path, from: table) {
                    holidays.formUnion(file.holidays); workdays.formUnion(file.workdays); coverage += file.coverage
                    for day in file.holidays.union(file.workdays) { sources[day] = path }
                }
            }
            let fallbackName = table.string("fallback") ?? "none"
            if fallbackName != "none", !BusinessCalendar.fallbacks.contains(fallbackName) {
                table.report("fallback", "\"\(fallbackName)\" is not one of \"none\", \(BusinessCalendar.fallbacks.map { "\"\($0)\"" }.joined(separator: ", "))")
            }
            let warning = table.duration("coverage_warning", default: .seconds(45 * 86_400), range: .seconds(0) ... .seconds(366 * 86_400))
            let fallback = BusinessCalendar.fallbacks.contains(fallbackName) ? fallbackName : nil
            let years = coverage.isEmpty ? 2020...2045 : (coverage.map(\.lowerBound).min()! / 10_000 - 1)...(coverage.map(\.upperBound).max()! / 10_000 + 10)
            var calendar = BusinessCalendar(id: id, zone: zone, periods: periods, holidays: holidays, extraWorkdays: workdays,
                                            always: always)
                .withCoverage(coverage.isEmpty ? nil : coverage, fallback: always ? nil : fallback, years: years)
            calendar.coverageWarningDays = Int(warning.wholeSeconds / 86_400)
            calendar.sources = sources
            if !always && calendar.weeklyMinutes == 0 {
                table.report("hours", "calendar \"\(id)\" has no working time in any week (give hours, or always = true)")
            }
            return calendar
        }
    }

    static func days(_ items: [String], table: TableReader, key: String) -> Set<Int> {
        var result: Set<Int> = []
        for item in items {
            guard let range = LeavePeriod.parse(item) else {
                table.report(key, "\"\(item)\" is not a day \"YYYY-MM-DD\" or a range \"YYYY-MM-DD..YYYY-MM-DD\"")
                continue
            }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            guard var day = calendar.date(from: range.first), let last = calendar.date(from: range.last) else { continue }
            while day <= last {
                result.insert(BusinessCalendar.dayKey(calendar.dateComponents([.year, .month, .day], from: day)))
                day = calendar.date(byAdding: .day, value: 1, to: day)!
            }
        }
        return result
    }

    /// `YYYY-MM-DD..YYYY-MM-DD` as day keys.
    static func coverRange(_ text: String) -> ClosedRange<Int>? {
        guard let range = LeavePeriod.parse(text) else { return nil }
        let first = BusinessCalendar.dayKey(range.first), last = BusinessCalendar.dayKey(range.last)
        return first <= last ? first...last : nil
    }

    /// The whole years holding `days` (what a list without `year`/`covers` speaks for).
    static func wholeYears(of days: Set<Int>) -> [ClosedRange<Int>] {
        Set(days.map { $0 / 10_000 }).sorted().map { ($0 * 10_000 + 101)...($0 * 10_000 + 1231) }
    }

    /// Reads a holiday file (its `holidays`, `workdays` and what it covers: `year`, `covers`, else the
    /// years of its days); its problems are reported with its own name and lines.
    static func includedDays(_ path: String, from table: TableReader) -> (holidays: Set<Int>, workdays: Set<Int>, coverage: [ClosedRange<Int>])? {
        let url = table.context.resolvePath(path)
        guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8) else {
            table.report("holiday_files", "cannot read \(url.path)")
            return nil
        }
        let context = ConfigContext(displayPath: url.path, baseDirectory: url.deletingLastPathComponent(),
                                    environment: table.context.environment, text: text)
        defer { table.context.absorb(context) }
        do {
            guard case .table(let values) = ConfigValue(try TOMLTable(string: text)) else { return nil }
            let reader = TableReader(values, path: ConfigKeyPath(), context: context)
            defer { reader.finish() }
            let holidays = days(reader.stringArray("holidays") ?? [], table: reader, key: "holidays")
            let workdays = days(reader.stringArray("workdays") ?? [], table: reader, key: "workdays")
            var coverage: [ClosedRange<Int>] = []
            if reader.hasKey("year") {
                let year = reader.int("year", default: 0, range: 1900 ... 2200)
                if year > 0 { coverage.append((year * 10_000 + 101)...(year * 10_000 + 1231)) }
            }
            if let covers = reader.text("covers") {
                if let range = coverRange(covers) { coverage.append(range) }
                else { reader.report("covers", "\"\(covers)\" is not a range \"YYYY-MM-DD..YYYY-MM-DD\"") }
            }
            if coverage.isEmpty { coverage = wholeYears(of: holidays.union(workdays)) }
            for day in holidays.union(workdays) where !coverage.contains(where: { $0.contains(day) }) {
                reader.report("holidays", "day \(day / 10_000)-\(String(format: "%02d", day / 100 % 100))-\(String(format: "%02d", day % 100)) is outside what the file covers")
                break
            }
            return (holidays, workdays, coverage)
        } catch let error as TOMLParseError {
            context.report(line: error.source.begin.line, "TOML syntax: \(error.description)")
        } catch {
            context.report(line: nil, "TOML syntax: \(error)")
        }
        return nil
    }
}

/// `{ "mon-fri" = ["09:00-12:00", "13:30-18:00"], sat = ["10:00-14:00"] }` → periods per ISO weekday.
enum WeeklyHours {
    static func decode(_ table: TableReader, skipping: Set<String> = []) -> [Int: [BusinessCalendar.Period]] {
        var periods: [Int: [BusinessCalendar.Period]] = [:]
        for key in table.dataKeys(excluding: skipping) {
            guard let days = BusinessCalendar.parseDays(key) else {
                _ = table.string(key)
                table.report(key, "\"\(key)\" is not days like \"mon-fri\" or \"sat,sun\"")
                continue
            }
            for text in table.stringArray(key, required: true) ?? [] {
                guard let period = BusinessCalendar.parsePeriod(text) else {
                    table.report(key, "\"\(text)\" is not hours like \"09:00-12:00\" (start before end, at most 24:00)")
                    continue
                }
                for day in days {
                    if (periods[day] ?? []).contains(where: { $0.start < period.end && period.start < $0.end }) {
                        table.report(key, "\"\(text)\" overlaps another period of the same day")
                    }
                    periods[day, default: []].append(period)
                }
            }
        }
        return periods
    }
}
