import Foundation
import LeadIngest
import LeadTestSupport
import Testing

let maildropSection = """
[[maildrop]]
name = "inbox"
path = "spool"
rescan_interval = "2s"
"""

/// The real daemon taking mail: `leadctl drop` in, `leadctl leads list` out, and kill -9 mid-way.
@Suite struct IntakeEndToEndTests {
    @Test func aDroppedGBKWebFormMailBecomesALeadWithNormalisedFields() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        try harness.writeConfig(reps: 2, extra: maildropSection)
        try harness.folder.write("leadctl.toml", DaemonHarness.config(reps: 2, port: harness.port, extra: maildropSection))
        let daemon = try harness.start()
        try await harness.notify.waitFor("READY=1")

        let mail = RepositoryPaths.root.appendingPathComponent("Tests/LeadIngestTests/Fixtures/webform-gbk.eml").path
        let drop = try await harness.leadctl(["drop", "--maildrop", "inbox", mail])
        #expect(drop.status == 0, "\(drop.stderr)")
        let leads = try await poll("the dropped mail to become a lead") { () -> [[String: Any]]? in
            let list = try await harness.leadctl(["leads", "list", "--json"])
            let leads = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]] ?? []
            return leads.isEmpty ? nil : leads
        }
        #expect(leads.count == 1)
        #expect(leads[0]["name"] as? String == "王小明")
        #expect(leads[0]["phone"] as? String == "+8613800138000")
        #expect(leads[0]["province"] as? String == "浙江省")
        #expect(leads[0]["email"] as? String == "wang.xm@example.cn")
        let raw = try await harness.leadctl(["leads", "show", "1", "--raw"])
        #expect(raw.stdout.contains("Content-Type: text/plain; charset=gb2312"))
        #expect(try await harness.get("/metrics").body.contains(#"leadrouter_leads_received_total{channel="maildrop",source="email"} 1"#))
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }

    /// kill -9 while a 2,000-file mail-drop is being taken; after a restart every file is exactly
    /// one lead or one quarantine entry.
    @Test func killNineMidIntakeLosesNothingAndDuplicatesNothing() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        let extra = maildropSection + "\n[intake]\nduplicate_match = \"off\"\n"
        try harness.writeRaw(DaemonHarness.config(reps: 1, port: harness.port, extra: extra))
        try harness.folder.write("leadctl.toml", try String(contentsOfFile: harness.configPath, encoding: .utf8))
        let spool = MaildirSpool(root: harness.folder.file("spool"))
        try spool.prepare()
        let total = 2_000
        func mail(_ i: Int) -> [UInt8] {
            let body = i % 10 == 9
                ? "Subject: no contact \(i)\r\n\r\nnothing to reach\r\n"                        // quarantined
                : "From: lead\(i)@example.cn\r\nSubject: 询价 \(i)\r\n\r\n电话：138 0013 \(String(format: "%04d", i))\r\n"
            return Array(body.utf8)
        }
        // A backlog, then more mail arriving while the daemon works, kill -9 in the middle of
        // that stream, and the rest delivered while it is down.
        for i in 0..<1_000 { _ = try MaildirSpool.deliver(mail(i), to: spool.root) }
        var daemon = try harness.start()
        let done = spool.folder(.done).path
        try await poll("the daemon to start taking files", timeout: 60, every: .milliseconds(1)) {
            ((try? FileManager.default.contentsOfDirectory(atPath: done).count) ?? 0) > 0 ? true : nil
        }
        for i in 1_000..<1_500 { _ = try MaildirSpool.deliver(mail(i), to: spool.root) }
        daemon.signal(SIGKILL)
        _ = try await daemon.waitForExit()
        for i in 1_500..<total { _ = try MaildirSpool.deliver(mail(i), to: spool.root) }

        let mark = harness.notify.assignments.count
        daemon = try harness.start()
        try await harness.notify.waitFor("READY=1", after: mark)
        try await poll("the mail-drop to drain", timeout: 120) {
            spool.names(in: .new).isEmpty && spool.names(in: .cur).isEmpty ? true : nil
        }
        let finished = spool.names(in: .done).count + spool.names(in: .quarantine).count
        #expect(finished == total)
        let status = try await harness.statusJSON()
        let leads = (status["leads"] as? [String: Int])?["total"]
        let quarantine = try await harness.leadctl(["quarantine", "list", "--json", "--limit", "10000"])
        let quarantined = (try JSONSerialization.jsonObject(with: Data(quarantine.stdout.utf8)) as? [[String: Any]])?.count
        #expect(leads == total - total / 10)
        #expect(quarantined == total / 10)
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }
}
