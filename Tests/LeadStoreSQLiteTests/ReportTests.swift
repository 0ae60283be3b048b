import Foundation
import LeadCore
import LeadStoreSQLite
import LeadTestSupport
import Testing

/// Reports on a small hand-computed dataset across a weekend, on a real SQLite file.
@Suite struct ReportTests {
    func at(_ text: String) -> Date { RFC3339Text.date(text + "+08:00")! }
    let he = Rep(id: RepID("he.min"), name: "何敏", email: EmailAddress(rawValue: "he.min@example.com")!)

    /// Mon–Fri 09:00–18:00 Shanghai; first contact within 8 business hours.
    func engine() -> RoutingEngine {
        let office = BusinessCalendar(id: "office", zone: "Asia/Shanghai",
                                      periods: Dictionary(uniqueKeysWithValues: (1...5).map { ($0, [BusinessCalendar.Period(start: 540, end: 1_080)]) }))
        let team = Team(id: east.id, name: "华东", members: [zhang.id, he.id], supervisor: .rep(li.id))
        let policy = SLAPolicy(name: "std", criteria: [], clock: .business, calendar: "office", firstContactSeconds: 8 * 3_600)
        return RoutingEngine(table: RoutingTable(rules: [], defaultTarget: .team(team.id)), reps: [zhang, he, li], teams: [team],
                             sla: SLAPlan(policies: [policy], calendars: [office]))
    }

    /// L1 (zhang) and L2 (he) assigned Friday 17:00, L3 (zhang) and L4 (he) Monday 09:00.
    /// Contacts: L1 Monday 10:00, L2 Tuesday 10:00, L3 Monday 09:30; L4 none.
    /// L1 goes on to qualified and converted; L3 is disqualified.
    func withDataset(_ body: (SQLiteLeadStore, RoutingEngine) async throws -> Void) async throws {
        try await withStore { store, _ in
            let engine = engine()
            try await store.syncDirectory(reps: Array(engine.reps.values), teams: Array(engine.teams.values), configGeneration: 1, at: t0)
            func items(_ keys: [String], source: String) -> [IntakeItem] {
                keys.map { key in
                    var d = draft(key, name: key)
                    d.email = "\(key)@corp.example.cn"
                    d.source = source
                    return IntakeItem(draft: d, raw: RawCapture(body: []))
                }
            }
            _ = try await store.commitIntakes(items(["L1", "L2"], source: "web-form"), duplicates: DuplicatePolicy(match: .off),
                                              routing: engine, at: at("2026-11-27T17:00:00"))
            _ = try await store.commitIntakes(items(["L3", "L4"], source: "baidu"), duplicates: DuplicatePolicy(match: .off),
                                              routing: engine, at: at("2026-11-30T09:00:00"))
            for (lead, rep, time) in [(1, zhang.id, "2026-11-30T10:00:00"), (2, he.id, "2026-12-01T10:00:00"), (3, zhang.id, "2026-11-30T09:30:00")] {
                _ = try await store.recordActivity(ActivityDraft(lead: LeadID(Int64(lead)), kind: .call, rep: rep), at: at(time), sla: engine.sla,
                                                   ownedBy: nil, now: at(time))
            }
            let fields = ["industry": "制造业", "company_size": "80", "decision_maker_title": "厂长", "budget_range": "10-50万"]
            _ = try await store.changeStatus(LeadID(1), to: "qualified", fields: fields, reason: nil, actor: .admin, lifecycle: .standard,
                                             sla: engine.sla, at: at("2026-12-01T11:00:00"))
            _ = try await store.changeStatus(LeadID(1), to: "converted", fields: [:], reason: nil, actor: .admin, lifecycle: .standard,
                                             sla: engine.sla, at: at("2026-12-02T11:00:00"))
            _ = try await store.changeStatus(LeadID(3), to: "disqualified", fields: [:], reason: "无预算", actor: .admin, lifecycle: .standard,
                                             sla: engine.sla, at: at("2026-11-30T15:00:00"))
            try await body(store, engine)
        }
    }

    var now: Date { at("2026-12-02T12:00:00") }

