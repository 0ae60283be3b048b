import Foundation
import Hummingbird
import HummingbirdTesting
import LeadHTTP
import LeadTestSupport
import Logging
import Prometheus
import Synchronization
import Testing

/// `http.max_connections` on the real server over loopback: at the cap the longest-idle connection
/// is closed for a new one; when every connection is busy with a request the new one is closed at once.
@Suite struct ConnectionGateTests {
    /// These run in the test process, whose concurrency pool the other suites share: on a busy
    /// 2-core machine a server may take long to start. Deadlines only catch a hang.
    static let patience: Double = 180

    /// Suspends callers until `open()`; no polling.
    final class Gate: Sendable {
        private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

        func wait() async {
            await withCheckedContinuation { continuation in
                let openAlready = state.withLock { state -> Bool in
                    if state.open { return true }
                    state.waiters.append(continuation)
                    return false
                }
                if openAlready { continuation.resume() }
            }
        }

        func open() {
            let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
                state.open = true
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.resume() }
        }
    }

    /// `GET /webhooks/hold` waits until released; counts how many are waiting.
    final class HoldingWebhooks: WebhookHandling {
        let waiting = Mutex(0)
        let released = Gate()

        func maxBodyBytes(for name: String) -> Int? { 1024 }
        func handlePost(name: String, method: String, uri: String, headers: [String: String],
                        query: [String: String], body: [UInt8], peer: String?) async -> WebhookReply {
            WebhookReply(status: 404, text: "no")
        }
        func handleGet(name: String, query: [String: String]) async -> WebhookReply {
            waiting.withLock { $0 += 1 }
            await released.wait()
            waiting.withLock { $0 -= 1 }
            return WebhookReply(status: 200, text: "held")
        }
    }

    /// Runs the server on a free loopback port (no test client of its own: every connection is the test's).
    func withServer(gate: ConnectionGate, webhooks: (any WebhookHandling)? = nil,
                    _ body: @escaping @Sendable (Int) async throws -> Void) async throws {
        let port = Mutex<Int?>(nil)
        let app = HTTPServer.makeApplication(
            address: .tcp(host: "127.0.0.1", port: 0), readiness: { ReadinessReport(checks: ["database": "ok"]) },
            metrics: PrometheusCollectorRegistry(), logger: Logger(label: "test"), webhooks: webhooks,
            // Far past any wait here: a loaded machine must not turn a slow test into an idle close.
            idleTimeout: .seconds(600), connectionGate: gate, onRunning: { address in port.withLock { $0 = address.split(separator: ":").last.flatMap { Int($0) } } })
        let server = Task { try await app.run() }
        defer { server.cancel() }
        try await body(try await poll("the server listening", timeout: Self.patience) { port.withLock { $0 } })
    }

    @Test func busyConnectionsRefuseANewOneAndAnIdleOneMakesRoom() async throws {
        let outcomes = Mutex<[ConnectionGate.Outcome]>([])
        let gate = ConnectionGate(limit: 2) { outcome in outcomes.withLock { $0.append(outcome) } }
        let webhooks = HoldingWebhooks()
        try await withServer(gate: gate, webhooks: webhooks) { port in
            defer { webhooks.released.open() }   // never leave the server waiting on a failed test
            // Two connections busy with a request each: the cap is reached.
            let busy = try (0..<2).map { _ in try RawConnection(port: port) }
            for connection in busy { connection.send("GET /webhooks/hold HTTP/1.1\r\nHost: a\r\n\r\n") }
            do {
                try await poll("both requests in the handler", timeout: Self.patience) { webhooks.waiting.withLock { $0 } == 2 ? true : nil }
            } catch {
                Issue.record("\(error): \(busy.map { $0.availableText() }) \(busy.map(\.closedByServer)) \(outcomes.withLock { $0 }) waiting \(webhooks.waiting.withLock { $0 })")
                return
            }
            // A third is closed at once, unanswered: refused at accept, not left waiting.
            let third = try RawConnection(port: port)
            try await poll("the third connection closed", timeout: Self.patience) { third.closedByServer ? true : nil }
            #expect(outcomes.withLock { $0 } == [.admitted, .admitted, .refused])
            #expect(busy.allSatisfy { !$0.closedByServer }, "busy connections are never closed for a new one")

            // Released, both answer and stay open (keep-alive) but idle: a new connection closes the
            // longest-idle one and is served.
            webhooks.released.open()
            try await poll("both answered", timeout: Self.patience) { busy.allSatisfy { $0.availableText().contains("held") } ? true : nil }
            // The gate learns a connection is idle when its response has been written, a moment
            // after the client reads it: a connection in that moment is still refused, so ask again.
            let health = try await poll("a new connection served", timeout: Self.patience) {
                try? await offPool { try httpRequest(port: port, path: "/livez", timeout: Int(Self.patience)) }
            }
            #expect(health.status == 200)
            // Asked again, a refusal may come first; the connection served made room by evicting.
            #expect(outcomes.withLock { $0 }.contains(.admittedByEvicting), "\(outcomes.withLock { $0 })")
            try await poll("one idle connection closed for it", timeout: Self.patience) { busy.filter(\.closedByServer).count == 1 ? true : nil }
            #expect(gate.openCount <= 2)
        }
    }

    @Test func underTheCapEveryConnectionIsAdmitted() async throws {
        let outcomes = Mutex<[ConnectionGate.Outcome]>([])
        let gate = ConnectionGate(limit: 10) { outcome in outcomes.withLock { $0.append(outcome) } }
        try await withServer(gate: gate) { port in
            let idle = try (0..<5).map { _ in try RawConnection(port: port) }
            // The server shares this process's pool with every other suite: wait as long as for its start.
            for _ in 0..<3 {
                let reply = try await offPool { try httpRequest(port: port, path: "/livez", timeout: Int(Self.patience)) }
                #expect(reply.status == 200, "\(outcomes.withLock { $0 })")
            }
            try await poll("eight admitted", timeout: Self.patience) { outcomes.withLock { $0.count } >= 8 ? true : nil }
            #expect(outcomes.withLock { $0 }.allSatisfy { $0 == .admitted })
            #expect(idle.allSatisfy { !$0.closedByServer })
        }
    }
}
