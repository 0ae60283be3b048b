import Foundation
import LeadCore
import LeadSessions
import Mustache

/// `/ui/reports` (the admin and supervisors): a report for the last 7, 30 or 90 days, grouped as
/// chosen, as a table with its bar chart inline (SVG, no script) and a CSV download
/// (`/ui/report.csv?…`). The same store reports as `leadctl report`.
extension ConsoleAPI {
    static let reportNames = ["response", "sla", "follow-ups", "funnel", "dwell", "distribution", "sources"]

    static let reportsTemplate = try! MustacheTemplate(string: """
        <h1>报表 Reports</h1>
        <form method="get" action="/ui/reports">
        <label for="name">报表 Report</label>
        <select id="name" name="name">{{#names}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/names}}</select>
        <label for="days">最近 Last</label>
        <select id="days" name="days">{{#periods}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}} 天 days</option>{{/periods}}</select>
        <label for="team">团队 Team</label>
        <select id="team" name="team">{{#teams}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/teams}}</select>
        <label for="by">分组 Group by</label>
        <select id="by" name="by">{{#groupings}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/groupings}}</select>
        <button type="submit">查看 Show</button>
        </form>
        <p><a href="/ui/report.csv?{{query}}">下载 CSV Download CSV</a></p>
        {{#svg}}<figure>{{{svg}}}</figure>{{/svg}}
        <div class="scroll"><table>
        <caption>{{name}} — {{period}}</caption>
        <thead><tr>{{#columns}}<th scope="col">{{.}}</th>{{/columns}}</tr></thead>
        <tbody>
        {{#rows}}<tr>{{#cells}}<td>{{.}}</td>{{/cells}}</tr>
        {{/rows}}{{^rows}}<tr><td>这段时间没有线索 No leads in this period</td></tr>{{/rows}}
        </tbody>
        </table></div>
        """)

    /// The report `query` asks for (name, days, by), scoped to a supervisor's team; nil for a rep.
    func report(_ query: [String: String], actor: ConsoleActor, now: Date) async throws
        -> (name: String, days: Int, by: String, team: TeamID?, Report)? {
        let snapshot = context.state.snapshot
        let scope = ConsoleScope(actor, directory: snapshot.configuration.directory.teams)
        guard actor == .admin || !scope.teams.isEmpty else { return nil }
        let name = Self.reportNames.contains(query["name"] ?? "") ? query["name"]! : "response"
        let days = [7, 30, 90].contains(Int(query["days"] ?? "") ?? 0) ? Int(query["days"]!)! : 30
        let by = ReportQuery.Grouping(rawValue: query["by"] ?? "")
        // The admin: every team or one; a supervisor: one of their teams (the first unless chosen).
        let asked = query["team"].flatMap { $0.isEmpty ? nil : TeamID($0) }
        let team: TeamID?
        if actor == .admin {
            team = asked.flatMap { asked in snapshot.configuration.directory.teams.contains { $0.id == asked } ? asked : nil }
        } else {
            team = asked.flatMap { scope.teams.contains($0) ? $0 : nil } ?? scope.teams.sorted { $0.rawValue < $1.rawValue }.first
        }
        let reportQuery = ReportQuery(since: now.addingTimeInterval(-Double(days) * 86_400), until: nil, by: by, team: team)
        let lifecycle = snapshot.configuration.lifecycle
        let report: Report = switch name {
        case "sla": try await store.slaReport(reportQuery, at: now)
        case "follow-ups": try await store.followUpsReport(reportQuery, at: now)
        case "funnel": try await store.funnelReport(reportQuery, lifecycle: lifecycle, at: now)
        case "dwell": try await store.dwellReport(reportQuery, lifecycle: lifecycle, at: now)
        case "distribution": try await store.distributionReport(reportQuery, at: now)
        case "sources": try await store.sourcesReport(reportQuery, at: now)
        default: try await store.responseReport(reportQuery, clocks: ClockDecider(snapshot.routing?.sla), at: now)
        }
        return (name, days, by?.rawValue ?? "", team, report)
    }

    func reportsPage(_ query: [String: String], actor: ConsoleActor, now: Date) async throws -> String? {
        guard let (name, days, by, team, report) = try await report(query, actor: actor, now: now) else { return nil }
        let directory = context.state.snapshot.configuration.directory.teams
        let scope = ConsoleScope(actor, directory: directory)
        let teams = (actor == .admin ? [("", "全部 all teams")] : [])
            + directory.filter { actor == .admin || scope.teams.contains($0.id) }.map { ($0.id.rawValue, "\($0.name) (\($0.id.rawValue))") }
        let groupings = [("", "无 none")] + ReportQuery.Grouping.allCases.map { ($0.rawValue, $0.rawValue) }
        var values: [String: Any] = [
            "names": Self.reportNames.map { ["value": $0, "selected": $0 == name] },
            "periods": [7, 30, 90].map { ["value": $0, "selected": $0 == days] },
            "groupings": groupings.map { ["value": $0.0, "label": $0.1, "selected": $0.0 == by] },
            "teams": teams.map { ["value": $0.0, "label": $0.1, "selected": $0.0 == (team?.rawValue ?? "")] },
            "query": "name=\(name)&days=\(days)&by=\(by)&team=\(team?.rawValue.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")",
            "name": name, "period": "最近 \(days) 天 last \(days) days" + (team.map { " · \($0.rawValue)" } ?? ""),
            "columns": report.columns.map(\.key),
            "rows": report.rows.map { ["cells": $0.map(\.display)] },
        ]
        if !report.rows.isEmpty, let chart = ReportCharts.chart(name, report) { values["svg"] = Self.inlineSVG(chart.svg) }
        return Self.reportsTemplate.render(values)
    }

    /// The chart's SVG without its XML declaration, to sit inside the page.
    static func inlineSVG(_ svg: String) -> String {
        guard svg.hasPrefix("<?xml"), let end = svg.range(of: "?>") else { return svg }
        return String(svg[end.upperBound...]).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
