import Foundation
import LeadCore
import PostgresNIO

extension PostgresLeadStore: IntakeStore {
    /// One transaction per batch. The same person's inputs are serialised across daemons by a
    /// transaction advisory lock per duplicate key (taken for the whole batch, in sorted order, so
    /// two batches never wait on each other in a cycle); two daemons committing the same origin
    /// meet on its unique key, and the loser's batch is retried and finds it a redelivery.
    public func commitIntakes(_ items: [IntakeItem], duplicates: DuplicatePolicy, decider: AssignmentDecider?,
                              at now: Date) async throws -> [IntakeCommit] {
        guard !items.isEmpty else { return [] }
        return try await transaction { connection in
            let keys = Set(items.flatMap { item -> [String] in
                let (email, phone) = duplicates.keys(of: item.draft)
                return [email.map { "email:" + $0 }, phone.map { "phone:" + $0 }].compactMap { $0 }
            }).sorted()
            for key in keys {
                try await connection.query("SELECT pg_advisory_xact_lock(hashtextextended(\(key), 0))", logger: self.logger)
            }
            var commits: [IntakeCommit] = []
            for item in items {
                let facts = try await PostgresIntakeFacts.load(for: item, duplicates: duplicates, now: now, on: connection, logger: self.logger)
                let decision = try IntakeDecider.decide(item, duplicates: duplicates, now: now, facts: facts)
                let outcome = try await PostgresIntakeWriter.apply(decision, at: now, on: connection, logger: self.logger)
                if case .created(let lead) = outcome, let fetch = item.detailFetch {
                    try await PostgresIntakeWriter.insert(fetch, lead: lead, at: now, on: connection, logger: self.logger)
                    commits.append(IntakeCommit(outcome: outcome))            // routed when its details arrive
                } else if case .created(let lead) = outcome, let decider {
                    commits.append(IntakeCommit(outcome: outcome,
                                                decision: try await self.route(lead, draft: decision.item.draft, decider: decider, at: now, on: connection)))
                } else {
                    commits.append(IntakeCommit(outcome: outcome))
                }
            }
            return commits
        }
    }

    public func recordQuarantine(_ item: QuarantineItem, at now: Date) async throws -> Int64 {
        try await transaction { connection in
            let origin = item.origin
            let inserted = try await connection.query("""
                INSERT INTO quarantine (origin_channel, origin_name, origin_key, reason, headers, body, received_at, created_at)
                VALUES (\(origin.channel.rawValue), \(origin.name), \(origin.key), \(item.reason), \(item.raw.headers),
                        \(Data(item.raw.body)), \(item.receivedAt.unixSeconds), \(now.unixSeconds))
                ON CONFLICT (origin_channel, origin_name, origin_key) DO NOTHING RETURNING id
                """, logger: self.logger).collectFirst(Int64.self)
            guard let id = inserted else {
                let existing = try await connection.query("""
                    SELECT id FROM quarantine WHERE origin_channel = \(origin.channel.rawValue) AND origin_name = \(origin.name)
                      AND origin_key = \(origin.key)
                    """, logger: self.logger).collectFirst(Int64.self)
                guard let existing else { throw PostgresStoreError("quarantine entry vanished") }
                return existing
            }
            try await PostgresEvents.append(connection, kind: "intake.quarantined", at: now, data: [
                "channel": origin.channel.rawValue, "origin": origin.name, "quarantine_id": String(id),
            ], logger: self.logger)
            return id
        }
    }

    public func intakeState(_ origin: LeadOrigin) async throws -> IntakeState? {
        if let lead = try await self.query("""
            SELECT lead_id FROM captures WHERE origin_channel = \(origin.channel.rawValue) AND origin_name = \(origin.name)
              AND origin_key = \(origin.key)
            """).collectFirst(Int64.self) {
            return .lead(LeadID(lead))
        }
        return try await self.query("""
            SELECT id FROM quarantine WHERE origin_channel = \(origin.channel.rawValue) AND origin_name = \(origin.name)
              AND origin_key = \(origin.key)
            """).collectFirst(Int64.self).map(IntakeState.quarantined)
    }

    public func quarantined(limit: Int) async throws -> [QuarantineEntry] {
        var entries: [QuarantineEntry] = []
        let rows = try await self.query("""
            SELECT id, origin_channel, origin_name, origin_key, reason, received_at, state FROM quarantine ORDER BY id DESC LIMIT \(limit)
            """)
        for try await row in rows.decode((Int64, String, String, String, String, Int64, String).self) { entries.append(Self.entry(row)) }
        return entries
    }

