import Foundation

/// The mail an assignment queues in its own transaction (`AssignmentNotices` says which).
enum AssignmentMail {
    /// The new owner's "new lead" notice, with the first-contact deadline just armed.
    static func ownerNotice(_ decision: RoutingDecision, lead id: LeadID, draft: LeadDraft, clocks: [ClockArming],
                            engine: RoutingEngine, at now: Date) -> QueuedNotice? {
        guard engine.notices.notifyOwner, let rep = decision.rep, let address = engine.reps[rep]?.email else { return nil }
        // The lead as the assignment leaves it.
        let lead = Lead(id: id, draft: draft, status: .new, owner: rep, team: decision.team, createdAt: now, updatedAt: now)
        var variables = NoticeVariables.of(lead, engine: engine)
        variables["rule"] = .text(decision.rule)
        let first = clocks.first { $0.clock == .firstContact }
        let zone = first.flatMap { clock in engine.sla?.policy(named: clock.policy).flatMap { engine.sla?.calendars[$0.calendar]?.zone } }
            ?? engine.defaultZone
        variables["policy"] = .text(first?.policy ?? "")
        variables["due_utc"] = .text(first.map { RFC3339Text.string($0.due) } ?? "")
        variables["due_local"] = .text(first.map { LocalTimeText.string($0.due, zone: zone) } ?? "")
        variables["zone"] = .text(zone)
        let title = [draft.name, draft.company].compactMap { $0 }.joined(separator: ", ")
        let body = "lead \(id) \(title)\nrule: \(decision.rule)\n" + (first.map { "first contact due \(LocalTimeText.string($0.due, zone: zone))\n" } ?? "")
        return QueuedNotice(kind: "lead.assigned", recipient: address, lead: id, subject: "[leadrouter] New lead 新线索 #\(id) \(title)",
                            body: body, variables: variables,
                            language: engine.reps[rep]?.language ?? decision.team.flatMap { engine.teams[$0]?.language })
    }

    /// The owner's notice again for the team's channel (its robot group), the owner @-mentioned.
    static func teamChannelNotice(_ owner: QueuedNotice, decision: RoutingDecision, engine: RoutingEngine) -> QueuedNotice? {
        guard let team = decision.team, let channel = engine.teams[team]?.channel else { return nil }
        let mobile = decision.rep.flatMap { engine.reps[$0]?.mobile }
        var notice = owner.toChannel(channel, mentions: mobile.map { [$0] } ?? [])
        let name = decision.rep.flatMap { engine.reps[$0]?.name } ?? "-"
        notice.body += "负责人 owner: \(name)\n"
        return notice
    }

    /// The customer's acknowledgement, for a new lead from an opted-in source with a valid address.
    static func welcome(_ decision: RoutingDecision, lead id: LeadID, draft: LeadDraft, engine: RoutingEngine, at now: Date) -> QueuedNotice? {
        guard let source = draft.source, engine.notices.welcomeSources.contains(source),
              let address = draft.email.flatMap(EmailAddress.init(rawValue:)) else { return nil }
        let lead = Lead(id: id, draft: draft, status: .new, owner: decision.rep, team: decision.team, createdAt: now, updatedAt: now)
        let owner = decision.rep.flatMap { engine.reps[$0]?.name } ?? ""
        return QueuedNotice(kind: "lead.welcome", recipient: address, lead: id, subject: "感谢您的咨询 / Thank you for your enquiry",
                            body: "您好，我们已收到您的咨询，\(owner.isEmpty ? "销售顾问" : owner)会尽快与您联系。\nWe have your enquiry; \(owner.isEmpty ? "a consultant" : owner) will contact you shortly.\n",
                            variables: NoticeVariables.of(lead, engine: engine), language: nil)
    }
}
