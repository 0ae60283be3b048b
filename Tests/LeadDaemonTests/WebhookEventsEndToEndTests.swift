import Foundation
import LeadTestSupport
import Testing

/// Outbound webhook events from a real daemon to a local receiver over HTTPS: each signed the
/// Standard Webhooks way (checked by the receiver's own code), valid against its JSON Schema in
/// Config/schemas/events, with the same webhook-id on a retry.
@Suite struct WebhookEventsEndToEndTests {
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

    /// The receiver (checking each event against its schema) answering `answers`, with the
    /// daemon's secrets written.
    func receiver(_ harness: DaemonHarness, answers: [String]) async throws -> ChannelSink {
        let sink = try await ChannelSink(in: harness.folder.url, kind: "webhook", secret: Self.secret, answers: answers,
                                         schemas: RepositoryPaths.root.appendingPathComponent("Config/schemas/events"))
        try await sink.start()
        try harness.writeWebhookSecrets()
        try harness.folder.write("crm.whsec", Self.secret + "\n")
        return sink
    }

    /// The configuration's start: a signed webhook intake and the `crm` channel to the receiver
    /// (its further keys follow).
    static func header(_ harness: DaemonHarness, _ sink: ChannelSink) -> String {
        DaemonHarness.signedWebhookHeader(port: harness.port) + """
            [[channel]]
            name = "crm"
            kind = "webhook"
            url = "https://127.0.0.1:\(sink.port)/hooks/leadrouter"
            secret_file = "crm.whsec"
            ca_file = "\(sink.certificate)"

            """
    }

    @Test func aLeadsEventsArriveSignedValidAndDeduplicable() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        let sink = try await receiver(harness, answers: ["error5xx", "success"])
        defer { sink.stop() }
        let config = Self.header(harness, sink) + """
            retry_base = "1s"
            [[rep]]
            id = "rep1"
            name = "张伟"
            email = "rep1@example.com"
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
            [[sla]]
            name = "fast"
            clock = "wall"
            first_contact = "3s"
            follow_ups = { count = 1, within = "4s" }
            [[sla.escalation]]
            clock = "first_contact"
            at = "-1s"
            actions = ["remind_owner"]
            [[sla.escalation]]
            clock = "first_contact"
            at = "0s"
            actions = ["notify_supervisor"]
            [[sla.escalation]]
            clock = "first_contact"
            at = "1s"
            actions = ["reassign"]
            """
        try await harness.startReady(config)
        let body = "{\"name\":\"王先生\",\"company\":\"上海某某科技\",\"email\":\"wang@corp.example.cn\",\"province\":\"上海\"}"
        let posted = try await offPoolRequest("POST", port: harness.port, path: "/webhooks/site", body: Data(body.utf8),
                                              headers: signed(body, id: "events-1"))
        #expect((200..<300).contains(posted.status))