    public func quarantineRaw(_ id: Int64) async throws -> (QuarantineEntry, RawCapture)? {
        let rows = try await self.query("""
            SELECT id, origin_channel, origin_name, origin_key, reason, received_at, state, headers, body FROM quarantine WHERE id = \(id)
            """)
        for try await (id, channel, name, key, reason, received, state, headers, body)
            in rows.decode((Int64, String, String, String, String, Int64, String, String, Data).self) {
            return (Self.entry((id, channel, name, key, reason, received, state)), RawCapture(headers: headers, body: Array(body)))
        }
        return nil
    }

    public func markQuarantineRetried(_ id: Int64, at now: Date) async throws {
        try await transaction { connection in
            try await connection.query("UPDATE quarantine SET state = 'retried', retried_at = \(now.unixSeconds) WHERE id = \(id)",
                                       logger: self.logger)
            try await PostgresEvents.append(connection, kind: "intake.retried", at: now, data: ["quarantine_id": String(id)], logger: self.logger)
        }
    }

    public func rawCapture(of lead: LeadID) async throws -> RawCapture? {
        let rows = try await self.query("""
            SELECT headers, body FROM captures WHERE lead_id = \(lead.rawValue) AND activity_id IS NULL
            """)
        for try await (headers, body) in rows.decode((String, Data).self) { return RawCapture(headers: headers, body: Array(body)) }
        return nil
    }

    public func purgeCaptures(receivedBefore cutoff: Date) async throws -> Int {
        try await self.query("""
            WITH purged AS (
                UPDATE captures SET body = ''::bytea, headers = '(purged)' WHERE received_at < \(cutoff.unixSeconds) AND length(body) > 0
                RETURNING 1)
            SELECT COUNT(*)::BIGINT FROM purged
            """).collectFirst(Int64.self).map(Int.init) ?? 0
    }

    static func entry(_ row: (Int64, String, String, String, String, Int64, String)) -> QuarantineEntry {
        QuarantineEntry(id: row.0, origin: LeadOrigin(channel: LeadOrigin.Channel(rawValue: row.1) ?? .manual, name: row.2, key: row.3),
                        reason: row.4, receivedAt: Date(timeIntervalSince1970: TimeInterval(row.5)),
                        state: QuarantineEntry.State(rawValue: row.6) ?? .held)
    }
}

/// What `IntakeDecider` reads, loaded ahead for one item inside the intake transaction (the
/// decider's reads are few and known: the origin, the sender's tally, the two duplicate keys).
struct PostgresIntakeFacts: IntakeFacts {
    var holding: LeadID?
    var forms: [String: Int] = [:]
    var open: [DuplicateKey: [(LeadID, DuplicatePolicy.Contact)]] = [:]

    static func load(for item: IntakeItem, duplicates: DuplicatePolicy, now: Date, on connection: PostgresConnection,
                     logger: Logger) async throws -> PostgresIntakeFacts {
        let origin = item.draft.origin
        var facts = PostgresIntakeFacts()
        facts.holding = try await connection.query("""
            SELECT lead_id FROM captures WHERE origin_channel = \(origin.channel.rawValue) AND origin_name = \(origin.name)
              AND origin_key = \(origin.key)
            """, logger: logger).collectFirst(Int64.self).map(LeadID.init(rawValue:))
        guard facts.holding == nil else { return facts }
        if item.draft.emailFromHeader, let email = item.draft.email?.lowercased() {
            facts.forms[email] = try await connection.query("SELECT forms FROM form_senders WHERE address = \(email)", logger: logger)
                .collectFirst(Int.self) ?? 0
        }
        // The form service's address is moved out before matching: load with the decision's own
        // view of the draft (the keys of the draft as kept are a subset of these).
        let (email, phone) = duplicates.keys(of: item.draft)
        let since = now.addingTimeInterval(-TimeInterval(duplicates.windowSeconds)).unixSeconds
        for (key, value) in [(DuplicateKey.email, email), (.phone, phone)] {
            guard let value else { continue }
            var found: [(LeadID, DuplicatePolicy.Contact)] = []
            let rows = try await connection.query(PostgresQuery(unsafeSQL: """
                SELECT id, email, phone FROM leads WHERE \(key.rawValue) = $1 AND created_at >= $2 AND status NOT IN ('converted', 'disqualified')
                ORDER BY id DESC LIMIT 8
                """, binds: try Self.binds(value, since)), logger: logger)
            for try await (id, email, phone) in rows.decode((Int64, String?, String?).self) {
                found.append((LeadID(id), DuplicatePolicy.Contact(email: email, phone: phone)))
            }
            facts.open[key] = found
        }
        return facts
    }

    static func binds(_ value: String, _ since: Int64) throws -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(value)
        binds.append(since)
        return binds
    }

    func leadHolding(_ origin: LeadOrigin) throws -> LeadID? { holding }
    func formsSent(by address: String) throws -> Int { forms[address] ?? 0 }
    func openLeads(_ key: DuplicateKey, _ value: String, createdSince since: Date) throws -> [(LeadID, DuplicatePolicy.Contact)] {
        open[key] ?? []
    }
}

