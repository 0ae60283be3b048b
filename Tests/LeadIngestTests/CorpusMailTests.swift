import Foundation
import LeadCore
import LeadIngest
import Testing

let hasCorpus = corpusEmails != nil

/// The real mail in ../shared/corpus (written by others). Skipped when ../shared is absent.
@Suite(.enabled(if: hasCorpus, "../shared/corpus is absent"))
struct CorpusMailTests {
    /// Every file is a lead or a quarantine entry with a reason; none crashes or hangs.
    @Test func everyFileIsALeadOrAQuarantineWithAReason() throws {
        let folder = try #require(corpusEmails)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names.count >= 100)
        var leads = 0
        var quarantined: [String: String] = [:]
        for name in names {
            let bytes = Array(try Data(contentsOf: folder.appendingPathComponent(name)))
            do {
                let lead = try extract(bytes)
                #expect(lead.email != nil || lead.phone != nil, "\(name)")
                leads += 1
            } catch {
                #expect(!error.description.isEmpty)
                quarantined[name] = error.description
            }
        }
        #expect(leads + quarantined.count == names.count)
        #expect(leads >= 80)
        #expect(quarantined["cpython_msg_05.txt"] == "no usable lead: automatic message (delivery report or auto-reply)")
        #expect(quarantined["webklex_missing_from.eml"] == "no usable lead: no e-mail address or phone number in the headers or the body")
    }

    @Test func gb2312LabelHoldingGBKBytesInEncodedWords() throws {
        let bytes = try #require(try corpus("kopano_gb2312_18030.eml"))
        let mail = try MailMessage(bytes: bytes)
        #expect(mail.fromName == "梁祐晟")
        #expect(mail.subject == "讀取: ??排??生?a")
        let root = try MIMEParser().parse(bytes)
        #expect(root.header("To") == "'林慶美' <other.address@some.domain>")
    }

