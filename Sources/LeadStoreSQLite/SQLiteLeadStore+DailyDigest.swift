import Foundation
import GRDB
import LeadCore

/// Who gets a daily to-do mail, and which leads it lists.
private struct DigestRecipient {
    var key: String
    var address: EmailAddress
    var name: String
    var language: String?
    var calendar: BusinessCalendar?
    /// The rep whose leads it lists, or the team.
    var rep: RepID?
    var team: Team?
}

extension SQLiteLeadStore: DailyDigestQueueing {
    /// Queues the daily to-do mails due at `now` that were not queued yet today (one transaction
    /// per recipient, keyed by recipient and local day, so a restart never sends one twice).
    /// Returns how many were queued.
    public func queueDailyDigests(at now: Date, engine: RoutingEngine, schedule: DailyDigestSchedule) async throws -> Int {
        var recipients: [DigestRecipient] = engine.reps.values.filter(\.active).sorted { $0.id.rawValue < $1.id.rawValue }.map { rep in
            DigestRecipient(key: "rep:\(rep.id)", address: rep.email, name: rep.name, language: rep.language ?? engine.teams.values
                                .first { $0.members.contains(rep.id) }?.language, calendar: rep.routing.calendar, rep: rep.id)
        }
        for team in engine.teams.values.sorted(by: { $0.id.rawValue < $1.id.rawValue }) {
            guard let address = SLANotices.supervisor(of: team.id, engine: engine) else { continue }
            var calendar: BusinessCalendar? = nil
            var name = address.rawValue
            if case .rep(let rep) = team.supervisor, let supervisor = engine.reps[rep] { calendar = supervisor.routing.calendar; name = supervisor.name }
            recipients.append(DigestRecipient(key: "team:\(team.id)", address: address, name: name,
                                              language: SLANotices.supervisorLanguage(of: team.id, engine: engine), calendar: calendar, team: team))
        }
        let due = recipients.compactMap { recipient in schedule.dueDay(at: now, calendar: recipient.calendar).map { (recipient, $0) } }
        guard !due.isEmpty else { return 0 }
        let done = try await pool.read { db in
            Set(try String.fetchAll(db, sql: "SELECT recipient || '|' || day FROM daily_digests WHERE day IN (\(Set(due.map { $0.1.key }).map(String.init).joined(separator: ",")))"))
        }
        var queued = 0
        for (recipient, day) in due where !done.contains("\(recipient.key)|\(day.key)") {
            let wrote = try await pool.write { db -> Bool in
                try db.execute(sql: "INSERT INTO daily_digests (recipient, day, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                               arguments: [recipient.key, day.key, now.unixSeconds])
                guard db.changesCount > 0 else { return false }
                guard let notice = try Self.digest(for: recipient, day: day, now: now, engine: engine, schedule: schedule, in: db) else { return false }
                try OutboxWriter.queue(kind: notice.kind, lead: nil, to: recipient.address, subject: notice.subject, body: notice.body,
                                       variables: notice.variables, language: recipient.language, at: now, in: db)
                try db.execute(sql: "UPDATE daily_digests SET outbox_id = ? WHERE recipient = ? AND day = ?",
                               arguments: [db.lastInsertedRowID, recipient.key, day.key])
                return true
            }
            if wrote { queued += 1 }
        }
        return queued
    }

    private static func digest(for recipient: DigestRecipient, day: (key: Int, start: Date, end: Date), now: Date, engine: RoutingEngine,
                               schedule: DailyDigestSchedule, in db: Database)
        throws -> (kind: String, subject: String, body: String, variables: [String: TemplateValue])? {
        let zone = (recipient.calendar ?? schedule.calendar).zone
        let filter = recipient.rep != nil ? "l.owner_rep_id = ?1" : "l.team_id = ?1"
        let owner: DatabaseValueConvertible = recipient.rep?.rawValue ?? recipient.team?.id.rawValue ?? ""
        func rows(_ condition: String, _ extra: [DatabaseValueConvertible]) throws -> [[String: TemplateValue]] {
            try Row.fetchAll(db, sql: """
                SELECT l.id, l.name, l.company, l.owner_rep_id, l.status, d.clock, d.due_at FROM deadlines d JOIN leads l ON l.id = d.lead_id
                WHERE \(filter) AND d.level = 0 AND l.status NOT IN ('converted', 'disqualified') AND \(condition)
                ORDER BY d.due_at, l.id LIMIT 100
                """, arguments: StatementArguments([owner] + extra)).map { row in
                let clock = SLAClock(rawValue: row["clock"]) ?? .firstContact
                return ["lead_id": .text(String(row["id"] as Int64)),
                        "lead_title": .text([row["name"], row["company"]].compactMap { $0 as String? }.joined(separator: ", ")),
                        "clock": .text(clock.rawValue), "clock_zh": .text(clock.chineseLabel), "clock_en": .text(clock.englishLabel),
                        "due_local": .text(LocalTimeText.string(Date(unixSeconds: row["due_at"]), zone: zone)),
                        "owner_name": .text((row["owner_rep_id"] as String?).flatMap { engine.reps[RepID($0)]?.name } ?? ""),
                        "status": .text(row["status"])]
            }
        }
        let dueToday = try rows("d.state = 'pending' AND d.due_at >= ?2 AND d.due_at < ?3", [max(now, day.start).unixSeconds, day.end.unixSeconds])
        let overdue = try rows("((d.state = 'pending' AND d.due_at < ?2) OR (d.state = 'missed' AND d.resolved_at IS NULL))", [now.unixSeconds])
        let cutoff = now.addingTimeInterval(-Double(schedule.idleDays) * 86_400).unixSeconds
        let idle: [[String: TemplateValue]] = try Row.fetchAll(db, sql: """
            SELECT l.id, l.name, l.company, l.owner_rep_id, l.status FROM leads l
            WHERE \(filter) AND l.status NOT IN ('converted', 'disqualified')
              AND COALESCE((SELECT MAX(at) FROM activities a WHERE a.lead_id = l.id),
                           (SELECT MAX(assigned_at) FROM assignments s WHERE s.lead_id = l.id), l.created_at) < ?2
            ORDER BY l.id LIMIT 100
            """, arguments: [owner, cutoff]).map { row in
            ["lead_id": .text(String(row["id"] as Int64)),
             "lead_title": .text([row["name"], row["company"]].compactMap { $0 as String? }.joined(separator: ", ")),
             "owner_name": .text((row["owner_rep_id"] as String?).flatMap { engine.reps[RepID($0)]?.name } ?? ""),
             "status": .text(row["status"]), "clock": .text(""), "clock_zh": .text(""), "clock_en": .text(""), "due_local": .text("")]
        }
        var variables: [String: TemplateValue] = [
            "recipient_name": .text(recipient.name), "date": .text(String(format: "%04d-%02d-%02d", day.key / 10_000, day.key / 100 % 100, day.key % 100)),
            "zone": .text(zone), "idle_days": .text(String(schedule.idleDays)),
            "due_today": .list(dueToday), "overdue": .list(overdue), "idle": .list(idle),
            "due_today_count": .text(String(dueToday.count)), "overdue_count": .text(String(overdue.count)), "idle_count": .text(String(idle.count)),
        ]
        var kind = "digest.daily"
        var breaches = 0
        if let team = recipient.team {
            kind = "digest.daily_team"
            let yesterday = day.start.addingTimeInterval(-86_400)
            breaches = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM deadlines d JOIN leads l ON l.id = d.lead_id
                WHERE l.team_id = ? AND d.level = 0 AND d.state = 'missed' AND d.due_at >= ? AND d.due_at < ?
                """, arguments: [team.id.rawValue, yesterday.unixSeconds, day.start.unixSeconds]) ?? 0
            variables["team_id"] = .text(team.id.rawValue)
            variables["team_name"] = .text(team.name)
            variables["breaches_yesterday"] = .text(String(breaches))
        }
        guard !(dueToday.isEmpty && overdue.isEmpty && idle.isEmpty && breaches == 0) else { return nil }
        let date = variables["date"].map { if case .text(let t) = $0 { t } else { "" } } ?? ""
        func lines(_ list: [[String: TemplateValue]]) -> String {
            list.map { row in
                let text = row.mapValues { if case .text(let t) = $0 { t } else { "" } }
                return "- #\(text["lead_id"] ?? "") \(text["lead_title"] ?? "") \(text["clock"] ?? "") \(text["due_local"] ?? "")"
            }.joined(separator: "\n")
        }
        let body = "due today 今日到期 (\(dueToday.count)):\n\(lines(dueToday))\n\noverdue 已超时 (\(overdue.count)):\n\(lines(overdue))\n\n"
            + "idle \(schedule.idleDays)+ days 无跟进 (\(idle.count)):\n\(lines(idle))\n"
            + (recipient.team != nil ? "\nbreaches yesterday 昨日超时: \(breaches)\n" : "")
        return (kind, "[leadrouter] To-do 今日待办 \(date): \(dueToday.count) due, \(overdue.count) overdue", body, variables)
    }
}
