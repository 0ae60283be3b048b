import Foundation
import GRDB
import LeadCore

/// Detail fetches (Meta lead ads): claimed like the outbox, finished in one transaction with the
/// lead's new fields and its routing.
extension SQLiteLeadStore: DetailFetchStore {
    public func claimDetailFetch(at now: Date, lease: TimeInterval) async throws -> DetailFetchJob? {
        // A read first: the fetcher polls, and an idle poll should cost no write transaction.
        guard try await pool.read({ db in
            try Bool.fetchOne(db, sql: """
                SELECT 1 FROM detail_fetches WHERE (state = 'pending' AND next_attempt_at <= ?1) OR (state = 'fetching' AND lease_until <= ?1)
                """, arguments: [now.unixSeconds]) ?? false
        }) else { return nil }
        return try await write { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT * FROM detail_fetches
                WHERE (state = 'pending' AND next_attempt_at <= ?1) OR (state = 'fetching' AND lease_until <= ?1)
                ORDER BY next_attempt_at, lead_id LIMIT 1
                """, arguments: [now.unixSeconds]) else { return nil }
            let lead: Int64 = row["lead_id"]
            try db.execute(sql: """
                UPDATE detail_fetches SET state = 'fetching', attempts = attempts + 1, lease_until = ?, lease_token = lease_token + 1
                WHERE lead_id = ?
                """, arguments: [now.unixSeconds + Int64(lease.rounded(.up)), lead])
            return DetailFetchJob(lead: LeadID(lead), vendor: row["vendor"], webhook: row["webhook"], objectID: row["object_id"],
                                  attempts: (row["attempts"] as Int) + 1, createdAt: Date(unixSeconds: row["created_at"]),
                                  leaseToken: (row["lease_token"] as Int64) + 1)
        }
    }

    public func finishDetailFetch(_ job: DetailFetchJob, _ result: DetailFetchResult, decider: AssignmentDecider?,
                                  at now: Date) async throws -> RoutingDecision? {
        try await write { db in
            let lead = job.lead.rawValue
            // Fenced: only the current claim (its token, still fetching) may finish the row.
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM detail_fetches WHERE lead_id = ? AND lease_token = ? AND state = 'fetching'",
                                    arguments: [lead, job.leaseToken]) != nil else { throw StaleLease(lead: job.lead) }
            switch result {
            case .fetched(let details, let response):
                try DetailFetchWriter.fill(lead, with: details, at: now, in: db)
                try db.execute(sql: """
                    UPDATE detail_fetches SET state = 'done', lease_until = NULL, last_error = NULL, response = ?, finished_at = ?
                    WHERE lead_id = ?
                    """, arguments: [Data(response), now.unixSeconds, lead])
                try EventLog.append(db, kind: "lead.details_fetched", at: now, lead: lead,
                                    data: ["vendor": job.vendor, "attempts": String(job.attempts)])
            case .retry(let at, let error):
                try db.execute(sql: """
                    UPDATE detail_fetches SET state = 'pending', lease_until = NULL, next_attempt_at = ?, last_error = ? WHERE lead_id = ?
                    """, arguments: [at.unixSeconds, error, lead])
                return nil
            case .dead(let error):
                try db.execute(sql: """
                    UPDATE detail_fetches SET state = 'dead', lease_until = NULL, last_error = ?, finished_at = ? WHERE lead_id = ?
                    """, arguments: [error, now.unixSeconds, lead])
                try DetailFetchWriter.flagMissing(lead, reason: error, at: now, in: db)
                try EventLog.append(db, kind: "lead.details_dead", at: now, lead: lead, data: ["vendor": job.vendor, "error": error])
            }
            return try DetailFetchWriter.routeOnce(lead, decider: decider, at: now, in: db)
        }
    }

    public func routeLeadsAwaitingDetails(decider: AssignmentDecider, at now: Date) async throws -> [(LeadID, RoutingDecision)] {
        guard try await pool.read({ db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM detail_fetches WHERE routed = 0 AND route_by <= ?", arguments: [now.unixSeconds]) ?? false
        }) else { return [] }
        return try await write { db in
            let due = try Row.fetchAll(db, sql: """
                SELECT lead_id, last_error FROM detail_fetches WHERE routed = 0 AND route_by <= ? ORDER BY route_by LIMIT 100
                """, arguments: [now.unixSeconds])
            return try due.compactMap { row -> (LeadID, RoutingDecision)? in
                let lead: Int64 = row["lead_id"]
                let error: String? = row["last_error"]
                try DetailFetchWriter.flagMissing(lead, reason: "not fetched in time" + (error.map { ": \($0)" } ?? ""), at: now, in: db)
                return try DetailFetchWriter.routeOnce(lead, decider: decider, at: now, in: db).map { (LeadID(lead), $0) }
            }
        }
    }

    public func nextDetailFetchEvent() async throws -> Date? {
        try await pool.read { db in
            try Int64.fetchOne(db, sql: """
                SELECT MIN(t) FROM (
                  SELECT MIN(next_attempt_at) AS t FROM detail_fetches WHERE state = 'pending'
                  UNION ALL SELECT MIN(lease_until) FROM detail_fetches WHERE state = 'fetching'
                  UNION ALL SELECT MIN(route_by) FROM detail_fetches WHERE routed = 0)
                """).map(Date.init(unixSeconds:))
        }
    }

    /// Every fetch of a lead, for `leadctl leads show` and tests: state, attempts, last error.
    public func detailFetchState(of lead: LeadID) async throws -> (state: String, attempts: Int, lastError: String?, routed: Bool)? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT state, attempts, last_error, routed FROM detail_fetches WHERE lead_id = ?",
                             arguments: [lead.rawValue]).map { ($0["state"], $0["attempts"], $0["last_error"], $0["routed"]) }
        }
    }
}

/// The writes of detail fetches, inside a caller's transaction.
enum DetailFetchWriter {
    static func insert(_ fetch: DetailFetchRequest, lead: LeadID, at now: Date, in db: Database) throws {
        try db.execute(sql: """
            INSERT INTO detail_fetches (lead_id, vendor, webhook, object_id, next_attempt_at, route_by, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [lead.rawValue, fetch.vendor, fetch.webhook, fetch.objectID, now.unixSeconds,
                             fetch.routeBy.unixSeconds, now.unixSeconds])
        try EventLog.append(db, kind: "lead.details_pending", at: now, lead: lead.rawValue,
                            data: ["vendor": fetch.vendor, "object_id": fetch.objectID])
    }

    /// Fills the lead's empty fields from the fetched details and merges their custom fields.
    static func fill(_ lead: Int64, with details: LeadDraft, at now: Date, in db: Database) throws {
        guard let row = try Row.fetchOne(db, sql: "SELECT custom_fields FROM leads WHERE id = ?", arguments: [lead]) else { return }
        var custom = (try? JSONSerialization.jsonObject(with: Data((row["custom_fields"] as String).utf8))) as? [String: String] ?? [:]
        custom.merge(details.customFields) { _, new in new }
        custom.removeValue(forKey: "details")
        try db.execute(sql: """
            UPDATE leads SET name = COALESCE(name, ?), company = COALESCE(company, ?), email = COALESCE(email, ?),
                phone = COALESCE(phone, ?), country = COALESCE(country, ?), province = COALESCE(province, ?),
                city = COALESCE(city, ?), industry = COALESCE(industry, ?), campaign = COALESCE(campaign, ?),
                message = COALESCE(message, ?), custom_fields = ?, company_key = COALESCE(company_key, ?), updated_at = ?
            WHERE id = ?
            """, arguments: [details.name, details.company, details.email, details.phone, details.country, details.province,
                             details.city, details.industry, details.campaign, details.message, EventLog.json(custom),
                             details.company.flatMap(CompanyName.key), now.unixSeconds, lead])
    }

    /// Marks a lead routed without its details: `details=missing: REASON` among its custom fields.
    static func flagMissing(_ lead: Int64, reason: String, at now: Date, in db: Database) throws {
        guard let row = try Row.fetchOne(db, sql: "SELECT custom_fields FROM leads WHERE id = ?", arguments: [lead]) else { return }
        var custom = (try? JSONSerialization.jsonObject(with: Data((row["custom_fields"] as String).utf8))) as? [String: String] ?? [:]
        custom["details"] = "missing: " + String(reason.prefix(300))
        try db.execute(sql: "UPDATE leads SET custom_fields = ?, updated_at = ? WHERE id = ?",
                       arguments: [EventLog.json(custom), now.unixSeconds, lead])
    }

    /// Routes the lead if it has not been routed yet (the `routed` flag makes it happen once).
    static func routeOnce(_ lead: Int64, decider: AssignmentDecider?, at now: Date, in db: Database) throws -> RoutingDecision? {
        guard let decider,
              try Int.fetchOne(db, sql: "SELECT routed FROM detail_fetches WHERE lead_id = ?", arguments: [lead]) == 0,
              let row = try Row.fetchOne(db, sql: "SELECT * FROM leads WHERE id = ?", arguments: [lead]) else { return nil }
        try db.execute(sql: "UPDATE detail_fetches SET routed = 1 WHERE lead_id = ?", arguments: [lead])
        let effects = try decider.newLead(LeadID(lead), draft: LeadRow.lead(row).draft, now: now, facts: SQLiteRoutingFacts(db))
        return try RoutingWriter.apply(effects, lead: LeadID(lead), at: now, in: db)
    }
}
