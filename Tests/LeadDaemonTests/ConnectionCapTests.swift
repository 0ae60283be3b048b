import Foundation
import LeadTestSupport
import Testing

/// Issue 14 item 7: idle connections cannot use up the daemon's descriptors. The daemon runs under a
/// small RLIMIT_NOFILE; more idle connections than it could hold are opened; a signed webhook and the
/// health checks are still answered, because the longest-idle connections are closed at the cap.
@Suite struct ConnectionCapTests {
    @Test func moreIdleConnectionsThanDescriptorsStillLetASignedWebhookThrough() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        try harness.writeWebhookSecrets()
        try harness.writeRaw(DaemonHarness.signedWebhookHeader(port: harness.port) + routedConfig(reps: ["r1"]))
        // 200 descriptors: the default cap (1024) is lowered to 200 - 128 = 72, with a warning.
        let daemon = try harness.start(descriptors: 200)
        try await harness.notify.waitFor("READY=1")
        #expect(daemon.stderr.contains("http connection cap lowered"), "\(daemon.stderr)")

        // 300 idle connections: more than the daemon has descriptors for.
        let idle = try await offPool { try (0..<300).map { _ in try RawConnection(port: harness.port) } }
        // Right away (well inside http.idle_timeout, which would free them after 30 s anyway), a
        // signed webhook is answered: the daemon closed the longest-idle ones to make room.
        let body = #"{"name":"王伟","email":"capped@corp.example.cn"}"#
        let reply = try await harness.post("/webhooks/site", body, headers: signed(body, id: "capped-1"))
        #expect(reply.status == 201, "\(reply.status) \(reply.body)")
        // At most 72 stay open.
        try await poll("idle connections closed down to the cap", timeout: 60) {
            idle.filter { !$0.closedByServer }.count <= 72 ? true : nil
        }
        #expect(try await harness.get("/livez").status == 200)
        #expect(try await harness.get("/readyz").status == 200)
        let metrics = try await harness.get("/metrics").body
        #expect(metrics.contains("leadrouter_http_connections_total{outcome=\"evicted_idle\"}"), "\(metrics.prefix(400))")
        #expect(daemon.stderr.contains("http connection limit reached"))
        #expect(daemon.isRunning)
        withExtendedLifetime(idle) {}
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }

    @Test func aConfiguredCapBelowTheDescriptorsIsKeptAsConfigured() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        try harness.writeWebhookSecrets()
        let header = DaemonHarness.signedWebhookHeader(port: harness.port).replacingOccurrences(
            of: "admin_token_file = \"admin.token\"", with: "admin_token_file = \"admin.token\"\nmax_connections = 5")
        try harness.writeRaw(header + routedConfig(reps: ["r1"]))
        let daemon = try harness.start()
        try await harness.notify.waitFor("READY=1")
        #expect(!daemon.stderr.contains("http connection cap lowered"))
        let idle = try await offPool { try (0..<20).map { _ in try RawConnection(port: harness.port) } }
        try await poll("idle connections closed down to 5", timeout: 60) {
            idle.filter { !$0.closedByServer }.count <= 5 ? true : nil
        }
        // Closing stops at the cap: five stay open.
        #expect(idle.filter { !$0.closedByServer }.count == 5)
        #expect(try await harness.get("/livez").status == 200)
        withExtendedLifetime(idle) {}
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }
}
