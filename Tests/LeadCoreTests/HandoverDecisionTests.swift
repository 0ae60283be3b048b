import Foundation
import LeadCore
import Testing

/// The handover decision without a store: who gets a leaving rep's lead, and what `--to` means.
@Suite struct HandoverDecisionTests {
    typealias Facts = AssignmentDeciderTests.Facts
    static let t0 = AssignmentDeciderTests.t0
    static let zhang = AssignmentDeciderTests.zhang, he = AssignmentDeciderTests.he
    static let li = Rep(id: RepID("li.na"), name: "李娜", email: EmailAddress(rawValue: "li.na@example.com")!)
    static var engine: RoutingEngine {
        let team = Team(id: TeamID("east"), name: "华东", members: [zhang.id, he.id, li.id], supervisor: .rep(zhang.id))
        let both = Team(id: TeamID("li.na"), name: "同名", members: [li.id], supervisor: .rep(li.id))
        var engine = RoutingEngine(table: RoutingTable(rules: [], defaultTarget: .team(team.id)), reps: [zhang, he, li], teams: [team, both])
        engine.notices = AssignmentNotices(notifyOwner: true)
        return engine
    }

    @Test func theLeavingRepIsNeverChosenAndTheRuleNamesTheHandover() throws {
        let decider = AssignmentDecider(Self.engine)
        let effects = try #require(try decider.handover(LeadID(1), draft: AssignmentDeciderTests.draft(), team: TeamID("east"), from: Self.zhang.id,
                                                        to: .ownTeams, reason: "离职", force: false, now: Self.t0, facts: Facts()))
        #expect(effects.decision.rep == Self.he.id && effects.decision.rule == "handover: 离职" && effects.manual)
        #expect(effects.decision.considered.allSatisfy { $0.rep != Self.zhang.id })
        #expect(effects.notices.count == 1, "the new owner is told")
    }

    @Test func capsHoldUnlessForced() throws {
        let decider = AssignmentDecider(Self.engine)
        let facts = Facts(loads: [Self.he.id: RepLoad(open: 3)])   // he.min: max_open 3
        let refused = try decider.handover(LeadID(1), draft: AssignmentDeciderTests.draft(), team: nil, from: Self.zhang.id, to: .rep(Self.he.id),
                                           reason: "x", force: false, now: Self.t0, facts: facts)
        #expect(refused == nil)
        let forced = try decider.handover(LeadID(1), draft: AssignmentDeciderTests.draft(), team: nil, from: Self.zhang.id, to: .rep(Self.he.id),
                                          reason: "x", force: true, now: Self.t0, facts: facts)
        #expect(forced?.decision.rep == Self.he.id && forced?.decision.considered.first?.reason == "forced: at max_open 3")
        // A team whose only other eligible member is full: nobody, unless forced past the cap.
        let full = Facts(loads: [Self.he.id: RepLoad(open: 3)])
        var engine = Self.engine
        engine.reps[Self.li.id]?.active = false
        let team = AssignmentDecider(engine)
        #expect(try team.handover(LeadID(1), draft: AssignmentDeciderTests.draft(), team: TeamID("east"), from: Self.zhang.id, to: .ownTeams,
                                  reason: "x", force: false, now: Self.t0, facts: full) == nil)
        #expect(try team.handover(LeadID(1), draft: AssignmentDeciderTests.draft(), team: TeamID("east"), from: Self.zhang.id, to: .ownTeams,
                                  reason: "x", force: true, now: Self.t0, facts: full)?.decision.rep == Self.he.id)
    }

    @Test func aTargetNamesExactlyOneRepOrTeam() {
        let engine = Self.engine
        #expect(HandoverTarget.parse(nil, engine: engine) == .success(.ownTeams))
        #expect(HandoverTarget.parse("he.min", engine: engine) == .success(.rep(Self.he.id)))
        #expect(HandoverTarget.parse("east", engine: engine) == .success(.team(TeamID("east"))))
        #expect(HandoverTarget.parse("li.na", engine: engine) == .failure(.ambiguous("li.na")))
        #expect(HandoverTarget.parse("team:li.na", engine: engine) == .success(.team(TeamID("li.na"))))
        #expect(HandoverTarget.parse("rep:nobody", engine: engine) == .failure(.unknownTarget("rep:nobody")))
        #expect(HandoverTarget.parse("west", engine: engine) == .failure(.unknownTarget("west")))
    }
}

/// Channel notices from the core: a rung's channels and a team's channel, owner @-mentioned.
@Suite struct ChannelNoticeTests {
    @Test func aRungsChannelsGetTheNoticeWithTheOwnersMobile() {
        var zhang = AssignmentDeciderTests.zhang
        zhang.mobile = "+8613800138000"
        let team = Team(id: TeamID("east"), name: "华东", members: [zhang.id], supervisor: .rep(zhang.id))
        let engine = RoutingEngine(table: RoutingTable(rules: [], defaultTarget: .team(team.id)), reps: [zhang], teams: [team])
        let facts = SLANoticeFacts(lead: LeadID(9), title: "王先生", policy: "standard", clock: .firstContact, level: 2,
                                   dueAt: AssignmentDeciderTests.t0, overdueSeconds: 120, lateSeconds: 0)
        let level = EscalationLevel(level: 2, offsetSeconds: 0, actions: [.remindOwner], channels: ["east-wecom", "crm-ding"])
        let notices = SLANotices.notices(for: level, facts: facts, owner: zhang.id, team: team.id, engine: engine)
        #expect(notices.map(\.channel) == [nil, "east-wecom", "crm-ding"])
        #expect(notices.dropFirst().allSatisfy { $0.mentions == ["+8613800138000"] && $0.kind == .overdue && $0.subject.contains("已超时") })
        // Never folded into a mail digest, however many.
        let many = Array(repeating: notices[1], count: 30)
        #expect(SLANotices.combine(many, threshold: 5).count == 30)
    }

    @Test func aTeamChannelGetsEachNewLeadsNotice() throws {
        var zhang = AssignmentDeciderTests.zhang
        zhang.mobile = "+8613800138000"
        var team = Team(id: TeamID("east"), name: "华东", members: [zhang.id], supervisor: .rep(zhang.id))
        team.channel = "east-wecom"
        var engine = RoutingEngine(table: RoutingTable(rules: [], defaultTarget: .team(team.id)), reps: [zhang], teams: [team])
        engine.notices = AssignmentNotices(notifyOwner: true)
        let effects = try AssignmentDecider(engine).newLead(LeadID(3), draft: AssignmentDeciderTests.draft(), now: AssignmentDeciderTests.t0,
                                                            facts: AssignmentDeciderTests.Facts())
        #expect(effects.notices.map(\.channel) == [nil, "east-wecom"])
        #expect(effects.notices[1].mentions == ["+8613800138000"] && effects.notices[1].body.contains("负责人 owner: 张伟"))
    }
}
