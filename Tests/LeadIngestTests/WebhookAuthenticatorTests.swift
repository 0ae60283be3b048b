import Crypto
import Foundation
@testable import LeadIngest
import Testing

let now = Date(timeIntervalSince1970: 1_796_000_000)

func request(_ body: String, headers: [String: String], method: String = "POST") -> WebhookRequest {
    WebhookRequest(method: method, uri: "/webhooks/test", headers: headers, body: Array(body.utf8))
}

func standardHeaders(_ body: String, secret: [UInt8], id: String = "msg_1", timestamp: Date = now) -> [String: String] {
    let ts = String(Int(timestamp.timeIntervalSince1970))
    let mac = HMAC<SHA256>.authenticationCode(for: Array("\(id).\(ts).\(body)".utf8), using: SymmetricKey(data: secret))
    return ["webhook-id": id, "webhook-timestamp": ts, "webhook-signature": "v1,\(Data(mac).base64EncodedString())"]
}

@Suite struct WebhookAuthenticatorTests {
    let secret = WebhookAuthenticator.standardSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
    let body = #"{"name":"张伟","phone":"13800138000"}"#

    @Test func standardWebhooksAcceptsAValidSignature() throws {
        try WebhookAuthenticator.standardWebhooks(secret: secret).verify(request(body, headers: standardHeaders(body, secret: secret)), now: now)
    }

    @Test func standardWebhooksMatchesTheSpecsTestVector() throws {
        // The Standard Webhooks reference example (standard-webhooks spec).
        let payload = #"{"test": 2432232314}"#
        let headers = ["webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek", "webhook-timestamp": "1614265330",
                       "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="]
        try WebhookAuthenticator.standardWebhooks(secret: secret)
            .verify(request(payload, headers: headers), now: Date(timeIntervalSince1970: 1_614_265_330))
    }

