import Foundation
import LeadCore
import Testing

/// `AssignmentDecider` and `ClockDecider` without a database: routing facts from dictionaries, a
/// fixed `now`, and the effects a store would apply checked value by value.
@Suite struct AssignmentDeciderTests {
    static let t0 = Date(timeIntervalSince1970: 1_796_000_000.4)
    static let zhang = Rep(id: RepID("zhang.wei"), name: "张伟", email: EmailAddress(rawValue: "zhang.wei@example.com")!)
    static let he = Rep(id: RepID("he.min"), name: "何敏", email: EmailAddress(rawValue: "he.min@example.com")!,
                        routing: RepRouting(maxOpen: 3))
    static let team = Team(id: TeamID("east"), name: "华东", members: [zhang.id, he.id], supervisor: .rep(zhang.id))
    static let policy = SLAPolicy(
        name: "standard", criteria: [], clock: .wall, calendar: "", firstContactSeconds: 24 * 3_600,
        followUps: FollowUpRule(count: 2, withinSeconds: 3 * 86_400),
        stale: StaleRule(afterSeconds: 7 * 86_400, statuses: [.contacted]),
        ladders: [.firstContact: [EscalationLevel(level: 1, offsetSeconds: -3_600, actions: [.remindOwner])]])

    /// Routing facts from dictionaries; `failing` makes every rotation read throw.
    struct Facts: RoutingFacts {
        var states: [TeamID: TeamState] = [:]
        var loads: [RepID: RepLoad] = [:]
        var owners: [CustomerKey: RepID] = [:]
        var failing = false
        struct ReadFailed: Error {}

        func teamState(_ team: TeamID) throws -> TeamState {
            if failing { throw ReadFailed() }
            return states[team] ?? TeamState()
        }
        func repLoad(_ rep: RepID, dayStart: Date, weekStart: Date) throws -> RepLoad {
            if failing { throw ReadFailed() }
            return loads[rep] ?? RepLoad()
        }
        func latestOwner(_ key: CustomerKey, excluding lead: LeadID) throws -> RepID? { owners[key] }
    }

    static func decider(ownerMatching: Bool = false, welcome: Set<String> = [], sla: Bool = true,
                        members: [Rep] = [zhang, he]) -> AssignmentDecider {
        let rules = ownerMatching ? [RoutingRule(name: "returning", criteria: [], target: .team(team.id), ownerMatching: true)] : []
        var engine = RoutingEngine(table: RoutingTable(rules: rules, defaultTarget: .team(team.id)), reps: members, teams: [team],
                                   sla: sla ? SLAPlan(policies: [policy], calendars: []) : nil)
        engine.notices = AssignmentNotices(notifyOwner: true, welcomeSources: welcome)
        return AssignmentDecider(engine)
    }

    static func draft(company: String? = "上海某某科技", email: String? = "wang@corp.example.cn", source: String? = "website") -> LeadDraft {
        LeadDraft(name: "王先生", company: company, email: email, source: source,
                  origin: LeadOrigin(channel: .webhook, name: "site", key: "k"), receivedAt: t0)
    }

    @Test func aNewLeadGetsAnOwnerTheirClocksAndTheirNotice() throws {
        let effects = try Self.decider().newLead(LeadID(7), draft: Self.draft(), now: Self.t0, facts: Facts())
        let rep = try #require(effects.decision.rep)
        #expect([Self.zhang.id, Self.he.id].contains(rep) && effects.decision.team == Self.team.id)
        #expect(effects.decision.newState?.0 == Self.team.id, "the rotation moves on with the assignment")
        #expect(effects.restart == [.firstContact, .followUps] && !effects.manual)
        #expect(effects.arm.map(\.clock) == [.firstContact, .followUps])
        // Whole seconds, rounded up, from the assignment instant.
        #expect(effects.arm[0].due == Date(timeIntervalSince1970: 1_796_000_001 + 24 * 3_600))
        #expect(effects.arm[0].levels.map(\.level) == [0, 1] && effects.arm[1].need == 2)
        #expect(effects.notices.map(\.kind) == ["lead.assigned"])
        #expect(effects.notices[0].variables["due_utc"] == .text(RFC3339Text.string(effects.arm[0].due)))
        #expect(effects.notices[0].subject.contains("#7 王先生, 上海某某科技"))
    }

    @Test func aHeldLeadArmsNothingAndTellsNoOwnerButTheCustomerIsStillThanked() throws {
        let away = Rep(id: Self.zhang.id, name: "张伟", email: Self.zhang.email, active: false)
        let decider = Self.decider(welcome: ["website"], members: [away])
        let effects = try decider.newLead(LeadID(8), draft: Self.draft(), now: Self.t0, facts: Facts())
        #expect(effects.decision.rep == nil && effects.decision.holdReason != nil)
        #expect(effects.restart.isEmpty && effects.arm.isEmpty)
        #expect(effects.notices.map(\.kind) == ["lead.welcome"])
        #expect(effects.notices[0].recipient.rawValue == "wang@corp.example.cn")
    }

