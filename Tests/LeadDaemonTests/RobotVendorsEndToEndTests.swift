import Foundation
import LeadTestSupport
import Testing

/// DingTalk and Feishu robots fed by a real daemon: the team's new-lead notice, signed with the
/// robot's secret (checked by the stand-in's own code), written by the shipped robot template
/// (`lead_assigned.zh.md.mustache`) as Markdown, the owner @-mentioned on DingTalk, delivered
/// through a 502 that is retried. The throttling answers' waits are unit-tested (ChannelAnswersTests).
@Suite struct RobotVendorsEndToEndTests {
    static let secret = "SEC6a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9"

    @Test(arguments: ["dingtalk", "feishu"])
    func theNewLeadReachesTheRobotSignedFromItsTemplateThroughA502(kind: String) async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        let sink = try await ChannelSink(in: harness.folder.url, kind: kind, secret: Self.secret, answers: ["error5xx", "success"])
        try await sink.start()
        defer { sink.stop() }
        try harness.writeWebhookSecrets()
        let url = kind == "dingtalk" ? "/robot/send?access_token=abc123" : "/open-apis/bot/v2/hook/5e3d587e-d78e-4a07-bd07-265f269f86fd"
        try harness.folder.write("robot.url", "https://127.0.0.1:\(sink.port)\(url)\n")
        try harness.folder.write("robot.secret", Self.secret + "\n")
        let templates = RepositoryPaths.root.appendingPathComponent("Config/templates").path
        try await harness.startReady(DaemonHarness.signedWebhookHeader(port: harness.port) + """
            [mail]
            templates = "\(templates)"
            [[channel]]
            name = "east-robot"
            kind = "\(kind)"
            url_file = "robot.url"
            secret_file = "robot.secret"
            format = "markdown"
            ca_file = "\(sink.certificate)"
            retry_base = "1s"

            """ + DaemonHarness.oneTeam(rep: #"mobile = "+8613800138000""#, team: #"channel = "east-robot""#))
        let body = "{\"name\":\"王先生\",\"company\":\"上海某某科技\",\"province\":\"上海\",\"email\":\"wang@corp.example.cn\"}"
        let posted = try await offPoolRequest("POST", port: harness.port, path: "/webhooks/site", body: Data(body.utf8),
                                              headers: signed(body, id: "robot-\(kind)"))
        #expect((200..<300).contains(posted.status), "\(posted.body)")

        try await poll("the notice delivered after the 502", timeout: 30, every: .milliseconds(200)) { sink.received.count >= 2 ? true : nil }
        let received = sink.received
        #expect(received.allSatisfy { $0.verified }, "\(received.map(\.why))")
        #expect(received[0].json["msgtype"] as? String ?? received[0].json["msg_type"] as? String
                == received[1].json["msgtype"] as? String ?? received[1].json["msg_type"] as? String)
        let message = received[1].json
        switch kind {
        case "dingtalk":
            let markdown = try #require(message["markdown"] as? [String: Any], "\(message)")
            #expect(markdown["title"] as? String == "新线索 #1 王先生, 上海某某科技")
            let text = markdown["text"] as? String ?? ""
            #expect(text.hasPrefix("### 新线索 #1 已分配给 张伟\n**客户**：王先生 上海某某科技"), "the template, no built-in title line: \(text)")
            #expect(text.hasSuffix("@13800138000"), "DingTalk shows an @ only with the number in the text")
            #expect((message["at"] as? [String: Any])?["atMobiles"] as? [String] == ["13800138000"])
        default:
            #expect(message["msg_type"] as? String == "interactive" && message["sign"] is String && message["timestamp"] is String)
            let card = try #require(message["card"] as? [String: Any], "\(message)")
            let header = (card["header"] as? [String: Any])?["title"] as? [String: Any]
            #expect(header?["content"] as? String == "新线索 #1 王先生, 上海某某科技")
            let element = (card["elements"] as? [[String: Any]])?.first
            #expect(element?["tag"] as? String == "markdown")
            #expect((element?["content"] as? String)?.contains("**地区**：上海") == true, "\(element ?? [:])")
        }
        let listed = try await harness.leadctl(["outbox", "list", "--json"])
        let rows = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]] ?? []
        let robot = try #require(rows.first { $0["channel"] as? String == "east-robot" })
        #expect(robot["state"] as? String == "sent" && robot["attempts"] as? Int == 2, "\(robot)")
    }
}
