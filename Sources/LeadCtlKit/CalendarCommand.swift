import ArgumentParser
import Foundation
import LeadConfig
import LeadCore

/// `leadctl calendar due|between`: check a business calendar the way the SLA clocks will use it.
struct CalendarCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar", abstract: "Check business calendars.", subcommands: [Due.self, Between.self, Show.self])

    static func calendar(_ id: String, in configuration: DaemonConfiguration) throws -> BusinessCalendar {
        guard let calendar = configuration.calendars.first(where: { $0.id == id }) else {
            printError("no [[calendar]] \"\(id)\" (configured: \(configuration.calendars.map(\.id).joined(separator: ", ")))")
            throw ExitCode.failure
        }
        return calendar
    }

    /// An RFC 3339 time, or one clear error (no usage block) and exit 64.
    static func time(_ text: String, option: String) throws -> Date {
        try requireTime(text, option: option)
    }

    /// `2026-12-03T09:30:00+08:00` in the calendar's zone; an instant with a fraction of a second
    /// keeps it, in milliseconds rounded up, so a deadline is never shown before it is.
    static func local(_ date: Date, zone: String) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: zone)
        let t = date.timeIntervalSince1970
        if t == t.rounded(.down) {
            formatter.formatOptions = [.withInternetDateTime]
            return formatter.string(from: date)
        }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: (t * 1_000).rounded(.up) / 1_000))
    }

    /// `2027-01-01`.
    static func dayText(_ key: Int) -> String { String(format: "%04d-%02d-%02d", key / 10_000, key / 100 % 100, key % 100) }

    struct Due: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The deadline DURATION of business time after --from.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "The calendar id.") var calendar: String
        @Option(help: "Start (RFC 3339 with an offset).") var from: String
        @Option(help: "Business time to add, e.g. 24h, 3d, 1h30m.") var add: String

        func run() async throws {
            let (configuration, _) = try loadConfiguration(global)
            let cal = try CalendarCommand.calendar(calendar, in: configuration)
            let start = try CalendarCommand.time(from, option: "--from")
            let seconds: Int64
            do { seconds = try DurationText.seconds(add) } catch { throw ValidationError(error.description) }
            guard let due = cal.add(seconds: seconds, to: start) else {
                printError("calendar \(calendar) has no working time within ten years")
                throw ExitCode.failure
            }
            // Days the statutory fallback made holidays: the deadline may move once that year's file is in.
            let provisional = cal.provisionalDays(between: start, and: due)
            if output.json {
                try printJSON(["due": CalendarCommand.local(due, zone: cal.zone), "due_utc": RFC3339Text.exactString(due), "seconds": seconds,
                               "provisional_days": provisional.map { ["day": CalendarCommand.dayText($0), "holiday": cal.provisionalHolidays[$0] ?? ""] }])
            } else {
                print("due \(CalendarCommand.local(due, zone: cal.zone)) (\(RFC3339Text.exactString(due)))")
                if !provisional.isEmpty {
                    print("provisional: crosses " + provisional.map { "\(CalendarCommand.dayText($0)) \(cal.provisionalHolidays[$0] ?? "")" }.joined(separator: ", ")
                          + " from the \(cal.fallback ?? "fallback") fallback (holiday data ends \(cal.coverageEnd.map(CalendarCommand.dayText) ?? "-"))")
                }
            }
        }
    }

    struct Between: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Business time between two instants.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "The calendar id.") var calendar: String
        @Argument(help: "From (RFC 3339).") var from: String
        @Argument(help: "To (RFC 3339).") var to: String

        func run() async throws {
            let (configuration, _) = try loadConfiguration(global)
            let cal = try CalendarCommand.calendar(calendar, in: configuration)
            let start = try CalendarCommand.time(from, option: "FROM"), end = try CalendarCommand.time(to, option: "TO")
            guard end >= start else {
                printError("TO (\(to)) is before FROM (\(from)): give the earlier instant first")
                throw ExitCode(64)
            }
            let seconds = cal.businessTime(between: start, and: end)
            if output.json {
                try printJSON(["seconds": seconds])
            } else {
                print("\(seconds) s (\(DurationText.format(seconds: seconds))) of business time")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every weekday off and weekend working day of a year, with where each comes from.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "The calendar id.") var calendar: String
        @Option(help: "The year, e.g. 2027.") var year: Int

        func run() async throws {
            let (configuration, _) = try loadConfiguration(global)
            let cal = try CalendarCommand.calendar(calendar, in: configuration)
            let days = cal.specialDays(year: year)
            let end = cal.coverageEnd.map(CalendarCommand.dayText)
            if output.json {
                try printJSON(["calendar": cal.id, "year": year, "coverage_end": end ?? NSNull(), "fallback": cal.fallback ?? "none",
                               "days": days.map { day -> [String: Any] in
                                   ["day": CalendarCommand.dayText(day.key), "kind": day.kind.rawValue, "source": day.source,
                                    "name": day.name ?? NSNull(), "provisional": day.provisional]
                               }])
                return
            }
            print("calendar \(cal.id) (\(cal.zone)), \(year): holiday data " + (end.map { "until \($0)" } ?? "not tracked")
                  + (cal.fallback.map { ", then the \($0) fallback (provisional)" } ?? ""))
            var table = TextTable(["DAY", "WEEKDAY", "KIND", "SOURCE", "NOTE"])
            let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
            var gregorian = Calendar(identifier: .gregorian)
            gregorian.timeZone = TimeZone(identifier: "UTC")!
            for day in days {
                let date = gregorian.date(from: DateComponents(year: day.key / 10_000, month: day.key / 100 % 100, day: day.key % 100))!
                table.add([CalendarCommand.dayText(day.key), weekdays[gregorian.component(.weekday, from: date) - 1],
                           day.kind == .holiday ? "day off" : "working day", day.source,
                           [day.name, day.provisional ? "provisional" : nil].compactMap { $0 }.joined(separator: ", ")])
            }
            print(days.isEmpty ? "no weekday off and no weekend working day" : table.render())
        }
    }
}
