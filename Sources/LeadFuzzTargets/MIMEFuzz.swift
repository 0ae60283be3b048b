import Foundation
import LeadCore
import LeadIngest

enum MIMEFuzz {
    static let extractor = MailLeadExtractor(source: "fuzz")
    static let origin = LeadOrigin(channel: .maildrop, name: "fuzz", key: "fuzz")

    static func run(_ bytes: [UInt8]) {
        _ = try? extractor.extract(bytes, origin: origin, receivedAt: FuzzTarget.now)
        // The parser alone too: a message the extractor refuses early still has every part read.
        if let root = try? MIMEParser().parse(bytes) {
            _ = root.header("Subject")
            _ = root.headers("Received")
        }
    }
}
