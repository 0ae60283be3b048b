import Foundation
import Hummingbird
import HummingbirdTesting
import LeadHTTP
import LeadTestSupport
import Logging
import Prometheus
import Synchronization
import Testing

@Suite struct HealthRoutesTests {
    /// Runs the real server on a loopback port (HummingbirdTesting `.live`).
    func withServer(ready: @escaping @Sendable () -> ReadinessReport,
                    _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let registry = PrometheusCollectorRegistry()
        registry.makeCounter(name: "leadrouter_test_total", help: "a test counter").increment(by: Int64(3))
        let router = Router()
        HealthRoutes.register(on: router, readiness: { ready() }, metrics: registry, showsDetail: { $0 == "admin-secret-token" })
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in try await body(client) }
    }

    @Test func livezAnswersWhileTheProcessRuns() async throws {
        try await withServer(ready: { ReadinessReport(checks: ["database": "ok"]) }) { client in
            try await client.execute(uri: "/livez", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "ok\n")
            }
        }
    }

    @Test func readyzIs200WhenEveryCheckPassesAnd503WithTheReasonOtherwise() async throws {
        let healthy = Mutex(true)
        try await withServer(ready: {
            healthy.withLock { $0 } ? ReadinessReport(checks: ["database": "ok"])
                : ReadinessReport(checks: ["database": "disk I/O error"])
        }) { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"checks":{"database":"ok"},"ready":true}"#)
            }
            healthy.withLock { $0 = false }
            // Anyone learns which check fails; only the admin token learns why (issue 14).
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(String(buffer: response.body) == #"{"checks":{"database":"failing"},"ready":false}"#)
            }
            try await client.execute(uri: "/readyz", method: .get, headers: [.authorization: "Bearer wrong"]) { response in
                #expect(String(buffer: response.body) == #"{"checks":{"database":"failing"},"ready":false}"#)
            }
            try await client.execute(uri: "/readyz", method: .get, headers: [.authorization: "Bearer admin-secret-token"]) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(String(buffer: response.body) == #"{"checks":{"database":"disk I\/O error"},"ready":false}"#)
            }
        }
    }

    @Test func metricsAreInPrometheusTextFormat() async throws {
        try await withServer(ready: { ReadinessReport(checks: [:]) }) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                let text = String(buffer: response.body)
                #expect(text.contains("# TYPE leadrouter_test_total counter"))
                #expect(text.contains("leadrouter_test_total 3"))
            }
        }
    }

    @Test func unknownPathsAre404() async throws {
        try await withServer(ready: { ReadinessReport(checks: [:]) }) { client in
            try await client.execute(uri: "/admin", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }
}
