import Foundation
import LeadCore
import PostgresNIO

extension PostgresLeadStore: ChangeFeed {
    public func changeCursor() async throws -> ChangeCursor {
        for try await (events, escalations) in try await query("""
            SELECT COALESCE((SELECT MAX(id) FROM events), 0), COALESCE((SELECT MAX(id) FROM escalations), 0)
            """).decode((Int64, Int64).self) {
            return ChangeCursor(events: events, escalations: escalations)
        }
        return ChangeCursor(events: 0, escalations: 0)
    }

    /// Identity values are handed out before commit, so a row may become visible after a later
    /// one: the console only refreshes on it, and a refreshed page shows every committed change.
    public func changes(after cursor: ChangeCursor, limit: Int) async throws -> (cursor: ChangeCursor, leads: [LeadID]) {
        var next = cursor
        var leads: [LeadID] = []
        for try await (id, lead) in try await query("""
            SELECT id, lead_id FROM events WHERE id > \(cursor.events) ORDER BY id LIMIT \(limit)
            """).decode((Int64, Int64?).self) {
            next.events = id
            if let lead { leads.append(LeadID(lead)) }
        }
        for try await (id, lead) in try await query("""
            SELECT id, lead_id FROM escalations WHERE id > \(cursor.escalations) ORDER BY id LIMIT \(limit)
            """).decode((Int64, Int64).self) {
            next.escalations = id
            leads.append(LeadID(lead))
        }
        var seen = Set<LeadID>()
        return (next, leads.filter { seen.insert($0).inserted })
    }
}
