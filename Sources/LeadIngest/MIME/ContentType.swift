import LeadCore
/// A `Content-Type` (or `Content-Disposition`) value: `type/subtype; name=value`, with RFC 2231
/// continuations (`title*0*=`) and charsets (`name*=utf-8''%E7%AE%A1`). Lenient: a missing subtype,
/// spaces around `=`, unquoted values with odd characters.
public struct ContentType: Sendable, Equatable {
    public var type: String
    public var subtype: String
    public var parameters: [String: String]

    public static let textPlain = ContentType(type: "text", subtype: "plain", parameters: [:])

    public var mimeType: String { "\(type)/\(subtype)" }
    public var isMultipart: Bool { type == "multipart" }
    public var charset: String? { parameters["charset"].flatMap { $0.isEmpty ? nil : $0.lowercased() } }
    public var boundary: String? { parameters["boundary"].flatMap { $0.isEmpty ? nil : $0 } }

    /// Parses a header value (already decoded to text).
    public static func parse(_ text: String) -> ContentType {
        let (head, parameters) = parseParameters(text)
        let pieces = head.lowercased().split(separator: "/", maxSplits: 1).map { $0.trimmingWhitespace() }
        let type = pieces.first ?? ""
        let subtype = pieces.count > 1 ? pieces[1] : ""
        guard !type.isEmpty, !type.contains(" ") else {
            return ContentType(type: "text", subtype: "plain", parameters: parameters)
        }
        return ContentType(type: type, subtype: subtype, parameters: parameters)
    }

    /// The part before the first `;`, and the parameters.
    static func parseParameters(_ text: String) -> (String, [String: String]) {
        var segments: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for character in text {
            if escaped { current.append(character); escaped = false; continue }
            if quoted && character == "\\" { escaped = true; continue }
            if character == "\"" { quoted.toggle(); current.append(character); continue }
            if character == ";" && !quoted { segments.append(current); current = ""; continue }
            current.append(character)
        }
        segments.append(current)
        let head = segments.first.map { $0.trimmingWhitespace() } ?? ""
        var simple: [String: String] = [:]
        var extended: [String: [(index: Int, encoded: Bool, value: String)]] = [:]
        for segment in segments.dropFirst() {
            guard let equals = segment.firstIndex(of: "=") else { continue }
            var name = segment[..<equals].trimmingWhitespace().lowercased()
            var value = segment[segment.index(after: equals)...].trimmingWhitespace()
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            guard !name.isEmpty else { continue }
            let encoded = name.hasSuffix("*")
            if encoded { name.removeLast() }
            if let star = name.firstIndex(of: "*"), let index = Int(name[name.index(after: star)...]) {
                extended[String(name[..<star]), default: []].append((index, encoded, value))
            } else if encoded {
                extended[name, default: []].append((0, true, value))
            } else if simple[name] == nil {
                simple[name] = value
            }
        }
        for (name, pieces) in extended {
            var bytes: [UInt8] = []
            var charset: String? = nil
            for (position, piece) in pieces.sorted(by: { $0.index < $1.index }).enumerated() {
                var value = Substring(piece.value)
                if piece.encoded {
                    if position == 0 {
                        let parts = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                        if parts.count == 3 { charset = String(parts[0]).lowercased(); value = parts[2] }
                    }
                    bytes += percentDecoded(value)
                } else {
                    bytes += Array(value.utf8)
                }
            }
            simple[name] = Charset.decode(bytes, label: charset).text
        }
        return (head, simple)
    }

    private static func percentDecoded(_ text: Substring) -> [UInt8] {
        var out: [UInt8] = []
        var bytes = Array(text.utf8)[...]
        while let byte = bytes.popFirst() {
            if byte == 0x25, bytes.count >= 2, let value = UInt8(String(decoding: bytes.prefix(2), as: UTF8.self), radix: 16) {
                out.append(value)
                bytes = bytes.dropFirst(2)
            } else {
                out.append(byte)
            }
        }
        return out
    }
}
