import Foundation
import GRDB
import LeadCore

extension SQLiteLeadStore {
    public func syncDirectory(reps: [Rep], teams: [Team], configGeneration: Int, at now: Date) async throws {
        try await write { db in
            let at = now.unixSeconds
            try db.execute(sql: "UPDATE reps SET retired = 1, updated_at = ? WHERE retired = 0", arguments: [at])
            for rep in reps {
                try db.execute(sql: """
                    INSERT INTO reps (id, name, email, active, retired, updated_at) VALUES (?, ?, ?, ?, 0, ?)
                    ON CONFLICT(id) DO UPDATE SET name = excluded.name, email = excluded.email,
                        active = excluded.active, retired = 0, updated_at = excluded.updated_at
                    """, arguments: [rep.id.rawValue, rep.name, rep.email.rawValue, rep.active, at])
            }
            try db.execute(sql: "UPDATE teams SET retired = 1, updated_at = ? WHERE retired = 0", arguments: [at])
            try db.execute(sql: "DELETE FROM team_members")
            for team in teams {
                try db.execute(sql: """
                    INSERT INTO teams (id, name, supervisor, retired, updated_at) VALUES (?, ?, ?, 0, ?)
                    ON CONFLICT(id) DO UPDATE SET name = excluded.name, supervisor = excluded.supervisor,
                        retired = 0, updated_at = excluded.updated_at
                    """, arguments: [team.id.rawValue, team.name, team.supervisor.description, at])
                for (position, member) in team.members.enumerated() {
                    try db.execute(sql: "INSERT INTO team_members (team_id, rep_id, position) VALUES (?, ?, ?)",
                                   arguments: [team.id.rawValue, member.rawValue, position])
                }
            }
            try EventLog.append(db, kind: "config.applied", at: now, data: [
                "generation": String(configGeneration), "reps": String(reps.count), "teams": String(teams.count),
            ])
        }
    }
}
