import Foundation

extension RoutingEngine {
    /// An escalation's reassignment: the next eligible rep of the lead's team other than the
    /// current owner, by the team's strategy. Nil when nobody else is eligible (the lead stays).
    public func reassignment(from owner: RepID?, team teamID: TeamID?, state stateOf: (TeamID) -> TeamState,
                             load: (RepID) -> RepLoad, now: Date) -> RoutingDecision? {
        let home = teamID ?? owner.flatMap { owner in teams.values.filter { $0.members.contains(owner) }.map(\.id).sorted().first }
        guard let home, var team = teams[home] else { return nil }
        team.members.removeAll { $0 == owner }
        let state = stateOf(home)
        guard let (rep, picked, considered) = pick(team, state: state, load: load, now: now) else { return nil }
        // `pick` keeps only the members it saw; the current owner keeps its place in the rotation.
        var newState = picked
        if let owner {
            newState.lastAssigned[owner] = state.lastAssigned[owner]
            newState.credits[owner] = state.credits[owner]
        }
        return RoutingDecision(rule: "escalation: reassign", rulesTried: [], team: home, strategy: team.routing.strategy,
                               considered: considered, rep: rep, holdReason: nil, teamsTried: [home], newState: (home, newState))
    }
}
