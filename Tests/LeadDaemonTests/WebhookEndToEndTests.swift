import Crypto
import Foundation
import LeadIngest
import LeadCore
import LeadStoreSQLite
import LeadTestSupport
import Testing

let webhookSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

func webhookSection(maxBody: String = "64KiB") -> String {
    """
    [[webhook]]
    name = "site"
    format = "json"
    secret_file = "site.secret"
    source = "web-form"
    max_body = "\(maxBody)"
    [[webhook]]
    name = "meta"
    format = "meta-leadgen"
    secret_file = "meta.secret"
    verify_token_file = "meta.verify"
    """
}

func signed(_ body: String, id: String, at date: Date = Date()) -> [String: String] {
    let secret = Array(Data(base64Encoded: String(webhookSecret.dropFirst(6)))!)
    let ts = String(Int(date.timeIntervalSince1970))
    let mac = HMAC<SHA256>.authenticationCode(for: Array("\(id).\(ts).\(body)".utf8), using: SymmetricKey(data: secret))
    return ["content-type": "application/json", "webhook-id": id, "webhook-timestamp": ts,
            "webhook-signature": "v1,\(Data(mac).base64EncodedString())"]
}

extension DaemonHarness {
    func startWithWebhooks(extra: String = "") async throws -> ChildProcess {
        try folder.write("site.secret", webhookSecret + "\n")
        try folder.write("meta.secret", "meta-app-secret")
        try folder.write("meta.verify", "verify-me")
        let config = DaemonHarness.config(reps: 1, port: port, extra: webhookSection() + "\n" + extra)
        try writeRaw(config)
        try folder.write("leadctl.toml", config)
        let daemon = try start()
        try await notify.waitFor("READY=1")
        return daemon
    }

    func post(_ path: String, _ body: String, headers: [String: String]) async throws -> HTTPResponse {
        let port = self.port
        return try await offPool { try httpRequest("POST", port: port, path: path, body: Data(body.utf8), headers: headers) }
    }
}

/// Webhooks over real HTTP on loopback against the real daemon.
@Suite struct WebhookEndToEndTests {
    @Test func signedTamperedReplayedAndRedeliveredRequests() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        let daemon = try await harness.startWithWebhooks()
        let body = #"{"name":"赵敏","phone":"139-1234-5678","email":"Zhao.Min@Example.com","province":"江苏"}"#

        let created = try await harness.post("/webhooks/site", body, headers: signed(body, id: "evt-1"))
        #expect(created.status == 201)
        #expect(created.body == #"{"leads":[{"event_id":"evt-1","lead_id":1,"outcome":"created"}]}"#)

        let again = try await harness.post("/webhooks/site", body, headers: signed(body, id: "evt-1"))
        #expect(again.status == 200)
        #expect(again.body.contains(#""outcome":"redelivered""#))

        var tampered = signed(body, id: "evt-2")
        tampered["webhook-signature"] = "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
        #expect(try await harness.post("/webhooks/site", body, headers: tampered).status == 401)
        #expect(try await harness.post("/webhooks/site", body + " ", headers: signed(body, id: "evt-3")).status == 401)
        #expect(try await harness.post("/webhooks/site", body, headers: ["content-type": "application/json"]).status == 401)
        #expect(try await harness.post("/webhooks/site", body, headers: signed(body, id: "evt-4", at: Date() - 600)).status == 401)

