import Foundation
import LeadCore
import LeadIngest
import LeadTestSupport
import Testing

var corpusWebhooks: URL? { RepositoryPaths.shared?.appendingPathComponent("corpus/webhooks") }

func webhookCorpus(_ name: String) throws -> [UInt8]? {
    guard let folder = corpusWebhooks else { return nil }
    return Array(try Data(contentsOf: folder.appendingPathComponent(name)))
}

func decode(_ format: WebhookFormat, _ body: [UInt8], headers: [String: String] = [:], fields: [LeadField: String] = [:],
            idPath: String? = nil) throws(WebhookError) -> [WebhookLead] {
    try WebhookDecoder(name: "hook", format: format, source: "src", fields: fields, idPath: idPath)
        .decode(WebhookRequest(method: "POST", uri: "/webhooks/hook", headers: headers, body: body), receivedAt: now)
}

@Suite struct WebhookDecoderTests {
    @Test func genericJSONByCommonNamesAndConfiguredPaths() throws {
        let body = Array(#"{"姓名":"赵敏","手机":"139 1234 5678","email":"zm@example.cn","company":{"name":"苏州某某"},"budget":"50万"}"#.utf8)
        let leads = try decode(.json, body, headers: ["webhook-id": "evt-9"],
                               fields: [.company: "$.company.name", .custom("budget_range"): "budget"])
        #expect(leads.count == 1)
        #expect(leads[0].eventID == "evt-9")
        #expect(leads[0].draft.name == "赵敏")
        #expect(leads[0].draft.phone == "139 1234 5678")
        #expect(leads[0].draft.company == "苏州某某")
        #expect(leads[0].draft.customFields == ["budget_range": "50万"])
        #expect(leads[0].draft.origin == LeadOrigin(channel: .webhook, name: "hook", key: "evt-9"))
    }

    @Test func withoutAnEventIDTheBodyDigestIsTheIdempotencyKey() throws {
        let body = Array(#"{"email":"a@b.cn"}"#.utf8)
        let first = try decode(.json, body)[0].eventID
        #expect(first.hasPrefix("sha256:"))
        #expect(try decode(.json, body)[0].eventID == first)
        #expect(try decode(.json, Array(#"{"email":"a@b.cn","x":1}"#.utf8))[0].eventID != first)
        #expect(try decode(.json, Array(#"{"email":"a@b.cn","submission":{"id":98765432109876543210}}"#.utf8),
                           idPath: "submission.id")[0].eventID == "98765432109876543210")
    }

