import Foundation
import GRDB
import LeadCore
import LeadStoreSQLite
import LeadTestSupport
import Testing

/// The daily to-do mail on a real SQLite file with an injected clock.
@Suite struct DailyDigestTests {
    /// Mon–Fri 09:00–18:00 in Shanghai, with 2026-10-01 off and Saturday 2026-10-10 a working day.
    let office = BusinessCalendar(id: "cn", zone: "Asia/Shanghai",
                                  periods: Dictionary(uniqueKeysWithValues: (1...5).map { ($0, [BusinessCalendar.Period(start: 540, end: 1_080)]) }),
                                  holidays: [20261001], extraWorkdays: [20261010])

    func shanghai(_ text: String) -> Date { RFC3339Text.date(text + "+08:00")! }

    func engine() -> RoutingEngine {
        let team = Team(id: east.id, name: "华东销售组", members: [zhang.id], supervisor: .rep(li.id))
        let policy = SLAPolicy(name: "day", criteria: [], clock: .wall, calendar: "", firstContactSeconds: 86_400)
        return RoutingEngine(table: RoutingTable(rules: [], defaultTarget: .team(team.id)), reps: [zhang, li], teams: [team],
                             sla: SLAPlan(policies: [policy], calendars: []))
    }

    /// Lead 1 assigned the day before (first contact due today 10:00), lead 2 three days before
    /// (overdue, idle), both to zhang.wei.
    func seed(_ store: SQLiteLeadStore, engine: RoutingEngine, today: String) async throws {
        try await store.syncDirectory(reps: [zhang, li], teams: Array(engine.teams.values), configGeneration: 1, at: t0)
        for (i, at) in [(1, shanghai(today + "T10:00:00") - 86_400), (2, shanghai(today + "T10:00:00") - 4 * 86_400)] {
            var d = draft("digest-\(i)", name: "客户\(i)")
            d.email = "c\(i)@corp.example.cn"
            _ = try await store.commitIntakes([IntakeItem(draft: d, raw: RawCapture(body: []))], duplicates: DuplicatePolicy(match: .off),
                                              routing: engine, at: at)
        }
    }

    func outbox(_ file: URL) async throws -> [(kind: String, to: String, body: String, data: String)] {
        try await DatabaseQueue(path: file.path).read { db in
            try Row.fetchAll(db, sql: "SELECT kind, recipient, body, data FROM outbox ORDER BY id").map { ($0["kind"], $0["recipient"], $0["body"], $0["data"]) }
        }
    }

    @Test func onceAtTheTimeOnAWorkingDayPerRecipientAcrossRestarts() async throws {
        try await withStore { store, file in
            let engine = engine()
            let schedule = DailyDigestSchedule(minuteOfDay: 8 * 60 + 30, calendar: office, idleDays: 3)
            try await seed(store, engine: engine, today: "2026-12-01")
            #expect(try await store.queueDailyDigests(at: shanghai("2026-12-01T08:29:59"), engine: engine, schedule: schedule) == 0, "before 08:30")
            #expect(try await store.queueDailyDigests(at: shanghai("2026-12-01T08:30:00"), engine: engine, schedule: schedule) == 2)
            #expect(try await store.queueDailyDigests(at: shanghai("2026-12-01T15:00:00"), engine: engine, schedule: schedule) == 0, "once a day")
            let reopened = try SQLiteLeadStore.openWriter(at: file)
            #expect(try await reopened.queueDailyDigests(at: shanghai("2026-12-01T16:00:00"), engine: engine, schedule: schedule) == 0,
                    "once a day across a restart")
            let mails = try await outbox(file)
            let rep = try #require(mails.first { $0.kind == "digest.daily" })
            #expect(rep.to == "zhang.wei@example.com")
            #expect(rep.body.contains("due today 今日到期 (1):\n- #1 客户1, 上海某某科技有限公司 first_contact 2026-12-01 10:00 (Asia/Shanghai)"), "\(rep.body)")
            #expect(rep.body.contains("overdue 已超时 (1):\n- #2 客户2"), "\(rep.body)")
            #expect(rep.body.contains("idle 3+ days 无跟进 (1):\n- #2"), "\(rep.body)")
            let team = try #require(mails.first { $0.kind == "digest.daily_team" })
            #expect(team.to == "li.na@example.com")
            #expect(team.data.contains("\"breaches_yesterday\""))
            #expect(try await store.queueDailyDigests(at: shanghai("2026-12-02T08:31:00"), engine: engine, schedule: schedule) == 2, "the next day")
        }
    }

    @Test func noneOnAHolidayAndOneOnAnAdjustedWorkday() async throws {
        try await withStore { store, _ in
            let engine = engine()
            let schedule = DailyDigestSchedule(minuteOfDay: 8 * 60 + 30, calendar: office, idleDays: 3)
            try await seed(store, engine: engine, today: "2026-10-01")
            #expect(try await store.queueDailyDigests(at: shanghai("2026-10-01T09:00:00"), engine: engine, schedule: schedule) == 0, "National Day")
            #expect(try await store.queueDailyDigests(at: shanghai("2026-10-03T09:00:00"), engine: engine, schedule: schedule) == 0, "a Saturday")
            #expect(try await store.queueDailyDigests(at: shanghai("2026-10-10T09:00:00"), engine: engine, schedule: schedule) == 2, "调休 Saturday")
        }
    }

    @Test func nothingToListSendsNothing() async throws {
        try await withStore { store, file in
            let engine = engine()
            try await store.syncDirectory(reps: [zhang, li], teams: Array(engine.teams.values), configGeneration: 1, at: t0)
            let schedule = DailyDigestSchedule(minuteOfDay: 8 * 60 + 30, calendar: office, idleDays: 3)
            #expect(try await store.queueDailyDigests(at: shanghai("2026-12-01T09:00:00"), engine: engine, schedule: schedule) == 0)
            #expect(try await outbox(file).isEmpty)
        }
    }
}
