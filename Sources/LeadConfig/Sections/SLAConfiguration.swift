import Foundation
import LeadCore

/// `[[sla]]`, in order, first match wins (a policy without criteria matches every lead):
/// - `name` (string, required, unique); `calendar` (a `[[calendar]]` id; required for
///   `clock = "business"`); `clock` (`"business"` | `"wall"`, default `"business"`).
/// - `first_contact` (duration): time from assignment to the first contact, re-armed on reassignment.
/// - `follow_ups = { count = 2, within = "3d" }`: that many contacts within that time of assignment.
/// - `stale = { after = "7d", statuses = ["contacted", "qualified"] }`: no activity for that long
///   while in one of those statuses (statuses case-insensitive).
/// - `[[sla.escalation]]`, the ladders: `clock` (`first_contact` | `follow_ups` | `stale`), `at`
///   (offset from the deadline, `"-2h"` = a warning two hours before, `"0s"` = at the breach,
///   `"4h"` = four hours after), `channels` (`[[channel]]` names the rung also posts to, the
///   owner @-mentioned), and `actions` (`remind_owner`, `notify_supervisor`, `reassign`)
///   and/or `notify = ["ops@example.com"]`. Levels are numbered per clock in `at` order.
///   On a business clock, every duration and offset counts business time.
/// - `status_change_is_contact` (boolean, default false): a status change by the owner or the
///   supervisor counts as a contact.
/// - criteria as in `[[rule]]` (lead fields, `region`, `arrival`), plus `team` (a team id or list).
enum SLAConfiguration {
    static func decodeAll(_ root: TableReader, calendars: [BusinessCalendar], teams: Set<TeamID>, regions: RegionGroups,
                          channels: Set<String> = []) -> [SLAPolicy] {
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
                ? table.duration("first_contact", default: .seconds(86_400), range: Self.lengths).wholeSeconds
                : nil
            let followUps = followUpRule(table)
            let stale = staleRule(table)
            var lengths: [SLAClock: Int64] = [:]
            lengths[.firstContact] = firstContact
            lengths[.followUps] = followUps?.withinSeconds
            lengths[.stale] = stale?.afterSeconds
            let ladders = self.ladders(table, lengths: lengths, channels: channels)
            var criteria: [Criterion] = []
            if let team = table.peekString("team") {
                _ = table.string("team")
                if !teams.contains(TeamID(team)) { table.report("team", "unknown team \"\(team)\"") }
                criteria.append(Criterion(.field(.custom("__team")), .equals(team)))
            } else if table.peekArray("team") != nil, let list = table.stringArray("team") {
                for team in list where !teams.contains(TeamID(team)) { table.report("team", "unknown team \"\(team)\"") }
                criteria.append(Criterion(.field(.custom("__team")), .oneOf(list)))
            }
            let statusChangeIsContact = table.bool("status_change_is_contact", default: false)
            let fixed: Set<String> = ["name", "clock", "calendar", "first_contact", "team", "follow_ups", "stale", "escalation", "status_change_is_contact"]
            criteria += table.dataKeys(excluding: fixed).compactMap { key in
                RoutingConfiguration.criterion(key, table: table, rule: name, regions: regions)
            }
            var policy = SLAPolicy(name: name, criteria: criteria, clock: clock, calendar: calendar, firstContactSeconds: firstContact,
                                   followUps: followUps, stale: stale, ladders: ladders)
            policy.statusChangeIsContact = statusChangeIsContact
            return policy
        }
    }

    /// Deadlines from one second (tests use wall clocks of seconds) to 90 days.
    static let lengths: ClosedRange<Duration> = .seconds(1) ... .seconds(90 * 86_400)

    static func followUpRule(_ table: TableReader) -> FollowUpRule? {
        guard table.hasKey("follow_ups") else { return nil }
        let section = table.section("follow_ups")
        defer { section.finish() }
        if !section.hasKey("count") { section.report("count", "missing required key") }
        if !section.hasKey("within") { section.report("within", "missing required key") }
        return FollowUpRule(count: section.int("count", default: 2, range: 1 ... 100),
                            withinSeconds: section.duration("within", default: .seconds(3 * 86_400), range: lengths).wholeSeconds)
    }

    static func staleRule(_ table: TableReader) -> StaleRule? {
        guard table.hasKey("stale") else { return nil }
        let section = table.section("stale")
        defer { section.finish() }
        if !section.hasKey("after") { section.report("after", "missing required key") }
        let after = section.duration("after", default: .seconds(7 * 86_400), range: lengths).wholeSeconds
        let statuses = section.stringArray("statuses") ?? ["contacted", "qualified"]
        let closed = statuses.map { LeadStatus(rawValue: $0.lowercased()) }.filter(\.isClosed)
        if !closed.isEmpty { section.report("statuses", "\(closed.map(\.rawValue).joined(separator: ", ")) is a closed status; no clock runs there") }
        return StaleRule(afterSeconds: after, statuses: Set(statuses.map { LeadStatus(rawValue: $0.lowercased()) }))
    }

    /// `[[sla.escalation]]`, grouped per clock and numbered in offset order.
    static func ladders(_ table: TableReader, lengths: [SLAClock: Int64], channels known: Set<String> = []) -> [SLAClock: [EscalationLevel]] {
        var rungs: [SLAClock: [(offset: Int64, actions: [EscalationLevel.Action], channels: [String], reader: TableReader)]] = [:]
        for rung in table.tables("escalation") {
            defer { rung.finish() }
            // Every key is read before any is judged, so one mistake is reported once.
            let clockText = rung.text("clock", required: true)
            let at = rung.text("at", required: true)
            let words = rung.stringArray("actions")
            let list = rung.stringArray("notify")
            let channels = rung.stringArray("channels") ?? []
            for name in channels where !known.contains(name) {
                rung.report("channels", "no [[channel]] named \"\(name)\"" + (known.isEmpty ? "" : " (have: \(known.sorted().joined(separator: ", ")))"))
            }
            var actions: [EscalationLevel.Action] = []
            for word in words ?? [] {
                switch word {
                case "remind_owner": actions.append(.remindOwner)
                case "notify_supervisor": actions.append(.notifySupervisor)
                case "reassign": actions.append(.reassign)
                default: rung.report("actions", "\"\(word)\" is not one of \"remind_owner\", \"notify_supervisor\", \"reassign\" (fixed addresses go in notify)")
                }
            }
            var addresses: [EmailAddress] = []
            for text in list ?? [] {
                if let address = EmailAddress(rawValue: text) { addresses.append(address) } else { rung.report("notify", "\"\(text)\" is not a valid e-mail address") }
            }
            if !addresses.isEmpty { actions.append(.notify(addresses)) }
            if (words ?? []).isEmpty, (list ?? []).isEmpty, channels.isEmpty {
                rung.report("actions", "an escalation level needs at least one action (or a channel)")
            }
            guard let clockText, let at else { continue }
            guard let clock = SLAClock(rawValue: clockText) else {
                rung.report("clock", "\"\(clockText)\" is not one of \(SLAClock.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))")
                continue
            }
            guard let length = lengths[clock] else {
                rung.report("clock", "this policy has no \(clock.rawValue) deadline")
                continue
            }
            let negative = at.hasPrefix("-")
            let offset: Int64
            do { offset = (negative ? -1 : 1) * (try DurationText.seconds(negative ? String(at.dropFirst()) : at)) } catch {
                rung.report("at", error.description)
                continue
            }
            if offset < 0, -offset >= length {
                rung.report("at", "a warning \(at) before a \(DurationText.format(seconds: length)) deadline would fall before the clock starts")
            }
            if offset < 0, actions.contains(.reassign) { rung.report("actions", "reassign before the deadline (at \(at)) is not allowed") }
            if rungs[clock, default: []].contains(where: { $0.offset == offset }) {
                rung.report("at", "\(clock.rawValue) already has a level at \(at)")
                continue
            }
            rungs[clock, default: []].append((offset, actions, channels, rung))
        }
        return rungs.mapValues { list in
            list.sorted { $0.offset < $1.offset }.enumerated().map {
                EscalationLevel(level: $0.offset + 1, offsetSeconds: $0.element.offset, actions: $0.element.actions, channels: $0.element.channels)
            }
        }
    }
}
