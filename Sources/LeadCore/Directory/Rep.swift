/// A sales rep as configured. Routing (eligibility, caps, shifts) extends this in its own issue.
public struct Rep: Hashable, Sendable {
    public var id: RepID
    public var name: String
    public var email: EmailAddress
    /// An inactive rep keeps their leads but gets no new ones.
    public var active: Bool
    /// Weight, working hours, leave and caps.
    public var routing: RepRouting
    /// The language of the rep's mail (`zh`, `en`); nil: the team's, then the configured default.
    public var language: String?
    /// E.164 mobile number: group robots @-mention the rep by it.
    public var mobile: String?

    public init(id: RepID, name: String, email: EmailAddress, active: Bool = true, routing: RepRouting = RepRouting()) {
        self.id = id; self.name = name; self.email = email; self.active = active; self.routing = routing
    }
}
