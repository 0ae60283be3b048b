/// `[http]`
/// - `http.listen` (string, default `"127.0.0.1:8080"`): `"HOST:PORT"` (`"[::1]:8080"` for IPv6) or
///   `"unix:PATH"` for a unix socket (PATH relative to the config file's folder when relative).
/// - `http.admin_token_file` (secret file, optional): bearer token of the admin API
///   (`POST /leads/{id}/assign`); the API answers 404 without it.
/// - `http.metrics_listen` (address like `listen`, optional): serve `GET /metrics` there only (e.g.
///   for Prometheus on another interface or port), not beside the webhooks; restart-only.
/// - `http.max_connections` (integer, default 1024): open connections on `listen`; at the cap the
///   longest-idle connection is closed for a new one, and a new one is closed at once when all are
///   busy; restart-only.
public struct HTTPConfiguration: Sendable, Equatable {
    public enum ListenAddress: Sendable, Equatable, CustomStringConvertible {
        case tcp(host: String, port: Int)
        case unix(path: String)

        public var description: String {
            switch self {
            case .tcp(let host, let port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
            case .unix(let path): "unix:\(path)"
            }
        }

        /// Parses `HOST:PORT`, `[V6]:PORT` or `unix:PATH`; nil when malformed.
        static func parse(_ text: String, resolve: (String) -> String) -> ListenAddress? {
            if text.hasPrefix("unix:") {
                let path = String(text.dropFirst(5))
                return path.isEmpty ? nil : .unix(path: resolve(path))
            }
            let host: Substring
            let portText: Substring
            if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
                host = text[text.index(after: text.startIndex)..<close]
                let rest = text[text.index(after: close)...]
                guard rest.hasPrefix(":") else { return nil }
                portText = rest.dropFirst()
            } else {
                guard let colon = text.lastIndex(of: ":") else { return nil }
                host = text[..<colon]
                portText = text[text.index(after: colon)...]
                if host.contains(":") { return nil }
            }
            guard !host.isEmpty, let port = Int(portText), (0...65535).contains(port) else { return nil }
            return .tcp(host: String(host), port: port)
        }
    }

    public var listen: ListenAddress
    /// Bearer token for the admin API (`POST /leads/{id}/assign`); without it the API is off.
    public var adminToken: Secret?
    /// A connection with nothing read or written for this long is closed (idle keep-alive,
    /// a client that stopped sending); restart-only.
    public var idleTimeout: Duration = .seconds(30)
    /// The request header block's limit (a larger one is refused); restart-only.
    public var maxHeaderBytes: Int = 16 << 10
    /// Failed webhook authentications a peer address may cause per second (a token bucket with one
    /// second's burst); past it, that peer's requests get 429 for a second before any HMAC is
    /// computed. 0 turns it off. Behind a reverse proxy every request has the proxy's address.
    public var failedAuthLimit: Int = 20
    /// Where `/metrics` is served when not beside the webhooks; restart-only.
    public var metricsListen: ListenAddress?
    /// Open connections allowed on `listen` (see `ConnectionGate`); restart-only.
    public var maxConnections: Int = 1024

    public init(listen: ListenAddress = .tcp(host: "127.0.0.1", port: 8080), adminToken: Secret? = nil) {
        self.listen = listen
        self.adminToken = adminToken
    }

    static func decode(_ table: TableReader) -> HTTPConfiguration {
        defer { table.finish() }
        var config = HTTPConfiguration()
        config.adminToken = table.secretFile("admin_token_file")
        config.idleTimeout = table.duration("idle_timeout", default: .seconds(30), range: .seconds(1) ... .seconds(600))
        config.maxHeaderBytes = table.size("max_header_size", default: 16 << 10, range: 1 << 10 ... 1 << 20)
        config.failedAuthLimit = table.int("failed_auth_limit", default: 20, range: 0 ... 100_000)
        config.maxConnections = table.int("max_connections", default: 1024, range: 1 ... 1_000_000)
        if let text = table.string("metrics_listen") {
            if let address = ListenAddress.parse(text, resolve: { table.context.resolvePath($0).path }) {
                config.metricsListen = address
            } else {
                table.report("metrics_listen", "\"\(text)\" is not \"HOST:PORT\", \"[IPV6]:PORT\" or \"unix:PATH\"")
            }
        }
        if let text = table.string("listen") {
            if let address = ListenAddress.parse(text, resolve: { table.context.resolvePath($0).path }) {
                config.listen = address
            } else {
                table.report("listen", "\"\(text)\" is not \"HOST:PORT\", \"[IPV6]:PORT\" or \"unix:PATH\"")
            }
        }
        return config
    }
}
