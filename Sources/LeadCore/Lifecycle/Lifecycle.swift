import Foundation

/// The lead lifecycle as a configured state machine: statuses, allowed transitions (with who may
/// make them and whether a reason is required), the fields a status requires, and the types of
/// custom fields. Pure: the store asks it before it writes.
public struct Lifecycle: Hashable, Sendable {
    public enum Role: String, Hashable, Sendable, CaseIterable { case owner, supervisor, admin }

    public struct Transition: Hashable, Sendable {
        /// nil: from any open status.
        public var from: Set<LeadStatus>?
        public var to: LeadStatus
        public var roles: Set<Role>
        public var reasonRequired: Bool

        public init(from: Set<LeadStatus>?, to: LeadStatus, roles: Set<Role> = Set(Role.allCases), reasonRequired: Bool = false) {
            self.from = from; self.to = to; self.roles = roles; self.reasonRequired = reasonRequired
        }
    }

    public enum FieldType: Hashable, Sendable {
        case text, number, date
        case choice([String])
    }

    public var statuses: [LeadStatus]
    public var closed: Set<LeadStatus>
    public var transitions: [Transition]
    /// Fields a lead must have to enter a status (lead fields such as `industry`, or custom fields).
    public var required: [LeadStatus: [String]]
    /// Declared custom fields and their types (undeclared custom fields are free text).
    public var fields: [String: FieldType]
    /// How far before the moment it is recorded an activity may be dated (`max_backdate`): a rep
    /// logging a call made a little earlier is normal; a contact dated days back would forge SLA
    /// evidence.
    public var maxBackdateSeconds: Int64 = 3_600

    /// Why an activity dated `at`, recorded at `now`, is refused (nil when it may be recorded).
    /// It may not lie in the future (beyond five minutes of clock skew), nor more than
    /// `maxBackdateSeconds` back, nor before the lead's current assignment.
    public func activityTimeProblem(at: Date, recordedAt now: Date, assignedAt: Date?) -> String? {
        if at > now.addingTimeInterval(300) { return "\"at\" is in the future" }
        if maxBackdateSeconds < Int64.max / 2, now.timeIntervalSince(at) > Double(maxBackdateSeconds) {
            return "\"at\" is more than \(DurationText.format(seconds: maxBackdateSeconds)) before now (max_backdate)"
        }
        if let assignedAt, at < assignedAt { return "\"at\" is before the lead's current assignment" }
        return nil
    }

    public init(statuses: [LeadStatus], closed: Set<LeadStatus>, transitions: [Transition], required: [LeadStatus: [String]] = [:],
                fields: [String: FieldType] = [:]) {
        self.statuses = statuses; self.closed = closed; self.transitions = transitions; self.required = required; self.fields = fields
    }

    /// The seed's SOP: New → Contacted → Qualified → Converted, back from Qualified to Contacted,
    /// Disqualified from any open status with a reason; Qualified needs the industry, company size,
    /// decision maker's title and budget range.
    public static let standard = Lifecycle(
        statuses: [.new, .contacted, .qualified, .converted, .disqualified],
        closed: [.converted, .disqualified],
        transitions: [
            Transition(from: [.new], to: .contacted),
            Transition(from: [.contacted], to: .qualified),
            Transition(from: [.qualified], to: .contacted),
            Transition(from: [.qualified], to: .converted),
            Transition(from: nil, to: .disqualified, reasonRequired: true),
        ],
        required: [.qualified: ["industry", "company_size", "decision_maker_title", "budget_range"]],
        fields: ["company_size": .number, "decision_maker_title": .text,
                 "budget_range": .choice(["<10万", "10-50万", "50-200万", ">200万"])])

