import Foundation

/// An SLA policy: which leads it covers, the clock it counts on, its deadlines and the
/// escalation ladder of each deadline.
public struct SLAPolicy: Hashable, Sendable {
    public enum Clock: String, Hashable, Sendable, CaseIterable { case business, wall }

    public var name: String
    public var criteria: [Criterion]
    public var clock: Clock
    public var calendar: String
    /// Time to first contact from assignment (re-armed on reassignment).
    public var firstContactSeconds: Int64?
    /// `count` contacts within `withinSeconds` of assignment (re-armed on reassignment).
    public var followUps: FollowUpRule?
    /// No activity for `afterSeconds` while the lead is in one of `statuses` (re-armed by each activity).
    public var stale: StaleRule?
    /// The ladder of each deadline, levels in order (level 1 first).
    public var ladders: [SLAClock: [EscalationLevel]]
    /// A status change by the owner or supervisor counts as a contact (meets first contact,
    /// counts toward follow-ups).
    public var statusChangeIsContact = false

    public init(name: String, criteria: [Criterion], clock: Clock, calendar: String, firstContactSeconds: Int64?,
                followUps: FollowUpRule? = nil, stale: StaleRule? = nil, ladders: [SLAClock: [EscalationLevel]] = [:]) {
        self.name = name; self.criteria = criteria; self.clock = clock; self.calendar = calendar
        self.firstContactSeconds = firstContactSeconds; self.followUps = followUps; self.stale = stale
        self.ladders = ladders
    }

    /// The length of a deadline under this policy, if the policy has it.
    public func seconds(of clock: SLAClock) -> Int64? {
        switch clock {
        case .firstContact: firstContactSeconds
        case .followUps: followUps?.withinSeconds
        case .stale: stale?.afterSeconds
        }
    }

    public func ladder(_ clock: SLAClock) -> [EscalationLevel] { ladders[clock] ?? [] }
}

/// The three deadlines a policy can set.
public enum SLAClock: String, Hashable, Sendable, CaseIterable, Comparable {
    /// First contact after assignment.
    case firstContact = "first_contact"
    /// N contacts within a time after assignment.
    case followUps = "follow_ups"
    /// No activity for a time while in given statuses.
    case stale

    public static func < (a: SLAClock, b: SLAClock) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

public struct FollowUpRule: Hashable, Sendable {
    public var count: Int
    public var withinSeconds: Int64
    public init(count: Int, withinSeconds: Int64) { self.count = count; self.withinSeconds = withinSeconds }
}

public struct StaleRule: Hashable, Sendable {
    public var afterSeconds: Int64
    public var statuses: Set<LeadStatus>
    public init(afterSeconds: Int64, statuses: Set<LeadStatus>) { self.afterSeconds = afterSeconds; self.statuses = statuses }
}

/// One rung of an escalation ladder: when (an offset from the deadline; negative = a warning
/// before it) and what to do. Each (lead, clock, cycle, level) acts at most once.
public struct EscalationLevel: Hashable, Sendable {
    public enum Action: Hashable, Sendable, CustomStringConvertible {
        /// A reminder (or, before the deadline, a warning) to the owner.
        case remindOwner
        /// A notice to the team's supervisor with the owner in copy.
        case notifySupervisor
        /// A notice to fixed addresses.
        case notify([EmailAddress])
        /// The lead goes to the next eligible rep of its team; the new owner's clocks start again.
        case reassign

        public var description: String {
            switch self {
            case .remindOwner: "remind_owner"
            case .notifySupervisor: "notify_supervisor"
            case .notify(let list): "notify:" + list.map(\.rawValue).joined(separator: ",")
            case .reassign: "reassign"
            }
        }
    }

    /// 1-based, in offset order.
    public var level: Int
    public var offsetSeconds: Int64
    public var actions: [Action]
    /// `[[channel]]` names the rung also posts to (the team's robot group, a webhook).
    public var channels: [String]

    public init(level: Int, offsetSeconds: Int64, actions: [Action], channels: [String] = []) {
        self.level = level; self.offsetSeconds = offsetSeconds; self.actions = actions; self.channels = channels
    }

    public var isWarning: Bool { offsetSeconds < 0 }
}
