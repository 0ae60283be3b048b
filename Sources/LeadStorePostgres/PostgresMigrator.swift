import Foundation
import Logging
import PostgresNIO

/// Applies `PostgresSchema.migrations` in order, each in its own transaction, holding a session
/// advisory lock so that only one daemon migrates at a time (the others wait, then find nothing
/// to do). A database that has a migration this version does not know is refused.
enum PostgresMigrator {
    /// The advisory lock key: "leadrtr" as a number, so it does not collide with other users'.
    static let lockKey: Int64 = 0x6C65_6164_7274_72

    static func migrate(_ client: PostgresClient, logger: Logger) async throws {
        try await client.withConnection { connection in
            try await connection.query("SELECT pg_advisory_lock(\(lockKey))", logger: logger)
            do {
                try await apply(on: connection, logger: logger)
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(lockKey))", logger: logger)
                throw error
            }
            try await connection.query("SELECT pg_advisory_unlock(\(lockKey))", logger: logger)
        }
    }

    static func applied(_ client: PostgresClient, logger: Logger) async throws -> [String] {
        var names: [String] = []
        for try await name in try await client.query("SELECT name FROM schema_migrations ORDER BY applied_order", logger: logger).decode(String.self) {
            names.append(name)
        }
        return names
    }

    private static func apply(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                name TEXT PRIMARY KEY, applied_order INTEGER NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
            """, logger: logger)
        var done: [String] = []
        for try await name in try await connection.query("SELECT name FROM schema_migrations ORDER BY applied_order", logger: logger)
            .decode(String.self) {
            done.append(name)
        }
        let known = PostgresSchema.migrations.map(\.name)
        if let unknown = done.first(where: { !known.contains($0) }) {
            throw PostgresStoreError("the database has migration \"\(unknown)\", which this version does not know: it was migrated by a newer leadrouter")
        }
        for (order, migration) in PostgresSchema.migrations.enumerated() where !done.contains(migration.name) {
            try await connection.query("BEGIN", logger: logger)
            do {
                for statement in statements(migration.sql) {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query("INSERT INTO schema_migrations (name, applied_order) VALUES (\(migration.name), \(order))", logger: logger)
                try await connection.query("COMMIT", logger: logger)
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
            logger.info("postgres migration applied", metadata: ["migration": "\(migration.name)"])
        }
    }

    /// One statement per query (the extended protocol takes one): the schema ends each statement
    /// with ";" at the end of a line, and never so inside a function body.
    static func statements(_ sql: String) -> [String] {
        sql.components(separatedBy: ";\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty && !$0.split(separator: "\n").allSatisfy { $0.trimmingCharacters(in: .whitespaces).hasPrefix("--") } }
    }
}
