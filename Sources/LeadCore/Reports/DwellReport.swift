import Foundation

/// Time spent in each open status (a stay ends with the next change, or at `end` for the current one).
public enum DwellReport {
    /// One lead with one of its status changes (none: `status` and `at` nil), in lead, time order.
    public struct Entry: Hashable, Sendable {
        public var lead: Int64
        public var group: String
        public var created: Int64
        public var status: String?
        public var at: Int64?

        public init(lead: Int64, group: String, created: Int64, status: String?, at: Int64?) {
            self.lead = lead; self.group = group; self.created = created; self.status = status; self.at = at
        }
    }

    public static func build(_ entries: [Entry], groupTitle: String, lifecycle: Lifecycle, end: Int64) -> Report {
        var stays: [(String, (String, Int64))] = []
        var index = 0
        while index < entries.count {
            let first = entries[index]
            var status = LeadStatus.new.rawValue
            var entered = first.created
            while index < entries.count, entries[index].lead == first.lead {
                if let next = entries[index].status, let at = entries[index].at {
                    stays.append((first.group, (status, max(0, at - entered))))
                    status = next
                    entered = at
                }
                index += 1
            }
            if !lifecycle.closed.contains(LeadStatus(rawValue: status)) {
                stays.append((first.group, (status, max(0, end - entered))))
            }
        }
        let order = Dictionary(uniqueKeysWithValues: lifecycle.statuses.enumerated().map { ($1.rawValue, $0) })
        var rows: [[Report.Value]] = []
        for (group, items) in Dictionary(grouping: stays, by: \.0).map({ ($0.key, $0.value.map(\.1)) }).sorted(by: { $0.0 < $1.0 }) {
            let byStatus = Dictionary(grouping: items, by: \.0).sorted { (order[$0.key] ?? 99) < (order[$1.key] ?? 99) }
            for (status, list) in byStatus {
                let durations = list.map(\.1)
                rows.append([.text(group), .text(status), .count(durations.count), .seconds(Statistics.median(durations)),
                             .seconds(Statistics.percentile(durations, 0.9))])
            }
        }
        return Report(name: "dwell", columns: [.init(groupTitle, .text), .init("status", .text), .init("stays", .count),
                                               .init("median", .seconds), .init("p90", .seconds)], rows: rows)
    }
}
