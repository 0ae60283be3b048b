import Foundation
@testable import LeadDaemon
import LeadTestSupport
import Testing

/// Issue 14 item 3: the repository's example secrets are public. The install generates fresh
/// ones; the daemon warns when a published one is in use.
@Suite struct PublishedSecretTests {
    @Test func theKnownDigestsAreExactlyTheShippedSecrets() throws {
        let folder = RepositoryPaths.root.appendingPathComponent("Config/secrets")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".secret") }
        #expect(!files.isEmpty)
        for file in files {
            var value = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            while value.hasSuffix("\n") { value.removeLast() }
            #expect(PublishedSecrets.isPublished(value), "\(file) is shipped but not known as published")
        }
        #expect(PublishedSecrets.digests.count == files.count)
        #expect(!PublishedSecrets.isPublished("whsec_" + String(repeating: "A", count: 43)))
    }

    @Test func theInstallGeneratesFreshSecretsAndKeepsExistingOnes() async throws {
        let folder = try TemporaryDirectory(prefix: "lr-secrets")
        defer { folder.remove() }
        let target = folder.url.appendingPathComponent("etc/secrets")
        let script = RepositoryPaths.root.appendingPathComponent("scripts/lib/install-secrets")
        let first = try await ChildProcess.run(script, [target.path], in: folder.url, name: "install-secrets")
        #expect(first.status == 0, "\(first.stderr)")
        let secret = try String(contentsOf: target.appendingPathComponent("site-form.secret"), encoding: .utf8)
        #expect(secret.hasPrefix("whsec_") && secret.count > 40)
        #expect(!PublishedSecrets.isPublished(String(secret.dropLast())))
        let token = try String(contentsOf: target.appendingPathComponent("admin.token"), encoding: .utf8)
        #expect(token.count >= 40)
        for name in ["site-form.secret", "admin.token"] {
            let mode = try FileManager.default.attributesOfItem(atPath: target.appendingPathComponent(name).path)[.posixPermissions] as? Int
            #expect(mode == 0o640, "\(name)")
        }
        let again = try await ChildProcess.run(script, [target.path], in: folder.url, name: "install-secrets-2")
        #expect(again.status == 0)
        #expect(try String(contentsOf: target.appendingPathComponent("site-form.secret"), encoding: .utf8) == secret, "kept")
    }

    @Test func theDaemonWarnsWhenAPublishedSecretIsInUse() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        try FileManager.default.copyItem(at: RepositoryPaths.root.appendingPathComponent("Config/secrets/site-form.secret"),
                                         to: harness.folder.file("published.secret"))
        let config = DaemonHarness.config(reps: 1, port: harness.port, extra: """
            [[webhook]]
            name = "site"
            format = "json"
            secret_file = "published.secret"
            """)
        try harness.writeRaw(config)
        let daemon = try harness.start()
        try await harness.notify.waitFor("READY=1")
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
        #expect(daemon.stderr.contains("published secret in use"), "\(daemon.stderr)")
        #expect(daemon.stderr.contains("webhook site secret_file"))
    }
}

/// Issue 14 item 8: `/metrics` can live on its own listener, away from the webhooks.
@Suite struct MetricsListenTests {
    @Test func metricsMoveToTheirOwnListener() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        let metricsPort = try freeLocalPort()
        let config = DaemonHarness.config(reps: 1, port: harness.port).replacingOccurrences(
            of: "listen = \"127.0.0.1:\(harness.port)\"", with: "listen = \"127.0.0.1:\(harness.port)\"\nmetrics_listen = \"127.0.0.1:\(metricsPort)\"")
        try harness.writeRaw(config)
        let daemon = try harness.start()
        try await harness.notify.waitFor("READY=1")
        #expect(try await harness.get("/metrics").status == 404, "not beside the webhooks")
        #expect(try await harness.get("/livez").status == 200)
        let metrics = try await poll("the metrics listener") { () -> HTTPResponse? in
            let response = try? await offPool { try httpRequest(port: metricsPort, path: "/metrics") }
            return response?.status == 200 ? response : nil
        }
        #expect(metrics.body.contains("leadrouter_scheduler_ticks_total"))
        #expect(try await offPool { try httpRequest(port: metricsPort, path: "/webhooks/site") }.status == 404)
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }
}
