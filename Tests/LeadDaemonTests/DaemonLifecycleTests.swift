import Foundation
import LeadTestSupport
import Testing

/// End-to-end: the real leadrouterd binary, a real NOTIFY_SOCKET, real signals, real HTTP.
@Suite struct DaemonLifecycleTests {
    @Test func readyReloadBrokenReloadAndStop() async throws {
        let harness = try DaemonHarness(reps: 2)
        defer { harness.cleanup() }
        let daemon = try harness.start()

        // READY=1 once migrations ran and the listener is bound; /readyz answers 200.
        try await harness.notify.waitFor("READY=1")
        #expect(harness.notify.messages.contains { $0.hasPrefix("READY=1\nSTATUS=") && $0.contains("0 open leads") })
        #expect(try await harness.get("/readyz").status == 200)
        #expect(try await harness.get("/livez").status == 200)
        var status = try await harness.statusJSON()
        #expect(status["reps"] as? Int == 2)
        #expect((status["daemon"] as? [String: Any])?["config_generation"] as? Int == 1)
        #expect((status["daemon"] as? [String: Any])?["state"] as? String == "running")
        #expect((status["daemon"] as? [String: Any])?["pid"] as? Int == Int(daemon.pid))

        // SIGHUP with a changed valid file: RELOADING=1 (with MONOTONIC_USEC) then READY=1; change visible.
        try harness.writeConfig(reps: 3)
        var mark = harness.notify.assignments.count
        daemon.signal(SIGHUP)
        let reloading = try await harness.notify.waitFor("RELOADING=1", after: mark)
        try await harness.notify.waitFor("READY=1", after: reloading)
        #expect(harness.notify.messages.contains { $0.contains("RELOADING=1\nMONOTONIC_USEC=") })
        status = try await harness.statusJSON()
        #expect(status["reps"] as? Int == 3)
        #expect((status["daemon"] as? [String: Any])?["config_generation"] as? Int == 2)
        let metrics = try await harness.get("/metrics").body
        #expect(metrics.contains("leadrouter_config_generation 2"))
        #expect(metrics.contains(#"leadrouter_config_reloads_total{result="ok"} 1"#))

        // SIGHUP with a broken file: keeps running on the old configuration, error logged with the reason.
        try harness.writeRaw(DaemonHarness.config(reps: 1, port: harness.port, extra: "bogus_key = 1"))
        mark = harness.notify.assignments.count
        daemon.signal(SIGHUP)
        let secondReload = try await harness.notify.waitFor("RELOADING=1", after: mark)
        try await harness.notify.waitFor("READY=1", after: secondReload)
        #expect(daemon.isRunning)
        let logged = try await poll("the reload error in the log") {
            daemon.stderr.contains("configuration reload failed") ? daemon.stderr : nil
        }
        #expect(logged.contains("scheduler.bogus_key: unknown key"))
        status = try await harness.statusJSON()
        #expect(status["reps"] as? Int == 3)
        #expect((status["daemon"] as? [String: Any])?["config_generation"] as? Int == 2)
        #expect(try await harness.get("/readyz").status == 200)
        #expect(try await harness.get("/metrics").body.contains(#"leadrouter_config_reloads_total{result="failed"} 1"#))

        // SIGTERM: STOPPING=1 and exit 0.
        mark = harness.notify.assignments.count
        daemon.signal(SIGTERM)
        try await harness.notify.waitFor("STOPPING=1", after: mark)
        #expect(try await daemon.waitForExit() == 0)
        #expect(daemon.stderr.contains("daemon stopped"))
    }

    @Test func sigintAlsoStopsGracefully() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        let daemon = try harness.start()
        try await harness.notify.waitFor("READY=1")
        daemon.signal(SIGINT)
        try await harness.notify.waitFor("STOPPING=1")
        #expect(try await daemon.waitForExit() == 0)
    }

    @Test func anInvalidConfigAtStartExits78WithTheErrorsOnStderr() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        try harness.writeRaw("""
        [http]
        listen = "127.0.0.1:\(harness.port)"
        [store]
        synchronous = "sometimes"
        """)
        let daemon = try harness.start()
        #expect(try await daemon.waitForExit() == 78)
        #expect(daemon.stderr.contains("leadrouter.toml:4: store.synchronous: \"sometimes\" is not one of \"full\", \"normal\""))
        #expect(!harness.notify.assignments.contains("READY=1"))
        #expect(!FileManager.default.fileExists(atPath: harness.folder.file("state/leadrouter.sqlite").path))
    }

    @Test func theWatchdogIsPattedFromTheWorkLoop() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        // 2 s watchdog: the loop must wake at least every second to pat it.
        let daemon = try harness.start(environment: ["WATCHDOG_USEC": "2000000"])
        let ready = try await harness.notify.waitFor("READY=1")
        let first = try await harness.notify.waitFor("WATCHDOG=1", after: ready)
        try await harness.notify.waitFor("WATCHDOG=1", after: first + 1)
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }

    @Test func aPortInUseFailsTheStartWithoutReady() async throws {
        let blocker = try DaemonHarness()
        defer { blocker.cleanup() }
        _ = try blocker.start()
        try await blocker.notify.waitFor("READY=1")

        let harness = try DaemonHarness(port: blocker.port)
        defer { harness.cleanup() }
        let daemon = try harness.start()
        let status = try await daemon.waitForExit()
        #expect(status != 0)
        #expect(daemon.stderr.contains("daemon failed"))
        #expect(daemon.stderr.contains("Address already in use"))
        #expect(!daemon.stderr.contains("daemon stopping"))
        #expect(!harness.notify.assignments.contains("READY=1"))
    }
}

@Suite struct UnixSocketListenTests {
    @Test func theDaemonCanListenOnAUnixSocketAndReplacesAStaleOne() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        let socketPath = harness.folder.file("http.sock").path
        // A socket left behind by a crashed run must not stop the next start.
        let stale = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        let address = try #require(unixSocketAddress(socketPath))
        #expect(withSockaddr(address) { bind(stale, $0, $1) } == 0)
        close(stale)
        #expect(FileManager.default.fileExists(atPath: socketPath))

        try harness.writeRaw(DaemonHarness.config(reps: 1, port: harness.port).replacingOccurrences(
            of: "listen = \"127.0.0.1:\(harness.port)\"", with: "listen = \"unix:http.sock\""))
        let daemon = try harness.start()
        try await harness.notify.waitFor("READY=1")
        let response = try await offPoolRequest(unixSocket: socketPath, path: "/readyz")
        #expect(response.status == 200)
        #expect(response.body.contains("\"ready\":true"))
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }
}
