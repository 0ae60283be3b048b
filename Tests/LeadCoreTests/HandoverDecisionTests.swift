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
