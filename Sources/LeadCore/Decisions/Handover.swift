import Foundation

/// Where a handover (可交接: a rep leaves or goes on long leave) sends the rep's open leads.
public enum HandoverTarget: Hashable, Sendable, CustomStringConvertible {
    /// Each lead to its own team (else the leaving rep's first team), by that team's strategy.
    case ownTeams
    /// Every lead to this team, by its strategy.
    case team(TeamID)
    /// Every lead to this one rep.
    case rep(RepID)

    public var description: String {
        switch self {
        case .ownTeams: "each lead's team"
        case .team(let team): "team \(team)"
        case .rep(let rep): "rep \(rep)"
        }
    }

    /// `--to` as typed: `rep:ID`, `team:ID`, or a bare id that names exactly one of them.
    public static func parse(_ text: String?, engine: RoutingEngine) -> Result<HandoverTarget, HandoverError> {
        guard let text, !text.isEmpty else { return .success(.ownTeams) }
        if text.hasPrefix("rep:") { return known(.rep(RepID(String(text.dropFirst(4)))), engine) }
        if text.hasPrefix("team:") { return known(.team(TeamID(String(text.dropFirst(5)))), engine) }
        let rep = engine.reps[RepID(text)] != nil, team = engine.teams[TeamID(text)] != nil
        switch (rep, team) {
        case (true, true): return .failure(.ambiguous(text))
        case (true, false): return .success(.rep(RepID(text)))
        case (false, true): return .success(.team(TeamID(text)))
        case (false, false): return .failure(.unknownTarget(text))
        }
    }

    private static func known(_ target: HandoverTarget, _ engine: RoutingEngine) -> Result<HandoverTarget, HandoverError> {
        switch target {
        case .rep(let rep) where engine.reps[rep] == nil: .failure(.unknownTarget("rep:\(rep)"))
        case .team(let team) where engine.teams[team] == nil: .failure(.unknownTarget("team:\(team)"))
        default: .success(target)
        }
    }
}

public enum HandoverError: Error, Equatable, CustomStringConvertible {
    case unknownRep(RepID)
    case unknownTarget(String)
    case ambiguous(String)
    case toSelf(RepID)
    case noReason

    public var description: String {
        switch self {
        case .unknownRep(let rep): "no rep \(rep) in the configuration"
        case .unknownTarget(let text): "'\(text)' is neither a configured rep nor a team"
        case .ambiguous(let text): "'\(text)' is both a rep and a team: write rep:\(text) or team:\(text)"
        case .toSelf(let rep): "\(rep) cannot hand leads over to themselves"
        case .noReason: "a handover needs a reason"
        }
    }
}

/// One lead of a handover: who gets it, or why it stays with the leaving rep.
public struct HandoverMove: Hashable, Sendable {
    public var lead: LeadID
    public var name: String?
    public var status: String
    public var fromTeam: TeamID?
    /// The new owner; nil when nobody may take it (it stays, `stays` says why).
    public var to: RepID?
    public var team: TeamID?
    public var stays: String?

    public init(lead: LeadID, name: String?, status: String, fromTeam: TeamID?, to: RepID?, team: TeamID?, stays: String?) {
        self.lead = lead; self.name = name; self.status = status; self.fromTeam = fromTeam; self.to = to; self.team = team; self.stays = stays
    }
}

/// A handover's outcome (or, dry run, what it would be: the same decisions in a transaction that
/// is rolled back).
public struct HandoverPlan: Hashable, Sendable {
    public var from: RepID
    public var target: HandoverTarget
    public var performed: Bool
    public var moves: [HandoverMove]

    public init(from: RepID, target: HandoverTarget, performed: Bool, moves: [HandoverMove]) {
        self.from = from; self.target = target; self.performed = performed; self.moves = moves
    }

    public var moved: Int { moves.count { $0.to != nil } }
    public var stayed: Int { moves.count { $0.to == nil } }

    /// New owner → how many leads.
    public var spread: [(RepID, Int)] {
        Dictionary(grouping: moves.compactMap(\.to), by: { $0 }).map { ($0.key, $0.value.count) }.sorted { $0.0 < $1.0 }
    }
}

