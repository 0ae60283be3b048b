import Foundation
import LeadConfig
import LeadCore
import LeadStorePostgres
import LeadStoreSQLite
import Logging

/// A store as the daemon and leadctl use it: every port, the inspection questions, and (on a
/// shared database) the cluster's coordination.
public struct OpenedStore: Sendable {
    public let store: any DaemonStore & StoreInspection
    /// Set on PostgreSQL: several daemons may share the database.
    public let cluster: (any ClusterCoordination)?
    /// What the logs and `leadctl status` call it.
    public let description: String
    let closer: @Sendable () -> Void
    /// Reports each write transaction's wait for and hold of the single writer (SQLite; PostgreSQL has no single writer).
    let writeObserving: @Sendable (any StoreWriteObserving) -> Void
    /// The daemon's background WAL checkpoint (SQLite opened for the daemon; nil otherwise).
    public let checkpointWAL: (@Sendable () async throws -> WALCheckpoint?)?

    init(store: any DaemonStore & StoreInspection, cluster: (any ClusterCoordination)?, description: String,
         closer: @escaping @Sendable () -> Void, writeObserving: @escaping @Sendable (any StoreWriteObserving) -> Void = { _ in },
         checkpointWAL: (@Sendable () async throws -> WALCheckpoint?)? = nil) {
        self.store = store; self.cluster = cluster; self.description = description
        self.closer = closer; self.writeObserving = writeObserving; self.checkpointWAL = checkpointWAL
    }

    public func observeWrites(_ observer: any StoreWriteObserving) { writeObserving(observer) }

    /// Releases the connections (PostgreSQL); SQLite closes with the process.
    public func close() { closer() }
}

/// Opens the store `[store]` names: the one place a concrete store type is chosen.
public enum StoreOpener {
    public enum Access: Sendable {
        /// The daemon: SQLite's single writer, with the configured durability.
        case daemon
        /// leadctl's reads: SQLite read-only (never blocks the daemon's writes).
        case read
        /// leadctl's few writes (assign, contact, quarantine retry).
        case write
    }

    public static func open(_ configuration: DaemonConfiguration, access: Access, logger: Logger) async throws -> OpenedStore {
        switch configuration.store.backend {
        case .sqlite:
            let file = configuration.state.databaseFile
            let daemon: Bool = if case .daemon = access { true } else { false }
            let store: SQLiteLeadStore = switch access {
            case .read: try SQLiteLeadStore.openReadOnly(at: file, busyTimeout: configuration.store.busyTimeout)
            case .daemon, .write: try SQLiteLeadStore.openWriter(at: file, synchronous: configuration.store.synchronous == .full ? .full : .normal,
                                                                 busyTimeout: configuration.store.busyTimeout,
                                                                 checkpoints: daemon ? .background : .automatic)
            }
            let checkpointWAL: (@Sendable () async throws -> WALCheckpoint?)? = daemon ? { @Sendable in try await store.checkpointWAL() } : nil
            return OpenedStore(store: store, cluster: nil, description: "sqlite \(file.path)", closer: {},
                               writeObserving: { store.observeWrites($0) }, checkpointWAL: checkpointWAL)
        case .postgresql:
            guard let postgres = configuration.store.postgres else { throw ConfigurationError.postgresNotConfigured }
            let store = try await PostgresLeadStore.open(settings(postgres), logger: logger)
            return OpenedStore(store: store, cluster: store, description: "postgresql \(describe(postgres))", closer: { store.close() })
        }
    }

    /// The connection settings of `[store]` on PostgreSQL.
    public static func settings(_ configuration: PostgresConfiguration) -> PostgresLeadStore.Settings {
        let endpoint: PostgresLeadStore.Settings.Endpoint = switch configuration.endpoint {
        case .socket(let path): .unixSocket(path: path)
        case .tcp(let host, let port): .tcp(host: host, port: port)
        }
        let tls: PostgresLeadStore.Settings.TLS = switch configuration.tls {
        case .disable: .disable
        case .require: .require
        case .verifyFull: .verifyFull(caFile: configuration.tlsCAFile)
        }
        return PostgresLeadStore.Settings(endpoint: endpoint, database: configuration.database, user: configuration.user,
                                          password: configuration.password?.value, maximumConnections: configuration.pool, tls: tls)
    }

    /// Where the database is, without the password.
    public static func describe(_ configuration: PostgresConfiguration) -> String {
        let place = switch configuration.endpoint {
        case .socket(let path): path
        case .tcp(let host, let port): "\(host):\(port)"
        }
        return "\(configuration.user)@\(place)/\(configuration.database)"
    }

    public enum ConfigurationError: Error, CustomStringConvertible {
        case postgresNotConfigured

        public var description: String { "backend = \"postgresql\" without its connection settings" }
    }
}
