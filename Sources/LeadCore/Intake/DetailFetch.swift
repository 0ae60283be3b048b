import Foundation

/// A lead that arrived as ids only (a Meta lead-ads notification): its answers must be fetched
/// from the vendor before it is routed. Recorded with the lead, in the intake transaction.
public struct DetailFetchRequest: Hashable, Sendable {
    /// `meta`.
    public var vendor: String
    /// The `[[webhook]]` it came through (its token and URL are looked up at fetch time).
    public var webhook: String
    /// The vendor's id of the lead (Meta's `leadgen_id`).
    public var objectID: String
    /// When the lead is routed with what is known if the details have not arrived.
    public var routeBy: Date

    public init(vendor: String, webhook: String, objectID: String, routeBy: Date) {
        self.vendor = vendor; self.webhook = webhook; self.objectID = objectID; self.routeBy = routeBy
    }
}

/// One claimed fetch: the row is leased to one fetcher until the attempt ends.
public struct DetailFetchJob: Hashable, Sendable {
    public var lead: LeadID
    public var vendor: String
    public var webhook: String
    public var objectID: String
    /// Attempts started, this one included.
    public var attempts: Int
    public var createdAt: Date
    /// The claim this job holds: finishing needs it (a later claim fences it off).
    public var leaseToken: Int64

    public init(lead: LeadID, vendor: String, webhook: String, objectID: String, attempts: Int, createdAt: Date, leaseToken: Int64 = 0) {
        self.lead = lead; self.vendor = vendor; self.webhook = webhook; self.objectID = objectID
        self.attempts = attempts; self.createdAt = createdAt; self.leaseToken = leaseToken
    }
}

/// Thrown when a claim is finished after its lease ran out and the row was claimed again: the later
/// claim decides, nothing of this one is written.
public struct StaleLease: Error, Hashable, Sendable {
    public var lead: LeadID
    public init(lead: LeadID) { self.lead = lead }
}

/// How one fetch attempt ended, as the store records it.
public enum DetailFetchResult: Hashable, Sendable {
    /// The details: the fields to fill in, and the vendor's answer as received.
    case fetched(LeadDraft, response: [UInt8])
    /// Try again at `at`.
    case retry(at: Date, error: String)
    /// Given up (dead-lettered) with the reason; the lead is routed with what is known.
    case dead(error: String)
}

/// The retry schedule of detail fetches: exponential backoff from `baseSeconds`, capped, and
/// dead after `maxAttempts` or when the error is permanent. Pure: the caller gives the jitter.
public struct DetailFetchPolicy: Hashable, Sendable {
    public var baseSeconds: Double
    public var capSeconds: Double
    public var maxAttempts: Int

    public init(baseSeconds: Double = 5, capSeconds: Double = 600, maxAttempts: Int = 10) {
        self.baseSeconds = baseSeconds; self.capSeconds = capSeconds; self.maxAttempts = maxAttempts
    }

    /// What to do after attempt `attempt` (1-based) failed with `error`; `unit` in 0...1 spreads
    /// retries (half fixed, half jitter) so a burst of leads does not retry in lockstep.
    public func afterFailure(attempt: Int, error: String, permanent: Bool, now: Date, unit: Double) -> DetailFetchResult {
        if permanent { return .dead(error: error) }
        guard attempt < maxAttempts else { return .dead(error: "gave up after \(attempt) attempts: \(error)") }
        let exponential = min(capSeconds, baseSeconds * pow(2, Double(attempt - 1)))
        return .retry(at: now.addingTimeInterval(exponential / 2 + exponential / 2 * unit), error: error)
    }
}

/// Where a lead's detail fetch stands: `pending` (due at its next attempt) → `fetching` (claimed
/// under a lease with a new token) → `done`, or back to `pending` with a later attempt, or `dead`
/// (given up: the lead is routed with what is known and flagged). A `fetching` row whose lease ran
/// out is claimed again. The schema's CHECK lists exactly these.
public enum DetailFetchState: String, Hashable, Sendable, CaseIterable {
    case pending, fetching, done, dead
}
