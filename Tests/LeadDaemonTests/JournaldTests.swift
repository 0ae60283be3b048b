import Foundation
import LeadTestSupport
import Testing

/// journald needs root for its private mount namespace (scripts/lib/with-private-journald).
let canRunPrivateJournald = getuid() == 0
    && FileManager.default.isExecutableFile(atPath: "/lib/systemd/systemd-journald")
    && FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare")

/// Entries written by leadrouterd's journald handler arrive in a real journald with their fields.
@Suite(.enabled(if: canRunPrivateJournald, "needs root, unshare and systemd-journald"))
struct JournaldTests {
    func journal(running script: String, in folder: TemporaryDirectory) async throws -> (Int32, [[String: Any]]) {
        let output = folder.file("journal.json")
        let result = try await ChildProcess.run(
            RepositoryPaths.root.appendingPathComponent("scripts/lib/with-private-journald"),
            [output.path, "/bin/bash", "-c", script], in: folder.url, name: "journald", timeout: 90)
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        let entries = text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }.filter { $0["SYSLOG_IDENTIFIER"] as? String == "leadrouterd" }
        return (result.status, entries)
    }

    @Test func aRunningDaemonWritesStructuredEntries() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        try harness.writeRaw(DaemonHarness.config(reps: 2, port: harness.port).replacingOccurrences(
            of: "target = \"stderr\"", with: "target = \"auto\""))
        let daemon = RepositoryPaths.product("leadrouterd").path
        // Start, wait (bounded) for /readyz, stop with SIGTERM, and return the daemon's status.
        let script = """
        "\(daemon)" --config "\(harness.configPath)" & pid=$!
        for i in $(seq 1 300); do
          (exec 3<>/dev/tcp/127.0.0.1/\(harness.port)) 2>/dev/null && break
          sleep 0.05
        done
        kill -TERM $pid
        wait $pid
        """
        let (status, entries) = try await journal(running: script, in: harness.folder)
        #expect(status == 0)
        let ready = try #require(entries.first { $0["MESSAGE"] as? String == "daemon ready" })
        #expect(ready["MESSAGE_ID"] as? String == "783de554ba2b4b11af4006c7d7b398ee")
        #expect(ready["PRIORITY"] as? String == "6")
        #expect(ready["CONFIG_GENERATION"] as? String == "1")
        let listening = try #require(entries.first { $0["MESSAGE"] as? String == "http listening" })
        #expect(listening["HTTP_ADDRESS"] as? String == "127.0.0.1:\(harness.port)")
        #expect(entries.contains { $0["MESSAGE"] as? String == "daemon stopped" })
        // Reps' addresses are in the configuration; none may reach the journal.
        let all = entries.map { "\($0)" }.joined()
        #expect(!all.contains("@example.com"))
    }

    /// Leads with e-mail addresses and phone numbers go through intake, routing, an SLA breach, an
    /// escalation and mail; no address or number appears in the journal at info level or above.
    @Test func contactDetailsNeverReachTheJournalAtInfo() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        let sink = try await harness.startSMTPSink()
        try harness.writeWebhookSecrets()
        try harness.writeRaw(DaemonHarness.signedWebhookHeader(port: harness.port).replacingOccurrences(of: "target = \"stderr\"", with: "target = \"auto\"")
            + routedConfig(reps: ["r1", "r2"]) + """
            [[sla]]
            name = "fast"
            clock = "wall"
            first_contact = "1s"
            [[sla.escalation]]
            clock = "first_contact"
            at = "0s"
            actions = ["notify_supervisor"]
            [smtp]
            url = "smtp://127.0.0.1:\(sink.port)"
            from = "leadrouter@example.com"
            starttls = "off"
            """)
        let body = #"{"name":"王先生","email":"wang.secret@corp.example.cn","phone":"13800138000","province":"上海"}"#
        let headers = signed(body, id: "pii-1").map { "-H '\($0.key): \($0.value)'" }.joined(separator: " ")
        let daemon = RepositoryPaths.product("leadrouterd").path
        let url = "http://127.0.0.1:\(harness.port)"
        let script = """
        "\(daemon)" --config "\(harness.configPath)" & pid=$!
        for i in $(seq 1 300); do (exec 3<>/dev/tcp/127.0.0.1/\(harness.port)) 2>/dev/null && break; sleep 0.05; done
        curl -s -X POST \(url)/webhooks/site \(headers) --data-binary '\(body)' > /dev/null
        for i in $(seq 1 200); do curl -s \(url)/metrics | grep -q '^leadrouter_mail_sent_total{kind="sla.supervisor"}' && break; sleep 0.05; done
        kill -TERM $pid
        wait $pid
        """
        let (status, entries) = try await journal(running: script, in: harness.folder)
        #expect(status == 0)
        let messages = Set(entries.compactMap { $0["MESSAGE"] as? String })
        #expect(messages.isSuperset(of: ["lead accepted", "lead assigned", "sla breach", "sla escalation decided", "mail sent"]), "\(messages)")
        let visible = entries.filter { Int($0["PRIORITY"] as? String ?? "7") ?? 7 <= 6 }.map { "\($0)" }.joined()
        for secret in ["wang.secret", "corp.example.cn", "13800138000", "boss@example.com", "r1@example.com"] {
            #expect(!visible.contains(secret), "\(secret) in the journal")
        }
    }

    @Test func anInvalidConfigIsLoggedWithFileLineAndKey() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        try harness.writeRaw("[log]\ntarget = \"auto\"\n[http]\nlisten = \"nowhere\"\n")
        let daemon = RepositoryPaths.product("leadrouterd").path
        let (status, entries) = try await journal(running: "\"\(daemon)\" --config \"\(harness.configPath)\"",
                                                  in: harness.folder)
        #expect(status == 78)
        let invalid = try #require(entries.first { $0["MESSAGE"] as? String == "configuration invalid" })
        #expect(invalid["MESSAGE_ID"] as? String == "ec8d47ec44364cf88c976c256e24b471")
        #expect(invalid["PRIORITY"] as? String == "3")
        #expect(invalid["CONFIG_KEY"] as? String == "http.listen")
        #expect(invalid["CONFIG_LINE"] as? String == "4")
    }
}
