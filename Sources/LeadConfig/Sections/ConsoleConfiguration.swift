import Foundation

/// `[ui]`: the web console served by the daemon's HTTP listener.
/// - `ui.enabled` (bool, default `false`): serve `/ui` (login, queue overview).
/// - `ui.session_secret_file` (secret file, optional): the key that signs session cookies. Without
///   it each start draws a random key (everyone logs in again after a restart); give every node of
///   a cluster the same file so a session works on any of them.
/// - `ui.session_lifetime` (duration, default `12h`, range 5m–30d): how long a login lasts.
/// - `ui.listen` (address like `http.listen`, optional): serve the console on its own listener
///   instead of the webhook listener (keep `/ui` off the address ad platforms post to).
/// - `ui.public_url` (string, optional): the console's address as people open it, e.g.
///   `https://crm.example.cn` behind a TLS reverse proxy: login links use it, and an `https` URL
///   marks the session cookie `Secure`.
/// - `ui.max_streams` (integer, default `64`, range 1–10000): live pages open at once (each holds
///   one Server-Sent Events stream); more get 503 and update on reload only.
public struct ConsoleConfiguration: Sendable, Equatable {
    public var enabled: Bool
    public var sessionSecret: Secret?
    public var sessionLifetime: Duration
    public var maxStreams: Int
    /// Its own listener; nil: the console is on `http.listen`.
    public var listen: HTTPConfiguration.ListenAddress?
    /// Without a trailing slash.
    public var publicURL: String?

    public init(enabled: Bool = false, sessionSecret: Secret? = nil, sessionLifetime: Duration = .seconds(43_200), maxStreams: Int = 64) {
        self.enabled = enabled; self.sessionSecret = sessionSecret; self.sessionLifetime = sessionLifetime; self.maxStreams = maxStreams
    }

    static func decode(_ table: TableReader) -> ConsoleConfiguration {
        defer { table.finish() }
        var listen: HTTPConfiguration.ListenAddress?
        if let text = table.string("listen") {
            listen = HTTPConfiguration.ListenAddress.parse(text, resolve: { table.context.resolvePath($0).path })
            if listen == nil { table.report("listen", "\"\(text)\" is not \"HOST:PORT\", \"[IPV6]:PORT\" or \"unix:PATH\"") }
        }
        var publicURL: String?
        if let text = table.string("public_url") {
            if let url = URL(string: text), ["http", "https"].contains(url.scheme ?? ""), url.host != nil, url.query == nil {
                publicURL = text.hasSuffix("/") ? String(text.dropLast()) : text
            } else {
                table.report("public_url", "\"\(text)\" is not an http:// or https:// URL")
            }
        }
        let secret = table.secretFile("session_secret_file")
        if let secret, secret.isRead, secret.value.utf8.count < 32 {
            table.report("session_secret_file", "a session key needs at least 32 characters")
        }
        var console = ConsoleConfiguration(
            enabled: table.bool("enabled", default: false),
            sessionSecret: secret,
            sessionLifetime: table.duration("session_lifetime", default: .seconds(43_200), range: .seconds(300) ... .seconds(30 * 86_400)),
            maxStreams: table.int("max_streams", default: 64, range: 1...10_000))
        console.listen = listen
        console.publicURL = publicURL
        return console
    }
}
