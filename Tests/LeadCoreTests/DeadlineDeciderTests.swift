import Foundation
import LeadCore
import Testing

/// `DeadlineDecider` without a database: a loaded lead, the routing engine, rotation reads as
/// closures and a fixed `now`. Each escalation action, the breach, cancellation, and reassignment
/// with and without someone eligible.
@Suite struct DeadlineDeciderTests {
    static let t0 = Date(timeIntervalSince1970: 1_796_000_000)
    static let zhang = Rep(id: RepID("zhang.wei"), name: "张伟", email: EmailAddress(rawValue: "zhang.wei@example.com")!)
    static let li = Rep(id: RepID("li.na"), name: "李娜", email: EmailAddress(rawValue: "li.na@example.com")!)
    static let he = Rep(id: RepID("he.min"), name: "何敏", email: EmailAddress(rawValue: "he.min@example.com")!)
    static let ops = EmailAddress(rawValue: "ops@example.com")!

    static let policy = SLAPolicy(
        name: "standard", criteria: [], clock: .wall, calendar: "", firstContactSeconds: 24 * 3_600,
        ladders: [.firstContact: [
            EscalationLevel(level: 1, offsetSeconds: -2 * 3_600, actions: [.remindOwner]),
            EscalationLevel(level: 2, offsetSeconds: 0, actions: [.remindOwner, .notifySupervisor, .notify([ops])]),
            EscalationLevel(level: 3, offsetSeconds: 4 * 3_600, actions: [.reassign]),
        ]])

    static func engine(members: [RepID]) -> RoutingEngine {
        let team = Team(id: TeamID("east"), name: "华东", members: members, supervisor: .rep(li.id))
        return RoutingEngine(table: RoutingTable(rules: [], defaultTarget: .team(team.id)), reps: [zhang, li, he], teams: [team],
                             sla: SLAPlan(policies: [policy], calendars: []))
    }

    static func input(level: Int, status: LeadStatus = .new, at due: Date) -> DueDeadlineInput {
        let lead = Lead(id: LeadID(7), draft: LeadDraft(name: "王先生", company: "上海某某科技", email: "wang@example.cn",
                                                         origin: LeadOrigin(channel: .webhook, name: "site", key: "k"), receivedAt: t0),
                        status: status, owner: zhang.id, team: TeamID("east"), createdAt: t0, updatedAt: t0)
        return DueDeadlineInput(due: DueDeadline(id: 1, lead: LeadID(7), clock: .firstContact, cycle: 1, level: level,
                                                 policy: "standard", dueAt: due),
                                lead: lead, deadline: t0.addingTimeInterval(24 * 3_600))
    }

    func decide(_ input: DueDeadlineInput, members: [RepID] = [zhang.id, he.id], now: Date) -> DeadlineEffects {
        DeadlineDecider.decide(input, engine: Self.engine(members: members), now: now, state: { _ in TeamState() }, load: { _ in RepLoad() })
    }

    @Test func aWarningRemindsTheOwnerOnly() {
        let due = Self.t0.addingTimeInterval(22 * 3_600)
        let effects = decide(Self.input(level: 1, at: due), now: due.addingTimeInterval(5))
        #expect(effects.claim == .escalate && effects.decision.kind == .warning)
        #expect(effects.notices.map(\.kind) == [.warning] && effects.notices[0].recipient == Self.zhang.email)
        #expect(effects.escalation?.actions == "remind_owner" && effects.escalation?.lateMilliseconds == 5_000)
        #expect(effects.reassignment == nil && effects.event.kind == "sla.warning" && effects.event.data["outcome"] == "decided")
    }

    @Test func theDeadlineItselfIsABreachWithoutMail() {
        let due = Self.t0.addingTimeInterval(24 * 3_600)
        let effects = decide(Self.input(level: 0, at: due), now: due)
        #expect(effects.claim == .breach && effects.decision.kind == .breach)
        #expect(effects.notices.isEmpty && effects.escalation == nil && effects.event.kind == "sla.breach")
        #expect(effects.event.rep == Self.zhang.id)
    }

