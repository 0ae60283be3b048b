import Foundation
import LeadCore
import Logging
import PostgresNIO

/// Detail fetches (Meta lead ads): claimed like the outbox (`SKIP LOCKED`, a lease token that
/// fences a late finish), finished in one transaction with the lead's new fields and its routing.
extension PostgresLeadStore: DetailFetchStore {
    public func claimDetailFetch(at now: Date, lease: TimeInterval) async throws -> DetailFetchJob? {
        let leaseUntil = now.unixSeconds + Int64(lease.rounded(.up))
        return try await transaction { connection in
            try await connection.query("""
                UPDATE detail_fetches SET state = 'fetching', attempts = attempts + 1, lease_until = \(leaseUntil), lease_token = lease_token + 1
                WHERE lead_id = (SELECT lead_id FROM detail_fetches
                                 WHERE (state = 'pending' AND next_attempt_at <= \(now.unixSeconds))
                                    OR (state = 'fetching' AND lease_until <= \(now.unixSeconds))
                                 ORDER BY next_attempt_at, lead_id LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING lead_id, vendor, webhook, object_id, attempts, created_at, lease_token
                """, logger: self.logger).map {
                DetailFetchJob(lead: LeadID(try $0("lead_id") as Int64), vendor: try $0("vendor"), webhook: try $0("webhook"),
                               objectID: try $0("object_id"), attempts: Int(try $0("attempts") as Int32), createdAt: try $0.date("created_at"),
                               leaseToken: try $0("lease_token"))
            }.first
        }
    }

    public func finishDetailFetch(_ job: DetailFetchJob, _ result: DetailFetchResult, decider: AssignmentDecider?,
                                  at now: Date) async throws -> RoutingDecision? {
        try await transaction { connection in
            let lead = job.lead.rawValue, logger = self.logger
            // Fenced: only the current claim (its token, still fetching) may finish the row.
            guard try await connection.query("""
                SELECT lead_id FROM detail_fetches WHERE lead_id = \(lead) AND lease_token = \(job.leaseToken) AND state = 'fetching' FOR UPDATE
                """, logger: logger).collectFirst(Int64.self) != nil else { throw StaleLease(lead: job.lead) }
            switch result {
            case .fetched(let details, let response):
                try await PostgresDetailFetchWriter.fill(lead, with: details, at: now, on: connection, logger: logger)
                try await connection.query("""
                    UPDATE detail_fetches SET state = 'done', lease_until = NULL, last_error = NULL, response = \(Data(response)),
                        finished_at = \(now.unixSeconds)
                    WHERE lead_id = \(lead)
                    """, logger: logger)
                try await PostgresEvents.append(connection, kind: "lead.details_fetched", at: now, lead: lead,
                                                data: ["vendor": job.vendor, "attempts": String(job.attempts)], logger: logger)
            case .retry(let at, let error):
                try await connection.query("""
                    UPDATE detail_fetches SET state = 'pending', lease_until = NULL, next_attempt_at = \(at.unixSeconds), last_error = \(error)
                    WHERE lead_id = \(lead)
                    """, logger: logger)
                return nil
            case .dead(let error):
                try await connection.query("""
                    UPDATE detail_fetches SET state = 'dead', lease_until = NULL, last_error = \(error), finished_at = \(now.unixSeconds)
                    WHERE lead_id = \(lead)
                    """, logger: logger)
                try await PostgresDetailFetchWriter.flagMissing(lead, reason: error, at: now, on: connection, logger: logger)
                try await PostgresEvents.append(connection, kind: "lead.details_dead", at: now, lead: lead,
                                                data: ["vendor": job.vendor, "error": error], logger: logger)
            }
            return try await self.routeOnce(lead, decider: decider, at: now, on: connection)
        }
    }