    /// Why a change is refused.
    public enum Refusal: Error, Hashable, Sendable, CustomStringConvertible {
        case unknownStatus(String, known: [LeadStatus])
        case notAllowed(from: LeadStatus, to: LeadStatus, reachable: [LeadStatus])
        case wrongRole(to: LeadStatus, role: Role, allowed: [Role])
        case reasonRequired(LeadStatus)
        case missingFields(LeadStatus, [String])
        case invalidFields([String])

        public var description: String {
            switch self {
            case .unknownStatus(let name, let known):
                "\"\(name)\" is not a status (\(known.map(\.rawValue).joined(separator: ", ")))"
            case .notAllowed(let from, let to, let reachable):
                "\(from) → \(to) is not allowed; from \(from) a lead can go to: "
                    + (reachable.isEmpty ? "nowhere (closed)" : reachable.map(\.rawValue).joined(separator: ", "))
            case .wrongRole(let to, let role, let allowed):
                "the \(role.rawValue) may not move a lead to \(to); who may: \(allowed.map(\.rawValue).joined(separator: ", "))"
            case .reasonRequired(let to): "moving a lead to \(to) needs a reason"
            case .missingFields(let to, let fields): "\(to) requires: \(fields.joined(separator: ", "))"
            case .invalidFields(let problems): problems.joined(separator: "; ")
            }
        }

        /// Field problems (422) rather than path or permission problems (409).
        public var isAboutFields: Bool {
            switch self {
            case .missingFields, .invalidFields: true
            default: false
            }
        }
    }

    public func status(named name: String) -> LeadStatus? {
        statuses.first { $0.rawValue == name.lowercased() }
    }

    /// Statuses reachable from `status` (by anyone).
    public func reachable(from status: LeadStatus) -> [LeadStatus] {
        guard !closed.contains(status) else { return [] }
        let targets = transitions.filter { $0.from.map { $0.contains(status) } ?? true }.map(\.to)
        return statuses.filter { targets.contains($0) && $0 != status }
    }

    /// Nil when `value` suits field `name`, else why not.
    public func problem(field name: String, value: String) -> String? {
        guard let type = fields[name] else { return nil }
        switch type {
        case .text: return value.isEmpty ? "\(name) must not be empty" : nil
        case .number: return Double(value.replacingOccurrences(of: ",", with: "")) == nil ? "\(name) must be a number, not \"\(value)\"" : nil
        case .date:
            let parts = value.split(separator: "-").compactMap { Int($0) }
            return parts.count == 3 && (1...12).contains(parts[1]) && (1...31).contains(parts[2]) ? nil : "\(name) must be a date YYYY-MM-DD, not \"\(value)\""
        case .choice(let options):
            return options.contains(value) ? nil : "\(name) must be one of \(options.joined(separator: ", ")), not \"\(value)\""
        }
    }

    /// Whether a status change may happen: the path, the role, the reason, and the fields the new
    /// status requires (`values`: the lead's fields with the change's own applied).
    public func check(from: LeadStatus, to: LeadStatus, role: Role, values: [String: String], reason: String?) -> Refusal? {
        let fieldProblems = values.compactMap { problem(field: $0.key, value: $0.value) }.sorted()
        if !fieldProblems.isEmpty { return .invalidFields(fieldProblems) }
        let candidates = closed.contains(from) ? [] : transitions.filter { $0.to == to && ($0.from.map { $0.contains(from) } ?? true) }
        guard !candidates.isEmpty else { return .notAllowed(from: from, to: to, reachable: reachable(from: from)) }
        guard let transition = candidates.first(where: { $0.roles.contains(role) }) else {
            let allowed = Set(candidates.flatMap(\.roles))
            return .wrongRole(to: to, role: role, allowed: Role.allCases.filter { allowed.contains($0) })
        }
        if transition.reasonRequired, (reason ?? "").trimmingWhitespace().isEmpty { return .reasonRequired(to) }
        let missing = (required[to] ?? []).filter { (values[$0] ?? "").trimmingWhitespace().isEmpty }
        if !missing.isEmpty { return .missingFields(to, missing) }
        return nil
    }
}
