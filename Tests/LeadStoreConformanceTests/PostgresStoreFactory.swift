import Foundation
import LeadCore
import LeadStorePostgres
import LeadTestSupport
import Logging

/// A fresh database per test on the throwaway PostgreSQL `scripts/test` starts, dropped afterwards.
struct PostgresStoreFactory: StoreFactory {
    let socket: String
    var description: String { "postgresql" }

    static var socket: String? { TestPostgres.socket }
    static var available: [any StoreFactory] { socket.map { [PostgresStoreFactory(socket: $0)] } ?? [] }

    func make() async throws -> (store: any ConformingStore, remove: @Sendable () async -> Void) {
        let database = try await TestPostgres.createDatabase(socket: socket)
        let store = try await PostgresLeadStore.open(settings(database))
        let socket = socket
        return (store, {
            store.close()
            await TestPostgres.dropDatabase(database, socket: socket)
        })
    }

    func settings(_ database: String) -> PostgresLeadStore.Settings {
        PostgresLeadStore.Settings(endpoint: .unixSocket(path: socket), database: database, user: TestPostgres.user)
    }

    static func createDatabase(socket: String) async throws -> String { try await TestPostgres.createDatabase(socket: socket) }
    static func admin(socket: String, _ sql: String) async throws { try await TestPostgres.admin(socket: socket, sql) }
    static func adminOn(database: String, socket: String, _ sql: String) async throws {
        try await TestPostgres.run(sql, database: database, socket: socket)
    }
}
