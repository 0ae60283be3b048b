import Foundation

/// Contacts in the first three days after assignment, and the share meeting the follow-up policy.
public enum FollowUpsReport {
    /// Per group, each assigned lead's contacts in its first three days and its first follow-ups
    /// deadline's state.
    public static func build(groups: [(String, [(Int64, String?)])], groupTitle: String) -> Report {
        let rows = groups.map { group, leads -> [Report.Value] in
            let contacts = leads.map(\.0)
            let judged = leads.filter { $0.1 == "met" || $0.1 == "missed" }.count
            let met = leads.filter { $0.1 == "met" }.count
            return [.text(group), .count(leads.count), .count(Int(contacts.reduce(0, +))), .count(Int(Statistics.median(contacts) ?? 0)),
                    .ratio(met, of: judged)]
        }
        return Report(name: "follow-ups", columns: [.init(groupTitle, .text), .init("leads", .count), .init("contacts_3d", .count),
                                                    .init("median_contacts_3d", .count), .init("policy_met", .ratio)], rows: rows)
    }
}
