import Foundation
import LeadIngest
import Testing

/// To and Cc as the BCC dropbox reads them.
@Suite struct MailRecipientsTests {
    @Test func everyAddressOfToAndCcWithQuotedCommasAndEncodedNames() throws {
        let mail = "From: 张伟 <zhang.wei@example.com>\r\nTo: \"Li, Na\" <LI.NA@Corp.example.cn>, =?UTF-8?B?546L5YWI55Sf?= <wang@x.cn>\r\n"
            + "Cc: group: a@b.cn, c@d.cn;\r\nCc: e@f.cn (E)\r\nDate: Mon, 30 Nov 2026 10:00:00 +0800\r\nSubject: s\r\n\r\nbody\r\n"
        let message = try MailMessage(bytes: Array(mail.utf8))
        #expect(message.recipients == ["li.na@corp.example.cn", "wang@x.cn", "a@b.cn", "c@d.cn", "e@f.cn"])
        #expect(message.date == ISO8601DateFormatter().date(from: "2026-11-30T02:00:00Z"))
    }
}
