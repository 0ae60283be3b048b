import Foundation
import GRDB
import LeadConfig
import LeadCore
import LeadStoreSQLite
import LeadTestSupport
import Testing

/// SLA clocks against the real daemon: wall-clock policies of seconds, real HTTP, real signals.
extension DaemonHarness {
    /// Two reps in team east (supervisor boss@example.com), a signed webhook `site`, an admin
    /// token and rep1's token, and `sla` as the policy section.
    func startWithSLA(_ sla: String, extra: String = "") async throws -> ChildProcess {
        try folder.write("site.secret", webhookSecret + "\n")
        try folder.write("admin.token", "admin-token-0123456789\n")
        try folder.write("rep1.token", "rep1-token-0123456789\n")
        let config = DaemonHarness.signedWebhookHeader(port: port, scheduler: extra) + """
        [[rep]]
        id = "rep1"
        name = "张伟"
        email = "rep1@example.com"
        token_file = "rep1.token"
        [[rep]]
        id = "rep2"
        name = "李娜"
        email = "rep2@example.com"
        [[team]]
        id = "east"
        members = ["rep1", "rep2"]
        supervisor = "boss@example.com"
        [routing]
        default = "east"
        \(sla)
        """
        try writeRaw(config)
        try folder.write("leadctl.toml", config)
        let daemon = try start()
        try await notify.waitFor("READY=1")
        return daemon
    }

    /// Reads the daemon's database through a second, read-only connection.
    func query<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        var configuration = Configuration()
        configuration.readonly = true
        return try await DatabaseQueue(path: folder.file("state/leadrouter.sqlite").path, configuration: configuration).read(body)
    }

    func count(_ sql: String) async throws -> Int {
        try await query { db in try Int.fetchOne(db, sql: sql) ?? 0 }
    }

    func postLead(_ i: Int) async throws -> Int {
        let body = "{\"name\":\"客户\(i)\",\"email\":\"c\(i)@corp.example.cn\"}"
        return try await post("/webhooks/site", body, headers: signed(body, id: "lead-\(i)")).status
    }
}

/// First contact within 3 s on the wall clock: a warning at 2 s, the supervisor at 3 s.
let fastLadder = """
[[sla]]
name = "fast"
clock = "wall"
first_contact = "3s"
[[sla.escalation]]
clock = "first_contact"
at = "-1s"
actions = ["remind_owner"]
[[sla.escalation]]
clock = "first_contact"
at = "0s"
actions = ["notify_supervisor"]
"""

