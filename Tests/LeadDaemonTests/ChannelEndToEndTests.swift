import Foundation
import LeadTestSupport
import Testing

/// Robot messages from a real daemon to a local WeCom stand-in over HTTPS: a team's new-lead
/// notice and an escalation rung's message, the owner @-mentioned, delivered from the outbox
/// through a 502 (retried) and refused for good with a wrong key.
@Suite struct ChannelEndToEndTests {
    static let key = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"

    /// The configuration: the `east-wecom` robot as the team's channel and the breach rung's, or
    /// (`channel: false`) the same team without any channel.
    func config(_ harness: DaemonHarness, sink: ChannelSink, key: String = key, channel: Bool = true) throws -> String {
        try harness.writeWebhookSecrets()
        try harness.folder.write("east.url", "https://127.0.0.1:\(sink.port)/cgi-bin/webhook/send?key=\(key)\n")
        let robot = """
            [[channel]]
            name = "east-wecom"
            kind = "wecom"
            url_file = "east.url"
            ca_file = "\(sink.certificate)"
            retry_base = "1s"

            """
        return DaemonHarness.signedWebhookHeader(port: harness.port) + (channel ? robot : "")
            + DaemonHarness.oneTeam(rep: #"mobile = "+8613800138000""#, team: channel ? #"channel = "east-wecom""# : "") + """
            [[sla]]
            name = "fast"
            clock = "wall"
            first_contact = "2s"
            [[sla.escalation]]
            clock = "first_contact"
            at = "0s"
            \(channel ? "channels = [\"east-wecom\"]" : "actions = [\"remind_owner\"]")
            """
    }

    /// The WeCom stand-in, started, answering `answers`.
    func wecomSink(_ harness: DaemonHarness, answers: [String] = ["success"]) async throws -> ChannelSink {
        let sink = try await ChannelSink(in: harness.folder.url, kind: "wecom", key: Self.key, answers: answers)
        try await sink.start()
        return sink
    }

    func postLead(_ harness: DaemonHarness, id: String = "robot-1") async throws {
        let body = "{\"name\":\"王先生\",\"company\":\"上海某某科技\",\"email\":\"wang@corp.example.cn\"}"
        let posted = try await offPoolRequest("POST", port: harness.port, path: "/webhooks/site", body: Data(body.utf8),
                                              headers: signed(body, id: id))
        #expect((200..<300).contains(posted.status), "\(posted.body)")
    }

    func start(_ harness: DaemonHarness, sink: ChannelSink, key: String = key) async throws {
        try await harness.startReady(try config(harness, sink: sink, key: key))
        try await postLead(harness)
    }

    /// A daemon started without channels serves the first one a reload adds (its channel sender
    /// keeps running with none configured).
    @Test func aChannelAddedByAReloadIsServed() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        let sink = try await wecomSink(harness)
        defer { sink.stop() }
        let daemon = try await harness.startReady(try config(harness, sink: sink, channel: false))
        try harness.writeRaw(try config(harness, sink: sink))
        let mark = harness.notify.assignments.count
        daemon.signal(SIGHUP)
        let reloading = try await harness.notify.waitFor("RELOADING=1", after: mark)
        try await harness.notify.waitFor("READY=1", after: reloading)
        try await postLead(harness, id: "robot-after-reload")
        try await poll("the new lead's notice in the group", timeout: 30, every: .milliseconds(200)) { sink.received.isEmpty ? nil : true }
        #expect(sink.received.first?.verified == true && sink.received.first?.body.contains("上海某某科技") == true)
    }

    /// The channel rows of the outbox, from leadctl.
    func channelRows(_ harness: DaemonHarness) async throws -> [[String: Any]] {
        let listed = try await harness.leadctl(["outbox", "list", "--json"])
        let rows = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]] ?? []
        return rows.filter { $0["channel"] as? String == "east-wecom" }
    }

    @Test func theNewLeadAndItsBreachReachTheGroupThroughA502() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        let sink = try await wecomSink(harness, answers: ["error5xx", "success"])
        defer { sink.stop() }
        try await start(harness, sink: sink)
        try await poll("the new lead's and the breach's messages accepted", timeout: 30, every: .milliseconds(200)) { () -> Bool? in
            let rows = try await channelRows(harness)
            return rows.count == 2 && rows.allSatisfy { $0["state"] as? String == "sent" } ? true : nil
        }
        let received = sink.received
        let unverified = received.filter { !$0.verified }.map(\.why)
        #expect(unverified.isEmpty, "\(unverified)")
        let newLead = try #require(received.last { $0.body.contains("新线索") })
        let text = try #require(newLead.json["text"] as? [String: Any])
        #expect(text["mentioned_mobile_list"] as? [String] == ["13800138000"])
        #expect((text["content"] as? String)?.contains("上海某某科技") == true && (text["content"] as? String)?.contains("负责人 owner: 张伟") == true)
        #expect(received.contains { $0.body.contains("已超时") && $0.body.contains("13800138000") }, "the rung's message")
        // The first attempt met the 502 and was retried; nothing went to mail's lanes.
        let rows = try await channelRows(harness)
        #expect(rows.contains { $0["attempts"] as? Int == 2 && $0["kind"] as? String == "lead.assigned" }, "\(rows)")
        let status = try await harness.get("/metrics").body
        #expect(status.contains("leadrouter_channel_messages_total{kind=\"wecom\",outcome=\"retry\"} 1"), "\(status)")
    }

    @Test func aWrongKeyIsDeadNotRetried() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        let sink = try await wecomSink(harness)
        defer { sink.stop() }
        try await start(harness, sink: sink, key: "not-the-key")
        try await poll("the new lead's message dead", timeout: 30, every: .milliseconds(200)) { () -> Bool? in
            try await channelRows(harness).contains { $0["state"] as? String == "dead" } ? true : nil
        }
        let dead = try #require(try await channelRows(harness).first { $0["state"] as? String == "dead" })
        #expect((dead["last_error"] as? String)?.contains("93000") == true && dead["attempts"] as? Int == 1, "\(dead)")
    }
}
