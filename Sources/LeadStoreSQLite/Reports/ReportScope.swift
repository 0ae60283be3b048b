import Foundation
import GRDB
import LeadCore

/// The leads a report covers and the group each belongs to, as SQL pieces.
struct ReportScope {
    let query: ReportQuery
    let now: Date

    /// The SQL expression of a lead's group (`l` is the leads table).
    var group: String {
        switch query.by {
        case nil: "'all'"
        case .rep?: "IFNULL(l.owner_rep_id, '-')"
        case .team?: "IFNULL(l.team_id, '-')"
        case .source?: "IFNULL(l.source, '-')"
        case .province?: "IFNULL(l.province, '-')"
        case .industry?: "IFNULL(l.industry, '-')"
        }
    }

    /// `l.created_at` within the window (and the team): a condition on the numbered `arguments`.
    var window: String { "l.created_at >= ?1 AND l.created_at < ?2 AND (?4 IS NULL OR l.team_id = ?4)" }
    /// ?1 since, ?2 until, ?3 now, ?4 the team (or NULL).
    var arguments: StatementArguments {
        [(query.since ?? .distantPast).unixSeconds, (query.until ?? Date(timeIntervalSince1970: 4_102_444_800)).unixSeconds,
         now.unixSeconds, query.team?.rawValue]
    }
    var groupTitle: String { query.by?.rawValue ?? "all" }

    /// Rows grouped in order of first appearance sorted by key.
    static func grouped<T>(_ items: [(String, T)]) -> [(String, [T])] {
        Dictionary(grouping: items, by: \.0).map { ($0.key, $0.value.map(\.1)) }.sorted { $0.0 < $1.0 }
    }
}

extension SQLiteLeadStore {
    /// A report's rows, read on GRDB's async path (a reader thread, not the concurrency pool: the
    /// weekly summary runs these from the daemon's work loop).
    func reportRows(_ sql: String, _ arguments: StatementArguments) async throws -> [Row] {
        try await pool.read { db in FetchedRows(rows: try Row.fetchAll(db, sql: sql, arguments: arguments)) }.rows
    }
}

/// Rows from `fetchAll` are detached copies, immutable once returned, so they may cross threads.
struct FetchedRows: @unchecked Sendable {
    let rows: [Row]
}
