import Foundation
import LeadTestSupport
import Testing

/// One-time login links (`leadctl ui link`), the console on its own listener (`ui.listen`), and
/// the `Secure` cookie behind a TLS proxy (`ui.public_url`), on a real daemon.
@Suite struct ConsoleLoginLinkTests {
    @Test func aLinkLogsInOnceOnTheConsolesOwnListener() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        let consolePort = try freeLocalPort()
        try harness.writeWebhookSecrets()
        try harness.folder.write("session.key", String(repeating: "k", count: 40) + "\n")
        let config = DaemonHarness.signedWebhookHeader(port: harness.port) + """
            [ui]
            enabled = true
            listen = "127.0.0.1:\(consolePort)"
            public_url = "https://crm.example.cn/"
            session_secret_file = "session.key"

            """ + DaemonHarness.oneTeam(name: "销售一")
        try harness.writeRaw(config)
        try harness.folder.write("leadctl.toml", config)
        _ = try harness.start()
        try await poll("the console answers on its own listener", timeout: 30) { () -> Bool? in
            try? await offPoolRequest("GET", port: consolePort, path: "/ui/login").status == 200 ? true : nil
        }
        #expect(try await harness.get("/ui/login").status == 404, "not on the webhook listener")

        let printed = try await harness.leadctl(["ui", "link", "rep1", "--ttl", "10m"])
        #expect(printed.status == 0, "\(printed.stderr)")
        let url = printed.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(url.hasPrefix("https://crm.example.cn/ui/login?link="), "\(url)")
        let link = String(try #require(url.split(separator: "=", maxSplits: 1).last))

        // Opening it (as a mail preview would) spends nothing: a page with one button.
        for _ in 0..<2 {
            let page = try await offPoolRequest("GET", port: consolePort, path: "/ui/login?link=\(link)")
            #expect(page.status == 200 && page.body.contains("Log in as 销售一 (rep1)"), "\(page.body)")
        }
        func post(_ link: String) async throws -> HTTPResponse {
            try await offPoolRequest("POST", port: consolePort, path: "/ui/login", body: Data("link=\(link)".utf8),
                                     headers: ["content-type": "application/x-www-form-urlencoded"])
        }
        let used = try await post(link)
        let setCookie = try #require(used.headers["set-cookie"])
        #expect(used.status == 303 && setCookie.contains("; Secure") && setCookie.contains("HttpOnly"), "\(setCookie)")
        let cookie = String(setCookie.split(separator: ";")[0])
        let overview = try await offPoolRequest("GET", port: consolePort, path: "/ui", headers: ["cookie": cookie])
        #expect(overview.status == 200 && overview.body.contains("销售一 (rep1)"))
        // Once only; a tampered or unknown link is refused too.
        #expect(try await post(link).status == 401)
        #expect(try await post(link.replacingOccurrences(of: "rep", with: "REP")).status == 401)
        #expect(try await offPoolRequest("GET", port: consolePort, path: "/ui/login?link=x.y").status == 401)

        let ghost = try await harness.leadctl(["ui", "link", "ghost"])
        #expect(ghost.status != 0 && ghost.stderr.contains("no rep ghost"))
        try harness.folder.write("leadctl.toml", config.replacingOccurrences(of: "session_secret_file = \"session.key\"", with: ""))
        let keyless = try await harness.leadctl(["ui", "link", "rep1"])
        #expect(keyless.status != 0 && keyless.stderr.contains("ui.session_secret_file"))
    }
}
