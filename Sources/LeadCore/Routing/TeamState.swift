/// A team's durable rotation state, stored with each assignment in the same transaction.
/// Round-robin is "least recently assigned first": a stable rotation for a stable team, and a
/// fair one when reps join or leave (a newcomer is next; nobody gets two in a row because the
/// list changed).
public struct TeamState: Hashable, Sendable {
    /// Increments with every assignment in the team.
    public var sequence: Int64
    /// The `sequence` of each rep's last assignment in the team.
    public var lastAssigned: [RepID: Int64]
    /// Smooth weighted round-robin credits (nginx's algorithm).
    public var credits: [RepID: Int]

    public init(sequence: Int64 = 0, lastAssigned: [RepID: Int64] = [:], credits: [RepID: Int] = [:]) {
        self.sequence = sequence; self.lastAssigned = lastAssigned; self.credits = credits
    }
}

/// One rep looked at for a lead, and why they were or were not eligible.
public struct RoutingCandidate: Hashable, Sendable {
    public var rep: RepID
    public var eligible: Bool
    public var reason: String

    public init(rep: RepID, eligible: Bool, reason: String) { self.rep = rep; self.eligible = eligible; self.reason = reason }
}

/// A complete routing decision: which rule, which team(s), who was considered, who got it.
public struct RoutingDecision: Hashable, Sendable {
    /// The matching rule's name, or `default`.
    public var rule: String
    public var rulesTried: [RoutingTable.RuleOutcome]
    public var team: TeamID?
    public var strategy: RoutingStrategy?
    public var considered: [RoutingCandidate]
    public var rep: RepID?
    /// Why the lead is held (nobody eligible and the overflow says hold).
    public var holdReason: String?
    /// Teams tried through overflow, in order.
    public var teamsTried: [TeamID]
    /// The team whose state changed, and its new state.
    public var newState: (TeamID, TeamState)?
    /// The SLA deadlines the store armed with this assignment (filled in by the store).
    public var clocks: [ArmedClock] = []

    public init(rule: String, rulesTried: [RoutingTable.RuleOutcome], team: TeamID?, strategy: RoutingStrategy?,
                considered: [RoutingCandidate], rep: RepID?, holdReason: String?, teamsTried: [TeamID],
                newState: (TeamID, TeamState)?) {
        self.rule = rule; self.rulesTried = rulesTried; self.team = team; self.strategy = strategy
        self.considered = considered; self.rep = rep; self.holdReason = holdReason; self.teamsTried = teamsTried
        self.newState = newState
    }

    public static func == (a: RoutingDecision, b: RoutingDecision) -> Bool {
        a.rule == b.rule && a.team == b.team && a.rep == b.rep && a.considered == b.considered && a.holdReason == b.holdReason
            && a.teamsTried == b.teamsTried && a.newState?.0 == b.newState?.0 && a.newState?.1 == b.newState?.1
    }
    public func hash(into hasher: inout Hasher) { hasher.combine(rule); hasher.combine(rep); hasher.combine(team) }
}
