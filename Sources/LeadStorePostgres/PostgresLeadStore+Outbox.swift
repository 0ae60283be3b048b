import Foundation
import LeadCore
import Logging
import PostgresNIO

extension PostgresLeadStore: OutboxStore {
    /// Claims one due message. `FOR UPDATE SKIP LOCKED`: nodes claiming at once take different
    /// rows; each claim bumps the lease token, which fences off a finish by an earlier claimant.
    public func claimOutbox(at now: Date, lease: TimeInterval, retry: Bool, lane: OutboxLane) async throws -> OutboxMessage? {
        let leaseUntil = Int64((now.timeIntervalSince1970 + lease).rounded(.up))
        let (mail, channels) = Self.lane(lane)
        return try await transaction { connection in
            for tried in [retry, !retry] {
                let rows = try await connection.query("""
                    UPDATE outbox SET state = 'sending', lease_until = \(leaseUntil), attempts = attempts + 1, lease_token = lease_token + 1
                    WHERE id = (SELECT id FROM outbox
                                WHERE ((state = 'pending' AND next_attempt_at <= \(now.unixSeconds))
                                       OR (state = 'sending' AND lease_until <= \(now.unixSeconds)))
                                  AND (attempts > 0) = \(tried)
                                  AND (CASE WHEN \(mail) THEN channel IS NULL ELSE channel = ANY(\(channels)) END)
                                ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
                    RETURNING *
                    """, logger: self.logger)
                if let message = try await rows.map(Self.outboxMessage).first { return message }
            }
            return nil
        }
    }

    @discardableResult
    public func finishOutbox(_ message: OutboxMessage, _ delivery: OutboxDelivery, at now: Date) async throws -> Bool {
        let (id, token) = (message.id, message.leaseToken)
        return try await transaction { connection in
            // Fenced: only the current claim (its token, still sending) may finish the row.
            let (query, kind, data): (PostgresQuery, String, [String: String]) = switch delivery {
            case .sent(let reply):
                ("""
                 UPDATE outbox SET state = 'sent', sent_at = \(now.unixSeconds), lease_until = NULL, reply = \(reply)
                 WHERE id = \(id) AND lease_token = \(token) AND state = 'sending' RETURNING id
                 """, "outbox.sent", ["reply": reply])
            case .retry(let at, let error):
                ("""
                 UPDATE outbox SET state = 'pending', next_attempt_at = \(Int64(at.timeIntervalSince1970.rounded(.up))), lease_until = NULL,
                     last_error = \(error)
                 WHERE id = \(id) AND lease_token = \(token) AND state = 'sending' RETURNING id
                 """, "outbox.retry", ["error": error])
            case .dead(let error):
                ("""
                 UPDATE outbox SET state = 'dead', lease_until = NULL, last_error = \(error)
                 WHERE id = \(id) AND lease_token = \(token) AND state = 'sending' RETURNING id
                 """, "outbox.dead", ["error": error])
            }
            guard try await connection.query(query, logger: self.logger).collectFirst(Int64.self) != nil else { return false }
            if case .retry = delivery { try await PostgresWakeups.notify(.outbox, on: connection, logger: self.logger) }
            try await PostgresEvents.append(connection, kind: kind, at: now, lead: message.lead?.rawValue,
                                            data: data.merging(["outbox_id": String(id)]) { a, _ in a }, logger: self.logger)
            return true
        }
    }

    public func nextOutboxAttempt(lane: OutboxLane) async throws -> Date? {
        let (mail, channels) = Self.lane(lane)
        return try await self.query("""
            SELECT LEAST((SELECT MIN(next_attempt_at) FROM outbox WHERE state = 'pending'
                            AND (CASE WHEN \(mail) THEN channel IS NULL ELSE channel = ANY(\(channels)) END)),
                         (SELECT MIN(lease_until) FROM outbox WHERE state = 'sending'
                            AND (CASE WHEN \(mail) THEN channel IS NULL ELSE channel = ANY(\(channels)) END)))
            """).collectFirst(Int64?.self).flatMap { $0 }.map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }

    /// A lane as bindings: mail, or the channels' names.
    static func lane(_ lane: OutboxLane) -> (mail: Bool, channels: [String]) {
        switch lane {
        case .mail: (true, [])
        case .channels(let names): (false, names.sorted())
        }
    }

    public func outboxMessages(state: OutboxMessage.State?, limit: Int) async throws -> [OutboxMessage] {
        try await self.query("""
            SELECT * FROM outbox WHERE \(state?.rawValue)::TEXT IS NULL OR state = \(state?.rawValue) ORDER BY id DESC LIMIT \(limit)
            """).map(Self.outboxMessage)
    }

