import Foundation
import LeadCore
import Logging
import PostgresNIO

/// `NOTIFY` on one channel wakes every node's schedulers; the payload says which. A notification
/// is sent in the writing transaction, so it is delivered only when that transaction commits
/// (PostgreSQL folds the same payload sent twice in one transaction). Notifications are lost
/// while a listener reconnects; the schedulers' periodic re-read stays the fallback.
enum PostgresWakeups {
    static let channel = "leadrouter_wakeup"

    static func notify(_ wakeup: ClusterWakeup, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("SELECT pg_notify(\(channel), \(wakeup.rawValue))", logger: logger)
    }
}

extension PostgresLeadStore {
    /// Holds one connection listening for wake-ups and calls `wake` for each, until the task is
    /// cancelled (returns) or the connection fails (throws: the caller reconnects).
    public func listenForWakeups(_ wake: @escaping @Sendable (ClusterWakeup) -> Void) async throws {
        try await client.withConnection { connection in
            try await connection.listen(on: PostgresWakeups.channel) { notifications in
                for try await notification in notifications {
                    if let wakeup = ClusterWakeup(rawValue: notification.payload) { wake(wakeup) }
                }
            }
        }
    }
}
