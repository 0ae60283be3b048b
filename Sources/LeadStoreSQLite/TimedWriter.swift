import Foundation
import GRDB
import LeadCore
import Synchronization

/// The one writer connection, timed: each write transaction reports how long it waited for the
/// writer and how long it held it — commit, fsync and any WAL checkpoint SQLite runs after the
/// commit included — to the observer the daemon sets (`leadrouter_store_write_*` metrics).
final class TimedWriter: Sendable {
    let pool: DatabasePool
    private let observer = Mutex<(any StoreWriteObserving)?>(nil)

    init(pool: DatabasePool) { self.pool = pool }

    func observe(_ observer: any StoreWriteObserving) { self.observer.withLock { $0 = observer } }

    /// One transaction, named for the metric by the store method that runs it.
    func write<T: Sendable>(_ function: String, _ updates: @Sendable (Database) throws -> T) async throws -> T {
        let queued = ContinuousClock.now
        return try await pool.writeWithoutTransaction { db in
            let began = ContinuousClock.now
            var result: T?
            try db.inTransaction {
                result = try updates(db)
                return .commit
            }
            let ended = ContinuousClock.now
            if let observer = self.observer.withLock({ $0 }) {
                observer.storeWrite(Self.operation(function), waited: began - queued, held: ended - began)
            }
            return result!
        }
    }

    /// `commitIntakes(_:duplicates:decider:at:)` → `commitIntakes`.
    static func operation(_ function: String) -> String {
        String(function.prefix { $0 != "(" })
    }
}
