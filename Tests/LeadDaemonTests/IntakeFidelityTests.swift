import Foundation
import LeadCore
@testable import LeadDaemon
import LeadIngest
import LeadTestSupport
import Testing

/// Writes mail the way real senders do (scripts/lib/sender-mail.py: Python's `email` and codecs).
func senderMail(_ style: String, count: Int, into folder: URL) async throws -> [URL] {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let script = RepositoryPaths.root.appendingPathComponent("scripts/lib/sender-mail.py").path
    let result = try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", script, folder.path, style, String(count)],
                                            in: folder, name: "sender-mail-\(style)")
    guard result.status == 0 else { throw TestFailure("sender-mail.py \(style) failed: \(result.stderr)") }
    return (0..<count).map { folder.appendingPathComponent("\(style)-\($0).eml") }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Issue 13: no lead silently merged away. Real mail (../shared/corpus/emails) and 20 form
/// notifications from one notifier address with phones only go through the real mail-drop intake
/// into a real SQLite store; every lead's inputs are read back and grouped.
@Suite struct IntakeFidelityTests {
    @Test func twentyPeopleFromOneNotifierAreTwentyLeads() async throws {
        let f = try await MaildropFixture()
        let generated = try await senderMail("form-phone-only", count: 20, into: f.base.folder.url.appendingPathComponent("gen"))
        for (index, file) in generated.enumerated() {
            try f.put(Array(try Data(contentsOf: file)), in: .new, as: "\(1_000 + index).form.host")
        }
        while try await f.intake.scan() > 0 {}
        let summary = try await f.store.summary()
        #expect(summary.leadsTotal == 20)
        var phones: Set<String> = []
        for id in 1...20 {
            let lead = try #require(try await f.store.lead(LeadID(Int64(id))))
            #expect(lead.draft.email == nil, "lead \(id) took the notifier's address")
            #expect(lead.draft.name != "金数据")
            if let phone = lead.draft.phone { phones.insert(phone) }
            #expect(try await f.store.inputs(of: lead.id).count == 1)
        }
        #expect(phones.count == 20)
    }
}

extension IntakeFidelityTests {
    /// The corpus and the generated notifications together: every lead's inputs are one person.
    @Test(.enabled(if: RepositoryPaths.shared != nil, "../shared/corpus is absent"))
    func corpusAndGeneratedFormsGiveOneLeadPerPerson() async throws {
        let corpus = try #require(RepositoryPaths.shared).appendingPathComponent("corpus/emails")
        let f = try await MaildropFixture()
        let names = try FileManager.default.contentsOfDirectory(atPath: corpus.path).sorted()
        for (index, name) in names.enumerated() {
            try f.put(Array(try Data(contentsOf: corpus.appendingPathComponent(name))), in: .new, as: "\(index).corpus.\(name)")
        }
        let generated = try await senderMail("form-phone-only", count: 20, into: f.base.folder.url.appendingPathComponent("gen"))
        for (index, file) in generated.enumerated() {
            try f.put(Array(try Data(contentsOf: file)), in: .new, as: "\(1_000 + index).form.host")
        }
        while try await f.intake.scan() > 0 {}
        let total = try await f.store.summary().leadsTotal
        var groups: [[String]] = []
        for id in 1...max(total, 1) {
            groups.append(try await f.store.inputs(of: LeadID(Int64(id))).map(\.origin.key))
        }
        let quarantined = try await f.store.quarantined(limit: 1_000).count
        // Who each corpus mail is from, by Python's `email` parser (scripts/lib/person-key.py).
        let script = RepositoryPaths.root.appendingPathComponent("scripts/lib/person-key.py").path
        let run = try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"),
                                             ["python3", script] + names.map { corpus.appendingPathComponent($0).path },
                                             in: f.base.folder.url, name: "person-key")
        #expect(run.status == 0, "\(run.stderr)")
        var personOf: [String: String] = [:]
        for line in run.stdout.split(separator: "\n") {
            let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            let name = URL(fileURLWithPath: parts[0]).lastPathComponent
            personOf[name] = parts[1]
        }
        func person(_ key: String) -> String {
            if key.hasSuffix(".form.host") { return "generated:" + key }                 // each a different person
            let name = String(key.drop { $0 != "." }.dropFirst().drop { $0 != "." }.dropFirst())  // "N.corpus.NAME"
            let found = personOf[name] ?? "-"
            return found == "-" ? "unknown:" + name : found
        }
        // Python could not name a sender in a few malformed mails (e.g. a header block starting
        // with a space) that leadrouter reads: those join whichever lead they are in.
        var leadOfPerson: [String: Int] = [:]
        for (index, group) in groups.enumerated() {
            let known = Set(group.map(person).filter { !$0.hasPrefix("unknown:") })
            #expect(known.count <= 1, "lead \(index + 1) merges different people: \(group)")
            for p in known.isEmpty ? ["unknown:\(index + 1)"] : Array(known) {
                if let other = leadOfPerson[p], other != index + 1 {
                    Issue.record("\(p) is split over leads \(other) and \(index + 1)")
                }
                leadOfPerson[p] = index + 1
            }
        }
        let corpusInputs = groups.joined().filter { !$0.hasSuffix(".form.host") }.count
        let corpusLeads = groups.filter { !$0[0].hasSuffix(".form.host") }.count
        let generatedLeads = groups.filter { $0[0].hasSuffix(".form.host") }.count
        print("""
            source      files  leads  re-inquiries  quarantined  distinct people
            corpus      \(pad(names.count, 5))  \(pad(corpusLeads, 5))  \(pad(corpusInputs - corpusLeads, 12))  \(pad(quarantined, 11))  \(pad(leadOfPerson.keys.filter { !$0.hasPrefix("generated:") }.count, 15))
            generated   \(pad(20, 5))  \(pad(generatedLeads, 5))  \(pad(0, 12))  \(pad(0, 11))  \(pad(20, 15))
            """)
        #expect(generatedLeads == 20)
        #expect(total == leadOfPerson.count)
        #expect(corpusInputs + quarantined == names.count)
    }
}

