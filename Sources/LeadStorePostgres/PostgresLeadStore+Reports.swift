import Foundation
import LeadCore
import Logging
import PostgresNIO

/// The leads a report covers and the group each belongs to, as SQL pieces: `$1` since, `$2` until,
/// `$3` now, `$4` the team (or NULL). Text is ordered `COLLATE "C"` (byte order, as SQLite's
/// BINARY), so both stores list rows alike whatever the database's locale.
struct PostgresReportScope {
    let query: ReportQuery
    let now: Date

    var group: String {
        switch query.by {
        case nil: "'all'"
        case .rep?: "COALESCE(l.owner_rep_id, '-')"
        case .team?: "COALESCE(l.team_id, '-')"
        case .source?: "COALESCE(l.source, '-')"
        case .province?: "COALESCE(l.province, '-')"
        case .industry?: "COALESCE(l.industry, '-')"
        }
    }

    var window: String { "l.created_at >= $1 AND l.created_at < $2 AND ($4::TEXT IS NULL OR l.team_id = $4)" }
    var groupTitle: String { query.by?.rawValue ?? "all" }

    var binds: PostgresBindings {
        var binds = timeBinds
        binds.append(now.unixSeconds)
        binds.append(query.team?.rawValue)
        return binds
    }

    /// `$1` since and `$2` until alone (a statement must use every parameter it is given a NULL for).
    var timeBinds: PostgresBindings {
        var binds = PostgresBindings()
        binds.append((query.since ?? .distantPast).unixSeconds)
        binds.append((query.until ?? Date(timeIntervalSince1970: 4_102_444_800)).unixSeconds)
        return binds
    }

    static func grouped<T>(_ items: [(String, T)]) -> [(String, [T])] {
        Dictionary(grouping: items, by: \.0).map { ($0.key, $0.value.map(\.1)) }.sorted { $0.0 < $1.0 }
    }
}

extension PostgresLeadStore: ReportStore {
    /// A report's rows; `orderBy` sorts the statement's output columns by name (as a subquery:
    /// an output column cannot take `COLLATE` in the statement's own ORDER BY).
    func reportRows(_ sql: String, _ scope: PostgresReportScope, binds: PostgresBindings? = nil, orderBy: String? = nil) async throws
        -> [PostgresFields] {
        let statement = orderBy.map { "SELECT * FROM (\(sql)) report ORDER BY \($0)" } ?? sql
        return try await self.query(PostgresQuery(unsafeSQL: statement, binds: binds ?? scope.binds)).map { $0 }
    }

    public func responseReport(_ query: ReportQuery, clocks: ClockDecider, at now: Date) async throws -> Report {
        let scope = PostgresReportScope(query: query, now: now)
        let rows = try await reportRows("""
            SELECT \(scope.group) AS g,
              (SELECT MIN(s.assigned_at) FROM assignments s WHERE s.lead_id = l.id) AS assigned,
              (SELECT MIN(a.at) FROM activities a WHERE a.lead_id = l.id AND a.kind IN ('call', 'email', 'meeting', 'message')
                 AND a.rep_id IS NOT NULL) AS contacted,
              f.state, f.due_at AS due, f.policy
            FROM leads l LEFT JOIN LATERAL (SELECT d.state, d.due_at, d.policy FROM deadlines d
                                            WHERE d.lead_id = l.id AND d.clock = 'first_contact' AND d.level = 0 ORDER BY d.cycle LIMIT 1) f ON true
            WHERE \(scope.window)
            """, scope)
        let facts = try rows.map { row in
            (try row("g") as String, ResponseReport.Fact(assigned: try row("assigned"), contacted: try row("contacted"),
                                                          state: (try row("state") as String?).flatMap(DeadlineState.init(rawValue:)),
                                                          due: try row("due"), policy: try row("policy")))
        }
        return clocks.responseReport(groups: PostgresReportScope.grouped(facts), groupTitle: scope.groupTitle, now: now)
    }

