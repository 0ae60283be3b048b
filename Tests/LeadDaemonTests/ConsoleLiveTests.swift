import Foundation
import LeadTestSupport
import Testing

/// `/ui/events` on a real daemon over a raw connection: a change event with the lead's id when
/// a lead arrives, replay from `Last-Event-ID`, no stream without a session, the stream cap, and
/// a daemon that still stops promptly with a stream open.
@Suite struct ConsoleLiveTests {
    func start(_ harness: DaemonHarness) async throws -> ChildProcess {
        try harness.writeWebhookSecrets()
        try harness.writeRaw(DaemonHarness.signedWebhookHeader(port: harness.port) + """
            [ui]
            enabled = true
            max_streams = 2

            """ + DaemonHarness.oneTeam(name: "销售一"))
        let daemon = try harness.start()
        try await poll("the daemon answers", timeout: 30) { try? await harness.get("/readyz").status == 200 ? true : nil }
        return daemon
    }

    /// A stream opened on a raw connection; `text` accumulates what arrived.
    final class Stream: @unchecked Sendable {
        let connection: RawConnection
        var text = ""
        init(port: Int, cookie: String?, lastEventID: String? = nil) throws {
            connection = try RawConnection(port: port)
            var request = "GET /ui/events HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAccept: text/event-stream\r\n"
            if let cookie { request += "Cookie: \(cookie)\r\n" }
            if let lastEventID { request += "Last-Event-ID: \(lastEventID)\r\n" }
            connection.send(request + "\r\n")
        }
        func until(_ what: String, _ check: @escaping (String) -> Bool) async throws {
            try await poll(what, timeout: 60, every: .milliseconds(50)) { () -> Bool? in
                self.text += self.connection.read()
                return check(self.text) ? true : nil
            }
        }
    }

    @Test func aNewLeadReachesAnOpenStreamAndAReconnectReplaysFromItsLastEventID() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        let daemon = try await start(harness)
        let login = try await offPoolRequest("POST", port: harness.port, path: "/ui/login", body: Data("token=admin-token-0123456789".utf8),
                                             headers: ["content-type": "application/x-www-form-urlencoded"])
        let cookie = String(try #require(login.headers["set-cookie"]).split(separator: ";")[0])

        let anonymous = try Stream(port: harness.port, cookie: nil)
        try await anonymous.until("401 without a session") { $0.hasPrefix("HTTP/1.1 401") }

        let live = try Stream(port: harness.port, cookie: cookie)
        try await live.until("the stream opens") { $0.contains(": connected") }
        #expect(live.text.hasPrefix("HTTP/1.1 200") && live.text.lowercased().contains("content-type: text/event-stream"))
        #expect(live.text.lowercased().contains("content-security-policy:"))

        let body = "{\"name\":\"周八\",\"email\":\"zhou@corp.example.cn\"}"
        let posted = try await offPoolRequest("POST", port: harness.port, path: "/webhooks/site", body: Data(body.utf8),
                                              headers: signed(body, id: "live-1"))
        #expect((200..<300).contains(posted.status))
        try await live.until("a change event naming lead 1") { $0.contains("event: change\ndata: {\"leads\":[1]}") }
        let id = try #require(live.text.split(whereSeparator: \.isNewline).first { $0.hasPrefix("id: ") }, "\(live.text)").dropFirst(4)
        #expect(id != "0.0")

        // The cap is two streams: a third is refused while two are open.
        let replay = try Stream(port: harness.port, cookie: cookie, lastEventID: "0.0")
        try await replay.until("a reconnect from 0.0 gets what it missed") { $0.contains("\"leads\":[1]") && $0.contains("id: \(id)") }
        let third = try Stream(port: harness.port, cookie: cookie)
        try await third.until("503 over ui.max_streams") { $0.hasPrefix("HTTP/1.1 503") }

        // Streams open: SIGTERM still stops the daemon (the streams end with it).
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit(timeout: 30) == 0, "\(daemon.stderr)")
    }
}
