import Foundation
import GRDB

/// Appends to the audit/event log inside the caller's transaction.
enum EventLog {
    static func append(_ db: Database, kind: String, at now: Date, lead: Int64? = nil, rep: String? = nil,
                       data: [String: String] = [:]) throws {
        let json = try JSONSerialization.data(withJSONObject: data, options: [.sortedKeys])
        try db.execute(
            sql: "INSERT INTO events (at, kind, lead_id, rep_id, data) VALUES (?, ?, ?, ?, ?)",
            arguments: [now.unixSeconds, kind, lead, rep, String(decoding: json, as: UTF8.self)])
    }
}
