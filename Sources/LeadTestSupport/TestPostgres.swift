import Foundation
import PostgresNIO

/// The throwaway PostgreSQL `scripts/test` starts (its unix socket in `LEADROUTER_TEST_PG_SOCKET`):
/// a fresh database per test, dropped afterwards.
public enum TestPostgres {
    /// The server's socket file, when one is up.
    public static var socket: String? {
        ProcessInfo.processInfo.environment["LEADROUTER_TEST_PG_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Whether tests that need the server must run (`scripts/test` sets `LEADROUTER_REQUIRE_POSTGRES=1`:
    /// there a missing server is a failure, not a skip).
    public static var required: Bool { ProcessInfo.processInfo.environment["LEADROUTER_REQUIRE_POSTGRES"] == "1" }

    /// The role the tests connect as (the one `initdb -U` made).
    public static let user = "leadrouter"

    /// A new, empty database with a unique name.
    public static func createDatabase(socket: String) async throws -> String {
        let name = "lr_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        try await admin(socket: socket, "CREATE DATABASE \(name)")
        return String(name)
    }

    public static func dropDatabase(_ name: String, socket: String) async {
        try? await admin(socket: socket, "DROP DATABASE \(name) WITH (FORCE)")
    }

    /// Runs one statement on the server's `postgres` database.
    public static func admin(socket: String, _ sql: String) async throws {
        try await run(sql, database: "postgres", socket: socket)
    }

    /// Runs one statement on `database`.
    public static func run(_ sql: String, database: String, socket: String) async throws {
        let client = PostgresClient(configuration: .init(unixSocketPath: socket, username: user, password: nil, database: database))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await client.query(PostgresQuery(unsafeSQL: sql))
        }
    }
}
