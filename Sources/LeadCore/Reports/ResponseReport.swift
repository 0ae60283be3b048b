import Foundation

/// First-contact time from the first assignment, in wall and business time (the policy's
/// calendar), and the share of first-contact deadlines met: computed from one fact per lead.
public enum ResponseReport {
    /// One lead as the report needs it (Unix seconds, as stored).
    public struct Fact: Hashable, Sendable {
        public var assigned: Int64?
        /// The first contact by a rep.
        public var contacted: Int64?
        /// The first first-contact deadline's state, due time and policy.
        public var state: DeadlineState?
        public var due: Int64?
        public var policy: String?

        public init(assigned: Int64?, contacted: Int64?, state: DeadlineState?, due: Int64?, policy: String?) {
            self.assigned = assigned; self.contacted = contacted; self.state = state; self.due = due; self.policy = policy
        }
    }

    public static let columns: [Report.Column] = [
        .init("assigned", .count), .init("contacted", .count), .init("wall_median", .seconds), .init("wall_p90", .seconds),
        .init("business_median", .seconds), .init("business_p90", .seconds), .init("within_sla", .ratio),
    ]

    /// The report over `groups` (key and its leads, in the order given); `groupTitle` names the first column.
    public static func build(groups: [(String, [Fact])], groupTitle: String, plan: SLAPlan?, now: Date) -> Report {
        let nowSeconds = Int64(now.timeIntervalSince1970)
        let rows = groups.map { group, leads -> [Report.Value] in
            var wall: [Int64] = []
            var business: [Int64] = []
            var met = 0, judged = 0
            for lead in leads {
                if let state = lead.state {
                    if state == .met { met += 1; judged += 1 }
                    else if state == .missed || (state == .pending && (lead.due ?? .max) <= nowSeconds) { judged += 1 }
                }
                guard let assigned = lead.assigned, let contacted = lead.contacted, contacted >= assigned else { continue }
                wall.append(contacted - assigned)
                let from = Date(timeIntervalSince1970: TimeInterval(assigned)), to = Date(timeIntervalSince1970: TimeInterval(contacted))
                if let policy = lead.policy.flatMap({ plan?.policy(named: $0) }), policy.clock == .business,
                   let calendar = plan?.calendars[policy.calendar] {
                    business.append(calendar.businessTime(between: from, and: to))
                } else {
                    business.append(contacted - assigned)
                }
            }
            return [.text(group), .count(leads.filter { $0.assigned != nil }.count), .count(wall.count),
                    .seconds(Statistics.median(wall)), .seconds(Statistics.percentile(wall, 0.9)),
                    .seconds(Statistics.median(business)), .seconds(Statistics.percentile(business, 0.9)), .ratio(met, of: judged)]
        }
        return Report(name: "response", columns: [.init(groupTitle, .text)] + columns, rows: rows)
    }
}
