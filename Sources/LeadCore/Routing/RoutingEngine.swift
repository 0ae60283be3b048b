import Foundation

/// Pure routing: rules pick a target; a team's strategy picks an eligible rep; overflow handles
/// a team with nobody eligible. No clock, no store: `now`, the states and the loads come in, the
/// decision and the new state go out, and the store commits them with the assignment.
public struct RoutingEngine: Sendable {
    public var table: RoutingTable
    public var reps: [RepID: Rep]
    public var teams: [TeamID: Team]
    /// Zone for daily/weekly caps of reps without a schedule.
    public var defaultZone: String
    /// The SLA clocks that start when a lead is assigned (the store arms them with the assignment).
    public var sla: SLAPlan?
    /// The mail the store queues with an assignment.
    public var notices = AssignmentNotices()
    /// Outbound webhook channels and the events each takes.
    public var events = EventSubscriptions()

    public init(table: RoutingTable, reps: [Rep], teams: [Team], defaultZone: String = "Asia/Shanghai", sla: SLAPlan? = nil) {
        self.table = table
        self.reps = Dictionary(reps.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.teams = Dictionary(teams.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.defaultZone = defaultZone
        self.sla = sla
    }

    /// The local day and ISO week (Monday) starts for a rep's caps.
    public func capWindows(for rep: RepID, now: Date) -> (dayStart: Date, weekStart: Date) {
        let zone = reps[rep]?.routing.zone(default: defaultZone) ?? defaultZone
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = TimeZone(identifier: zone) ?? TimeZone(identifier: "UTC")!
        let day = calendar.startOfDay(for: now)
        let week = calendar.dateInterval(of: .weekOfYear, for: now)?.start ?? day
        return (day, week)
    }

    /// Nil when `rep` may take a lead now, else why not.
    /// `load` is read only when the rep has a cap: counting a rep's open leads and assignments is
    /// the expensive part of a decision, and without caps nothing here depends on it.
    public func ineligibility(_ repID: RepID, team: Team?, load: @autoclosure () -> RepLoad, now: Date) -> String? {
        guard let rep = reps[repID] else { return "not a configured rep" }
        guard rep.active else { return "inactive" }
        let routing = rep.routing
        let today = BusinessCalendar.local(now, zone: routing.zone(default: defaultZone)).day
        if let leave = routing.leaves.first(where: { $0.contains(localDay: today) }) { return "on leave \(leave.description)" }
        if team?.routing.requireOnShift ?? true, !routing.onShift(at: now) {
            return routing.calendar.map { "off shift (calendar \($0.id))" } ?? "off shift"
        }
        if let cap = routing.maxOpen, load().open >= cap { return "at max_open \(cap)" }
        if let cap = routing.maxPerDay, load().today >= cap { return "at max_per_day \(cap)" }
        if let cap = routing.maxPerWeek, load().thisWeek >= cap { return "at max_per_week \(cap)" }
        return nil
    }

    /// Routes one lead. `ownerHint` is the owner of an earlier lead of the same customer (owner
    /// matching), when the store found one.
    public func route(_ lead: LeadDraft, states: [TeamID: TeamState], loads: [RepID: RepLoad],
                      ownerHint: RepID? = nil, now: Date) -> RoutingDecision {
        route(lead, state: { states[$0] ?? TeamState() }, load: { loads[$0] ?? RepLoad() }, ownerHint: ownerHint, now: now)
    }

    /// The same with the state and loads read on demand (the store reads only the teams and reps
    /// the decision looks at, inside its transaction).
    public func route(_ lead: LeadDraft, state stateOf: (TeamID) -> TeamState, load loadOf: (RepID) -> RepLoad,
                      ownerHint: RepID? = nil, now: Date) -> RoutingDecision {
        var cache: [RepID: RepLoad] = [:]
        func load(_ rep: RepID) -> RepLoad {
            if let known = cache[rep] { return known }
            let value = loadOf(rep)
            cache[rep] = value
            return value
        }
        let (rule, trace) = table.match(lead)
        var decision = RoutingDecision(rule: rule?.name ?? "default", rulesTried: trace, team: nil, strategy: nil,
                                       considered: [], rep: nil, holdReason: nil, teamsTried: [], newState: nil)
        if rule?.ownerMatching == true, let owner = ownerHint {
            let reason = ineligibility(owner, team: nil, load: load(owner), now: now)
            decision.considered.append(RoutingCandidate(rep: owner, eligible: reason == nil, reason: reason ?? "owner of this customer's earlier lead"))
            if reason == nil { decision.rep = owner; return decision }
        }
        var target = rule?.target ?? table.defaultTarget
        var usedDefault = rule == nil
        var visited: Set<TeamID> = []
        while true {
            switch target {
            case .rep(let repID):
                let reason = ineligibility(repID, team: nil, load: load(repID), now: now)
                decision.considered.append(RoutingCandidate(rep: repID, eligible: reason == nil, reason: reason ?? "named by the rule"))
                if reason == nil { decision.rep = repID; return decision }
                if usedDefault { decision.holdReason = "\(repID) is \(reason!)"; return decision }
                target = table.defaultTarget
                usedDefault = true
            case .team(let teamID):
                guard let team = teams[teamID], visited.insert(teamID).inserted else {
                    decision.holdReason = "overflow loops back to team \(teamID)"
                    return decision
                }
                decision.teamsTried.append(teamID)
                decision.team = teamID
                decision.strategy = team.routing.strategy
                let state = stateOf(teamID)
                if let (rep, newState, considered) = pick(team, state: state, load: load, now: now) {
                    decision.considered += considered
                    decision.rep = rep
                    decision.newState = (teamID, newState)
                    return decision
                }
                decision.considered += team.members.map { member in
                    RoutingCandidate(rep: member, eligible: false,
                                     reason: ineligibility(member, team: team, load: load(member), now: now) ?? "?")
                }
                switch team.routing.overflow {
                case .hold:
                    decision.holdReason = "nobody eligible in team \(teamID)"
                    return decision
                case .nextTeam(let next):
                    target = .team(next)
                case .defaultTarget:
                    if usedDefault { decision.holdReason = "nobody eligible in team \(teamID) (the default)"; return decision }
                    target = table.defaultTarget
                    usedDefault = true
                }
            }
        }
    }

    /// Who the team's strategy would give the next lead to now (nil when nobody is eligible), for
    /// the console's rep page and explain; routing itself decides through `route`.
    public func nextInRotation(_ team: TeamID, state: TeamState, load: (RepID) -> RepLoad, now: Date) -> RepID? {
        guard let team = teams[team] else { return nil }
        return pick(team, state: state, load: load, now: now)?.0
    }

    /// The team's strategy over its eligible members; nil when nobody is eligible.
    func pick(_ team: Team, state: TeamState, load: (RepID) -> RepLoad, now: Date)
        -> (RepID, TeamState, [RoutingCandidate])? {
        var considered: [RoutingCandidate] = []
        var eligible: [RepID] = []
        for member in team.members {
            if let reason = ineligibility(member, team: team, load: load(member), now: now) {
                considered.append(RoutingCandidate(rep: member, eligible: false, reason: reason))
            } else {
                eligible.append(member)
            }
        }
        guard !eligible.isEmpty else { return nil }
        // Least recently assigned first; never assigned before anyone; ties in member order.
        let rotation = eligible.enumerated().sorted { a, b in
            let la = state.lastAssigned[a.element] ?? -1
            let lb = state.lastAssigned[b.element] ?? -1
            return la != lb ? la < lb : a.offset < b.offset
        }.map(\.element)
        var next = state
        let chosen: RepID
        switch team.routing.strategy {
        case .roundRobin:
            chosen = rotation[0]
        case .leastLoaded:
            chosen = rotation.min { load($0).open < load($1).open }!   // min keeps the first of equals
        case .weightedRoundRobin:
            // Smooth weighted round-robin over the eligible reps; credits of others are kept.
            var best: RepID? = nil
            var total = 0
            for rep in eligible {
                let weight = max(1, reps[rep]?.routing.weight ?? 1)
                total += weight
                next.credits[rep, default: 0] += weight
                if best == nil || next.credits[rep]! > next.credits[best!]! { best = rep }
            }
            chosen = best!
            next.credits[chosen]! -= total
            next.credits = next.credits.filter { team.members.contains($0.key) }
        }
        next.sequence += 1
        next.lastAssigned[chosen] = next.sequence
        next.lastAssigned = next.lastAssigned.filter { team.members.contains($0.key) }
        for rep in eligible {
            let why: String
            switch team.routing.strategy {
            case .roundRobin: why = rep == chosen ? "next in rotation" : "later in rotation"
            case .leastLoaded: why = "\(load(rep).open) open" + (rep == chosen ? ", fewest" : "")
            case .weightedRoundRobin: why = "weight \(reps[rep]?.routing.weight ?? 1)" + (rep == chosen ? ", highest credit" : "")
            }
            considered.append(RoutingCandidate(rep: rep, eligible: true, reason: why))
        }
        let order = Dictionary(uniqueKeysWithValues: team.members.enumerated().map { ($1, $0) })
        considered.sort { (order[$0.rep] ?? 0) < (order[$1.rep] ?? 0) }
        return (chosen, next, considered)
    }
}
