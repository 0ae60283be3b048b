import Foundation
import LeadTestSupport
import Testing

/// `leadctl channel test` against a local stand-in for each vendor over HTTPS (a self-signed CA
/// given as `ca_file`): the sink checks the key or signature with its own code and answers like
/// the vendor; Chinese text and @-mentions arrive intact; throttling is retried, a wrong signature
/// is not. Serialized: four TLS stand-ins and their leadctl runs at once stalled the in-process
/// tests of the same binary (a connection-gate server, a mail-drop scan) past 30 s on 2 cores.
@Suite(.serialized) struct ChannelTestCommandTests {
    static let dingSecret = "SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd"
    static let webhookSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

    /// A configuration with one channel of `kind` pointing at `sink`; returns the config path.
    func configure(_ folder: TemporaryDirectory, kind: String, sink: ChannelSink, secret: String?, format: String = "text") throws -> String {
        var channel = "[[channel]]\nname = \"team\"\nkind = \"\(kind)\"\nca_file = \"\(sink.certificate)\"\n"
        switch kind {
        case "wecom":
            try folder.write("robot.url", "https://127.0.0.1:\(sink.port)/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa\n")
            channel += "url_file = \"robot.url\"\nformat = \"\(format)\"\n"
        case "dingtalk":
            try folder.write("robot.url", "https://127.0.0.1:\(sink.port)/robot/send?access_token=abc123\n")
            channel += "url_file = \"robot.url\"\nformat = \"\(format)\"\n"
        case "feishu":
            try folder.write("robot.url", "https://127.0.0.1:\(sink.port)/open-apis/bot/v2/hook/5e3d587e-d78e-4a07-bd07-265f269f86fd\n")
            channel += "url_file = \"robot.url\"\nformat = \"\(format)\"\n"
        default:
            channel += "url = \"https://127.0.0.1:\(sink.port)/hooks/leadrouter\"\n"
        }
        if let secret {
            try folder.write("robot.secret", secret + "\n")
            channel += "secret_file = \"robot.secret\"\n"
        }
        try folder.write("leadrouter.toml", "[state]\ndirectory = \"state\"\n" + channel)
        return folder.file("leadrouter.toml").path
    }

    func leadctl(_ config: String, _ arguments: [String], in folder: TemporaryDirectory) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await ChildProcess.run(RepositoryPaths.product("leadctl"), ["--config", config] + arguments, in: folder.url, name: "leadctl")
    }

    @Test(arguments: [("wecom", nil), ("dingtalk", dingSecret), ("feishu", dingSecret), ("webhook", webhookSecret)] as [(String, String?)])
    func eachVendorGetsASignedMessageWithChineseTextAndMentions(kind: String, secret: String?) async throws {
        let folder = try TemporaryDirectory(prefix: "lr-channel")
        defer { folder.remove() }
        let sink = try await ChannelSink(in: folder.url, kind: kind, key: "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa", secret: secret)
        try await sink.start()
        defer { sink.stop() }
        let config = try configure(folder, kind: kind, sink: sink, secret: secret)
        let result = try await leadctl(config, ["channel", "test", "team", "--text", "新线索：王先生，上海某某科技", "--mention", "+8613800138000"], in: folder)
        #expect(result.status == 0 && result.stdout.contains("sent"), "\(result.stdout) \(result.stderr)")
        #expect(!result.stdout.contains("key=") && !result.stdout.contains("access_token"), "the URL's credential is not printed")
        let request = try #require(sink.received.first)
        #expect(request.verified, "the sink's own check: \(request.why)")
        #expect(request.body.contains("新线索：王先生，上海某某科技"), "\(request.body)")
        switch kind {
        case "wecom":
            let text = request.json["text"] as? [String: Any]
            #expect(text?["mentioned_mobile_list"] as? [String] == ["13800138000"])
        case "dingtalk":
            let at = request.json["at"] as? [String: Any]
            #expect(at?["atMobiles"] as? [String] == ["13800138000"] && request.body.contains("@13800138000"))
        case "webhook":
            #expect(request.json["type"] as? String == "channel.test" && request.headers["webhook-id"] != nil)
        default:
            #expect(request.json["msg_type"] as? String == "text")
        }
    }

    @Test func aWrongSignatureIsRefusedAndThrottlingWouldBeRetried() async throws {
        let folder = try TemporaryDirectory(prefix: "lr-channel")
        defer { folder.remove() }
        let sink = try await ChannelSink(in: folder.url, kind: "dingtalk", secret: Self.dingSecret, answers: ["throttled", "success"])
        try await sink.start()
        defer { sink.stop() }
        let config = try configure(folder, kind: "dingtalk", sink: sink, secret: Self.dingSecret, format: "markdown")
        let throttled = try await leadctl(config, ["channel", "test", "team"], in: folder)
        #expect(throttled.status != 0 && throttled.stdout.contains("would be retried after 600 s") && throttled.stdout.contains("130101"),
                "\(throttled.stdout)")
        let sent = try await leadctl(config, ["channel", "test", "team"], in: folder)
        #expect(sent.status == 0, "\(sent.stdout)")
        #expect((sink.received.last?.json["msgtype"] as? String) == "markdown")
        // The robot's secret changed on the DingTalk side: the signature no longer matches.
        try folder.write("robot.secret", "SECsomethingelse\n")
        let refused = try await leadctl(config, ["channel", "test", "team"], in: folder)
        #expect(refused.status != 0 && refused.stdout.contains("would not be retried") && refused.stdout.contains("310000"), "\(refused.stdout)")
        #expect(sink.received.last?.verified == false)
    }

    @Test func aChannelWithoutItsCredentialIsAConfigurationError() async throws {
        let folder = try TemporaryDirectory(prefix: "lr-channel")
        defer { folder.remove() }
        try folder.write("leadrouter.toml", """
            [state]
            directory = "state"
            [[channel]]
            name = "crm"
            kind = "webhook"
            url = "http://crm.example.com/hooks"
            [[channel]]
            name = "east"
            kind = "wecom"
            url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x"
            """)
        let checked = try await leadctl(folder.file("leadrouter.toml").path, ["config", "check"], in: folder)
        #expect(checked.status != 0)
        let report = checked.stdout + checked.stderr
        #expect(report.contains("channel[0].url") && report.contains("https://"), "\(report)")
        #expect(report.contains("channel[0].secret_file") && report.contains("channel[1].url"), "\(report)")
    }
}
