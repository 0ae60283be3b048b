import Foundation
import LeadTestSupport
import Testing

/// A real daemon reports each write transaction's wait for and hold of the SQLite writer, by
/// operation, and runs the WAL checkpoints itself (its writer never checkpoints in a commit).
@Suite struct StoreWriteMetricsTests {
    @Test func aWebhookLeadShowsInTheWriterMetricsAndTheCheckpointerReportsTheWAL() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        try harness.writeWebhookSecrets()
        try harness.writeRaw(DaemonHarness.signedWebhookHeader(port: harness.port) + DaemonHarness.oneTeam(name: "销售一"))
        let daemon = try harness.start()
        try await poll("the daemon answers", timeout: 30) { try? await harness.get("/readyz").status == 200 ? true : nil }

        let body = "{\"name\":\"周八\",\"email\":\"zhou@corp.example.cn\"}"
        let posted = try await offPoolRequest("POST", port: harness.port, path: "/webhooks/site", body: Data(body.utf8),
                                              headers: signed(body, id: "writer-metrics-1"))
        #expect((200..<300).contains(posted.status))
        let metrics = try await poll("the writer metrics", timeout: 60) { () -> String? in
            guard let text = try? await harness.get("/metrics").body,
                  text.contains("leadrouter_store_write_seconds_count{operation=\"commitIntakes\"}"),
                  text.contains("leadrouter_store_wal_pages") else { return nil }
            return text
        }
        #expect(metrics.contains("leadrouter_store_write_wait_seconds_count{operation=\"commitIntakes\"}"))
        #expect(metrics.contains("leadrouter_store_write_seconds_count{operation=\"recordHeartbeat\"}"))
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit(timeout: 30) == 0, "\(daemon.stderr)")
    }
}
