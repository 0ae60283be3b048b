import Foundation
import LeadCore
@testable import LeadDaemon
import LeadIngest
import LeadTestSupport
import Testing

/// Issue 14, items 1 and 2: what a hostile file in `new/` can do. Real symlinks, hard links and
/// FIFOs in a real Maildir, through the real intake into a real SQLite store.
@Suite struct MaildropTrustTests {
    @Test func linksAndFIFOsAreQuarantinedUnreadAndNeverStallTheScan() async throws {
        let f = try await MaildropFixture()
        let outside = f.base.folder.file("outside-token.txt")
        try Data("From: attacker@example.cn\r\nSubject: x\r\n\r\nTOKEN-SECRET-4242 call 13800138000\r\n".utf8).write(to: outside)
        f.base.clock.set(Date().addingTimeInterval(120))            // the links below were made "minutes ago"
        #expect(symlink(outside.path, f.spool.path(.new, "1.symlink.host")) == 0)
        #expect(link(outside.path, f.spool.path(.new, "2.hardlink.host")) == 0)
        #expect(mkfifo(f.spool.path(.new, "3.fifo.host"), 0o600) == 0)
        #expect(mkfifo(f.spool.path(.new, "4.fifo.host"), 0o600) == 0)
        try f.put(gbkWebForm, in: .new, as: "5.mail.host")

        // The scan ends (a FIFO opened for reading would block it forever): polled with a deadline.
        let scan = Task { try await f.intake.scan() }
        try await poll("the scan to finish", timeout: 30) { f.spool.names(in: .new).isEmpty && f.spool.names(in: .cur).isEmpty ? true : nil }
        _ = try await scan.value

        #expect(try await f.store.summary().leadsTotal == 1)
        #expect(try await f.store.lead(LeadID(1))?.draft.name == "王小明")
        let held = try await f.store.quarantined(limit: 10)
        let reasons = Dictionary(uniqueKeysWithValues: held.map { ($0.origin.key, $0.reason) })
        #expect(reasons["1.symlink.host"] == "not a regular file (a symbolic link): quarantined unread")
        #expect(reasons["2.hardlink.host"] == "a hard link (2 names for one file): quarantined unread")
        #expect(reasons["3.fifo.host"] == "not a regular file (a FIFO): quarantined unread")
        #expect(reasons["4.fifo.host"] == "not a regular file (a FIFO): quarantined unread")
        for entry in held {
            #expect(try await f.store.quarantineRaw(entry.id)?.1.body.isEmpty == true, "\(entry.origin.key) was read")
        }
        // Nothing of the outside file reached the database (WAL included), and it is untouched.
        for suffix in ["", "-wal"] {
            let bytes = (try? Data(contentsOf: URL(fileURLWithPath: f.base.context.state.snapshot.configuration.state.databaseFile.path + suffix))) ?? Data()
            #expect(bytes.range(of: Data("TOKEN-SECRET-4242".utf8)) == nil, "the secret is in the database\(suffix)")
        }
        #expect(try String(contentsOf: outside, encoding: .utf8).contains("TOKEN-SECRET-4242"))
        #expect(Set(f.spool.names(in: .quarantine)) == ["1.symlink.host", "2.hardlink.host", "3.fifo.host", "4.fifo.host"])
    }

    @Test func aHardLinkMadeMomentsAgoIsADeliveryInProgressAndWaits() async throws {
        let f = try await MaildropFixture()
        let tmp = f.spool.path(.tmp, "6.linked.host")
        try Data(gbkWebForm).write(to: URL(fileURLWithPath: tmp))
        f.base.clock.set(Date())
        #expect(link(tmp, f.spool.path(.new, "6.linked.host")) == 0)  // qmail: link into new/ …
        #expect(try await f.intake.scan() == 1)
        #expect(f.spool.names(in: .new) == ["6.linked.host"], "put back, not quarantined")
        #expect(try await f.store.quarantined(limit: 10).isEmpty)
        #expect(unlink(tmp) == 0)                                    // … then unlink from tmp/
        #expect(try await f.intake.scan() == 1)
        #expect(try await f.store.summary().leadsTotal == 1)
    }
}

extension MaildropTrustTests {
    /// Issue 14 item 8: a 250-byte name (no room for its `.reason` sidecar) and a dot-file both get a
    /// defined outcome and never block a scan.
    @Test func longNamesAndDotFilesAreTakenUnderShortenedNames() async throws {
        let f = try await MaildropFixture()
        let long = String(repeating: "线", count: 80) + ".eml"                          // 244 bytes
        try f.put(gbkWebForm, in: .new, as: long)
        try f.put(Array("not a mail at all".utf8), in: .new, as: String(repeating: "x", count: 250))
        try f.put(gbkWebForm, in: .new, as: ".hidden-old")
        try f.put(gbkWebForm, in: .new, as: ".hidden-fresh")
        var times = [timespec(tv_sec: Int(Date().timeIntervalSince1970) - 120, tv_nsec: 0),
                     timespec(tv_sec: Int(Date().timeIntervalSince1970) - 120, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, f.spool.path(.new, ".hidden-old"), &times, 0) == 0)
        let scan = Task { try await f.intake.scan() }
        try await poll("the scan to finish", timeout: 30) { f.spool.names(in: .cur).isEmpty && f.spool.names(in: .new).isEmpty ? true : nil }
        _ = try await scan.value
        // The long-named mail and the old dot-file: the same form twice, one lead and a re-inquiry.
        #expect(try await f.store.summary().leadsTotal == 1)
        #expect(try await f.store.inputs(of: LeadID(1)).count == 2)
        let done = f.spool.names(in: .done)
        #expect(done.contains("dot.hidden-old"), "\(done)")
        #expect(done.contains { $0.hasPrefix(String(repeating: "线", count: 60)) && $0.contains("~") && $0.utf8.count <= 200 }, "\(done)")
        let quarantined = f.spool.names(in: .quarantine)
        #expect(quarantined.count == 1 && quarantined[0].hasPrefix("xxxx") && quarantined[0].utf8.count <= 200, "\(quarantined)")
        #expect(FileManager.default.fileExists(atPath: f.spool.path(.quarantine, quarantined[0] + ".reason")))
        // A fresh dot-file (a writer may still be at it) waits where it is.
        #expect(MaildirSpool.rawNames(f.spool.folder(.new).path).map { String(decoding: $0, as: UTF8.self) } == [".hidden-fresh"])
    }
}
