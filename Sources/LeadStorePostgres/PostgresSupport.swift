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

/// A row's columns by name, typed where they are read: `try fields("id") as Int64`.
struct PostgresFields {
    private let row: PostgresRandomAccessRow

    init(_ row: PostgresRow) { self.row = row.makeRandomAccess() }

    func callAsFunction<T: PostgresDecodable>(_ column: String) throws -> T { try row[column].decode(T.self) }

    /// A Unix-seconds column as a date.
    func date(_ column: String) throws -> Date { Date(timeIntervalSince1970: TimeInterval(try self(column) as Int64)) }

    /// A nullable Unix-seconds column as a date.
    func optionalDate(_ column: String) throws -> Date? {
        (try self(column) as Int64?).map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }
}

extension PostgresRowSequence {
    /// Every row, mapped by `transform`.
    func map<T>(_ transform: (PostgresFields) throws -> T) async throws -> [T] {
        var values: [T] = []
        for try await row in self { values.append(try transform(PostgresFields(row))) }
        return values
    }
}
