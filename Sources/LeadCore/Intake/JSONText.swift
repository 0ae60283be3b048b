/// JSON string quoting for the hot paths that build small JSON documents by hand.
public enum JSONText {
    public static func quote(_ text: String) -> String {
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// A flat string-to-string object, keys sorted.
    public static func object(_ data: [String: String]) -> String {
        "{" + data.keys.sorted().map { "\(quote($0)):\(quote(data[$0]!))" }.joined(separator: ",") + "}"
    }

    /// A flat string-to-integer object, keys sorted.
    public static func object<N: BinaryInteger>(_ data: [String: N]) -> String {
        "{" + data.keys.sorted().map { "\(quote($0)):\(data[$0]!)" }.joined(separator: ",") + "}"
    }
}
