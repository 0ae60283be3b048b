import Foundation
import LeadConfig
import LeadCore
import LeadMail
import Testing

@Suite struct MailComposerTests {
    @Test func theWeeklySummaryCarriesItsChartsAsInlineImages() throws {
        let smtp = SMTPConfiguration(url: URL(string: "smtp://127.0.0.1:25")!, from: EmailAddress(rawValue: "leadrouter@example.com")!)
        let svg = BarChart(title: "漏斗", bars: [.init(label: "new", value: 4, text: "4")]).svg
        let row = OutboxMessage(id: 7, kind: "report.weekly", lead: nil, recipient: "boss@example.com", cc: [], subject: "周报", body: "正文",
                                state: .pending, attempts: 1, nextAttemptAt: Date(), createdAt: Date(timeIntervalSince1970: 1_796_000_000),
                                variables: ["chart_funnel": .text(svg)])
        let message = MailComposer.message(for: row, smtp: smtp, templates: nil, at: Date(timeIntervalSince1970: 1_796_000_000))
        let text = String(decoding: message.rendered(), as: UTF8.self)
        #expect(text.contains("Content-Type: multipart/alternative"))
        #expect(text.contains("Content-Type: multipart/related"))
        #expect(text.contains("Content-ID: <chart_funnel.7@leadrouter>") && text.contains("Content-Type: image/svg+xml"))
        let html = try #require(message.html)
        #expect(html.contains("<img src=\"cid:chart_funnel.7@leadrouter\""))
        #expect(message.messageID == "<leadrouter.outbox-7.1796000000@example.com>")
    }
}
