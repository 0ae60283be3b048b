import Foundation

/// What `leadctl` reads to show a lead, the held queue and what is due: read-only questions
/// every store answers (beside the daemon's ports, `DaemonStore`).
public protocol StoreInspection: Sendable {
    /// A team's rotation state and a rep's load (`leadctl route test` against the live rotation).
    func teamState(_ team: TeamID) async throws -> TeamState
    func load(of rep: RepID, dayStart: Date, weekStart: Date) async throws -> RepLoad
    /// A lead's routing decisions, oldest first, as text lines.
    func routingHistory(of lead: LeadID) async throws -> [String]
    /// Held leads, oldest first: lead, reason, since.
    func heldLeads(limit: Int) async throws -> [(LeadID, String, Date)]
    func deadlines(of lead: LeadID) async throws -> [DeadlineView]
    func escalations(of lead: LeadID) async throws -> [EscalationView]
    /// Every input that reached a lead (the first and each re-inquiry), oldest first.
    func inputs(of lead: LeadID) async throws -> [LeadInput]
    /// Open leads with a pending deadline before `before`: lead, clock, due.
    func leadsDue(before: Date, limit: Int) async throws -> [(LeadID, String, Date)]
    /// Clocks of the lead whose pending deadlines were computed across provisional holidays.
    func provisionalClocks(of lead: LeadID) async throws -> Set<String>
}

/// A lead's deadline (level 0 of one arming), as `leadctl leads show` lists it.
public struct DeadlineView: Sendable, Hashable {
    public var clock: String
    public var policy: String?
    public var cycle: Int
    public var level: Int
    public var dueAt: Date
    public var state: DeadlineState
    public var resolvedAt: Date?
    /// Follow-up contacts still needed.
    public var need: Int?

    /// Passed unmet and not yet ended by a contact or a re-arm.
    public var isBreachedOpen: Bool { state == .missed && resolvedAt == nil }

    public init(clock: String, policy: String?, cycle: Int, level: Int, dueAt: Date, state: DeadlineState, resolvedAt: Date?, need: Int?) {
        self.clock = clock; self.policy = policy; self.cycle = cycle; self.level = level; self.dueAt = dueAt
        self.state = state; self.resolvedAt = resolvedAt; self.need = need
    }
}

/// A decided escalation level, as `leadctl leads show` lists it.
public struct EscalationView: Sendable, Hashable {
    public var clock: String
    public var cycle: Int
    public var level: Int
    public var policy: String
    public var actions: String
    public var decidedAt: Date
    public var lateMilliseconds: Int64
    public var owner: String?
    public var outcome: String

    public init(clock: String, cycle: Int, level: Int, policy: String, actions: String, decidedAt: Date, lateMilliseconds: Int64,
                owner: String?, outcome: String) {
        self.clock = clock; self.cycle = cycle; self.level = level; self.policy = policy; self.actions = actions
        self.decidedAt = decidedAt; self.lateMilliseconds = lateMilliseconds; self.owner = owner; self.outcome = outcome
    }
}

