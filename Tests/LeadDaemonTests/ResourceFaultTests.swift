import Foundation
import LeadTestSupport
import Testing

/// A disk that fills up, made real with a small tmpfs in a private mount namespace, and a state
/// directory that is read-only at start (a read-only bind mount); root and unshare, skipped with
/// a message elsewhere. A state directory turning read-only under a running daemon cannot be
/// staged: the kernel refuses to remount read-only while SQLite holds its files open for writing
/// (EBUSY). Its failed writes take the same path as the full disk's (503, /readyz with the reason).
let canUseMountNamespace = getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare")

@Suite(.enabled(if: canUseMountNamespace, "needs root and unshare for a private tmpfs"))
struct ResourceFaultTests {
    @Test func aFullDiskRefusesNewLeadsAndRecoversWhenSpaceReturns() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        try harness.writeWebhookSecrets()
        try harness.writeRaw(DaemonHarness.signedWebhookHeader(port: harness.port) + routedConfig(reps: ["r1"]))
        try FileManager.default.createDirectory(at: harness.folder.file("state"), withIntermediateDirectories: true)
        let folder = harness.folder.url.path
        // Inside the namespace: a 6 MiB tmpfs as the state directory, and a helper that fills it and
        // frees it when a trigger file appears.
        let script = """
        set -e
        mount -t tmpfs -o size=6m tmpfs "\(folder)/state"
        ( while true; do
            if [ -e "\(folder)/fill" ]; then dd if=/dev/zero of="\(folder)/state/filler" bs=65536 2>/dev/null || true; rm -f "\(folder)/fill"; touch "\(folder)/filled"; fi
            if [ -e "\(folder)/free" ]; then rm -f "\(folder)/state/filler" "\(folder)/free"; fi
            sleep 0.05
          done ) &
        helper=$!
        echo $helper > "\(folder)/helper.pid"
        "\(RepositoryPaths.product("leadrouterd").path)" --config "\(harness.configPath)" &
        daemon=$!
        echo $daemon > "\(folder)/daemon.pid"
        status=0
        wait $daemon || status=$?
        kill -9 $helper
        exit $status
        """
        // The shell waits for the daemon and then ends the helper, so nothing outlives the test.
        let shell = try ChildProcess(executable: URL(fileURLWithPath: "/usr/bin/unshare"),
                                      arguments: ["-m", "--propagation", "private", "/bin/bash", "-c", script],
                                      environment: ["NOTIFY_SOCKET": harness.notify.path], outputDirectory: harness.folder.url, name: "leadrouterd")
        defer {
            // On a failure half-way: the daemon and the helper by their own pids, then the shell.
            for name in ["daemon.pid", "helper.pid"] {
                if let text = try? String(contentsOf: harness.folder.file(name), encoding: .utf8), let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                    kill(pid, SIGKILL)
                }
            }
            shell.stop()
        }
        try await harness.notify.waitFor("READY=1")
        let pidText = try String(contentsOf: harness.folder.file("daemon.pid"), encoding: .utf8)
        let daemonPID = try #require(Int32(pidText.trimmingCharacters(in: .whitespacesAndNewlines)))
        func post(_ i: Int) async throws -> Int {
            let body = "{\"name\":\"客户\(i)\",\"email\":\"disk\(i)@corp.example.cn\"}"
            return try await harness.post("/webhooks/site", body, headers: signed(body, id: "disk-\(i)")).status
        }
        func trigger(_ name: String) throws { try harness.folder.write(name, "") }
        #expect(try await post(1) == 201)

        // The disk fills: once SQLite needs a new block, leads are refused (the sender redelivers)
        // and /readyz says why. (Writes that fit the WAL's existing space still succeed.)
        try trigger("fill")
        try await poll("the disk full", timeout: 60) { FileManager.default.fileExists(atPath: harness.folder.file("filled").path) ? true : nil }
        var next = 100
        var refused = 0
        try await poll("writes refused", timeout: 30) {
            next += 1
            if try await post(next) == 503 { refused = next; return true }
            return nil
        }
        try await poll("/readyz naming it", timeout: 60) {
            let ready = try await harness.readyzAsAdmin()
            return ready.status == 503 && ready.body.contains("full") ? true : nil
        }
        #expect(shell.isRunning && kill(daemonPID, 0) == 0, "the daemon stays up")
        try trigger("free")
        try await poll("ready again", timeout: 60) { try await harness.get("/readyz").status == 200 ? true : nil }
        #expect(try await post(refused) == 201, "the redelivery is taken")

        // Every acknowledged lead is there: 1, and 101…refused (the last one after the disk freed).
        let expected = 1 + (refused - 100)
        try await poll("\(expected) leads kept", timeout: 30) {
            try await harness.get("/metrics").body.contains("leadrouter_leads_total \(expected)") ? true : nil
        }
        kill(daemonPID, SIGTERM)
        #expect(try await shell.waitForExit() == 0, "\(shell.stderr.suffix(2000))")
    }

    /// SQLite alone says "unable to open database file"; the daemon names the directory and the
    /// reason and exits 73, which systemd's Restart=on-failure retries until the mount is writable.
    @Test func aReadOnlyStateDirectoryStopsTheStartWithItsReasonAndAStartAfterItClearsWorks() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        let state = harness.folder.file("state").path
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let script = """
        set -e
        mount --bind "\(state)" "\(state)"
        mount -o remount,bind,ro "\(state)"
        exec "\(RepositoryPaths.product("leadrouterd").path)" --config "\(harness.configPath)"
        """
        let readOnly = try ChildProcess(executable: URL(fileURLWithPath: "/usr/bin/unshare"),
                                        arguments: ["-m", "--propagation", "private", "/bin/bash", "-c", script],
                                        environment: ["NOTIFY_SOCKET": harness.notify.path], outputDirectory: harness.folder.url,
                                        name: "leadrouterd-ro")
        defer { readOnly.stop() }
        #expect(try await readOnly.waitForExit(timeout: 30) == 73)
        #expect(readOnly.stderr.contains("state directory \(state) is not writable: Read-only file system"), "\(readOnly.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: state).isEmpty, "nothing was created")
        #expect(!harness.notify.messages.contains { $0.contains("READY=1") })

        // The mount gone (what a restart after the file system is repaired sees): it starts.
        let daemon = try harness.start()
        _ = try await harness.notify.waitFor("READY=1")
        #expect(try await harness.get("/readyz").status == 200)
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }
}
