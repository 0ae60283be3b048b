import Foundation
import GRDB
import LeadConfig
import LeadCore
import LeadIngest
import LeadStoreSQLite
import LeadTestSupport
import Testing

/// Escalation mail from the real daemon to a real SMTP server (aiosmtpd) on 127.0.0.1.
private func smtpSection(port: Int, extra: String = "") -> String {
    """
    [smtp]
    url = "smtp://127.0.0.1:\(port)"
    from = "leadrouter@example.com"
    from_name = "线索路由"
    starttls = "off"
    retry_base = "1s"
    retry_cap = "2s"
    \(extra)
    """
}


extension DaemonHarness {
    /// `count` leads routed at `assignedAt`, written before the daemon starts (it must be stopped).
    func seedLeads(_ count: Int, assignedAt: Date) async throws {
        let configuration = try ConfigLoader(environment: [:]).load(path: configPath)
        let store = try SQLiteLeadStore.openWriter(at: configuration.state.databaseFile)
        let items = (0..<count).map { i in
            IntakeItem(draft: LeadDraft(name: "客户\(i)", email: "bulk\(i)@corp.example.cn",
                                        origin: LeadOrigin(channel: .webhook, name: "site", key: "bulk-\(i)"), receivedAt: assignedAt),
                       raw: RawCapture(body: []))
        }
        _ = try await store.commitIntakes(items, duplicates: DuplicatePolicy(match: .off), routing: configuration.routingEngine, at: assignedAt)
    }

    func restart(_ daemon: inout ChildProcess) async throws {
        let mark = notify.assignments.count
        daemon = try start()
        try await notify.waitFor("READY=1", after: mark)
    }
}

