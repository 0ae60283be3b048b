import Foundation
import GRDB
import LeadCore

extension SQLiteLeadStore {
    public func recordLead(_ draft: LeadDraft, at now: Date) async throws -> LeadRecording {
        try await write { db in
            if let existing = try Int64.fetchOne(db, sql: """
                SELECT id FROM leads WHERE origin_channel = ? AND origin_name = ? AND origin_key = ?
                """, arguments: [draft.origin.channel.rawValue, draft.origin.name, draft.origin.key]) {
                return .duplicate(LeadID(existing))
            }
            let id = try Self.insertLead(draft, at: now, in: db)
            return .created(LeadID(id))
        }
    }

    public func assign(_ lead: LeadID, to rep: RepID, team: TeamID?, rule: String, at now: Date) async throws {
        try await write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM leads WHERE id = ?", arguments: [lead.rawValue]) != nil else {
                throw LeadStoreError.unknownLead(lead)
            }
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM reps WHERE id = ?", arguments: [rep.rawValue]) != nil else {
                throw LeadStoreError.unknownRep(rep)
            }
            let at = now.unixSeconds
            try db.execute(sql: "UPDATE assignments SET ended_at = ? WHERE lead_id = ? AND ended_at IS NULL",
                           arguments: [at, lead.rawValue])
            try db.execute(sql: """
                INSERT INTO assignments (lead_id, rep_id, team_id, rule, assigned_at) VALUES (?, ?, ?, ?, ?)
                """, arguments: [lead.rawValue, rep.rawValue, team?.rawValue, rule, at])
            try db.execute(sql: "UPDATE leads SET owner_rep_id = ?, team_id = ?, updated_at = ? WHERE id = ?",
                           arguments: [rep.rawValue, team?.rawValue, at, lead.rawValue])
            try EventLog.append(db, kind: "lead.assigned", at: now, lead: lead.rawValue, rep: rep.rawValue,
                                data: ["rule": rule, "team": team?.rawValue ?? ""])
        }
    }

    public func lead(_ id: LeadID) async throws -> Lead? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM leads WHERE id = ?", arguments: [id.rawValue]).map(LeadRow.lead)
        }
    }

    public func leads(_ query: LeadQuery) async throws -> [Lead] {
        try await pool.read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let status = query.status { conditions.append("status = ?"); arguments += [status.rawValue] }
            if let owner = query.owner { conditions.append("owner_rep_id = ?"); arguments += [owner.rawValue] }
            if let since = query.receivedSince { conditions.append("received_at >= ?"); arguments += [since.unixSeconds] }
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            arguments += [query.limit]
            return try Row.fetchAll(db, sql: "SELECT * FROM leads \(whereClause) ORDER BY id DESC LIMIT ?",
                                    arguments: arguments).map(LeadRow.lead)
        }
    }
}

/// Maps a `leads` row to the core type.
enum LeadRow {
    static func lead(_ row: Row) -> Lead {
        let customText: String = row["custom_fields"] ?? "{}"
        let custom = (try? JSONSerialization.jsonObject(with: Data(customText.utf8))) as? [String: String] ?? [:]
        let draft = LeadDraft(
            name: row["name"], company: row["company"], email: row["email"], phone: row["phone"],
            country: row["country"], province: row["province"], city: row["city"], industry: row["industry"],
            source: row["source"], campaign: row["campaign"], message: row["message"], customFields: custom,
            origin: LeadOrigin(channel: LeadOrigin.Channel(rawValue: row["origin_channel"]) ?? .manual,
                               name: row["origin_name"], key: row["origin_key"]),
            receivedAt: Date(unixSeconds: row["received_at"]))
        return Lead(
            id: LeadID(row["id"] as Int64), draft: draft, status: LeadStatus(rawValue: row["status"]),
            owner: (row["owner_rep_id"] as String?).map(RepID.init(rawValue:)),
            team: (row["team_id"] as String?).map(TeamID.init(rawValue:)),
            createdAt: Date(unixSeconds: row["created_at"]), updatedAt: Date(unixSeconds: row["updated_at"]))
    }
}
