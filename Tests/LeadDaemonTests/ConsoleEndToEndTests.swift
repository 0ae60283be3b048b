import Foundation
import LeadTestSupport
import Testing

/// The web console over real HTTP on a real daemon: login with a token, a signed HttpOnly cookie,
/// the queue overview scoped to the person, escaping, security headers, CSRF and origin checks.
/// (The browser tests of issue 18 come with the rest of the console.)
@Suite struct ConsoleEndToEndTests {
    static let repToken = "rep2-token-0123456789abcdef"
    static let ownerToken = "rep1-token-0123456789abcdef"

    func harness() throws -> DaemonHarness {
        let harness = try DaemonHarness()
        try harness.writeWebhookSecrets()
        try harness.folder.write("rep2.token", Self.repToken + "\n")
        try harness.folder.write("rep1.token", Self.ownerToken + "\n")
        try harness.writeRaw(DaemonHarness.signedWebhookHeader(port: harness.port) + """
            [ui]
            enabled = true
            [[rep]]
            id = "rep1"
            name = "销售一"
            email = "rep1@example.com"
            token_file = "rep1.token"
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
        // Today's intake beside yesterday's: both leads (one day or the other, should the test cross midnight).
        let intake = try #require(page.firstMatch(of: /figure">(\d+)<\/span> 今日新线索 today's leads <span class="compare">\(昨日 yesterday (\d+)\)/))
        #expect(Int(intake.1)! + Int(intake.2)! == 2, "\(page)")
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

    func csrf(_ page: String) throws -> String {
        try #require(page.range(of: "name=\"csrf\" value=\"").map { String(page[$0.upperBound...].prefix { $0 != "\"" }) })
    }

    @Test func theOwnerLogsAContactOnTheLeadPageAndAnotherRepCannotSeeIt() async throws {
        let harness = try harness()
        defer { harness.cleanup() }
        _ = try harness.start()
        try await poll("the daemon answers", timeout: 30) { try? await harness.get("/readyz").status == 200 ? true : nil }
        let body = "{\"name\":\"赵六\",\"email\":\"zhao@corp.example.cn\",\"company\":\"宁波某某模具厂\"}"
        let posted = try await offPoolRequest("POST", port: harness.port, path: "/webhooks/site", body: Data(body.utf8),
                                              headers: signed(body, id: "lead-page"))
        #expect((200..<300).contains(posted.status), "\(posted.body)")
        let owner = try session(try await request(harness, "POST", "/ui/login", form: "token=\(Self.ownerToken)"))
        let page = try await request(harness, "GET", "/ui/leads/1", headers: ["cookie": owner])
        #expect(page.status == 200 && page.body.contains("宁波某某模具厂") && page.body.contains("首次联系 first contact"), "\(page.body)")
        let token = try csrf(page.body)
        // Without the token: refused, nothing recorded.
        let forged = try await request(harness, "POST", "/ui/leads/1/contact", form: "kind=call&note=x", headers: ["cookie": owner])
        #expect(forged.status == 403)
        let logged = try await request(harness, "POST", "/ui/leads/1/contact", form: "csrf=\(token)&kind=call&note=%E5%B7%B2%E7%94%B5%E8%AF%9D",
                                       headers: ["cookie": owner])
        #expect(logged.status == 303 && logged.headers["location"]?.hasPrefix("/ui/leads/1?m=") == true)
        let after = try await request(harness, "GET", logged.headers["location"] ?? "/ui/leads/1", headers: ["cookie": owner])
        #expect(after.body.contains("已达成 met") || after.body.contains("已违约"), "the first-contact clock ended: \(after.body)")
        #expect(after.body.contains("已记录"), "the page says what the form did")
        // A rep who neither owns it nor supervises its team: 403 on the page and on its forms.
        let other = try session(try await request(harness, "POST", "/ui/login", form: "token=\(Self.repToken)"))
        let hidden = try await request(harness, "GET", "/ui/leads/1", headers: ["cookie": other])
        #expect(hidden.status == 403 && !hidden.body.contains("赵六"))
        let otherOverview = try await request(harness, "GET", "/ui", headers: ["cookie": other])
        let refused = try await request(harness, "POST", "/ui/leads/1/status", form: "csrf=\(try csrf(otherOverview.body))&to=disqualified",
                                        headers: ["cookie": other])
        #expect(refused.status == 403)
        // The admin reassigns it; the routing history names who did it.
        let admin = try session(try await request(harness, "POST", "/ui/login", form: "token=admin-token-0123456789"))
        let adminPage = try await request(harness, "GET", "/ui/leads/1", headers: ["cookie": admin])
        let moved = try await request(harness, "POST", "/ui/leads/1/reassign",
                                      form: "csrf=\(try csrf(adminPage.body))&rep=rep2&reason=%E4%BC%91%E5%81%87", headers: ["cookie": admin])
        #expect(moved.status == 303)
        let history = try await harness.leadctl(["leads", "show", "1"])
        #expect(history.stdout.contains("manual: 休假 (by admin in the console)"), "\(history.stdout)")
    }

    @Test func theRepsPageShowsStateAndWhoIsNextAndTheToDoListsTheOwnersLeads() async throws {
        let harness = try harness()
        defer { harness.cleanup() }
        _ = try harness.start()
        try await poll("the daemon answers", timeout: 30) { try? await harness.get("/readyz").status == 200 ? true : nil }
        let body = "{\"name\":\"孙七\",\"email\":\"sun@corp.example.cn\"}"
        _ = try await offPoolRequest("POST", port: harness.port, path: "/webhooks/site", body: Data(body.utf8), headers: signed(body, id: "todo"))
        let admin = try session(try await request(harness, "POST", "/ui/login", form: "token=admin-token-0123456789"))
        let reps = try await request(harness, "GET", "/ui/reps", headers: ["cookie": admin])
        #expect(reps.status == 200, "\(reps.body)")
        // rep1 is the team's only member: available, next in the rotation, one assignment today.
        #expect(reps.body.contains("下一位 next: 销售一 (rep1)") && reps.body.contains("可接单 available"), "\(reps.body)")
        #expect(reps.body.contains("<td>1</td><td>1</td>"), "one open lead, one assignment today: \(reps.body)")
        // A rep without a team to supervise: 403 on the reps page; their to-do is their own leads.
        let other = try session(try await request(harness, "POST", "/ui/login", form: "token=\(Self.repToken)"))
        #expect(try await request(harness, "GET", "/ui/reps", headers: ["cookie": other]).status == 403)
        let empty = try await request(harness, "GET", "/ui/me", headers: ["cookie": other])
        #expect(empty.status == 200 && empty.body.contains("没有未结线索 No open leads") && !empty.body.contains("孙七"))
        let owner = try session(try await request(harness, "POST", "/ui/login", form: "token=\(Self.ownerToken)"))
        let todo = try await request(harness, "GET", "/ui/me", headers: ["cookie": owner])
        // Its first-contact clock is listed whether still running or already breached (1 s).
        #expect(todo.body.contains("孙七") && todo.body.contains("首次联系 first contact"), "\(todo.body)")

        // Reports: the funnel with its chart inline, and the same as CSV; not for a rep.
        let funnel = try await request(harness, "GET", "/ui/reports?name=funnel&days=7&by=source", headers: ["cookie": admin])
        #expect(funnel.status == 200 && funnel.body.contains("<svg") && !funnel.body.contains("<?xml"), "\(funnel.body)")
        #expect(funnel.body.contains("<th scope=\"col\">source</th>") && funnel.body.contains("<td>json</td>"), "\(funnel.body)")
        let csv = try await request(harness, "GET", "/ui/report.csv?name=funnel&days=7&by=source", headers: ["cookie": admin])
        #expect(csv.status == 200 && csv.headers["content-type"]?.hasPrefix("text/csv") == true)
        #expect(csv.headers["content-disposition"] == "attachment; filename=\"funnel.csv\"" && csv.body.hasPrefix("source,new"), "\(csv.body)")
        #expect(try await request(harness, "GET", "/ui/reports", headers: ["cookie": other]).status == 403)
        // One team chosen: the caption says which; an unknown team is all teams for the admin.
        let east = try await request(harness, "GET", "/ui/reports?name=funnel&days=7&team=east", headers: ["cookie": admin])
        #expect(east.body.contains("funnel — 最近 7 天 last 7 days · east") && east.body.contains("<option value=\"east\" selected>"), "\(east.body)")
        #expect(east.body.contains("<td>1</td>"), "the team's one lead: \(east.body)")
        let unknown = try await request(harness, "GET", "/ui/reports?name=funnel&days=7&team=west", headers: ["cookie": admin])
        #expect(unknown.body.contains("<option value=\"\" selected>全部 all teams</option>"))
        #expect(try await request(harness, "GET", "/ui/report.csv?name=sla", headers: ["cookie": other]).status == 403)
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
