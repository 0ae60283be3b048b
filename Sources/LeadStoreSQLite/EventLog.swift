import Foundation
import GRDB
import LeadCore

/// Appends to the audit/event log inside the caller's transaction.
enum EventLog {
    static func append(_ db: Database, kind: String, at now: Date, lead: Int64? = nil, rep: String? = nil,
                       data: [String: String] = [:]) throws {
        try db.cachedStatement(sql: "INSERT INTO events (at, kind, lead_id, rep_id, data) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [now.unixSeconds, kind, lead, rep, json(data)])
    }

    static func json(_ data: [String: String]) -> String { JSONText.object(data) }

    static func quote(_ text: String) -> String { JSONText.quote(text) }
}
