import Foundation
import LeadCore

/// `[[rep]]` and `[[team]]`: who sells and in which teams.
///
/// `[[rep]]`
/// - `id` (identifier, required): letters, digits, `.`, `_`, `-`; unique.
/// - `name` (string, required): display name, e.g. `"张伟"`.
/// - `email` (e-mail address, required): where assignments and reminders go.
/// - `active` (boolean, default `true`): an inactive rep keeps their leads but gets no new ones.
/// - `language` (string, optional): the language of the rep's mail (`zh`, `en`; a `[[team]]` may
///   set one too); default `[mail] language`.
/// - `token_file` (secret file, optional): the rep's bearer token for the HTTP API; it may log
///   activities only on the rep's own leads (`POST /leads/{id}/activities`).
/// - `mobile` (E.164, optional, e.g. `"+8613800138000"`): group robots @-mention the rep by it.
///
/// `[[team]]`
/// - `id` (identifier, required), `name` (string, default: the id).
/// - `members` (array of rep ids, required, at least one): round-robin order.
/// - `supervisor` (rep id or e-mail address, required): who hears about escalations.
/// - `strategy` (`round_robin` | `weighted_round_robin` | `least_loaded`, default `round_robin`).
/// - `channel` (a `[[channel]]` name, optional): the team's robot group, which also gets each new
///   lead's notice with its owner @-mentioned.
/// - `require_on_shift` (boolean, default true): skip reps outside their schedule.
/// - `overflow` (`"hold"` | `"default"` | `"next_team"`, default `"hold"`), `next_team` (team id).
///
/// Rep routing keys: `weight` (1–100, default 1), `leave` (array of `"YYYY-MM-DD..YYYY-MM-DD"`),
/// `max_open`, `max_per_day`, `max_per_week` (caps), `schedule = { zone = "Asia/Shanghai",
/// "mon-fri" = ["09:00-12:00", "13:30-18:00"] }` (no schedule: always on shift), or instead
/// `calendar = "cn-office"`: on shift while that `[[calendar]]` is open (its holidays and adjusted
/// workdays included, so nobody gets leads on National Day and everybody on the 调休 Saturday).
public struct DirectoryConfiguration: Sendable, Equatable {
    public var reps: [Rep]
    public var teams: [Team]
    /// Per-rep API tokens (`token_file`).
    public var repTokens: [RepID: Secret]

    public init(reps: [Rep] = [], teams: [Team] = [], repTokens: [RepID: Secret] = [:]) {
        self.reps = reps; self.teams = teams; self.repTokens = repTokens
    }

    /// The rep whose token this is, if any (compared in constant time against every token).
    public func rep(withToken token: String) -> RepID? {
        var found: RepID? = nil
        for (rep, secret) in repTokens.sorted(by: { $0.key.rawValue < $1.key.rawValue })
            where ConstantTime.equal(Array(token.utf8), Array(secret.value.utf8)) {
            found = rep
        }
        return found
    }

    public func rep(_ id: RepID) -> Rep? { reps.first { $0.id == id } }