    @Test func aTamperedBodyOrWrongSecretIsRefused() {
        let headers = standardHeaders(body, secret: secret)
        #expect(throws: WebhookError.unauthorized("no valid v1 signature")) {
            try WebhookAuthenticator.standardWebhooks(secret: secret).verify(request(body + " ", headers: headers), now: now)
        }
        #expect(throws: WebhookError.unauthorized("no valid v1 signature")) {
            try WebhookAuthenticator.standardWebhooks(secret: Array("other".utf8)).verify(request(body, headers: headers), now: now)
        }
    }

    @Test func missingHeadersAndStaleOrReplayedTimestampsAreRefused() {
        #expect(throws: WebhookError.unauthorized("missing webhook-id, webhook-timestamp or webhook-signature")) {
            try WebhookAuthenticator.standardWebhooks(secret: secret).verify(request(body, headers: [:]), now: now)
        }
        let old = standardHeaders(body, secret: secret, timestamp: now - 301)
        #expect(throws: WebhookError.unauthorized("timestamp outside the 5-minute window (replayed or clock skew)")) {
            try WebhookAuthenticator.standardWebhooks(secret: secret).verify(request(body, headers: old), now: now)
        }
        let recent = standardHeaders(body, secret: secret, timestamp: now - 299)
        #expect(throws: Never.self) { try WebhookAuthenticator.standardWebhooks(secret: secret).verify(request(body, headers: recent), now: now) }
    }

    @Test func bearerTokens() {
        let auth = WebhookAuthenticator.bearer(token: "s3cret")
        #expect(throws: Never.self) { try auth.verify(request(body, headers: ["Authorization": "Bearer s3cret"]), now: now) }
        #expect(throws: WebhookError.unauthorized("wrong bearer token")) {
            try auth.verify(request(body, headers: ["Authorization": "Bearer s3cre"]), now: now)
        }
        #expect(throws: WebhookError.unauthorized("missing bearer token")) { try auth.verify(request(body, headers: [:]), now: now) }
    }

    @Test func metaHubSignature() {
        let mac = HMAC<SHA256>.authenticationCode(for: Array(body.utf8), using: SymmetricKey(data: Array("appsecret".utf8)))
        let hex = mac.map { String(format: "%02x", $0) }.joined()
        let auth = WebhookAuthenticator.meta(appSecret: "appsecret")
        #expect(throws: Never.self) { try auth.verify(request(body, headers: ["X-Hub-Signature-256": "sha256=\(hex)"]), now: now) }
        #expect(throws: WebhookError.unauthorized("wrong X-Hub-Signature-256")) {
            try auth.verify(request(body, headers: ["X-Hub-Signature-256": "sha256=" + String(repeating: "0", count: 64)]), now: now)
        }
    }

    @Test func typeformBase64Signature() {
        let mac = HMAC<SHA256>.authenticationCode(for: Array(body.utf8), using: SymmetricKey(data: Array("tf".utf8)))
        let auth = WebhookAuthenticator.typeform(secret: "tf")
        #expect(throws: Never.self) {
            try auth.verify(request(body, headers: ["Typeform-Signature": "sha256=\(Data(mac).base64EncodedString())"]), now: now)
        }
        #expect(throws: WebhookError.unauthorized("missing or malformed Typeform-Signature")) { try auth.verify(request(body, headers: [:]), now: now) }
    }

    @Test func googleKeyInEitherSpelling() {
        let auth = WebhookAuthenticator.googleKey(key: "xfdgdgsgfchgvhgfchg")
        #expect(throws: Never.self) { try auth.verify(request(#"{"google_key":"xfdgdgsgfchgvhgfchg"}"#, headers: [:]), now: now) }
        #expect(throws: Never.self) { try auth.verify(request(#"{"Google_key":"xfdgdgsgfchgvhgfchg"}"#, headers: [:]), now: now) }
        #expect(throws: WebhookError.unauthorized("wrong google_key")) { try auth.verify(request(#"{"google_key":"nope"}"#, headers: [:]), now: now) }
    }

    /// Issue 14 item 8: the key is found by a scan of the top level, not a parse of the whole body.
    @Test func googleKeyIsCheckedBeforeTheBodyIsParsed() {
        let auth = WebhookAuthenticator.googleKey(key: "xfdgdgsgfchgvhgfchg")
        // The rest is not valid JSON (`tru`, `[1,,2]`): a full parse would fail first and never
        // reach the key; the scan steps over it and judges the key.
        let sloppy = #"{"lead_id":tru,"user_column_data":[1,,2],"google_key":"#
        #expect(throws: WebhookError.unauthorized("wrong google_key")) { try auth.verify(request(sloppy + #""nope"}"#, headers: [:]), now: now) }
        #expect(throws: Never.self) { try auth.verify(request(sloppy + #""xfdgdgsgfchgvhgfchg"}"#, headers: [:]), now: now) }
        // Only a top-level member counts; two keys are refused rather than one of them picked.
        #expect(throws: WebhookError.unauthorized("missing google_key")) {
            try auth.verify(request(#"{"form":{"google_key":"xfdgdgsgfchgvhgfchg"}}"#, headers: [:]), now: now)
        }
        #expect(throws: WebhookError.unauthorized("google_key given more than once")) {
            try auth.verify(request(#"{"google_key":"xfdgdgsgfchgvhgfchg","Google_key":"other"}"#, headers: [:]), now: now)
        }
        // Escapes in names and values are decoded; a body cut short has no key.
        #expect(throws: Never.self) { try auth.verify(request(#"{"google_key":"xfdgdgsgfchgvhgfchg","a":"x"}"}"#, headers: [:]), now: now) }
        #expect(throws: WebhookError.unauthorized("missing google_key")) { try auth.verify(request(#"{"google_key":"xfdgdgsgfchgvhgfchg","#, headers: [:]), now: now) }
        #expect(throws: WebhookError.unauthorized("missing google_key")) { try auth.verify(request(String(repeating: "[", count: 10_000), headers: [:]), now: now) }
    }

    @Test func constantTimeComparisonIsCorrect() {
        #expect(WebhookAuthenticator.constantTimeEqual(Array("abc".utf8), Array("abc".utf8)))
        #expect(!WebhookAuthenticator.constantTimeEqual(Array("abc".utf8), Array("abd".utf8)))
        #expect(!WebhookAuthenticator.constantTimeEqual(Array("abc".utf8), Array("abcd".utf8)))
    }
}

/// Issue 14 item 8: signature timestamps are integers, nothing else `Double` would take.
@Suite struct StrictTimestampTests {
    @Test(arguments: ["1796000000.5", "0x6B0E5A00", "1.796e9", " 1796000000", "+1796000000", "-1", "", "17960000000000000000"])
    func onlyDigitsAreATimestamp(text: String) {
        #expect(WebhookAuthenticator.integer(text) == nil, "\(text)")
    }

    @Test func aStandardWebhooksTimestampWithAFractionIsRefused() throws {
        let secret = Array("0123456789abcdef".utf8)
        let body = Array(#"{"email":"a@b.cn"}"#.utf8)
        let mac = HMAC<SHA256>.authenticationCode(for: Array("evt.1796000000.5.".utf8) + body, using: SymmetricKey(data: secret))
        let request = WebhookRequest(method: "POST", uri: "/", headers: [
            "webhook-id": "evt", "webhook-timestamp": "1796000000.5", "webhook-signature": "v1,\(Data(mac).base64EncodedString())",
        ], body: body)
        #expect(throws: WebhookError.unauthorized("malformed timestamp")) {
            try WebhookAuthenticator.standardWebhooks(secret: secret).verify(request, now: Date(timeIntervalSince1970: 1_796_000_000))
        }
        #expect(WebhookAuthenticator.integer("1796000000") == 1_796_000_000)
    }
}
