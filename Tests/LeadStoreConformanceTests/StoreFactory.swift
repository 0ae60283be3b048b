import Foundation
import LeadCore
import LeadStoreSQLite
import LeadTestSupport

/// Everything a store offers: the daemon's ports and the inspection leadctl uses.
typealias ConformingStore = DaemonStore & StoreInspection

/// Makes a fresh, empty store for one test. A second store (PostgreSQL) joins the suite by adding
/// its factory to `StoreFactories.all`; every test here then runs against it too.
protocol StoreFactory: Sendable, CustomStringConvertible {
    /// A fresh store, and what removes it afterwards.
    func make() async throws -> (store: any ConformingStore, remove: @Sendable () async -> Void)
}

enum StoreFactories {
    static let all: [any StoreFactory] = [SQLiteStoreFactory()]
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

/// Runs `body` on a fresh store from `factory`, removed afterwards whatever happens.
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
