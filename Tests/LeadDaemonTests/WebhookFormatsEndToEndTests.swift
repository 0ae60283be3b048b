import Crypto
import Foundation
import LeadTestSupport
import Testing

/// One request builder per format: a valid request, and the same with its proof broken.
struct FormatCase: Sendable, CustomStringConvertible {
    var name: String
    var body: String
    var valid: @Sendable (String) -> [String: String]
    var wrong: [String: String]
    var description: String { name }
}

let hubspotURL = "https://crm.example.com/webhooks/hs"

func hmac(_ text: String, _ key: String) -> Data {
    Data(HMAC<SHA256>.authenticationCode(for: Array(text.utf8), using: SymmetricKey(data: Array(key.utf8))))
}

let formatCases: [FormatCase] = [
    FormatCase(name: "form", body: "name=%E5%BC%A0%E4%BC%9F&phone=13800138001",
               valid: { body in signed(body, id: "f-1").merging(["content-type": "application/x-www-form-urlencoded"]) { $1 } },
               wrong: ["content-type": "application/x-www-form-urlencoded", "webhook-id": "f-1", "webhook-timestamp": "1", "webhook-signature": "v1,AAAA"]),
    FormatCase(name: "tf", body: #"{"event_id":"e1","form_response":{"token":"tok-1","answers":[{"type":"email","email":"tf@example.com","field":{"id":"a","ref":"r1"}}]}}"#,
               valid: { body in ["typeform-signature": "sha256=" + hmac(body, "tf-secret").base64EncodedString()] },
               wrong: ["typeform-signature": "sha256=" + Data(repeating: 1, count: 32).base64EncodedString()]),
    FormatCase(name: "hs", body: #"[{"eventId":4000000001,"subscriptionType":"contact.propertyChange","objectId":123,"propertyName":"email","propertyValue":"hs@example.com"}]"#,
               valid: { body in
                   let ts = String(Int(Date().timeIntervalSince1970 * 1000))
                   return ["x-hubspot-request-timestamp": ts,
                           "x-hubspot-signature-v3": hmac("POST" + hubspotURL + body + ts, "hs-secret").base64EncodedString()]
               },
               wrong: ["x-hubspot-request-timestamp": String(Int(Date().timeIntervalSince1970 * 1000)), "x-hubspot-signature-v3": "AAAA"]),
    FormatCase(name: "ga", body: #"{"lead_id":"ga-1","google_key":"ga-secret","user_column_data":[{"column_id":"PHONE_NUMBER","string_value":"+8613800138002"}]}"#,
               valid: { _ in [:] }, wrong: [:]),
]

@Suite struct WebhookFormatsEndToEndTests {
    static let section = """
    [[webhook]]
    name = "form"
    format = "form"
    secret_file = "site.secret"
    [[webhook]]
    name = "tf"
    format = "typeform"
    secret_file = "tf.secret"
    [[webhook]]
    name = "hs"
    format = "hubspot"
    secret_file = "hs.secret"
    public_url = "\(hubspotURL)"
    [[webhook]]
    name = "ga"
    format = "google-ads"
    secret_file = "ga.secret"
    """

    @Test(arguments: formatCases)
    func everyFormatOverRealHTTP(format: FormatCase) async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        for (file, secret) in [("tf.secret", "tf-secret"), ("hs.secret", "hs-secret"), ("ga.secret", "ga-secret")] {
            try harness.folder.write(file, secret)
        }
        let daemon = try await harness.startWithWebhooks(extra: Self.section)
        let path = "/webhooks/\(format.name)"

        // Wrong proof, then none at all: 401 and nothing created.
        let wrongBody = format.name == "ga" ? format.body.replacingOccurrences(of: "ga-secret", with: "guess") : format.body
        #expect(try await harness.post(path, wrongBody, headers: format.wrong).status == 401)
        if format.name != "ga" {
            #expect(try await harness.post(path, format.body, headers: [:]).status == 401)
        }
        // Valid: 201; the same event again: 200 and no second lead.
        let first = try await harness.post(path, format.body, headers: format.valid(format.body))
        #expect(first.status == 201, "\(first.body)")
        let again = try await harness.post(path, format.body, headers: format.valid(format.body))
        #expect(again.status == 200)
        #expect(again.body.contains("redelivered"))
        // Oversize: 413.
        let huge = String(repeating: "x", count: 70_000)
        #expect(try await harness.post(path, huge, headers: format.valid(huge)).status == 413)
        let status = try await harness.statusJSON()
        #expect((status["leads"] as? [String: Int])?["total"] == 1)
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }

    @Test func replayedHubSpotRequestsOutsideTheWindowAreRefused() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        for (file, secret) in [("tf.secret", "tf-secret"), ("hs.secret", "hs-secret"), ("ga.secret", "ga-secret")] {
            try harness.folder.write(file, secret)
        }
        let daemon = try await harness.startWithWebhooks(extra: Self.section)
        let body = formatCases[2].body
        let old = String(Int((Date().timeIntervalSince1970 - 600) * 1000))
        let headers = ["x-hubspot-request-timestamp": old,
                       "x-hubspot-signature-v3": hmac("POST" + hubspotURL + body + old, "hs-secret").base64EncodedString()]
        let response = try await harness.post("/webhooks/hs", body, headers: headers)
        #expect(response.status == 401)
        #expect(response.body.contains("5-minute window"))
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }
}