@Suite(.serialized) struct SLAEndToEndTests {
    @Test func aDueEscalationIsDecidedWithinOneSecondOfItsDeadline() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        let daemon = try await harness.startWithSLA(fastLadder)
        #expect(try await harness.postLead(1) == 201)
        try await poll("the supervisor level decided", timeout: 60) {
            try await harness.count("SELECT COUNT(*) FROM escalations WHERE level = 2") == 1 ? true : nil
        }
        let late = try await harness.query { db in try Int64.fetchAll(db, sql: "SELECT late_ms FROM escalations ORDER BY level") }
        #expect(late.count == 2)
        #expect(late.allSatisfy { $0 < 1_000 }, "decided \(late) ms after their times")
        #expect(try await harness.count("SELECT COUNT(*) FROM deadlines WHERE level = 0 AND state = 'missed' AND resolved_at IS NULL") == 1)
        #expect(try await harness.count("SELECT COUNT(*) FROM outbox WHERE kind = 'sla.supervisor' AND recipient = 'boss@example.com'") == 1)
        let shown = try await harness.leadctl(["leads", "show", "1"])
        #expect(shown.stdout.contains("first_contact #1 (fast, wall clock)"), "\(shown.stdout)")
        #expect(shown.stdout.contains("breached"))
        #expect(shown.stdout.contains("level 2 (fast): notify_supervisor"))
        let overdue = try await harness.leadctl(["leads", "list", "--overdue"])
        #expect(overdue.stdout.contains("first_contact"), "\(overdue.stdout)")
        let metrics = try await harness.get("/metrics").body
        #expect(metrics.contains("leadrouter_sla_breaches_total{policy=\"fast\",clock=\"first_contact\",level=\"0\"} 1")
                || metrics.contains("leadrouter_sla_breaches_total{clock=\"first_contact\",level=\"0\",policy=\"fast\"} 1"), "\(metrics)")
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
        #expect(daemon.stderr.contains("sla breach"))
        #expect(daemon.stderr.contains("sla escalation decided"))
    }

    @Test func killNineAroundTheDeadlinesDecidesEachLevelExactlyOnce() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        var daemon = try await harness.startWithSLA(fastLadder, extra: "digest_threshold = 1000\nbatch = 3\ncatch_up_pause_ms = 50")
        for i in 1...20 { #expect(try await harness.postLead(i) == 201) }
        for _ in 0..<3 {
            // Kill it in the middle of deciding: as soon as some more levels are decided. A fast
            // daemon may have decided all 40 before a later round begins: then there is nothing
            // left to interrupt (waiting for "more" would wait forever).
            let before = try await harness.count("SELECT COUNT(*) FROM escalations")
            guard before < 40 else { break }
            try await poll("more escalations", timeout: 60) {
                try await harness.count("SELECT COUNT(*) FROM escalations") > before ? true : nil
            }
            daemon.signal(SIGKILL)
            _ = try await daemon.waitForExit()
            let mark = harness.notify.assignments.count
            daemon = try harness.start()
            try await harness.notify.waitFor("READY=1", after: mark)
        }
        try await poll("all 40 levels decided", timeout: 30) {
            try await harness.count("SELECT COUNT(*) FROM escalations") == 40 ? true : nil
        }
        #expect(try await harness.count("SELECT COUNT(*) FROM (SELECT DISTINCT lead_id, clock, cycle, level FROM escalations)") == 40)
        // One outbox row per decided notice: 20 reminders to the owners, 20 notices to the supervisor.
        #expect(try await harness.count("SELECT COUNT(*) FROM outbox WHERE kind = 'sla.warning'") == 20)
        #expect(try await harness.count("SELECT COUNT(*) FROM outbox WHERE kind = 'sla.supervisor'") == 20)
        #expect(try await harness.count("SELECT COUNT(*) FROM deadlines WHERE state = 'pending'") == 0)
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }

    @Test func aThousandLeadsDueAtTheSameInstantAreAllDecidedOnce() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        // Seed 1,000 leads assigned at the same instant, a little in the future, before the daemon starts.
        var daemon = try await harness.startWithSLA(fastLadder)
        daemon.signal(SIGTERM)
        _ = try await daemon.waitForExit()
        let configuration = try ConfigLoader(environment: [:]).load(path: harness.configPath)
        let store = try SQLiteLeadStore.openWriter(at: configuration.state.databaseFile)
        let assignedAt = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 3).rounded(.up))
        let items = (0..<1_000).map { i in
            IntakeItem(draft: LeadDraft(email: "bulk\(i)@corp.example.cn", origin: LeadOrigin(channel: .webhook, name: "site", key: "bulk-\(i)"),
                                        receivedAt: assignedAt), raw: RawCapture(body: []))
        }
        _ = try await store.commitIntakes(items, duplicates: DuplicatePolicy(match: .off), routing: configuration.routingEngine, at: assignedAt)
        #expect(try await harness.count("SELECT COUNT(DISTINCT due_at) FROM deadlines WHERE level = 0") == 1)
        let mark = harness.notify.assignments.count
        daemon = try harness.start()
        try await harness.notify.waitFor("READY=1", after: mark)
        try await poll("2,000 levels and 1,000 breaches decided", timeout: 60) {
            let levels = try await harness.count("SELECT COUNT(*) FROM escalations")
            let breaches = try await harness.count("SELECT COUNT(*) FROM deadlines WHERE level = 0 AND state = 'missed'")
            return levels == 2_000 && breaches == 1_000 ? true : nil
        }
        #expect(try await harness.count("SELECT COUNT(*) FROM (SELECT DISTINCT lead_id, clock, cycle, level FROM escalations)") == 2_000)
        // Hundreds of notices for three recipients are folded into digests, not 2,000 mails.
        let mails = try await harness.count("SELECT COUNT(*) FROM outbox WHERE kind LIKE 'sla.%'")
        #expect(mails > 0 && mails < 200, "\(mails) outbox rows")
        #expect(try await harness.count("SELECT COUNT(*) FROM outbox WHERE kind LIKE 'sla.%' AND kind <> 'sla.digest'") == 0)
        daemon.signal(SIGTERM)
        let status = try await daemon.waitForExit(timeout: 60)
        #expect(status == 0, "\(daemon.stderr.suffix(3000))")
    }

    @Test func activitiesOverHTTPWithTheAdminTokenAndARepsOwnToken() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        let daemon = try await harness.startWithSLA("[[sla]]\nname = \"slow\"\nclock = \"wall\"\nfirst_contact = \"1h\"\nfollow_ups = { count = 2, within = \"2h\" }\n")
        #expect(try await harness.postLead(1) == 201)   // rep1
        #expect(try await harness.postLead(2) == 201)   // rep2
        func activity(_ lead: Int, _ body: String, token: String) async throws -> HTTPResponse {
            try await harness.post("/leads/\(lead)/activities", body, headers: ["authorization": "Bearer \(token)", "content-type": "application/json"])
        }
        let own = try await activity(1, #"{"kind":"call","note":"已回电"}"#, token: "rep1-token-0123456789")
        #expect(own.status == 201, "\(own.body)")
        #expect(own.body.contains("\"first_contact_met\":true"), "\(own.body)")
        #expect(own.body.contains("\"follow_ups_met\":false"))
        #expect(try await activity(2, #"{"kind":"call"}"#, token: "rep1-token-0123456789").status == 403, "not rep1's lead")
        #expect(try await activity(1, #"{"kind":"call","rep":"rep2"}"#, token: "rep1-token-0123456789").status == 403, "not as another rep")
        #expect(try await activity(1, #"{"kind":"call"}"#, token: "wrong-token").status == 401)
        #expect(try await activity(1, #"{"kind":"#, token: "admin-token-0123456789").status == 400)
        #expect(try await activity(1, #"{"kind":"fax"}"#, token: "admin-token-0123456789").status == 422)
        #expect(try await activity(1, #"{"kind":"call","at":"yesterday"}"#, token: "admin-token-0123456789").status == 422)
        #expect(try await activity(99, #"{"kind":"call"}"#, token: "admin-token-0123456789").status == 404)
        // A contact dated back past max_backdate (and before the assignment) is refused: no forged evidence.
        let backdated = try await activity(1, #"{"kind":"email","at":"2026-01-01T00:00:00Z"}"#, token: "admin-token-0123456789")
        #expect(backdated.status == 422 && backdated.body.contains("max_backdate"), "\(backdated.body)")
        // The admin token logs for the owner by default: the second contact completes the follow-ups.
        let second = try await activity(1, #"{"kind":"email"}"#, token: "admin-token-0123456789")
        #expect(second.status == 201 && second.body.contains("\"rep\":\"rep1\""), "\(second.body)")
        #expect(try await harness.count("SELECT COUNT(*) FROM activities WHERE lead_id = 1 AND kind <> 'status_change'") == 2)
        #expect(try await harness.count("SELECT COUNT(*) FROM deadlines WHERE lead_id = 1 AND level = 0 AND state = 'met'") == 2)
        #expect(try await harness.count("SELECT COUNT(*) FROM deadlines WHERE lead_id = 2 AND state = 'pending'") == 2)
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }

    @Test func aBCCdMailByTheOwnerStopsTheClockAndAStrangersIsQuarantined() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        let daemon = try await harness.startWithBCCDropbox()
        #expect(try await harness.postLead(1) == 201)   // rep1, c1@corp.example.cn
        func drop(_ name: String, from: String) throws {
            try harness.dropBCC(name, from: from, to: "=?UTF-8?B?5a6i5oi3?= <C1@corp.example.cn>", subject: "=?UTF-8?B?5oql5Lu3?=",
                                date: "Mon, 30 Nov 2026 10:00:00 +0800", body: "您好，附上报价。")
        }
        try drop("m1", from: "李娜 <rep2@example.com>")
        try await poll("rep2's mail taken", timeout: 60) {
            FileManager.default.fileExists(atPath: harness.folder.file("bcc/done/m1").path) ? true : nil
        }
        #expect(try await harness.count("SELECT COUNT(*) FROM deadlines WHERE clock = 'first_contact' AND state = 'pending'") == 1)
        try drop("m2", from: "\"张伟\" <Rep1@Example.com>")
        try await poll("the owner's mail stops the clock", timeout: 60) {
            try await harness.count("SELECT COUNT(*) FROM deadlines WHERE clock = 'first_contact' AND state = 'met'") == 1 ? true : nil
        }
        #expect(try await harness.count("SELECT COUNT(*) FROM activities WHERE kind = 'email' AND rep_id = 'rep1'") == 1)
        try drop("m3", from: "stranger@elsewhere.cn")
        try await poll("a stranger's mail quarantined", timeout: 60) {
            FileManager.default.fileExists(atPath: harness.folder.file("bcc/quarantine/m3.reason").path) ? true : nil
        }
        let reason = try String(contentsOf: harness.folder.file("bcc/quarantine/m3.reason"), encoding: .utf8)
        #expect(reason.contains("not a configured rep"))
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }
}

