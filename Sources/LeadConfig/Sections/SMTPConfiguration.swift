import Foundation
import LeadCore

/// `[smtp]` (optional; without it no mail is sent and escalations stay in the outbox)
/// - `smtp.url` (string, required): `smtp://HOST[:PORT]` or `smtps://HOST[:PORT]`.
/// - `smtp.from` (e-mail address, required): the envelope and header sender.
/// - `smtp.username` (string, optional): AUTH user name.
/// - `smtp.password_file` (secret file, optional; required with `username`): a bare name is read
///   from `$CREDENTIALS_DIRECTORY`, a path relative to this file's folder.
public struct SMTPConfiguration: Sendable, Equatable {
    public var url: URL
    public var from: EmailAddress
    public var username: String?
    public var password: Secret?

    public init(url: URL, from: EmailAddress, username: String? = nil, password: Secret? = nil) {
        self.url = url; self.from = from; self.username = username; self.password = password
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
        guard let url, let from else { return nil }
        return SMTPConfiguration(url: url, from: from, username: username, password: password)
    }
}
