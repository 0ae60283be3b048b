import Foundation
import GRDB

/// Appends to the audit/event log inside the caller's transaction.
enum EventLog {
    static func append(_ db: Database, kind: String, at now: Date, lead: Int64? = nil, rep: String? = nil,
                       data: [String: String] = [:]) throws {
        try db.cachedStatement(sql: "INSERT INTO events (at, kind, lead_id, rep_id, data) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [now.unixSeconds, kind, lead, rep, json(data)])
    }

    /// A flat string object as JSON, keys sorted (cheaper than JSONSerialization on the hot path).
    static func json(_ data: [String: String]) -> String {
        "{" + data.keys.sorted().map { "\(quote($0)):\(quote(data[$0]!))" }.joined(separator: ",") + "}"
    }

    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}
