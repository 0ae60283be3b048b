import Foundation
import LeadCore
import PostgresNIO

extension PostgresLeadStore: LeadReading {
    public func lead(_ id: LeadID) async throws -> Lead? {
        try await PostgresLeadRow.read(id) { try await self.query($0) }
    }

    /// Counted on read (no trigger-kept counters: with several daemons they would be one hot row).
    public func summary() async throws -> StoreSummary {
        let rows = try await self.query("""
            SELECT
              (SELECT COUNT(*) FROM leads)::BIGINT,
              (SELECT COUNT(*) FROM leads WHERE status NOT IN ('converted', 'disqualified'))::BIGINT,
              (SELECT COUNT(*) FROM leads WHERE owner_rep_id IS NULL AND status NOT IN ('converted', 'disqualified'))::BIGINT,
              (SELECT COUNT(*) FROM reps WHERE NOT retired)::BIGINT,
              (SELECT COUNT(*) FROM teams WHERE NOT retired)::BIGINT,
              (SELECT COUNT(*) FROM deadlines WHERE state = 'pending' AND level = 0)::BIGINT,
              (SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'sending'))::BIGINT,
              (SELECT COUNT(*) FROM outbox WHERE state = 'dead')::BIGINT,
              (SELECT COUNT(DISTINCT lead_id) FROM deadlines
                 WHERE clock = 'stale' AND level = 0 AND state = 'missed' AND resolved_at IS NULL)::BIGINT
            """)
        var summary = StoreSummary()
        for try await (total, open, unassigned, reps, teams, deadlines, outbox, dead, stale)
            in rows.decode((Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64).self) {
            summary = StoreSummary(leadsTotal: Int(total), leadsOpen: Int(open), leadsUnassigned: Int(unassigned), reps: Int(reps),
                                   teams: Int(teams), deadlinesPending: Int(deadlines), outboxPending: Int(outbox), outboxDead: Int(dead))
            summary.leadsStale = Int(stale)
        }
        for try await (status, count) in try await self.query("SELECT status, COUNT(*)::BIGINT FROM leads GROUP BY status")
            .decode((String, Int64).self) {
            summary.leadsByStatus[status] = Int(count)
        }
        return summary
    }
}

/// A `leads` row as the core's `Lead`.
enum PostgresLeadRow {
    /// The columns `lead(_:)` decodes, in its order.
    static let columns = """
        id, origin_channel, origin_name, origin_key, name, company, email, phone, country, province, city, industry,
        source, campaign, message, custom_fields, status, owner_rep_id, team_id, received_at, created_at, updated_at
        """

    /// One lead through `run` (the pool, or a transaction's connection); `lock` takes its row lock
    /// until the transaction ends (every change to a lead takes it first, so changes to one lead
    /// are serialised across nodes).
    static func read(_ id: LeadID, lock: Bool = false, _ run: (PostgresQuery) async throws -> PostgresRowSequence) async throws -> Lead? {
        let rows = try await run(PostgresQuery(unsafeSQL: "SELECT \(columns) FROM leads WHERE id = $1" + (lock ? " FOR UPDATE" : ""),
                                               binds: try binds(id.rawValue)))
        for try await row in rows { return try lead(row) }
        return nil
    }

    static func binds(_ id: Int64) throws -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(id)
        return binds
    }

    static func lead(_ row: PostgresRow) throws -> Lead {
        let (id, channel, originName, originKey, name, company, email, phone, country, province, city, industry) =
            try row.decode((Int64, String, String, String, String?, String?, String?, String?, String?, String?, String?, String?).self)
        let cells = Array(row)
        func text(_ index: Int) throws -> String? { try cells[index].decode(String?.self) }
        func seconds(_ index: Int) throws -> Date { Date(timeIntervalSince1970: TimeInterval(try cells[index].decode(Int64.self))) }
        let customText = try text(15) ?? "{}"
        let custom = (try? JSONSerialization.jsonObject(with: Data(customText.utf8))) as? [String: String] ?? [:]
        let draft = LeadDraft(name: name, company: company, email: email, phone: phone, country: country, province: province, city: city,
                              industry: industry, source: try text(12), campaign: try text(13), message: try text(14), customFields: custom,
                              origin: LeadOrigin(channel: LeadOrigin.Channel(rawValue: channel) ?? .manual, name: originName, key: originKey),
                              receivedAt: try seconds(19))
        return Lead(id: LeadID(id), draft: draft, status: LeadStatus(rawValue: try text(16) ?? "new"),
                    owner: try text(17).map(RepID.init(rawValue:)), team: try text(18).map(TeamID.init(rawValue:)),
                    createdAt: try seconds(20), updatedAt: try seconds(21))
    }
}
