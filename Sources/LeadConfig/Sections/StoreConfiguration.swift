import Foundation

/// `[store]`
/// - `store.backend` (`"sqlite"` | `"postgresql"`, default `"sqlite"`): where the state lives. SQLite
///   is the embedded default (one daemon, a file under `state.directory`); PostgreSQL lets several
///   daemons on several hosts share one workload.
/// - `store.synchronous` (`"full"` | `"normal"`, default `"full"`; SQLite only): SQLite's durability.
///   `full` survives power loss after every commit; `normal` may lose the last commits on power loss
///   (never on a crash).
/// - `store.busy_timeout` (duration, default `5s`, range 1s–60s; SQLite only): how long a write waits
///   for a lock.
/// - PostgreSQL only (`PostgresConfiguration`): `url`, or `host` + `port` or `socket`; `database`,
///   `user`, `password_file`, `pool`, `tls`, `tls_ca_file`.
public struct StoreConfiguration: Sendable, Equatable {
    public enum Synchronous: String, Sendable, CaseIterable { case full, normal }
    public enum Backend: String, Sendable, CaseIterable { case sqlite, postgresql }

    public var backend: Backend
    public var synchronous: Synchronous
    public var busyTimeout: Duration
    /// Set exactly when `backend` is `postgresql`.
    public var postgres: PostgresConfiguration?

    public init(backend: Backend = .sqlite, synchronous: Synchronous = .full, busyTimeout: Duration = .seconds(5),
                postgres: PostgresConfiguration? = nil) {
        self.backend = backend; self.synchronous = synchronous; self.busyTimeout = busyTimeout; self.postgres = postgres
    }

    static func decode(_ table: TableReader) -> StoreConfiguration {
        defer { table.finish() }
        let backend: Backend = table.choice("backend", default: .sqlite)
        switch backend {
        case .sqlite:
            for key in PostgresConfiguration.keys { table.refuse(key, "only with backend = \"postgresql\"") }
            return StoreConfiguration(
                backend: .sqlite,
                synchronous: table.choice("synchronous", default: .full),
                busyTimeout: table.duration("busy_timeout", default: .seconds(5), range: .seconds(1) ... .seconds(60)))
        case .postgresql:
            for key in ["synchronous", "busy_timeout"] {
                table.refuse(key, "only with backend = \"sqlite\" (PostgreSQL's durability is the server's)")
            }
            return StoreConfiguration(backend: .postgresql, postgres: PostgresConfiguration.decode(table))
        }
    }
}

/// The PostgreSQL server several daemons share.
/// - `url` (`postgresql://USER@HOST:PORT/DATABASE`, optional `?sslmode=disable|require|verify-full`),
///   or the parts: `host` (default none) and `port` (default 5432), or `socket` (a unix socket file,
///   or the folder holding `.s.PGSQL.PORT`); `database` and `user` (required without `url`).
/// - `password_file` (secret file, optional): the password; never in the URL.
/// - `pool` (1–100, default 10): connections this daemon keeps.
/// - `tls` (`"disable"` | `"require"` | `"verify-full"`, default `"disable"` on a socket and
///   `"verify-full"` over TCP); `tls_ca_file` (path): the CA that signs the server's certificate
///   (default: the system's trust store).
public struct PostgresConfiguration: Sendable, Equatable {
    public enum Endpoint: Sendable, Equatable {
        /// The socket file itself.
        case socket(path: String)
        case tcp(host: String, port: Int)
    }

    public enum TLSMode: String, Sendable, CaseIterable {
        case disable, require
        case verifyFull = "verify-full"
    }

    public var endpoint: Endpoint
    public var database: String
    public var user: String
    public var password: Secret?
    public var pool: Int
    public var tls: TLSMode
    public var tlsCAFile: String?

    public init(endpoint: Endpoint, database: String, user: String, password: Secret? = nil, pool: Int = 10, tls: TLSMode = .disable,
                tlsCAFile: String? = nil) {
        self.endpoint = endpoint; self.database = database; self.user = user; self.password = password; self.pool = pool
        self.tls = tls; self.tlsCAFile = tlsCAFile
    }

    static let keys = ["url", "host", "port", "socket", "database", "user", "password_file", "pool", "tls", "tls_ca_file"]

