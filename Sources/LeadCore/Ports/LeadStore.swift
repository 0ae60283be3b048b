import Foundation

/// The durable state of leadrouter. Every method is one intent and one transaction: a state change
/// and the outbox and event rows it causes commit together or not at all.
///
/// `SQLiteLeadStore` is the embedded implementation; `PostgresLeadStore` (several daemons sharing
/// one workload) implements the ports one by one.
public protocol LeadStore: IntakeStore, LeadStatusChanging, LeadReading, DirectorySyncing, ActivityRecording {
    /// Records an accepted lead. The same origin twice returns the first lead, unchanged.
    func recordLead(_ draft: LeadDraft, at now: Date) async throws -> LeadRecording

    /// Makes `rep` the lead's owner, ending the previous assignment, in one transaction.
    func assign(_ lead: LeadID, to rep: RepID, team: TeamID?, rule: String, at now: Date) async throws

    /// Writes the daemon's heartbeat (pid, start time, config generation, last tick).
    func recordHeartbeat(_ heartbeat: DaemonHeartbeat) async throws

    func leads(_ query: LeadQuery) async throws -> [Lead]
    func heartbeat() async throws -> DaemonHeartbeat?

    /// A round trip to the database, for readiness checks.
    func ping() async throws
}

public enum LeadRecording: Hashable, Sendable {
    case created(LeadID)
    case duplicate(LeadID)

    public var leadID: LeadID {
        switch self {
        case .created(let id), .duplicate(let id): id
        }
    }
}

public struct ActivityDraft: Hashable, Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case call, email, meeting, message, note, statusChange = "status_change"

        /// Calls, e-mails, meetings and messages reach the customer; notes and status changes do not.
        public var isContact: Bool { self == .call || self == .email || self == .meeting || self == .message }
    }

    public var lead: LeadID
    public var kind: Kind
    public var rep: RepID?
    public var note: String?

    public init(lead: LeadID, kind: Kind, rep: RepID?, note: String? = nil) {
        self.lead = lead; self.kind = kind; self.rep = rep; self.note = note
    }
}

/// What recording an activity did to the clocks.
public struct ActivityOutcome: Hashable, Sendable {
    /// By the owner or the team's supervisor (only those move clocks).
    public var countsForSLA: Bool
    public var metFirstContact: Bool
    public var metFollowUps: Bool
    /// Clocks armed by it (the stale clock).
    public var armed: [ArmedClock]
    public var owner: RepID?

    public init(countsForSLA: Bool, metFirstContact: Bool, metFollowUps: Bool, armed: [ArmedClock], owner: RepID?) {
        self.countsForSLA = countsForSLA; self.metFirstContact = metFirstContact; self.metFollowUps = metFollowUps
        self.armed = armed; self.owner = owner
    }
}

public struct LeadQuery: Hashable, Sendable {
    public var status: LeadStatus?
    public var owner: RepID?
    /// Only leads received at or after this instant.
    public var receivedSince: Date?
    public var limit: Int

    public init(status: LeadStatus? = nil, owner: RepID? = nil, receivedSince: Date? = nil, limit: Int = 100) {
        self.status = status; self.owner = owner; self.receivedSince = receivedSince; self.limit = limit
    }
}

public enum LeadStoreError: Error, Equatable, CustomStringConvertible {
    case unknownLead(LeadID)
    case unknownRep(RepID)
    case notOwner(LeadID, RepID)
    case activityRefused(LeadID, String)

    public var description: String {
        switch self {
        case .unknownLead(let id): "no lead with id \(id)"
        case .notOwner(let lead, let rep): "lead \(lead) does not belong to \(rep)"
        case .unknownRep(let id): "no rep with id \(id)"
        case .activityRefused(let lead, let why): "activity on lead \(lead) refused: \(why)"
        }
    }
}

/// Activities logged on leads (calls, e-mails, meetings, notes) and what they do to the clocks.
public protocol ActivityRecording: Sendable {
    /// Records a contact, note or other activity that happened at `time`, in one transaction with
    /// what it does to the SLA clocks (`clocks`): by the owner or the team's supervisor, a contact
    /// meets first contact and counts toward follow-ups, and any activity re-arms the stale clock.
    /// With `ownedBy`, the lead must belong to that rep (a rep's own token). With `bounds`, a time
    /// `Lifecycle.activityTimeProblem` refuses (future, past `max_backdate`, before the lead's
    /// current assignment) throws `LeadStoreError.activityRefused`; the record keeps both `time`
    /// and `now`.
    func recordActivity(_ activity: ActivityDraft, at time: Date, clocks: ClockDecider, ownedBy: RepID?, bounds: Lifecycle?,
                        now: Date) async throws -> ActivityOutcome
}

/// The configured directory as the store keeps it.
public protocol DirectorySyncing: Sendable {
    /// Records the reps and teams of a newly loaded configuration (start-up and reload). Reps and
    /// teams that disappeared are marked retired, never deleted, so history keeps its names.
    func syncDirectory(reps: [Rep], teams: [Team], configGeneration: Int, at now: Date) async throws
}

/// A lead by id and the counts behind `leadctl status`, the STATUS= line and the gauges.
public protocol LeadReading: Sendable {
    func lead(_ id: LeadID) async throws -> Lead?
    func summary() async throws -> StoreSummary
}

extension ActivityRecording {
    /// Without lifecycle bounds (`leadctl` and tests; the API and the BCC dropbox pass them).
    public func recordActivity(_ activity: ActivityDraft, at time: Date, sla: SLAPlan?, ownedBy: RepID?, now: Date) async throws -> ActivityOutcome {
        try await recordActivity(activity, at: time, clocks: ClockDecider(sla), ownedBy: ownedBy, bounds: nil, now: now)
    }

    public func recordActivity(_ activity: ActivityDraft, at time: Date, sla: SLAPlan?, ownedBy: RepID?, bounds: Lifecycle?,
                               now: Date) async throws -> ActivityOutcome {
        try await recordActivity(activity, at: time, clocks: ClockDecider(sla), ownedBy: ownedBy, bounds: bounds, now: now)
    }
}
