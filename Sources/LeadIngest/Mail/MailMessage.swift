import Foundation
/// What leadrouter needs from one e-mail: who sent it, its subject, and its text.
public struct MailMessage: Sendable {
    public var subject: String?
    public var fromName: String?
    public var fromAddress: String?
    public var replyToName: String?
    public var replyToAddress: String?
    public var messageID: String?
    /// Every address in To and Cc, lower-cased (a rep's BCC'd mail names its customers here).
    public var recipients: [String]
    /// The Date header, when it parses.
    public var date: Date?
    /// The readable body: text/plain preferred, else HTML reduced to text.
    public var text: String
    public var isAutomaticReport: Bool
    /// Charset fallbacks and structural defects worked around while reading it.
    public var warnings: [String]
    /// Every top-level header field as (name, raw value), in order (e.g. an MTA's
    /// `Authentication-Results` for the BCC dropbox's `require_header`).
    public var headerFields: [(name: String, value: String)]

    public init(bytes: [UInt8], limits: MIMELimits = MIMELimits()) throws(IngestError) {
        let root = try MIMEParser(limits: limits).parse(bytes)
        var warnings = root.defects
        let leaves = root.leaves.filter { !$0.isAttachment && $0.contentType.type == "text" }
        let hint = leaves.lazy.compactMap(\.contentType.charset).first

        let plain = leaves.first { $0.contentType.subtype == "plain" && !Self.isBlank($0.body) }
        let html = leaves.first { $0.contentType.subtype == "html" && !Self.isBlank($0.body) }
        if let part = plain ?? html {
            var label = part.contentType.charset
            if label == nil, part.contentType.subtype == "html" { label = Self.metaCharset(part.body) }
            let decoded = Charset.decode(part.body, label: label ?? hint)
            if let warning = decoded.warning { warnings.append(warning) }
            text = part.contentType.subtype == "html" ? HTMLText.text(decoded.text) : Self.tidy(decoded.text)
        } else if root.parts.isEmpty, root.contentType.type != "text", root.contentType.type != "multipart" {
            text = ""                                   // a lone attachment
        } else {
            text = ""
        }
        subject = root.header("Subject", hint: hint).map(Self.oneLine).flatMap { $0.isEmpty ? nil : $0 }
        messageID = root.header("Message-ID").map(Self.oneLine)
        (fromName, fromAddress) = root.header("From", hint: hint).map(Self.mailbox) ?? (nil, nil)
        (replyToName, replyToAddress) = root.header("Reply-To", hint: hint).map(Self.mailbox) ?? (nil, nil)
        recipients = ["To", "Cc"].flatMap { root.headers($0).flatMap(Self.addresses) }
        date = root.header("Date").flatMap(Self.date)
        let autoSubmitted = root.header("Auto-Submitted")?.lowercased() ?? ""
        let sender = fromAddress?.lowercased() ?? ""
        isAutomaticReport = root.contentType.mimeType == "multipart/report" || autoSubmitted.hasPrefix("auto-replied")
            || sender.hasPrefix("mailer-daemon@") || sender.hasPrefix("postmaster@")
        self.warnings = warnings
        headerFields = root.headers.map { ($0.name, String(decoding: $0.value, as: UTF8.self)) }
    }

    static func isBlank(_ bytes: [UInt8]) -> Bool {
        !bytes.contains { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
    }

    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: { $0 == "\r" || $0 == "\n" }).joined(separator: " ").trimmingWhitespace()
    }

    static func tidy(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n").trimmingWhitespace()
    }

    /// `"张三" <zhang@example.cn>`, `zhang@example.cn (张三)`, or a bare address; the first mailbox.
    static func mailbox(_ value: String) -> (String?, String?) {
        let text = oneLine(value)
        if let open = text.lastIndex(of: "<"), let close = text[open...].firstIndex(of: ">") {
            let address = text[text.index(after: open)..<close].trimmingWhitespace()
            var name = text[..<open].trimmingWhitespace()
            if name.hasPrefix("\""), name.hasSuffix("\""), name.count >= 2 { name = String(name.dropFirst().dropLast()) }
            return (name.isEmpty ? nil : name, address.contains("@") ? address : nil)
        }
        let first = text.split(separator: ",").first { $0.contains("@") }.map { $0.trimmingWhitespace() } ?? ""
        if let paren = first.firstIndex(of: "(") {
            let address = first[..<paren].trimmingWhitespace()
            let name = first[first.index(after: paren)...].trimmingCharacters(in: "() ")
            return (name.isEmpty ? nil : name, address)
        }
        return (nil, first.isEmpty ? nil : first)
    }

    /// The addresses of an address list (`a@x.cn, "Li, Na" <b@y.cn>, group: c@z.cn;`), lower-cased.
    static func addresses(_ value: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var quoted = false, angle = false
        for character in oneLine(value) {
            switch character {
            case "\"": quoted.toggle(); current.append(character)
            case "<" where !quoted: angle = true; current.append(character)
            case ">" where !quoted: angle = false; current.append(character)
            case ",", ";", ":":
                if quoted || angle { current.append(character) } else { parts.append(current); current = "" }
            default: current.append(character)
            }
        }
        parts.append(current)
        return parts.compactMap { part in
            guard let address = mailbox(part).1?.lowercased(), address.contains("@"), !address.contains(" ") else { return nil }
            return address
        }
    }

    /// An RFC 5322 date (`Mon, 30 Nov 2026 10:00:00 +0800`, weekday and seconds optional).
    static func date(_ value: String) -> Date? {
        var text = oneLine(value)
        if let paren = text.firstIndex(of: "(") { text = text[..<paren].trimmingWhitespace() }
        if let comma = text.firstIndex(of: ",") { text = text[text.index(after: comma)...].trimmingWhitespace() }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        for format in ["d MMM yyyy HH:mm:ss Z", "d MMM yyyy HH:mm Z", "d MMM yy HH:mm:ss Z"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }

    /// `<meta charset="gbk">` or `content="text/html; charset=gb2312"` in the first 2 KiB.
    static func metaCharset(_ body: [UInt8]) -> String? {
        let head = String(decoding: body.prefix(2048), as: UTF8.self).lowercased()
        guard let range = head.range(of: "charset=") else { return nil }
        let rest = head[range.upperBound...].drop { $0 == "\"" || $0 == "'" || $0 == " " }
        let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
        return name.isEmpty ? nil : String(name)
    }
}

import LeadCore
