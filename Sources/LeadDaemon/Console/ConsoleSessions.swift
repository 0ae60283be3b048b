import Crypto
import Foundation
import LeadCore

/// Who a console session belongs to.
enum ConsoleActor: Hashable, Sendable {
    case admin
    case rep(RepID)

    var text: String {
        switch self {
        case .admin: "admin"
        case .rep(let rep): "rep:\(rep.rawValue)"
        }
    }

    init?(text: String) {
        if text == "admin" { self = .admin; return }
        guard text.hasPrefix("rep:"), text.count > 4 else { return nil }
        self = .rep(RepID(String(text.dropFirst(4))))
    }
}

/// Signed, expiring session cookies: `base64url(v1|actor|expires|nonce).base64url(HMAC-SHA256)`.
/// Nothing is stored: the signature is the session. The CSRF token of a session is another HMAC
/// over the session's value, so a form posted from elsewhere cannot know it.
struct ConsoleSessions: Sendable {
    /// The signing key's bytes (`SymmetricKey` is not `Sendable`).
    private let keyBytes: [UInt8]
    let lifetime: TimeInterval

    init(secret: String?, lifetime: TimeInterval) {
        if let secret {
            keyBytes = Array(SHA256.hash(data: Data(secret.utf8)))
        } else {
            keyBytes = (0..<32).map { _ in UInt8.random(in: 0...255) }
        }
        self.lifetime = lifetime
    }

    func issue(_ actor: ConsoleActor, now: Date) -> String {
        var nonce = [UInt8](repeating: 0, count: 12)
        for index in nonce.indices { nonce[index] = UInt8.random(in: 0...255) }
        let payload = "v1|\(actor.text)|\(Int64(now.timeIntervalSince1970 + lifetime))|\(Self.base64url(nonce))"
        return Self.base64url(Array(payload.utf8)) + "." + sign(payload)
    }

    /// The session's actor, when the value is ours, intact and unexpired.
    func actor(of value: String?, now: Date) -> ConsoleActor? {
        guard let value, let dot = value.firstIndex(of: ".") else { return nil }
        guard let bytes = Self.unbase64url(String(value[..<dot])) else { return nil }
        let payload = String(decoding: bytes, as: UTF8.self)
        guard ConstantTime.equal(Array(sign(payload).utf8), Array(value[value.index(after: dot)...].utf8)) else { return nil }
        let parts = payload.split(separator: "|")
        guard parts.count == 4, parts[0] == "v1", let expires = Int64(parts[2]), Double(expires) > now.timeIntervalSince1970 else { return nil }
        return ConsoleActor(text: String(parts[1]))
    }

    func csrfToken(for session: String) -> String { sign("csrf|" + session) }

    private func sign(_ text: String) -> String {
        Self.base64url(Array(HMAC<SHA256>.authenticationCode(for: Array(text.utf8), using: SymmetricKey(data: keyBytes))))
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
