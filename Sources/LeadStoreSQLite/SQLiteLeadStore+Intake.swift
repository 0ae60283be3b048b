import Foundation
import GRDB
import LeadCore

extension SQLiteLeadStore {
    public func commitIntakes(_ items: [IntakeItem], duplicates: DuplicatePolicy, decider: AssignmentDecider?,
                              at now: Date) async throws -> [IntakeCommit] {
        guard !items.isEmpty else { return [] }
        return try await pool.write { db in
            try items.map { item in
                let outcome = try Self.recordIntake(item, duplicates: duplicates, at: now, in: db)
                if case .created(let lead) = outcome, let fetch = item.detailFetch {
                    try DetailFetchWriter.insert(fetch, lead: lead, at: now, in: db)
                    return IntakeCommit(outcome: outcome)            // routed when its details arrive
                }
                guard case .created(let lead) = outcome, let decider else { return IntakeCommit(outcome: outcome) }
                let effects = try decider.newLead(lead, draft: item.draft, now: now, facts: SQLiteRoutingFacts(db))
                let decision = try RoutingWriter.apply(effects, lead: lead, at: now, in: db)
                return IntakeCommit(outcome: outcome, decision: decision)
            }
        }
    }

    private static func recordIntake(_ item: IntakeItem, duplicates: DuplicatePolicy, at now: Date,
                                     in db: Database) throws -> IntakeOutcome {
        var item = item
        let origin = item.draft.origin
        let originArguments: StatementArguments = [origin.channel.rawValue, origin.name, origin.key]
        if let existing = try Int64.fetchOne(db.cachedStatement(sql: """
            SELECT lead_id FROM captures WHERE origin_channel = ? AND origin_name = ? AND origin_key = ?
            """), arguments: originArguments) {
            return .redelivered(LeadID(existing))
        }
        try FormSenders.apply(to: &item, at: now, in: db)
        let warnings = "[" + item.warnings.map(EventLog.quote).joined(separator: ",") + "]"
        if let match = try matchingOpenLead(item.draft, policy: duplicates, now: now, in: db) {
            try db.execute(sql: "INSERT INTO activities (lead_id, kind, rep_id, note, at) VALUES (?, 'reinquiry', NULL, ?, ?)",
                           arguments: [match.lead, item.draft.message.map { String($0.prefix(2000)) }, now.unixSeconds])
            let activity = db.lastInsertedRowID
            try insertCapture(item, lead: match.lead, activity: activity, warnings: warnings, in: db)
            try db.execute(sql: "UPDATE leads SET updated_at = ? WHERE id = ?", arguments: [now.unixSeconds, match.lead])
            try EventLog.append(db, kind: "lead.reinquiry", at: now, lead: match.lead,
                                data: ["channel": origin.channel.rawValue, "origin": origin.name, "matched_on": match.key])
            return .reinquiry(LeadID(match.lead))
        }
        let id = try insertLead(item.draft, at: now, in: db)
        try insertCapture(item, lead: id, activity: nil, warnings: warnings, in: db)
        return .created(LeadID(id))
    }