    @Test func ownerMatchingPrefersTheSameAddressWithinTheCompany() throws {
        let decider = Self.decider(ownerMatching: true)
        let key = try #require(CompanyName.key("上海某某科技"))
        var facts = Facts(owners: [.company(key): Self.zhang.id, .email("wang@corp.example.cn"): Self.he.id])
        #expect(try decider.newLead(LeadID(9), draft: Self.draft(), now: Self.t0, facts: facts).decision.rep == Self.he.id)
        facts.owners[.email("wang@corp.example.cn")] = nil
        #expect(try decider.newLead(LeadID(9), draft: Self.draft(), now: Self.t0, facts: facts).decision.rep == Self.zhang.id)
        // No company: the same domain, unless it is a free-mail one.
        let domain = Facts(owners: [.domain("corp.example.cn"): Self.he.id])
        #expect(try decider.newLead(LeadID(9), draft: Self.draft(company: nil), now: Self.t0, facts: domain).decision.rep == Self.he.id)
        let free = Facts(owners: [.domain("qq.com"): Self.he.id])
        let considered = try decider.newLead(LeadID(9), draft: Self.draft(company: nil, email: "wang@qq.com"), now: Self.t0, facts: free)
            .decision.considered
        #expect(!considered.contains { $0.reason == "owner of this customer's earlier lead" })
    }

    @Test func aFailingReadIsAnErrorNeverAnEmptyRotation() {
        #expect(throws: Facts.ReadFailed.self) {
            try Self.decider().newLead(LeadID(7), draft: Self.draft(), now: Self.t0, facts: Facts(failing: true))
        }
    }

    @Test func aHeldLeadIsReleasedOnlyWhenSomeoneIsEligible() throws {
        let full = Facts(loads: [Self.he.id: RepLoad(open: 3)])
        let decider = Self.decider(members: [Self.he])
        #expect(try decider.release(LeadID(5), draft: Self.draft(), now: Self.t0, facts: full) == nil)
        let released = try #require(try decider.release(LeadID(5), draft: Self.draft(), now: Self.t0, facts: Facts()))
        #expect(released.decision.rep == Self.he.id && released.arm.count == 2)
        #expect(released.notices.map(\.kind) == ["lead.assigned"], "no welcome: the customer was thanked at intake")
    }

    @Test func aManualReassignmentRespectsCapsUnlessForced() throws {
        let decider = Self.decider()
        let full = Facts(loads: [Self.he.id: RepLoad(open: 3)])
        #expect(throws: ReassignError.notEligible(Self.he.id, "at max_open 3")) {
            try decider.manual(LeadID(3), draft: Self.draft(), to: Self.he.id, reason: "VIP", force: false, now: Self.t0, facts: full)
        }
        #expect(throws: ReassignError.unknownRep(RepID("nobody"))) {
            try decider.manual(LeadID(3), draft: Self.draft(), to: RepID("nobody"), reason: "x", force: true, now: Self.t0, facts: Facts())
        }
        let forced = try decider.manual(LeadID(3), draft: Self.draft(), to: Self.he.id, reason: "VIP", force: true, now: Self.t0, facts: full)
        #expect(forced.manual && forced.decision.rule == "manual: VIP" && forced.decision.rep == Self.he.id)
        #expect(forced.decision.considered.map(\.reason) == ["forced: at max_open 3"])
        #expect(forced.arm.count == 2 && forced.notices.map(\.kind) == ["lead.assigned"])
    }

    @Test func withoutSLAPoliciesAnAssignmentLeavesTheClocksAlone() throws {
        let effects = try Self.decider(sla: false).newLead(LeadID(7), draft: Self.draft(), now: Self.t0, facts: Facts())
        #expect(effects.decision.rep != nil && effects.restart.isEmpty && effects.arm.isEmpty)
    }

    @Test func moreNoticesForOneRecipientThanTheThresholdFoldIntoOneDigest() {
        let to = Self.zhang.email
        let notices = (1...4).map { SLANotice(kind: .warning, recipient: to, lead: LeadID(Int64($0)), subject: "s\($0)", body: "b") }
            + [SLANotice(kind: .supervisor, recipient: Self.he.email, lead: LeadID(1), subject: "sup", body: "b")]
        let decider = Self.decider()
        let folded = decider.outbox(notices, digestThreshold: 3)
        #expect(folded.filter { $0.recipient == to }.map(\.kind) == ["sla.digest"])
        #expect(folded.filter { $0.recipient == Self.he.email }.map(\.kind) == ["sla.supervisor"])
        #expect(decider.outbox(notices, digestThreshold: 4).filter { $0.recipient == to }.count == 4)
    }

    @Test func theStaleClockRunsOnlyInCheckedStatuses() {
        let clocks = ClockDecider(SLAPlan(policies: [Self.policy], calendars: []))
        let at = Self.t0
        #expect(clocks.staleClock(Self.draft(), team: nil, status: .new, from: at) == nil)
        let stale = clocks.staleClock(Self.draft(), team: nil, status: .contacted, from: at)
        #expect(stale?.clock == .stale && stale?.due == Date(timeIntervalSince1970: 1_796_000_001 + 7 * 86_400))
        #expect(ClockDecider(nil).staleClock(Self.draft(), team: nil, status: .contacted, from: at) == nil)
        #expect(!clocks.statusChangeIsContact(Self.draft(), team: nil))
    }

    @Test func aRescheduledRowKeepsItsLevelOrIsDroppedWhenUnconfigured() {
        let clocks = ClockDecider(SLAPlan(policies: [Self.policy], calendars: []))
        #expect(clocks.rescheduled(clock: .firstContact, policy: "standard", level: 1, start: Self.t0)?.due
                == Date(timeIntervalSince1970: 1_796_000_001 + 23 * 3_600))
        #expect(clocks.rescheduled(clock: .firstContact, policy: "standard", level: 5, start: Self.t0) == nil)
        #expect(clocks.rescheduled(clock: .firstContact, policy: "gone", level: 0, start: Self.t0) == nil)
    }
}
