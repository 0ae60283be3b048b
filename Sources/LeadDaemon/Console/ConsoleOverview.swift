import Foundation
import LeadCore
import LeadSessions

/// Which leads a console user sees: the admin all, a supervisor their teams' (and leads they
/// own), a rep their own.
struct ConsoleScope {
    let actor: ConsoleActor
    let teams: Set<TeamID>

    init(_ actor: ConsoleActor, directory: [Team]) {
        self.actor = actor
        if case .rep(let rep) = actor {
            teams = Set(directory.filter { $0.supervisor == .rep(rep) }.map(\.id))
        } else {
            teams = []
        }
    }

    func sees(_ lead: Lead) -> Bool {
        switch actor {
        case .admin: true
        case .rep(let rep): lead.owner == rep || lead.team.map(teams.contains) == true
        }
    }

    /// The held queue is for the admin and supervisors (its leads have no owner yet).
    var seesHeld: Bool { actor == .admin || !teams.isEmpty }

    var title: String {
        switch actor {
        case .admin: "全部 all teams"
        case .rep: teams.isEmpty ? "我的线索 my leads" : "我的团队 my teams (\(teams.map(\.rawValue).sorted().joined(separator: ", ")))"
        }
    }
}

extension ConsoleAPI {
    /// The queue overview's HTML for `actor` at `now`.
    func overview(for actor: ConsoleActor, now: Date) async throws -> String {
        let configuration = context.state.snapshot.configuration
        let scope = ConsoleScope(actor, directory: configuration.directory.teams)
        let zone = configuration.routing.zone
        let names = Dictionary(uniqueKeysWithValues: configuration.directory.reps.map { ($0.id, $0.name) })
        var leads: [LeadID: Lead] = [:]
        func lead(_ id: LeadID) async throws -> Lead? {
            if let known = leads[id] { return known }
            let found = try await store.lead(id)
            leads[id] = found
            return found
        }
        var overdue: [(Double, [String: Any])] = []
        var dueSoon: [(Double, [String: Any])] = []
        var firstContactOverdue = 0
        for (id, clock, due) in try await store.leadsDue(before: now.addingTimeInterval(3_600), limit: 500) {
            guard let stored = try await lead(id), scope.sees(stored) else { continue }
            var row = Self.row(stored, names: names)
            row["clock"] = Self.clockName(clock)
            row["due"] = LocalTimeText.string(due, zone: zone)
            // Lateness on the lead's SLA clock: business time for a business-hours policy.
            let (left, business) = timeLeft(stored, due: due, now: now)
            row["late"] = Self.distanceText(left, overdue: due <= now, business: business)
            if due <= now {
                if clock == "first_contact" { firstContactOverdue += 1 }
                overdue.append((Double(-left), row))
            } else {
                dueSoon.append((Double(-left), row))
            }
        }
        var held: [[String: Any]] = []
        if scope.seesHeld {
            for (id, reason, since) in try await store.heldLeads(limit: 100) {
                guard let stored = try await lead(id), actor == .admin || stored.team.map(scope.teams.contains) != false else { continue }
                var row = Self.row(stored, names: names)
                row["reason"] = reason
                row["since"] = LocalTimeText.string(since, zone: zone)
                held.append(row)
            }
        }
        let open: Int
        if actor == .admin {
            open = try await store.summary().leadsOpen
        } else {
            open = try await store.leads(LeadQuery(limit: 10_000)).filter { scope.sees($0) && !$0.status.isClosed }.count
        }
        // Today's intake beside yesterday's, by the local day in the routing zone.
        let today = Self.dayStart(now, zone: zone), yesterday = Self.dayStart(today.addingTimeInterval(-43_200), zone: zone)
        let recent = try await store.leads(LeadQuery(receivedSince: yesterday, limit: 100_000)).filter(scope.sees)
        let todayCount = recent.count { $0.draft.receivedAt >= today }
        return ConsolePages.overview.render([
            "scope": scope.title, "open": open, "overdueCount": firstContactOverdue, "today": todayCount, "yesterday": recent.count - todayCount, "dueSoonCount": dueSoon.count, "heldCount": held.count,
            "overdue": overdue.sorted { $0.0 > $1.0 }.map(\.1), "dueSoon": dueSoon.sorted { $0.0 > $1.0 }.map(\.1),
            "showHeld": scope.seesHeld, "held": held,
        ])
    }

    static func row(_ lead: Lead, names: [RepID: String]) -> [String: Any] {
        let title = [lead.draft.name, lead.draft.company].compactMap { $0 }.joined(separator: "，")
        return ["id": lead.id.rawValue, "title": title.isEmpty ? "—" : title,
                "owner": lead.owner.map { owner in names[owner].map { "\($0) (\(owner.rawValue))" } ?? owner.rawValue } ?? "未分配 unassigned"]
    }

    static func clockName(_ clock: String) -> String {
        switch clock {
        case "first_contact": "首次联系 first contact"
        case "follow_ups": "跟进 follow-ups"
        case "stale": "停滞 stale"
        default: clock
        }
    }

    /// Seconds until `due` on the lead's SLA clock (negative: overdue), and whether they are
    /// business seconds (the lead's policy counts working hours).
    func timeLeft(_ lead: Lead, due: Date, now: Date, policy name: String? = nil) -> (Int64, Bool) {
        guard let plan = context.state.snapshot.routing?.sla,
              let policy = name.flatMap(plan.policy(named:)) ?? plan.policy(for: lead.draft, team: lead.team) else {
            return (Int64(due.timeIntervalSince(now).rounded()), false)
        }
        return (plan.remaining(policy, from: now, to: due), policy.clock == .business)
    }

    /// "已逾期 1小时15分 (overdue 1h15m, business time)" or "还剩 …".
    static func distanceText(_ left: Int64, overdue: Bool, business: Bool) -> String {
        let seconds = Double(overdue ? max(0, -left) : max(0, left))
        let kind = business ? "工作时间 " : ""
        let english = business ? ", business time" : ""
        return overdue
            ? "已逾期 \(kind)" + chineseDuration(seconds) + " (overdue \(DurationText.format(seconds: Int64(seconds)))\(english))"
            : "还剩 \(kind)" + chineseDuration(seconds) + " (\(DurationText.format(seconds: Int64(seconds))) left\(english))"
    }

    static func dayStart(_ instant: Date, zone: String) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zone) ?? TimeZone(identifier: "UTC")!
        return calendar.startOfDay(for: instant)
    }

    /// "1天2小时15分" from seconds (whole minutes; under a minute "不到1分钟").
    static func chineseDuration(_ seconds: Double) -> String {
        let minutes = Int(seconds / 60)
        guard minutes > 0 else { return "不到1分钟" }
        let (days, hours, rest) = (minutes / 1_440, minutes % 1_440 / 60, minutes % 60)
        return (days > 0 ? "\(days)天" : "") + (hours > 0 ? "\(hours)小时" : "") + (rest > 0 ? "\(rest)分" : "")
    }
}