extension DaemonHarness {
    /// Delivers `mail` into the Maildir at `folder` the maildir(5) way: written in `tmp/`, renamed into `new/`.
    func deliver(_ mail: String, to folder: String, as name: String) throws {
        try self.folder.write("\(folder)/tmp/\(name)", mail)
        try FileManager.default.moveItem(atPath: self.folder.file("\(folder)/tmp/\(name)").path,
                                         toPath: self.folder.file("\(folder)/new/\(name)").path)
    }

    /// A rep's mail to a customer as the MTA drops its BCC copy into the `bcc` mail-drop (`extra`:
    /// header lines, CRLF-terminated, before Message-ID).
    func dropBCC(_ name: String, from: String, to: String, subject: String, extra: String = "", date: String, body: String) throws {
        let mail = "From: \(from)\r\nTo: \(to)\r\nSubject: \(subject)\r\n\(extra)"
            + "Message-ID: <\(name)@example.com>\r\nDate: \(date)\r\n\r\n\(body)\r\n"
        try deliver(mail, to: "bcc", as: name)
    }

    /// A one-hour wall-clock first-contact policy and an activity mail-drop `bcc` (plus `extra` keys).
    func startWithBCCDropbox(extra: String = "") async throws -> ChildProcess {
        try await startWithSLA("""
            [[sla]]
            name = "slow"
            clock = "wall"
            first_contact = "1h"
            [[maildrop]]
            name = "bcc"
            kind = "activity"
            path = "bcc"
            \(extra)
            """)
    }
}

