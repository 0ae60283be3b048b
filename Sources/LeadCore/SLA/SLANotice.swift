import Foundation

/// A message an SLA decision queues in the outbox. The text here is plain and short; the mail
/// issue renders these kinds through templates (zh/en).
public struct SLANotice: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case warning = "sla.warning"
        case overdue = "sla.overdue"
        case supervisor = "sla.supervisor"
        case notify = "sla.notify"
        case reassignedAway = "sla.reassigned_away"
        case reassignedTo = "sla.reassigned_to"
        case digest = "sla.digest"
    }

    public var kind: Kind
    public var recipient: EmailAddress
    public var cc: [EmailAddress]
    /// Nil for a digest (it covers several leads).
    public var lead: LeadID?
    /// The built-in plain text, kept with the row; templates (`[mail] templates`) replace it when sent.
    public var subject: String
    public var body: String
    /// What a template may use (`NoticeVariables.allowed(for: kind)`).
    public var variables: [String: TemplateValue]
    /// The recipient's language (rep, then team); nil: the configured default.
    public var language: String?
    /// For a `[[channel]]` instead of mail (`recipient`: whom it is about), and whom it @-mentions.
    public var channel: String?
    public var mentions: [String] = []
    /// An outbound webhook event riding with the decision (`OutboundEvents`): its type, which the
    /// row's kind becomes.
    public var eventKind: String?

    public init(kind: Kind, recipient: EmailAddress, cc: [EmailAddress] = [], lead: LeadID?, subject: String, body: String,
                variables: [String: TemplateValue] = [:], language: String? = nil) {
        self.kind = kind; self.recipient = recipient; self.cc = cc; self.lead = lead; self.subject = subject; self.body = body
        self.variables = variables; self.language = language
    }
}

/// What a notice says about one decision.
public struct SLANoticeFacts: Hashable, Sendable {
    public var lead: LeadID
    public var title: String
    public var policy: String
    public var clock: SLAClock
    public var level: Int
    public var dueAt: Date
    /// Seconds past the deadline itself (negative for a warning), and past the level's own time.
    public var overdueSeconds: Int64
    public var lateSeconds: Int64
    /// The zone deadlines are shown in (the policy's calendar's).
    public var zone: String
    /// The lead's own variables (`NoticeVariables.lead`).
    public var leadVariables: [String: TemplateValue]

    public init(lead: LeadID, title: String, policy: String, clock: SLAClock, level: Int, dueAt: Date,
                overdueSeconds: Int64, lateSeconds: Int64, zone: String = "Asia/Shanghai", leadVariables: [String: TemplateValue] = [:]) {
        self.lead = lead; self.title = title; self.policy = policy; self.clock = clock; self.level = level
        self.dueAt = dueAt; self.overdueSeconds = overdueSeconds; self.lateSeconds = lateSeconds
        self.zone = zone; self.leadVariables = leadVariables
    }

    /// Lead and SLA variables for a template.
    public var variables: [String: TemplateValue] {
        var v = leadVariables
        v["lead_id"] = .text(lead.description)
        v["lead_title"] = .text(title)
        v["policy"] = .text(policy)
        v["clock"] = .text(clock.rawValue)
        v["clock_zh"] = .text(clock.chineseLabel)
        v["clock_en"] = .text(clock.englishLabel)
        v["level"] = .text(String(level))
        v["warning"] = .flag(overdueSeconds < 0)
        v["overdue"] = .flag(overdueSeconds >= 0)
        v["due_utc"] = .text(RFC3339Text.string(dueAt))
        v["due_local"] = .text(LocalTimeText.string(dueAt, zone: zone))
        v["zone"] = .text(zone)
        v["overdue_text"] = .text(DurationText.format(seconds: max(0, overdueSeconds)))
        v["due_in_text"] = .text(DurationText.format(seconds: max(0, -overdueSeconds)))
        v["late"] = .flag(lateSeconds >= 60)
        v["late_text"] = .text(DurationText.format(seconds: max(0, lateSeconds)))
        return v
    }

