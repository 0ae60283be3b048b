import ArgumentParser
import Foundation
import LeadConfig
import LeadCore

/// `leadctl calendar due|between`: check a business calendar the way the SLA clocks will use it.
struct CalendarCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar", abstract: "Check business calendars.", subcommands: [Due.self, Between.self])

    static func calendar(_ id: String, in configuration: DaemonConfiguration) throws -> BusinessCalendar {
        guard let calendar = configuration.calendars.first(where: { $0.id == id }) else {
            printError("no [[calendar]] \"\(id)\" (configured: \(configuration.calendars.map(\.id).joined(separator: ", ")))")
            throw ExitCode.failure
        }
        return calendar
    }

    static func time(_ text: String) throws -> Date {
        guard let date = RouteCommand.parseTime(text) else { throw ValidationError("'\(text)' is not an RFC 3339 time with an offset") }
        return date
    }

    /// `2026-12-03T09:30:00+08:00` in the calendar's zone.
    static func local(_ date: Date, zone: String) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: zone)
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

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
            let start = try CalendarCommand.time(from)
            let seconds: Int64
            do { seconds = try DurationText.seconds(add) } catch { throw ValidationError(error.description) }
            guard let due = cal.add(seconds: seconds, to: start) else {
                printError("calendar \(calendar) has no working time within ten years")
                throw ExitCode.failure
            }
            if output.json {
                try printJSON(["due": CalendarCommand.local(due, zone: cal.zone), "due_utc": RFC3339.string(due), "seconds": seconds])
            } else {
                print("due \(CalendarCommand.local(due, zone: cal.zone)) (\(RFC3339.string(due)))")
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
            let seconds = cal.businessTime(between: try CalendarCommand.time(from), and: try CalendarCommand.time(to))
            if output.json {
                try printJSON(["seconds": seconds])
            } else {
                print("\(seconds) s (\(DurationText.format(seconds: seconds))) of business time")
            }
        }
    }
}
