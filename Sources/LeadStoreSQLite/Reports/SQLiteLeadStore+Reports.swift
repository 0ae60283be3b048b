import Foundation
import GRDB
import LeadCore

extension SQLiteLeadStore: ReportStore {
    /// First-contact time from the first assignment, in wall and business time (the policy's
    /// calendar), and the share of first-contact deadlines met.
    public func responseReport(_ query: ReportQuery, clocks: ClockDecider, at now: Date) async throws -> Report {
        let scope = ReportScope(query: query, now: now)
        let rows = try await reportRows("""
                SELECT \(scope.group) AS g,
                  (SELECT MIN(s.assigned_at) FROM assignments s WHERE s.lead_id = l.id) AS assigned,
                  (SELECT MIN(a.at) FROM activities a WHERE a.lead_id = l.id AND a.kind IN ('call', 'email', 'meeting', 'message')
                     AND a.rep_id IS NOT NULL) AS contacted,
                  (SELECT d.state FROM deadlines d WHERE d.lead_id = l.id AND d.clock = 'first_contact' AND d.level = 0 ORDER BY d.cycle LIMIT 1) AS state,
                  (SELECT d.due_at FROM deadlines d WHERE d.lead_id = l.id AND d.clock = 'first_contact' AND d.level = 0 ORDER BY d.cycle LIMIT 1) AS due,
                  (SELECT d.policy FROM deadlines d WHERE d.lead_id = l.id AND d.clock = 'first_contact' AND d.level = 0 ORDER BY d.cycle LIMIT 1) AS policy
                FROM leads l WHERE \(scope.window)
                """, scope.arguments)
        let facts = rows.map { row in
            (row["g"] as String, ResponseReport.Fact(assigned: row["assigned"], contacted: row["contacted"], state: (row["state"] as String?).flatMap(DeadlineState.init(rawValue:)),
                                                     due: row["due"], policy: row["policy"]))
        }
        return clocks.responseReport(groups: ReportScope.grouped(facts), groupTitle: scope.groupTitle, now: now)
    }

    /// How many leads reached each status, and the conversion between consecutive statuses of the
    /// main path (statuses entered from any status, such as Disqualified, are counted after it).
    public func funnelReport(_ query: ReportQuery, lifecycle: Lifecycle, at now: Date) async throws -> Report {
        let scope = ReportScope(query: query, now: now)
        let rows = try await reportRows("""
                SELECT \(scope.group) AS g, l.status AS status,
                  (SELECT GROUP_CONCAT(h.to_status, ',') FROM status_history h WHERE h.lead_id = l.id) AS reached
                FROM leads l WHERE \(scope.window)
                """, scope.arguments)
        let items = rows.map { row -> (String, Set<String>) in
            var reached = Set(((row["reached"] as String?) ?? "").split(separator: ",").map(String.init))
            reached.insert(row["status"])
            reached.insert(LeadStatus.new.rawValue)
            return (row["g"], reached)
        }
        return FunnelReport.build(groups: ReportScope.grouped(items), groupTitle: scope.groupTitle, lifecycle: lifecycle)
    }

    /// Time spent in each open status (a stay ends with the next change, or now for the current one).
    public func dwellReport(_ query: ReportQuery, lifecycle: Lifecycle, at now: Date) async throws -> Report {
        let scope = ReportScope(query: query, now: now)
        let rows = try await reportRows("""
                SELECT \(scope.group) AS g, l.id AS id, l.created_at AS created, h.to_status AS status, h.at AS at
                FROM leads l LEFT JOIN status_history h ON h.lead_id = l.id
                WHERE \(scope.window) ORDER BY l.id, h.at, h.id
                """, scope.arguments)
        let history = rows.map {
            DwellReport.Entry(lead: $0["id"], group: $0["g"], created: $0["created"], status: $0["status"], at: $0["at"])
        }
        return DwellReport.build(history, groupTitle: scope.groupTitle, lifecycle: lifecycle, end: min(now, query.until ?? now).unixSeconds)
    }

