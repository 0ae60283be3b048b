import Foundation
import LeadIngest
import LeadTestSupport
import Testing

/// A handover on a real daemon: the supervisor's preview and performed handover in the console,
/// the admin API's `POST /reps/{id}/handover`, and `leadctl reps handover`; the new owners' mail
/// reaches a real SMTP server.
@Suite struct ConsoleHandoverTests {
    static let supervisorToken = "rep3-token-0123456789abcdef"
    static let memberToken = "rep2-token-0123456789abcdef"

    /// Team east: rep1, rep2, rep4 in round-robin, supervised by rep3 (not a member).
    func start(_ harness: DaemonHarness, smtpPort: Int) async throws {
        try harness.writeWebhookSecrets()
        try harness.folder.write("rep3.token", Self.supervisorToken + "\n")
        try harness.folder.write("rep2.token", Self.memberToken + "\n")
        let config = DaemonHarness.signedWebhookHeader(port: harness.port) + """
            [ui]
            enabled = true
            [smtp]
            url = "smtp://127.0.0.1:\(smtpPort)"
            from = "leadrouter@example.com"
            starttls = "off"
            retry_base = "1s"
            retry_cap = "2s"
            [[rep]]
            id = "rep1"
            name = "销售一"
            email = "rep1@example.com"
            [[rep]]
            id = "rep2"
            name = "销售二"
            email = "rep2@example.com"
            token_file = "rep2.token"
            [[rep]]
            id = "rep3"
            name = "主管三"
            email = "rep3@example.com"
            token_file = "rep3.token"
            [[rep]]
            id = "rep4"
            name = "销售四"
            email = "rep4@example.com"
            [[team]]
            id = "east"
            members = ["rep1", "rep2", "rep4"]
            supervisor = "rep3"
            [routing]
            default = "east"
            """
        try await harness.startReady(config)
    }

    func request(_ harness: DaemonHarness, _ method: String, _ path: String, body: String = "", headers: [String: String] = [:])
        async throws -> HTTPResponse {
        var headers = headers
        if method == "POST", headers["content-type"] == nil { headers["content-type"] = "application/x-www-form-urlencoded" }
        return try await offPoolRequest(method, port: harness.port, path: path, body: Data(body.utf8), headers: headers)
    }

