import Foundation

/// What the store read for one due deadline row, in the deciding transaction.
public struct DueDeadlineInput: Hashable, Sendable {
    public var due: DueDeadline
    /// The lead as it stands now (an earlier decision of the same batch may have moved it).
    public var lead: Lead
    /// The deadline proper (level 0 of the same clock and cycle); `due.dueAt` when not found.
    public var deadline: Date

    public init(due: DueDeadline, lead: Lead, deadline: Date? = nil) {
        self.due = due; self.lead = lead; self.deadline = deadline ?? due.dueAt
    }
}

/// Everything deciding one due deadline asks of the store, applied in this order in the same
/// transaction: claim the row (only a pending row; otherwise nothing else happens), record the
/// escalation (once per lead, clock, cycle and level; when it was recorded before, nothing else
/// happens), apply the reassignment, note the outcome, append the event, queue the notices.
public struct DeadlineEffects: Hashable, Sendable {
    public enum Claim: String, Hashable, Sendable {
        /// `cancelled`, resolved now.
        case cancel
        /// `missed`, left unresolved until a contact or a re-arm ends it (a breach).
        case breach
        /// `missed`, resolved now (a ladder level acted).
        case escalate

        /// The row's new state.
        public var state: DeadlineState { self == .cancel ? .cancelled : .missed }
        /// Whether the row is resolved now (a breach stays open).
        public var resolvesNow: Bool { self != .breach }
    }

    /// One `escalations` row: the proof a level was decided, and its once-only key.
    public struct Escalation: Hashable, Sendable {
        public var actions: String
        public var lateMilliseconds: Int64
        public var owner: RepID?
    }

    /// An audit event.
    public struct Event: Hashable, Sendable {
        public var kind: String
        public var rep: RepID?
        public var data: [String: String]
    }

    public var claim: Claim
    public var escalation: Escalation?
    /// The new owner and the clocks re-armed for them (no "new lead" mail: the notices tell both).
    public var reassignment: AssignmentEffects?
    /// What a reassign level did, for `escalations.outcome`.
    public var outcome: String?
    public var event: Event
    public var notices: [SLANotice]
    /// For logs and metrics once applied.
    public var decision: SLADecision
}

/// Decides one due deadline: pure, given the loaded lead, the routing engine, the rotation reads
/// (for a reassign level) and `now`. The store claims, records and queues what this returns.
public enum DeadlineDecider {
    public static func decide(_ input: DueDeadlineInput, engine: RoutingEngine, now: Date,
                              state: (TeamID) -> TeamState, load: (RepID) -> RepLoad) -> DeadlineEffects {
        let plan = engine.sla ?? SLAPlan(policies: [], calendars: [])
        let due = input.due, lead = input.lead
        let title = [lead.draft.name, lead.draft.company].compactMap { $0 }.joined(separator: ", ")
        let situation = LeadSituation(owner: lead.owner, team: lead.team, status: lead.status, title: title)
        let late = max(0, now.timeIntervalSince(due.dueAt))
        var decision = SLADecision(kind: .cancelled, lead: due.lead, policy: due.policy, clock: due.clock, cycle: due.cycle,
                                   level: due.level, dueAt: due.dueAt, lateSeconds: late)
        var data = ["clock": due.clock.rawValue, "policy": due.policy, "cycle": String(due.cycle), "level": String(due.level),
                    "due_at": String(Int64(due.dueAt.timeIntervalSince1970)), "late_ms": String(Int64(late * 1000))]

        switch plan.verdict(for: due, lead: situation) {
        case .cancel(let reason):
            decision.detail = reason
            data["reason"] = reason
            return DeadlineEffects(claim: .cancel, event: .init(kind: "sla.cancelled", rep: nil, data: data), notices: [], decision: decision)
        case .breach:
            decision.kind = .breach
            let events = OutboundEvents.notices("sla.breached", lead: lead, extra: slaExtra(due), engine: engine)
            return DeadlineEffects(claim: .breach, event: .init(kind: "sla.breach", rep: lead.owner, data: data), notices: events.map(SLANotice.init),
                                   decision: decision)
        case .escalate(let level):
            decision.kind = level.isWarning ? .warning : .escalation
            decision.actions = level.actions.map(\.description)
            let policy = plan.policy(named: due.policy)
            let overdue = policy.map { -plan.remaining($0, from: now, to: input.deadline) } ?? Int64(now.timeIntervalSince(input.deadline))
            let zone = policy.flatMap { plan.calendars[$0.calendar]?.zone } ?? engine.defaultZone
            let facts = SLANoticeFacts(lead: due.lead, title: title, policy: due.policy, clock: due.clock, level: due.level,
                                       dueAt: input.deadline, overdueSeconds: overdue, lateSeconds: Int64(late), zone: zone,
                                       leadVariables: NoticeVariables.of(lead, engine: engine))
            var notices = SLANotices.notices(for: level, facts: facts, owner: lead.owner, team: lead.team, engine: engine)
            var extra = slaExtra(due)
            extra["actions"] = .text(level.actions.map(\.description).joined(separator: " "))
            notices += OutboundEvents.notices(level.isWarning ? "sla.warning" : "sla.escalated", lead: lead, extra: extra, engine: engine)
                .map(SLANotice.init)
            var reassignment: AssignmentEffects?
            var outcome: String?
            if level.actions.contains(.reassign) {
                if let moved = engine.reassignment(from: lead.owner, team: lead.team, state: state, load: load, now: now), let rep = moved.rep {
                    reassignment = AssignmentDecider(engine).assigned(moved, lead: due.lead, draft: lead.draft, now: now, notifyOwner: false)
                    notices += SLANotices.reassigned(facts: facts, from: lead.owner, to: rep, engine: engine)
                    var reassigned = lead
                    reassigned.owner = rep
                    reassigned.team = moved.team ?? lead.team
                    var extra: [String: EventValue] = ["rule": .text(moved.rule)]
                    if let old = lead.owner { extra["from"] = .text(old.rawValue) }
                    notices += OutboundEvents.notices("lead.reassigned", lead: reassigned, extra: extra, engine: engine).map(SLANotice.init)
                    decision.reassignedTo = rep
                    outcome = "reassigned to \(rep)"
                } else {
                    outcome = "reassign: nobody else eligible; the lead stays with \(lead.owner?.rawValue ?? "nobody")"
                }
            }
            decision.notices = notices.count
            decision.detail = outcome ?? "decided"
            data["actions"] = decision.actions.joined(separator: " ")
            data["outcome"] = outcome ?? "decided"
            return DeadlineEffects(
                claim: .escalate,
                escalation: .init(actions: level.actions.map(\.description).joined(separator: " "), lateMilliseconds: Int64(late * 1000), owner: lead.owner),
                reassignment: reassignment, outcome: outcome,
                event: .init(kind: level.isWarning ? "sla.warning" : "sla.escalation", rep: lead.owner, data: data),
                notices: notices, decision: decision)
        }
    }

    /// What an SLA event says about the deadline.
    static func slaExtra(_ due: DueDeadline) -> [String: EventValue] {
        ["clock": .text(due.clock.rawValue), "policy": .text(due.policy), "level": .number(due.level), "cycle": .number(due.cycle),
         "due_at": .text(RFC3339Text.string(due.dueAt))]
    }
}

extension SLANotice {
    /// An outbound event row riding with an SLA decision's notices.
    init(_ event: QueuedNotice) {
        self.init(kind: .notify, recipient: event.recipient, lead: event.lead, subject: event.subject, body: event.body)
        eventKind = event.kind
        channel = event.channel
    }
}
