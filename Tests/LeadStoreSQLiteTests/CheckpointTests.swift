import Foundation
import GRDB
import LeadCore
@testable import LeadStoreSQLite
import LeadTestSupport
import Testing

/// The daemon's writer never checkpoints inside a commit (`wal_autocheckpoint = 0`); the
/// background checkpointer copies the WAL on its own connection, and the next commit starts
/// the WAL over, cut back to 64 MiB. `leadctl`'s writer keeps SQLite's automatic checkpoints.
@Suite struct CheckpointTests {
    /// 2,500 leads with 4 KiB bodies: well over SQLite's 1,000-page automatic checkpoint.
    func writeBulk(_ store: SQLiteLeadStore, round: Int = 0) async throws {
        let items = (0..<2_500).map { i in
            IntakeItem(draft: draft("bulk-\(round)-\(i)"), raw: RawCapture(body: Array(repeating: UInt8(ascii: "x"), count: 4_096)))
        }
        for chunk in stride(from: 0, to: items.count, by: 250) {
            _ = try await store.recordIntakes(Array(items[chunk ..< chunk + 250]), duplicates: DuplicatePolicy(match: .off), at: t0)
        }
    }

    func walPages(_ file: URL) throws -> Int {
        let size = (try FileManager.default.attributesOfItem(atPath: file.path + "-wal")[.size] as? Int) ?? 0
        return size / 4_096
    }

    @Test func theDaemonsWriterLeavesCheckpointsToTheCheckpointer() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let file = folder.file("state/leadrouter.sqlite")
        let store = try SQLiteLeadStore.openWriter(at: file, checkpoints: .background)
        #expect(try await store.pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") } == 0)
        try await writeBulk(store)
        #expect(try walPages(file) > 2_500, "no commit checkpointed: every page is still in the WAL")
        let checkpoint = try #require(try await store.checkpointWAL())
        #expect(checkpoint.walFrames > 2_500)
        #expect(checkpoint.copiedFrames == checkpoint.walFrames, "every committed page copied")
        // The copy is in the database file: a reader of the file alone (the WAL set aside) sees every lead.
        let count = try await DatabaseQueue(path: file.path).read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM leads") }
        #expect(count == 2_500)
    }

    @Test func afterACompleteCopyTheWALStartsOverAndShrinks() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let file = folder.file("state/leadrouter.sqlite")
        let store = try SQLiteLeadStore.openWriter(at: file, checkpoints: .background)
        for round in 0 ..< 7 { try await writeBulk(store, round: round) }   // 7 × ~2,700 pages: past 64 MiB
        #expect(try walPages(file) > 16_384)
        let checkpoint = try #require(try await store.checkpointWAL())
        #expect(checkpoint.copiedFrames == checkpoint.walFrames)
        // The next commit writes from the WAL's start, and the file is cut back to the size limit.
        _ = try await store.recordIntakes([IntakeItem(draft: draft("after"), raw: RawCapture(body: []))], duplicates: DuplicatePolicy(match: .off), at: t0)
        #expect(try walPages(file) <= 16_384 + 16, "journal_size_limit: 64 MiB")
        #expect(try await store.checkpointWAL()?.walFrames ?? .max < 100)
    }

    @Test func leadctlsWriterKeepsAutomaticCheckpoints() async throws {
        try await withStore { store, file in
            #expect(try await store.pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") } == 1_000)
            #expect(try await store.checkpointWAL() == nil)
            try await writeBulk(store)
            #expect(try walPages(file) < 2_500, "SQLite checkpointed and restarted the WAL on the way")
        }
    }
}