/// Applies one intake decision inside the caller's transaction.
enum PostgresIntakeWriter {
    static func apply(_ decision: IntakeDecision, at now: Date, on connection: PostgresConnection, logger: Logger) async throws -> IntakeOutcome {
        let item = decision.item
        let draft = item.draft
        let origin = draft.origin
        if let sender = decision.formSender {
            try await connection.query("""
                INSERT INTO form_senders (address, forms, first_seen, last_seen) VALUES (\(sender), 1, \(now.unixSeconds), \(now.unixSeconds))
                ON CONFLICT (address) DO UPDATE SET forms = form_senders.forms + 1, last_seen = excluded.last_seen
                """, logger: logger)
        }
        let warnings = "[" + item.warnings.map(JSONText.quote).joined(separator: ",") + "]"
        switch decision.outcome {
        case .redelivered(let lead):
            return .redelivered(lead)
        case .reinquiry(let lead, let key):
            let activity = try await connection.query("""
                INSERT INTO activities (lead_id, kind, rep_id, note, at) VALUES (\(lead.rawValue), 'reinquiry', NULL,
                    \(draft.message.map { String($0.prefix(2000)) }), \(now.unixSeconds)) RETURNING id
                """, logger: logger).collectFirst(Int64.self)
            try await insertCapture(item, lead: lead.rawValue, activity: activity, warnings: warnings, on: connection, logger: logger)
            try await connection.query("UPDATE leads SET updated_at = \(now.unixSeconds) WHERE id = \(lead.rawValue)", logger: logger)
            try await PostgresEvents.append(connection, kind: "lead.reinquiry", at: now, lead: lead.rawValue,
                                            data: ["channel": origin.channel.rawValue, "origin": origin.name, "matched_on": key.rawValue],
                                            logger: logger)
            return .reinquiry(lead)
        case .newLead:
            let id = try await insertLead(draft, at: now, on: connection, logger: logger)
            try await PostgresEvents.append(connection, kind: "lead.recorded", at: now, lead: id,
                                            data: ["channel": origin.channel.rawValue, "origin": origin.name], logger: logger)
            try await insertCapture(item, lead: id, activity: nil, warnings: warnings, on: connection, logger: logger)
            return .created(LeadID(id))
        }
    }

    /// The lead row of a new lead; its id.
    static func insertLead(_ draft: LeadDraft, at now: Date, on connection: PostgresConnection, logger: Logger) async throws -> Int64 {
        let origin = draft.origin
        guard let id = try await connection.query("""
            INSERT INTO leads (origin_channel, origin_name, origin_key, name, company, email, phone, country, province, city,
                industry, source, campaign, message, custom_fields, status, received_at, created_at, updated_at, company_key)
            VALUES (\(origin.channel.rawValue), \(origin.name), \(origin.key), \(draft.name), \(draft.company), \(draft.email),
                \(draft.phone), \(draft.country), \(draft.province), \(draft.city), \(draft.industry), \(draft.source),
                \(draft.campaign), \(draft.message), \(JSONText.object(draft.customFields)), \(LeadStatus.new.rawValue),
                \(draft.receivedAt.unixSeconds), \(now.unixSeconds), \(now.unixSeconds), \(draft.company.flatMap(CompanyName.key)))
            RETURNING id
            """, logger: logger).collectFirst(Int64.self) else { throw PostgresStoreError("lead insert returned no id") }
        return id
    }

    /// A lead whose details a vendor holds (Meta's lead ads): fetched later, routed then.
    static func insert(_ fetch: DetailFetchRequest, lead: LeadID, at now: Date, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO detail_fetches (lead_id, vendor, webhook, object_id, next_attempt_at, route_by, created_at)
            VALUES (\(lead.rawValue), \(fetch.vendor), \(fetch.webhook), \(fetch.objectID), \(now.unixSeconds), \(fetch.routeBy.unixSeconds),
                    \(now.unixSeconds))
            """, logger: logger)
        try await PostgresEvents.append(connection, kind: "lead.details_pending", at: now, lead: lead.rawValue,
                                        data: ["vendor": fetch.vendor, "object_id": fetch.objectID], logger: logger)
    }

    static func insertCapture(_ item: IntakeItem, lead: Int64, activity: Int64?, warnings: String, on connection: PostgresConnection,
                              logger: Logger) async throws {
        let origin = item.draft.origin
        try await connection.query("""
            INSERT INTO captures (lead_id, activity_id, origin_channel, origin_name, origin_key, headers, body, warnings, received_at)
            VALUES (\(lead), \(activity), \(origin.channel.rawValue), \(origin.name), \(origin.key), \(item.raw.headers),
                    \(Data(item.raw.body)), \(warnings), \(item.draft.receivedAt.unixSeconds))
            """, logger: logger)
    }
}
