import Foundation
import LeadTestSupport
import Testing

/// The lead page's forms on a real daemon: one status form per reachable status with the fields
/// it requires (a choice as a select), refusals in words, and a held lead routed again on demand.
@Suite struct ConsoleLeadFormsTests {
    func form(_ harness: DaemonHarness, _ path: String, _ body: String, cookie: String) async throws -> HTTPResponse {
        try await offPoolRequest("POST", port: harness.port, path: path, body: Data(body.utf8),
                                 headers: ["content-type": "application/x-www-form-urlencoded", "cookie": cookie])
    }

    func csrf(_ page: String) throws -> String {
        try #require(page.range(of: "name=\"csrf\" value=\"").map { String(page[$0.upperBound...].prefix { $0 != "\"" }) })
    }

    func encoded(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }

    @Test func statusFormsAskForTheRequiredFieldsAndAHeldLeadIsRoutedAgain() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        try harness.writeWebhookSecrets()
        try harness.writeRaw(DaemonHarness.signedWebhookHeader(port: harness.port) + """
            [ui]
            enabled = true
            [[rep]]
            id = "rep1"
            name = "销售一"
            email = "rep1@example.com"
            max_open = 1
            [[team]]
            id = "east"
            members = ["rep1"]
            supervisor = "boss@example.com"
            [routing]
            default = "east"
            [lifecycle.require]
            qualified = ["industry", "budget_range"]
            [[lifecycle.field]]
            name = "budget_range"
            type = "choice"
            choices = ["<10万", "10-50万"]
            """)
        _ = try harness.start()
        try await poll("the daemon answers", timeout: 30) { try? await harness.get("/readyz").status == 200 ? true : nil }
        for (index, name) in ["吴九", "郑十"].enumerated() {
            let body = "{\"name\":\"\(name)\",\"email\":\"c\(index)@corp.example.cn\"}"
            _ = try await offPoolRequest("POST", port: harness.port, path: "/webhooks/site", body: Data(body.utf8),
                                         headers: signed(body, id: "forms-\(index)"))
        }
        let login = try await offPoolRequest("POST", port: harness.port, path: "/ui/login", body: Data("token=admin-token-0123456789".utf8),
                                             headers: ["content-type": "application/x-www-form-urlencoded"])
        let admin = String(try #require(login.headers["set-cookie"]).split(separator: ";")[0])

        // Lead 1 (new): forms to contacted and disqualified (reason required), none to qualified yet.
        var page = try await offPoolRequest("GET", port: harness.port, path: "/ui/leads/1", headers: ["cookie": admin]).body
        #expect(page.contains("Move to contacted") && page.contains("Move to disqualified") && !page.contains("Move to qualified"), "\(page)")
        #expect(page.contains("<input id=\"r-disqualified\" name=\"reason\" maxlength=\"500\" required>"))
        let token = try csrf(page)
        _ = try await form(harness, "/ui/leads/1/status", "csrf=\(token)&to=contacted", cookie: admin)
        page = try await offPoolRequest("GET", port: harness.port, path: "/ui/leads/1", headers: ["cookie": admin]).body
        #expect(page.contains("Move to qualified") && page.contains("name=\"field.industry\""), "\(page)")
        #expect(page.contains("<select id=\"f-qualified-budget_range\" name=\"field.budget_range\" required>") && page.contains("<option>10-50万</option>"))
        // Without the required fields: refused, in words; with them: qualified, fields saved.
        let refused = try await form(harness, "/ui/leads/1/status", "csrf=\(token)&to=qualified", cookie: admin)
        let refusal = try await offPoolRequest("GET", port: harness.port, path: refused.headers["location"] ?? "", headers: ["cookie": admin]).body
        #expect(refusal.contains("未完成 Not done") && refusal.contains("budget_range"), "\(refusal)")
        _ = try await form(harness, "/ui/leads/1/status",
                           "csrf=\(token)&to=qualified&field.industry=\(encoded("制造业"))&field.budget_range=\(encoded("10-50万"))", cookie: admin)
        let shown = try await harness.leadctl(["leads", "show", "1"])
        #expect(shown.stdout.contains("qualified") && shown.stdout.contains("制造业") && shown.stdout.contains("10-50万"), "\(shown.stdout)")

        // Lead 2 is held (rep1 at max_open 1): the page says why; routing again finds nobody yet.
        page = try await offPoolRequest("GET", port: harness.port, path: "/ui/leads/2", headers: ["cookie": admin]).body
        #expect(page.contains("待分配 Held") && page.contains("nobody eligible"), "\(page)")
        let stillHeld = try await form(harness, "/ui/leads/2/release", "csrf=\(token)", cookie: admin)
        #expect(stillHeld.headers["location"]?.contains(encoded("仍无人可接 Still nobody eligible")) == true, "\(stillHeld.headers)")
        // Lead 1 closes, and lead 2 goes to rep1 at once.
        _ = try await form(harness, "/ui/leads/1/status", "csrf=\(token)&to=disqualified&reason=\(encoded("无预算"))", cookie: admin)
        let released = try await form(harness, "/ui/leads/2/release", "csrf=\(token)", cookie: admin)
        // (the work loop may have released it first: either way it now belongs to rep1)
        #expect(released.status == 303)
        try await poll("lead 2 belongs to rep1", timeout: 60) { () -> Bool? in
            let listed = try await harness.leadctl(["leads", "list", "--owner", "rep1", "--json"]).stdout
            let leads = (try? JSONSerialization.jsonObject(with: Data(listed.utf8))) as? [[String: Any]] ?? []
            return leads.contains { $0["id"] as? Int == 2 } ? true : nil
        }
    }
}