    func login(_ harness: DaemonHarness, _ token: String) async throws -> String {
        let response = try await request(harness, "POST", "/ui/login", body: "token=\(token)")
        return String(try #require(response.headers["set-cookie"]).split(separator: ";")[0])
    }

    func csrf(_ page: String) throws -> String {
        try #require(page.range(of: "name=\"csrf\" value=\"").map { String(page[$0.upperBound...].prefix { $0 != "\"" }) })
    }

    /// Open leads by owner, from `leadctl leads list --json`.
    func owners(_ harness: DaemonHarness) async throws -> [String: [Int]] {
        let listed = try await harness.leadctl(["leads", "list", "--json"])
        let leads = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]], "\(listed.stderr)")
        var owners: [String: [Int]] = [:]
        for lead in leads { owners[lead["owner"] as? String ?? "-", default: []].append(lead["id"] as? Int ?? 0) }
        return owners.mapValues { $0.sorted() }
    }

    @Test func aSupervisorPreviewsAndHandsOverARepsLeadsAndTheNewOwnersAreMailed() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        let sink = try await harness.startSMTPSink()
        try await start(harness, smtpPort: sink.port)
        for index in 0..<6 {
            let body = "{\"name\":\"客户\(index)\",\"email\":\"c\(index)@corp.example.cn\"}"
            let posted = try await offPoolRequest("POST", port: harness.port, path: "/webhooks/site", body: Data(body.utf8),
                                                  headers: signed(body, id: "handover-\(index)"))
            #expect((200..<300).contains(posted.status), "\(posted.body)")
        }
        let before = try await owners(harness)
        #expect(before["rep1"]?.count == 2 && before["rep2"]?.count == 2 && before["rep4"]?.count == 2, "\(before)")

        let supervisor = try await login(harness, Self.supervisorToken)
        let preview = try await request(harness, "GET", "/ui/handover?rep=rep1", headers: ["cookie": supervisor])
        #expect(preview.status == 200 && preview.body.contains("Preview: 2 of 2 open leads would move"), "\(preview.body)")
        #expect(preview.body.contains("销售二 (rep2)") && preview.body.contains("销售四 (rep4)"))
        #expect(try await owners(harness) == before, "the preview changed nothing")

        // Without the CSRF token, or from another site: refused, nothing moves.
        let forged = try await request(harness, "POST", "/ui/handover", body: "rep=rep1&reason=x", headers: ["cookie": supervisor])
        let foreign = try await request(harness, "POST", "/ui/handover", body: "csrf=\(try csrf(preview.body))&rep=rep1&reason=x",
                                        headers: ["cookie": supervisor, "origin": "https://evil.example", "sec-fetch-site": "cross-site"])
        #expect(forged.status == 403 && foreign.status == 403)
        #expect(try await owners(harness) == before)
        // A rep who supervises nobody may not.
        let member = try await login(harness, Self.memberToken)
        #expect(try await request(harness, "GET", "/ui/handover?rep=rep1", headers: ["cookie": member]).status == 403)

        let done = try await request(harness, "POST", "/ui/handover",
                                     body: "csrf=\(try csrf(preview.body))&rep=rep1&to=&reason=%E7%A6%BB%E8%81%8C", headers: ["cookie": supervisor])
        #expect(done.status == 303 && done.headers["location"]?.hasPrefix("/ui/handover?") == true)
        let after = try await owners(harness)
        #expect(after["rep1"] == nil && after["rep2"]?.count == 3 && after["rep4"]?.count == 3, "spread one each: \(after)")
        let moved = try #require(before["rep1"]?.first)
        let shown = try await harness.leadctl(["leads", "show", "\(moved)"])
        #expect(shown.stdout.contains("handover: 离职 (by rep:rep3 in the console)"), "\(shown.stdout)")
        // Each new owner hears of the lead: two more "new lead" mails, one to rep2 and one to rep4.
        try await poll("the handover's notices at the SMTP server", timeout: 30, every: .milliseconds(200)) { () -> Bool? in
            sink.messages.filter { $0.recipients == ["rep2@example.com"] }.count == 3
                && sink.messages.filter { $0.recipients == ["rep4@example.com"] }.count == 3 ? true : nil
        }
    }

    @Test func theAdminAPIAndLeadctlHandOverWithTheirChecks() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        try await start(harness, smtpPort: 9)
        for index in 0..<3 {
            let body = "{\"name\":\"客户\(index)\",\"email\":\"c\(index)@corp.example.cn\"}"
            _ = try await offPoolRequest("POST", port: harness.port, path: "/webhooks/site", body: Data(body.utf8),
                                         headers: signed(body, id: "api-\(index)"))
        }
        let admin = ["authorization": "Bearer admin-token-0123456789", "content-type": "application/json"]
        #expect(try await request(harness, "POST", "/reps/rep1/handover", body: "{\"reason\":\"x\"}",
                                  headers: ["content-type": "application/json"]).status == 401)
        #expect(try await request(harness, "POST", "/reps/ghost/handover", body: "{\"reason\":\"x\"}", headers: admin).status == 404)
        #expect(try await request(harness, "POST", "/reps/rep1/handover", body: "{\"reason\":\"x\",\"to\":\"rep1\"}", headers: admin).status == 422)
        #expect(try await request(harness, "POST", "/reps/rep1/handover", body: "{\"to\":\"rep2\"}", headers: admin).status == 400)

        let dry = try await request(harness, "POST", "/reps/rep1/handover", body: "{\"reason\":\"休假\",\"to\":\"rep:rep4\",\"dry_run\":true}",
                                    headers: admin)
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(dry.body.utf8)) as? [String: Any], "\(dry.body)")
        #expect(dry.status == 200 && plan["performed"] as? Bool == false && plan["moved"] as? Int == 1, "\(dry.body)")
        #expect(try await owners(harness)["rep1"]?.count == 1, "a dry run moves nothing")
        let real = try await request(harness, "POST", "/reps/rep1/handover", body: "{\"reason\":\"休假\",\"to\":\"rep:rep4\"}", headers: admin)
        #expect(real.status == 200 && real.body.contains("\"performed\":true"), "\(real.body)")
        #expect(try await owners(harness)["rep1"] == nil)

        // leadctl: the same, from the command line; a preview first, then for real.
        let preview = try await harness.leadctl(["reps", "handover", "rep2", "--to", "team:east", "--reason", "调岗", "--dry-run"])
        #expect(preview.status == 0 && preview.stdout.contains("would move 1 of 1 open leads of rep2"), "\(preview.stdout) \(preview.stderr)")
        let handed = try await harness.leadctl(["reps", "handover", "rep2", "--to", "east", "--reason", "调岗", "--json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(handed.stdout.utf8)) as? [String: Any], "\(handed.stderr)")
        #expect(json["moved"] as? Int == 1 && json["target"] as? String == "team east")
        let refused = try await harness.leadctl(["reps", "handover", "rep4", "--to", "nobody", "--reason", "x"])
        #expect(refused.status != 0 && refused.stderr.contains("neither a configured rep nor a team"))
    }
}