    @Test func badJSONIs400AndNoContactIs422() {
        #expect(throws: WebhookError.malformed("invalid JSON at byte 9: expected a member name")) { try decode(.json, Array(#"{"a":"b","#.utf8)) }
        #expect(throws: WebhookError.unprocessable("expected a JSON object")) { try decode(.json, Array("[1,2]".utf8)) }
        #expect(throws: WebhookError.unprocessable("no e-mail address or phone number in the payload")) {
            try decode(.json, Array(#"{"name":"x"}"#.utf8))
        }
    }

    @Test func urlEncodedFormsInUTF8AndGBK() throws {
        let utf8 = try decode(.form, Array("name=%E5%BC%A0%E4%BC%9F&phone=138+0013+8000&company=A%26B".utf8),
                              headers: ["Content-Type": "application/x-www-form-urlencoded"])
        #expect(utf8[0].draft.name == "张伟")
        #expect(utf8[0].draft.phone == "138 0013 8000")
        #expect(utf8[0].draft.company == "A&B")
        let gbk = try decode(.form, Array("%D0%D5%C3%FB=%D5%C5%CE%B0&tel=13800138000".utf8),        // 姓名=张伟 in GBK
                             headers: ["Content-Type": "application/x-www-form-urlencoded; charset=gbk"])
        #expect(gbk[0].draft.name == "张伟")
    }

    @Test func multipartForms() throws {
        let body = "--xx\r\nContent-Disposition: form-data; name=\"姓名\"\r\n\r\n李娜\r\n--xx\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\nln@example.cn\r\n--xx\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nignored\r\n--xx--\r\n"
        let leads = try decode(.form, Array(body.utf8), headers: ["Content-Type": "multipart/form-data; boundary=xx"])
        #expect(leads[0].draft.name == "李娜")
        #expect(leads[0].draft.email == "ln@example.cn")
    }
}

@Suite(.enabled(if: corpusWebhooks != nil, "../shared/corpus is absent"))
struct VendorPayloadCorpusTests {
    @Test func metaNotificationKeepsItsBigLeadgenIdExactly() throws {
        let leads = try decode(.metaLeadgen, try #require(try webhookCorpus("meta_leadgen_webhook_capture_gist_baddot.json")))
        #expect(leads.map(\.eventID) == ["55459717045641545"])
        #expect(leads[0].draft.customFields["meta_leadgen_id"] == "55459717045641545")
        #expect(leads[0].draft.customFields["meta_page_id"] == "516540199134611")
        #expect(leads[0].warnings.first?.hasPrefix("no field_data") == true)
    }

    @Test func metaFieldDataGivesTheContact() throws {
        let graph = try decode(.metaLeadgen, try #require(try webhookCorpus("meta_lead_graph_response_capture_gist_baddot.json")))
        #expect(graph[0].eventID == "555971704561545")
        #expect(graph[0].draft.name == "James Oak")
        #expect(graph[0].draft.email == "james.oak@example.org")
        #expect(graph[0].draft.customFields["gender"] == "male")
        let four = try decode(.metaLeadgen, try #require(try webhookCorpus("meta_lead_field_data_testdata_aecc.json")))
        #expect(four.map(\.draft.name) == ["First Test", "Second Joe", "Third New", "Fourth Another"])
        #expect(four.map(\.draft.phone) == ["11111111", "22222222", "33333333", "44444444"])
        let changes = try decode(.metaLeadgen, try #require(try webhookCorpus("meta_leadgen_changes_testdata_aecc.json")))
        #expect(changes.map(\.eventID) == ["0", "1", "2", "3"])
    }

    @Test func googleAdsTestSampleWithCapitalisedKey() throws {
        let leads = try decode(.googleAds, try #require(try webhookCorpus("google_ads_lead_sample_test_as_quoted.json")))
        #expect(leads[0].draft.name == "John Doe")
        #expect(leads[0].draft.phone == "+11234567890")
        #expect(leads[0].draft.campaign == "123456")
        #expect(leads[0].draft.customFields["is_test"] == "true")
        #expect(leads[0].eventID.hasPrefix("Cj0KCQjwit_8BRCoARIsAIx3Rj7g"))
        let production = try decode(.googleAds, try #require(try webhookCorpus("google_ads_lead_sample_production_as_quoted.json")))
        #expect(production[0].draft.email != nil || production[0].draft.phone != nil)
    }

    @Test func typeformDocExample() throws {
        let leads = try decode(.typeform, try #require(try webhookCorpus("typeform_doc_example_payload.json")))
        #expect(leads[0].eventID == "a3a12ec67a1365927098a606107fac15")
        #expect(leads[0].draft.email == "laura@example.com")
        #expect(leads[0].draft.name == "Laura")
    }

    @Test func hubspotEventsCarryIds() throws {
        let leads = try decode(.hubspot, try #require(try webhookCorpus("hubspot_private_app_webhook_samples_as_quoted.json")))
        #expect(!leads.isEmpty)
        #expect(leads.allSatisfy { $0.draft.customFields["hubspot_objectId"] != nil })
    }

    @Test func formstackJSONThroughTheGenericDecoderWithPaths() throws {
        let leads = try decode(.json, try #require(try webhookCorpus("formstack_webhook_contact_example.json")),
                               fields: [.name: "Name.first", .city: "Address.city", .province: "Address.state"], idPath: "UniqueID")
        #expect(leads[0].eventID == "12345678")
        #expect(leads[0].draft.name == "John")
        #expect(leads[0].draft.phone == "234-555-6789")
        #expect(leads[0].draft.province == "IN")
    }

    @Test func hubspotV3SignatureVector() throws {
        let vectors = try #require(try webhookCorpus("hubspot_signature_test_vectors.json"))
        let json = try JSONParser.parse(vectors)
        let v3 = try #require(json["cases"]?.arrayValue?.first { $0["version"]?.text == "v3" })
        let timestamp = try #require(json["timestamp"]?.text)
        let body = try #require(json["request_body"]?.text)
        let auth = WebhookAuthenticator.hubspot(clientSecret: try #require(json["client_secret"]?.text),
                                                publicURL: try #require(json["url"]?.text))
        let headers = ["X-HubSpot-Signature-v3": try #require(v3["expected"]?.text), "X-HubSpot-Request-Timestamp": timestamp]
        let then = Date(timeIntervalSince1970: Double(timestamp)! / 1000)
        #expect(throws: Never.self) { try auth.verify(request(body, headers: headers), now: then) }
        #expect(throws: WebhookError.unauthorized("wrong X-HubSpot-Signature-v3")) {
            try auth.verify(request(body + "x", headers: headers), now: then)
        }
        #expect(throws: WebhookError.unauthorized("timestamp outside the 5-minute window (replayed or clock skew)")) {
            try auth.verify(request(body, headers: headers), now: then + 301)
        }
    }
}
