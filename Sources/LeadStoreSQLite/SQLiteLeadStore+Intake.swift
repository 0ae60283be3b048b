import Foundation
import GRDB
import LeadCore

extension SQLiteLeadStore {
    public func commitIntakes(_ items: [IntakeItem], duplicates: DuplicatePolicy, decider: AssignmentDecider?,
                              at now: Date) async throws -> [IntakeCommit] {
        guard !items.isEmpty else { return [] }
        return try await write { db in
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

    /// Applies `IntakeDecider`'s decision for one input: nothing for a redelivery; the re-inquiry
    /// activity and capture on the matched lead; or the new lead and its capture.
    private static func recordIntake(_ item: IntakeItem, duplicates: DuplicatePolicy, at now: Date,
                                     in db: Database) throws -> IntakeOutcome {
        let decision = try IntakeDecider.decide(item, duplicates: duplicates, now: now, facts: SQLiteIntakeFacts(db: db))
        let item = decision.item
        if let sender = decision.formSender { try FormSenders.tally(sender, at: now, in: db) }
        let warnings = "[" + item.warnings.map(EventLog.quote).joined(separator: ",") + "]"
        switch decision.outcome {
        case .redelivered(let lead):
            return .redelivered(lead)
        case .reinquiry(let lead, let key):
            try db.execute(sql: "INSERT INTO activities (lead_id, kind, rep_id, note, at) VALUES (?, 'reinquiry', NULL, ?, ?)",
                           arguments: [lead.rawValue, item.draft.message.map { String($0.prefix(2000)) }, now.unixSeconds])
            let activity = db.lastInsertedRowID
            try insertCapture(item, lead: lead.rawValue, activity: activity, warnings: warnings, in: db)
            try db.execute(sql: "UPDATE leads SET updated_at = ? WHERE id = ?", arguments: [now.unixSeconds, lead.rawValue])
            try EventLog.append(db, kind: "lead.reinquiry", at: now, lead: lead.rawValue,
                                data: ["channel": item.draft.origin.channel.rawValue, "origin": item.draft.origin.name, "matched_on": key.rawValue])
            return .reinquiry(lead)
        case .newLead:
            let id = try insertLead(item.draft, at: now, in: db)
            try insertCapture(item, lead: id, activity: nil, warnings: warnings, in: db)
            return .created(LeadID(id))
        }
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
        try await write { db in
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
        try await write { db in
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

    /// Empties captures received before `cutoff`, `batch` rows per transaction (found through the
    /// `captures_unpurged` index), so intake waits for one batch at most, never for the whole purge.
    public func purgeCaptures(receivedBefore cutoff: Date) async throws -> Int {
        try await purgeCaptures(receivedBefore: cutoff, batch: 500)
    }

    static let purgeSQL = """
        UPDATE captures SET body = X'', headers = '(purged)'
        WHERE id IN (SELECT id FROM captures WHERE received_at < ? AND length(body) > 0 LIMIT ?)
        """

    func purgeCaptures(receivedBefore cutoff: Date, batch: Int) async throws -> Int {
        var purged = 0
        while true {
            let changed = try await write { db in
                try db.execute(sql: Self.purgeSQL, arguments: [cutoff.unixSeconds, batch])
                return db.changesCount
            }
            purged += changed
            if changed < batch { return purged }
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
