import Foundation
import LeadTestSupport
import Testing

/// The web console over real HTTP on a real daemon: login with a token, a signed HttpOnly cookie,
/// the queue overview scoped to the person, escaping, security headers, CSRF and origin checks.
/// (The browser tests of issue 18 come with the rest of the console.)
@Suite struct ConsoleEndToEndTests {
    static let repToken = "rep2-token-0123456789abcdef"

    func harness() throws -> DaemonHarness {
        let harness = try DaemonHarness()
        try harness.writeWebhookSecrets()
        try harness.folder.write("rep2.token", Self.repToken + "\n")
        try harness.writeRaw(DaemonHarness.signedWebhookHeader(port: harness.port) + """
            [ui]
            enabled = true
            [[rep]]
            id = "rep1"
            name = "销售一"
            email = "rep1@example.com"
            [[rep]]
            id = "rep2"
            name = "销售二"
            email = "rep2@example.com"
            token_file = "rep2.token"
            [[team]]
            id = "east"
            members = ["rep1"]
            supervisor = "boss@example.com"
            [routing]
            default = "east"
            [[sla]]
            name = "instant"
            clock = "wall"
            first_contact = "1s"
            """)
        return harness
    }

    func request(_ harness: DaemonHarness, _ method: String, _ path: String, form: String = "", headers: [String: String] = [:])
        async throws -> HTTPResponse {
        var headers = headers
        if method == "POST" { headers["content-type"] = "application/x-www-form-urlencoded" }
        return try await offPoolRequest(method, port: harness.port, path: path, body: Data(form.utf8), headers: headers)
    }

    /// The session cookie's `name=value` from a `Set-Cookie` header.
    func session(_ response: HTTPResponse) throws -> String {
        let header = try #require(response.headers["set-cookie"], "a session cookie")
        #expect(header.contains("HttpOnly") && header.contains("SameSite=Strict") && header.contains("Path=/ui"))
        return String(header.split(separator: ";")[0])
    }

    @Test func aLoggedInAdminSeesTheOverdueLeadEscapedAndFormsNeedTheirToken() async throws {
        let harness = try harness()
        defer { harness.cleanup() }
        _ = try harness.start()
        try await poll("the daemon answers", timeout: 30) { try? await harness.get("/readyz").status == 200 ? true : nil }
        for (i, name) in ["王小明", "<script>alert(1)</script>"].enumerated() {
            let body = "{\"name\":\"\(name)\",\"email\":\"c\(i)@corp.example.cn\"}"
            let posted = try await offPoolRequest("POST", port: harness.port, path: "/webhooks/site", body: Data(body.utf8),
                                                  headers: signed(body, id: "console-\(i)"))
            #expect((200..<300).contains(posted.status), "\(posted.body)")
        }

        // Without a session: to the login page, which carries the security headers.
        let anonymous = try await request(harness, "GET", "/ui")
        #expect(anonymous.status == 303 && anonymous.headers["location"] == "/ui/login")
        let login = try await request(harness, "GET", "/ui/login")
        #expect(login.status == 200 && login.body.contains("name=\"token\""))
        #expect(login.headers["content-security-policy"]?.contains("default-src 'self'") == true)
        #expect(login.headers["x-content-type-options"] == "nosniff" && login.headers["x-frame-options"] == "DENY")

        // A wrong token: 401, no cookie. A form from another site: refused.
        let wrong = try await request(harness, "POST", "/ui/login", form: "token=not-the-token")
        #expect(wrong.status == 401 && wrong.headers["set-cookie"] == nil)
        let foreign = try await request(harness, "POST", "/ui/login", form: "token=admin-token-0123456789",
                                        headers: ["origin": "https://evil.example", "sec-fetch-site": "cross-site"])
        #expect(foreign.status == 403 && foreign.headers["set-cookie"] == nil)

        let admin = try await request(harness, "POST", "/ui/login", form: "token=admin-token-0123456789")
        #expect(admin.status == 303 && admin.headers["location"] == "/ui")
        let cookie = try session(admin)
        // Both leads overdue (first contact within 1 s), in words; the script tag shown as text.
        let page = try await poll("both leads overdue on the overview", timeout: 30, every: .milliseconds(200)) { () -> String? in
            let page = try await request(harness, "GET", "/ui", headers: ["cookie": cookie])
            // Two overdue rows ("已逾期 … (overdue …)"), none left as "due within the hour".
            return page.status == 200 && page.body.components(separatedBy: "(overdue ").count == 3 ? page.body : nil
        }
        #expect(page.contains("王小明") && page.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !page.contains("<script>"))
        #expect(page.contains("<span class=\"figure\">2</span> 首次联系已逾期"), "the tile counts both")
        #expect(page.contains("管理员 admin") && page.contains("销售一 (rep1)"))

        // A tampered cookie is no session.
        let tampered = try await request(harness, "GET", "/ui", headers: ["cookie": cookie + "x"])
        #expect(tampered.status == 303)
        // Logout needs the page's CSRF token.
        let noToken = try await request(harness, "POST", "/ui/logout", headers: ["cookie": cookie])
        #expect(noToken.status == 403)
        let csrf = try #require(page.range(of: "name=\"csrf\" value=\"").map { page[$0.upperBound...].prefix { $0 != "\"" } })
        let out = try await request(harness, "POST", "/ui/logout", form: "csrf=\(csrf)", headers: ["cookie": cookie])
        #expect(out.status == 303 && out.headers["set-cookie"]?.contains("Max-Age=0") == true)
    }

    @Test func aRepSeesOnlyTheirOwnLeads() async throws {
        let harness = try harness()
        defer { harness.cleanup() }
        _ = try harness.start()
        try await poll("the daemon answers", timeout: 30) { try? await harness.get("/readyz").status == 200 ? true : nil }
        let body = "{\"name\":\"李四\",\"email\":\"li@corp.example.cn\"}"
        _ = try await offPoolRequest("POST", port: harness.port, path: "/webhooks/site", body: Data(body.utf8), headers: signed(body, id: "rep-scope"))
        // The lead goes to rep1 (the team's only member); rep2 logs in and sees none of it.
        let login = try await request(harness, "POST", "/ui/login", form: "token=\(Self.repToken)")
        let cookie = try session(login)
        let admin = try session(try await request(harness, "POST", "/ui/login", form: "token=admin-token-0123456789"))
        try await poll("the admin sees the overdue lead", timeout: 30, every: .milliseconds(200)) { () -> Bool? in
            try await request(harness, "GET", "/ui", headers: ["cookie": admin]).body.contains("李四") ? true : nil
        }
        let page = try await request(harness, "GET", "/ui", headers: ["cookie": cookie])
        #expect(page.status == 200 && page.body.contains("我的线索 my leads") && page.body.contains("销售二 (rep2)"))
        #expect(!page.body.contains("李四"), "another rep's lead is not shown")
    }
}
