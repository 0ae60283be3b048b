import Foundation

/// What a criterion looks at.
public enum LeadAttribute: Hashable, Sendable, CustomStringConvertible {
    case field(LeadField)
    /// The region groups of the lead's (canonical) province.
    case region
    /// When the lead arrived: local weekday and time in a zone.
    case arrival(zone: String)

    public var description: String {
        switch self {
        case .field(let field): field.description
        case .region: "region"
        case .arrival: "arrival"
        }
    }
}

/// A compiled regular expression (NSRegularExpression is thread-safe).
public final class CompiledPattern: @unchecked Sendable, Hashable {
    public let pattern: String
    let expression: NSRegularExpression

    public init(_ pattern: String) throws {
        self.pattern = pattern
        self.expression = try NSRegularExpression(pattern: pattern)
    }

    public func matches(_ text: String) -> Bool {
        expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    public static func == (a: CompiledPattern, b: CompiledPattern) -> Bool { a.pattern == b.pattern }
    public func hash(into hasher: inout Hasher) { hasher.combine(pattern) }
}

public enum Condition: Hashable, Sendable, CustomStringConvertible {
    case equals(String)
    case oneOf([String])
    case prefix(String)
    case regex(CompiledPattern)
    case exists(Bool)
    case compare(Comparison, Double)
    /// For `arrival`: ISO weekdays and [start, end) minutes.
    case during(days: [Int], start: Int, end: Int)

    public enum Comparison: String, Hashable, Sendable { case gt = ">", gte = ">=", lt = "<", lte = "<=" }

    public var description: String {
        switch self {
        case .equals(let v): "= \(v)"
        case .oneOf(let vs): "one of [\(vs.joined(separator: ", "))]"
        case .prefix(let p): "starts with \(p)"
        case .regex(let r): "matches /\(r.pattern)/"
        case .exists(let e): e ? "present" : "absent"
        case .compare(let op, let v): "\(op.rawValue) \(v)"
        case .during(let days, let start, let end):
            "on days \(days.map(String.init).joined(separator: ",")) \(String(format: "%02d:%02d-%02d:%02d", start / 60, start % 60, end / 60, end % 60))"
        }
    }
}

public struct Criterion: Hashable, Sendable, CustomStringConvertible {
    public var attribute: LeadAttribute
    public var condition: Condition

    public init(_ attribute: LeadAttribute, _ condition: Condition) { self.attribute = attribute; self.condition = condition }

    public var description: String { "\(attribute) \(condition)" }
}

public enum RoutingTarget: Hashable, Sendable, CustomStringConvertible {
    case team(TeamID)
    case rep(RepID)

    public var description: String {
        switch self {
        case .team(let id): "team \(id)"
        case .rep(let id): "rep \(id)"
        }
    }
}

public struct RoutingRule: Hashable, Sendable {
    public var name: String
    public var criteria: [Criterion]
    public var target: RoutingTarget
    /// Send a returning customer to the owner of their earlier lead when eligible.
    public var ownerMatching: Bool

    public init(name: String, criteria: [Criterion], target: RoutingTarget, ownerMatching: Bool = false) {
        self.name = name; self.criteria = criteria; self.target = target; self.ownerMatching = ownerMatching
    }

    /// A rule is shadowed by an earlier one whose criteria are all among its own: every lead it
    /// would match, the earlier rule matches first.
    public func isShadowed(by earlier: RoutingRule) -> Bool {
        earlier.criteria.allSatisfy { criteria.contains($0) }
    }
}
