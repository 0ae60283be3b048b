import Foundation

/// What routing reads from a store, inside the transaction that applies the decision: a team's
/// rotation state, a rep's load since the starts of the caps' windows, and the owner of a
/// customer's most recent earlier lead (owner matching).
public protocol RoutingFacts {
    /// The stored rotation state; a team never routed to has the empty state.
    func teamState(_ team: TeamID) throws -> TeamState
    /// Open leads owned, and assignments since the local day and ISO week starts.
    func repLoad(_ rep: RepID, dayStart: Date, weekStart: Date) throws -> RepLoad
    /// The owner of the newest other lead (not `lead`) with an owner that matches `key`.
    func latestOwner(_ key: CustomerKey, excluding lead: LeadID) throws -> RepID?
}

/// How owner matching recognises the same customer.
public enum CustomerKey: Hashable, Sendable {
    /// `CompanyName.key` of the company.
    case company(String)
    /// The lower-cased e-mail address.
    case email(String)
    /// Any address at this (lower-cased, non-free-mail) domain.
    case domain(String)
}

/// The engine asks through non-throwing closures; this keeps the first store error and rethrows
/// it after the decision, so a failing read is an error, never an empty rotation.
final class FactReader {
    private let facts: any RoutingFacts
    private let engine: RoutingEngine
    private let now: Date
    private var failure: (any Error)?

    init(_ facts: any RoutingFacts, engine: RoutingEngine, now: Date) {
        self.facts = facts; self.engine = engine; self.now = now
    }

    func state(_ team: TeamID) -> TeamState {
        do { return try facts.teamState(team) } catch { failure = failure ?? error; return TeamState() }
    }

    func load(_ rep: RepID) -> RepLoad {
        let (day, week) = engine.capWindows(for: rep, now: now)
        do { return try facts.repLoad(rep, dayStart: day, weekStart: week) } catch { failure = failure ?? error; return RepLoad() }
    }

    /// Throws the first read that failed.
    func check() throws {
        if let failure { throw failure }
    }
}

extension RoutingEngine {
    /// The owner of this customer's most recent earlier lead, when a rule matches owners: same
    /// company (preferring the same e-mail within it), else same e-mail, else same e-mail domain
    /// unless it is a free-mail domain.
    func ownerHint(for draft: LeadDraft, lead: LeadID, facts: any RoutingFacts) throws -> RepID? {
        guard table.rules.contains(where: \.ownerMatching) else { return nil }
        let email = draft.email?.lowercased()
        if let key = draft.company.flatMap(CompanyName.key), let owner = try facts.latestOwner(.company(key), excluding: lead) {
            if let email, let same = try facts.latestOwner(.email(email), excluding: lead) { return same }
            return owner
        }
        guard let email, let at = email.lastIndex(of: "@") else { return nil }
        if let owner = try facts.latestOwner(.email(email), excluding: lead) { return owner }
        let domain = String(email[email.index(after: at)...])
        guard !table.freeMailDomains.contains(domain) else { return nil }
        return try facts.latestOwner(.domain(domain), excluding: lead)
    }
}
