import LeadCore
/// HTML reduced to text for a lead's message and for label/value extraction: tags dropped,
/// `script`/`style` skipped, entities decoded, block ends as new lines and table cells separated
/// by a tab (so `<td>姓名</td><td>张三</td>` reads `姓名\t张三`). One pass, no tree: linear in the
/// input whatever its nesting.
public enum HTMLText {
    public static func text(_ html: String) -> String {
        var out = ""
        var chars = html.unicodeScalars[...]
        var skipUntil: String? = nil
        while let c = chars.first {
            if c == "<" {
                guard let close = chars.firstIndex(of: ">") else { break }
                let tag = String(String.UnicodeScalarView(chars[chars.index(after: chars.startIndex)..<close])).lowercased()
                chars = chars[chars.index(after: close)...]
                let name = tag.split(whereSeparator: { $0 == " " || $0 == "/" || $0 == "\n" || $0 == "\t" }).first.map(String.init) ?? ""
                let closing = tag.hasPrefix("/")
                let bare = closing ? String(tag.dropFirst().prefix { $0.isLetter || $0.isNumber }) : name
                if let pending = skipUntil {
                    if closing && bare == pending { skipUntil = nil }
                    continue
                }
                if !closing && (bare == "script" || bare == "style" || bare == "head" || bare == "title") {
                    if !tag.hasSuffix("/") { skipUntil = bare }
                    continue
                }
                switch bare {
                case "br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote":
                    if !out.hasSuffix("\n") { out += "\n" }
                case "td", "th":
                    if closing { out += "\t" }
                default: break
                }
                continue
            }
            chars = chars.dropFirst()
            if skipUntil != nil { continue }
            if c == "&" {
                let (decoded, rest) = entity(chars)
                out += decoded
                chars = rest
                continue
            }
            if c == "\r" { continue }
            if c == "\n" || c == "\t" || c == " " || c == "\u{A0}" {
                if !(out.last == " " || out.last == "\n" || out.last == "\t") { out += " " }
                continue
            }
            out.unicodeScalars.append(c)
        }
        // Tidy: trim each line, drop empty lines, trailing tabs of rows.
        return out.split(separator: "\n").map { line in
            line.trimmingWhitespace().trimmingCharacters(in: "\t ")
        }.filter { !$0.isEmpty }.joined(separator: "\n")
    }

    private static let named: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ", "copy": "©", "reg": "®",
        "yen": "¥", "mdash": "—", "ndash": "–", "hellip": "…", "ldquo": "“", "rdquo": "”", "lsquo": "‘", "rsquo": "’",
    ]

    private static func entity(_ rest: Substring.UnicodeScalarView) -> (String, Substring.UnicodeScalarView) {
        guard let semicolon = rest.prefix(12).firstIndex(of: ";") else { return ("&", rest) }
        let body = String(String.UnicodeScalarView(rest[rest.startIndex..<semicolon]))
        let after = rest[rest.index(after: semicolon)...]
        if body.hasPrefix("#") {
            let number = body.dropFirst()
            let value = number.hasPrefix("x") || number.hasPrefix("X") ? UInt32(number.dropFirst(), radix: 16) : UInt32(number)
            if let value, let scalar = Unicode.Scalar(value), value != 0 { return (String(Character(scalar)), after) }
            return ("&", rest)
        }
        if let text = named[body.lowercased()] { return (text, after) }
        return ("&", rest)
    }
}
