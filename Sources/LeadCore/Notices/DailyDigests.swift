import Foundation

/// The daily to-do mail: who gets one (every active rep; each team's supervisor) and what it says,
/// from the rows the store loaded. The store records and queues it once per recipient and day.
public enum DailyDigests {
    /// Who gets a daily to-do mail, and whose leads it lists.
    public struct Recipient: Hashable, Sendable {
        /// `rep:ID` or `team:ID`: the once-per-day key.
        public var key: String
        public var address: EmailAddress
        public var name: String
        public var language: String?
        /// Whose working days decide whether it goes out (a rep's shift calendar).
        public var calendar: BusinessCalendar?
        /// The rep whose leads it lists, or the team.
        public var rep: RepID?
        public var team: Team?
    }

    /// One listed lead.
    public struct Row: Hashable, Sendable {
        public var lead: LeadID
        public var name: String?
        public var company: String?
        public var owner: RepID?
        public var status: String
        /// The clock and its deadline (nil for an idle lead).
        public var clock: SLAClock?
        public var dueAt: Date?

        public init(lead: LeadID, name: String?, company: String?, owner: RepID?, status: String, clock: SLAClock? = nil, dueAt: Date? = nil) {
            self.lead = lead; self.name = name; self.company = company; self.owner = owner; self.status = status
            self.clock = clock; self.dueAt = dueAt
        }
    }

    /// What the store loaded for one recipient and day.
    public struct Facts: Hashable, Sendable {
        public var dueToday: [Row]
        public var overdue: [Row]
        public var idle: [Row]
        /// First-contact and other deadlines missed yesterday (team digests only).
        public var breachesYesterday: Int?

        public init(dueToday: [Row], overdue: [Row], idle: [Row], breachesYesterday: Int? = nil) {
            self.dueToday = dueToday; self.overdue = overdue; self.idle = idle; self.breachesYesterday = breachesYesterday
        }
    }

    /// Every active rep, then each team's supervisor, in id order.
    public static func recipients(_ engine: RoutingEngine) -> [Recipient] {
        var recipients: [Recipient] = engine.reps.values.filter(\.active).sorted { $0.id.rawValue < $1.id.rawValue }.map { rep in
            Recipient(key: "rep:\(rep.id)", address: rep.email, name: rep.name,
                      language: rep.language ?? engine.teams.values.first { $0.members.contains(rep.id) }?.language,
                      calendar: rep.routing.calendar, rep: rep.id)
        }
        for team in engine.teams.values.sorted(by: { $0.id.rawValue < $1.id.rawValue }) {
            guard let address = SLANotices.supervisor(of: team.id, engine: engine) else { continue }
            var calendar: BusinessCalendar? = nil
            var name = address.rawValue
            if case .rep(let rep) = team.supervisor, let supervisor = engine.reps[rep] { calendar = supervisor.routing.calendar; name = supervisor.name }
            recipients.append(Recipient(key: "team:\(team.id)", address: address, name: name,
                                        language: SLANotices.supervisorLanguage(of: team.id, engine: engine), calendar: calendar, team: team))
        }
        return recipients
    }

    /// The mail for `recipient` on `day`, then, for a team with a `channel`, the same to-do for its
    /// group robot, @-mentioning the owners of overdue leads; empty when there is nothing to list.
    public static func notices(for recipient: Recipient, day: (key: Int, start: Date, end: Date), facts: Facts,
                               engine: RoutingEngine, schedule: DailyDigestSchedule) -> [QueuedNotice] {
        guard let mail = notice(for: recipient, day: day, facts: facts, engine: engine, schedule: schedule) else { return [] }
        guard let channel = recipient.team?.channel else { return [mail] }
        let late = Set(facts.overdue.compactMap(\.owner)).sorted { $0.rawValue < $1.rawValue }
        return [mail, mail.toChannel(channel, mentions: late.compactMap { engine.reps[$0]?.mobile })]
    }

    /// The mail for `recipient` on `day`; nil when there is nothing to list (no mail is sent).
    public static func notice(for recipient: Recipient, day: (key: Int, start: Date, end: Date), facts: Facts,
                              engine: RoutingEngine, schedule: DailyDigestSchedule) -> QueuedNotice? {
        let breaches = facts.breachesYesterday ?? 0
        guard !(facts.dueToday.isEmpty && facts.overdue.isEmpty && facts.idle.isEmpty && breaches == 0) else { return nil }
        let zone = (recipient.calendar ?? schedule.calendar).zone
        func items(_ rows: [Row]) -> [[String: TemplateValue]] {
            rows.map { row in
                ["lead_id": .text(row.lead.description),
                 "lead_title": .text([row.name, row.company].compactMap { $0 }.joined(separator: ", ")),
                 "clock": .text(row.clock?.rawValue ?? ""), "clock_zh": .text(row.clock?.chineseLabel ?? ""),
                 "clock_en": .text(row.clock?.englishLabel ?? ""),
                 "due_local": .text(row.dueAt.map { LocalTimeText.string($0, zone: zone) } ?? ""),
                 "owner_name": .text(row.owner.flatMap { engine.reps[$0]?.name } ?? ""),
                 "status": .text(row.status)]
            }
        }
        let dueToday = items(facts.dueToday), overdue = items(facts.overdue), idle = items(facts.idle)
        let date = String(format: "%04d-%02d-%02d", day.key / 10_000, day.key / 100 % 100, day.key % 100)
        var variables: [String: TemplateValue] = [
            "recipient_name": .text(recipient.name), "date": .text(date),
            "zone": .text(zone), "idle_days": .text(String(schedule.idleDays)),
            "due_today": .list(dueToday), "overdue": .list(overdue), "idle": .list(idle),
            "due_today_count": .text(String(dueToday.count)), "overdue_count": .text(String(overdue.count)), "idle_count": .text(String(idle.count)),
        ]
        var kind = "digest.daily"
        if let team = recipient.team {
            kind = "digest.daily_team"
            variables["team_id"] = .text(team.id.rawValue)
            variables["team_name"] = .text(team.name)
            variables["breaches_yesterday"] = .text(String(breaches))
        }
        func lines(_ list: [[String: TemplateValue]]) -> String {
            list.map { row in
                let text = row.mapValues { if case .text(let t) = $0 { t } else { "" } }
                return "- #\(text["lead_id"] ?? "") \(text["lead_title"] ?? "") \(text["clock"] ?? "") \(text["due_local"] ?? "")"
            }.joined(separator: "\n")
        }
        let body = "due today 今日到期 (\(dueToday.count)):\n\(lines(dueToday))\n\noverdue 已超时 (\(overdue.count)):\n\(lines(overdue))\n\n"
            + "idle \(schedule.idleDays)+ days 无跟进 (\(idle.count)):\n\(lines(idle))\n"
            + (recipient.team != nil ? "\nbreaches yesterday 昨日超时: \(breaches)\n" : "")
        return QueuedNotice(kind: kind, recipient: recipient.address,
                            subject: "[leadrouter] To-do 今日待办 \(date): \(dueToday.count) due, \(overdue.count) overdue",
                            body: body, variables: variables, language: recipient.language)
    }
}
