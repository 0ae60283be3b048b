import ArgumentParser
import Foundation
import LeadConfig
import LeadCore
import LeadStoreSQLite

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Reports computed from the store: response, sla, follow-ups, funnel, dwell, distribution, sources.",
        discussion: "Leads created in [--since, --until) count. Times are whole seconds; rates are 0…1 in JSON and CSV.")

    enum Name: String, ExpressibleByArgument, CaseIterable {
        case response, sla, followUps = "follow-ups", funnel, dwell, distribution, sources
    }

    @OptionGroup var global: GlobalOptions
    @Argument(help: "response, sla, follow-ups, funnel, dwell, distribution or sources.") var name: Name
    @Option(help: "From this day (YYYY-MM-DD, local in [routing] zone) or instant (RFC 3339).") var since: String?
    @Option(help: "Up to (not including) this day or instant.") var until: String?
    @Option(help: "Group by rep, team, source, province or industry.") var by: String?
    @Flag(help: "JSON: an array of objects with the column keys.") var json = false
    @Flag(help: "CSV with a header row.") var csv = false
    @Option(help: "Also write an SVG bar chart (funnel, response, dwell).") var svg: String?
    @Option(help: "Report as of this instant (RFC 3339; default now): the same data give the same report.") var now: String?

    func validate() throws {
        if let by, ReportQuery.Grouping(rawValue: by) == nil { throw ValidationError("--by must be rep, team, source, province or industry") }
        if json && csv { throw ValidationError("--json or --csv, not both") }
        if svg != nil, ![.funnel, .response, .dwell].contains(name) { throw ValidationError("--svg is for funnel, response and dwell") }
    }

    func run() async throws {
        let (configuration, _) = try loadConfiguration(global)
        let zone = configuration.routing.zone
        func day(_ text: String?) throws -> Date? {
            guard let text else { return nil }
            if let instant = RFC3339Text.date(text) { return instant }
            guard let local = RFC3339Text.date(text + "T00:00:00Z") else {
                printError("'\(text)' is not a day (YYYY-MM-DD, local in routing.zone) or an RFC 3339 time (2026-12-01T00:00:00+08:00)")
                throw ExitCode(64)
            }
            let offset = TimeZone(identifier: zone)?.secondsFromGMT(for: local) ?? 0
            return local.addingTimeInterval(-Double(offset))
        }
        let query = ReportQuery(since: try day(since), until: try day(until), by: by.flatMap(ReportQuery.Grouping.init(rawValue:)))
        let store = try await openStore(configuration)
        let now = try instant(now) ?? Date()
        let report: Report = switch name {
        case .response: try await store.responseReport(query, plan: configuration.routingEngine?.sla, at: now)
        case .sla: try await store.slaReport(query, at: now)
        case .followUps: try await store.followUpsReport(query, at: now)
        case .funnel: try await store.funnelReport(query, lifecycle: configuration.lifecycle, at: now)
        case .dwell: try await store.dwellReport(query, lifecycle: configuration.lifecycle, at: now)
        case .distribution: try await store.distributionReport(query, at: now)
        case .sources: try await store.sourcesReport(query, at: now)
        }
        if json {
            try printJSON(report.jsonObjects)
        } else if csv {
            FileHandle.standardOutput.write(Data(report.csv.utf8))
        } else {
            var table = TextTable(report.columns.map(\.key))
            for row in report.rows { table.add(row.map(\.display)) }
            print(table.render())
            if report.rows.isEmpty { print("(no leads in this period)") }
        }
        if let svg { try chart(report).svg.write(toFile: svg, atomically: true, encoding: .utf8) }
    }

    func chart(_ report: Report) -> BarChart {
        ReportCharts.chart(name.rawValue, report) ?? BarChart(title: name.rawValue, bars: [])
    }
}
