import Foundation
import LeadCore
import Testing

/// The weekly summary's mail built from reports, without a store.
@Suite struct WeeklySummariesTests {
    let zhang = Rep(id: RepID("zhang.wei"), name: "张伟", email: EmailAddress(rawValue: "zhang.wei@example.com")!)
    let li = Rep(id: RepID("li.na"), name: "李娜", email: EmailAddress(rawValue: "li.na@example.com")!)

    @Test func aTeamsSummaryComparesTheWeekWithTheOneBeforeAndCarriesCharts() throws {
        let team = Team(id: TeamID("east"), name: "华东", members: [zhang.id], supervisor: .rep(li.id))
        let lone = Team(id: TeamID("west"), name: "西部", members: [zhang.id], supervisor: .address(EmailAddress(rawValue: "west@example.com")!))
        let engine = RoutingEngine(table: RoutingTable(rules: [], defaultTarget: .team(team.id)), reps: [zhang, li], teams: [lone, team])
        #expect(WeeklySummaries.teams(engine).map(\.team.id) == [TeamID("east"), TeamID("west")], "in id order")

        let funnelColumns: [Report.Column] = [.init("new", .count), .init("contacted", .count)]
        let funnel = Report(name: "funnel", columns: funnelColumns, rows: [[.count(10), .count(6)]])
        let funnelPrev = Report(name: "funnel", columns: funnelColumns, rows: [[.count(8), .count(3)]])
        let missColumns: [Report.Column] = [.init("rep", .text), .init("x", .text), .init("clock", .text), .init("y", .text), .init("missed", .count)]
        let misses = Report(name: "sla", columns: missColumns, rows: [[.text("zhang.wei"), .text(""), .text("first_contact"), .text(""), .count(2)]])
        let dwell = Report(name: "dwell", columns: [.init("g", .text), .init("status", .text), .init("n", .count), .init("median", .seconds)],
                           rows: [[.text("all"), .text("contacted"), .count(4), .seconds(7_200)], [.text("all"), .text("new"), .count(4), .seconds(600)]])
        let response: [Report.Value] = [.text("all"), .count(10), .count(9), .seconds(1), .seconds(1), .seconds(5_400), .seconds(1), .ratio(0.9)]
        let schedule = WeeklySummarySchedule(weekday: 1, minuteOfDay: 9 * 60, zone: "Asia/Shanghai")
        let monday = Date(timeIntervalSince1970: 1_796_400_000)
        let due = (key: 2026_49, weekStart: monday, previousStart: monday.addingTimeInterval(-7 * 86_400))
        let notice = WeeklySummaries.notice(team: team, supervisor: li.email, engine: engine, schedule: schedule, due: due,
                                            reports: .init(response: response, responsePrev: nil, funnel: funnel, funnelPrev: funnelPrev,
                                                           misses: misses, missesPrev: Report(name: "sla", columns: missColumns, rows: []),
                                                           dwell: dwell))
        #expect(notice.kind == "report.weekly" && notice.recipient == li.email)
        #expect(notice.subject.hasPrefix("[leadrouter] Weekly summary 周报 华东"))
        #expect(notice.body.contains("leads assigned 分配线索: 10 (previous week 上周 -)"))
        #expect(notice.body.contains("  contacted: 6 / 3"))
        #expect(notice.body.contains("  张伟: 2 / 0"))
        #expect(notice.body.contains("slowest stage 最慢阶段: contacted (median 2h)"))
        #expect(notice.variables["recipient_name"] == .text("李娜"))
        guard case .text(let chart)? = notice.variables["chart_funnel"] else { Issue.record("no funnel chart"); return }
        #expect(chart.contains("<svg") && chart.contains("华东 funnel 漏斗"))
    }
}