    /// Deadlines met and missed per policy and clock; escalations and reassignments.
    public func slaReport(_ query: ReportQuery, at now: Date) async throws -> Report {
        let scope = ReportScope(query: query, now: now)
        let rows = try await reportRows("""
                SELECT \(scope.group) AS g, IFNULL(d.policy, '-') AS policy, d.clock AS clock,
                  SUM(d.state = 'met') AS met, SUM(d.state = 'missed') AS missed,
                  SUM(d.state = 'pending' AND d.due_at > ?3) AS pending, SUM(d.state = 'pending' AND d.due_at <= ?3) AS overdue,
                  (SELECT COUNT(*) FROM escalations e JOIN leads l2 ON l2.id = e.lead_id
                     WHERE e.clock = d.clock AND e.policy = d.policy AND l2.created_at >= ?1 AND l2.created_at < ?2 AND (?4 IS NULL OR l2.team_id = ?4)) AS escalations,
                  (SELECT COUNT(*) FROM escalations e JOIN leads l2 ON l2.id = e.lead_id
                     WHERE e.clock = d.clock AND e.policy = d.policy AND e.outcome LIKE 'reassigned%' AND l2.created_at >= ?1 AND l2.created_at < ?2 AND (?4 IS NULL OR l2.team_id = ?4)) AS reassigned
                FROM deadlines d JOIN leads l ON l.id = d.lead_id
                WHERE d.level = 0 AND d.state <> 'cancelled' AND \(scope.window)
                GROUP BY g, policy, d.clock ORDER BY g, policy, d.clock
                """, scope.arguments)
        return SLAReport.build(rows.map {
            SLAReport.Row(group: $0["g"], policy: $0["policy"], clock: $0["clock"], met: $0["met"], missed: $0["missed"], pending: $0["pending"],
                          overdue: $0["overdue"], escalations: $0["escalations"], reassigned: $0["reassigned"])
        }, groupTitle: scope.groupTitle)
    }

    /// Per source and campaign: leads, re-inquiries, and the share reaching qualified and converted.
    public func sourcesReport(_ query: ReportQuery, at now: Date) async throws -> Report {
        let scope = ReportScope(query: query, now: now)
        let rows = try await reportRows("""
                SELECT IFNULL(l.source, '-') AS source, IFNULL(l.campaign, '-') AS campaign, COUNT(*) AS leads,
                  SUM((SELECT COUNT(*) FROM activities a WHERE a.lead_id = l.id AND a.kind = 'reinquiry')) AS reinquiries,
                  SUM(l.status IN ('qualified', 'converted') OR EXISTS (SELECT 1 FROM status_history h WHERE h.lead_id = l.id AND h.to_status = 'qualified')) AS qualified,
                  SUM(l.status = 'converted') AS converted
                FROM leads l WHERE \(scope.window) GROUP BY source, campaign ORDER BY leads DESC, source, campaign
                """, scope.arguments)
        return SourcesReport.build(rows.map {
            SourcesReport.Row(source: $0["source"], campaign: $0["campaign"], leads: $0["leads"], reinquiries: $0["reinquiries"],
                              qualified: $0["qualified"], converted: $0["converted"])
        })
    }

    /// Assignments per rep in the window, open leads now, and each team's spread (most − fewest).
    public func distributionReport(_ query: ReportQuery, at now: Date) async throws -> Report {
        let since = (query.since ?? .distantPast).unixSeconds
        let until = (query.until ?? Date(timeIntervalSince1970: 4_102_444_800)).unixSeconds
        let rows = try await reportRows("""
                SELECT IFNULL(s.team_id, '-') AS team, s.rep_id AS rep, COUNT(*) AS assigned,
                  (SELECT COUNT(*) FROM leads l WHERE l.owner_rep_id = s.rep_id AND l.status NOT IN ('converted', 'disqualified')) AS open
                FROM assignments s WHERE s.assigned_at >= ? AND s.assigned_at < ? GROUP BY team, rep ORDER BY team, rep
                """, [since, until])
        let held = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM held_leads") ?? 0 }
        return DistributionReport.build(rows.map { DistributionReport.Row(team: $0["team"], rep: $0["rep"], assigned: $0["assigned"], open: $0["open"]) },
                                        held: held)
    }

    /// Contacts in the first three days after assignment, and the share meeting the follow-up policy.
    public func followUpsReport(_ query: ReportQuery, at now: Date) async throws -> Report {
        let scope = ReportScope(query: query, now: now)
        let rows = try await reportRows("""
                SELECT \(scope.group) AS g,
                  (SELECT COUNT(*) FROM activities a WHERE a.lead_id = l.id AND a.kind IN ('call', 'email', 'meeting', 'message')
                     AND a.at < (SELECT MIN(s.assigned_at) FROM assignments s WHERE s.lead_id = l.id) + 259200) AS contacts,
                  (SELECT d.state FROM deadlines d WHERE d.lead_id = l.id AND d.clock = 'follow_ups' AND d.level = 0 ORDER BY d.cycle LIMIT 1) AS state
                FROM leads l WHERE \(scope.window) AND EXISTS (SELECT 1 FROM assignments s WHERE s.lead_id = l.id)
                """, scope.arguments)
        let items = rows.map { ($0["g"] as String, (Int64($0["contacts"] as Int), $0["state"] as String?)) }
        return FollowUpsReport.build(groups: ReportScope.grouped(items), groupTitle: scope.groupTitle)
    }
}
