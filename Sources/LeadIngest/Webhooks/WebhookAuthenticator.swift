import Crypto
import Foundation
import LeadCore

/// How a webhook proves it comes from its sender. Every check runs on the raw body before any
/// parsing, and compares in constant time. Schemes with a timestamp refuse requests outside
/// `tolerance` (5 minutes) of `now`.
public enum WebhookAuthenticator: Sendable, Equatable {
    /// Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64>`,
    /// HMAC-SHA256 over `id.timestamp.body`; a `whsec_` secret is base64.
    case standardWebhooks(secret: [UInt8])
    /// `Authorization: Bearer <token>`.
    case bearer(token: String)
    /// Meta: `X-Hub-Signature-256: sha256=<hex>` over the body, key = App Secret.
    case meta(appSecret: String)
    /// Typeform: `Typeform-Signature: sha256=<base64>` over the body.
    case typeform(secret: String)
    /// HubSpot v3: `X-HubSpot-Signature-v3` = base64 HMAC-SHA256(secret, method + uri + body +
    /// timestamp), `X-HubSpot-Request-Timestamp` in milliseconds. `publicURL` is the URL HubSpot calls.
    case hubspot(clientSecret: String, publicURL: String)
    /// Google Ads lead forms: the `google_key` (or `Google_key`) body field equals the secret.
    case googleKey(key: String)
    /// No authentication (only when configured as `auth = "none"`).
    case none

    public static let tolerance: TimeInterval = 300

    /// Standard Webhooks secret text: `whsec_<base64>`, or raw bytes otherwise.
    public static func standardSecret(_ text: String) -> [UInt8] {
        if text.hasPrefix("whsec_"), let data = Data(base64Encoded: String(text.dropFirst(6))) { return Array(data) }
        return Array(text.utf8)
    }

    public func verify(_ request: WebhookRequest, now: Date) throws(WebhookError) {
        switch self {
        case .none:
            return
        case .bearer(let token):
            guard let header = request.header("authorization"), header.lowercased().hasPrefix("bearer ") else {
                throw .unauthorized("missing bearer token")
            }
            guard Self.constantTimeEqual(Array(header.dropFirst(7).trimmingWhitespace().utf8), Array(token.utf8)) else {
                throw .unauthorized("wrong bearer token")
            }
        case .standardWebhooks(let secret):
            guard let id = request.header("webhook-id"), let timestampText = request.header("webhook-timestamp"),
                  let signatures = request.header("webhook-signature") else {
                throw .unauthorized("missing webhook-id, webhook-timestamp or webhook-signature")
            }
            try Self.checkFresh(seconds: Self.integer(timestampText).map(Double.init), now: now)
            let signed = Array("\(id).\(timestampText).".utf8) + request.body
            let key = SymmetricKey(data: secret)
            let valid = signatures.split(separator: " ").contains { candidate in
                guard candidate.hasPrefix("v1,"), let mac = Data(base64Encoded: String(candidate.dropFirst(3))) else { return false }
                return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: signed, using: key)
            }
            guard valid else { throw .unauthorized("no valid v1 signature") }
        case .meta(let appSecret):
            guard let header = request.header("x-hub-signature-256"), header.hasPrefix("sha256="),
                  let mac = Self.hexBytes(String(header.dropFirst(7))) else {
                throw .unauthorized("missing or malformed X-Hub-Signature-256")
            }
            guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: request.body,
                                                         using: SymmetricKey(data: Array(appSecret.utf8))) else {
                throw .unauthorized("wrong X-Hub-Signature-256")
            }
        case .typeform(let secret):
            guard let header = request.header("typeform-signature"), header.hasPrefix("sha256="),
                  let mac = Data(base64Encoded: String(header.dropFirst(7))) else {
                throw .unauthorized("missing or malformed Typeform-Signature")
            }
            guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: request.body,
                                                         using: SymmetricKey(data: Array(secret.utf8))) else {
                throw .unauthorized("wrong Typeform-Signature")
            }
        case .hubspot(let clientSecret, let publicURL):
            guard let signature = request.header("x-hubspot-signature-v3"), let mac = Data(base64Encoded: signature),
                  let timestamp = request.header("x-hubspot-request-timestamp") else {
                throw .unauthorized("missing X-HubSpot-Signature-v3 or X-HubSpot-Request-Timestamp")
            }
            try Self.checkFresh(seconds: Self.integer(timestamp).map { Double($0) / 1000 }, now: now)
            let signed = Array((request.method + Self.hubspotSignedURI(publicURL)).utf8) + request.body + Array(timestamp.utf8)
            guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: signed,
                                                         using: SymmetricKey(data: Array(clientSecret.utf8))) else {
                throw .unauthorized("wrong X-HubSpot-Signature-v3")
            }
        case .googleKey(let key):
            // The key is inside the body: found by a scan of the top level, before anything is parsed.
            guard let keys = JSONMemberScanner.topLevelStrings(named: ["google_key", "Google_key"], in: request.body),
                  let given = keys.first else {
                throw .unauthorized("missing google_key")
            }
            guard keys.count == 1 else { throw .unauthorized("google_key given more than once") }
            guard Self.constantTimeEqual(Array(given.utf8), Array(key.utf8)) else { throw .unauthorized("wrong google_key") }
        }
    }

    /// The URI HubSpot signs: the URL it called with these percent-escapes decoded (HubSpot's
    /// table: `%3A : %2F / %3F ? %40 @ %21 ! %24 $ %27 ' %28 ( %29 ) %2A * %2C , %3B ;`, either
    /// case) and every other escape left as it is (`%20`, `%26`, `%3D` stay encoded).
    public static func hubspotSignedURI(_ url: String) -> String {
        let table: [String: Character] = ["3A": ":", "2F": "/", "3F": "?", "40": "@", "21": "!", "24": "$",
                                          "27": "'", "28": "(", "29": ")", "2A": "*", "2C": ",", "3B": ";"]
        var out = ""
        var rest = Substring(url)
        while let percent = rest.firstIndex(of: "%") {
            out += rest[..<percent]
            let code = rest[rest.index(after: percent)...].prefix(2)
            if code.count == 2, let character = table[code.uppercased()] {
                out.append(character)
                rest = rest[rest.index(percent, offsetBy: 3)...]
            } else {
                out.append("%")
                rest = rest[rest.index(after: percent)...]
            }
        }
        return out + rest
    }

    /// A timestamp as its senders write it: ASCII digits only (no sign, fraction, exponent, hex or
    /// spaces, which `Double` would accept), at most 16 of them.
    static func integer(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= 16, bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int64(text)
    }

    static func checkFresh(seconds: Double?, now: Date) throws(WebhookError) {
        guard let seconds else { throw .unauthorized("malformed timestamp") }
        guard abs(now.timeIntervalSince1970 - seconds) <= tolerance else {
            throw .unauthorized("timestamp outside the 5-minute window (replayed or clock skew)")
        }
    }

    /// Equal-length comparison whose time does not depend on where the inputs differ; inputs of
    /// different lengths are compared through their SHA-256 digests.
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        let x = Array(SHA256.hash(data: a))
        let y = Array(SHA256.hash(data: b))
        var difference: UInt8 = 0
        for i in 0..<x.count { difference |= x[i] ^ y[i] }
        return difference == 0
    }

    static func hexBytes(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 2)
        var i = 0
        while i < chars.count {
            guard let byte = UInt8(String(decoding: chars[i..<i + 2], as: UTF8.self), radix: 16) else { return nil }
            out.append(byte)
            i += 2
        }
        return out
    }
}