    public func outboxMessage(_ id: Int64) async throws -> OutboxMessage? {
        try await self.query("SELECT * FROM outbox WHERE id = \(id)").map(Self.outboxMessage).first
    }

    /// `leadctl outbox retry ID`: a dead (or waiting) message is due again now, with fresh attempts.
    public func retryOutbox(_ id: Int64, at now: Date) async throws -> Bool {
        try await transaction { connection in
            guard try await connection.query("""
                UPDATE outbox SET state = 'pending', next_attempt_at = \(now.unixSeconds), attempts = 0, age_from = \(now.unixSeconds)
                WHERE id = \(id) AND state IN ('dead', 'pending') RETURNING id
                """, logger: self.logger).collectFirst(Int64.self) != nil else { return false }
            try await PostgresWakeups.notify(.outbox, on: connection, logger: self.logger)
            try await PostgresEvents.append(connection, kind: "outbox.retry_requested", at: now, data: ["outbox_id": String(id)],
                                            logger: self.logger)
            return true
        }
    }

    public func abandonUnconfiguredChannels(_ configured: Set<String>, waitingSince: Date, at now: Date) async throws -> [(id: Int64, lead: LeadID?)] {
        let names = configured.sorted()
        return try await transaction { connection in
            let rows = try await connection.query("""
                UPDATE outbox SET state = 'dead', lease_until = NULL, last_error = 'no channel ' || channel || ' in the configuration'
                WHERE state IN ('pending', 'sending') AND (state = 'pending' OR lease_until <= \(now.unixSeconds))
                  AND channel IS NOT NULL AND channel <> ALL(\(names))
                  AND COALESCE(age_from, created_at) < \(waitingSince.unixSeconds)
                RETURNING id, lead_id, channel
                """, logger: self.logger).map { (try $0("id") as Int64, try $0("lead_id") as Int64?, try $0("channel") as String) }
            for (id, lead, channel) in rows {
                try await PostgresEvents.append(connection, kind: "outbox.dead", at: now, lead: lead,
                                                data: ["outbox_id": String(id), "error": "no channel \(channel) in the configuration"],
                                                logger: self.logger)
            }
            return rows.map { (id: $0.0, lead: $0.1.map(LeadID.init(rawValue:))) }
        }
    }

    static func outboxMessage(_ fields: PostgresFields) throws -> OutboxMessage {
        let cc: String = try fields("cc")
        return OutboxMessage(
            id: try fields("id"), kind: try fields("kind"), lead: (try fields("lead_id") as Int64?).map(LeadID.init(rawValue:)),
            recipient: try fields("recipient"),
            cc: cc.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
            subject: try fields("subject"), body: try fields("body"),
            state: OutboxMessage.State(rawValue: try fields("state")) ?? .pending, attempts: Int(try fields("attempts") as Int32),
            nextAttemptAt: try fields.date("next_attempt_at"), createdAt: try fields.date("created_at"),
            sentAt: try fields.optionalDate("sent_at"), lastError: try fields("last_error"), reply: try fields("reply"),
            ageFrom: try fields.optionalDate("age_from"), variables: NoticeVariables.decode(try fields("data")),
            language: try fields("language"), leaseToken: try fields("lease_token"), channel: try fields("channel"),
            mentions: (try fields("mentions") as String).split(separator: ",").map(String.init))
    }
}

/// Writes outbox rows inside the caller's transaction (the change that caused them), and wakes
/// every node's sender when it commits.
enum PostgresOutboxWriter {
    /// The new row's id.
    @discardableResult
    static func queue(_ notice: QueuedNotice, at now: Date, on connection: PostgresConnection, logger: Logger) async throws -> Int64 {
        let id = try await connection.query("""
            INSERT INTO outbox (kind, lead_id, recipient, cc, subject, body, state, next_attempt_at, created_at, data, language, channel, mentions)
            VALUES (\(notice.kind), \(notice.lead?.rawValue), \(notice.recipient.rawValue), \(notice.cc.map(\.rawValue).joined(separator: ", ")),
                    \(notice.subject), \(notice.body), 'pending', \(now.unixSeconds), \(now.unixSeconds), \(notice.encodedVariables),
                    \(notice.language), \(notice.channel), \(notice.mentions.joined(separator: ",")))
            RETURNING id
            """, logger: logger).collectFirst(Int64.self)
        try await PostgresWakeups.notify(.outbox, on: connection, logger: logger)
        guard let id else { throw PostgresStoreError("outbox insert returned no id") }
        return id
    }
}
