import Foundation
import LeadCore

/// `[[sla]]`, in order, first match wins (a policy without criteria matches every lead):
/// - `name` (string, required, unique); `calendar` (a `[[calendar]]` id; required for
///   `clock = "business"`); `clock` (`"business"` | `"wall"`, default `"business"`).
/// - `first_contact` (duration): time from assignment to the first contact, re-armed on reassignment.
/// - criteria as in `[[rule]]` (lead fields, `region`, `arrival`), plus `team` (a team id or list).
enum SLAConfiguration {
    static func decodeAll(_ root: TableReader, calendars: [BusinessCalendar], teams: Set<TeamID>, regions: RegionGroups) -> [SLAPolicy] {
        var names: Set<String> = []
        return root.tables("sla").compactMap { table in
            defer { table.finish() }
            guard let name = table.text("name", required: true) else { return nil }
            if !names.insert(name).inserted { table.report("name", "duplicate SLA policy \"\(name)\"") }
            let clock: SLAPolicy.Clock = table.choice("clock", default: .business)
            let calendar = table.text("calendar", required: clock == .business) ?? ""
            if clock == .business, !calendar.isEmpty, !calendars.contains(where: { $0.id == calendar }) {
                table.report("calendar", "unknown calendar \"\(calendar)\"")
            }
            let firstContact = table.hasKey("first_contact")
                ? table.duration("first_contact", default: .seconds(86_400), range: .seconds(60) ... .seconds(90 * 86_400)).wholeSeconds
                : nil
            var criteria: [Criterion] = []
            if let team = table.peekString("team") {
                _ = table.string("team")
                if !teams.contains(TeamID(team)) { table.report("team", "unknown team \"\(team)\"") }
                criteria.append(Criterion(.field(.custom("__team")), .equals(team)))
            } else if table.peekArray("team") != nil, let list = table.stringArray("team") {
                for team in list where !teams.contains(TeamID(team)) { table.report("team", "unknown team \"\(team)\"") }
                criteria.append(Criterion(.field(.custom("__team")), .oneOf(list)))
            }
            let fixed: Set<String> = ["name", "clock", "calendar", "first_contact", "team"]
            criteria += table.keys.sorted().filter { !fixed.contains($0) }.compactMap { key in
                RoutingConfiguration.criterion(key, table: table, rule: name, regions: regions)
            }
            return SLAPolicy(name: name, criteria: criteria, clock: clock, calendar: calendar, firstContactSeconds: firstContact)
        }
    }
}
