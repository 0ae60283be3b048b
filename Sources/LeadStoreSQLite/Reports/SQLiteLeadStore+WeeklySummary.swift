import Foundation
import GRDB
import LeadCore

extension SQLiteLeadStore: WeeklySummaryQueueing {
    /// Queues each supervisor's summary of the week before the configured day, once per team and
    /// week (across restarts): the team's first-contact time and SLA share, misses by rep, the
    /// funnel and the slowest stage, each beside the week before, with two SVG charts.
    public func queueWeeklySummaries(at now: Date, engine: RoutingEngine, schedule: WeeklySummarySchedule, lifecycle: Lifecycle) async throws -> Int {
        guard let due = schedule.due(at: now) else { return 0 }
        // A summary covers only time the store has data for: a fresh install sends none for the
        // week before its first lead (it would be all "-").
        let firstLead = try await pool.read { db in try Int64.fetchOne(db, sql: "SELECT created_at FROM leads ORDER BY id LIMIT 1") }
        guard let firstLead, firstLead < due.weekStart.unixSeconds else { return 0 }
        let done = try await pool.read { db in
            Set(try String.fetchAll(db, sql: "SELECT team_id FROM weekly_summaries WHERE week = ?", arguments: [due.key]))
        }
        var queued = 0
        for team in engine.teams.values.sorted(by: { $0.id.rawValue < $1.id.rawValue }) where !done.contains(team.id.rawValue) {
            guard let address = SLANotices.supervisor(of: team.id, engine: engine) else { continue }
            let this = ReportQuery(since: due.previousStart, until: due.weekStart, team: team.id)
            let last = ReportQuery(since: due.previousStart.addingTimeInterval(-7 * 86_400), until: due.previousStart, team: team.id)
            let response = try await responseReport(this, plan: engine.sla, at: now).rows.first
            let responsePrev = try await responseReport(last, plan: engine.sla, at: now).rows.first
            let funnel = try await funnelReport(this, lifecycle: lifecycle, at: now)
            let funnelPrev = try await funnelReport(last, lifecycle: lifecycle, at: now)
            let misses = try await slaReport(ReportQuery(since: this.since, until: this.until, by: .rep, team: team.id), at: now)
            let missesPrev = try await slaReport(ReportQuery(since: last.since, until: last.until, by: .rep, team: team.id), at: now)
            let dwell = try await dwellReport(this, lifecycle: lifecycle, at: now)
            let variables = Self.weeklyVariables(team: team, engine: engine, schedule: schedule, due: due, response: response,
                                                 responsePrev: responsePrev, funnel: funnel, funnelPrev: funnelPrev,
                                                 misses: misses, missesPrev: missesPrev, dwell: dwell)
            let text = Self.weeklyText(variables)
            let name: String = if case .rep(let rep) = team.supervisor { engine.reps[rep]?.name ?? address.rawValue } else { address.rawValue }
            var withName = variables
            withName["recipient_name"] = .text(name)
            let all = withName
            let wrote = try await pool.write { db -> Bool in
                try db.execute(sql: "INSERT INTO weekly_summaries (team_id, week, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                               arguments: [team.id.rawValue, due.key, now.unixSeconds])
                guard db.changesCount > 0 else { return false }
                try OutboxWriter.queue(kind: "report.weekly", lead: nil, to: address, subject: text.subject, body: text.body,
                                       variables: all, language: SLANotices.supervisorLanguage(of: team.id, engine: engine), at: now, in: db)
                try db.execute(sql: "UPDATE weekly_summaries SET outbox_id = ? WHERE team_id = ? AND week = ?",
                               arguments: [db.lastInsertedRowID, team.id.rawValue, due.key])
                return true
            }
            if wrote { queued += 1 }
        }
        return queued
    }

    static func weeklyVariables(team: Team, engine: RoutingEngine, schedule: WeeklySummarySchedule,
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

    static func weeklyText(_ v: [String: TemplateValue]) -> (subject: String, body: String) {
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
