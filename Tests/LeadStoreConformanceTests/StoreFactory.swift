import Foundation
import LeadCore
import LeadStoreSQLite
import LeadTestSupport

/// Everything a store offers: the daemon's ports and the inspection leadctl uses.
typealias ConformingStore = DaemonStore & StoreInspection
/// The intake ports and reading leads back: what the PostgreSQL store offers so far.
typealias IntakeConformingStore = IntakeStore & LeadReading

/// Makes a fresh, empty store for one test that offers the intake ports. Tests hold the
/// behaviour of a port; each runs against every factory that offers the ports it uses (River's
/// driver suite gates tests by capability the same way).
protocol IntakeStoreFactory: Sendable, CustomStringConvertible {
    func makeIntake() async throws -> (store: any IntakeConformingStore, remove: @Sendable () async -> Void)
}

/// Makes a fresh, empty store offering every port. A second full store joins the suite by adding
/// its factory to `StoreFactories.all`; every test here then runs against it too.
protocol StoreFactory: IntakeStoreFactory {
    /// A fresh store, and what removes it afterwards.
    func make() async throws -> (store: any ConformingStore, remove: @Sendable () async -> Void)
}

extension StoreFactory {
    func makeIntake() async throws -> (store: any IntakeConformingStore, remove: @Sendable () async -> Void) {
        let (store, remove) = try await make()
        return (store, remove)
    }
}

enum StoreFactories {
    static let all: [any StoreFactory] = [SQLiteStoreFactory()]
    /// Every store with the intake ports: the full stores, and PostgreSQL when a test server is up
    /// (`scripts/test` starts one and sets `LEADROUTER_TEST_PG_SOCKET`).
    static let intake: [any IntakeStoreFactory] = all + PostgresStoreFactory.available
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

/// Runs `body` on a fresh store from `make`, removed afterwards whatever happens.
func withFresh<Store>(_ make: () async throws -> (store: Store, remove: @Sendable () async -> Void),
                      _ body: (Store) async throws -> Void) async throws {
    let (store, remove) = try await make()
    do {
        try await body(store)
    } catch {
        await remove()
        throw error
    }
    await remove()
}

/// A fresh full store from `factory`.
func withStore(_ factory: any StoreFactory, _ body: (any ConformingStore) async throws -> Void) async throws {
    try await withFresh({ try await factory.make() }, body)
}

/// A fresh store with the intake ports from `factory`.
func withIntakeStore(_ factory: any IntakeStoreFactory, _ body: (any IntakeConformingStore) async throws -> Void) async throws {
    try await withFresh({ try await factory.makeIntake() }, body)
}