    static func decode(_ table: TableReader) -> PostgresConfiguration? {
        var endpoint: Endpoint?
        var database = table.text("database")
        var user = table.text("user")
        var sslmode: TLSMode?
        var urlFailed = false
        if let url = table.text("url") {
            for key in ["host", "port", "socket"] { table.refuse(key, "give either url or host/port/socket, not both") }
            switch PostgresURL.parse(url) {
            case .failure(let problem):
                table.report("url", problem.description)
                urlFailed = true
            case .success(let parsed):
                endpoint = .tcp(host: parsed.host, port: parsed.port)
                if database == nil { database = parsed.database } else if parsed.database != nil { table.report("database", "the url names the database too") }
                if user == nil { user = parsed.user } else if parsed.user != nil { table.report("user", "the url names the user too") }
                sslmode = parsed.sslmode
            }
        } else {
            let port = table.int("port", default: 5432, range: 1 ... 65_535)
            let host = table.text("host")
            let socket = table.text("socket")
            switch (host, socket) {
            case (let host?, nil): endpoint = .tcp(host: host, port: port)
            case (nil, let socket?): endpoint = .socket(path: Self.socketFile(table.resolve(socket).path, port: port))
            case (.some, .some): table.report("socket", "give either host or socket, not both")
            case (nil, nil): table.report("host", "backend = \"postgresql\" needs url, host or socket")
            }
        }
        // (A URL that did not parse is reported once, not again as the parts it would have named.)
        if database == nil, !urlFailed { table.report("database", "required with backend = \"postgresql\"") }
        if user == nil, !urlFailed { table.report("user", "required with backend = \"postgresql\"") }
        let password = table.secretFile("password_file")
        let pool = table.int("pool", default: 10, range: 1 ... 100)
        let defaultTLS: TLSMode = if case .tcp? = endpoint { sslmode ?? .verifyFull } else { .disable }
        let tls: TLSMode = table.choice("tls", default: defaultTLS)
        if case .socket? = endpoint, tls != .disable { table.report("tls", "a unix socket is not encrypted: use tls = \"disable\" or a host") }
        let ca = table.text("tls_ca_file").map { table.resolve($0).path }
        guard let endpoint, let database, let user else { return nil }
        return PostgresConfiguration(endpoint: endpoint, database: database, user: user, password: password, pool: pool, tls: tls,
                                     tlsCAFile: ca)
    }

    /// `path` when it names a socket file (`.s.PGSQL.N`), else the socket `port` in that folder.
    static func socketFile(_ path: String, port: Int) -> String {
        (path as NSString).lastPathComponent.hasPrefix(".s.PGSQL.") ? path : (path as NSString).appendingPathComponent(".s.PGSQL.\(port)")
    }
}

/// `postgresql://USER@HOST:PORT/DATABASE?sslmode=…` (libpq's URI form, without a password).
enum PostgresURL {
    struct Parsed: Equatable {
        var user: String?
        var host: String
        var port: Int
        var database: String?
        var sslmode: PostgresConfiguration.TLSMode?
    }

    struct Problem: Error, CustomStringConvertible { let description: String }

    static func parse(_ text: String) -> Result<Parsed, Problem> {
        guard let components = URLComponents(string: text), let scheme = components.scheme, ["postgresql", "postgres"].contains(scheme) else {
            return .failure(Problem(description: "not a postgresql:// URL"))
        }
        guard components.password == nil else {
            return .failure(Problem(description: "a password in the URL would be printed and logged: put it in password_file"))
        }
        guard let host = components.host, !host.isEmpty else { return .failure(Problem(description: "the URL names no host")) }
        var sslmode: PostgresConfiguration.TLSMode?
        for item in components.queryItems ?? [] {
            guard item.name == "sslmode", let value = item.value else {
                return .failure(Problem(description: "unknown URL parameter \(item.name) (only sslmode)"))
            }
            guard let mode = PostgresConfiguration.TLSMode(rawValue: value) else {
                return .failure(Problem(description: "sslmode \(value) is not one of disable, require, verify-full"))
            }
            sslmode = mode
        }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        return .success(Parsed(user: components.user.flatMap { $0.isEmpty ? nil : $0 }, host: host, port: components.port ?? 5432,
                               database: path.isEmpty ? nil : path, sslmode: sslmode))
    }
}
