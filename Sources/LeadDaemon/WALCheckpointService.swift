import Foundation
import LeadCore
import ServiceLifecycle

/// Copies the SQLite WAL into the database file every `interval`, on the checkpointer's own
/// connection, so no write transaction waits for a checkpoint (the writer runs with
/// `wal_autocheckpoint = 0`). Runs first and stops last.
struct WALCheckpointService: Service {
    let checkpoint: @Sendable () async throws -> WALCheckpoint?
    let context: DaemonContext
    var interval: Duration = .milliseconds(250)

    func run() async throws {
        var lastFailureLogged: ContinuousClock.Instant?
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                if let result = try await checkpoint() { context.metrics.walCheckpoint(result) }
            } catch {
                // A failing disk shows in every write; once a minute here is enough.
                if lastFailureLogged.map({ ContinuousClock.now - $0 >= .seconds(60) }) ?? true {
                    context.logger.error("wal checkpoint failed", metadata: ["error": "\(error)"])
                    lastFailureLogged = .now
                }
            }
            await cancelWhenGracefulShutdown { try? await Task.sleep(for: interval) }
        }
    }
}
