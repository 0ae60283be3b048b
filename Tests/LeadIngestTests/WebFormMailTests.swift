import Foundation
import LeadCore
import LeadIngest
import Testing

/// Web-form notification mails written for these tests in GBK, GB18030 and UTF-8.
@Suite struct WebFormMailTests {
    @Test func gbkMailLabelledGB2312WithFullWidthColons() throws {
        let lead = try extract(try fixture("webform-gbk.eml"))
        #expect(lead.name == "王小明")
        #expect(lead.company == "杭州某某贸易有限公司")
        #expect(lead.phone == "+8613800138000")
        #expect(lead.email == "wang.xm@example.cn")
        #expect(lead.province == "浙江省")
        #expect(lead.industry == "外贸")
        #expect(lead.message == "想了解贵司的报价，朱镕基路门店")
        #expect(lead.source == "email")
    }

    @Test func gb18030HTMLTableWithCharsetOnlyInMeta() throws {
        let lead = try extract(try fixture("webform-gb18030-html.eml"),
                               labels: FieldLabels.defaults.merging(["预算": .custom("budget_range")]))
        #expect(lead.name == "李娜")
        #expect(lead.phone == "+862168881234")
        #expect(lead.company == "上海&某某科技")
        #expect(lead.province == "上海市")
        #expect(lead.customFields == ["budget_range": "10-50万"])
        // The form service's address is never the lead's (issue 13): it is kept as the form sender.
        #expect(lead.email == nil)
        #expect(lead.formSender == "forms@example.cn")
        #expect(lead.message?.hasPrefix("表单通知") == true)
    }

    @Test func utf8QuotedPrintableWithEnglishLabels() throws {
        let lead = try extract(try fixture("webform-utf8-qp.eml"))
        #expect(lead.name == "陈静")
        #expect(lead.email == "chen.jing@example.com")
        #expect(lead.phone == "+8675588881234")
        #expect(lead.province == "广东省")
        #expect(lead.industry == "制造业")
        #expect(lead.message == "Please call me back")
    }

    @Test func aMailWithoutLabelsTakesTheSenderAndKeepsSubjectAndBody() throws {
        let mail = Array("From: \"张伟\" <Zhang.Wei@Example.com>\r\nSubject: 询价\r\n\r\n请报价，谢谢。\r\n".utf8)
        let lead = try extract(mail)
        #expect(lead.name == "张伟")
        #expect(lead.email == "zhang.wei@example.com")
        #expect(lead.message == "询价\n\n请报价，谢谢。")
    }

    @Test func aMailWithNoWayToReachAnyoneIsNotALead() {
        let mail = Array("Subject: hello\r\n\r\njust text\r\n".utf8)
        #expect(throws: IngestError.noUsableLead("no e-mail address or phone number in the headers or the body")) {
            try extract(mail)
        }
    }

    @Test func aDeliveryReportIsNotALead() {
        let mail = Array("From: MAILER-DAEMON@mx.example.com\r\nContent-Type: multipart/report; boundary=x\r\n\r\n--x\r\n\r\nfailed\r\n--x--\r\n".utf8)
        #expect(throws: IngestError.noUsableLead("automatic message (delivery report or auto-reply)")) {
            try extract(mail)
        }
    }
}
