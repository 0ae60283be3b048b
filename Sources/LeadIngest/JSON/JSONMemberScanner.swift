/// Finds top-level members of a JSON object without building the document: names and the wanted
/// values are decoded, everything else is stepped over (strings to their closing quote, objects and
/// arrays by bracket depth). For a key that sits inside the body (Google Ads' `google_key`): it is
/// checked before the request is parsed, in one pass that allocates nothing for the rest of it.
/// The full, strict parse happens after authentication.
public enum JSONMemberScanner {
    /// The string values of the top-level members whose name is in `names`, in order; nil when the
    /// body is not an object or is cut short. A wanted member whose value is not a string is skipped.
    public static func topLevelStrings(named names: Set<String>, in bytes: [UInt8], maxDepth: Int = JSONParser.defaultMaxDepth) -> [String]? {
        var cursor = Cursor(bytes: bytes)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { cursor.index = 3 }
        cursor.skipWhitespace()
        guard cursor.take(UInt8(ascii: "{")) else { return nil }
        var found: [String] = []
        cursor.skipWhitespace()
        if cursor.take(UInt8(ascii: "}")) { return found }
        while true {
            cursor.skipWhitespace()
            guard let nameRange = cursor.skipString(),
                  case .string(let name)? = try? JSONParser.parse(Array(bytes[nameRange])) else { return nil }
            cursor.skipWhitespace()
            guard cursor.take(UInt8(ascii: ":")) else { return nil }
            cursor.skipWhitespace()
            let start = cursor.index
            guard cursor.skipValue(maxDepth: maxDepth) else { return nil }
            if names.contains(name), case .string(let value)? = try? JSONParser.parse(Array(bytes[start..<cursor.index])) {
                found.append(value)
            }
            cursor.skipWhitespace()
            if cursor.take(UInt8(ascii: ",")) { continue }
            return cursor.take(UInt8(ascii: "}")) ? found : nil
        }
    }

    private struct Cursor {
        let bytes: [UInt8]
        var index = 0

        mutating func skipWhitespace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        /// Steps over a string literal; returns its range, quotes included.
        mutating func skipString() -> Range<Int>? {
            let start = index
            guard take(UInt8(ascii: "\"")) else { return nil }
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\\"): index += 2
                case UInt8(ascii: "\""): index += 1; return start..<index
                default: index += 1
                }
            }
            return nil
        }

        /// Steps over one value: a string, a scalar, or an object/array by bracket depth.
        mutating func skipValue(maxDepth: Int) -> Bool {
            guard index < bytes.count else { return false }
            switch bytes[index] {
            case UInt8(ascii: "\""):
                return skipString() != nil
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                var depth = 0
                while index < bytes.count {
                    switch bytes[index] {
                    case UInt8(ascii: "\""):
                        guard skipString() != nil else { return false }
                        continue
                    case UInt8(ascii: "{"), UInt8(ascii: "["):
                        depth += 1
                        guard depth <= maxDepth else { return false }
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        depth -= 1
                        if depth == 0 { index += 1; return true }
                    default: break
                    }
                    index += 1
                }
                return false
            default:
                let start = index
                while index < bytes.count, ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) {
                    index += 1
                }
                return index > start
            }
        }
    }
}