    @Test func rawBig5HeadersDecodedWithTheBodyCharset() throws {
        let mail = try MailMessage(bytes: try #require(try corpus("kopano_big5.eml")))
        #expect(mail.fromName == "養樂多")
        #expect(mail.subject == "養樂多線上訂購")
    }

    @Test func rawGB2312HeadersAndQuotedPrintableBody() throws {
        let lead = try extract(try #require(try corpus("spamassassin_cjk_gb2312.1")))
        #expect(lead.message?.hasPrefix("全新原装进口，送货上门，货到付款－台湾鑫龙商贸集团公司向您拜年!") == true)
        #expect(lead.name == "洪武")                      // 联系人：洪  武 一、  电  话：…
        #expect(lead.phone == "+8613960361753")          // （0）13960361753
    }

    @Test func encodedWordSubjectAndRaw8BitGB2312Body() throws {
        let mail = try MailMessage(bytes: try #require(try corpus("spamassassin_cjk_gb2312.2")))
        #expect(mail.subject == "RE: 装硬碟问题")
        #expect(mail.fromName == "Jason Lee (李展锋)")
        #expect(mail.text.hasPrefix("假设你的硬碟是IDE介面(不是SCSI)"))
    }

    @Test func mislabelledGB2312BodyThatIsReallyUTF8() throws {
        let mail = try MailMessage(bytes: try #require(try corpus("spamscope_mail_test_12")))
        #expect(mail.text.hasPrefix("你好！我公司可代开各类增值税发票"))
        #expect(mail.warnings.contains { $0.hasPrefix("bytes do not fit charset gb2312") })
    }

    @Test func foldedGB2312SubjectOverTwoEncodedWordsAndBase64HTMLBody() throws {
        let mail = try MailMessage(bytes: try #require(try corpus("spamscope_mail_test_9")))
        #expect(mail.subject?.hasPrefix("我把镜头拉近些，你们看看") == true)
        #expect(!mail.text.contains("<"))
    }

    @Test func base64Big5HTMLBodyAndRawBig5Subject() throws {
        let mail = try MailMessage(bytes: try #require(try corpus("spamassassin_cjk_big5-base64.1")))
        #expect(mail.subject?.hasPrefix("[SLAT-talk] 鉅靡6月17日新片又到.如有重複寄發.敬請原諒!") == true)
    }

    @Test func partLabelledUSASCIIWhoseBytesAreBig5IsDetected() throws {
        let mail = try MailMessage(bytes: try #require(try corpus("enmime_chardet-success-big-5.raw")))
        #expect(mail.text.contains("北齊  顏之推"))
        #expect(mail.text.contains("音辭第十八"))
        #expect(mail.warnings.contains { $0.contains("us-ascii") && $0.contains("BIG5") })
    }

    @Test func big5ThatAGatewayReEncodedAsLatin1IsRepaired() throws {
        let mail = try MailMessage(bytes: try #require(try corpus("mikelmail_content_transfer_encoding_empty.eml")))
        #expect(mail.subject == "4d8119　(大補泡麵專賣) 大家說英語 每日聽MP3 (2004年6月份) 繁體中文光碟版 (英語教學)　8afb90")
    }

    @Test func adjacentEncodedWordsOfOneCharsetAreJoinedBeforeDecoding() throws {
        let bytes = try #require(try corpus("kopano_encoded-word-split.eml"))
        let subjectLine = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
            .drop { !$0.hasPrefix("Subject:") }.prefix(3).joined(separator: " ")
        let decoded = EncodedWords.decode(Array(subjectLine.dropFirst("Subject: ".count).utf8))
        #expect(decoded.hasPrefix("☺ vų. "))
    }

    @Test func otherCJKCharsets() throws {
        let japanese = try MailMessage(bytes: try #require(try corpus("mikelmail_japanese_shift_jis.eml")))
        #expect(japanese.text.hasPrefix("あいうえお"))
        let mixed = try MailMessage(bytes: try #require(try corpus("mikelmail_raw_email_with_partially_quoted_subject.eml")))
        #expect(mixed.subject == "Re: Test: \"漢字\" mid \"漢字\" tail")
        let gbkAlias = try MailMessage(bytes: try #require(try corpus("webklex_gbk_charset.eml")))
        #expect(gbkAlias.warnings.isEmpty)
    }

    @Test func hugeFoldedHeaderAndPathologicalHTMLAreReadInBoundedWork() throws {
        let folded = try MailMessage(bytes: try #require(try corpus("mimekit_stack-overflow.txt")))
        #expect(folded.subject == "Message Subject")
        let html = try MailMessage(bytes: try #require(try corpus("nodemailer_htmllargecallstack.eml")))
        #expect(html.subject == "Kill the HTML parser")
    }
}

extension CorpusMailTests {
    /// Issue 13: distrusting a label that does not fit must leave the labels that do fit alone.
    /// Every corpus mail whose label was overruled is printed with what was used instead.
    @Test func correctLabelsAreStillHonoured() throws {
        let folder = try #require(corpusEmails)
        var labelled = 0
        var overruled: [String: [String]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() {
            let bytes = Array(try Data(contentsOf: folder.appendingPathComponent(name)))
            guard let mail = try? MailMessage(bytes: bytes) else { continue }
            if String(decoding: bytes, as: UTF8.self).lowercased().contains("charset=") { labelled += 1 }
            let changed = mail.warnings.filter { $0.contains("does not fit the text") }
            if !changed.isEmpty { overruled[name] = changed }
        }
        print("charset labels overruled by a better reading: \(overruled.count) of \(labelled) labelled corpus mails")
        for (name, warnings) in overruled.sorted(by: { $0.key < $1.key }) { print("  \(name): \(warnings.joined(separator: "; "))") }
        // Real Latin-1 and real GB2312/Big5/Shift_JIS mail keeps its label.
        for name in ["cpython_msg_10.txt", "hunnysoft_m0001.txt", "spamassassin_cjk_gb2312.1", "spamassassin_cjk_big5-base64.1",
                     "kopano_big5.eml", "mikelmail_japanese_shift_jis.eml", "webklex_gbk_charset.eml"] {
            #expect(overruled[name] == nil, "\(name): \(overruled[name] ?? [])")
        }
        #expect(overruled.count <= 3)
    }
}
