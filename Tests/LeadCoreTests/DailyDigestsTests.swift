import Foundation
import LeadCore
import Testing

/// The daily to-do mail built from loaded rows, without a store.
@Suite struct DailyDigestsTests {
    let zhang = Rep(id: RepID("zhang.wei"), name: "张伟", email: EmailAddress(rawValue: "zhang.wei@example.com")!)
    let li = Rep(id: RepID("li.na"), name: "李娜", email: EmailAddress(rawValue: "li.na@example.com")!)
    var engine: RoutingEngine {
        RoutingEngine(table: RoutingTable(rules: [], defaultTarget: .team(TeamID("east"))), reps: [zhang, li],
                      teams: [Team(id: TeamID("east"), name: "华东", members: [zhang.id], supervisor: .rep(li.id))])
    }
    let schedule = DailyDigestSchedule(minuteOfDay: 510, calendar: BusinessCalendar(id: "cn", zone: "Asia/Shanghai", periods: [:], always: true), idleDays: 3)
    let day = (key: 2026_12_01, start: Date(timeIntervalSince1970: 1_796_054_400), end: Date(timeIntervalSince1970: 1_796_140_800))

    @Test func everyRepThenEachSupervisorGetsOne() {
        let recipients = DailyDigests.recipients(engine)
        #expect(recipients.map(\.key) == ["rep:li.na", "rep:zhang.wei", "team:east"])
        #expect(recipients.last?.address == li.email && recipients.last?.name == "李娜")
    }

    @Test func nothingToListMeansNoMailAndRowsAreListedInTheRecipientsZone() throws {
        let rep = try #require(DailyDigests.recipients(engine).first { $0.rep == zhang.id })
        #expect(DailyDigests.notice(for: rep, day: day, facts: .init(dueToday: [], overdue: [], idle: []), engine: engine, schedule: schedule) == nil)
        let due = DailyDigests.Row(lead: LeadID(7), name: "王先生", company: "上海某某科技", owner: zhang.id, status: "new",
                                   clock: .firstContact, dueAt: day.start.addingTimeInterval(10 * 3_600))
        let notice = try #require(DailyDigests.notice(for: rep, day: day, facts: .init(dueToday: [due], overdue: [], idle: []),
                                                      engine: engine, schedule: schedule))
        #expect(notice.kind == "digest.daily" && notice.recipient == zhang.email)
        #expect(notice.subject == "[leadrouter] To-do 今日待办 2026-12-01: 1 due, 0 overdue")
        #expect(notice.body.contains("- #7 王先生, 上海某某科技 first_contact 2026-12-01 10:00"))
        #expect(notice.variables["due_today_count"] == .text("1"))
    }

    @Test func aSupervisorHearsAboutYesterdaysBreachesEvenWithNothingElse() throws {
        let team = try #require(DailyDigests.recipients(engine).first { $0.team != nil })
        let notice = try #require(DailyDigests.notice(for: team, day: day, facts: .init(dueToday: [], overdue: [], idle: [], breachesYesterday: 2),
                                                      engine: engine, schedule: schedule))
        #expect(notice.kind == "digest.daily_team" && notice.body.contains("breaches yesterday 昨日超时: 2"))
        #expect(notice.variables["team_name"] == .text("华东"))
    }

    /// A team with a channel gets its to-do in the group too, the owners of overdue leads
    /// @-mentioned; a rep's own to-do stays mail only.
    @Test func aTeamsChannelGetsTheToDoMentioningOwnersOfOverdueLeads() throws {
        var engine = engine
        engine.teams[TeamID("east")]?.channel = "east-wecom"
        engine.reps[zhang.id]?.mobile = "+8613800138000"
        engine.reps[li.id]?.mobile = "+8613900139000"
        let overdue = DailyDigests.Row(lead: LeadID(7), name: "王先生", company: nil, owner: zhang.id, status: "new",
                                       clock: .firstContact, dueAt: day.start.addingTimeInterval(-3_600))
        let facts = DailyDigests.Facts(dueToday: [], overdue: [overdue], idle: [], breachesYesterday: 1)
        let team = try #require(DailyDigests.recipients(engine).first { $0.team != nil })
        let notices = DailyDigests.notices(for: team, day: day, facts: facts, engine: engine, schedule: schedule)
        #expect(notices.map(\.channel) == [nil, "east-wecom"])
        #expect(notices.last?.mentions == ["+8613800138000"] && notices.last?.kind == "digest.daily_team")
        #expect(notices.last?.body == notices.first?.body)
        let rep = try #require(DailyDigests.recipients(engine).first { $0.rep == zhang.id })
        #expect(DailyDigests.notices(for: rep, day: day, facts: facts, engine: engine, schedule: schedule).map(\.channel) == [nil])
        #expect(DailyDigests.notices(for: team, day: day, facts: .init(dueToday: [], overdue: [], idle: [], breachesYesterday: 0),
                                     engine: engine, schedule: schedule).isEmpty)
    }
}

