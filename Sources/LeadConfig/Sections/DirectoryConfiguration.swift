import LeadCore

/// `[[rep]]` and `[[team]]`: who sells and in which teams.
///
/// `[[rep]]`
/// - `id` (identifier, required): letters, digits, `.`, `_`, `-`; unique.
/// - `name` (string, required): display name, e.g. `"张伟"`.
/// - `email` (e-mail address, required): where assignments and reminders go.
/// - `active` (boolean, default `true`): an inactive rep keeps their leads but gets no new ones.
///
/// `[[team]]`
/// - `id` (identifier, required), `name` (string, default: the id).
/// - `members` (array of rep ids, required, at least one): round-robin order.
/// - `supervisor` (rep id or e-mail address, required): who hears about escalations.
public struct DirectoryConfiguration: Sendable, Equatable {
    public var reps: [Rep]
    public var teams: [Team]

    public init(reps: [Rep] = [], teams: [Team] = []) { self.reps = reps; self.teams = teams }

    public func rep(_ id: RepID) -> Rep? { reps.first { $0.id == id } }

    static func decode(_ root: TableReader) -> DirectoryConfiguration {
        var reps: [Rep] = []
        var seenReps: Set<RepID> = []
        for table in root.tables("rep") {
            defer { table.finish() }
            let id = identifier(table)
            let name = table.text("name", required: true)
            let email = table.email("email", required: true)
            let active = table.bool("active", default: true)
            if let id {
                if !seenReps.insert(RepID(id)).inserted { table.report("id", "duplicate rep id \"\(id)\"") }
            }
            if let id, let name, let email {
                reps.append(Rep(id: RepID(id), name: name, email: email, active: active))
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
            if let id, let supervisor, !members.isEmpty {
                teams.append(Team(id: TeamID(id), name: name ?? id, members: members, supervisor: supervisor))
            }
        }
        return DirectoryConfiguration(reps: reps, teams: teams)
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
