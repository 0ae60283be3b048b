import LeadCore
/// Decodes a header value to text: RFC 2047 encoded-words (`=?charset?B|Q?…?=`, any charset;
/// adjacent words of one charset joined before decoding, so a character split across words
/// survives) and raw 8-bit bytes (RFC 6532 UTF-8, or legacy bytes decoded with `hint`, the
/// message's own charset).
public enum EncodedWords {
    public static func decode(_ value: [UInt8], hint: String? = nil) -> String {
        var output = ""
        var pendingBytes: [UInt8] = []
        var pendingCharset: String? = nil
        var plain: [UInt8] = []          // literal bytes not yet emitted
        var i = 0

        func flushPending() {
            guard let charset = pendingCharset else { return }
            output += Charset.decode(pendingBytes, label: charset).text
            pendingBytes = []
            pendingCharset = nil
        }
        func flushPlain() {
            guard !plain.isEmpty else { return }
            output += decodeRaw(plain, hint: hint)
            plain = []
        }

        while i < value.count {
            if value[i] == UInt8(ascii: "="), i + 1 < value.count, value[i + 1] == UInt8(ascii: "?"),
               let word = parseWord(value, at: i) {
                // White space between two encoded-words is dropped.
                if pendingCharset != nil, plain.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                    plain = []
                } else {
                    flushPending()
                }
                flushPlain()
                if pendingCharset != word.charset { flushPending() }
                pendingCharset = word.charset
                pendingBytes += word.bytes
                i = word.end
                continue
            }
            if pendingCharset != nil, !(value[i] == 0x20 || value[i] == 0x09) {
                flushPending()
            }
            plain.append(value[i])
            i += 1
        }
        if pendingCharset != nil, plain.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { plain = [] }
        flushPending()
        flushPlain()
        return output
    }

    static func decodeRaw(_ bytes: [UInt8], hint: String?) -> String {
        if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        if let text = Charset.validUTF8(bytes) {
            if let hint, let name = Charset.iconvName(hint), name != "UTF-8",
               let repaired = Charset.repairLatin1Mojibake(bytes, as: name) { return repaired }
            return text
        }
        return Charset.decode(bytes, label: hint).text
    }

    /// `=?charset[*lang]?B|Q?text?=` starting at `start`.
    private static func parseWord(_ v: [UInt8], at start: Int) -> (charset: String, bytes: [UInt8], end: Int)? {
        var i = start + 2
        let charsetStart = i
        while i < v.count, v[i] != UInt8(ascii: "?"), v[i] > 0x20, i - charsetStart < 64 { i += 1 }
        guard i + 2 < v.count, v[i] == UInt8(ascii: "?"), i > charsetStart else { return nil }
        var charset = String(decoding: v[charsetStart..<i], as: UTF8.self).lowercased()
        if let star = charset.firstIndex(of: "*") { charset = String(charset[..<star]) }   // RFC 2231 language
        let mode = v[i + 1] | 0x20
        guard mode == UInt8(ascii: "b") || mode == UInt8(ascii: "q"), v[i + 2] == UInt8(ascii: "?") else { return nil }
        let textStart = i + 3
        var j = textStart
        while j + 1 < v.count, !(v[j] == UInt8(ascii: "?") && v[j + 1] == UInt8(ascii: "=")) {
            if v[j] == 0x20 && mode == UInt8(ascii: "q") { return nil }
            j += 1
        }
        guard j + 1 < v.count else { return nil }
        let text = v[textStart..<j]
        let bytes = mode == UInt8(ascii: "b")
            ? TransferEncoding.base64(text)
            : TransferEncoding.quotedPrintable(text, underscoreIsSpace: true)
        return (charset, bytes, j + 2)
    }
}