        let leads = try await harness.leadctl(["leads", "list", "--json"])
        let list = try JSONSerialization.jsonObject(with: Data(leads.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(list.count == 1)
        #expect(list.first?["name"] as? String == "赵敏")
        #expect(list.first?["phone"] as? String == "+8613912345678")
        #expect(list.first?["email"] as? String == "zhao.min@example.com")
        #expect(list.first?["province"] as? String == "江苏省")
        #expect(try await harness.get("/metrics").body.contains(#"leadrouter_intake_total{channel="webhook",outcome="rejected"} 4"#))
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }

    @Test func badInputGetsAClearStatusAndNothingIsCreated() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        let daemon = try await harness.startWithWebhooks()
        let notJSON = #"{"name": "x","#
        let bad = try await harness.post("/webhooks/site", notJSON, headers: signed(notJSON, id: "b1"))
        #expect(bad.status == 400)
        #expect(bad.body.contains("invalid JSON"))
        let noContact = #"{"name":"only a name"}"#
        let unusable = try await harness.post("/webhooks/site", noContact, headers: signed(noContact, id: "b2"))
        #expect(unusable.status == 422)
        let nested = String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000)
        #expect(try await harness.post("/webhooks/site", nested, headers: signed(nested, id: "b3")).status == 400)
        let huge = "{\"email\":\"a@b.cn\",\"pad\":\"" + String(repeating: "x", count: 70_000) + "\"}"
        #expect(try await harness.post("/webhooks/site", huge, headers: signed(huge, id: "b4")).status == 413)
        #expect(try await harness.post("/webhooks/nope", "{}", headers: [:]).status == 404)
        #expect(daemon.isRunning)
        #expect(try await harness.get("/readyz").status == 200)
        let status = try await harness.statusJSON()
        #expect((status["leads"] as? [String: Int])?["total"] == 0)
        // Authenticated but unusable bodies are kept for the admin.
        let quarantine = try await harness.leadctl(["quarantine", "list", "--json"])
        let entries = try JSONSerialization.jsonObject(with: Data(quarantine.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(Set(entries.compactMap { $0["key"] as? String }) == ["b1", "b2", "b3"])
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }

    @Test func metaVerificationHandshakeAndSignedNotification() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        let daemon = try await harness.startWithWebhooks()
        let ok = try await offPoolRequest(port: harness.port, path: "/webhooks/meta?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444")
        #expect(ok.status == 200)
        #expect(ok.body == "1158201444")
        #expect(try await offPoolRequest(port: harness.port, path: "/webhooks/meta?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1").status == 403)

        let body = #"{"object":"page","entry":[{"id":"1","time":1,"changes":[{"field":"leadgen","value":{"leadgen_id":55459717045641545,"form_id":551111744595541,"field_data":[{"name":"full_name","values":["王芳"]},{"name":"phone_number","values":["+86 138 0013 8000"]}]}}]}]}"#
        let mac = HMAC<SHA256>.authenticationCode(for: Array(body.utf8), using: SymmetricKey(data: Array("meta-app-secret".utf8)))
        let hex = mac.map { String(format: "%02x", $0) }.joined()
        let response = try await harness.post("/webhooks/meta", body, headers: ["content-type": "application/json", "x-hub-signature-256": "sha256=\(hex)"])
        #expect(response.status == 201)
        #expect(response.body.contains(#""event_id":"55459717045641545""#))
        let shown = try await harness.leadctl(["leads", "show", "1", "--json"])
        let lead = try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any] ?? [:]
        #expect((lead["custom_fields"] as? [String: String])?["meta_leadgen_id"] == "55459717045641545")
        #expect(lead["phone"] as? String == "+8613800138000")
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }

    /// kill -9 while webhooks are being answered and a 2,000-file mail-drop is taken: every 2xx is
    /// one lead, every file one lead or quarantine entry.
    @Test func everyAcknowledgedWebhookSurvivesKillNine() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        var daemon = try await harness.startWithWebhooks(extra: maildropSection + "\n")
        let spool = MaildirSpool(root: harness.folder.file("spool"))
        for i in 0..<2_000 {
            _ = try MaildirSpool.deliver(Array("From: m\(i)@example.cn\r\nSubject: s\r\n\r\n电话：139 0000 \(String(format: "%04d", i))\r\n".utf8), to: spool.root)
        }
        let acknowledged = try await withThrowingTaskGroup(of: [String].self) { group in
            for worker in 0..<4 {
                group.addTask {
                    try await Task.detached {
                        var ok: [String] = []
                        for i in 0..<400 {
                            let id = "w\(worker)-\(i)"
                            let body = "{\"email\":\"\(id)@example.cn\",\"name\":\"客户\(i)\"}"
                            guard let response = try? await harness.post("/webhooks/site", body, headers: signed(body, id: id)) else { break }
                            if (200..<300).contains(response.status) { ok.append(id) }
                        }
                        return ok
                    }.value
                }
            }
            // Kill once some webhooks have been acknowledged.
            try await poll("some webhook leads", timeout: 60, every: .milliseconds(5)) {
                (try? await harness.get("/metrics").body.contains(#"leadrouter_intake_total{channel="webhook",outcome="created"}"#)) == true ? true : nil
            }
            daemon.signal(SIGKILL)
            var all: [String] = []
            for try await ids in group { all += ids }
            return all
        }
        _ = try await daemon.waitForExit()
        #expect(!acknowledged.isEmpty)

        let mark = harness.notify.assignments.count
        daemon = try harness.start()
        try await harness.notify.waitFor("READY=1", after: mark)
        try await poll("the mail-drop to drain", timeout: 60) {
            spool.names(in: .new).isEmpty && spool.names(in: .cur).isEmpty ? true : nil
        }
        let store = try SQLiteLeadStore.openReadOnly(at: harness.folder.file("state/leadrouter.sqlite"))
        for id in acknowledged {
            let state = try await store.intakeState(LeadOrigin(channel: .webhook, name: "site", key: id))
            #expect(state != nil, "acknowledged webhook \(id) has no lead")
        }
        #expect(spool.names(in: .done).count + spool.names(in: .quarantine).count == 2_000)
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }
}