    /// The newest open lead with the same e-mail or phone, created within the window, that is the
    /// same person (`DuplicatePolicy.isSamePerson`: no other contact field contradicts).
    private static func matchingOpenLead(_ draft: LeadDraft, policy: DuplicatePolicy, now: Date,
                                         in db: Database) throws -> (lead: Int64, key: String)? {
        let (email, phone) = policy.keys(of: draft)
        let since = now.unixSeconds - policy.windowSeconds
        let closed = [LeadStatus.converted.rawValue, LeadStatus.disqualified.rawValue]
        for (column, value) in [("email", email), ("phone", phone)] {
            guard let value else { continue }
            let rows = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT id, email, phone FROM leads WHERE \(column) = ? AND created_at >= ? AND status NOT IN (?, ?)
                ORDER BY id DESC LIMIT 8
                """), arguments: [value, since] + StatementArguments(closed))
            for row in rows where DuplicatePolicy.isSamePerson(draft, as: .init(email: row["email"], phone: row["phone"])) {
                return (row["id"], column)
            }
        }
        return nil
    }

    static func insertLead(_ draft: LeadDraft, at now: Date, in db: Database) throws -> Int64 {
        try db.cachedStatement(sql: """
            INSERT INTO leads (origin_channel, origin_name, origin_key, name, company, email, phone, country,
                province, city, industry, source, campaign, message, custom_fields, status,
                received_at, created_at, updated_at, company_key)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                draft.origin.channel.rawValue, draft.origin.name, draft.origin.key, draft.name, draft.company,
                draft.email, draft.phone, draft.country, draft.province, draft.city, draft.industry,
                draft.source, draft.campaign, draft.message, EventLog.json(draft.customFields),
                LeadStatus.new.rawValue, draft.receivedAt.unixSeconds, now.unixSeconds, now.unixSeconds,
                draft.company.flatMap(CompanyName.key),
            ])
        let id = db.lastInsertedRowID
        try EventLog.append(db, kind: "lead.recorded", at: now, lead: id, data: [
            "channel": draft.origin.channel.rawValue, "origin": draft.origin.name,
        ])
        return id
    }

    private static func insertCapture(_ item: IntakeItem, lead: Int64, activity: Int64?, warnings: String,
                                      in db: Database) throws {
        let origin = item.draft.origin
        try db.cachedStatement(sql: """
            INSERT INTO captures (lead_id, activity_id, origin_channel, origin_name, origin_key, headers, body,
                warnings, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [lead, activity, origin.channel.rawValue, origin.name, origin.key, item.raw.headers,
                             Data(item.raw.body), warnings, item.draft.receivedAt.unixSeconds])
    }

    public func recordQuarantine(_ item: QuarantineItem, at now: Date) async throws -> Int64 {
        try await pool.write { db in
            let arguments: StatementArguments = [item.origin.channel.rawValue, item.origin.name, item.origin.key]
            if let existing = try Int64.fetchOne(db, sql: """
                SELECT id FROM quarantine WHERE origin_channel = ? AND origin_name = ? AND origin_key = ?
                """, arguments: arguments) {
                return existing
            }
            try db.execute(sql: """
                INSERT INTO quarantine (origin_channel, origin_name, origin_key, reason, headers, body, received_at, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: arguments + [item.reason, item.raw.headers, Data(item.raw.body),
                                             item.receivedAt.unixSeconds, now.unixSeconds])
            let id = db.lastInsertedRowID
            try EventLog.append(db, kind: "intake.quarantined", at: now, data: [
                "channel": item.origin.channel.rawValue, "origin": item.origin.name, "quarantine_id": String(id),
            ])
            return id
        }
    }

    public func intakeState(_ origin: LeadOrigin) async throws -> IntakeState? {
        try await pool.read { db in
            let arguments: StatementArguments = [origin.channel.rawValue, origin.name, origin.key]
            if let lead = try Int64.fetchOne(db, sql: """
                SELECT lead_id FROM captures WHERE origin_channel = ? AND origin_name = ? AND origin_key = ?
                """, arguments: arguments) {
                return .lead(LeadID(lead))
            }
            if let id = try Int64.fetchOne(db, sql: """
                SELECT id FROM quarantine WHERE origin_channel = ? AND origin_name = ? AND origin_key = ?
                """, arguments: arguments) {
                return .quarantined(id)
            }
            return nil
        }
    }

    public func quarantined(limit: Int) async throws -> [QuarantineEntry] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM quarantine ORDER BY id DESC LIMIT ?", arguments: [limit])
                .map(Self.quarantineEntry)
        }
    }

    public func quarantineRaw(_ id: Int64) async throws -> (QuarantineEntry, RawCapture)? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM quarantine WHERE id = ?", arguments: [id]).map { row in
                (Self.quarantineEntry(row), RawCapture(headers: row["headers"], body: Array(row["body"] as Data)))
            }
        }
    }

    public func markQuarantineRetried(_ id: Int64, at now: Date) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE quarantine SET state = 'retried', retried_at = ? WHERE id = ?",
                           arguments: [now.unixSeconds, id])
            try EventLog.append(db, kind: "intake.retried", at: now, data: ["quarantine_id": String(id)])
        }
    }

    public func rawCapture(of lead: LeadID) async throws -> RawCapture? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT headers, body FROM captures WHERE lead_id = ? AND activity_id IS NULL",
                             arguments: [lead.rawValue]).map { row in
                RawCapture(headers: row["headers"], body: Array(row["body"] as Data))
            }
        }
    }

    /// Every input a lead was made of, oldest first: the one that created it, then each
    /// re-inquiry merged into it (so every merge can be seen and checked).
    public func inputs(of lead: LeadID) async throws -> [LeadInput] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM captures WHERE lead_id = ? ORDER BY id", arguments: [lead.rawValue]).map { row in
                let warnings = (try? JSONSerialization.jsonObject(with: Data((row["warnings"] as String).utf8))) as? [String] ?? []
                return LeadInput(
                    origin: LeadOrigin(channel: LeadOrigin.Channel(rawValue: row["origin_channel"]) ?? .manual,
                                       name: row["origin_name"], key: row["origin_key"]),
                    reinquiryActivity: row["activity_id"], receivedAt: Date(unixSeconds: row["received_at"]),
                    warnings: warnings, raw: RawCapture(headers: row["headers"], body: Array(row["body"] as Data)))
            }
        }
    }

    public func purgeCaptures(receivedBefore cutoff: Date) async throws -> Int {
        try await pool.write { db in
            try db.execute(sql: "UPDATE captures SET body = X'', headers = '(purged)' WHERE received_at < ? AND length(body) > 0",
                           arguments: [cutoff.unixSeconds])
            return db.changesCount
        }
    }

    static func quarantineEntry(_ row: Row) -> QuarantineEntry {
        QuarantineEntry(
            id: row["id"],
            origin: LeadOrigin(channel: LeadOrigin.Channel(rawValue: row["origin_channel"]) ?? .manual,
                               name: row["origin_name"], key: row["origin_key"]),
            reason: row["reason"], receivedAt: Date(unixSeconds: row["received_at"]),
            state: QuarantineEntry.State(rawValue: row["state"]) ?? .held)
    }
}
