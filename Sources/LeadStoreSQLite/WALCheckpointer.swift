import Foundation
import GRDB

/// Copies committed pages from the WAL into the database file on a connection of its own, so
/// no write transaction ever pays for it. SQLite's default runs the checkpoint inside whichever
/// commit crosses 1,000 WAL pages: at 1,000,000 leads that commit — an intake, a heartbeat —
/// held the writer for the random writes and the fsync of a 4 GB file while every other change
/// waited. The daemon's writer runs with `wal_autocheckpoint = 0` and calls this every few
/// hundred milliseconds.
final class WALCheckpointer: Sendable {
    /// Above this many WAL pages (64 MiB of 4 KiB pages) the WAL is restarted after the copy, so
    /// it cannot grow without bound under load that never pauses.
    static let restartAboveFrames = 16_384

    private let queue: DatabaseQueue

    init(path: String, synchronous: SQLiteLeadStore.Synchronous) throws {
        var configuration = Configuration()
        configuration.label = "leadrouter-checkpointer"
        // A restart waits for the writer's current transaction and for readers of the old WAL:
        // never for long — it is tried again in a moment.
        configuration.busyMode = .timeout(0.1)
        queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.inDatabase { db in try db.execute(sql: "PRAGMA synchronous = \(synchronous.rawValue)") }
    }

    /// Runs on the connection's own dispatch queue (GRDB's), never on a Swift concurrency thread:
    /// the fsync inside may take a while.
    func checkpoint() async throws -> WALCheckpoint {
        try await queue.writeWithoutTransaction { db in
            let passive = try db.checkpoint(.passive)
            guard passive.walFrameCount > Self.restartAboveFrames else {
                return WALCheckpoint(walFrames: passive.walFrameCount, copiedFrames: passive.checkpointedFrameCount, restarted: false)
            }
            do {
                let restart = try db.checkpoint(.restart)
                return WALCheckpoint(walFrames: restart.walFrameCount, copiedFrames: restart.checkpointedFrameCount, restarted: true)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
                return WALCheckpoint(walFrames: passive.walFrameCount, copiedFrames: passive.checkpointedFrameCount, restarted: false)
            }
        }
    }
}

/// One background checkpoint: the WAL's pages, how many are now in the database file, and
/// whether the WAL was restarted (the next commit writes from its start).
public struct WALCheckpoint: Sendable, Equatable {
    public var walFrames: Int
    public var copiedFrames: Int
    public var restarted: Bool
}
