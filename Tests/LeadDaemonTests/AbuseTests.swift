import Crypto
import GRDB
import Foundation
import LeadTestSupport
import Testing

/// Slow and idle clients, oversized headers: bounded by the daemon, which keeps serving others.
@Suite struct AbuseTests {
    /// Connects, sends `bytes`, then waits for the server to close the connection; returns how long
    /// that took, or nil if it was still open after `limit` seconds.
    static func secondsUntilClosed(port: Int, sending bytes: String, limit: Int) throws -> Double? {
        let connection = try RawConnection(port: port)
        let fd = connection.fd
        var timeout = timeval(tv_sec: limit, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        if !bytes.isEmpty { connection.send(bytes) }
        let start = Date()
        var buffer = [UInt8](repeating: 0, count: 4096)
        return withExtendedLifetime(connection) {   // the descriptor stays open while it is read
            while true {
                let n = recv(fd, &buffer, buffer.count, 0)
                if n == 0 { return Date().timeIntervalSince(start) }   // closed by the server
                if n < 0 { return errno == EAGAIN || errno == EWOULDBLOCK ? nil : Date().timeIntervalSince(start) }
            }
        }
    }

    @Test func idleAndSlowClientsAreCutOffAndOthersAreServed() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        try harness.writeConfig(reps: 1, extra: "")
        try harness.writeRaw(try String(contentsOf: URL(fileURLWithPath: harness.configPath), encoding: .utf8)
            .replacingOccurrences(of: "[http]\n", with: "[http]\nidle_timeout = \"1s\"\nmax_header_size = \"2KiB\"\n"))
        let daemon = try harness.start()
        try await harness.notify.waitFor("READY=1")
        let port = harness.port
        // Connected but silent, and a request whose headers stop half-way (slowloris).
        async let idle = offPool { try AbuseTests.secondsUntilClosed(port: port, sending: "", limit: 10) }
        async let slow = offPool { try AbuseTests.secondsUntilClosed(port: port, sending: "POST /webhooks/x HTTP/1.1\r\nHost: a\r\nX-Slow: ", limit: 10) }
        // Meanwhile others are served.
        #expect(try await harness.get("/livez").status == 200)
        let (idleSeconds, slowSeconds) = try await (idle, slow)
        #expect(idleSeconds.map { $0 < 5 } == true, "an idle connection is closed after idle_timeout: \(String(describing: idleSeconds))")
        #expect(slowSeconds.map { $0 < 5 } == true, "a stalled request is closed too: \(String(describing: slowSeconds))")
        // A header block over max_header_size gets an error and the connection ends; nothing is taken.
        let huge = "GET /livez HTTP/1.1\r\nHost: a\r\nX-Big: \(String(repeating: "a", count: 8_000))\r\n\r\n"
        let closed = try await offPool { try AbuseTests.secondsUntilClosed(port: port, sending: huge, limit: 10) }
        #expect(closed.map { $0 < 5 } == true)
        #expect(try await harness.get("/readyz").status == 200, "still serving")
        #expect(daemon.isRunning)
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }

