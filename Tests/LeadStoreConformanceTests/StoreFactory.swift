import Foundation
import LeadCore
import LeadStoreSQLite
import LeadTestSupport

/// Everything a store offers: the daemon's ports and the inspection leadctl uses.
typealias ConformingStore = DaemonStore & StoreInspection

/// Makes a fresh, empty store for one test. Tests hold the behaviour of a port; each runs against
/// every factory in `StoreFactories.all`, so a second store that joins the list is held to all of it.
protocol StoreFactory: Sendable, CustomStringConvertible {
    /// A fresh store, and what removes it afterwards.
    func make() async throws -> (store: any ConformingStore, remove: @Sendable () async -> Void)
}

enum StoreFactories {
    /// The embedded SQLite store, and PostgreSQL when a test server is up (`scripts/test` starts
    /// one and sets `LEADROUTER_TEST_PG_SOCKET`).
    static let all: [any StoreFactory] = [SQLiteStoreFactory()] + PostgresStoreFactory.available
}

/// The embedded default: a new SQLite file in a new folder.
struct SQLiteStoreFactory: StoreFactory {
    var description: String { "sqlite" }

    func make() async throws -> (store: any ConformingStore, remove: @Sendable () async -> Void) {
        let folder = try TemporaryDirectory(prefix: "lr-conformance")
        let store = try SQLiteLeadStore.openWriter(at: folder.file("state/leadrouter.sqlite"))
        return (store, { folder.remove() })
    }
}

/// A fresh store from `factory`, removed afterwards whatever happens.
func withStore(_ factory: any StoreFactory, _ body: (any ConformingStore) async throws -> Void) async throws {
    let (store, remove) = try await factory.make()
    do {
        try await body(store)
    } catch {
        await remove()
        throw error
    }
    await remove()
}
