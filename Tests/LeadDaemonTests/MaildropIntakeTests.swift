import Foundation
import LeadConfig
import LeadCore
@testable import LeadDaemon
import LeadIngest
import LeadStoreSQLite
import LeadTestSupport
import Testing

let gbkWebForm: [UInt8] = {
    let url = RepositoryPaths.root.appendingPathComponent("Tests/LeadIngestTests/Fixtures/webform-gbk.eml")
    return Array((try? Data(contentsOf: url)) ?? Data())
}()

/// One mail-drop driven in-process against a real SQLite file and a real Maildir on disk.
final class MaildropFixture: @unchecked Sendable {
    let base: InProcessFixture
    let intake: MaildropIntake

    init(maxMessageSize: String = "10MiB") async throws {
        base = try await InProcessFixture(extra: """
        [[maildrop]]
        name = "inbox"
        path = "spool"
        max_message_size = "\(maxMessageSize)"
        """)
        intake = MaildropIntake(configuration: base.context.state.snapshot.configuration.maildrops[0], context: base.context)
        try intake.spool.prepare()
    }

    var spool: MaildirSpool { intake.spool }
    var store: SQLiteLeadStore { base.store }

    func put(_ bytes: [UInt8], in folder: MaildirSpool.Folder, as name: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: spool.path(folder, name)))
    }

    func origin(_ name: String) -> LeadOrigin { LeadOrigin(channel: .maildrop, name: "inbox", key: name) }

    func commitLead(for name: String) async throws {
        let item = IntakeItem(draft: LeadDraft(name: "已提交", email: "a@b.cn", origin: origin(name), receivedAt: base.clock.now()),
                              raw: RawCapture(body: gbkWebForm))
        _ = try await store.recordIntakes([item], duplicates: DuplicatePolicy(match: .off), at: base.clock.now())
    }
}

/// The crash-state table in MaildirSpool's doc comment, one test per row.
@Suite struct MaildropCrashStateTests {
    @Test func row1AFileInNewBecomesOneLeadAndMovesToDone() async throws {
        let f = try await MaildropFixture()
        try f.put(gbkWebForm, in: .new, as: "1.M1.host")
        #expect(try await f.intake.scan() == 1)
        #expect(f.spool.names(in: .new).isEmpty)
        #expect(f.spool.names(in: .done) == ["1.M1.host"])
        let lead = try #require(try await f.store.lead(LeadID(1)))
        #expect(lead.draft.name == "王小明")
        #expect(lead.draft.phone == "+8613800138000")
        #expect(lead.draft.province == "浙江省")
        #expect(try await f.store.rawCapture(of: LeadID(1))?.body == gbkWebForm)
    }

    @Test func row2AClaimedFileWithNothingCommittedIsProcessedAtStart() async throws {
        let f = try await MaildropFixture()
        try f.put(gbkWebForm, in: .cur, as: "2.M1.host")
        #expect(try await f.intake.reconcile() == 1)
        #expect(f.spool.names(in: .done) == ["2.M1.host"])
        #expect(try await f.store.summary().leadsTotal == 1)
    }

    @Test func row3AClaimedFileAlreadyCommittedOnlyMovesOn() async throws {
        let f = try await MaildropFixture()
        try await f.commitLead(for: "3.M1.host")
        try f.put(gbkWebForm, in: .cur, as: "3.M1.host")
        _ = try await f.intake.reconcile()
        #expect(f.spool.names(in: .done) == ["3.M1.host"])
        #expect(try await f.store.summary().leadsTotal == 1)
        #expect(try await f.store.lead(LeadID(1))?.draft.name == "已提交")
    }

    @Test func row4AClaimedFileAlreadyQuarantinedMovesToQuarantine() async throws {
        let f = try await MaildropFixture()
        let id = try await f.store.recordQuarantine(QuarantineItem(origin: f.origin("4.M1.host"), reason: "no usable lead",
                                                                    raw: RawCapture(body: [1]), receivedAt: f.base.clock.now()), at: f.base.clock.now())
        try f.put([1], in: .cur, as: "4.M1.host")
        _ = try await f.intake.reconcile()
        #expect(f.spool.names(in: .quarantine) == ["4.M1.host"])
        let reason = try String(contentsOfFile: f.spool.path(.quarantine, "4.M1.host.reason"), encoding: .utf8)
        #expect(reason == "quarantined before a restart; see: leadctl quarantine show \(id)\n")
        #expect(try await f.store.summary().leadsTotal == 0)
    }

    @Test func rows5And6FinishedFilesAreLeftAlone() async throws {
        let f = try await MaildropFixture()
        try f.put(gbkWebForm, in: .done, as: "5.M1.host")
        try f.put([1], in: .quarantine, as: "6.M1.host")
        #expect(try await f.intake.reconcile() == 0)
        #expect(try await f.intake.scan() == 0)
        #expect(f.spool.names(in: .done) == ["5.M1.host"])
        #expect(f.spool.names(in: .quarantine) == ["6.M1.host"])
        #expect(try await f.store.summary().leadsTotal == 0)
    }

    @Test func tmpIsNeverRead() async throws {
        let f = try await MaildropFixture()
        try f.put(gbkWebForm, in: .tmp, as: "7.M1.host")
        #expect(try await f.intake.scan() == 0)
        #expect(f.spool.names(in: .tmp) == ["7.M1.host"])
    }
}