private func pad(_ n: Int, _ width: Int) -> String {
    let text = String(n)
    return String(repeating: " ", count: max(0, width - text.count)) + text
}

/// Issue 13's cases 1–3 at the extractor, with mail written the way each sender writes it.
@Suite struct SenderMailTests {
    let folder: TemporaryDirectory

    init() throws { folder = try TemporaryDirectory(prefix: "lr-sender") }

    func leads(_ style: String, count: Int = 1, notifiers: [String] = []) async throws -> [MailLeadExtractor.Extraction] {
        let files = try await senderMail(style, count: count, into: folder.url.appendingPathComponent(style))
        let extractor = MailLeadExtractor(source: "email", notifiers: NotifierAddresses(notifiers))
        return try files.map { file in
            var extraction = try extractor.extract(Array(try Data(contentsOf: file)),
                                                   origin: LeadOrigin(channel: .maildrop, name: "inbox", key: file.lastPathComponent),
                                                   receivedAt: Date(timeIntervalSince1970: 1_796_000_000))
            extraction.draft = LeadNormaliser().normalise(extraction.draft)
            return extraction
        }
    }

    @Test func aFormServiceSendsEveryoneFromOneAddressButTheLeadsAreThePeople() async throws {
        for style in ["form-phone-only", "form-html-gbk"] {
            let drafts = try await leads(style, count: 3).map(\.draft)
            #expect(drafts.allSatisfy { $0.email == nil }, "\(style): the notifier's address became a lead's e-mail")
            #expect(Set(drafts.compactMap(\.phone)).count == 3, "\(style)")
            #expect(Set(drafts.compactMap(\.name)).count == 3, "\(style): \(drafts.map(\.name))")
            #expect(!drafts.contains { ["金数据", "问卷星"].contains($0.name) })
            #expect(drafts.allSatisfy { $0.formSender == (style == "form-phone-only" ? "notify@jinshuju.net" : "noreply@wjx.cn") })
        }
        let html = try await leads("form-html-gbk")[0].draft
        #expect(html.company == "杭州第1制造有限公司")
        #expect(html.industry == "制造业")
    }

    @Test func aConfiguredNotifierAddressIsNeverALeadsEmail() async throws {
        // A personal-looking mail (no labels) from a configured notifier: not its sender's lead.
        let bytes = Array("From: 问卷星 <noreply@wjx.cn>\r\nTo: sales@example.cn\r\nSubject: hi\r\n\r\nsomeone wants a call\r\n".utf8)
        let origin = LeadOrigin(channel: .maildrop, name: "inbox", key: "k")
        let plain = try MailLeadExtractor(source: "email").extract(bytes, origin: origin, receivedAt: Date())
        #expect(plain.draft.email == "noreply@wjx.cn")
        #expect(plain.draft.emailFromHeader)
        #expect(throws: IngestError.self) {
            try MailLeadExtractor(source: "email", notifiers: NotifierAddresses(["@wjx.cn"])).extract(bytes, origin: origin, receivedAt: Date())
        }
    }

    @Test(arguments: ["phpmailer-gbk", "phpmailer-utf8"])
    func phpMailersLatin1LabelOverChineseBytesIsNotTrusted(style: String) async throws {
        let extraction = try await leads(style)[0]
        #expect(extraction.draft.name == "王伟")
        #expect(extraction.draft.phone == "+8613911583800")
        #expect(extraction.draft.company == "苏州某某科技")
        #expect(extraction.draft.industry == "软件")
        #expect(extraction.draft.email == nil)
        #expect(extraction.warnings.contains { $0.contains("iso-8859-1") && $0.contains("does not fit") }, "\(extraction.warnings)")
    }

    @Test func aTrueLatin1LabelIsHonoured() async throws {
        let extraction = try await leads("latin1-real")[0]
        #expect(extraction.draft.message?.contains("Grüße aus München") == true)
        #expect(extraction.draft.email == "juergen.mueller@example.de")
        #expect(extraction.warnings.isEmpty)
    }

    @Test func big5FormsWithTraditionalLabels() async throws {
        let draft = try await leads("big5-form")[0].draft
        #expect(draft.name == "陳大文")
        #expect(draft.phone != nil)
        #expect(draft.email == "chan0@example.com.hk")
        #expect(draft.company == "九龍貿易有限公司")
        #expect(draft.industry == "貿易")
        #expect(draft.province == "台湾省")
    }
}
