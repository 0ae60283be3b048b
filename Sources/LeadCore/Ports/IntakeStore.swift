import Foundation

/// The intake half of the store. Each batch is one transaction (group commit): a lead, its raw
/// capture and its event row commit together, and one fsync covers the whole batch.
public protocol IntakeStore: Sendable {
    /// Commits accepted inputs in one transaction, in order. An origin seen before is
    /// `.redelivered`; a person matching an open lead under `duplicates` is a `.reinquiry`. With
    /// `decider`, each new lead is routed in the same transaction: its assignment (or hold), the
    /// team's rotation state and the decision's audit row commit together with the lead.
    func commitIntakes(_ items: [IntakeItem], duplicates: DuplicatePolicy, decider: AssignmentDecider?,
                       at now: Date) async throws -> [IntakeCommit]

    /// Keeps an input that could not become a lead. The same origin twice keeps the first entry.
    func recordQuarantine(_ item: QuarantineItem, at now: Date) async throws -> Int64

    /// Where an origin stands, if anywhere (crash reconciliation).
    func intakeState(_ origin: LeadOrigin) async throws -> IntakeState?

    func quarantined(limit: Int) async throws -> [QuarantineEntry]
    func quarantineRaw(_ id: Int64) async throws -> (QuarantineEntry, RawCapture)?
    func markQuarantineRetried(_ id: Int64, at now: Date) async throws

    /// The raw input a lead came from.
    func rawCapture(of lead: LeadID) async throws -> RawCapture?

    /// Empties raw captures received before `cutoff` (the lead and its fields stay); returns how many.
    func purgeCaptures(receivedBefore cutoff: Date) async throws -> Int
}

/// What committing one intake item did, and how its lead was routed (new leads only).
public struct IntakeCommit: Hashable, Sendable {
    public var outcome: IntakeOutcome
    public var decision: RoutingDecision?

    public init(outcome: IntakeOutcome, decision: RoutingDecision? = nil) { self.outcome = outcome; self.decision = decision }
}

extension IntakeStore {
    /// Commits without routing.
    public func recordIntakes(_ items: [IntakeItem], duplicates: DuplicatePolicy, at now: Date) async throws -> [IntakeOutcome] {
        try await commitIntakes(items, duplicates: duplicates, decider: nil, at: now).map(\.outcome)
    }

    /// Commits, routing new leads with `routing`.
    public func commitIntakes(_ items: [IntakeItem], duplicates: DuplicatePolicy, routing: RoutingEngine?,
                              at now: Date) async throws -> [IntakeCommit] {
        try await commitIntakes(items, duplicates: duplicates, decider: routing.map(AssignmentDecider.init), at: now)
    }
}

/// Stores that keep a held-lead queue and can retry it.
public protocol HeldLeadReleasing: Sendable {
    func releaseHeld(decider: AssignmentDecider, at now: Date, limit: Int) async throws -> [(LeadID, RoutingDecision)]
}

extension HeldLeadReleasing {
    public func releaseHeld(engine: RoutingEngine, at now: Date, limit: Int = 100) async throws -> [(LeadID, RoutingDecision)] {
        try await releaseHeld(decider: AssignmentDecider(engine), at: now, limit: limit)
    }
}

/// Stores that take manual reassignments (leadctl and the admin API share it).
public protocol ManualAssigning: Sendable {
    func reassign(_ lead: LeadID, to rep: RepID, reason: String, force: Bool, decider: AssignmentDecider,
                  at now: Date) async throws -> RoutingDecision
}

extension ManualAssigning {
    public func reassign(_ lead: LeadID, to rep: RepID, reason: String, force: Bool, engine: RoutingEngine,
                         at now: Date) async throws -> RoutingDecision {
        try await reassign(lead, to: rep, reason: reason, force: force, decider: AssignmentDecider(engine), at: now)
    }
}

/// Why a manual reassignment was refused.
public enum ReassignError: Error, Equatable, CustomStringConvertible {
    case unknownLead(LeadID)
    case unknownRep(RepID)
    case notEligible(RepID, String)

    public var description: String {
        switch self {
        case .unknownLead(let id): "no lead with id \(id)"
        case .unknownRep(let id): "no rep \(id) in the configuration"
        case .notEligible(let rep, let why): "\(rep) cannot take it now: \(why) (use --force to assign anyway)"
        }
    }
}

/// Stores that keep the detail fetches of leads that arrived as ids only. Rows move
/// `pending → fetching (lease) → done | dead`, or back to `pending` with a later attempt; a lead
/// is routed once: when its details arrive, when its fetch is dead, or at its `routeBy` time
/// with what is known (then flagged `details=missing`).
public protocol DetailFetchStore: Sendable {
    func claimDetailFetch(at now: Date, lease: TimeInterval) async throws -> DetailFetchJob?
    /// Records the attempt's result; fetched details fill the lead's fields and the lead is routed
    /// (if not yet) with `routing`, all in one transaction. Returns the routing decision, if any.
    /// Throws `StaleLease` (and writes nothing) when the job's claim was taken over.
    func finishDetailFetch(_ job: DetailFetchJob, _ result: DetailFetchResult, decider: AssignmentDecider?,
                           at now: Date) async throws -> RoutingDecision?
    /// Routes the leads whose details did not arrive by their `routeBy` time, with what is known.
    func routeLeadsAwaitingDetails(decider: AssignmentDecider, at now: Date) async throws -> [(LeadID, RoutingDecision)]
    /// When the next fetch attempt, lease expiry or route-by time falls due.
    func nextDetailFetchEvent() async throws -> Date?
}

extension DetailFetchStore {
    public func finishDetailFetch(_ job: DetailFetchJob, _ result: DetailFetchResult, routing: RoutingEngine?,
                                  at now: Date) async throws -> RoutingDecision? {
        try await finishDetailFetch(job, result, decider: routing.map(AssignmentDecider.init), at: now)
    }

    public func routeLeadsAwaitingDetails(routing: RoutingEngine, at now: Date) async throws -> [(LeadID, RoutingDecision)] {
        try await routeLeadsAwaitingDetails(decider: AssignmentDecider(routing), at: now)
    }
}
