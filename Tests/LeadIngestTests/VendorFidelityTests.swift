import Crypto
import Foundation
import LeadCore
@testable import LeadIngest
import LeadTestSupport
import Testing

/// Issue 13's cases 4 and 5: payloads in the shapes the vendors document.
@Suite struct VendorFidelityTests {
    /// Every Typeform answer type of the `form_response` reference, with refs and titles as the
    /// form builder sets them.
    static let typeformPayload = #"""
    {"event_id":"01HXTF","event_type":"form_response","form_response":{"form_id":"lT4Z3j","token":"tok-42",
     "submitted_at":"2026-11-30T02:00:00Z","hidden":{"utm_campaign":"双11","gclid":"abc"},"calculated":{"score":7},
     "definition":{"id":"lT4Z3j","title":"询价","fields":[
       {"id":"f1","ref":"contact_name","type":"short_text","title":"您的姓名"},
       {"id":"f2","ref":"mobile","type":"phone_number","title":"手机号码"},
       {"id":"f3","ref":"mail","type":"email","title":"Email"},
       {"id":"f4","ref":"industry_pick","type":"multiple_choice","title":"Which industry are you in?"},
       {"id":"f5","ref":"products","type":"multiple_choice","title":"Products","allow_multiple_selections":true},
       {"id":"f6","ref":"seats","type":"number","title":"How many seats?"},
       {"id":"f7","ref":"start","type":"date","title":"Start date"},
       {"id":"f8","ref":"consent","type":"yes_no","title":"May we call you?"},
       {"id":"f9","ref":"region_pick","type":"dropdown","title":"省份"},
       {"id":"f10","ref":"phone_pref","type":"multiple_choice","title":"Phone or e-mail?"}]},
     "answers":[
       {"type":"text","text":"周杰","field":{"id":"f1","type":"short_text","ref":"contact_name"}},
       {"type":"phone_number","phone_number":"+8613800138000","field":{"id":"f2","type":"phone_number","ref":"mobile"}},
       {"type":"email","email":"zhoujie@example.cn","field":{"id":"f3","type":"email","ref":"mail"}},
       {"type":"choice","choice":{"id":"c1","ref":"c-mfg","label":"制造业"},"field":{"id":"f4","type":"multiple_choice","ref":"industry_pick"}},
       {"type":"choices","choices":{"ids":["a","b"],"labels":["CRM","ERP"],"other":"自研"},"field":{"id":"f5","type":"multiple_choice","ref":"products"}},
       {"type":"number","number":25,"field":{"id":"f6","type":"number","ref":"seats"}},
       {"type":"date","date":"2027-01-04","field":{"id":"f7","type":"date","ref":"start"}},
       {"type":"boolean","boolean":true,"field":{"id":"f8","type":"yes_no","ref":"consent"}},
       {"type":"choice","choice":{"label":"浙江"},"field":{"id":"f9","type":"dropdown","ref":"region_pick"}},
       {"type":"choice","choice":{"label":"Phone"},"field":{"id":"f10","type":"multiple_choice","ref":"phone_pref"}}]}}
    """#

    @Test func typeformEveryAnswerTypeIsMappedOrKept() throws {
        let decoder = WebhookDecoder(name: "tf", format: .typeform, source: "typeform",
                                     fields: [.industry: "industry_pick", .province: "region_pick"])
        let lead = try decoder.decode(WebhookRequest(method: "POST", uri: "/webhooks/tf", headers: [:],
                                                     body: Array(Self.typeformPayload.utf8)), receivedAt: Date())[0]
        let d = LeadNormaliser().normalise(lead.draft)
        #expect(d.name == "周杰")
        #expect(d.phone == "+8613800138000")
        #expect(d.email == "zhoujie@example.cn")
        #expect(d.industry == "制造业")                         // a choice, mapped by ref
        #expect(d.province == "浙江省")                         // a dropdown choice, mapped by ref
        #expect(d.campaign == "双11")                           // a hidden field named like a label
        #expect(d.customFields["products"] == "CRM, ERP, 自研")
        #expect(d.customFields["seats"] == "25")
        #expect(d.customFields["start"] == "2027-01-04")
        #expect(d.customFields["consent"] == "true")
        #expect(d.customFields["phone_pref"] == "Phone")        // a preference, not a phone number
        #expect(d.customFields["hidden_gclid"] == "abc")
        #expect(d.customFields["typeform_score"] == "7")
    }

    @Test(.enabled(if: corpusWebhooks != nil, "../shared/corpus is absent"))
    func typeformDocumentedExampleLosesNoAnswer() throws {
        let body = try #require(try webhookCorpus("typeform_doc_example_payload.json"))
        let lead = try WebhookDecoder(name: "tf", format: .typeform, source: "typeform")
            .decode(WebhookRequest(method: "POST", uri: "/", headers: [:], body: body), receivedAt: Date())[0]
        let answers = try #require(JSONParser.parse(body)["form_response"]?["answers"]?.arrayValue)
        // Each answer is a lead field or a custom field: name and e-mail are fields, the other 11 custom.
        #expect(lead.draft.name == "Laura")
        #expect(lead.draft.email == "laura@example.com")
        let kept = lead.draft.customFields.keys.filter { $0.hasPrefix("readable_ref_") }
        #expect(kept.count == answers.count - 2, "\(lead.draft.customFields.keys.sorted())")
        #expect(lead.draft.customFields["readable_ref_picture_choice"] == "London, Sydney")
        #expect(lead.draft.customFields["readable_ref_multiple_choice"] != nil)
    }

    /// HubSpot's published v3 example (the Python SDK's test: secret, URL, body and timestamp).
    @Test func hubspotPublishedV3Example() throws {
        let auth = WebhookAuthenticator.hubspot(clientSecret: "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy",
                                                publicURL: "https://www.example.com/webhook_uri")
        let headers = ["X-HubSpot-Signature-v3": "K36dawei4A+QBNolUOqo7s91KQDWQ5MXZ/QufNYuk/Y=",
                       "X-HubSpot-Request-Timestamp": "1693657560000"]
        let request = WebhookRequest(method: "POST", uri: "/webhooks/hubspot", headers: headers,
                                     body: Array("{'example_field':'example_value'}".utf8))
        #expect(throws: Never.self) { try auth.verify(request, now: Date(timeIntervalSince1970: 1_693_657_561)) }
    }

    /// A `public_url` with escapes in its query: HubSpot signs it with its table's escapes
    /// decoded (`%3A %2F %40 %28 %29 ...`) and others (`%20`) left as they are.
    @Test func hubspotSignsTheURIWithItsDecodeTable() throws {
        let publicURL = "https://crm.example.cn/webhooks/hubspot?src=hs%3Aapp%2Fv3&owner=ops%40example.cn&x=%28a%29&q=a%20b"
        let signedByHubSpot = "https://crm.example.cn/webhooks/hubspot?src=hs:app/v3&owner=ops@example.cn&x=(a)&q=a%20b"
        #expect(WebhookAuthenticator.hubspotSignedURI(publicURL) == signedByHubSpot)
        let body = #"[{"eventId":1,"subscriptionType":"contact.creation","objectId":123}]"#
        let timestamp = "1796000000000"
        let mac = HMAC<SHA256>.authenticationCode(for: Array(("POST" + signedByHubSpot + body + timestamp).utf8),
                                                  using: SymmetricKey(data: Array("client-secret".utf8)))
        let request = WebhookRequest(method: "POST", uri: "/webhooks/hubspot", headers: [
            "X-HubSpot-Signature-v3": Data(mac).base64EncodedString(), "X-HubSpot-Request-Timestamp": timestamp,
        ], body: Array(body.utf8))
        let auth = WebhookAuthenticator.hubspot(clientSecret: "client-secret", publicURL: publicURL)
        #expect(throws: Never.self) { try auth.verify(request, now: Date(timeIntervalSince1970: 1_796_000_000)) }
    }
}

/// Meta's second step, read from the Graph API's documented answers.
@Suite struct MetaGraphLeadTests {
    let blank = LeadDraft(origin: LeadOrigin(channel: .webhook, name: "fb", key: "555971704561545"), receivedAt: Date())

    @Test(.enabled(if: corpusWebhooks != nil, "../shared/corpus is absent"))
    func aCapturedLeadObjectGivesTheDetails() throws {
        let body = try #require(try webhookCorpus("meta_lead_graph_response_capture_gist_baddot.json"))
        guard case .details(let draft) = MetaGraphLead.read(status: 200, body: body, transportError: nil, into: blank) else {
            Issue.record("no details"); return
        }
        #expect(draft.name == "James Oak")
        #expect(draft.email == "james.oak@example.org")
        #expect(draft.customFields["date_of_birth"] == "April 19, 1987")
        #expect(draft.customFields["meta_created_time"] == "2015-11-12T15:27:06+0000")
    }

    @Test(arguments: [
        (400, #"{"error":{"message":"Error validating access token: Session has expired","type":"OAuthException","code":190,"error_subcode":463}}"#, false),
        (400, #"{"error":{"message":"Unsupported get request.","type":"GraphMethodException","code":100,"error_subcode":33}}"#, true),
        (400, #"{"error":{"message":"(#17) User request limit reached","type":"OAuthException","code":17}}"#, false),
        (403, #"{"error":{"message":"(#200) Requires leads_retrieval","type":"OAuthException","code":200}}"#, true),
        (500, #"{"error":{"message":"An unknown error occurred","type":"OAuthException","code":1}}"#, false),
        (502, "<html>Bad Gateway</html>", false),
        (200, #"{"id":"1"}"#, true),
    ])
    func errorsSayWhetherToRetry(status: Int, body: String, permanent: Bool) {
        guard case .failure(let message, let isPermanent) = MetaGraphLead.read(status: status, body: Array(body.utf8),
                                                                                transportError: nil, into: blank) else {
            Issue.record("expected a failure"); return
        }
        #expect(isPermanent == permanent, "\(message)")
        if body.contains("190") { #expect(message.contains("renew the page access token")) }
    }

    @Test func aTransportErrorIsRetried() {
        #expect(MetaGraphLead.read(status: 0, body: [], transportError: "Couldn't connect to server", into: blank)
                == .failure("Graph API unreachable: Couldn't connect to server", permanent: false))
    }

    @Test func theURLEscapesTheTokenAndTheID() {
        let url = MetaGraphLead.url(graphURL: "http://127.0.0.1:9/v21.0/", leadgenID: "123/../x", token: "EAAB+/=&x")
        #expect(url.hasPrefix("http://127.0.0.1:9/v21.0/123%2F..%2Fx?fields="))
        #expect(url.hasSuffix("&access_token=EAAB%2B%2F%3D%26x"))
    }
}
