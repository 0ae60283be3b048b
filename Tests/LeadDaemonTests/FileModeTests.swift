import Foundation
import LeadTestSupport
import Testing

/// Issue 14: the files the daemon makes are its own whatever the umask it was started with (outside
/// the unit, whose `UMask=0077` hides this): a state directory it creates is 0700, the database and
/// its `-wal` and `-shm` are 0600, and a quarantine `.reason` sidecar is 0600.
@Suite struct FileModeTests {
    func mode(_ path: String) -> mode_t? {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & 0o7777 : nil
    }

    @Test func underAnOpenUmaskTheDatabaseAndSidecarsAreTheServiceUsersAlone() async throws {
        let harness = try DaemonHarness()
        defer { harness.cleanup() }
        try harness.writeConfig(reps: 1, extra: "[[maildrop]]\nname = \"inbox\"\npath = \"drop\"\n")
        let daemon = try harness.start(umask: "000")
        try await harness.notify.waitFor("READY=1")
        // Something to quarantine, so a sidecar is written.
        try harness.deliver("Subject: nothing to reach\r\n\r\nno address, no phone\r\n", to: "drop", as: "1.bad.host")
        let sidecar = harness.folder.file("drop/quarantine/1.bad.host.reason").path
        try await poll("the quarantine sidecar") { FileManager.default.fileExists(atPath: sidecar) ? true : nil }
        let state = harness.folder.file("state").path
        let database = state + "/leadrouter.sqlite"
        #expect(mode(state) == 0o700)
        for file in [database, database + "-wal", database + "-shm", sidecar] {
            #expect(mode(file) == 0o600, "\(file): \(String(mode(file) ?? 0, radix: 8))")
        }
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)

        // A database made wider by hand (another umask, a copy) is narrowed at the next start.
        #expect(chmod(database, 0o666) == 0)
        let mark = harness.notify.assignments.count
        let again = try harness.start(umask: "000")
        try await harness.notify.waitFor("READY=1", after: mark)
        #expect(mode(database) == 0o600)
        #expect(mode(database + "-wal") == 0o600)
        again.signal(SIGTERM)
        #expect(try await again.waitForExit() == 0)
    }
}
