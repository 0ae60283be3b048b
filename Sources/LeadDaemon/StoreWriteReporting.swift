import Foundation
import LeadCore
import Logging

/// Each write transaction's wait for the writer and its hold of it, as metrics; a transaction
/// that held the writer longer than `slow` is also logged (everything else waited that long).
struct StoreWriteReporting: StoreWriteObserving {
    let metrics: DaemonMetrics
    let logger: Logger
    var slow: Duration = .seconds(1)

    func storeWrite(_ operation: String, waited: Duration, held: Duration) {
        metrics.storeWrite(operation, waited: waited, held: held)
        guard held >= slow else { return }
        logger.warning("store write slow", metadata: [
            "db.operation": "\(operation)", "db.held_ms": "\(held.nanoseconds / 1_000_000)",
            "db.waited_ms": "\(waited.nanoseconds / 1_000_000)",
        ])
    }
}
