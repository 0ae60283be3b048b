import Foundation

/// Stores that keep SLA deadline rows and decide them (the scheduler's side).
public protocol DeadlineProcessing: Sendable {
    /// The earliest pending deadline row (any level), if any.
    func nextDeadline() async throws -> Date?

    /// Decides up to `limit` rows due at `now`, oldest first, in one transaction: each row's
    /// verdict, its escalation row (unique per lead, clock, cycle and level), the reassignment it
    /// may cause, its audit events and its outbox rows commit together. More than
    /// `digestThreshold` notices for one recipient in the batch become one digest.
    func decideDue(at now: Date, decider: AssignmentDecider, limit: Int, digestThreshold: Int) async throws -> [SLADecision]

    /// The oldest deadline that passed unmet and is still open (the overdue-age gauge).
    func oldestOverdue(at now: Date) async throws -> Date?
}

/// One decided row, for logs and metrics.
public struct SLADecision: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        /// A ladder level before the deadline.
        case warning
        /// The deadline itself passed unmet.
        case breach
        /// A ladder level at or after the deadline.
        case escalation
        /// The row no longer applied.
        case cancelled
    }

    public var kind: Kind
    public var lead: LeadID
    public var policy: String
    public var clock: SLAClock
    public var cycle: Int
    public var level: Int
    public var dueAt: Date
    /// How long after the row's time it was decided (downtime shows here).
    public var lateSeconds: Double
    public var actions: [String]
    public var reassignedTo: RepID?
    /// Notices this decision produced (a digest may fold several of a batch into one message).
    public var notices: Int
    public var detail: String?

    public init(kind: Kind, lead: LeadID, policy: String, clock: SLAClock, cycle: Int, level: Int, dueAt: Date,
                lateSeconds: Double, actions: [String] = [], reassignedTo: RepID? = nil, notices: Int = 0, detail: String? = nil) {
        self.kind = kind; self.lead = lead; self.policy = policy; self.clock = clock; self.cycle = cycle; self.level = level
        self.dueAt = dueAt; self.lateSeconds = lateSeconds; self.actions = actions; self.reassignedTo = reassignedTo
        self.notices = notices; self.detail = detail
    }
}

/// A deadline moved because the calendar's holiday data changed (a provisional day became known).
public struct RecomputedDeadline: Hashable, Sendable {
    public var lead: LeadID
    public var clock: String
    public var level: Int
    public var from: Date
    public var to: Date

    public init(lead: LeadID, clock: String, level: Int, from: Date, to: Date) {
        self.lead = lead; self.clock = clock; self.level = level; self.from = from; self.to = to
    }
}

/// Stores that can recompute the pending deadlines computed across provisional holidays.
public protocol ProvisionalDeadlineRecomputing: Sendable {
    func recomputeProvisionalDeadlines(clocks: ClockDecider, at now: Date) async throws -> [RecomputedDeadline]
}

extension DeadlineProcessing {
    public func decideDue(at now: Date, engine: RoutingEngine, limit: Int, digestThreshold: Int) async throws -> [SLADecision] {
        try await decideDue(at: now, decider: AssignmentDecider(engine), limit: limit, digestThreshold: digestThreshold)
    }
}

extension ProvisionalDeadlineRecomputing {
    public func recomputeProvisionalDeadlines(plan: SLAPlan, at now: Date) async throws -> [RecomputedDeadline] {
        try await recomputeProvisionalDeadlines(clocks: ClockDecider(plan), at: now)
    }
}
