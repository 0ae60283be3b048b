import Foundation
import LeadIngest
import Testing

@Suite struct MIMEParserTests {
    func mail(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func prefersPlainTextInAlternativeAndFallsBackToHTML() throws {
        let both = try MailMessage(bytes: mail("""
        From: a@example.com\nContent-Type: multipart/alternative; boundary="x"\n\n--x\nContent-Type: text/html\n\n<b>html</b>\n--x\nContent-Type: text/plain\n\nplain\n--x--\n
        """))
        #expect(both.text == "plain")
        let htmlOnly = try MailMessage(bytes: mail("""
        From: a@example.com\nContent-Type: multipart/alternative; boundary="x"\n\n--x\nContent-Type: text/html\n\n<p>one</p><p>two &amp; three</p><script>x()</script>\n--x--\n
        """))
        #expect(htmlOnly.text == "one\ntwo & three")
    }

    @Test func nestedMultipartsAndAttachmentsAreSkipped() throws {
        let message = try MailMessage(bytes: mail("""
        From: a@example.com\nContent-Type: multipart/mixed; boundary=outer\n\npreamble\n--outer\nContent-Type: multipart/alternative; boundary=inner\n\n--inner\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n5L2g5aW9\n--inner--\n--outer\nContent-Type: text/plain\nContent-Disposition: attachment; filename=a.txt\n\nattached\n--outer--\nepilogue\n
        """))
        #expect(message.text == "你好")
    }

    @Test func rfc2231ParametersWithCharsetAndContinuations() {
        let type = ContentType.parse("application/x-stuff; title*0*=us-ascii'en'This%20is%20even%20more%20; title*1*=%2A%2A%2Afun%2A%2A%2A%20; title*2=\"isn't it!\"")
        #expect(type.parameters["title"] == "This is even more ***fun*** isn't it!")
        let name = ContentType.parse("attachment; filename*=utf-8''%E7%AE%A1%E7%90%86.doc")
        #expect(name.parameters["filename"] == "管理.doc")
        #expect(ContentType.parse("text plain").mimeType == "text/plain")
        #expect(ContentType.parse("multipart/mixed; boundary =\"a b\"").boundary == "a b")
    }

    @Test func quotedPrintableSoftBreaksAndEncodedWordUnderscores() throws {
        let message = try MailMessage(bytes: mail("""
        From: a@example.com\nSubject: =?utf-8?Q?caf=C3=A9_cr=C3=A8me?= =?utf-8?Q?_br=C3=BBl=C3=A9e?=\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\nline one =\ncontinues =E4=BD=A0=E5=A5=BD\n
        """))
        #expect(message.subject == "café crème brûlée")
        #expect(message.text == "line one continues 你好")
    }

    @Test(arguments: [
        (MIMELimits(maxMessageBytes: 100), IngestError.tooLarge(bytes: 122, limit: 100)),
        (MIMELimits(maxParts: 2), IngestError.tooManyParts(limit: 2)),
        (MIMELimits(maxDepth: 1), IngestError.tooDeep(limit: 1)),
    ])
    func limitsQuarantineInsteadOfCrashing(limits: MIMELimits, error: IngestError) {
        let deep = mail("From: a@b.cn\nContent-Type: multipart/mixed; boundary=a\n\n--a\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\nx\n--b--\n--a--\n")
        #expect(throws: error) { try MIMEParser(limits: limits).parse(deep) }
    }

    @Test func aHeaderBlockOverTheLimitIsRefused() {
        let huge = mail("From: a@b.cn\nX-Long: " + String(repeating: "a", count: 5000) + "\n\nbody\n")
        #expect(throws: IngestError.headerTooLarge(bytes: 5022, limit: 1000)) {
            try MIMEParser(limits: MIMELimits(maxHeaderBytes: 1000)).parse(huge)
        }
    }

    @Test func emptyInputIsRefused() {
        #expect(throws: IngestError.empty) { try MIMEParser().parse(Array("\r\n \r\n".utf8)) }
    }
}

@Suite struct CharsetTests {
    @Test(arguments: [
        ("gb2312", "GB18030"), ("X-GBK", "GB18030"), ("\"GBK\"", "GB18030"), ("big5", "BIG5-HKSCS"),
        ("Shift_JIS", "CP932"), ("iso-8859-15", "ISO-8859-15"), ("windows-1251", "CP1251"), ("us-ascii", "UTF-8"),
    ])
    func labelsMapToWhatMailMeans(label: String, name: String) {
        #expect(Charset.iconvName(label) == name)
    }

    @Test func gb2312LabelDecodesGBKOnlyCharacters() {
        let bytes: [UInt8] = Array("朱镕基".data(using: .utf8).map { _ in [0xD6, 0xEC, 0xE9, 0x46, 0xBB, 0xF9] } ?? [])
        let decoded = Charset.decode(bytes, label: "gb2312")
        #expect(decoded.text == "朱镕基")
        #expect(decoded.warning == nil)
    }

    @Test func unknownLabelFallsBackWithAWarning() {
        let decoded = Charset.decode(Array("héllo".utf8), label: "x-martian")
        #expect(decoded.text == "héllo")
        #expect(decoded.warning == "unknown charset x-martian; decoded as utf-8")
    }
}
