import Foundation
import GRDB
import LeadIngest
import LeadTestSupport
import Synchronization
import Testing

/// The real daemon under a mixed load (signed webhooks, a filling mail-drop, contacts, status
/// changes, deadlines falling due, an SMTP server and a webhook receiver taking its events) is killed with SIGKILL at random
/// moments and restarted; afterwards the invariants are checked from the database and the SMTP
/// server. 20 rounds here; `LEADROUTER_FAULT_ROUNDS=200` (scripts/soak) for more.
@Suite(.serialized) struct FaultInjectionTests {
    @Test func killNineAtRandomMomentsLosesNothingAndDoublesNothing() async throws {
        let rounds = Int(ProcessInfo.processInfo.environment["LEADROUTER_FAULT_ROUNDS"] ?? "") ?? 20
        var random = SeededGenerator(seed: UInt64(ProcessInfo.processInfo.environment["LEADROUTER_FAULT_SEED"] ?? "") ?? 20261130)
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        let sink = try await harness.startSMTPSink()
        let receiver = try await ChannelSink(in: harness.folder.url, kind: "webhook", secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        try await receiver.start()
        defer { receiver.stop() }
        try harness.folder.write("crm.whsec", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n")
        let spool = harness.folder.file("spool")
        var daemon = try await harness.startWithSLA("""
            [[sla]]
            name = "fast"
            clock = "wall"
            first_contact = "2s"
            [[sla.escalation]]
            clock = "first_contact"
            at = "0s"
            actions = ["notify_supervisor"]
            [[maildrop]]
            name = "drop"
            path = "spool"
            rescan_interval = "1s"
            [smtp]
            url = "smtp://127.0.0.1:\(sink.port)"
            from = "leadrouter@example.com"
            starttls = "off"
            lease = "1s"
            retry_base = "1s"
            retry_cap = "2s"
            [[channel]]
            name = "crm"
            kind = "webhook"
            url = "https://127.0.0.1:\(receiver.port)/hooks"
            secret_file = "crm.whsec"
            ca_file = "\(receiver.certificate)"
            rate_limit = 10000
            retry_base = "1s"
            timeout = "2s"
            """, extra: "digest_threshold = 10000")
        let acknowledged = Acknowledged()
        var dropped: [String] = []
        var kills = 0
        var next = 0
        for round in 0..<rounds {
            // A burst of signed webhooks in the background, racing the kill.
            let base = next
            next += 12
            let port = harness.port
            let burst = Task.detached {
                for i in base..<(base + 12) {
                    let body = "{\"name\":\"客户\(i)\",\"email\":\"f\(i)@corp\(i % 7).example.cn\",\"province\":\"上海\"}"
                    let id = "fault-\(i)"
                    guard let reply = try? httpRequest("POST", port: port, path: "/webhooks/site", body: Data(body.utf8),
                                                       headers: signed(body, id: id), timeout: 2) else { continue }
                    if reply.status == 201 || reply.status == 200 { acknowledged.add(id) }
                }
            }
            // Mail-drop files, delivered the maildir way.
            for j in 0..<4 {
                let mail = "From: 询价\(round)-\(j) <m\(round)x\(j)@mail\(j).example.cn>\r\nSubject: 询价\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n姓名：客户\r\n电话：139 0000 \(String(format: "%04d", round * 4 + j))\r\n"
                dropped.append(try MaildirSpool.deliver(Array(mail.utf8), to: spool))
            }
            // Contacts and status changes on leads that exist.
            let known = try await harness.count("SELECT COUNT(*) FROM leads")
            if known > 0 {
                let lead = Int.random(in: 1...known, using: &random)
                _ = try? await harness.post("/leads/\(lead)/activities", #"{"kind":"call"}"#,
                                            headers: ["authorization": "Bearer admin-token-0123456789", "content-type": "application/json"])
                _ = try? await harness.post("/leads/\(Int.random(in: 1...known, using: &random))/status", #"{"status":"contacted"}"#,
                                            headers: ["authorization": "Bearer admin-token-0123456789", "content-type": "application/json"])
            }
            // The kill falls at a random point of the burst: once k more leads exist.
            let target = known + Int.random(in: 0...10, using: &random)
            try? await poll("\(target) leads", timeout: 5) { try await harness.count("SELECT COUNT(*) FROM leads") >= target ? true : nil }
            daemon.signal(SIGKILL)
            _ = try await daemon.waitForExit()
            kills += 1
            _ = await burst.result
            try await harness.restart(&daemon)
        }
        // Let it finish what was in flight: the spool drained, deadlines decided, mail sent.
        try await poll("the mail-drop drained", timeout: 60) {
            let left = ["new", "cur"].flatMap { (try? FileManager.default.contentsOfDirectory(atPath: spool.appendingPathComponent($0).path)) ?? [] }
            return left.isEmpty ? true : nil
        }
        try await poll("every due deadline decided and every message sent", timeout: 90) {
            let pending = try await harness.count("SELECT COUNT(*) FROM deadlines WHERE state = 'pending'")
            let unsent = try await harness.count("SELECT COUNT(*) FROM outbox WHERE state <> 'sent'")
            return pending == 0 && unsent == 0 ? true : nil
        }
        let ids = acknowledged.all
        var violations: [String] = []
        for id in ids {
            let found = try await harness.count("SELECT COUNT(*) FROM leads WHERE origin_channel = 'webhook' AND origin_key = '\(id)'")
            if found != 1 { violations.append("webhook \(id) acknowledged but \(found) leads") }
        }
        for name in dropped {
            let leads = try await harness.count("SELECT COUNT(*) FROM leads WHERE origin_channel = 'maildrop' AND origin_key = '\(name)'")
            let quarantined = try await harness.count("SELECT COUNT(*) FROM quarantine WHERE origin_key = '\(name)'")
            if leads + quarantined != 1 { violations.append("mail-drop file \(name): \(leads) leads, \(quarantined) quarantined") }
        }
        if try await harness.count("SELECT COUNT(*) FROM (SELECT lead_id FROM assignments WHERE ended_at IS NULL GROUP BY lead_id HAVING COUNT(*) > 1)") > 0 {
            violations.append("a lead with two current owners")
        }
        if try await harness.count("SELECT COUNT(*) FROM (SELECT lead_id, clock, cycle, level FROM escalations GROUP BY 1, 2, 3, 4 HAVING COUNT(*) > 1)") > 0 {
            violations.append("an escalation decided twice")
        }
        // The status line's counters (schema v5 and v11 triggers) agree with the rows after every kill.
        if try await harness.count("""
            SELECT (SELECT COUNT(*) FROM leads) <> (SELECT COALESCE(SUM(n), 0) FROM lead_counts)
                OR (SELECT COUNT(*) FROM leads WHERE owner_rep_id IS NULL) <> (SELECT COALESCE(SUM(n), 0) FROM lead_counts WHERE owned = 0)
                OR (SELECT COUNT(*) FROM deadlines WHERE state = 'pending' AND level = 0) <> (SELECT pending FROM deadline_counts)
                OR EXISTS (SELECT state, COUNT(*) FROM outbox GROUP BY state
                           EXCEPT SELECT state, n FROM outbox_counts WHERE n > 0)
                OR EXISTS (SELECT state, n FROM outbox_counts WHERE n > 0
                           EXCEPT SELECT state, COUNT(*) FROM outbox GROUP BY state)
            """) != 0 {
            violations.append("lead, deadline or outbox counters disagree with the rows")
        }
        let outbox = try await harness.query { db in
            try Row.fetchAll(db, sql: "SELECT id, created_at, attempts FROM outbox WHERE channel IS NULL").map {
                ($0["id"] as Int64, $0["created_at"] as Int64, $0["attempts"] as Int)
            }
        }
        // Webhook events the same way: at least once, a copy more only for a kill after the 2xx
        // (one channel sender), every copy signed; the same id on a copy.
        let events = try await harness.query { db in
            try Row.fetchAll(db, sql: "SELECT id, attempts FROM outbox WHERE channel = 'crm'").map { ($0["id"] as Int64, $0["attempts"] as Int) }
        }
        let delivered = receiver.received
        if delivered.contains(where: { !$0.verified }) { violations.append("an event with a bad signature") }
        let eventCopies = Dictionary(grouping: delivered.compactMap { $0.headers["webhook-id"] }, by: { $0 }).mapValues(\.count)
        var extraEvents = 0
        for (id, attempts) in events {
            let copies = eventCopies["evt_\(id)"] ?? 0
            extraEvents += max(0, copies - 1)
            if copies < 1 || copies > attempts { violations.append("event row \(id) delivered \(copies) times in \(attempts) attempts") }
        }
        if extraEvents > kills { violations.append("\(extraEvents) extra event copies for \(kills) kills of 1 channel sender") }
        if events.isEmpty { violations.append("no webhook events at all") }
        let received = Dictionary(grouping: sink.messages.compactMap { $0.header("Message-ID") }, by: { $0 }).mapValues(\.count)
        // At least once; a copy more only for an attempt a kill interrupted after the server's 250
        // (each claim counts an attempt, and the server never refuses here), so never more copies
        // than attempts, and no more extra copies in all than kills × sender threads.
        var extra = 0
        for (outboxID, created, attempts) in outbox {
            let copies = received["<leadrouter.outbox-\(outboxID).\(created)@example.com>"] ?? 0
            extra += max(0, copies - 1)
            if copies < 1 || copies > attempts { violations.append("outbox \(outboxID) delivered \(copies) times in \(attempts) attempts") }
        }
        if extra > kills * 2 { violations.append("\(extra) extra copies for \(kills) kills of 2 senders") }
        let perRep = try await harness.query { db in
            try Int.fetchAll(db, sql: "SELECT COUNT(*) FROM assignments WHERE rule NOT LIKE 'escalation%' AND rule NOT LIKE 'manual%' GROUP BY rep_id")
        }
        if let most = perRep.max(), let fewest = perRep.min(), most - fewest > 1 { violations.append("round-robin counts \(perRep)") }
        let leads = try await harness.count("SELECT COUNT(*) FROM leads")
        print("fault injection: \(kills) kills, \(ids.count) acknowledged webhooks, \(dropped.count) mail-drop files, \(leads) leads, "
              + "\(outbox.count) outbox messages, \(sink.messages.count) mails received (\(extra) resent after a kill), "
              + "\(events.count) webhook events (\(extraEvents) resent after a kill), \(violations.count) violations")
        #expect(violations.isEmpty, "\(violations.prefix(20))")
        #expect(!ids.isEmpty && leads >= ids.count)
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }
}

/// Webhook event ids the daemon acknowledged (2xx), from the sending task.
private final class Acknowledged: Sendable {
    private let ids = Mutex<[String]>([])
    func add(_ id: String) { ids.withLock { $0.append(id) } }
    var all: [String] { ids.withLock { $0 } }
}
