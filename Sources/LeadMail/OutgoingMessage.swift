import Foundation

/// An RFC 5322 message as leadrouter sends it: UTF-8 text (and optional HTML) in base64, the
/// subject and display names as RFC 2047 encoded words when not ASCII, CRLF line ends, and a
/// deterministic Message-ID, so a resend after a crash is recognisably the same message.
public struct OutgoingMessage: Sendable, Equatable {
    public struct Address: Sendable, Equatable {
        public var name: String?
        public var address: String
        public init(_ address: String, name: String? = nil) { self.address = address; self.name = name }
    }

    public var from: Address
    public var to: [Address]
    public var cc: [Address]
    public var subject: String
    public var text: String
    public var html: String?
    public var messageID: String
    public var date: Date
    /// Images the HTML shows by `cid:` (multipart/related).
    public var inline: [InlinePart]

    public struct InlinePart: Sendable, Equatable {
        public var contentID: String
        public var contentType: String
        public var data: [UInt8]
        public init(contentID: String, contentType: String, data: [UInt8]) { self.contentID = contentID; self.contentType = contentType; self.data = data }
    }

    public init(from: Address, to: [Address], cc: [Address] = [], subject: String, text: String, html: String? = nil,
                messageID: String, date: Date, inline: [InlinePart] = []) {
        self.from = from; self.to = to; self.cc = cc; self.subject = subject; self.text = text; self.html = html
        self.messageID = messageID; self.date = date; self.inline = inline
    }

    /// Every envelope recipient: To and Cc.
    public var recipients: [String] { (to + cc).map(\.address) }

    /// `<leadrouter.outbox-42.1796000000@example.com>`: stable for an outbox row.
    public static func messageID(outboxID: Int64, createdAt: Int64, domain: String) -> String {
        "<leadrouter.outbox-\(outboxID).\(createdAt)@\(domain)>"
    }

    public func rendered() -> [UInt8] {
        var lines: [String] = [
            "Date: \(Self.rfc5322Date(date))",
            "From: \(Self.mailbox(from))",
            "To: \(to.map(Self.mailbox).joined(separator: ", "))",
        ]
        if !cc.isEmpty { lines.append("Cc: \(cc.map(Self.mailbox).joined(separator: ", "))") }
        lines += [
            "Subject: \(Self.encodedWords(subject))",
            "Message-ID: \(messageID)",
            "Auto-Submitted: auto-generated",
            "MIME-Version: 1.0",
        ]
        if let html {
            // "_" never occurs in base64, so the boundary cannot occur in a part.
            let boundary = "=_leadrouter_" + String(messageID.filter { $0.isASCII && ($0.isLetter || $0.isNumber) }.prefix(40))
            lines.append("Content-Type: multipart/alternative; boundary=\"\(boundary)\"")
            lines.append("")
            lines.append("--\(boundary)")
            lines += Self.part(text, type: "text/plain")
            lines.append("--\(boundary)")
            if inline.isEmpty {
                lines += Self.part(html, type: "text/html")
            } else {
                let related = boundary + "_related"
                lines.append("Content-Type: multipart/related; boundary=\"\(related)\"")
                lines.append("")
                lines.append("--\(related)")
                lines += Self.part(html, type: "text/html")
                for image in inline {
                    lines.append("--\(related)")
                    lines += ["Content-Type: \(image.contentType)", "Content-ID: <\(image.contentID)>", "Content-Disposition: inline",
                              "Content-Transfer-Encoding: base64", ""]
                    lines += Self.base64Lines(image.data)
                }
                lines.append("--\(related)--")
            }
            lines.append("--\(boundary)--")
        } else {
            lines += Self.part(text, type: "text/plain")
        }
        return Array((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    static func part(_ body: String, type: String) -> [String] {
        let normalised = body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
        return ["Content-Type: \(type); charset=UTF-8", "Content-Transfer-Encoding: base64", ""] + base64Lines(Array(normalised.utf8))
    }

    static func base64Lines(_ bytes: [UInt8]) -> [String] {
        let base64 = Data(bytes).base64EncodedString()
        var lines: [String] = []
        var index = base64.startIndex
        while index < base64.endIndex {
            let end = base64.index(index, offsetBy: 76, limitedBy: base64.endIndex) ?? base64.endIndex
            lines.append(String(base64[index..<end]))
            index = end
        }
        return lines
    }

    static func mailbox(_ address: Address) -> String {
        guard let name = address.name, !name.isEmpty else { return address.address }
        let isPlain = name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || $0 == " " || $0.properties.numericType != nil) }
        return "\(isPlain ? name : encodedWords(name)) <\(address.address)>"
    }

    /// RFC 2047 `=?UTF-8?B?…?=` words of at most 75 characters, split on character boundaries;
    /// printable ASCII text is left as it is.
    static func encodedWords(_ text: String) -> String {
        let oneLine = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        if oneLine.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }), oneLine.utf8.count <= 900 { return oneLine }
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in oneLine {
            let bytes = Array(String(character).utf8)
            // 75 - "=?UTF-8?B?".count - "?=".count = 63 base64 characters = 45 bytes of text at most.
            if chunk.count + bytes.count > 45 {
                words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=") }
        return words.joined(separator: "\r\n ")
    }

    /// The subject encoding, for tests.
    public static func encodedWordsForTesting(_ text: String) -> String { encodedWords(text) }

    /// `Mon, 30 Nov 2026 10:33:02 +0000`.
    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }
}
