/// Finds the input that the TOML parser inside TOMLKit 0.6.0 (toml++ 3.x) cannot refuse safely:
/// where it *asserts* instead of reporting an error, which aborts the process in a debug build
/// and in SwiftPM's release build alike (SwiftPM compiles the C++ without NDEBUG), on
/// `leadctl config check` or on a reload. The loader runs this first and reports the line itself.
/// All found by `scripts/fuzz config`:
/// - a table header whose key starts with a character no key can start with: `[[[team]]`,
///   `[[=`, `[ @x]` (`parse_key`; fixed upstream in toml++ PR #301, 2026);
/// - `}` where an array expects a value: `x = [ }`, `x = [1,}` (`parse_value`);
/// - U+0085, U+2028 or U+2029 (Unicode line separators, never TOML whitespace) outside strings and
///   comments, e.g. where an array expects a value (`parse_value`).
///
/// A small lexer: it follows comments, the four string forms and the brackets of values. On
/// input that is not TOML it may lose track, but only after a syntax error the parser stops at.
enum TOMLPreflight {
    /// The 1-based line of the first problem and what it is.
    static func firstProblem(_ text: String) -> (line: Int, message: String)? {
        let bytes = Array(text.utf8)
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var line = 1
        var atLineStart = true
        var open: [UInt8] = []   // the brackets of the value being read, innermost last
        while i < bytes.count {
            let byte = bytes[i]
            switch byte {
            case UInt8(ascii: "\n"):
                line += 1
                atLineStart = open.isEmpty
                i += 1
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                i += 1
            case UInt8(ascii: "#"):
                while i < bytes.count, bytes[i] != UInt8(ascii: "\n") { i += 1 }
            case UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: "]"), UInt8(ascii: "}"):
                if atLineStart, byte == UInt8(ascii: "[") {
                    if let bad = headerKeyStart(bytes, after: i) { return (line, "a table header needs a key, saw '\(bad)'") }
                    // The header's own brackets are not a value's: skip the rest of its line.
                    i = skipLine(bytes, from: i)
                    atLineStart = false
                    continue
                }
                atLineStart = false
                switch byte {
                case UInt8(ascii: "["), UInt8(ascii: "{"):
                    open.append(byte)
                case UInt8(ascii: "}") where open.last == UInt8(ascii: "["):
                    return (line, "'}' inside an array (an inline table's '}' without its '{')")
                default:
                    _ = open.popLast()
                }
                i += 1
            case 0xC2 where i + 1 < bytes.count && bytes[i + 1] == 0x85,
                 0xE2 where i + 2 < bytes.count && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9):
                let name = byte == 0xC2 ? "U+0085" : bytes[i + 2] == 0xA8 ? "U+2028" : "U+2029"
                return (line, "\(name) is a Unicode line separator, not TOML whitespace (use a newline)")
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
