import Foundation

/// How many leads reached each status, and the conversion between consecutive statuses of the
/// main path (statuses entered from any status, such as Disqualified, are counted after it).
public enum FunnelReport {
    /// `groups`: per group, each lead's reached statuses (its history, its current status, new).
    public static func build(groups: [(String, [Set<String>])], groupTitle: String, lifecycle: Lifecycle) -> Report {
        let path = lifecycle.statuses.filter { status in status == .new || lifecycle.transitions.contains { $0.to == status && $0.from != nil } }
        let others = lifecycle.statuses.filter { !path.contains($0) }
        var columns: [Report.Column] = [.init(groupTitle, .text)] + path.map { .init($0.rawValue, .count) }
        for (a, b) in zip(path, path.dropFirst()) { columns.append(.init("\(a.rawValue)_to_\(b.rawValue)", .ratio)) }
        columns += others.map { .init($0.rawValue, .count) }
        let rows = groups.map { group, leads -> [Report.Value] in
            let counts = path.map { status in leads.filter { $0.contains(status.rawValue) }.count }
            var row: [Report.Value] = [.text(group)] + counts.map(Report.Value.count)
            for (a, b) in zip(counts, counts.dropFirst()) { row.append(.ratio(b, of: a)) }
            row += others.map { status in .count(leads.filter { $0.contains(status.rawValue) }.count) }
            return row
        }
        return Report(name: "funnel", columns: columns, rows: rows)
    }
}