    @Test func aFloodFromOneSourceGets429AndTheSourceRecovers() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        try harness.writeWebhookSecrets()
        try harness.writeRaw(DaemonHarness.signedWebhookHeader(port: harness.port) + "rate_limit = 1\n" + routedConfig(reps: ["r1"]))
        let daemon = try harness.start()
        try await harness.notify.waitFor("READY=1")
        // A concurrent burst of 30 against a bucket of one request a second: at least one is taken,
        // and some get 429 unless the burst took half a minute (no dependence on the machine's speed:
        // sequential requests slower than the refill rate never see a 429).
        let numbered = try await withThrowingTaskGroup(of: (Int, HTTPResponse).self) { group in
            for i in 0..<30 {
                let body = "{\"email\":\"flood\(i)@corp.example.cn\"}"
                group.addTask { (i, try await harness.post("/webhooks/site", body, headers: signed(body, id: "flood-\(i)"))) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }.sorted { $0.0 < $1.0 }
        let replies = numbered.map(\.1)
        let statuses = replies.map(\.status)
        let accepted = statuses.filter { $0 == 201 }.count
        #expect(accepted >= 1 && accepted < 30, "\(statuses)")
        let limited = try #require(replies.first { $0.status == 429 }, "\(statuses)")
        #expect((limited.headers["retry-after"] ?? limited.headers["Retry-After"]) == "1")
        #expect(Set(statuses).isSubset(of: [201, 429]))
        // A refused request loses nothing: redelivered after a second, it is taken.
        let refused = try #require(statuses.firstIndex(of: 429))
        try await poll("the redelivery taken", timeout: 30) {
            let body = "{\"email\":\"flood\(refused)@corp.example.cn\"}"
            return try await harness.post("/webhooks/site", body, headers: signed(body, id: "flood-\(refused)")).status == 201 ? true : nil
        }
        #expect(try await harness.get("/metrics").body.contains("leadrouter_intake_rejected_total{channel=\"webhook\",reason=\"rate_limited\"}"))
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }
}

/// Bytes and paths chosen to hurt: NUL, escape and CR/LF in form fields, bytes that are not
/// UTF-8, and `..` in every path segment the daemon reads. Against the real daemon over HTTP.
@Suite struct HostileInputTests {
    func signedBytes(_ body: [UInt8], id: String) -> [String: String] {
        let secret = Array(Data(base64Encoded: String(webhookSecret.dropFirst(6)))!)
        let ts = String(Int(Date().timeIntervalSince1970))
        let mac = HMAC<SHA256>.authenticationCode(for: Array("\(id).\(ts).".utf8) + body, using: SymmetricKey(data: secret))
        return ["webhook-id": id, "webhook-timestamp": ts, "webhook-signature": "v1,\(Data(mac).base64EncodedString())"]
    }

    @Test func controlCharactersAndBadUTF8InFieldsAreCleanedNotStoredOrCrashedOn() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        let daemon = try await harness.startWithWebhooks(extra: """
        [[webhook]]
        name = "form"
        format = "form"
        secret_file = "site.secret"
        """)
        let port = harness.port
        func post(_ path: String, _ body: [UInt8], _ headers: [String: String]) async throws -> HTTPResponse {
            try await offPool { try httpRequest("POST", port: port, path: path, body: Data(body), headers: headers) }
        }
        // A form: NUL and ESC in the name, CR/LF (a header injection attempt) in the company, and
        // percent-escapes that decode to bytes that are not UTF-8.
        let form = Array("name=Wang%00Wei%1B&company=ACME%0D%0ABcc:%20x@evil.example&email=w@corp.example.cn&city=%FF%FEcity".utf8)
        var headers = signedBytes(form, id: "form-1")
        headers["content-type"] = "application/x-www-form-urlencoded"
        #expect(try await post("/webhooks/form", form, headers).status == 201)
        // JSON whose strings carry raw bytes that are not UTF-8 (a GBK form posting "JSON"): JSON is
        // UTF-8 (RFC 8259), so it is refused as malformed and kept in quarantine for the admin.
        let json = Array(#"{"email":"g@corp.example.cn","name":""#.utf8) + [0xD5, 0xC5, 0xCE, 0xB0] + Array(#""}"#.utf8)
        var jsonHeaders = signedBytes(json, id: "json-1")
        jsonHeaders["content-type"] = "application/json"
        #expect(try await post("/webhooks/site", json, jsonHeaders).status == 400)
        // A JSON NUL escape: refused as malformed and kept in quarantine, not half-stored.
        let nul = #"{"email":"n@corp.example.cn","name":"a\u0000b"}"#
        #expect(try await harness.post("/webhooks/site", nul, headers: signed(nul, id: "nul-1")).status == 400)

        let row = try await harness.query { db -> [String?]? in
            try Row.fetchOne(db, sql: "SELECT name, company, city, length(CAST(name AS BLOB)) AS bytes FROM leads WHERE email = 'w@corp.example.cn'")
                .map { [$0["name"], $0["company"], $0["city"], ($0["bytes"] as Int?).map(String.init)] }
        }
        let lead = try #require(row)
        #expect(lead[0] == "WangWei")
        #expect(lead[3] == "7", "no NUL hidden behind the C string")
        #expect(lead[1] == "ACME  Bcc: x@evil.example")
        // Bytes that fit no charset are guessed (GB18030, else Latin-1), never dropped silently.
        #expect(lead[2] == "ÿþcity")
        #expect(try await harness.count("SELECT COUNT(*) FROM leads") == 1)
        #expect(try await harness.count("SELECT COUNT(*) FROM quarantine") == 2, "every request is one lead or one quarantine entry")
        #expect(daemon.isRunning)
    }