/// Issue 14 item 5: the BCC dropbox takes the time the mail arrived, not a `Date:` far back, and
/// `require_header` makes it strict about what the MTA vouched for.
@Suite struct BCCDropboxTrustTests {
    @Test func aForgedDateDoesNotCountAndRequireHeaderQuarantines() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        let daemon = try await harness.startWithBCCDropbox(extra: "require_header = \"Authentication-Results: dkim=pass\"")
        let started = Int64(Date().timeIntervalSince1970)
        #expect(try await harness.postLead(1) == 201)   // rep1, c1@corp.example.cn
        func drop(_ name: String, extra: String) throws {
            try harness.dropBCC(name, from: "\"张伟\" <rep1@example.com>", to: "C1@corp.example.cn", subject: "x", extra: extra,
                                date: "Tue, 01 Dec 2020 10:00:00 +0800", body: "您好。")
        }
        // Without the header the MTA adds after checking the sender: quarantined, nothing recorded.
        try drop("forged", extra: "")
        try await poll("the unvouched mail quarantined", timeout: 60) {
            FileManager.default.fileExists(atPath: harness.folder.file("bcc/quarantine/forged.reason").path) ? true : nil
        }
        let reason = try String(contentsOf: harness.folder.file("bcc/quarantine/forged.reason"), encoding: .utf8)
        #expect(reason.contains("no Authentication-Results header containing \"dkim=pass\""), "\(reason)")
        #expect(try await harness.count("SELECT COUNT(*) FROM activities WHERE kind = 'email'") == 0)
        // Vouched for: recorded, at the time it arrived (its Date: says 2020).
        try drop("real", extra: "Authentication-Results: mx.example.com; dkim=pass header.d=example.com\r\n")
        try await poll("the vouched mail recorded", timeout: 60) {
            try await harness.count("SELECT COUNT(*) FROM activities WHERE kind = 'email'") == 1 ? true : nil
        }
        #expect(try await harness.count("SELECT COUNT(*) FROM activities WHERE kind = 'email' AND at >= \(started)") == 1)
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }
}
