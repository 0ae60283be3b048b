// leadbench's mail figures: raw libcurl on one connection, and escalation mail through the daemon.
import Foundation
import GRDB
import LeadConfig
import LeadCore
import LeadMail
import LeadStoreSQLite

/// COUNT messages like leadrouter's (Chinese subject, base64 UTF-8 body) on one reused connection.
func smtpRaw(port: Int, count: Int) {
    guard CurlRuntime.initialize(), let transport = SMTPTransport(settings: SMTPSettings(url: "smtp://127.0.0.1:\(port)", startTLS: .off)) else {
        fatalError("libcurl")
    }
    let start = monotonic()
    for i in 0..<count {
        let message = OutgoingMessage(from: .init("leadrouter@example.com", name: "线索路由"), to: [.init("boss@example.com")],
                                      subject: "【SLA 升级】线索 #\(i) 王先生：张伟 的首次联系已到期", text: "线索 \(i)\n" + String(repeating: "客户信息 ", count: 40),
                                      messageID: "<raw-\(i)@example.com>", date: Date())
        guard case .sent = transport.send(message.rendered(), from: "leadrouter@example.com", to: ["boss@example.com"]) else { fatalError("send \(i)") }
    }
    let elapsed = monotonic() - start
    print(String(format: "smtp-raw: %d messages on one libcurl connection in %.2f s: %.0f msg/s", count, elapsed, Double(count) / elapsed))
}

/// COUNT leads routed before the daemon starts, lead i assigned at `first + i × spacing`.
func seedLeads(config: String, count: Int, first: Date, spacing: TimeInterval) async throws {
    let configuration = try ConfigLoader().load(path: config)
    let store = try SQLiteLeadStore.openWriter(at: configuration.state.databaseFile)
    try await store.syncDirectory(reps: configuration.directory.reps, teams: configuration.directory.teams, configGeneration: 1, at: first)
    var batch: [IntakeItem] = []
    for i in 0..<count {
        let at = first.addingTimeInterval(Double(i) * spacing)
        batch.append(IntakeItem(draft: LeadDraft(name: "客户\(i)", email: "seed\(i)@bench.example.cn",
                                                 origin: LeadOrigin(channel: .webhook, name: "bench", key: "seed-\(i)-\(first.timeIntervalSince1970)"),
                                                 receivedAt: at), raw: RawCapture(body: [])))
        if spacing > 0 || batch.count == 500 || i == count - 1 {
            _ = try await store.commitIntakes(batch, duplicates: DuplicatePolicy(match: .off), routing: configuration.routingEngine, at: at)
            batch = []
        }
    }
}

/// Waits for COUNT messages in the sink folder; then prints the delivery rate from the first
/// deadline to the last receipt, and each message's lateness (receipt − its deadline).
func mailWait(sink: String, database: String, count: Int, label: String) throws {
    let folder = URL(fileURLWithPath: sink)
    var files: [String] = []
    let deadline = Date() + 300
    while Date() < deadline {
        files = ((try? FileManager.default.contentsOfDirectory(atPath: sink)) ?? []).filter { $0.hasSuffix(".eml") }
        if files.count >= count { break }
        usleep(20_000)
    }
    guard files.count >= count else { fatalError("only \(files.count) of \(count) messages arrived") }
    var configuration = Configuration()
    configuration.readonly = true
    let db = try DatabaseQueue(path: database, configuration: configuration)
    var lateness: [Double] = []
    var last = Date.distantPast
    var firstDue = Date.distantFuture
    for name in files {
        let path = folder.appendingPathComponent(name).path
        let received = (try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? Date()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        guard let range = text.range(of: "<leadrouter.outbox-"), let dot = text[range.upperBound...].firstIndex(of: "."),
              let id = Int64(text[range.upperBound..<dot]) else { continue }
        let due = try db.read { db in
            try Int64.fetchOne(db, sql: """
                SELECT d.due_at FROM outbox o JOIN deadlines d ON d.lead_id = o.lead_id AND d.level = 1 WHERE o.id = ?
                """, arguments: [id])
        }
        guard let due else { continue }
        let dueDate = Date(timeIntervalSince1970: TimeInterval(due))
        lateness.append(received.timeIntervalSince(dueDate))
        last = max(last, received)
        firstDue = min(firstDue, dueDate)
    }
    lateness.sort()
    func percentile(_ p: Double) -> Double { lateness[min(lateness.count - 1, Int(Double(lateness.count - 1) * p))] }
    let span = last.timeIntervalSince(firstDue)
    print(String(format: "%@: %d messages; deadline to receipt p50 %.0f ms, p99 %.0f ms, max %.0f ms; first deadline to last receipt %.2f s: %.0f msg/s",
                 label, lateness.count, percentile(0.5) * 1000, percentile(0.99) * 1000, lateness.last! * 1000, span, Double(lateness.count) / span))
}

/// Waits until COUNT outbox rows are sent (for a sink that keeps no files, such as Postfix's
/// smtp-sink); prints the rate from the first deadline to the moment the last one was seen sent.
/// Polled every 10 ms, so the end is known to 10 ms.
func sentWait(database: String, count: Int, label: String) throws {
    var configuration = Configuration()
    configuration.readonly = true
    let deadline = Date() + 300
    var sent = 0
    var firstDue: Int64?
    while Date() < deadline {
        if FileManager.default.fileExists(atPath: database) {
            let db = try DatabaseQueue(path: database, configuration: configuration)
            (sent, firstDue) = try db.read { db in
                (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE state = 'sent'") ?? 0,
                 try Int64.fetchOne(db, sql: "SELECT MIN(due_at) FROM deadlines WHERE level = 1"))
            }
            try db.close()
            if sent >= count { break }
        }
        usleep(10_000)
    }
    guard sent >= count, let firstDue else { fatalError("only \(sent) of \(count) messages were sent") }
    let span = Date().timeIntervalSince(Date(timeIntervalSince1970: TimeInterval(firstDue)))
    print(String(format: "%@: %d messages sent; first deadline to last sent %.2f s: %.0f msg/s", label, sent, span, Double(sent) / span))
}
