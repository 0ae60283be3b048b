import Foundation
import LeadCore
import Logging
import NIOSSL
import PostgresNIO

/// The store for several daemons sharing one PostgreSQL database: the same ports as the SQLite
/// store, plain SQL over postgres-nio. Correctness under concurrency comes from the database
/// (unique keys, row locks, advisory locks), never from timing. Deciders in `LeadCore` decide;
/// this store loads what they need (their fact ports, read ahead asynchronously) and applies what
/// they return, one transaction per change.
public final class PostgresLeadStore: Sendable {
    /// Where the database is and who connects.
    public struct Settings: Sendable {
        public enum Endpoint: Sendable {
            case unixSocket(path: String)
            case tcp(host: String, port: Int)
        }

        /// Encryption over TCP: off, required (the certificate not checked), or required with the
        /// certificate checked against `caFile` (the system's trust store when nil) and the host name.
        public enum TLS: Sendable, Equatable {
            case disable
            case require
            case verifyFull(caFile: String?)
        }

        public var endpoint: Endpoint
        public var database: String
        public var user: String
        public var password: String?
        public var maximumConnections: Int
        public var tls: TLS

        public init(endpoint: Endpoint, database: String, user: String, password: String? = nil, maximumConnections: Int = 10,
                    tls: TLS = .disable) {
            self.endpoint = endpoint; self.database = database; self.user = user; self.password = password
            self.maximumConnections = maximumConnections; self.tls = tls
        }

        func client() throws -> PostgresClient.Configuration {
            var configuration: PostgresClient.Configuration = switch endpoint {
            case .unixSocket(let path): .init(unixSocketPath: path, username: user, password: password, database: database)
            case .tcp(let host, let port): .init(host: host, port: port, username: user, password: password, database: database,
                                                 tls: try tlsConfiguration())
            }
            configuration.options.maximumConnections = maximumConnections
            return configuration
        }

        private func tlsConfiguration() throws -> PostgresClient.Configuration.TLS {
            switch tls {
            case .disable:
                return .disable
            case .require:
                var settings = TLSConfiguration.makeClientConfiguration()
                settings.certificateVerification = .none
                return .require(settings)
            case .verifyFull(let caFile):
                var settings = TLSConfiguration.makeClientConfiguration()
                settings.certificateVerification = .fullVerification
                if let caFile { settings.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile)) }
                return .require(settings)
            }
        }
    }

    let client: PostgresClient
    let logger: Logger
    private let runner: Task<Void, Never>

    /// Ends when the pool's runner has started (a lease before that logs a warning).
    private let runnerStarted: AsyncStream<Void>

    private init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
        let (started, signal) = AsyncStream<Void>.makeStream()
        self.runnerStarted = started
        self.runner = Task {
            signal.finish()
            await client.run()
        }
    }

    /// Connects and brings the schema up to date (under an advisory lock: several daemons starting
    /// at once do not race). A database migrated by a newer version is refused.
    public static func open(_ settings: Settings, logger: Logger = Logger(label: "leadrouter.postgres")) async throws -> PostgresLeadStore {
        let store = PostgresLeadStore(client: PostgresClient(configuration: try settings.client(), backgroundLogger: logger), logger: logger)
        do {
            for await _ in store.runnerStarted {}
            try await PostgresMigrator.migrate(store.client, logger: logger)
        } catch {
            store.close()
            throw error
        }
        return store
    }

    /// Stops the connection pool.
    public func close() { runner.cancel() }

    /// The migrations applied, in order.
    public func appliedMigrations() async throws -> [String] {
        try await PostgresMigrator.applied(client, logger: logger)
    }

    /// Runs `body` in one transaction; a serialization failure or deadlock (SQLSTATE 40001,
    /// 40P01) or a unique violation from a concurrent insert (23505) retries the whole
    /// transaction, up to `attempts` times: the body must decide from what it reads, not from
    /// anything kept across attempts.
    func transaction<T: Sendable>(attempts: Int = 5, _ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
            } catch {
                // postgres-nio wraps what went wrong; callers get the error itself.
                let cause = Self.cause(of: error)
                guard attempt < attempts, let state = (cause as? PSQLError)?.serverInfo?[.sqlState],
                      ["40001", "40P01", "23505"].contains(state) else { throw (cause as? PSQLError).map(PostgresStoreError.init) ?? cause }
                attempt += 1
                logger.debug("postgres transaction retried", metadata: ["sqlstate": "\(state)", "attempt": "\(attempt)"])
            }
        }
    }

    static func cause(of error: any Error) -> any Error {
        guard let wrapped = error as? PostgresTransactionError else { return error }
        return wrapped.closureError ?? wrapped.commitError ?? wrapped.beginError ?? error
    }

    /// One statement on the pool (no transaction); a database error comes back readable.
    func query(_ query: PostgresQuery) async throws -> PostgresRowSequence {
        do {
            return try await client.query(query, logger: logger)
        } catch let error as PSQLError {
            throw PostgresStoreError(error)
        }
    }
}

/// Rows that were expected and are not there (a read that found nothing where a row must be).
public struct PostgresStoreError: Error, CustomStringConvertible {
    public var description: String
    /// The server's SQLSTATE, for an error the server reported.
    public var sqlState: String?
    init(_ description: String) { self.description = description }

    /// postgres-nio's error with what it hides by default (the server's code and message, never
    /// the statement's values): "23505 duplicate key value violates unique constraint …".
    init(_ error: PSQLError) {
        if let info = error.serverInfo {
            sqlState = info[.sqlState]
            description = [info[.sqlState], info[.message], info[.detail]].compactMap { $0 }.joined(separator: " ")
        } else {
            description = "PostgreSQL: \(error.code)"
        }
    }
}