    @Test func responseTimesByRepInWallAndBusinessTime() async throws {
        try await withDataset { store, engine in
            let report = try await store.responseReport(ReportQuery(by: .rep), plan: engine.sla, at: now)
            #expect(report.rows == [
                // he: L2 contacted after 89 wall hours, 11 business hours (late); L4 never, overdue.
                [.text("he.min"), .count(2), .count(1), .seconds(320_400), .seconds(320_400), .seconds(39_600), .seconds(39_600), .ratio(0)],
                // zhang: L1 65 h wall = 2 business hours (Fri 17–18, Mon 9–10); L3 30 min. Median of two = their mean.
                [.text("zhang.wei"), .count(2), .count(2), .seconds(117_900), .seconds(234_000), .seconds(4_500), .seconds(7_200), .ratio(1)],
            ])
            // The three formats carry the same numbers.
            var table: [String] = []
            for row in report.rows { table.append(row.map(\.display).joined(separator: " ")) }
            #expect(table[1] == "zhang.wei 2 2 1d8h45m 2d17h 1h15m 2h 100.0%")
            #expect(report.csv.components(separatedBy: "\r\n")[2] == "zhang.wei,2,2,117900,234000,4500,7200,1.0")
            #expect(report.jsonObjects[1]["wall_median"] as? Int64 == 117_900 && report.jsonObjects[0]["within_sla"] as? Double == 0)
        }
    }

    @Test func funnelAndConversion() async throws {
        try await withDataset { store, _ in
            let all = try await store.funnelReport(ReportQuery(), lifecycle: .standard, at: now)
            #expect(all.columns.map(\.key) == ["all", "new", "contacted", "qualified", "converted", "new_to_contacted", "contacted_to_qualified",
                                               "qualified_to_converted", "disqualified"])
            #expect(all.rows == [[.text("all"), .count(4), .count(3), .count(1), .count(1), .ratio(0.75), .ratio(0.3333), .ratio(1), .count(1)]])
            let bySource = try await store.funnelReport(ReportQuery(by: .source), lifecycle: .standard, at: now)
            #expect(bySource.rows.map { $0[0] } == [.text("baidu"), .text("web-form")])
            #expect(bySource.rows[1][4] == .count(1), "web-form converted one")
        }
    }

    @Test func dwellSLAAndSources() async throws {
        try await withDataset { store, _ in
            let dwell = try await store.dwellReport(ReportQuery(), lifecycle: .standard, at: now)
            // new: L3 30 min, L4 51 h (still new), L1 65 h, L2 89 h.
            #expect(dwell.rows.first == [.text("all"), .text("new"), .count(4), .seconds(208_800), .seconds(320_400)])
            let sla = try await store.slaReport(ReportQuery(), at: now)
            #expect(sla.rows == [[.text("all"), .text("std"), .text("first_contact"), .count(2), .count(2), .count(0), .ratio(0.5), .count(0), .count(0)]])
            let sources = try await store.sourcesReport(ReportQuery(), at: now)
            #expect(sources.rows.contains([.text("web-form"), .text("-"), .count(2), .count(0), .ratio(0.5), .ratio(0.5)]))
            let window = try await store.funnelReport(ReportQuery(since: at("2026-11-30T00:00:00")), lifecycle: .standard, at: now)
            #expect(window.rows.first?[1] == .count(2), "only Monday's leads")
        }
    }

    @Test func aWeeklySummaryPerTeamOncePerWeekAgainstTheWeekBefore() async throws {
        try await withDataset { store, engine in
            let schedule = WeeklySummarySchedule(weekday: 4, minuteOfDay: 9 * 60, zone: "Asia/Shanghai")   // Thursdays 09:00
            #expect(try await store.queueWeeklySummaries(at: at("2026-12-03T08:59:00"), engine: engine, schedule: schedule, lifecycle: .standard) == 0)
            #expect(try await store.queueWeeklySummaries(at: at("2026-12-03T09:00:00"), engine: engine, schedule: schedule, lifecycle: .standard) == 1)
            #expect(try await store.queueWeeklySummaries(at: at("2026-12-04T10:00:00"), engine: engine, schedule: schedule, lifecycle: .standard) == 0,
                    "once per week")
            let row = try #require(try await store.outboxMessages(state: nil, limit: 10).first { $0.kind == "report.weekly" })
            #expect(row.recipient == "li.na@example.com")
            #expect(row.subject.contains("2026-11-26 – 2026-12-02"), "\(row.subject)")
            #expect(row.body.contains("leads assigned 分配线索: 4 (previous week 上周 -)"), "\(row.body)")
            #expect(row.body.contains("first contact, median business time 首次联系（工作时间中位数）: 2h (-)"), "\(row.body)")
            #expect(row.body.contains("  converted: 1 / -"), "\(row.body)")
            #expect(row.body.contains("  何敏: 2 / 0"), "he.min missed L2 and L4: \(row.body)")
            #expect(row.body.contains("slowest stage 最慢阶段: new (median 2d16h)"), "stays counted up to the end of the week: \(row.body)")
            if case .text(let svg)? = row.variables["chart_funnel"] { #expect(svg.contains("<svg") && svg.contains(">4<")) } else { Issue.record("no funnel chart") }
        }
    }

    /// Issue 15: a fresh install started mid-week sends no summary of the week before it existed.
    @Test func aFreshInstallSendsNoSummaryForAWeekBeforeItsFirstLead() async throws {
        try await withStore { store, _ in
            let engine = engine()
            try await store.syncDirectory(reps: Array(engine.reps.values), teams: Array(engine.teams.values), configGeneration: 1, at: t0)
            let schedule = WeeklySummarySchedule(weekday: 1, minuteOfDay: 9 * 60, zone: "Asia/Shanghai")       // Mondays 09:00
            // Installed Tuesday 2026-12-01: Monday's summary (of Nov 23–29) is "due", but nothing existed then.
            #expect(try await store.queueWeeklySummaries(at: at("2026-12-01T10:00:00"), engine: engine, schedule: schedule, lifecycle: .standard) == 0)
            var d = draft("first", name: "first")
            d.email = "first@corp.example.cn"
            _ = try await store.commitIntakes([IntakeItem(draft: d, raw: RawCapture(body: []))], duplicates: DuplicatePolicy(match: .off),
                                              routing: engine, at: at("2026-12-01T11:00:00"))
            #expect(try await store.queueWeeklySummaries(at: at("2026-12-01T12:00:00"), engine: engine, schedule: schedule, lifecycle: .standard) == 0)
            #expect(try await store.outboxMessages(state: nil, limit: 10).allSatisfy { $0.kind != "report.weekly" })
            // The next Monday's summary covers the week the lead arrived in: it goes out.
            #expect(try await store.queueWeeklySummaries(at: at("2026-12-07T09:00:00"), engine: engine, schedule: schedule, lifecycle: .standard) == 1)
        }
    }

    /// 24 leads assigned the evening before National Day 2026 (Wednesday 30 September, 17:00) and
    /// called on the first working day after it (Thursday 8 October) from 09:00, ten minutes apart:
    /// lead i waited 1 business hour + i × 10 minutes, and 7 days 16 hours + i × 10 minutes of wall time.
    @Test func responseAcrossTheNationalDayHoliday() async throws {
        try await withStore { store, _ in
            let office = BusinessCalendar(id: "cn", zone: "Asia/Shanghai",
                                          periods: Dictionary(uniqueKeysWithValues: (1...5).map { ($0, [BusinessCalendar.Period(start: 540, end: 1_080)]) }),
                                          holidays: Set((20261001...20261007)), extraWorkdays: [20260927, 20261010])
            let solo = Team(id: east.id, name: "华东", members: [zhang.id], supervisor: .rep(li.id))
            let policy = SLAPolicy(name: "std", criteria: [], clock: .business, calendar: "cn", firstContactSeconds: 2 * 3_600)
            let engine = RoutingEngine(table: RoutingTable(rules: [], defaultTarget: .team(solo.id)), reps: [zhang, li], teams: [solo],
                                       sla: SLAPlan(policies: [policy], calendars: [office]))
            try await store.syncDirectory(reps: [zhang, li], teams: [solo], configGeneration: 1, at: t0)
            let items = (0..<24).map { i in
                var d = draft("h\(i)", name: "客户\(i)")
                d.email = "h\(i)@corp.example.cn"
                return IntakeItem(draft: d, raw: RawCapture(body: []))
            }
            _ = try await store.commitIntakes(items, duplicates: DuplicatePolicy(match: .off), routing: engine, at: at("2026-09-30T17:00:00"))
            for i in 0..<24 {
                let when = at("2026-10-08T09:00:00") + Double(i * 600)
                _ = try await store.recordActivity(ActivityDraft(lead: LeadID(Int64(i + 1)), kind: .call, rep: zhang.id), at: when,
                                                   sla: engine.sla, ownedBy: nil, now: when)
            }
            let report = try await store.responseReport(ReportQuery(), plan: engine.sla, at: at("2026-10-09T12:00:00"))
            // Medians of 24: the mean of the 12th and 13th (i = 11, 12); p90: the 22nd (i = 21).
            // Within the 2-hour SLA: i × 10 min ≤ 60 min, so i = 0…6: 7 of 24.
            #expect(report.rows == [[.text("all"), .count(24), .count(24), .seconds(669_300), .seconds(675_000),
                                     .seconds(10_500), .seconds(16_200), .ratio(0.2917)]])
        }
    }
}
