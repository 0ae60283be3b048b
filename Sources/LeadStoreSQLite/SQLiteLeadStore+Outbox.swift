import Foundation
import GRDB
import LeadCore

extension SQLiteLeadStore: OutboxStore {
    public func claimOutbox(at now: Date, lease: TimeInterval, retry: Bool, lane: OutboxLane) async throws -> OutboxMessage? {
        let channels = Self.laneChannels(lane)
        return try await write { db in
            for tried in [retry, !retry] {
                let row = try Row.fetchOne(db.cachedStatement(sql: """
                    UPDATE outbox SET state = 'sending', lease_until = ?1, attempts = attempts + 1, lease_token = lease_token + 1
                    WHERE id = (SELECT id FROM outbox
                                WHERE state IN ('pending', 'sending')
                                  AND ((state = 'pending' AND next_attempt_at <= ?2) OR (state = 'sending' AND lease_until <= ?2))
                                  AND (attempts > 0) = ?3
                                  AND (CASE WHEN ?4 IS NULL THEN channel IS NULL ELSE channel IN (SELECT value FROM json_each(?4)) END)
                                ORDER BY next_attempt_at, id LIMIT 1)
                    RETURNING *
                    """), arguments: [Int64((now.timeIntervalSince1970 + lease).rounded(.up)), now.unixSeconds, tried, channels])
                if let row { return Self.outboxMessage(row) }
            }
            return nil
        }
    }

    @discardableResult
    public func finishOutbox(_ message: OutboxMessage, _ delivery: OutboxDelivery, at now: Date) async throws -> Bool {
        let id = message.id
        return try await write { db in
            // Fenced: only the current claim (its token, still sending) may finish the row.
            let fence = "WHERE id = ? AND lease_token = ? AND state = 'sending'"
            let (sql, arguments, kind, data): (String, StatementArguments, String, [String: String]) = switch delivery {
            case .sent(let reply):
                ("UPDATE outbox SET state = 'sent', sent_at = ?, lease_until = NULL, reply = ? \(fence)",
                 [now.unixSeconds, reply, id, message.leaseToken], "outbox.sent", ["reply": reply])
            case .retry(let at, let error):
                ("UPDATE outbox SET state = 'pending', next_attempt_at = ?, lease_until = NULL, last_error = ? \(fence)",
                 [Int64(at.timeIntervalSince1970.rounded(.up)), error, id, message.leaseToken], "outbox.retry", ["error": error])
            case .dead(let error):
                ("UPDATE outbox SET state = 'dead', lease_until = NULL, last_error = ? \(fence)",
                 [error, id, message.leaseToken], "outbox.dead", ["error": error])
            }
            try db.execute(sql: sql, arguments: arguments)
            guard db.changesCount == 1 else { return false }
            try EventLog.append(db, kind: kind, at: now, lead: message.lead?.rawValue, data: data.merging(["outbox_id": String(id)]) { a, _ in a })
            return true
        }
    }

    public func nextOutboxAttempt(lane: OutboxLane) async throws -> Date? {
        let channels = Self.laneChannels(lane)
        return try await pool.read { db in
            let inLane = "(CASE WHEN ?1 IS NULL THEN channel IS NULL ELSE channel IN (SELECT value FROM json_each(?1)) END)"
            let pending = try Int64.fetchOne(db, sql: "SELECT MIN(next_attempt_at) FROM outbox WHERE state = 'pending' AND \(inLane)",
                                             arguments: [channels])
            let lease = try Int64.fetchOne(db, sql: "SELECT MIN(lease_until) FROM outbox WHERE state = 'sending' AND \(inLane)", arguments: [channels])
            return [pending, lease].compactMap { $0 }.min().map(Date.init(unixSeconds:))
        }
    }

    /// A lane's channels as a JSON array for `json_each` (nil: the mail lane).
    static func laneChannels(_ lane: OutboxLane) -> String? {
        guard case .channels(let names) = lane else { return nil }
        return "[" + names.sorted().map(JSONText.quote).joined(separator: ",") + "]"
    }

