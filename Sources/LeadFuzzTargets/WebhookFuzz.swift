import Foundation
import LeadCore
import LeadIngest

enum WebhookFuzz {
    static let decoders = WebhookFormat.allCases.map { WebhookDecoder(name: "fuzz", format: $0, source: "fuzz") }
    static let schemes: [WebhookAuthenticator] = [
        .standardWebhooks(secret: Array("fuzz-secret".utf8)), .bearer(token: "fuzz"), .meta(appSecret: "fuzz"),
        .typeform(secret: "fuzz"), .hubspot(clientSecret: "fuzz", publicURL: "https://example.com/hook"),
        .googleKey(key: "fuzz"),
    ]

    static func run(_ bytes: [UInt8]) {
        let newline = bytes.firstIndex(of: UInt8(ascii: "\n"))
        let header = String(decoding: bytes[..<(newline ?? 0)], as: UTF8.self)
        let body = Array(bytes[(newline.map { $0 + 1 } ?? 0)...])
        let timestamp = String(Int(FuzzTarget.now.timeIntervalSince1970))
        // The first line is offered as every header a decoder or a signature scheme reads.
        let headers = [
            "content-type": header, "authorization": header, "webhook-id": "fuzz", "webhook-timestamp": timestamp,
            "webhook-signature": header, "x-hub-signature-256": header, "typeform-signature": header,
            "x-hubspot-signature-v3": header, "x-hubspot-request-timestamp": timestamp + "000",
        ]
        let request = WebhookRequest(method: "POST", uri: "/webhooks/fuzz", headers: headers, body: body)
        for decoder in decoders { _ = try? decoder.decode(request, receivedAt: FuzzTarget.now) }
        for scheme in schemes { try? scheme.verify(request, now: FuzzTarget.now) }
    }
}
