import Crypto
import Foundation
import LeadCore

/// Who a console session belongs to.
public enum ConsoleActor: Hashable, Sendable {
    case admin
    case rep(RepID)

    public var text: String {
        switch self {
        case .admin: "admin"
        case .rep(let rep): "rep:\(rep.rawValue)"
        }
    }

    public init?(text: String) {
        if text == "admin" { self = .admin; return }
        guard text.hasPrefix("rep:"), text.count > 4 else { return nil }
        self = .rep(RepID(String(text.dropFirst(4))))
    }
}

/// A one-time login link's contents, once its signature checked out.
public struct ConsoleLink: Hashable, Sendable {
    public var actor: ConsoleActor
    public var expires: Date
    /// Recorded when the link is used, so it works once.
    public var nonce: String
}

/// Signed, expiring session cookies: `base64url(v1|actor|expires|nonce).base64url(HMAC-SHA256)`.
/// Nothing is stored: the signature is the session. The CSRF token of a session is another HMAC
/// over the session's value, so a form posted from elsewhere cannot know it. One-time login
/// links (`leadctl ui link`) are signed the same way with their own prefix (`link1`), so a link
/// is never a session and a session never a link.
public struct ConsoleSessions: Sendable {
    /// The signing key's bytes (`SymmetricKey` is not `Sendable`).
    private let keyBytes: [UInt8]
    public let lifetime: TimeInterval

    /// `secret`: `ui.session_secret_file`; nil draws a random key (sessions end with the process,
    /// and no link can be issued outside it).
    public init(secret: String?, lifetime: TimeInterval) {
        if let secret {
            keyBytes = Array(SHA256.hash(data: Data(secret.utf8)))
        } else {
            keyBytes = (0..<32).map { _ in UInt8.random(in: 0...255) }
        }
        self.lifetime = lifetime
    }

    public func issue(_ actor: ConsoleActor, now: Date) -> String {
        seal("v1|\(actor.text)|\(Int64(now.timeIntervalSince1970 + lifetime))|\(Self.nonce())")
    }

    /// The session's actor, when the value is ours, intact and unexpired.
    public func actor(of value: String?, now: Date) -> ConsoleActor? {
        guard let parts = open(value), parts.count == 4, parts[0] == "v1", let expires = Int64(parts[2]),
              Double(expires) > now.timeIntervalSince1970 else { return nil }
        return ConsoleActor(text: parts[1])
    }

    public func csrfToken(for session: String) -> String { sign("csrf|" + session) }

    /// A login link's token, valid for `ttl` from `now` and (the daemon records its nonce) once.
    public func issueLink(_ actor: ConsoleActor, now: Date, ttl: TimeInterval) -> String {
        seal("link1|\(actor.text)|\(Int64(now.timeIntervalSince1970 + ttl))|\(Self.nonce())")
    }

    /// The link's contents when it is ours, intact and unexpired (whether it was used is the
    /// store's to say).
    public func link(_ token: String?, now: Date) -> ConsoleLink? {
        guard let parts = open(token), parts.count == 4, parts[0] == "link1", let expires = Int64(parts[2]),
              Double(expires) > now.timeIntervalSince1970, let actor = ConsoleActor(text: parts[1]) else { return nil }
        return ConsoleLink(actor: actor, expires: Date(timeIntervalSince1970: Double(expires)), nonce: parts[3])
    }

    private func seal(_ payload: String) -> String {
        Self.base64url(Array(payload.utf8)) + "." + sign(payload)
    }

    /// The payload's fields when the signature matches.
    private func open(_ value: String?) -> [String]? {
        guard let value, let dot = value.firstIndex(of: ".") else { return nil }
        guard let bytes = Self.unbase64url(String(value[..<dot])) else { return nil }
        let payload = String(decoding: bytes, as: UTF8.self)
        guard ConstantTime.equal(Array(sign(payload).utf8), Array(value[value.index(after: dot)...].utf8)) else { return nil }
        return payload.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
    }

    private func sign(_ text: String) -> String {
        Self.base64url(Array(HMAC<SHA256>.authenticationCode(for: Array(text.utf8), using: SymmetricKey(data: keyBytes))))
    }

    private static func nonce() -> String {
        base64url((0..<12).map { _ in UInt8.random(in: 0...255) })
    }

    static func base64url(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func unbase64url(_ text: String) -> [UInt8]? {
        var base = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base.count % 4 != 0 { base += "=" }
        return Data(base64Encoded: base).map(Array.init)
    }
}
