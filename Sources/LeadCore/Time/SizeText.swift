/// Sizes as admins write them: `"64KiB"`, `"10MiB"`, `"1GiB"`, `"500B"`; `KB`/`MB`/`GB` are
/// decimal (1000), the `i` forms binary (1024).
public enum SizeText {
    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public var text: String
        public var description: String { "\"\(text)\" is not a size (use a number and B, KiB, MiB, GiB, KB, MB or GB, e.g. \"64KiB\")" }
    }

    public static func bytes(_ text: String) throws(ParseError) -> Int {
        let trimmed = text.trimmingWhitespace()
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        let unit = trimmed.dropFirst(digits.count).trimmingWhitespace()
        let multipliers: [String: Int] = ["": 1, "B": 1, "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30,
                                          "KB": 1_000, "MB": 1_000_000, "GB": 1_000_000_000, "K": 1 << 10, "M": 1 << 20]
        guard !digits.isEmpty, let number = Int(digits), let multiplier = multipliers[unit] else { throw ParseError(text: text) }
        let (value, overflow) = number.multipliedReportingOverflow(by: multiplier)
        guard !overflow else { throw ParseError(text: text) }
        return value
    }

    /// The largest binary unit that divides `bytes` evenly: 65536 → "64KiB", 1000 → "1000B".
    public static func format(_ bytes: Int) -> String {
        for (unit, size) in [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)] where bytes >= size && bytes % size == 0 {
            return "\(bytes / size)\(unit)"
        }
        return "\(bytes)B"
    }
}
