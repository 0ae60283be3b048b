import Foundation

/// Every decision that gives a lead an owner, and every SLA decision on a due deadline: pure,
/// given `now` and what the store reads (`RoutingFacts`) inside the transaction that then applies
/// the returned effects. Stores see this, never the routing engine or the SLA plan behind it.
public struct AssignmentDecider: Sendable {
    let engine: RoutingEngine

    public init(_ engine: RoutingEngine) { self.engine = engine }

    /// The clock decisions under the same SLA plan.
    public var clocks: ClockDecider { ClockDecider(engine: engine) }

    /// A new lead (from intake, or once its details arrived): owner matching, then the rules and
    /// the team's strategy; the new owner's clocks and "new lead" notice, and the customer's
    /// acknowledgement for opted-in sources (held or not).
    public func newLead(_ lead: LeadID, draft: LeadDraft, now: Date, facts: any RoutingFacts) throws -> AssignmentEffects {
        let owner = try engine.ownerHint(for: draft, lead: lead, facts: facts)
        let reader = FactReader(facts, engine: engine, now: now)
        let decision = engine.route(draft, state: reader.state, load: reader.load, ownerHint: owner, now: now)
        try reader.check()
        var effects = assigned(decision, lead: lead, draft: draft, now: now, notifyOwner: true)
        if let welcome = AssignmentMail.welcome(decision, lead: lead, draft: draft, engine: engine, at: now) {
            effects.notices.append(welcome)
        }
        let routed = Lead(id: lead, draft: draft, status: .new, owner: decision.rep, team: decision.team, createdAt: now, updatedAt: now)
        effects.notices += OutboundEvents.notices("lead.created", lead: routed,
                                                  extra: ["held": .flag(decision.rep == nil), "rule": .text(decision.rule)], engine: engine)
        if decision.rep != nil { effects.notices += event("lead.assigned", decision, lead: lead, draft: draft, now: now) }
        return effects
    }

    /// A held lead tried again; nil while nobody is eligible (the lead stays held, nothing to write).
    public func release(_ lead: LeadID, draft: LeadDraft, now: Date, facts: any RoutingFacts) throws -> AssignmentEffects? {
        let reader = FactReader(facts, engine: engine, now: now)
        let decision = engine.route(draft, state: reader.state, load: reader.load, now: now)
        try reader.check()
        guard decision.rep != nil else { return nil }
        var effects = assigned(decision, lead: lead, draft: draft, now: now, notifyOwner: true)
        effects.notices += event("lead.assigned", decision, lead: lead, draft: draft, now: now)
        return effects
    }

    /// An admin's reassignment (rule `manual: REASON`): caps, leave and shifts are respected
    /// unless `force`; the lead goes to the rep's first team (by id) when they have one.
    public func manual(_ lead: LeadID, draft: LeadDraft, to rep: RepID, reason: String, force: Bool, now: Date,
                       facts: any RoutingFacts) throws -> AssignmentEffects {
        guard engine.reps[rep] != nil else { throw ReassignError.unknownRep(rep) }
        let reader = FactReader(facts, engine: engine, now: now)
        let why = engine.ineligibility(rep, team: nil, load: reader.load(rep), now: now)
        try reader.check()
        if let why, !force { throw ReassignError.notEligible(rep, why) }
        let team = engine.teams.values.filter { $0.members.contains(rep) }.map(\.id).sorted().first
        let decision = RoutingDecision(
            rule: "manual: \(reason)", rulesTried: [], team: team, strategy: nil,
            considered: [RoutingCandidate(rep: rep, eligible: why == nil, reason: why.map { "forced: \($0)" } ?? "chosen by an admin")],
            rep: rep, holdReason: nil, teamsTried: [], newState: nil)
        var effects = assigned(decision, lead: lead, draft: draft, now: now, notifyOwner: true)
        effects.manual = true
        effects.notices += event("lead.reassigned", decision, lead: lead, draft: draft, now: now)
        return effects
    }

    /// The webhook event of an assignment: the lead with its new owner, and the rule.
    func event(_ type: String, _ decision: RoutingDecision, lead: LeadID, draft: LeadDraft, now: Date, from: RepID? = nil) -> [QueuedNotice] {
        let moved = Lead(id: lead, draft: draft, status: .new, owner: decision.rep, team: decision.team, createdAt: now, updatedAt: now)
        var extra: [String: EventValue] = ["rule": .text(decision.rule)]
        if let from { extra["from"] = .text(from.rawValue) }
        return OutboundEvents.notices(type, lead: moved, extra: extra, statusKnown: type != "lead.reassigned", engine: engine)
    }

    /// One due deadline row (`DeadlineDecider`), with the rotation read through `facts` for a
    /// reassign level.
    public func deadline(_ input: DueDeadlineInput, now: Date, facts: any RoutingFacts) throws -> DeadlineEffects {
        let reader = FactReader(facts, engine: engine, now: now)
        let effects = DeadlineDecider.decide(input, engine: engine, now: now, state: reader.state, load: reader.load)
        try reader.check()
        return effects
    }

    /// A scheduler pass's notices as outbox rows: more than `digestThreshold` for one recipient
    /// become one digest.
    public func outbox(_ notices: [SLANotice], digestThreshold: Int) -> [QueuedNotice] {
        SLANotices.combine(notices, threshold: digestThreshold).map(\.queued)
    }

    /// A decision's effects: an assigned lead's clocks restart for its owner (and the owner is
    /// told, unless `notifyOwner` is false: a reassignment's own notices tell both owners).
    func assigned(_ decision: RoutingDecision, lead: LeadID, draft: LeadDraft, now: Date, notifyOwner: Bool) -> AssignmentEffects {
        var effects = AssignmentEffects(decision: decision)
        guard decision.rep != nil else { return effects }
        let clocks = self.clocks
        if clocks.restartsOnAssignment {
            effects.restart = [.firstContact, .followUps]
            effects.arm = clocks.onAssignment(draft, team: decision.team, at: now)
        }
        if notifyOwner, let notice = AssignmentMail.ownerNotice(decision, lead: lead, draft: draft, clocks: effects.arm, engine: engine, at: now) {
            effects.notices.append(notice)
            if let team = AssignmentMail.teamChannelNotice(notice, decision: decision, engine: engine) { effects.notices.append(team) }
        }
        return effects
    }
}
