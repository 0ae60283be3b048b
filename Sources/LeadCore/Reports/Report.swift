import Foundation

/// A report as computed from the store: named columns and rows of typed values. The text, JSON and
/// CSV forms all come from these values, so the numbers agree across formats.
public struct Report: Hashable, Sendable {
    public enum Kind: Hashable, Sendable { case text, count, seconds, ratio }

    public struct Column: Hashable, Sendable {
        public var key: String
        public var kind: Kind
        public init(_ key: String, _ kind: Kind) { self.key = key; self.kind = kind }
    }

    public enum Value: Hashable, Sendable {
        case text(String)
        case count(Int)
        /// Whole seconds; nil when there is nothing to measure.
        case seconds(Int64?)
        /// 0…1 rounded to 4 places; nil when the denominator is 0.
        case ratio(Double?)

        public static func ratio(_ part: Int, of whole: Int) -> Value {
            .ratio(whole == 0 ? nil : (Double(part) / Double(whole) * 10_000).rounded() / 10_000)
        }

        /// For tables: `2h15m`, `87.5%`, `-` for nothing.
        public var display: String {
            switch self {
            case .text(let text): text.isEmpty ? "-" : text
            case .count(let count): String(count)
            case .seconds(let seconds): seconds.map { $0 == 0 ? "0s" : DurationText.format(seconds: $0) } ?? "-"
            case .ratio(let ratio): ratio.map { String(format: "%.1f%%", $0 * 100) } ?? "-"
            }
        }

        /// For JSON: strings, integers, seconds as integers, ratios as 0…1, or null.
        public var json: Any {
            switch self {
            case .text(let text): text
            case .count(let count): count
            case .seconds(let seconds): seconds.map { $0 as Any } ?? NSNull()
            case .ratio(let ratio): ratio.map { $0 as Any } ?? NSNull()
            }
        }

        /// For CSV: the JSON value as text (empty for nothing). Text from lead data that begins
        /// with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so a spreadsheet
        /// shows it instead of running it as a formula (OWASP's advice on CSV injection).
        public var csv: String {
            switch self {
            case .text(let text): text.first.map { "=+-@\t\r".contains($0) } == true ? "'" + text : text
            case .count(let count): String(count)
            case .seconds(let seconds): seconds.map(String.init) ?? ""
            case .ratio(let ratio): ratio.map { String($0) } ?? ""
            }
        }
    }

    public var name: String
    public var columns: [Column]
    public var rows: [[Value]]

    public init(name: String, columns: [Column], rows: [[Value]]) { self.name = name; self.columns = columns; self.rows = rows }

    public var csv: String {
        func quote(_ text: String) -> String {
            text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        return ([columns.map(\.key).joined(separator: ",")] + rows.map { $0.map { quote($0.csv) }.joined(separator: ",") })
            .joined(separator: "\r\n") + "\r\n"
    }

    public var jsonObjects: [[String: Any]] {
        rows.map { row in Dictionary(uniqueKeysWithValues: zip(columns.map(\.key), row.map(\.json))) }
    }
}

/// Medians and percentiles as the reports define them.
public enum Statistics {
    /// The middle value; the mean of the two middle values of an even count (rounded down to a second).
    public static func median(_ values: [Int64]) -> Int64? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    /// Nearest rank: the smallest value with at least `p` of the values at or below it.
    public static func percentile(_ values: [Int64], _ p: Double) -> Int64? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = max(1, Int((p * Double(sorted.count)).rounded(.up)))
        return sorted[min(rank, sorted.count) - 1]
    }
}

/// What a report covers: leads created in [since, until), grouped by one field.
public struct ReportQuery: Hashable, Sendable {
    public enum Grouping: String, Hashable, Sendable, CaseIterable { case rep, team, source, province, industry }

    public var since: Date?
    public var until: Date?
    public var by: Grouping?
    /// Only this team's leads.
    public var team: TeamID?

    public init(since: Date? = nil, until: Date? = nil, by: Grouping? = nil, team: TeamID? = nil) {
        self.since = since; self.until = until; self.by = by; self.team = team
    }
}