    var line: String {
        let when = overdueSeconds < 0
            ? "due in \(DurationText.format(seconds: -overdueSeconds))"
            : "overdue by \(DurationText.format(seconds: overdueSeconds))"
        let late = lateSeconds >= 60 ? " (decided \(DurationText.format(seconds: lateSeconds)) late)" : ""
        return "lead \(lead) \(title): \(clock.rawValue) \(when), policy \"\(policy)\", level \(level)\(late)"
    }
}

/// Builds the notices of a decision from the directory. Pure.
public enum SLANotices {
    /// The notices of a ladder level's actions (reassignment notices come from `reassigned`).
    public static func notices(for level: EscalationLevel, facts: SLANoticeFacts, owner: RepID?, team: TeamID?,
                               engine: RoutingEngine) -> [SLANotice] {
        let ownerAddress = owner.flatMap { engine.reps[$0]?.email }
        var notices: [SLANotice] = []
        for action in level.actions {
            switch action {
            case .remindOwner:
                guard let to = ownerAddress else { continue }
                let kind: SLANotice.Kind = level.isWarning ? .warning : .overdue
                let subject = level.isWarning
                    ? "[leadrouter] SLA warning 即将超时: lead \(facts.lead) \(facts.clock.rawValue)"
                    : "[leadrouter] SLA overdue 已超时: lead \(facts.lead) \(facts.clock.rawValue)"
                notices.append(SLANotice(kind: kind, recipient: to, lead: facts.lead, subject: subject, body: facts.line + "\n",
                                         variables: facts.variables, language: language(of: owner, team: team, engine: engine)))
            case .notifySupervisor:
                guard let to = supervisor(of: team, engine: engine) else { continue }
                notices.append(SLANotice(kind: .supervisor, recipient: to, cc: ownerAddress.map { [$0] } ?? [], lead: facts.lead,
                                         subject: "[leadrouter] SLA escalation 升级: lead \(facts.lead) \(facts.clock.rawValue) (\(owner?.rawValue ?? "no owner"))",
                                         body: facts.line + "\nowner: \(owner?.rawValue ?? "-")\n",
                                         variables: facts.variables, language: supervisorLanguage(of: team, engine: engine)))
            case .notify(let list):
                for to in list {
                    notices.append(SLANotice(kind: .notify, recipient: to, lead: facts.lead,
                                             subject: "[leadrouter] SLA escalation 升级: lead \(facts.lead) \(facts.clock.rawValue)",
                                             body: facts.line + "\nowner: \(owner?.rawValue ?? "-")\n",
                                             variables: facts.variables, language: team.flatMap { engine.teams[$0]?.language }))
                }
            case .reassign:
                continue
            }
        }
        // The rung's channels: the team's group sees it, the owner @-mentioned by mobile number.
        if !level.channels.isEmpty, let about = ownerAddress ?? supervisor(of: team, engine: engine) {
            let mobile = owner.flatMap { engine.reps[$0]?.mobile }
            let name = owner.flatMap { engine.reps[$0]?.name } ?? "-"
            let subject = level.isWarning ? "SLA 即将超时 warning: #\(facts.lead) \(facts.title)" : "SLA 已超时 overdue: #\(facts.lead) \(facts.title)"
            for channel in level.channels {
                var notice = SLANotice(kind: level.isWarning ? .warning : .overdue, recipient: about, lead: facts.lead, subject: subject,
                                       body: facts.line + "\n负责人 owner: \(name)\n", variables: facts.variables,
                                       language: language(of: owner, team: team, engine: engine))
                notice.channel = channel
                notice.mentions = mobile.map { [$0] } ?? []
                notices.append(notice)
            }
        }
        return notices
    }

