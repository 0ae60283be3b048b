import Foundation
import LeadCore
import LeadStorePostgres
import Logging
import PostgresNIO

/// A fresh database per test on the throwaway PostgreSQL `scripts/test` starts (its unix socket
/// in `LEADROUTER_TEST_PG_SOCKET`), dropped afterwards.
struct PostgresStoreFactory: StoreFactory {
    let socket: String
    var description: String { "postgresql" }

    static var socket: String? { ProcessInfo.processInfo.environment["LEADROUTER_TEST_PG_SOCKET"].flatMap { $0.isEmpty ? nil : $0 } }
    static var available: [any StoreFactory] { socket.map { [PostgresStoreFactory(socket: $0)] } ?? [] }

    func make() async throws -> (store: any ConformingStore, remove: @Sendable () async -> Void) {
        let database = try await Self.createDatabase(socket: socket)
        let store = try await PostgresLeadStore.open(settings(database))
        let socket = socket
        return (store, {
            store.close()
            try? await Self.admin(socket: socket, "DROP DATABASE \(database) WITH (FORCE)")
        })
    }

    func settings(_ database: String) -> PostgresLeadStore.Settings {
        PostgresLeadStore.Settings(endpoint: .unixSocket(path: socket), database: database, user: "leadrouter")
    }

    /// A new, empty database with a unique name.
    static func createDatabase(socket: String) async throws -> String {
        let name = "lr_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        try await admin(socket: socket, "CREATE DATABASE \(name)")
        return String(name)
    }

    /// Runs one statement on the server's `postgres` database.
    static func admin(socket: String, _ sql: String) async throws {
        try await adminOn(database: "postgres", socket: socket, sql)
    }

    /// Runs one statement on `database`.
    static func adminOn(database: String, socket: String, _ sql: String) async throws {
        let client = PostgresClient(configuration: .init(unixSocketPath: socket, username: "leadrouter", password: nil, database: database))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await client.query(PostgresQuery(unsafeSQL: sql))
        }
    }
}
