import Crypto
import Foundation
import LeadCore

/// One outbound event: `{"type": …, "timestamp": RFC 3339, "data": {…}}` (the Standard Webhooks
/// payload shape), with an id that stays the same on every retry so a receiver can deduplicate.
public struct WebhookEvent: Hashable, Sendable {
    public var type: String
    public var id: String
    public var at: Date
    /// The `data` object, already JSON.
    public var dataJSON: String

    public init(type: String, id: String, at: Date, dataJSON: String) {
        self.type = type; self.id = id; self.at = at; self.dataJSON = dataJSON
    }

    public var json: String {
        #"{"data":"# + dataJSON + #","timestamp":"# + JSONText.quote(RFC3339Text.string(at)) + #","type":"# + JSONText.quote(type) + "}"
    }
}

/// Signs an event the Standard Webhooks way (standardwebhooks.com): `webhook-id`,
/// `webhook-timestamp` (seconds) and `webhook-signature: v1,` + base64 of HMAC-SHA256 over
/// "id.timestamp.body", keyed with the base64 after `whsec_` (or the secret's bytes as given).
public enum StandardWebhookSigner {
    public static func request(_ event: WebhookEvent, to endpoint: ChannelEndpoint, now: Date) -> ChannelRequest {
        let body = event.json
        let timestamp = Int64(now.timeIntervalSince1970)
        var headers = ["Content-Type: application/json", "webhook-id: \(event.id)", "webhook-timestamp: \(timestamp)"]
        if let secret = endpoint.secret {
            headers.append("webhook-signature: v1,\(signature(id: event.id, timestamp: timestamp, body: body, secret: secret))")
        }
        return ChannelRequest(url: endpoint.url, headers: headers, body: Array(body.utf8))
    }

    public static func signature(id: String, timestamp: Int64, body: String, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array("\(id).\(timestamp).\(body)".utf8), using: SymmetricKey(data: key(secret)))
        return Data(mac).base64EncodedString()
    }

    static func key(_ secret: String) -> [UInt8] {
        if secret.hasPrefix("whsec_"), let bytes = Data(base64Encoded: String(secret.dropFirst(6))) { return Array(bytes) }
        return Array(secret.utf8)
    }
}
