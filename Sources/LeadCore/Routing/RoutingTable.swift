import Foundation

/// The ordered rules, the default target, and what criteria need to evaluate (region groups).
public struct RoutingTable: Hashable, Sendable {
    public var rules: [RoutingRule]
    public var defaultTarget: RoutingTarget
    public var regions: RegionGroups
    /// Free-mail domains ignored by owner matching on e-mail domain.
    public var freeMailDomains: Set<String>

    public init(rules: [RoutingRule], defaultTarget: RoutingTarget, regions: RegionGroups = .chinaDefault,
                freeMailDomains: Set<String> = RoutingTable.defaultFreeMailDomains) {
        self.rules = rules; self.defaultTarget = defaultTarget; self.regions = regions; self.freeMailDomains = freeMailDomains
    }

    public static let defaultFreeMailDomains: Set<String> = [
        "qq.com", "foxmail.com", "163.com", "126.com", "yeah.net", "sina.com", "sina.cn", "sohu.com", "aliyun.com",
        "139.com", "189.cn", "gmail.com", "outlook.com", "hotmail.com", "live.com", "yahoo.com", "icloud.com",
    ]

    public struct RuleOutcome: Hashable, Sendable {
        public var rule: String
        public var matched: Bool
        /// For a rule that did not match: the first criterion that failed, and the lead's value.
        public var failed: String?
    }

    /// First match wins; returns the matching rule (nil = default) and why each earlier one failed.
    public func match(_ lead: LeadDraft) -> (rule: RoutingRule?, trace: [RuleOutcome]) {
        var trace: [RuleOutcome] = []
        for rule in rules {
            if let failure = rule.criteria.lazy.compactMap({ failure(of: $0, for: lead) }).first {
                trace.append(RuleOutcome(rule: rule.name, matched: false, failed: failure))
            } else {
                trace.append(RuleOutcome(rule: rule.name, matched: true, failed: nil))
                return (rule, trace)
            }
        }
        return (nil, trace)
    }

    /// Nil when the criterion holds, else why not.
    public func failure(of criterion: Criterion, for lead: LeadDraft) -> String? {
        let values: [String]
        switch criterion.attribute {
        case .field(let field): values = field.value(in: lead).map { [$0] } ?? []
        case .region: values = lead.province.map { regions.groups(containing: $0) } ?? []
        case .arrival(let zone):
            guard case .during(let days, let start, let end) = criterion.condition else { return "bad arrival criterion" }
            let local = BusinessCalendar.local(lead.receivedAt, zone: zone)
            let ok = days.contains(local.weekday) && local.minute >= start && local.minute < end
            return ok ? nil : "arrived \(String(format: "%02d:%02d", local.minute / 60, local.minute % 60)) on day \(local.weekday), not \(criterion.condition)"
        }
        let shown = values.isEmpty ? "(none)" : values.joined(separator: ",")
        let holds: Bool
        switch criterion.condition {
        case .equals(let v): holds = values.contains { $0.caseInsensitiveCompare(v) == .orderedSame }
        case .oneOf(let vs): holds = values.contains { value in vs.contains { $0.caseInsensitiveCompare(value) == .orderedSame } }
        case .prefix(let p): holds = values.contains { $0.lowercased().hasPrefix(p.lowercased()) }
        case .regex(let r): holds = values.contains { r.matches($0) }
        case .exists(let e): holds = values.isEmpty != e
        case .compare(let op, let bound):
            holds = values.compactMap { Double($0.filter { $0 != "," }) }.contains { value in
                switch op {
                case .gt: value > bound
                case .gte: value >= bound
                case .lt: value < bound
                case .lte: value <= bound
                }
            }
        case .during: holds = false
        }
        return holds ? nil : "\(criterion.attribute) is \(shown), not \(criterion.condition)"
    }
}

extension LeadField {
    /// This field's value in a draft.
    public func value(in lead: LeadDraft) -> String? {
        switch self {
        case .name: lead.name
        case .company: lead.company
        case .email: lead.email
        case .phone: lead.phone
        case .country: lead.country
        case .province: lead.province
        case .city: lead.city
        case .industry: lead.industry
        case .source: lead.source
        case .campaign: lead.campaign
        case .message: lead.message
        case .custom(let name): lead.customFields[name]
        }
    }
}
