/// Finds table headers that the TOML parser TOMLKit 0.6.0 vendors (toml++ 3.x) cannot refuse
/// safely: after `[` or `[[` it expects a key and *asserts* the next character starts one, so
/// `[[[team]]`, `[[=` or `[ @x]` abort a debug build and are undefined behaviour in a release
/// build (the assertion becomes an optimiser assumption). Fixed upstream in toml++ PR #301
/// (2026); until a TOMLKit release carries it, the loader runs this check first and reports
/// the line itself. Found by `scripts/fuzz config`.
///
/// A small lexer: it only needs to know where a line starts outside any value, so it follows
/// comments, the four string forms and bracket depth inside values. On input that is not TOML
/// it may lose track, but only after a syntax error the parser stops at first.
enum TOMLHeaderCheck {
    /// The 1-based line of the first header whose key starts with a character no key can start with.
    static func firstBadHeader(_ text: String) -> (line: Int, character: Character)? {
        let bytes = Array(text.utf8)
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var line = 1
        var atLineStart = true
        var depth = 0
        while i < bytes.count {
            let byte = bytes[i]
            switch byte {
            case UInt8(ascii: "\n"):
                line += 1
                atLineStart = depth == 0
                i += 1
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                i += 1
            case UInt8(ascii: "#"):
                while i < bytes.count, bytes[i] != UInt8(ascii: "\n") { i += 1 }
            case UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: "]"), UInt8(ascii: "}"):
                if atLineStart, byte == UInt8(ascii: "[") {
                    if let bad = headerKeyStart(bytes, after: i) { return (line, bad) }
                    // The header's own brackets are not a value's: skip the rest of its line.
                    i = skipLine(bytes, from: i)
                    atLineStart = false
                    continue
                }
                atLineStart = false
                if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") { depth += 1 } else { depth = max(0, depth - 1) }
                i += 1
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                atLineStart = false
                i = skipString(bytes, from: i, lines: &line)
            default:
                atLineStart = false
                i += 1
            }
        }
        return nil
    }

    /// What toml++'s `parse_table_header` does before `parse_key`: skip `[`, spaces, an
    /// adjacent second `[` and spaces; `]` and a space before the second `[` are errors it reports.
    private static func headerKeyStart(_ bytes: [UInt8], after open: Int) -> Character? {
        var i = open + 1
        let afterFirst = i
        while i < bytes.count, bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "\t") { i += 1 }
        if i < bytes.count, bytes[i] == UInt8(ascii: "[") {
            guard i == afterFirst else { return nil }
            i += 1
            while i < bytes.count, bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "\t") { i += 1 }
        }
        guard i < bytes.count else { return nil }
        let byte = bytes[i]
        if isKeyStart(byte) || byte == UInt8(ascii: "]") { return nil }
        let scalar = String(decoding: bytes[i..<min(bytes.count, i + 4)], as: UTF8.self).first ?? "\u{FFFD}"
        return scalar
    }

    private static func isKeyStart(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"),
             UInt8(ascii: "\""), UInt8(ascii: "'"):
            return true
        default:
            return false
        }
    }

    /// Past a header line, minding quoted keys (a `#` or `]` inside quotes is text).
    private static func skipLine(_ bytes: [UInt8], from start: Int) -> Int {
        var i = start
        var ignoredLines = 0
        while i < bytes.count, bytes[i] != UInt8(ascii: "\n") {
            if bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") {
                i = skipString(bytes, from: i, lines: &ignoredLines)
            } else if bytes[i] == UInt8(ascii: "#") {
                while i < bytes.count, bytes[i] != UInt8(ascii: "\n") { i += 1 }
            } else {
                i += 1
            }
        }
        return i
    }

    /// Past a basic ("), literal ('), multi-line basic (""") or multi-line literal (''') string;
    /// counts the lines a multi-line string spans. A single-line string ends at its line's end.
    private static func skipString(_ bytes: [UInt8], from start: Int, lines: inout Int) -> Int {
        let quote = bytes[start]
        let escapes = quote == UInt8(ascii: "\"")
        let triple = start + 2 < bytes.count && bytes[start + 1] == quote && bytes[start + 2] == quote
        var i = start + (triple ? 3 : 1)
        while i < bytes.count {
            let byte = bytes[i]
            if escapes, byte == UInt8(ascii: "\\") {
                if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\n") { lines += 1 }
                i += 2
                continue
            }
            if byte == UInt8(ascii: "\n") {
                guard triple else { return i }
                lines += 1
            }
            if byte == quote {
                if !triple { return i + 1 }
                if i + 2 < bytes.count, bytes[i + 1] == quote, bytes[i + 2] == quote {
                    // Up to two more quotes belong to the string ("""a"""" ends after the fourth).
                    var end = i + 3
                    while end < bytes.count, end < i + 5, bytes[end] == quote { end += 1 }
                    return end
                }
            }
            i += 1
        }
        return i
    }
}
