import Foundation
import LeadCore
import Logging
import PostgresNIO

extension PostgresRowSequence {
    /// The first column of the first row, if any (the rest are read and dropped).
    func collectFirst<T: PostgresDecodable & Sendable>(_ type: T.Type) async throws -> T? {
        var first: T?
        for try await value in decode(T.self) where first == nil { first = value }
        return first
    }
}

/// The append-only audit and event log, written in the transaction of the change it records.
enum PostgresEvents {
    static func append(_ connection: PostgresConnection, kind: String, at now: Date, lead: Int64? = nil, rep: String? = nil,
                       data: [String: String] = [:], logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO events (at, kind, lead_id, rep_id, data) VALUES (\(now.unixSeconds), \(kind), \(lead), \(rep), \(JSONText.object(data)))
            """, logger: logger)
    }
}

extension Date {
    /// Whole Unix seconds, rounded down (how times are kept).
    var unixSeconds: Int64 { Int64(timeIntervalSince1970.rounded(.down)) }
}