        let wanted: Set<String> = ["lead.created", "lead.assigned", "sla.warning", "sla.escalated", "lead.reassigned", "sla.breached"]
        // Also the retry of the first request (it met a 503): on a loaded machine the last events may
        // arrive before it, so the wait covers what the assertions below check.
        try await poll("every kind of event received, and the first one's retry", timeout: 60, every: .milliseconds(200)) { () -> Bool? in
            let received = sink.received
            guard let first = received.first,
                  received.dropFirst().contains(where: { $0.headers["webhook-id"] == first.headers["webhook-id"] }) else { return nil }
            return Set(received.compactMap { $0.json["type"] as? String }).isSuperset(of: wanted) ? true : nil
        }
        let received = sink.received
        let bad = received.filter { !$0.verified || $0.schemaOK != true }.map { "\($0.json["type"] ?? "?"): \($0.why) \($0.schemaError ?? "")" }
        #expect(bad.isEmpty, "\(bad)")
        // The first request met a 503 and came again: the same event id, so the receiver can drop the copy.
        let first = try #require(received.first)
        #expect(received.dropFirst().contains { $0.headers["webhook-id"] == first.headers["webhook-id"] }, "a retry keeps its id")
        #expect(Set(received.compactMap { $0.headers["webhook-id"] }).count == Set(received.map(\.body)).count, "one id per event")
        // The data: Chinese text intact, the owner moved by the reassign rung named.
        let created = try #require(received.first { $0.json["type"] as? String == "lead.created" }?.json["data"] as? [String: Any])
        #expect((created["lead"] as? [String: Any])?["company"] as? String == "上海某某科技" && created["held"] as? Bool == false)
        let moved = try #require(received.first { $0.json["type"] as? String == "lead.reassigned" }?.json["data"] as? [String: Any])
        #expect(moved["from"] as? String == "rep1" && (moved["lead"] as? [String: Any])?["owner"] as? String == "rep2", "\(moved)")
    }

    /// The lifecycle's events: a call logged for the owner (`activity.logged`, and the first
    /// contact moves the lead new → contacted: `lead.status_changed` by the rep), then the admin
    /// disqualifies it with a reason. The channel's filter keeps every other event away.
    @Test func statusChangesAndActivitiesArriveOnlyWhereSubscribed() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        let sink = try await receiver(harness, answers: ["success"])
        defer { sink.stop() }
        let config = Self.header(harness, sink) + """
            events = ["lead.status_changed", "activity.logged"]

            """ + DaemonHarness.oneTeam()
        try await harness.startReady(config)
        let body = "{\"name\":\"王先生\",\"email\":\"wang@corp.example.cn\"}"
        let posted = try await offPoolRequest("POST", port: harness.port, path: "/webhooks/site", body: Data(body.utf8),
                                              headers: signed(body, id: "events-2"))
        #expect((200..<300).contains(posted.status))
        let admin = ["authorization": "Bearer admin-token-0123456789", "content-type": "application/json"]
        try await poll("the lead is assigned", timeout: 30) { () -> Bool? in
            let reply = try? await harness.post("/leads/1/activities", #"{"kind":"call","note":"首次电话，客户有兴趣"}"#, headers: admin)
            return reply?.status == 201 ? true : nil
        }
        let disqualified = try await harness.post("/leads/1/status", #"{"status":"disqualified","reason":"无预算"}"#, headers: admin)
        #expect(disqualified.status == 200)

        try await poll("three events received", timeout: 30, every: .milliseconds(200)) { sink.received.count >= 3 ? true : nil }
        let received = sink.received
        let bad = received.filter { !$0.verified || $0.schemaOK != true }.map { "\($0.json["type"] ?? "?"): \($0.why) \($0.schemaError ?? "")" }
        #expect(bad.isEmpty, "\(bad)")
        let data = received.compactMap { event -> (String, [String: Any])? in
            guard let type = event.json["type"] as? String, let data = event.json["data"] as? [String: Any] else { return nil }
            return (type, data)
        }
        #expect(data.map(\.0).sorted() == ["activity.logged", "lead.status_changed", "lead.status_changed"], "\(data.map(\.0))")
        let activity = try #require(data.first { $0.0 == "activity.logged" }?.1)
        #expect(activity["kind"] as? String == "call" && activity["rep"] as? String == "rep1" && activity["counts_for_sla"] as? Bool == true)
        #expect(activity["note"] as? String == "首次电话，客户有兴趣")
        let changes = data.filter { $0.0 == "lead.status_changed" }.map(\.1)
        let contacted = try #require(changes.first { $0["to"] as? String == "contacted" })
        #expect(contacted["from"] as? String == "new" && contacted["by"] as? String == "rep1" && contacted["role"] as? String == "owner")
        let closed = try #require(changes.first { $0["to"] as? String == "disqualified" })
        #expect(closed["from"] as? String == "contacted" && closed["by"] == nil && closed["role"] as? String == "admin")
        #expect(closed["reason"] as? String == "无预算" && (closed["lead"] as? [String: Any])?["status"] as? String == "disqualified")
    }
}
