import Foundation
import LeadCore
import Testing

/// The pure SLA plan: when each row of a clock falls due, and what a due row means.
@Suite struct SLAPlanTests {
    let policy = SLAPolicy(name: "key", criteria: [], clock: .business, calendar: "cn", firstContactSeconds: 4 * 3_600,
                           ladders: [.firstContact: [EscalationLevel(level: 1, offsetSeconds: -2 * 3_600, actions: [.remindOwner]),
                                                     EscalationLevel(level: 2, offsetSeconds: 3_600, actions: [.notifySupervisor])]])

    @Test func ladderOffsetsCountBusinessTimeAcrossTheWeekend() {
        let plan = SLAPlan(policies: [policy], calendars: [china])
        let rows = plan.schedule(.firstContact, policy: policy, from: iso("2026-11-27T17:00:00+08:00"))   // Friday 17:00
        #expect(rows == [
            ScheduledDeadline(level: 0, due: iso("2026-11-30T12:00:00+08:00")),   // 1 h Friday + 3 h Monday morning
            ScheduledDeadline(level: 1, due: iso("2026-11-30T10:00:00+08:00")),   // warning two business hours before
            ScheduledDeadline(level: 2, due: iso("2026-11-30T14:30:00+08:00")),   // an hour after, across lunch
        ])
        #expect(plan.remaining(policy, from: iso("2026-11-28T10:00:00+08:00"), to: rows[0].due) == 3 * 3_600, "Saturday counts nothing")
        #expect(plan.remaining(policy, from: iso("2026-11-30T14:00:00+08:00"), to: rows[0].due) == -30 * 60)
    }

    @Test func aWallClockCountsEverySecond() {
        var wall = policy
        wall.clock = .wall
        let plan = SLAPlan(policies: [wall], calendars: [])
        let start = iso("2026-11-27T17:00:00+08:00")
        #expect(plan.schedule(.firstContact, policy: wall, from: start).map(\.due) == [start + 14_400, start + 7_200, start + 18_000])
        #expect(plan.schedule(.followUps, policy: wall, from: start).isEmpty, "no follow-up rule, no rows")
    }

    @Test func verdictsFollowTheLeadAndTheConfiguration() {
        let plan = SLAPlan(policies: [policy], calendars: [china])
        func due(level: Int, policy: String = "key", clock: SLAClock = .firstContact) -> DueDeadline {
            DueDeadline(id: 1, lead: LeadID(1), clock: clock, cycle: 1, level: level, policy: policy, dueAt: Date())
        }
        let open = LeadSituation(owner: RepID("a"), team: nil, status: .new, title: "")
        #expect(plan.verdict(for: due(level: 0), lead: open) == .breach)
        #expect(plan.verdict(for: due(level: 1), lead: open) == .escalate(policy.ladder(.firstContact)[0]))
        #expect(plan.verdict(for: due(level: 9), lead: open) == .cancel("level 9 of first_contact is no longer configured"))
        #expect(plan.verdict(for: due(level: 1, policy: "gone"), lead: open) == .cancel("SLA policy \"gone\" is no longer configured"))
        var closed = open
        closed.status = .converted
        #expect(plan.verdict(for: due(level: 0), lead: closed) == .cancel("the lead is converted"))
    }

    @Test func noticesGoToTheOwnerAndTheSupervisorWithTheOwnerCopied() {
        let a = Rep(id: RepID("a"), name: "A", email: EmailAddress(rawValue: "a@x.cn")!)
        let team = Team(id: TeamID("t"), name: "T", members: [a.id], supervisor: .address(EmailAddress(rawValue: "boss@x.cn")!))
        let engine = RoutingEngine(table: RoutingTable(rules: [], defaultTarget: .team(team.id)), reps: [a], teams: [team])
        let facts = SLANoticeFacts(lead: LeadID(7), title: "王先生", policy: "key", clock: .firstContact, level: 2,
                                   dueAt: Date(), overdueSeconds: 3_600, lateSeconds: 0)
        let level = EscalationLevel(level: 2, offsetSeconds: 3_600, actions: [.remindOwner, .notifySupervisor,
                                                                              .notify([EmailAddress(rawValue: "ops@x.cn")!]), .reassign])
        let notices = SLANotices.notices(for: level, facts: facts, owner: a.id, team: team.id, engine: engine)
        #expect(notices.map(\.kind) == [.overdue, .supervisor, .notify])
        #expect(notices.map(\.recipient.rawValue) == ["a@x.cn", "boss@x.cn", "ops@x.cn"])
        #expect(notices[1].cc.map(\.rawValue) == ["a@x.cn"])
        #expect(notices[0].body.contains("overdue by 1h"))
        let folded = SLANotices.combine(Array(repeating: notices[0], count: 3) + [notices[2]], threshold: 2)
        #expect(folded.map(\.kind) == [.digest, .notify])
    }
}
