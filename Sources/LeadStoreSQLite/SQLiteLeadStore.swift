import Foundation
import GRDB
import LeadCore

/// The embedded store: one SQLite file in WAL mode, one writer connection, readers that never
/// block it. Every public write is one transaction.
public final class SQLiteLeadStore: LeadStore {
    public enum Mode: Sendable { case writer, readOnly }

    public enum Synchronous: Int, Sendable {
        case normal = 1
        case full = 2
    }

    let pool: DatabasePool
    let writer: TimedWriter

    /// Who copies the WAL into the database file: SQLite, inside the commit that crosses 1,000
    /// pages (`leadctl`'s occasional writes), or the daemon's background checkpointer through
    /// `checkpointWAL()` on a connection of its own (no transaction waits for a checkpoint).
    public enum Checkpoints: Sendable { case automatic, background }

    /// Opens (creating if needed) and migrates the database for the daemon, then sets and checks
    /// `PRAGMA synchronous` on the writer (GRDB sets NORMAL when it enables WAL).
    public static func openWriter(at url: URL, synchronous: Synchronous = .full, busyTimeout: Duration = .seconds(5),
                                  checkpoints: Checkpoints = .automatic) throws -> SQLiteLeadStore {
        try openWriter(at: url, synchronous: synchronous, busyTimeout: busyTimeout, checkpoints: checkpoints, prepareConnection: nil)
    }

    /// `prepareConnection` runs on every connection the pool opens (the tests trace statements with it).
    static func openWriter(at url: URL, synchronous: Synchronous, busyTimeout: Duration, checkpoints: Checkpoints = .automatic,
                           prepareConnection: (@Sendable (Database) throws -> Void)?) throws -> SQLiteLeadStore {
        try DatabaseFileModes.prepare(url)
        var configuration = Configuration()
        configuration.label = "leadrouter"
        configuration.busyMode = .timeout(TimeInterval(busyTimeout.wholeSeconds))
        if let prepareConnection { configuration.prepareDatabase(prepareConnection) }
        let pool = try DatabasePool(path: url.path, configuration: configuration)
        try Migrations.migrator.migrate(pool)
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = \(synchronous.rawValue)")
            let actual = try Int.fetchOne(db, sql: "PRAGMA synchronous")
            guard actual == synchronous.rawValue else {
                throw StoreOpenError.pragmaNotApplied(name: "synchronous", wanted: synchronous.rawValue, got: actual ?? -1)
            }
            // The writer's page cache: the indexes' upper levels and recent pages of a large
            // database stay in memory instead of being read again for every transaction.
            try db.execute(sql: "PRAGMA cache_size = -\(writerCacheKiB)")
            // A WAL grown by a burst is cut back to this size when it starts over.
            try db.execute(sql: "PRAGMA journal_size_limit = \(64 << 20)")
            if checkpoints == .background { try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
        }
        let checkpointer = checkpoints == .background ? try WALCheckpointer(path: url.path, synchronous: synchronous) : nil
        return SQLiteLeadStore(pool: pool, checkpointer: checkpointer)
    }

    /// 16 MiB.
    static let writerCacheKiB = 16_384

    /// Opens an existing database read-only (for `leadctl` while the daemon runs).
    public static func openReadOnly(at url: URL, busyTimeout: Duration = .seconds(5)) throws -> SQLiteLeadStore {
        guard FileManager.default.fileExists(atPath: url.path) else { throw StoreOpenError.missing(path: url.path) }
        var configuration = Configuration()
        configuration.label = "leadrouter-readonly"
        configuration.readonly = true
        configuration.busyMode = .timeout(TimeInterval(busyTimeout.wholeSeconds))
        let pool = try DatabasePool(path: url.path, configuration: configuration)
        try pool.read { db in
            let applied = Set(try Migrations.migrator.appliedIdentifiers(db))
            let unknown = applied.subtracting(Migrations.known)
            guard unknown.isEmpty else { throw StoreOpenError.newerSchema(unknown.sorted()) }
        }
        return SQLiteLeadStore(pool: pool)
    }

    private let checkpointer: WALCheckpointer?

    private init(pool: DatabasePool, checkpointer: WALCheckpointer? = nil) {
        self.pool = pool
        self.writer = TimedWriter(pool: pool)
        self.checkpointer = checkpointer
    }

    /// One background checkpoint (nil when SQLite checkpoints by itself: `Checkpoints.automatic`).
    public func checkpointWAL() async throws -> WALCheckpoint? {
        guard let checkpointer else { return nil }
        return try await checkpointer.checkpoint()
    }

    /// Every write transaction from now on is reported to `observer` (wait for and hold of the writer).
    public func observeWrites(_ observer: any StoreWriteObserving) { writer.observe(observer) }

    /// One write transaction on the writer, timed and named after the calling method.
    func write<T: Sendable>(_ function: String = #function, _ updates: @Sendable (Database) throws -> T) async throws -> T {
        try await writer.write(function, updates)
    }

    /// The value of `PRAGMA synchronous` on the writer connection.
    public func writerSynchronous() throws -> Int {
        try pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }

    /// Migration identifiers applied to this database, in order.
    public func appliedMigrations() throws -> [String] {
        try pool.read { db in try Migrations.migrator.appliedMigrations(db) }
    }

    public func journalMode() throws -> String {
        try pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }

    public func ping() async throws {
        _ = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    public func close() throws { try pool.close() }
}

public enum StoreOpenError: Error, Equatable, CustomStringConvertible {
    case missing(path: String)
    case newerSchema([String])
    case pragmaNotApplied(name: String, wanted: Int, got: Int)

    public var description: String {
        switch self {
        case .missing(let path): "no database at \(path) (has leadrouterd run with this configuration?)"
        case .newerSchema(let ids): "the database was written by a newer leadrouter (migrations \(ids.joined(separator: ", ")))"
        case .pragmaNotApplied(let name, let wanted, let got): "PRAGMA \(name) is \(got), wanted \(wanted)"
        }
    }
}


extension Date {
    var unixSeconds: Int64 { Int64(timeIntervalSince1970.rounded(.down)) }
    init(unixSeconds: Int64) { self.init(timeIntervalSince1970: TimeInterval(unixSeconds)) }
}
