/// A lead's status in the sales lifecycle. The set of statuses is configured (lifecycle issue);
/// these are the defaults every configuration starts from.
public struct LeadStatus: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let new = LeadStatus(rawValue: "new")
    public static let contacted = LeadStatus(rawValue: "contacted")
    public static let qualified = LeadStatus(rawValue: "qualified")
    public static let converted = LeadStatus(rawValue: "converted")
    public static let disqualified = LeadStatus(rawValue: "disqualified")

    /// Statuses after which no SLA clock runs.
    public var isClosed: Bool { self == .converted || self == .disqualified }
    public var description: String { rawValue }
}