    @Test func anEscalationTellsOwnerSupervisorAndTheListWithTheOwnerInCopy() {
        let due = Self.t0.addingTimeInterval(24 * 3_600)
        let effects = decide(Self.input(level: 2, at: due), now: due.addingTimeInterval(3_600))
        #expect(effects.decision.kind == .escalation)
        #expect(effects.notices.map(\.kind) == [.overdue, .supervisor, .notify])
        #expect(effects.notices.map(\.recipient) == [Self.zhang.email, Self.li.email, Self.ops])
        #expect(effects.notices[1].cc == [Self.zhang.email])
        #expect(effects.notices[0].variables["lead_title"] == .text("王先生, 上海某某科技"))
        #expect(effects.decision.notices == 3)
    }

    @Test func aReassignLevelMovesTheLeadToAnotherEligibleRep() {
        let due = Self.t0.addingTimeInterval(28 * 3_600)
        let effects = decide(Self.input(level: 3, at: due), now: due)
        #expect(effects.reassignment?.decision.rep == Self.he.id && effects.decision.reassignedTo == Self.he.id)
        // The new owner's clocks start again from now (the ladder with them); the reassignment
        // notices below tell both owners, so no separate "new lead" mail.
        #expect(effects.reassignment?.restart == [.firstContact, .followUps])
        #expect(effects.reassignment?.arm.map(\.clock) == [.firstContact])
        #expect(effects.reassignment?.arm.first?.due == due.addingTimeInterval(24 * 3_600))
        #expect(effects.reassignment?.arm.first?.levels.map(\.level) == [0, 1, 2, 3])
        #expect(effects.reassignment?.notices.isEmpty == true)
        #expect(effects.outcome == "reassigned to he.min")
        #expect(effects.notices.map(\.kind) == [.reassignedAway, .reassignedTo])
        #expect(effects.notices.map(\.recipient) == [Self.zhang.email, Self.he.email])
    }

    @Test func aReassignLevelWithNobodyElseEligibleKeepsTheOwnerAndSaysSo() {
        let due = Self.t0.addingTimeInterval(28 * 3_600)
        let effects = decide(Self.input(level: 3, at: due), members: [Self.zhang.id], now: due)
        #expect(effects.reassignment == nil && effects.decision.reassignedTo == nil)
        #expect(effects.outcome == "reassign: nobody else eligible; the lead stays with zhang.wei")
        #expect(effects.notices.isEmpty && effects.claim == .escalate, "still recorded as decided: never retried")
    }

    @Test func aClosedLeadOrARemovedLevelIsCancelled() {
        let due = Self.t0.addingTimeInterval(24 * 3_600)
        let closed = decide(Self.input(level: 2, status: .converted, at: due), now: due)
        #expect(closed.claim == .cancel && closed.decision.kind == .cancelled && closed.notices.isEmpty)
        #expect(closed.event.data["reason"] == "the lead is converted")
        let removed = decide(Self.input(level: 9, at: due), now: due)
        #expect(removed.claim == .cancel && removed.decision.detail == "level 9 of first_contact is no longer configured")
    }

    @Test func manyNoticesForOneRecipientFoldIntoADigest() {
        let due = Self.t0.addingTimeInterval(24 * 3_600)
        let notices = (0..<12).flatMap { _ in decide(Self.input(level: 2, at: due), now: due).notices }
        let folded = SLANotices.combine(notices, threshold: 10)
        // 12 each for the owner, the supervisor and ops: one digest each, in first-seen order.
        #expect(folded.map(\.kind) == [.digest, .digest, .digest])
        #expect(folded.map(\.recipient) == [Self.zhang.email, Self.li.email, Self.ops])
        #expect(folded[0].variables["count"] == .text("12"))
        #expect(SLANotices.combine(Array(notices.prefix(9)), threshold: 10) == Array(notices.prefix(9)), "under the threshold: unchanged")
    }
}