@Suite(.serialized) struct MailEndToEndTests {
    @Test func theSupervisorsBreachMailArrivesWithinTwoSecondsOfTheDeadline() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        let sink = try await harness.startSMTPSink()
        let daemon = try await harness.startWithSLA(fastLadder + "\n" + smtpSection(port: sink.port))
        #expect(try await harness.postLead(1) == 201)
        try await poll("the supervisor's mail at the server", timeout: 60) {
            sink.messages.contains { $0.recipients.contains("boss@example.com") } ? true : nil
        }
        let due = try await harness.query { db in try Int64.fetchOne(db, sql: "SELECT due_at FROM deadlines WHERE level = 2")! }
        // The sink names the n-th message NNNNNN.eml when it accepts it: its time is the arrival.
        let index = try #require(sink.messages.firstIndex { $0.recipients.contains("boss@example.com") })
        let eml = sink.folder.appendingPathComponent(String(format: "%06d.eml", index + 1)).path
        let arrival = try #require(try FileManager.default.attributesOfItem(atPath: eml)[.modificationDate] as? Date)
        let lateness = arrival.timeIntervalSince(Date(timeIntervalSince1970: TimeInterval(due)))
        #expect(lateness < 2, "arrived \(lateness) s after the deadline")
        let mail = try #require(sink.messages.first { $0.recipients.contains("boss@example.com") })
        #expect(mail.recipients == ["boss@example.com", "rep1@example.com"], "the owner in copy")
        #expect(mail.header("Cc") == "rep1@example.com")
        #expect(mail.header("Message-ID")?.hasPrefix("<leadrouter.outbox-") == true)
        let parsed = try MailMessage(bytes: Array(mail.raw.utf8))
        #expect(parsed.subject?.contains("升级") == true, "\(parsed.subject ?? "")")
        #expect(parsed.fromName == "线索路由")
        let warning = try #require(sink.messages.first { $0.recipients == ["rep1@example.com"] && $0.raw.contains("outbox-2.") })
        #expect(try MailMessage(bytes: Array(warning.raw.utf8)).subject?.contains("即将超时") == true)
        try await poll("both rows marked sent", timeout: 30) {
            try await harness.count("SELECT COUNT(*) FROM outbox WHERE state = 'sent' AND reply LIKE '250 %queued as%'") == 3 ? true : nil
        }
        let shown = try await harness.leadctl(["outbox", "list"])
        #expect(shown.stdout.contains("sla.supervisor") && shown.stdout.contains("sent"), "\(shown.stdout)")
        let metrics = try await harness.get("/metrics").body
        #expect(metrics.contains("leadrouter_mail_sent_total{kind=\"sla.supervisor\"} 1"), "\(metrics)")
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
        #expect(daemon.stderr.contains("mail sent"))
        #expect(!daemon.stderr.contains("boss@example.com"), "no addresses in the log at info level")
    }

    @Test func everyKindArrivesRenderedFromTheShippedTemplates() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        let sink = try await harness.startSMTPSink()
        let templates = RepositoryPaths.root.appendingPathComponent("Config/templates").path
        let daemon = try await harness.startWithSLA(fastLadder + """

            [[sla.escalation]]
            clock = "first_contact"
            at = "1s"
            actions = ["reassign"]
            [mail]
            templates = "\(templates)"
            welcome_sources = ["json"]
            """ + "\n" + smtpSection(port: sink.port))
        #expect(try await harness.postLead(1) == 201)
        func subject(_ message: SMTPSink.Received) -> String { (try? MailMessage(bytes: Array(message.raw.utf8)).subject ?? "") ?? "" }
        try await poll("the reassignment mail to the new owner", timeout: 60) {
            sink.messages.contains { subject($0).hasPrefix("【新转派线索】") } ? true : nil
        }
        let byKind = sink.messages.map { (subject($0), $0.recipients) }
        func first(_ prefix: String) -> [String]? { byKind.first { $0.0.hasPrefix(prefix) }?.1 }
        #expect(first("【新线索】#1 客户1") == ["rep1@example.com"], "\(byKind)")
        #expect(first("感谢您的咨询") == ["c1@corp.example.cn"], "the customer's acknowledgement")
        #expect(first("【即将超时】线索 #1") == ["rep1@example.com"])
        #expect(first("【SLA 升级】线索 #1") == ["boss@example.com", "rep1@example.com"])
        #expect(first("【已转派】线索 #1 客户1 已转给 李娜") == ["rep1@example.com"])
        #expect(first("【新转派线索】#1 客户1（原负责人 张伟）") == ["rep2@example.com"])
        let welcome = try #require(sink.messages.first { subject($0).hasPrefix("感谢您的咨询") })
        #expect(try MailMessage(bytes: Array(welcome.raw.utf8)).text.contains("您的专属顾问张伟将在一个工作日内与您联系"))
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }

    @Test func aRefusedRecipientIsADeadLetterAndNotRetried() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        let sink = try await harness.startSMTPSink(options: ["--reject", "boss@"])
        let daemon = try await harness.startWithSLA(fastLadder + "\n" + smtpSection(port: sink.port))
        #expect(try await harness.postLead(1) == 201)
        try await poll("the supervisor's mail refused for good", timeout: 60) {
            try await harness.count("SELECT COUNT(*) FROM outbox WHERE state = 'dead'") == 1 ? true : nil
        }
        try await poll("the owner's mails sent", timeout: 30) {
            try await harness.count("SELECT COUNT(*) FROM outbox WHERE state = 'sent'") == 2 ? true : nil
        }
        #expect(try await harness.count("SELECT attempts FROM outbox WHERE state = 'dead'") == 1)
        let dead = try await harness.leadctl(["outbox", "list", "--dead", "--json"])
        #expect(dead.stdout.contains("550"), "\(dead.stdout)")
        let metrics = try await harness.get("/metrics").body
        #expect(metrics.contains("leadrouter_mail_failures_total{class=\"5xx\"} 1"), "\(metrics)")
        #expect(daemon.stderr.contains("mail dead"))
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }

    @Test func aRelayOutageDelaysMailAndLosesNone() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        let sink = try SMTPSink(in: harness.folder.url)     // not started yet: the relay is down
        defer { sink.stop() }
        let daemon = try await harness.startWithSLA(fastLadder + "\n" + smtpSection(port: sink.port))
        for i in 1...5 { #expect(try await harness.postLead(i) == 201) }
        try await poll("retries while the relay is down", timeout: 60) {
            try await harness.count("SELECT COUNT(*) FROM outbox WHERE attempts >= 2 AND state = 'pending'") >= 5 ? true : nil
        }
        #expect(try await harness.get("/metrics").body.contains("leadrouter_mail_failures_total{class=\"connection\"}"))
        try await sink.start()
        try await poll("all fifteen messages sent", timeout: 60) {
            try await harness.count("SELECT COUNT(*) FROM outbox WHERE state = 'sent'") == 15 ? true : nil
        }
        let ids = sink.messages.compactMap { $0.header("Message-ID") }
        #expect(ids.count == 15 && Set(ids).count == 15, "none twice: \(ids)")
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }

    @Test func killNineWhileSendingResendsAtMostOnceWithTheSameMessageID() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        let sink = try await harness.startSMTPSink()
        var daemon = try await harness.startWithSLA(fastLadder + "\n" + smtpSection(port: sink.port, extra: "lease = \"1s\"\nsenders = 2"),
                                                    extra: "digest_threshold = 1000")
        daemon.signal(SIGTERM)
        _ = try await daemon.waitForExit()
        try await harness.seedLeads(150, assignedAt: Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 2).rounded(.up)))
        try await harness.restart(&daemon)
        try await poll("some mail at the server", timeout: 60) { sink.messages.count >= 40 ? true : nil }
        daemon.signal(SIGKILL)
        _ = try await daemon.waitForExit()
        try await harness.restart(&daemon)
        try await poll("all 450 messages sent", timeout: 60) {
            try await harness.count("SELECT COUNT(*) FROM outbox WHERE state = 'sent'") == 450 ? true : nil
        }
        let ids = sink.messages.compactMap { $0.header("Message-ID") }
        let counts = Dictionary(grouping: ids, by: { $0 }).mapValues(\.count)
        #expect(counts.count == 450, "every message delivered")
        #expect(counts.values.allSatisfy { $0 <= 2 }, "none more than twice")
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }
}
