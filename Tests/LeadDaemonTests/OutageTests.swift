import Foundation
import LeadIngest
import LeadTestSupport
import Testing

/// Resource faults against the real daemon: it stays up, says why, refuses what it cannot keep,
/// and recovers by itself when the fault clears.
@Suite(.serialized) struct OutageTests {
    @Test func aDatabaseLockedByAnotherProcess() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        let daemon = try await harness.startWithSLA("""
            [store]
            busy_timeout = "1s"
            [[maildrop]]
            name = "drop"
            path = "spool"
            rescan_interval = "1s"
            """)
        #expect(try await harness.postLead(1) == 201)
        // Another process takes the write lock and holds it until a line arrives on a FIFO.
        let release = harness.folder.file("release")
        #expect(mkfifo(release.path, 0o600) == 0)
        let locker = try ChildProcess(executable: URL(fileURLWithPath: "/usr/bin/env"), arguments: ["python3", "-c", """
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=5)
            c.execute("BEGIN EXCLUSIVE")
            print("LOCKED", flush=True)
            open(sys.argv[2]).read()
            c.execute("ROLLBACK")
            """, harness.folder.file("state/leadrouter.sqlite").path, release.path], outputDirectory: harness.folder.url, name: "locker")
        defer { locker.stop() }
        try await poll("the lock taken", timeout: 30) { locker.stdout.contains("LOCKED") ? true : nil }

        #expect(try await harness.postLead(2) == 503, "a webhook the store cannot keep is refused, to be redelivered")
        let file = try MaildirSpool.deliver(Array("From: a@b.example.cn\r\nSubject: x\r\n\r\n电话：13900001111\r\n".utf8), to: harness.folder.file("spool"))
        try await poll("/readyz saying why", timeout: 60) {
            let ready = try await harness.readyzAsAdmin()
            return ready.status == 503 && ready.body.contains("writes failing") && ready.body.contains("locked") ? true : nil
        }
        let waiting = ["new", "cur"].contains { FileManager.default.fileExists(atPath: harness.folder.file("spool/\($0)/\(file)").path) }
        #expect(waiting, "the mail stays in the spool (new/, or cur/ while a pass waits on the lock)")
        #expect(try await harness.count("SELECT COUNT(*) FROM quarantine") == 0, "not quarantined for a lock")
        #expect(daemon.isRunning)

        let path = release.path
        try await offPool { FileHandle(forWritingAtPath: path)?.closeFile() }   // the locker reads EOF and rolls back
        _ = try await locker.waitForExit()
        try await poll("ready again", timeout: 60) { try await harness.get("/readyz").status == 200 ? true : nil }
        #expect(try await harness.postLead(2) == 201, "the redelivery is taken")
        try await poll("the mail taken", timeout: 60) {
            try await harness.count("SELECT COUNT(*) FROM leads WHERE origin_channel = 'maildrop'") == 1 ? true : nil
        }
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }
}
