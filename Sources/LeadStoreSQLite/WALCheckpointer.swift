import Foundation
import GRDB
import LeadCore

/// Copies committed pages from the WAL into the database file on a connection of its own, so
/// no write transaction ever pays for it. SQLite's default runs the checkpoint inside whichever
/// commit crosses 1,000 WAL pages: at 1,000,000 leads that commit — an intake, a heartbeat —
/// held the writer for the random writes and the fsync of a 4 GB file while every other change
/// waited. The daemon's writer runs with `wal_autocheckpoint = 0` and the daemon calls this
/// every 250 ms.
final class WALCheckpointer: Sendable {
    private let queue: DatabaseQueue

    init(path: String, synchronous: SQLiteLeadStore.Synchronous) throws {
        var configuration = Configuration()
        configuration.label = "leadrouter-checkpointer"
        queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.inDatabase { db in try db.execute(sql: "PRAGMA synchronous = \(synchronous.rawValue)") }
    }

    /// A PASSIVE checkpoint: copies what no reader still needs and fsyncs the database file, all
    /// without the write lock (FULL or RESTART would hold it through that fsync: measured, 2.9 s
    /// with 64 MiB to copy into a 4 GB file). The next commit after a complete copy writes the
    /// WAL from its start (and `journal_size_limit` cuts the file back); only load that never
    /// pauses for 250 ms grows it. Runs on the connection's own dispatch queue (GRDB's), never on
    /// a Swift concurrency thread: the fsync inside may take a while.
    func checkpoint() async throws -> WALCheckpoint {
        try await queue.writeWithoutTransaction { db in
            let passive = try db.checkpoint(.passive)
            return WALCheckpoint(walFrames: passive.walFrameCount, copiedFrames: passive.checkpointedFrameCount)
        }
    }
}
