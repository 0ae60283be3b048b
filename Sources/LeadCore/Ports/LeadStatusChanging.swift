import Foundation

/// Who asks for a change: the admin (CLI, admin token) or a rep (their token), whose role on the
/// lead (owner or the team's supervisor) the store works out in the transaction.
public enum LifecycleActor: Hashable, Sendable {
    case admin
    case rep(RepID)
}

public enum LifecycleError: Error, Hashable, Sendable, CustomStringConvertible {
    case unknownLead(LeadID)
    /// A rep who is neither the owner nor the team's supervisor.
    case notYours(LeadID, RepID)
    case refused(Lifecycle.Refusal)

    public var description: String {
        switch self {
        case .unknownLead(let id): "no lead with id \(id)"
        case .notYours(let lead, let rep): "lead \(lead) is neither \(rep)'s nor their team's"
        case .refused(let refusal): refusal.description
        }
    }
}

public struct StatusChange: Hashable, Sendable {
    public var from: LeadStatus
    public var to: LeadStatus
    public var role: Lifecycle.Role
    /// Clocks the change armed (stale) — closing a lead stops them all.
    public var armed: [ArmedClock]

    public init(from: LeadStatus, to: LeadStatus, role: Lifecycle.Role, armed: [ArmedClock]) {
        self.from = from; self.to = to; self.role = role; self.armed = armed
    }
}

/// Stores that move leads through the configured lifecycle and set their fields. A refused change
/// writes nothing but an audit event of the attempt.
public protocol LeadStatusChanging: Sendable {
    /// `fields` go through `normaliser.edit` (the intake's cleaning; e-mail and phone checked).
    func changeStatus(_ lead: LeadID, to status: String, fields: [String: String], reason: String?, actor: LifecycleActor,
                      lifecycle: Lifecycle, clocks: ClockDecider, normaliser: LeadNormaliser, at now: Date) async throws -> StatusChange
    func setFields(_ lead: LeadID, fields: [String: String], actor: LifecycleActor, lifecycle: Lifecycle, clocks: ClockDecider,
                   normaliser: LeadNormaliser, at now: Date) async throws
}

extension LeadStatusChanging {
    /// With the default normaliser (the intake's).
    public func changeStatus(_ lead: LeadID, to status: String, fields: [String: String], reason: String?, actor: LifecycleActor,
                             lifecycle: Lifecycle, sla: SLAPlan?, at now: Date) async throws -> StatusChange {
        try await changeStatus(lead, to: status, fields: fields, reason: reason, actor: actor, lifecycle: lifecycle, clocks: ClockDecider(sla),
                               normaliser: LeadNormaliser(), at: now)
    }

    public func changeStatus(_ lead: LeadID, to status: String, fields: [String: String], reason: String?, actor: LifecycleActor,
                             lifecycle: Lifecycle, sla: SLAPlan?, normaliser: LeadNormaliser, at now: Date) async throws -> StatusChange {
        try await changeStatus(lead, to: status, fields: fields, reason: reason, actor: actor, lifecycle: lifecycle, clocks: ClockDecider(sla),
                               normaliser: normaliser, at: now)
    }

    public func setFields(_ lead: LeadID, fields: [String: String], actor: LifecycleActor, lifecycle: Lifecycle, sla: SLAPlan?,
                          at now: Date) async throws {
        try await setFields(lead, fields: fields, actor: actor, lifecycle: lifecycle, clocks: ClockDecider(sla), normaliser: LeadNormaliser(), at: now)
    }

    public func setFields(_ lead: LeadID, fields: [String: String], actor: LifecycleActor, lifecycle: Lifecycle, sla: SLAPlan?,
                          normaliser: LeadNormaliser, at now: Date) async throws {
        try await setFields(lead, fields: fields, actor: actor, lifecycle: lifecycle, clocks: ClockDecider(sla), normaliser: normaliser, at: now)
    }
}
