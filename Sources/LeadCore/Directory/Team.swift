/// A team of reps with the supervisor who hears about escalations.
public struct Team: Hashable, Sendable {
    public enum Supervisor: Hashable, Sendable, Codable, CustomStringConvertible {
        case rep(RepID)
        case address(EmailAddress)

        public var description: String {
            switch self {
            case .rep(let id): "rep:\(id)"
            case .address(let address): address.rawValue
            }
        }
    }

    public var id: TeamID
    public var name: String
    /// Members in their configured order (round-robin order).
    public var members: [RepID]
    public var supervisor: Supervisor
    public var routing: TeamRouting
    /// The language of the team's mail; nil: the configured default.
    public var language: String?
    /// A `[[channel]]` (the team's robot group) that also gets each new lead's notice.
    public var channel: String?

    public init(id: TeamID, name: String, members: [RepID], supervisor: Supervisor, routing: TeamRouting = TeamRouting()) {
        self.id = id; self.name = name; self.members = members; self.supervisor = supervisor; self.routing = routing
    }
}