    @Test func dotDotInPathsReachesNothing() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        let daemon = try await harness.startWithWebhooks()
        let body = #"{"email":"p@corp.example.cn"}"#
        for path in ["/webhooks/..%2Fsite", "/webhooks/%2e%2e/site", "/webhooks/site/..", "/webhooks/../webhooks/x",
                     "/leads/..%2F1/status", "/../../../../etc/passwd", "/webhooks/..%2F..%2F..%2Fetc%2Fpasswd"] {
            let response = try await harness.post(path, body, headers: signed(body, id: "p-\(path.hashValue)"))
            #expect([400, 401, 404].contains(response.status), "\(path): \(response.status)")
            #expect(!response.body.contains("root:"), "\(path)")
            let get = try await harness.get(path)
            #expect([400, 401, 404, 405].contains(get.status), "GET \(path): \(get.status)")
            #expect(!get.body.contains("root:"), "GET \(path)")
        }
        #expect(try await harness.count("SELECT COUNT(*) FROM leads") == 0)
        #expect(daemon.isRunning)
    }
}

/// Issue 14 item 4: unsigned requests cannot spend a source's rate limit, and a peer that keeps
/// failing authentication is slowed down without touching other peers. The flood comes from
/// 127.0.0.2 (curl --interface), the real sender from 127.0.0.1.
@Suite struct AuthenticatedRateLimitTests {
    @Test func anUnsignedFloodNeitherSpendsTheRateLimitNorBlocksTheSigner() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        try harness.writeWebhookSecrets()
        let header = DaemonHarness.signedWebhookHeader(port: harness.port).replacingOccurrences(
            of: "admin_token_file = \"admin.token\"", with: "admin_token_file = \"admin.token\"\nfailed_auth_limit = 1")
        try harness.writeRaw(header + "rate_limit = 1\n" + routedConfig(reps: ["r1"]))
        let daemon = try harness.start()
        try await harness.notify.waitFor("READY=1")
        // 40 unsigned requests at once from another address.
        var arguments = ["-s", "-Z", "--parallel-max", "40", "--interface", "127.0.0.2", "-w", "%{http_code}\\n"]
        for _ in 0..<40 {
            arguments += ["-o", "/dev/null", "-X", "POST", "-H", "content-type: application/json", "--data", #"{"email":"x@evil.example"}"#,
                          "http://127.0.0.1:\(harness.port)/webhooks/site"]
        }
        let flood = try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/curl"), arguments, in: harness.folder.url, name: "flood")
        let codes = flood.stdout.split(separator: "\n").compactMap { Int($0) }
        #expect(codes.count == 40, "\(flood.stdout) \(flood.stderr)")
        #expect(Set(codes).isSubset(of: [401, 429]), "\(codes)")
        #expect(codes.contains(429), "the failing peer is slowed down: \(codes)")
        // The real sender, from 127.0.0.1, right after: its bucket is untouched and it is not blocked.
        let body = #"{"email":"real@corp.example.cn"}"#
        let reply = try await harness.post("/webhooks/site", body, headers: signed(body, id: "real-1"))
        #expect(reply.status == 201, "\(reply.status) \(reply.body)")
        let metrics = try await harness.get("/metrics").body
        #expect(!metrics.contains("reason=\"rate_limited\""), "unsigned requests spent the source's rate limit")
        #expect(metrics.contains("reason=\"auth_rate_limited\""))
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }
}