    public func funnelReport(_ query: ReportQuery, lifecycle: Lifecycle, at now: Date) async throws -> Report {
        let scope = PostgresReportScope(query: query, now: now)
        let rows = try await reportRows("""
            SELECT \(scope.group) AS g, l.status AS status,
              (SELECT string_agg(h.to_status, ',') FROM status_history h WHERE h.lead_id = l.id) AS reached
            FROM leads l WHERE \(scope.window)
            """, scope)
        let items = try rows.map { row -> (String, Set<String>) in
            var reached = Set(((try row("reached") as String?) ?? "").split(separator: ",").map(String.init))
            reached.insert(try row("status"))
            reached.insert(LeadStatus.new.rawValue)
            return (try row("g"), reached)
        }
        return FunnelReport.build(groups: PostgresReportScope.grouped(items), groupTitle: scope.groupTitle, lifecycle: lifecycle)
    }

    public func dwellReport(_ query: ReportQuery, lifecycle: Lifecycle, at now: Date) async throws -> Report {
        let scope = PostgresReportScope(query: query, now: now)
        let rows = try await reportRows("""
            SELECT \(scope.group) AS g, l.id AS id, l.created_at AS created, h.to_status AS status, h.at AS at
            FROM leads l LEFT JOIN status_history h ON h.lead_id = l.id
            WHERE \(scope.window) ORDER BY l.id, h.at, h.id
            """, scope)
        let history = try rows.map {
            DwellReport.Entry(lead: try $0("id"), group: try $0("g"), created: try $0("created"), status: try $0("status"), at: try $0("at"))
        }
        return DwellReport.build(history, groupTitle: scope.groupTitle, lifecycle: lifecycle, end: min(now, query.until ?? now).unixSeconds)
    }

    public func slaReport(_ query: ReportQuery, at now: Date) async throws -> Report {
        let scope = PostgresReportScope(query: query, now: now)
        let rows = try await reportRows("""
            SELECT \(scope.group) AS g, COALESCE(d.policy, '-') AS policy, d.clock AS clock,
              COUNT(*) FILTER (WHERE d.state = 'met') AS met, COUNT(*) FILTER (WHERE d.state = 'missed') AS missed,
              COUNT(*) FILTER (WHERE d.state = 'pending' AND d.due_at > $3) AS pending,
              COUNT(*) FILTER (WHERE d.state = 'pending' AND d.due_at <= $3) AS overdue,
              (SELECT COUNT(*) FROM escalations e JOIN leads l2 ON l2.id = e.lead_id
                 WHERE e.clock = d.clock AND e.policy = d.policy AND l2.created_at >= $1 AND l2.created_at < $2
                   AND ($4::TEXT IS NULL OR l2.team_id = $4)) AS escalations,
              (SELECT COUNT(*) FROM escalations e JOIN leads l2 ON l2.id = e.lead_id
                 WHERE e.clock = d.clock AND e.policy = d.policy AND e.outcome LIKE 'reassigned%' AND l2.created_at >= $1 AND l2.created_at < $2
                   AND ($4::TEXT IS NULL OR l2.team_id = $4)) AS reassigned
            FROM deadlines d JOIN leads l ON l.id = d.lead_id
            WHERE d.level = 0 AND d.state <> 'cancelled' AND \(scope.window)
            GROUP BY 1, 2, d.clock, d.policy
            """, scope, orderBy: "g COLLATE \"C\", policy COLLATE \"C\", clock COLLATE \"C\"")
        func int(_ row: PostgresFields, _ column: String) throws -> Int { Int(try row(column) as Int64) }
        return SLAReport.build(try rows.map {
            SLAReport.Row(group: try $0("g"), policy: try $0("policy"), clock: try $0("clock"), met: try int($0, "met"),
                          missed: try int($0, "missed"), pending: try int($0, "pending"), overdue: try int($0, "overdue"),
                          escalations: try int($0, "escalations"), reassigned: try int($0, "reassigned"))
        }, groupTitle: scope.groupTitle)
    }

    public func sourcesReport(_ query: ReportQuery, at now: Date) async throws -> Report {
        let scope = PostgresReportScope(query: query, now: now)
        let rows = try await reportRows("""
            SELECT COALESCE(l.source, '-') AS source, COALESCE(l.campaign, '-') AS campaign, COUNT(*) AS leads,
              SUM((SELECT COUNT(*) FROM activities a WHERE a.lead_id = l.id AND a.kind = 'reinquiry'))::BIGINT AS reinquiries,
              COUNT(*) FILTER (WHERE l.status IN ('qualified', 'converted')
                               OR EXISTS (SELECT 1 FROM status_history h WHERE h.lead_id = l.id AND h.to_status = 'qualified')) AS qualified,
              COUNT(*) FILTER (WHERE l.status = 'converted') AS converted
            FROM leads l WHERE \(scope.window)
            GROUP BY 1, 2
            """, scope, orderBy: "leads DESC, source COLLATE \"C\", campaign COLLATE \"C\"")
        func int(_ row: PostgresFields, _ column: String) throws -> Int { Int(try row(column) as Int64) }
        return SourcesReport.build(try rows.map {
            SourcesReport.Row(source: try $0("source"), campaign: try $0("campaign"), leads: try int($0, "leads"),
                              reinquiries: try int($0, "reinquiries"), qualified: try int($0, "qualified"), converted: try int($0, "converted"))
        })
    }