    /// Messages for `leadctl outbox list`, newest first.
    public func outboxMessages(state: OutboxMessage.State?, limit: Int) async throws -> [OutboxMessage] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM outbox WHERE ?1 IS NULL OR state = ?1 ORDER BY id DESC LIMIT ?2",
                             arguments: [state?.rawValue, limit]).map(Self.outboxMessage)
        }
    }

    public func outboxMessage(_ id: Int64) async throws -> OutboxMessage? {
        try await pool.read { db in try Row.fetchOne(db, sql: "SELECT * FROM outbox WHERE id = ?", arguments: [id]).map(Self.outboxMessage) }
    }

    /// `leadctl outbox retry ID`: a dead (or waiting) message is due again now, with fresh attempts.
    public func retryOutbox(_ id: Int64, at now: Date) async throws -> Bool {
        try await write { db in
            try db.execute(sql: """
                UPDATE outbox SET state = 'pending', next_attempt_at = ?1, attempts = 0, age_from = ?1 WHERE id = ?2 AND state IN ('dead', 'pending')
                """, arguments: [now.unixSeconds, id])
            guard db.changesCount > 0 else { return false }
            try EventLog.append(db, kind: "outbox.retry_requested", at: now, data: ["outbox_id": String(id)])
            return true
        }
    }

    /// Waiting rows of channels not in `?1` (a JSON array), waiting since before `?2`, not under a
    /// live lease at `?3`; read through `outbox_channel_waiting`, so the sweep costs the channel
    /// backlog, never the mail backlog or the history.
    static let abandonedWhere = """
        channel IS NOT NULL AND state IN ('pending', 'sending') AND (state = 'pending' OR lease_until <= ?3)
          AND channel NOT IN (SELECT value FROM json_each(?1)) AND COALESCE(age_from, created_at) < ?2
        """

    static let abandonSQL = """
        UPDATE outbox INDEXED BY outbox_channel_waiting
        SET state = 'dead', lease_until = NULL, last_error = 'no channel ' || channel || ' in the configuration'
        WHERE \(abandonedWhere)
        RETURNING id, lead_id, channel
        """

    public func abandonUnconfiguredChannels(_ configured: Set<String>, waitingSince: Date, at now: Date) async throws -> [(id: Int64, lead: LeadID?)] {
        let names = Self.laneChannels(.channels(configured))
        let arguments: StatementArguments = [names, waitingSince.unixSeconds, now.unixSeconds]
        // A read first: almost always nothing is abandoned, and the minute's sweep should cost no write.
        guard try await pool.read({ db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM outbox INDEXED BY outbox_channel_waiting WHERE \(Self.abandonedWhere) LIMIT 1",
                              arguments: arguments) ?? false
        }) else { return [] }
        return try await write { db in
            let rows = try Row.fetchAll(db, sql: Self.abandonSQL, arguments: arguments)
            for row in rows {
                try EventLog.append(db, kind: "outbox.dead", at: now, lead: row["lead_id"],
                                    data: ["outbox_id": String(row["id"] as Int64), "error": "no channel \(row["channel"] as String) in the configuration"])
            }
            return rows.map { (id: $0["id"], lead: ($0["lead_id"] as Int64?).map(LeadID.init(rawValue:))) }
        }
    }

    static func outboxMessage(_ row: Row) -> OutboxMessage {
        let cc: String = row["cc"] ?? ""
        return OutboxMessage(
            id: row["id"], kind: row["kind"], lead: (row["lead_id"] as Int64?).map(LeadID.init(rawValue:)), recipient: row["recipient"],
            cc: cc.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
            subject: row["subject"], body: row["body"], state: OutboxMessage.State(rawValue: row["state"]) ?? .pending,
            attempts: row["attempts"], nextAttemptAt: Date(unixSeconds: row["next_attempt_at"]),
            createdAt: Date(unixSeconds: row["created_at"]), sentAt: (row["sent_at"] as Int64?).map(Date.init(unixSeconds:)),
            lastError: row["last_error"], reply: row["reply"],
            ageFrom: (row["age_from"] as Int64?).map(Date.init(unixSeconds:)),
            variables: NoticeVariables.decode(row["data"] ?? "{}"), language: row["language"], leaseToken: row["lease_token"] ?? 0,
            channel: row["channel"], mentions: ((row["mentions"] as String?) ?? "").split(separator: ",").map(String.init))
    }
}
