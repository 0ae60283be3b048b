/// Durations as admins write them: `"90s"`, `"15m"`, `"24h"`, `"3d"`, or a sum such as `"1h30m"`.
/// A day is 24 hours here; business-time arithmetic lives with the calendars.
public enum DurationText {
    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case empty
        case malformed(String)
        case overflow(String)

        public var description: String {
            switch self {
            case .empty: "empty duration"
            case .malformed(let text): "\"\(text)\" is not a duration (use a number and a unit s, m, h or d, e.g. \"90s\", \"15m\", \"24h\", \"3d\", \"1h30m\")"
            case .overflow(let text): "\"\(text)\" is too long a duration"
            }
        }
    }

    /// Parses a duration; returns whole seconds.
    public static func seconds(_ text: String) throws(ParseError) -> Int64 {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw .empty }
        var total: Int64 = 0
        var number: Int64? = nil
        var lastUnitRank = Int.max
        for character in trimmed {
            if let digit = character.wholeNumberValue, character.isASCII {
                let (times, o1) = (number ?? 0).multipliedReportingOverflow(by: 10)
                let (sum, o2) = times.addingReportingOverflow(Int64(digit))
                guard !o1, !o2 else { throw .overflow(trimmed) }
                number = sum
                continue
            }
            let unit: (rank: Int, seconds: Int64)
            switch character {
            case "d": unit = (4, 86_400)
            case "h": unit = (3, 3_600)
            case "m": unit = (2, 60)
            case "s": unit = (1, 1)
            default: throw .malformed(trimmed)
            }
            // Units must be given once each, largest first ("1h30m", not "30m1h" or "1h1h").
            guard let value = number, unit.rank < lastUnitRank else { throw .malformed(trimmed) }
            let (part, o1) = value.multipliedReportingOverflow(by: unit.seconds)
            let (sum, o2) = total.addingReportingOverflow(part)
            guard !o1, !o2 else { throw .overflow(trimmed) }
            total = sum
            number = nil
            lastUnitRank = unit.rank
        }
        guard number == nil, lastUnitRank != Int.max else { throw .malformed(trimmed) }
        return total
    }

    public static func duration(_ text: String) throws(ParseError) -> Duration {
        .seconds(try seconds(text))
    }

    /// The shortest text that parses back to the same number of seconds: 5400 → "1h30m".
    public static func format(seconds: Int64) -> String {
        guard seconds > 0 else { return "0s" }
        var rest = seconds
        var text = ""
        for (unit, size) in [("d", Int64(86_400)), ("h", 3_600), ("m", 60), ("s", 1)] where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        return text
    }
}

