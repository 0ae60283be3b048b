import Foundation
import LeadCore
import LeadIngest
import LeadTestSupport

let received = Date(timeIntervalSince1970: 1_796_000_000)

func fixture(_ name: String) throws -> [UInt8] {
    let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures")!
    return Array(try Data(contentsOf: url))
}

/// `../shared/corpus/emails`, or nil (the tests that need it skip with a message).
var corpusEmails: URL? { RepositoryPaths.shared?.appendingPathComponent("corpus/emails") }

func corpus(_ name: String) throws -> [UInt8]? {
    guard let folder = corpusEmails else { return nil }
    return Array(try Data(contentsOf: folder.appendingPathComponent(name)))
}

func extract(_ bytes: [UInt8], labels: FieldLabels = .defaults) throws(IngestError) -> LeadDraft {
    let extraction = try MailLeadExtractor(labels: labels, source: "email")
        .extract(bytes, origin: LeadOrigin(channel: .maildrop, name: "inbox", key: "k"), receivedAt: received)
    return LeadNormaliser().normalise(extraction.draft)
}
