import Foundation
import LeadConfig
import LeadCore

/// Outbox rows as RFC 5322 messages, and `[smtp]` as transport settings.
public enum MailComposer {
    /// The row's message: its template (`[mail] templates`) in the recipient's language when one
    /// covers its kind, else the built-in text stored with the row.
    public static func message(for row: OutboxMessage, smtp: SMTPConfiguration, templates: TemplateLibrary?, at now: Date) -> OutgoingMessage {
        let domain = smtp.from.rawValue.split(separator: "@").last.map(String.init) ?? "leadrouter.localdomain"
        var subject = row.subject
        var text = row.body
        if !row.variables.isEmpty, let rendered = templates?.render(kind: row.kind, language: row.language, variables: row.variables) {
            (subject, text) = rendered
        }
        // The weekly summary shows its charts inline: an HTML alternative with cid: images.
        var html: String? = nil
        var inline: [OutgoingMessage.InlinePart] = []
        for key in ["chart_funnel", "chart_dwell"] {
            if case .text(let svg)? = row.variables[key] {
                inline.append(.init(contentID: "\(key).\(row.id)@leadrouter", contentType: "image/svg+xml", data: Array(svg.utf8)))
            }
        }
        if !inline.isEmpty {
            let escaped = text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            html = "<html><body><pre style=\"font-family: sans-serif\">\(escaped)</pre>"
                + inline.map { "<p><img src=\"cid:\($0.contentID)\" alt=\"chart\"></p>" }.joined() + "</body></html>"
        }
        return OutgoingMessage(from: .init(smtp.from.rawValue, name: smtp.fromName), to: [.init(row.recipient)],
                               cc: row.cc.map { .init($0) }, subject: subject, text: text, html: html,
                               messageID: OutgoingMessage.messageID(outboxID: row.id, createdAt: Int64(row.createdAt.timeIntervalSince1970), domain: domain),
                               date: now, inline: inline)
    }

    public static func settings(_ smtp: SMTPConfiguration) -> SMTPSettings {
        let host = smtp.from.rawValue.split(separator: "@").last.map(String.init) ?? "leadrouter.localdomain"
        return SMTPSettings(url: smtp.url.absoluteString.trimmingCharacters(in: CharacterSet(charactersIn: "/")),
                            startTLS: SMTPSettings.StartTLS(rawValue: smtp.startTLS.rawValue) ?? .required,
                            username: smtp.username, password: smtp.password?.value, caFile: smtp.caFile?.path,
                            connectTimeout: smtp.connectTimeout, timeout: smtp.timeout, localName: host)
    }
}
