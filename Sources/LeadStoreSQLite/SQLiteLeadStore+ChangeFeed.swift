import Foundation
import GRDB
import LeadCore

extension SQLiteLeadStore: ChangeFeed {
    public func changeCursor() async throws -> ChangeCursor {
        try await pool.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT (SELECT MAX(id) FROM events) AS e, (SELECT MAX(id) FROM escalations) AS s")!
            return ChangeCursor(events: row["e"] ?? 0, escalations: row["s"] ?? 0)
        }
    }

    public func changes(after cursor: ChangeCursor, limit: Int) async throws -> (cursor: ChangeCursor, leads: [LeadID]) {
        try await pool.read { db in
            var next = cursor
            var leads: [LeadID] = []
            for row in try Row.fetchAll(db, sql: "SELECT id, lead_id FROM events WHERE id > ? ORDER BY id LIMIT ?", arguments: [cursor.events, limit]) {
                next.events = row["id"]
                if let lead: Int64 = row["lead_id"] { leads.append(LeadID(lead)) }
            }
            for row in try Row.fetchAll(db, sql: "SELECT id, lead_id FROM escalations WHERE id > ? ORDER BY id LIMIT ?",
                                        arguments: [cursor.escalations, limit]) {
                next.escalations = row["id"]
                leads.append(LeadID(row["lead_id"] as Int64))
            }
            var seen = Set<LeadID>()
            return (next, leads.filter { seen.insert($0).inserted })
        }
    }
}
