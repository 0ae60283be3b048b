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