    public func routeLeadsAwaitingDetails(decider: AssignmentDecider, at now: Date) async throws -> [(LeadID, RoutingDecision)] {
        try await transaction { connection in
            let due = try await connection.query("""
                SELECT lead_id, last_error FROM detail_fetches WHERE NOT routed AND route_by <= \(now.unixSeconds)
                ORDER BY route_by LIMIT 100 FOR UPDATE SKIP LOCKED
                """, logger: self.logger).map { (try $0("lead_id") as Int64, try $0("last_error") as String?) }
            var routed: [(LeadID, RoutingDecision)] = []
            for (lead, error) in due {
                try await PostgresDetailFetchWriter.flagMissing(lead, reason: "not fetched in time" + (error.map { ": \($0)" } ?? ""), at: now,
                                                                on: connection, logger: self.logger)
                if let decision = try await self.routeOnce(lead, decider: decider, at: now, on: connection) { routed.append((LeadID(lead), decision)) }
            }
            return routed
        }
    }

    public func nextDetailFetchEvent() async throws -> Date? {
        try await self.query("""
            SELECT LEAST((SELECT MIN(next_attempt_at) FROM detail_fetches WHERE state = 'pending'),
                         (SELECT MIN(lease_until) FROM detail_fetches WHERE state = 'fetching'),
                         (SELECT MIN(route_by) FROM detail_fetches WHERE NOT routed))
            """).collectFirst(Int64?.self).flatMap { $0 }.map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }

    /// Routes the lead if it has not been routed yet (the `routed` flag makes it happen once).
    private func routeOnce(_ lead: Int64, decider: AssignmentDecider?, at now: Date, on connection: PostgresConnection) async throws
        -> RoutingDecision? {
        guard let decider, try await connection.query("""
            UPDATE detail_fetches SET routed = true WHERE lead_id = \(lead) AND NOT routed RETURNING lead_id
            """, logger: logger).collectFirst(Int64.self) != nil,
              let stored = try await PostgresLeadRow.read(LeadID(lead), lock: true, { try await connection.query($0, logger: self.logger) })
        else { return nil }
        return try await route(LeadID(lead), draft: stored.draft, decider: decider, at: now, on: connection)
    }
}

/// The writes of detail fetches, inside a caller's transaction.
enum PostgresDetailFetchWriter {
    /// Fills the lead's empty fields from the fetched details and merges their custom fields.
    static func fill(_ lead: Int64, with details: LeadDraft, at now: Date, on connection: PostgresConnection, logger: Logger) async throws {
        guard var custom = try await customFields(lead, on: connection, logger: logger) else { return }
        custom.merge(details.customFields) { _, new in new }
        custom.removeValue(forKey: "details")
        try await connection.query("""
            UPDATE leads SET name = COALESCE(name, \(details.name)), company = COALESCE(company, \(details.company)),
                email = COALESCE(email, \(details.email)), phone = COALESCE(phone, \(details.phone)),
                country = COALESCE(country, \(details.country)), province = COALESCE(province, \(details.province)),
                city = COALESCE(city, \(details.city)), industry = COALESCE(industry, \(details.industry)),
                campaign = COALESCE(campaign, \(details.campaign)), message = COALESCE(message, \(details.message)),
                custom_fields = \(JSONText.object(custom)), company_key = COALESCE(company_key, \(details.company.flatMap(CompanyName.key))),
                updated_at = \(now.unixSeconds)
            WHERE id = \(lead)
            """, logger: logger)
    }

    /// Marks a lead routed without its details: `details=missing: REASON` among its custom fields.
    static func flagMissing(_ lead: Int64, reason: String, at now: Date, on connection: PostgresConnection, logger: Logger) async throws {
        guard var custom = try await customFields(lead, on: connection, logger: logger) else { return }
        custom["details"] = "missing: " + String(reason.prefix(300))
        try await connection.query("""
            UPDATE leads SET custom_fields = \(JSONText.object(custom)), updated_at = \(now.unixSeconds) WHERE id = \(lead)
            """, logger: logger)
    }

    static func customFields(_ lead: Int64, on connection: PostgresConnection, logger: Logger) async throws -> [String: String]? {
        guard let text = try await connection.query("SELECT custom_fields FROM leads WHERE id = \(lead) FOR UPDATE", logger: logger)
            .collectFirst(String.self) else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: String] ?? [:]
    }
}