    static func decode(_ root: TableReader, calendars: [BusinessCalendar] = [], channels: Set<String> = []) -> DirectoryConfiguration {
        var reps: [Rep] = []
        var seenReps: Set<RepID> = []
        var tokens: [RepID: Secret] = [:]
        for table in root.tables("rep") {
            defer { table.finish() }
            let id = identifier(table)
            let name = table.text("name", required: true)
            let email = table.email("email", required: true)
            let active = table.bool("active", default: true)
            let routing = repRouting(table, calendars: calendars)
            if let id, let token = table.secretFile("token_file") {
                if token.isRead, token.value.utf8.count < 16 { table.report("token_file", "a token needs at least 16 characters") }
                if token.isRead, tokens.values.contains(where: { $0.value == token.value }) { table.report("token_file", "two reps share this token") }
                tokens[RepID(id)] = token
            }
            if let id {
                if !seenReps.insert(RepID(id)).inserted { table.report("id", "duplicate rep id \"\(id)\"") }
            }
            let language = table.text("language")
            let mobile = table.text("mobile")
            if let mobile, mobile.wholeMatch(of: /\+[1-9][0-9]{6,14}/) == nil {
                table.report("mobile", "\"\(mobile)\" is not an E.164 number such as \"+8613800138000\"")
            }
            if let id, let name, let email {
                var rep = Rep(id: RepID(id), name: name, email: email, active: active, routing: routing)
                rep.language = language
                rep.mobile = mobile
                reps.append(rep)
            }
        }

        var teams: [Team] = []
        var seenTeams: Set<TeamID> = []
        for table in root.tables("team") {
            defer { table.finish() }
            let id = identifier(table)
            let name = table.text("name")
            var members: [RepID] = []
            if let listed = table.stringArray("members", required: true) {
                if listed.isEmpty { table.report("members", "a team needs at least one member") }
                for member in listed {
                    if !seenReps.contains(RepID(member)) {
                        table.report("members", "unknown rep \"\(member)\"")
                    } else if members.contains(RepID(member)) {
                        table.report("members", "rep \"\(member)\" is listed twice")
                    } else {
                        members.append(RepID(member))
                    }
                }
            }
            var supervisor: Team.Supervisor? = nil
            if let text = table.text("supervisor", required: true) {
                if seenReps.contains(RepID(text)) {
                    supervisor = .rep(RepID(text))
                } else if let address = EmailAddress(rawValue: text) {
                    supervisor = .address(address)
                } else {
                    table.report("supervisor", "\"\(text)\" is neither a rep id nor an e-mail address")
                }
            }
            if let id {
                if !seenTeams.insert(TeamID(id)).inserted { table.report("id", "duplicate team id \"\(id)\"") }
            }
            let strategy: RoutingStrategy = table.choice("strategy", default: .roundRobin)
            let requireOnShift = table.bool("require_on_shift", default: true)
            var overflow = Overflow.hold
            switch table.string("overflow") ?? "hold" {
            case "hold": overflow = .hold
            case "default": overflow = .defaultTarget
            case "next_team":
                if let next = table.text("next_team", required: true) { overflow = .nextTeam(TeamID(next)) }
            case let other: table.report("overflow", "\"\(other)\" is not one of \"hold\", \"default\", \"next_team\"")
            }
            if overflow == .hold || overflow == .defaultTarget, table.hasKey("next_team") {
                _ = table.string("next_team"); table.report("next_team", "next_team needs overflow = \"next_team\"")
            }
            let language = table.text("language")
            let channel = table.text("channel")
            if let channel, !channels.contains(channel) { table.report("channel", "no [[channel]] named \"\(channel)\"") }
            if let id, let supervisor, !members.isEmpty {
                var team = Team(id: TeamID(id), name: name ?? id, members: members, supervisor: supervisor,
                                routing: TeamRouting(strategy: strategy, requireOnShift: requireOnShift, overflow: overflow))
                team.language = language
                team.channel = channel
                teams.append(team)
            }
        }
        let known = Set(teams.map(\.id))
        for (index, team) in teams.enumerated() {
            if case .nextTeam(let next) = team.routing.overflow, !known.contains(next) {
                root.context.report(root.path.appending("team").appending(index: index).appending("next_team"), "unknown team \"\(next)\"")
            }
        }
        return DirectoryConfiguration(reps: reps, teams: teams, repTokens: tokens)
    }

    /// `weight`, `leave`, `max_open`, `max_per_day`, `max_per_week`, `schedule` or `calendar`.
    private static func repRouting(_ table: TableReader, calendars: [BusinessCalendar]) -> RepRouting {
        var routing = RepRouting()
        routing.weight = table.int("weight", default: 1, range: 1...100)
        for text in table.stringArray("leave") ?? [] {
            if let leave = LeavePeriod.parse(text) { routing.leaves.append(leave) }
            else { table.report("leave", "\"\(text)\" is not a leave like \"2026-12-01..2026-12-05\"") }
        }
        func cap(_ key: String) -> Int? { table.hasKey(key) ? table.int(key, default: 0, range: 1...100_000) : nil }
        routing.maxOpen = cap("max_open")
        routing.maxPerDay = cap("max_per_day")
        routing.maxPerWeek = cap("max_per_week")
        if table.hasKey("schedule") {
            let schedule = table.section("schedule")
            defer { schedule.finish() }
            let zone = schedule.text("zone") ?? "Asia/Shanghai"
            if TimeZone(identifier: zone) == nil { schedule.report("zone", "\"\(zone)\" is not an IANA time zone") }
            let periods = WeeklyHours.decode(schedule, skipping: ["zone"])
            routing.schedule = .weekly(zone: zone, periods: periods)
        }
        if let id = table.text("calendar") {
            if routing.schedule != nil { table.report("calendar", "give a schedule or a calendar, not both") }
            else if let calendar = calendars.first(where: { $0.id == id }) { routing.calendar = calendar }
            else { table.report("calendar", "unknown calendar \"\(id)\"") }
        }
        return routing
    }

    private static func identifier(_ table: TableReader) -> String? {
        guard let id = table.text("id", required: true) else { return nil }
        guard TeamID.isValidIdentifier(id) else {
            table.report("id", "\"\(id)\" is not an identifier (ASCII letters, digits, '.', '_', '-'; at most 64)")
            return nil
        }
        return id
    }
}