extension AssignmentDecider {
    /// One open lead of a leaving rep (`from`), oldest first within the handover's transaction so
    /// each pick sees the loads and rotation the previous one wrote. Audited as manual, rule
    /// `handover: REASON`; the new owner's clocks restart as a new cycle and the new owner is told.
    /// Caps, leave and shifts (as the team requires) are respected; `force` lifts the caps (a
    /// named rep: every check). Nil when nobody may take the lead: it stays, and `stayReason` says why.
    public func handover(_ lead: LeadID, draft: LeadDraft, team leadTeam: TeamID?, from rep: RepID, to target: HandoverTarget,
                         reason: String, force: Bool, now: Date, facts: any RoutingFacts) throws -> AssignmentEffects? {
        let reader = FactReader(facts, engine: engine, now: now)
        let rule = "handover: \(reason)"
        var decision: RoutingDecision?
        switch target {
        case .rep(let to):
            let why = engine.ineligibility(to, team: nil, load: reader.load(to), now: now)
            try reader.check()
            if why == nil || force {
                let team = engine.teams.values.filter { $0.members.contains(to) }.map(\.id).sorted().first
                decision = RoutingDecision(
                    rule: rule, rulesTried: [], team: team, strategy: nil,
                    considered: [RoutingCandidate(rep: to, eligible: why == nil, reason: why.map { "forced: \($0)" } ?? "named in the handover")],
                    rep: to, holdReason: nil, teamsTried: [], newState: nil)
            }
        case .ownTeams, .team:
            let team: TeamID? = if case .team(let team) = target { team } else { leadTeam.flatMap { engine.teams[$0] == nil ? nil : $0 } }
            decision = engine.reassignment(from: rep, team: team, state: reader.state, load: reader.load, now: now)
            if decision == nil, force {
                decision = engine.withoutCaps.reassignment(from: rep, team: team, state: reader.state, load: reader.load, now: now)
            }
            try reader.check()
            decision?.rule = rule
        }
        guard let decision else { return nil }
        var effects = assigned(decision, lead: lead, draft: draft, now: now, notifyOwner: true)
        effects.manual = true
        effects.notices += event("lead.reassigned", decision, lead: lead, draft: draft, now: now, from: rep)
        return effects
    }

    /// A lead's line in the plan: its new owner from the applied decision, or why it stays.
    public func handoverMove(_ lead: Lead, applied decision: RoutingDecision?, to target: HandoverTarget) -> HandoverMove {
        HandoverMove(lead: lead.id, name: lead.draft.name, status: lead.status.rawValue, fromTeam: lead.team, to: decision?.rep,
                     team: decision?.team, stays: decision == nil ? stayReason(team: lead.team, to: target) : nil)
    }

    /// Why `handover` found nobody for a lead, in words for the preview.
    func stayReason(team leadTeam: TeamID?, to target: HandoverTarget) -> String {
        switch target {
        case .rep(let rep): "\(rep) cannot take it now (caps, leave or shift; force to assign anyway)"
        case .team(let team): "nobody else in team \(team) is eligible now"
        case .ownTeams:
            leadTeam.map { "nobody else in team \($0) is eligible now" } ?? "the lead has no team and the rep is in none"
        }
    }
}

extension RoutingEngine {
    /// The same engine with no rep's caps: a forced handover fills reps past them.
    var withoutCaps: RoutingEngine {
        var engine = self
        for (id, var rep) in engine.reps {
            rep.routing.maxOpen = nil; rep.routing.maxPerDay = nil; rep.routing.maxPerWeek = nil
            engine.reps[id] = rep
        }
        return engine
    }
}

extension HandoverPlan {
    /// The plan as JSON (stable keys), for `leadctl reps handover --json` and the admin API.
    public var json: String {
        let moves = moves.map { move -> String in
            var fields = ["lead_id": JSONText.quote(move.lead.description), "status": JSONText.quote(move.status),
                          "name": move.name.map(JSONText.quote) ?? "null",
                          "to": move.to.map { JSONText.quote($0.rawValue) } ?? "null",
                          "team": move.team.map { JSONText.quote($0.rawValue) } ?? "null",
                          "stays": move.stays.map(JSONText.quote) ?? "null"]
            fields["from_team"] = move.fromTeam.map { JSONText.quote($0.rawValue) } ?? "null"
            return "{" + fields.keys.sorted().map { "\(JSONText.quote($0)):\(fields[$0]!)" }.joined(separator: ",") + "}"
        }
        let spread = "{" + self.spread.map { "\(JSONText.quote($0.0.rawValue)):\($0.1)" }.joined(separator: ",") + "}"
        return "{\"from\":\(JSONText.quote(from.rawValue)),\"moved\":\(moved),\"moves\":[\(moves.joined(separator: ","))],"
            + "\"performed\":\(performed),\"spread\":\(spread),\"stayed\":\(stayed),\"target\":\(JSONText.quote(target.description))}"
    }
}
