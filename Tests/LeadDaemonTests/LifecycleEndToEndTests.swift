import Foundation
import LeadTestSupport
import Testing

/// Status changes over HTTP and leadctl against the real daemon.
@Suite struct LifecycleEndToEndTests {
    @Test func refusalsExplainThemselvesOverHTTPAndTheCLI() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        let daemon = try await harness.startWithSLA("[[sla]]\nname = \"slow\"\nclock = \"wall\"\nfirst_contact = \"1h\"\n")
        #expect(try await harness.postLead(1) == 201)   // rep1
        #expect(try await harness.postLead(2) == 201)   // rep2
        func call(_ method: String, _ path: String, _ body: String, token: String = "rep1-token-0123456789") async throws -> HTTPResponse {
            let port = harness.port
            return try await offPool {
                try httpRequest(method, port: port, path: path, body: Data(body.utf8),
                                headers: ["authorization": "Bearer \(token)", "content-type": "application/json"])
            }
        }
        let skip = try await call("POST", "/leads/1/status", #"{"status":"qualified"}"#)
        #expect(skip.status == 409 && skip.body.contains("\"reachable\":[\"contacted\",\"disqualified\"]"), "\(skip.body)")
        #expect(try await call("POST", "/leads/1/status", #"{"status":"contacted"}"#).status == 200)
        let missing = try await call("POST", "/leads/1/status", #"{"status":"qualified","fields":{"industry":"制造业"}}"#)
        #expect(missing.status == 422 && missing.body.contains("\"missing\":[\"company_size\",\"decision_maker_title\",\"budget_range\"]"), "\(missing.body)")
        let typed = try await call("PATCH", "/leads/1", #"{"fields":{"budget_range":"lots"}}"#)
        #expect(typed.status == 422 && typed.body.contains("budget_range must be one of"), "\(typed.body)")
        #expect(try await call("PATCH", "/leads/1", #"{"fields":{"industry":"制造业","company_size":"120","decision_maker_title":"总经理","budget_range":"<10万"}}"#).status == 200)
        let ok = try await call("POST", "/leads/1/status", #"{"status":"qualified"}"#)
        #expect(ok.status == 200 && ok.body.contains("\"role\":\"owner\""), "\(ok.body)")
        #expect(try await call("POST", "/leads/2/status", #"{"status":"contacted"}"#).status == 403, "rep2's lead")
        #expect(try await call("POST", "/leads/1/status", #"{"status":"contacted"}"#, token: "nope").status == 401)
        #expect(try await call("POST", "/leads/1/status", #"{"state":"x"}"#).status == 400)
        // leadctl: the same rules, a non-zero exit with the reason.
        let noReason = try await harness.leadctl(["leads", "move", "2", "disqualified"])
        #expect(noReason.status != 0 && noReason.stderr.contains("moving a lead to disqualified needs a reason"), "\(noReason.stderr)")
        let moved = try await harness.leadctl(["leads", "move", "2", "disqualified", "--reason", "空号"])
        #expect(moved.status == 0 && moved.stdout.contains("lead 2: new → disqualified (as admin)"), "\(moved.stdout) \(moved.stderr)")
        let set = try await harness.leadctl(["leads", "set", "2", "company_size=很多"])
        #expect(set.status != 0 && set.stderr.contains("company_size must be a number"), "\(set.stderr)")
        #expect(try await harness.count("SELECT COUNT(*) FROM deadlines WHERE lead_id = 2 AND state = 'pending'") == 0, "closed: no clocks")
        // The work loop's gauges: leads per status.
        try await poll("per-status gauges", timeout: 30) {
            let metrics = try await harness.get("/metrics").body
            return metrics.contains("leadrouter_leads{status=\"qualified\"} 1") && metrics.contains("leadrouter_leads{status=\"disqualified\"} 1")
                && metrics.contains("leadrouter_leads_stale 0") ? true : nil
        }
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }
}
