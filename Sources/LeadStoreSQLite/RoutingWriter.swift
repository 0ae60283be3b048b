import Foundation
import GRDB
import LeadCore

/// Routes a new lead inside the intake transaction: reads the teams' rotation state and the
/// reps' loads, asks the pure engine, then writes the assignment (or the hold), the new state and
/// the decision's audit row. One transaction, so restarts and concurrency never skip or repeat.
enum RoutingWriter {
    static func route(_ lead: LeadID, _ draft: LeadDraft, engine: RoutingEngine, at now: Date, in db: Database) throws -> RoutingDecision {
        let owner = try ownerHint(for: draft, lead: lead, engine: engine, in: db)
        let reads = RoutingReads(db, engine: engine, now: now)
        var decision = engine.route(draft, state: reads.state, load: reads.load, ownerHint: owner, now: now)
        try reads.check()
        try record(decision, lead: lead, at: now, manual: false, in: db)
        try armClocks(&decision, lead: lead, draft: draft, engine: engine, at: now, in: db)
        try queueWelcome(decision, lead: lead, draft: draft, engine: engine, at: now, in: db)
        return decision
    }

    static func state(of team: TeamID, in db: Database) throws -> TeamState {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM routing_state WHERE team_id = ?"), arguments: [team.rawValue]) else {
            return TeamState()
        }
        let last = (try? JSONSerialization.jsonObject(with: Data((row["last_assigned"] as String).utf8))) as? [String: Int64] ?? [:]
        let credits = (try? JSONSerialization.jsonObject(with: Data((row["credits"] as String).utf8))) as? [String: Int] ?? [:]
        return TeamState(sequence: row["sequence"],
                         lastAssigned: Dictionary(uniqueKeysWithValues: last.map { (RepID($0.key), $0.value) }),
                         credits: Dictionary(uniqueKeysWithValues: credits.map { (RepID($0.key), $0.value) }))
    }

    static func load(of rep: RepID, engine: RoutingEngine, now: Date, in db: Database) throws -> RepLoad {
        let (day, week) = engine.capWindows(for: rep, now: now)
        return try load(of: rep, dayStart: day, weekStart: week, in: db)
    }

    /// A rep's open leads and assignments since the local day and week starts (the caps' inputs).
    static func load(of rep: RepID, dayStart: Date, weekStart: Date, in db: Database) throws -> RepLoad {
        let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT
              (SELECT COUNT(*) FROM leads WHERE owner_rep_id = ?1 AND status NOT IN ('converted', 'disqualified')) AS open,
              (SELECT COUNT(*) FROM assignments WHERE rep_id = ?1 AND assigned_at >= ?2) AS today,
              (SELECT COUNT(*) FROM assignments WHERE rep_id = ?1 AND assigned_at >= ?3) AS week
            """), arguments: [rep.rawValue, dayStart.unixSeconds, weekStart.unixSeconds])!
        return RepLoad(open: row["open"], today: row["today"], thisWeek: row["week"])
    }

    /// The owner of this customer's most recent earlier lead: same e-mail, same company (by
    /// `CompanyName.key`), or same e-mail domain unless it is a free-mail domain.
    static func ownerHint(for draft: LeadDraft, lead: LeadID, engine: RoutingEngine, in db: Database) throws -> RepID? {
        guard engine.table.rules.contains(where: \.ownerMatching) else { return nil }
        if let key = draft.company.flatMap(CompanyName.key), let owner = try String.fetchOne(db.cachedStatement(sql: """
            SELECT owner_rep_id FROM leads WHERE company_key = ? AND id <> ? AND owner_rep_id IS NOT NULL ORDER BY id DESC LIMIT 1
            """), arguments: [key, lead.rawValue]) {
            if let email = draft.email?.lowercased(), let same = try String.fetchOne(db.cachedStatement(sql: """
                SELECT owner_rep_id FROM leads WHERE email = ? AND id <> ? AND owner_rep_id IS NOT NULL ORDER BY id DESC LIMIT 1
                """), arguments: [email, lead.rawValue]) {
                return RepID(same)
            }
            return RepID(owner)
        }
        guard let email = draft.email?.lowercased(), let at = email.lastIndex(of: "@") else { return nil }
        if let owner = try String.fetchOne(db.cachedStatement(sql: """
            SELECT owner_rep_id FROM leads WHERE email = ? AND id <> ? AND owner_rep_id IS NOT NULL ORDER BY id DESC LIMIT 1
            """), arguments: [email, lead.rawValue]) {
            return RepID(owner)
        }
        let domain = String(email[email.index(after: at)...])
        guard !engine.table.freeMailDomains.contains(domain) else { return nil }
        return try String.fetchOne(db.cachedStatement(sql: """
            SELECT owner_rep_id FROM leads WHERE email LIKE ? AND id <> ? AND owner_rep_id IS NOT NULL ORDER BY id DESC LIMIT 1
            """), arguments: ["%@" + domain, lead.rawValue]).map(RepID.init(rawValue:))
    }

    /// Starts the SLA clocks of a newly assigned lead in the assignment's transaction and notes
    /// them on the decision (for the "deadline set" log line).
    static func armClocks(_ decision: inout RoutingDecision, lead: LeadID, draft: LeadDraft, engine: RoutingEngine,
                          at now: Date, in db: Database, notifyOwner: Bool = true) throws {
        guard decision.rep != nil else { return }
        if let sla = engine.sla {
            decision.clocks = try SLAWriter.armOnAssignment(lead: lead, draft: draft, team: decision.team, plan: sla, at: now, in: db)
        }
        if notifyOwner { try queueOwnerNotice(decision, lead: lead, draft: draft, engine: engine, at: now, in: db) }
    }

    /// The new owner's "new lead" notice, with the first-contact deadline just armed.
    static func queueOwnerNotice(_ decision: RoutingDecision, lead id: LeadID, draft: LeadDraft, engine: RoutingEngine, at now: Date,
                                 in db: Database) throws {
        guard engine.notices.notifyOwner, let rep = decision.rep, let address = engine.reps[rep]?.email else { return }
        // The lead as the assignment just left it (no read back: this runs in the intake transaction).
        let lead = Lead(id: id, draft: draft, status: .new, owner: rep, team: decision.team, createdAt: now, updatedAt: now)
        var variables = NoticeVariables.of(lead, engine: engine)
        variables["rule"] = .text(decision.rule)
        let first = decision.clocks.first { $0.clock == .firstContact }
        let zone = first.flatMap { clock in engine.sla?.policy(named: clock.policy).flatMap { engine.sla?.calendars[$0.calendar]?.zone } }
            ?? engine.defaultZone
        variables["policy"] = .text(first?.policy ?? "")
        variables["due_utc"] = .text(first.map { RFC3339Text.string($0.due) } ?? "")
        variables["due_local"] = .text(first.map { LocalTimeText.string($0.due, zone: zone) } ?? "")
        variables["zone"] = .text(zone)
        let title = [lead.draft.name, lead.draft.company].compactMap { $0 }.joined(separator: ", ")
        let body = "lead \(id) \(title)\nrule: \(decision.rule)\n" + (first.map { "first contact due \(LocalTimeText.string($0.due, zone: zone))\n" } ?? "")
        try OutboxWriter.queue(kind: "lead.assigned", lead: id, to: address, subject: "[leadrouter] New lead 新线索 #\(id) \(title)",
                               body: body, variables: variables,
                               language: engine.reps[rep]?.language ?? decision.team.flatMap { engine.teams[$0]?.language }, at: now, in: db)
    }

    /// The customer's acknowledgement, for a new lead from an opted-in source with a valid address.
    static func queueWelcome(_ decision: RoutingDecision, lead id: LeadID, draft: LeadDraft, engine: RoutingEngine, at now: Date,
                             in db: Database) throws {
        guard let source = draft.source, engine.notices.welcomeSources.contains(source),
              let address = draft.email.flatMap(EmailAddress.init(rawValue:)) else { return }
        let lead = Lead(id: id, draft: draft, status: .new, owner: decision.rep, team: decision.team, createdAt: now, updatedAt: now)
        let variables = NoticeVariables.of(lead, engine: engine)
        let owner = decision.rep.flatMap { engine.reps[$0]?.name } ?? ""
        try OutboxWriter.queue(kind: "lead.welcome", lead: id, to: address, subject: "感谢您的咨询 / Thank you for your enquiry",
                               body: "您好，我们已收到您的咨询，\(owner.isEmpty ? "销售顾问" : owner)会尽快与您联系。\nWe have your enquiry; \(owner.isEmpty ? "a consultant" : owner) will contact you shortly.\n",
                               variables: variables, language: nil, at: now, in: db)
    }

    static func record(_ decision: RoutingDecision, lead: LeadID, at now: Date, manual: Bool, in db: Database) throws {
        let considered = "[" + decision.considered.map {
            JSONText.object(["rep": $0.rep.rawValue, "eligible": $0.eligible ? "true" : "false", "reason": $0.reason])
        }.joined(separator: ",") + "]"
        let tried = "[" + decision.rulesTried.map {
            JSONText.object(["rule": $0.rule, "matched": $0.matched ? "true" : "false", "failed": $0.failed ?? ""])
        }.joined(separator: ",") + "]"
        try db.cachedStatement(sql: """
            INSERT INTO routing_decisions (lead_id, at, rule, team_id, strategy, rep_id, hold_reason, considered, rules_tried, manual)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [lead.rawValue, now.unixSeconds, decision.rule, decision.team?.rawValue,
                                     decision.strategy?.rawValue, decision.rep?.rawValue, decision.holdReason,
                                     considered, tried, manual])
        if let (team, state) = decision.newState {
            try db.cachedStatement(sql: """
                INSERT INTO routing_state (team_id, sequence, last_assigned, credits) VALUES (?, ?, ?, ?)
                ON CONFLICT(team_id) DO UPDATE SET sequence = excluded.sequence, last_assigned = excluded.last_assigned,
                    credits = excluded.credits
                """).execute(arguments: [team.rawValue, state.sequence,
                                         JSONText.object(state.lastAssigned.reduce(into: [String: Int64]()) { $0[$1.key.rawValue] = $1.value }),
                                         JSONText.object(state.credits.reduce(into: [String: Int]()) { $0[$1.key.rawValue] = $1.value })])
        }
        if let rep = decision.rep {
            try db.cachedStatement(sql: "UPDATE assignments SET ended_at = ? WHERE lead_id = ? AND ended_at IS NULL")
                .execute(arguments: [now.unixSeconds, lead.rawValue])
            try db.cachedStatement(sql: "INSERT INTO assignments (lead_id, rep_id, team_id, rule, assigned_at) VALUES (?, ?, ?, ?, ?)")
                .execute(arguments: [lead.rawValue, rep.rawValue, decision.team?.rawValue, decision.rule, now.unixSeconds])
            try db.cachedStatement(sql: "UPDATE leads SET owner_rep_id = ?, team_id = ?, updated_at = ? WHERE id = ?")
                .execute(arguments: [rep.rawValue, decision.team?.rawValue, now.unixSeconds, lead.rawValue])
            try db.cachedStatement(sql: "DELETE FROM held_leads WHERE lead_id = ?").execute(arguments: [lead.rawValue])
            // The notification hook: the mail issue turns this event into the owner's "new lead" mail.
            try EventLog.append(db, kind: "lead.assigned", at: now, lead: lead.rawValue, rep: rep.rawValue,
                                data: ["rule": decision.rule, "team": decision.team?.rawValue ?? "", "manual": manual ? "true" : "false"])
        } else {
            try db.cachedStatement(sql: """
                INSERT INTO held_leads (lead_id, team_id, reason, since) VALUES (?, ?, ?, ?)
                ON CONFLICT(lead_id) DO UPDATE SET team_id = excluded.team_id, reason = excluded.reason
                """).execute(arguments: [lead.rawValue, decision.team?.rawValue, decision.holdReason ?? "held", now.unixSeconds])
            try EventLog.append(db, kind: "lead.held", at: now, lead: lead.rawValue,
                                data: ["rule": decision.rule, "reason": decision.holdReason ?? ""])
        }
    }
}
