import Foundation

/// The supervisors' weekly summary: which teams get one, and its text, variables and two SVG
/// charts, built from the week's reports (the store only loads the reports and queues the mail).
public enum WeeklySummaries {
    /// The reports one team's summary is built from: this week's and the week before's.
    public struct Reports: Hashable, Sendable {
        public var response: [Report.Value]?
        public var responsePrev: [Report.Value]?
        public var funnel: Report
        public var funnelPrev: Report
        public var misses: Report
        public var missesPrev: Report
        public var dwell: Report

        public init(response: [Report.Value]?, responsePrev: [Report.Value]?, funnel: Report, funnelPrev: Report,
                    misses: Report, missesPrev: Report, dwell: Report) {
            self.response = response; self.responsePrev = responsePrev; self.funnel = funnel; self.funnelPrev = funnelPrev
            self.misses = misses; self.missesPrev = missesPrev; self.dwell = dwell
        }
    }

    /// Teams whose supervisor has an address, in id order.
    public static func teams(_ engine: RoutingEngine) -> [(team: Team, supervisor: EmailAddress)] {
        engine.teams.values.sorted { $0.id.rawValue < $1.id.rawValue }.compactMap { team in
            SLANotices.supervisor(of: team.id, engine: engine).map { (team, $0) }
        }
    }

    /// One team's summary mail.
    public static func notice(team: Team, supervisor address: EmailAddress, engine: RoutingEngine, schedule: WeeklySummarySchedule,
                              due: (key: Int, weekStart: Date, previousStart: Date), reports r: Reports) -> QueuedNotice {
        var variables = variables(team: team, engine: engine, schedule: schedule, due: due, response: r.response,
                                  responsePrev: r.responsePrev, funnel: r.funnel, funnelPrev: r.funnelPrev,
                                  misses: r.misses, missesPrev: r.missesPrev, dwell: r.dwell)
        let (subject, body) = text(variables)
        let name: String = if case .rep(let rep) = team.supervisor { engine.reps[rep]?.name ?? address.rawValue } else { address.rawValue }
        variables["recipient_name"] = .text(name)
        return QueuedNotice(kind: "report.weekly", recipient: address, subject: subject, body: body, variables: variables,
                            language: SLANotices.supervisorLanguage(of: team.id, engine: engine))
    }

    static func variables(team: Team, engine: RoutingEngine, schedule: WeeklySummarySchedule,
                                due: (key: Int, weekStart: Date, previousStart: Date), response: [Report.Value]?,
                                responsePrev: [Report.Value]?, funnel: Report, funnelPrev: Report, misses: Report, missesPrev: Report,
                                dwell: Report) -> [String: TemplateValue] {
        func text(_ value: Report.Value?) -> TemplateValue { .text(value?.display ?? "-") }
        let counts = funnel.columns.enumerated().filter { $0.element.kind == .count }
        let funnelRows: [[String: TemplateValue]] = counts.map { index, column in
            ["status": .text(column.key), "count": text(funnel.rows.first?[index]), "count_prev": text(funnelPrev.rows.first?[index])]
        }
        let previousMisses = Dictionary(missesPrev.rows.map { ($0[0].display, $0[4].display) }, uniquingKeysWith: { a, _ in a })
        let missRows: [[String: TemplateValue]] = misses.rows.filter { $0[2] == .text(SLAClock.firstContact.rawValue) }.map { row in
            let rep = row[0].display
            return ["rep": .text(engine.reps[RepID(rep)]?.name ?? rep), "missed": .text(row[4].display), "missed_prev": .text(previousMisses[rep] ?? "0")]
        }
        let slowest = dwell.rows.max { a, b in
            if case .seconds(let x) = a[3], case .seconds(let y) = b[3] { return (x ?? 0) < (y ?? 0) }
            return false
        }
        let day = DateFormatter()
        day.locale = Locale(identifier: "en_US_POSIX")
        day.timeZone = TimeZone(identifier: schedule.zone)
        day.dateFormat = "yyyy-MM-dd"
        var variables: [String: TemplateValue] = [
            "team_id": .text(team.id.rawValue), "team_name": .text(team.name),
            "week_from": .text(day.string(from: due.previousStart)), "week_to": .text(day.string(from: due.weekStart.addingTimeInterval(-1))),
            "assigned": text(response?[1]), "assigned_prev": text(responsePrev?[1]),
            "response_median": text(response?[5]), "response_median_prev": text(responsePrev?[5]),
            "within_sla": text(response?[7]), "within_sla_prev": text(responsePrev?[7]),
            "funnel": .list(funnelRows), "misses": .list(missRows),
            "slowest_status": .text(slowest?[1].display ?? "-"), "slowest_median": text(slowest?[3]), "has_charts": .flag(true),
        ]
        if !funnel.rows.isEmpty {
            let bars = counts.map { index, column in
                BarChart.Bar(label: column.key, value: Double({ if case .count(let c) = funnel.rows[0][index] { c } else { 0 } }()),
                             text: funnel.rows[0][index].display)
            }
            variables["chart_funnel"] = .text(BarChart(title: "\(team.name) funnel 漏斗", bars: bars).svg)
        }
        variables["chart_dwell"] = .text(BarChart(report: dwell, title: "\(team.name) median time in status 各阶段停留", value: "median",
                                                  label: { $0[1].display }).svg)
        return variables
    }

    static func text(_ v: [String: TemplateValue]) -> (subject: String, body: String) {
        func t(_ key: String) -> String { if case .text(let s)? = v[key] { s } else { "" } }
        func rows(_ key: String, _ line: ([String: TemplateValue]) -> String) -> String {
            guard case .list(let items)? = v[key] else { return "" }
            return items.map(line).joined(separator: "\n")
        }
        func cell(_ item: [String: TemplateValue], _ key: String) -> String { if case .text(let s)? = item[key] { s } else { "" } }
        let body = """
        \(t("team_name")) \(t("week_from")) – \(t("week_to"))

        leads assigned 分配线索: \(t("assigned")) (previous week 上周 \(t("assigned_prev")))
        first contact, median business time 首次联系（工作时间中位数）: \(t("response_median")) (\(t("response_median_prev")))
        within SLA 达标率: \(t("within_sla")) (\(t("within_sla_prev")))

        funnel 漏斗 (this week / previous):
        \(rows("funnel") { "  \(cell($0, "status")): \(cell($0, "count")) / \(cell($0, "count_prev"))" })

        first-contact misses by rep 各销售超时次数:
        \(rows("misses") { "  \(cell($0, "rep")): \(cell($0, "missed")) / \(cell($0, "missed_prev"))" })

        slowest stage 最慢阶段: \(t("slowest_status")) (median \(t("slowest_median")))

        """
        return ("[leadrouter] Weekly summary 周报 \(t("team_name")) \(t("week_from")) – \(t("week_to"))", body)
    }
}