    /// The notices of an escalation's reassignment, to the old and the new owner.
    public static func reassigned(facts: SLANoticeFacts, from old: RepID?, to new: RepID, engine: RoutingEngine) -> [SLANotice] {
        var notices: [SLANotice] = []
        var variables = facts.variables
        variables["old_owner_id"] = .text(old?.rawValue ?? "")
        variables["old_owner_name"] = .text(old.flatMap { engine.reps[$0]?.name } ?? "")
        variables["new_owner_id"] = .text(new.rawValue)
        variables["new_owner_name"] = .text(engine.reps[new]?.name ?? new.rawValue)
        if let old, let to = engine.reps[old]?.email {
            notices.append(SLANotice(kind: .reassignedAway, recipient: to, lead: facts.lead,
                                     subject: "[leadrouter] Lead \(facts.lead) reassigned 已转派 to \(new)",
                                     body: facts.line + "\nnew owner: \(new)\n", variables: variables,
                                     language: engine.reps[old]?.language))
        }
        if let to = engine.reps[new]?.email {
            notices.append(SLANotice(kind: .reassignedTo, recipient: to, lead: facts.lead,
                                     subject: "[leadrouter] Lead \(facts.lead) reassigned to you 新转派线索",
                                     body: facts.line + "\nprevious owner: \(old?.rawValue ?? "-")\n", variables: variables,
                                     language: engine.reps[new]?.language))
        }
        return notices
    }

    /// A rep's language, else the team's; nil: the configured default.
    public static func language(of rep: RepID?, team: TeamID?, engine: RoutingEngine) -> String? {
        rep.flatMap { engine.reps[$0]?.language } ?? team.flatMap { engine.teams[$0]?.language }
    }

    public static func supervisorLanguage(of team: TeamID?, engine: RoutingEngine) -> String? {
        guard let team, let value = engine.teams[team] else { return nil }
        if case .rep(let rep) = value.supervisor, let language = engine.reps[rep]?.language { return language }
        return value.language
    }

    public static func supervisor(of team: TeamID?, engine: RoutingEngine) -> EmailAddress? {
        guard let team, let supervisor = engine.teams[team]?.supervisor else { return nil }
        switch supervisor {
        case .address(let address): return address
        case .rep(let rep): return engine.reps[rep]?.email
        }
    }

    /// Notices of one batch, with more than `threshold` for one recipient combined into one digest
    /// (after downtime a supervisor gets one message, not fifty). Order is kept otherwise.
    /// Channel messages are never folded into a mail digest.
    public static func combine(_ notices: [SLANotice], threshold: Int) -> [SLANotice] {
        let counts = Dictionary(grouping: notices.filter { $0.channel == nil }, by: \.recipient)
        var digested: Set<EmailAddress> = []
        var result: [SLANotice] = []
        for notice in notices {
            guard notice.channel == nil else { result.append(notice); continue }
            let group = counts[notice.recipient]!
            guard group.count > threshold else { result.append(notice); continue }
            guard digested.insert(notice.recipient).inserted else { continue }
            let body = "\(group.count) SLA notices 条超时提醒:\n\n" + group.map { "- \($0.subject)\n  " + $0.body.trimmingWhitespace() }.joined(separator: "\n") + "\n"
            let items: [[String: TemplateValue]] = group.map { member in
                ["lead_id": .text(member.lead?.description ?? ""), "lead_title": member.variables["lead_title"] ?? .text(""),
                 "subject": .text(member.subject), "summary": .text(member.body.trimmingWhitespace())]
            }
            result.append(SLANotice(kind: .digest, recipient: notice.recipient, lead: nil,
                                    subject: "[leadrouter] \(group.count) SLA notices 条超时提醒", body: body,
                                    variables: ["count": .text(String(group.count)), "items": .list(items), "recipient": .text(notice.recipient.rawValue)],
                                    language: notice.language))
        }
        return result
    }
}

extension SLAClock {
    public var chineseLabel: String {
        switch self {
        case .firstContact: "首次联系"
        case .followUps: "跟进次数"
        case .stale: "停滞"
        }
    }

    public var englishLabel: String {
        switch self {
        case .firstContact: "first contact"
        case .followUps: "follow-ups"
        case .stale: "no activity"
        }
    }
}