    public func distributionReport(_ query: ReportQuery, at now: Date) async throws -> Report {
        let scope = PostgresReportScope(query: query, now: now)
        let rows = try await reportRows("""
            SELECT COALESCE(s.team_id, '-') AS team, s.rep_id AS rep, COUNT(*) AS assigned,
              (SELECT COUNT(*) FROM leads l WHERE l.owner_rep_id = s.rep_id AND l.status NOT IN ('converted', 'disqualified')) AS open
            FROM assignments s WHERE s.assigned_at >= $1 AND s.assigned_at < $2
            GROUP BY 1, 2
            """, scope, binds: scope.timeBinds, orderBy: "team COLLATE \"C\", rep COLLATE \"C\"")
        let held = Int(try await self.query("SELECT COUNT(*) FROM held_leads").collectFirst(Int64.self) ?? 0)
        let assignments = try rows.map {
            DistributionReport.Row(team: try $0("team"), rep: try $0("rep"), assigned: Int(try $0("assigned") as Int64),
                                   open: Int(try $0("open") as Int64))
        }
        return DistributionReport.build(assignments, held: held)
    }

    public func followUpsReport(_ query: ReportQuery, at now: Date) async throws -> Report {
        let scope = PostgresReportScope(query: query, now: now)
        let rows = try await reportRows("""
            SELECT \(scope.group) AS g,
              (SELECT COUNT(*) FROM activities a WHERE a.lead_id = l.id AND a.kind IN ('call', 'email', 'meeting', 'message')
                 AND a.at < (SELECT MIN(s.assigned_at) FROM assignments s WHERE s.lead_id = l.id) + 259200) AS contacts,
              (SELECT d.state FROM deadlines d WHERE d.lead_id = l.id AND d.clock = 'follow_ups' AND d.level = 0 ORDER BY d.cycle LIMIT 1) AS state
            FROM leads l WHERE \(scope.window) AND EXISTS (SELECT 1 FROM assignments s WHERE s.lead_id = l.id)
            """, scope)
        let items = try rows.map { (try $0("g") as String, (try $0("contacts") as Int64, try $0("state") as String?)) }
        return FollowUpsReport.build(groups: PostgresReportScope.grouped(items), groupTitle: scope.groupTitle)
    }
}

/// The weekly summary's storage: the text is built in `LeadCore` (`WeeklySummaries`); its row's
/// primary key makes it once per team and week across nodes.
extension PostgresLeadStore: WeeklySummaryStore {
    public func firstLeadCreatedAt() async throws -> Date? {
        try await self.query("SELECT created_at FROM leads ORDER BY id LIMIT 1").collectFirst(Int64.self)
            .map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }

    public func weeklySummaryTeams(week: Int) async throws -> Set<TeamID> {
        Set(try await self.query("SELECT team_id FROM weekly_summaries WHERE week = \(week)")
            .map { TeamID(rawValue: try $0("team_id")) })
    }

    public func queueWeeklySummary(_ notice: QueuedNotice, team: TeamID, week: Int, at now: Date) async throws -> Bool {
        try await transaction { connection in
            guard try await connection.query("""
                INSERT INTO weekly_summaries (team_id, week, created_at) VALUES (\(team.rawValue), \(week), \(now.unixSeconds))
                ON CONFLICT DO NOTHING RETURNING week
                """, logger: self.logger).collectFirst(Int64.self) != nil else { return false }
            let id = try await PostgresOutboxWriter.queue(notice, at: now, on: connection, logger: self.logger)
            try await connection.query("UPDATE weekly_summaries SET outbox_id = \(id) WHERE team_id = \(team.rawValue) AND week = \(week)",
                                       logger: self.logger)
            return true
        }
    }
}