@Suite struct MaildropIntakeTests {
    @Test func aMailThatIsNotALeadIsQuarantinedWithItsReason() async throws {
        let f = try await MaildropFixture()
        try f.put(Array("Subject: hi\n\nno contact here\n".utf8), in: .new, as: "q.M1.host")
        try await f.intake.scan()
        #expect(f.spool.names(in: .quarantine) == ["q.M1.host"])
        let reason = try String(contentsOfFile: f.spool.path(.quarantine, "q.M1.host.reason"), encoding: .utf8)
        #expect(reason == "no usable lead: no e-mail address or phone number in the headers or the body\n")
        let entries = try await f.store.quarantined(limit: 10)
        #expect(entries.map(\.origin.key) == ["q.M1.host"])
        #expect(f.base.logs.entries.contains { $0.message == "intake quarantined" && $0.level == .warning })
    }

    /// A file copied from a Chinese Windows share keeps its GBK name (线索.eml = C F F2 CB F7 …):
    /// Foundation lists it with U+FFFD in place of the bytes, a name no file has, so it used to
    /// sit in new/ forever. It is renamed to an escaped UTF-8 name and taken like any other.
    @Test func aFileWhoseNameIsNotUTF8BecomesALead() async throws {
        let f = try await MaildropFixture()
        let gbkName: [UInt8] = [0xCF, 0xDF, 0xCB, 0xF7] + Array(".eml".utf8)   // 线索.eml in GBK
        try writeRaw(gbkWebForm, directory: f.spool.path(.new, ""), name: gbkName)
        // The escaped name is already taken: the rename must not replace that file.
        try f.put(Array("From: li@example.com\nSubject: hello\n\nPhone: 13900139000\n".utf8), in: .new,
                  as: "\\317\\337\\313\\367.eml")
        #expect(try await f.intake.scan() == 2)
        #expect(f.spool.names(in: .new).isEmpty)
        #expect(f.spool.names(in: .done) == ["\\317\\337\\313\\367.eml", "\\317\\337\\313\\367.eml,1"])
        #expect(MaildirSpool.rawNames(f.spool.folder(.done).path).allSatisfy { String(validating: $0, as: UTF8.self) != nil })
        #expect(try await f.store.summary().leadsTotal == 2)
    }

    @Test func escapedNamesKeepValidCharactersAndEscapeOnlyBadBytes() {
        #expect(MaildirSpool.escapedName(Array("线索-".utf8) + [0xFF] + Array("a\n".utf8)) == "线索-\\377a\n")
        #expect(MaildirSpool.escapedName([0xE7, 0xBA]) == "\\347\\272")   // a truncated 线
    }

    @Test func anOversizeMailIsQuarantinedWithoutReadingItAll() async throws {
        let f = try await MaildropFixture(maxMessageSize: "1KiB")
        try f.put(Array(repeating: UInt8(ascii: "a"), count: 5_000), in: .new, as: "big.M1.host")
        try await f.intake.scan()
        #expect(f.spool.names(in: .quarantine) == ["big.M1.host"])
        let (entry, raw) = try #require(try await f.store.quarantineRaw(1))
        #expect(entry.reason == "message is 5000 bytes, over the limit of 1024")
        #expect(raw.body.count == 1_025)
    }

    @Test func aFailingStoreLeavesEveryFileInNew() async throws {
        let f = try await MaildropFixture()
        for i in 0..<3 { try f.put(gbkWebForm, in: .new, as: "\(i).M1.host") }
        try f.store.close()
        await #expect(throws: (any Error).self) { try await f.intake.scan() }
        #expect(f.spool.names(in: .new).count == 3)
        #expect(f.spool.names(in: .cur).isEmpty)
    }

    @Test func manyFilesCommitInBatchesAndEachIsOneLead() async throws {
        let f = try await MaildropFixture()
        for i in 0..<150 {
            var mail = gbkWebForm
            mail += Array("\r\n编号：\(i)\r\n".utf8)
            try f.put(mail, in: .new, as: String(format: "%04d.M1.host", i))
        }
        #expect(try await f.intake.scan() == 150)
        // Same person every time: the first is a lead, the rest re-inquiries on it.
        #expect(try await f.store.summary().leadsTotal == 1)
        #expect(f.spool.names(in: .done).count == 150)
    }

    @Test func deliverWritesThroughTmpIntoNew() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let spool = MaildirSpool(root: folder.url)
        try spool.prepare()
        let name = try MaildirSpool.deliver(gbkWebForm, to: folder.url)
        #expect(spool.names(in: .new) == [name])
        #expect(spool.names(in: .tmp).isEmpty)
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: spool.path(.new, name)))) == gbkWebForm)
        let again = try MaildirSpool.deliver(gbkWebForm, to: folder.url)
        #expect(again != name)
    }

    @Test func expiredDoneAndAbandonedTmpFilesAreRemoved() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let spool = MaildirSpool(root: folder.url)
        try spool.prepare()
        for (f, name) in [(MaildirSpool.Folder.done, "old"), (.tmp, "abandoned"), (.new, "waiting")] {
            try Data([1]).write(to: URL(fileURLWithPath: spool.path(f, name)))
        }
        let later = Date().addingTimeInterval(40 * 3_600)
        #expect(spool.removeExpired(now: later, doneRetention: 24 * 3_600) == 2)
        #expect(spool.names(in: .new) == ["waiting"])
    }
}

/// Creates `directory/name` with a name given as bytes (Foundation cannot spell one that is not UTF-8).
func writeRaw(_ bytes: [UInt8], directory: String, name: [UInt8]) throws {
    let path = Array(directory.utf8) + name + [0]
    let fd = path.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT | O_EXCL, 0o640) } }
    guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    defer { close(fd) }
    guard bytes.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == bytes.count else { throw POSIXError(.EIO) }
}
