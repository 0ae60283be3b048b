import Foundation

/// Deadlines met and missed per group, policy and clock; escalations and reassignments.
public enum SLAReport {
    /// One group, policy and clock as a store counted it (overdue: still pending past due).
    public struct Row: Hashable, Sendable {
        public var group: String, policy: String, clock: String
        public var met: Int, missed: Int, pending: Int, overdue: Int, escalations: Int, reassigned: Int

        public init(group: String, policy: String, clock: String, met: Int, missed: Int, pending: Int, overdue: Int, escalations: Int,
                    reassigned: Int) {
            self.group = group; self.policy = policy; self.clock = clock; self.met = met; self.missed = missed; self.pending = pending
            self.overdue = overdue; self.escalations = escalations; self.reassigned = reassigned
        }
    }

    /// `rows` in the store's order (group, policy, clock); an overdue deadline counts as missed.
    public static func build(_ rows: [Row], groupTitle: String) -> Report {
        Report(name: "sla", columns: [
            .init(groupTitle, .text), .init("policy", .text), .init("clock", .text), .init("met", .count), .init("missed", .count),
            .init("pending", .count), .init("met_rate", .ratio), .init("escalations", .count), .init("reassignments", .count),
        ], rows: rows.map { row in
            [.text(row.group), .text(row.policy), .text(row.clock), .count(row.met), .count(row.missed + row.overdue), .count(row.pending),
             .ratio(row.met, of: row.met + row.missed + row.overdue), .count(row.escalations), .count(row.reassigned)]
        })
    }
}
