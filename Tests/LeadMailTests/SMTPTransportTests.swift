import Foundation
import LeadIngest
import LeadMail
import LeadTestSupport
import Testing

/// libcurl SMTP against a real aiosmtpd on 127.0.0.1.
@Suite(.serialized) struct SMTPTransportTests {
    let date = Date(timeIntervalSince1970: 1_796_000_000)

    func message(_ n: Int, to: String = "li.na@example.com") -> OutgoingMessage {
        OutgoingMessage(from: .init("leadrouter@example.com", name: "线索路由"), to: [.init(to, name: "李娜")],
                        cc: [.init("zhang.wei@example.com")], subject: "SLA 超时提醒：线索 \(n) 已超时 2 小时（华东销售组）",
                        text: "线索 \(n)：王先生，上海某某科技有限公司\nfirst_contact overdue by 2h\n",
                        messageID: OutgoingMessage.messageID(outboxID: Int64(n), createdAt: 1_796_000_000, domain: "example.com"),
                        date: date)
    }

    func send(_ settings: SMTPSettings, _ messages: [OutgoingMessage]) async throws -> [SMTPOutcome] {
        try await offPool {
            guard let transport = SMTPTransport(settings: settings) else { throw SMTPSinkError.exited("curl_easy_init") }
            return messages.map { transport.send($0.rendered(), from: $0.from.address, to: $0.recipients) }
        }
    }

    @Test func chineseMailArrivesIntactOverOneReusedConnection() async throws {
        let folder = try TemporaryDirectory(prefix: "lr-smtp")
        defer { folder.remove() }
        let sink = try SMTPSink(in: folder.url)
        try await sink.start()
        defer { sink.stop() }
        let outcomes = try await send(SMTPSettings(url: "smtp://127.0.0.1:\(sink.port)", startTLS: .off), (1...3).map { message($0) })
        #expect(outcomes.allSatisfy { if case .sent(let reply) = $0 { reply.contains("queued as") } else { false } }, "\(outcomes)")
        let received = sink.messages
        #expect(received.count == 3)
        #expect(Set(received.map(\.peer)).count == 1, "one connection for all three: \(received.map(\.peer))")
        let first = try #require(received.first)
        #expect(first.recipients == ["li.na@example.com", "zhang.wei@example.com"])
        #expect(first.header("Message-ID") == "<leadrouter.outbox-1.1796000000@example.com>")
        #expect(first.header("Date") == "Mon, 30 Nov 2026 00:53:20 +0000")
        #expect(first.header("Auto-Submitted") == "auto-generated")
        #expect(first.raw.contains("\r\n") && !first.raw.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "CRLF only")
        // Read back with leadrouter's own MIME reader: subject and body decode to the Chinese text.
        let parsed = try MailMessage(bytes: Array(first.raw.utf8))
        #expect(parsed.subject == "SLA 超时提醒：线索 1 已超时 2 小时（华东销售组）")
        #expect(parsed.text.contains("线索 1：王先生，上海某某科技有限公司"))
        #expect(parsed.fromName == "线索路由")
        #expect(first.header("Subject")?.hasPrefix("=?UTF-8?B?") == true)
    }

    @Test func refusalsAndOutagesAreClassified() async throws {
        let folder = try TemporaryDirectory(prefix: "lr-smtp")
        defer { folder.remove() }
        let sink = try SMTPSink(in: folder.url, options: ["--reject", "nobody@", "--tempfail", "1"])
        try await sink.start()
        let settings = SMTPSettings(url: "smtp://127.0.0.1:\(sink.port)", startTLS: .off)
        let outcomes = try await send(settings, [message(1), message(2, to: "nobody@example.com"), message(3)])
        #expect(outcomes[0] == .transient(code: 451, reason: "451 4.3.0 Temporary failure, try again later", failureClass: "4xx"))
        if case .permanent(let code, let reason) = outcomes[1] {
            #expect(code == 550 && reason.contains("User unknown"))
        } else { Issue.record("550 is permanent: \(outcomes[1])") }
        #expect(outcomes[2] == .sent(reply: "250 2.0.0 Ok: queued as LR000001"))
        await sink.stopAndWait()
        let down = try await send(settings, [message(4)])
        if case .transient(_, _, let failureClass) = down[0] { #expect(failureClass == "connection") } else { Issue.record("\(down)") }
    }

    @Test func startTLSWithASelfSignedCertificateAndAuth() async throws {
        let folder = try TemporaryDirectory(prefix: "lr-smtp")
        defer { folder.remove() }
        let (cert, key) = try await SMTPSink.selfSignedCertificate(in: folder.url)
        let sink = try SMTPSink(in: folder.url, options: ["--starttls", cert, key, "--require-tls", "--auth", "leadrouter:s3cret-pw"])
        try await sink.start()
        defer { sink.stop() }
        var settings = SMTPSettings(url: "smtp://127.0.0.1:\(sink.port)", startTLS: .required, username: "leadrouter",
                                    password: "s3cret-pw", caFile: cert)
        #expect(try await send(settings, [message(1)]).first.map { if case .sent = $0 { true } else { false } } == true)
        let received = try #require(sink.messages.first)
        #expect(received.tls && received.authenticated)
        settings.password = "wrong"
        let refused = try await send(settings, [message(2)])
        if case .transient(_, let reason, let failureClass) = refused[0] { #expect(reason.hasPrefix("535") && failureClass == "auth", "\(reason)") } else { Issue.record("\(refused)") }
        settings.password = "s3cret-pw"
        settings.caFile = nil   // the system CAs do not trust a self-signed certificate
        let untrusted = try await send(settings, [message(3)])
        if case .transient(_, _, let failureClass) = untrusted[0] { #expect(failureClass == "tls") } else { Issue.record("\(untrusted)") }
        #expect(sink.messages.count == 1)
    }

    @Test func tlsRequiredButNotOfferedSendsNothingInPlainText() async throws {
        let folder = try TemporaryDirectory(prefix: "lr-smtp")
        defer { folder.remove() }
        let sink = try SMTPSink(in: folder.url)
        try await sink.start()
        defer { sink.stop() }
        let outcome = try await send(SMTPSettings(url: "smtp://127.0.0.1:\(sink.port)", startTLS: .required), [message(1)])
        if case .transient(_, _, let failureClass) = outcome[0] { #expect(failureClass == "tls") } else { Issue.record("\(outcome)") }
        #expect(sink.messages.isEmpty)
        let fallback = try await send(SMTPSettings(url: "smtp://127.0.0.1:\(sink.port)", startTLS: .opportunistic), [message(2)])
        #expect(fallback.first.map { if case .sent = $0 { true } else { false } } == true)
    }

    @Test func implicitTLS() async throws {
        let folder = try TemporaryDirectory(prefix: "lr-smtp")
        defer { folder.remove() }
        let (cert, key) = try await SMTPSink.selfSignedCertificate(in: folder.url)
        let sink = try SMTPSink(in: folder.url, options: ["--implicit-tls", cert, key])
        try await sink.start()
        defer { sink.stop() }
        let outcome = try await send(SMTPSettings(url: "smtps://127.0.0.1:\(sink.port)", caFile: cert), [message(1)])
        #expect(outcome.first.map { if case .sent = $0 { true } else { false } } == true, "\(outcome)")
        #expect(sink.messages.first?.tls == true)
    }
}
