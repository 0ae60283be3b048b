import Foundation

/// How to reach the relay; built from `[smtp]` by the daemon.
public struct SMTPSettings: Sendable, Equatable {
    public enum StartTLS: String, Sendable, CaseIterable {
        /// Refuse to send unless the server offers STARTTLS (no plain-text fallback).
        case required
        /// Use STARTTLS when offered, send in plain text otherwise.
        case opportunistic
        /// Never use STARTTLS (a relay on loopback).
        case off
    }

    /// `smtp://host:port` or `smtps://host:port` (implicit TLS).
    public var url: String
    public var startTLS: StartTLS
    public var username: String?
    public var password: String?
    /// A PEM file of CAs to trust instead of the system's (a private relay's self-signed cert).
    public var caFile: String?
    public var connectTimeout: Duration
    public var timeout: Duration
    /// The HELO/EHLO name and the right-hand side of Message-IDs.
    public var localName: String

    public init(url: String, startTLS: StartTLS = .required, username: String? = nil, password: String? = nil,
                caFile: String? = nil, connectTimeout: Duration = .seconds(10), timeout: Duration = .seconds(60),
                localName: String = "leadrouter.localdomain") {
        self.url = url; self.startTLS = startTLS; self.username = username; self.password = password
        self.caFile = caFile; self.connectTimeout = connectTimeout; self.timeout = timeout; self.localName = localName
    }
}

/// What one SMTP transaction came to.
public enum SMTPOutcome: Sendable, Equatable {
    /// Accepted: the server's last reply line (it usually carries the queue id).
    case sent(reply: String)
    /// Try again later: 4xx, a connection or TLS failure, a timeout, or an AUTH refusal (a
    /// configuration problem, so mail waits instead of being thrown away).
    case transient(code: Int, reason: String, failureClass: String)
    /// The server refused the message for good (5xx): it goes to the dead letters.
    case permanent(code: Int, reason: String)
}
