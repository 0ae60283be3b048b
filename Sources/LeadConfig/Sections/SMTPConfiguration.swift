import Foundation
import LeadCore

/// `[smtp]` (optional; without it no mail is sent and escalations stay in the outbox)
/// - `smtp.url` (string, required): `smtp://HOST[:PORT]` or `smtps://HOST[:PORT]`.
/// - `smtp.from` (e-mail address, required): the envelope and header sender.
/// - `smtp.username` (string, optional): AUTH user name.
/// - `smtp.password_file` (secret file, optional; required with `username`): a bare name is read
///   from `$CREDENTIALS_DIRECTORY`, a path relative to this file's folder.
/// - `smtp.starttls` (`"required"` | `"opportunistic"` | `"off"`, default `"required"`): for
///   `smtp://`; `required` never sends in plain text. `smtps://` is TLS from the first byte.
/// - `smtp.ca_file` (path): CAs to trust instead of the system's (a private relay).
/// - `smtp.connect_timeout` (default `10s`), `smtp.timeout` (default `60s`): per message.
/// - `smtp.senders` (1–16, default 2): sender threads, each with its own reused connection.
/// - `smtp.retry_base` (default `30s`), `smtp.retry_cap` (default `1h`), `smtp.give_up_after`
///   (default `24h`): exponential backoff with full jitter after 4xx replies and connection
///   failures; a message still failing after `give_up_after` goes to the dead letters.
/// - `smtp.lease` (default `5m`): a message being sent when the daemon died is retried after this.
/// - `smtp.from_name` (string, default `"leadrouter"`): the display name of `from`.
public struct SMTPConfiguration: Sendable, Equatable {
    public enum StartTLS: String, Sendable, CaseIterable { case required, opportunistic, off }

    public var url: URL
    public var from: EmailAddress
    public var fromName: String
    public var username: String?
    public var password: Secret?
    public var startTLS: StartTLS
    public var caFile: URL?
    public var connectTimeout: Duration
    public var timeout: Duration
    public var senders: Int
    public var retryBase: Duration
    public var retryCap: Duration
    public var giveUpAfter: Duration
    public var lease: Duration

    public init(url: URL, from: EmailAddress, fromName: String = "leadrouter", username: String? = nil, password: Secret? = nil,
                startTLS: StartTLS = .required, caFile: URL? = nil, connectTimeout: Duration = .seconds(10),
                timeout: Duration = .seconds(60), senders: Int = 2, retryBase: Duration = .seconds(30),
                retryCap: Duration = .seconds(3_600), giveUpAfter: Duration = .seconds(86_400), lease: Duration = .seconds(300)) {
        self.url = url; self.from = from; self.fromName = fromName; self.username = username; self.password = password
        self.startTLS = startTLS; self.caFile = caFile; self.connectTimeout = connectTimeout; self.timeout = timeout
        self.senders = senders; self.retryBase = retryBase; self.retryCap = retryCap; self.giveUpAfter = giveUpAfter
        self.lease = lease
    }

    static func decode(_ table: TableReader) -> SMTPConfiguration? {
        defer { table.finish() }
        var url: URL? = nil
        if let text = table.text("url", required: true) {
            if let parsed = URL(string: text), ["smtp", "smtps"].contains(parsed.scheme ?? ""),
               let host = parsed.host, !host.isEmpty {
                url = parsed
            } else {
                table.report("url", "\"\(text)\" is not an smtp:// or smtps:// URL with a host")
            }
        }
        let from = table.email("from", required: true)
        let username = table.text("username")
        let password = table.secretFile("password_file", required: username != nil)
        if username == nil, password != nil {
            table.report("password_file", "a password needs a username")
        }
        var configuration = SMTPConfiguration(url: url ?? URL(string: "smtp://invalid")!, from: from ?? EmailAddress(rawValue: "x@invalid.example")!,
                                              username: username, password: password)
        configuration.fromName = table.text("from_name") ?? "leadrouter"
        configuration.startTLS = table.choice("starttls", default: .required)
        configuration.caFile = table.text("ca_file").map { table.context.resolvePath($0) }
        if let ca = configuration.caFile, !FileManager.default.isReadableFile(atPath: ca.path) {
            table.report("ca_file", "cannot read \(ca.path)")
        }
        configuration.connectTimeout = table.duration("connect_timeout", default: .seconds(10), range: .seconds(1) ... .seconds(300))
        configuration.timeout = table.duration("timeout", default: .seconds(60), range: .seconds(1) ... .seconds(3_600))
        configuration.senders = table.int("senders", default: 2, range: 1 ... 16)
        configuration.retryBase = table.duration("retry_base", default: .seconds(30), range: .seconds(1) ... .seconds(3_600))
        configuration.retryCap = table.duration("retry_cap", default: .seconds(3_600), range: .seconds(1) ... .seconds(86_400))
        configuration.giveUpAfter = table.duration("give_up_after", default: .seconds(86_400), range: .seconds(1) ... .seconds(30 * 86_400))
        configuration.lease = table.duration("lease", default: .seconds(300), range: .seconds(1) ... .seconds(86_400))
        if configuration.retryCap < configuration.retryBase { table.report("retry_cap", "must be at least retry_base") }
        guard url != nil, from != nil else { return nil }
        return configuration
    }
}
