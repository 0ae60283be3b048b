import Foundation
import GRDB
import LeadCore
import LeadStoreSQLite
import LeadTestSupport
import Testing

/// Every report on a generated store of 100,000 leads with their assignments, contacts, deadlines
/// and status changes answers, with the right counts. Its timings are printed, never asserted: a
/// test must not depend on the machine's speed (a 5 s limit failed at 6.4 s on a busy CI machine).
@Suite struct ReportScaleTests {
    @Test func everyReportAnswersOnAHundredThousandLeads() async throws {
        try await withStore(synchronous: .normal) { store, file in
            try await store.syncDirectory(reps: [zhang, li], teams: [east], configGeneration: 1, at: t0)
            let start = Date()
            try await DatabaseQueue(path: file.path).write { db in
                try db.execute(sql: """
                    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
                    INSERT INTO leads (origin_channel, origin_name, origin_key, name, source, province, industry, status, owner_rep_id, team_id,
                                       received_at, created_at, updated_at)
                    SELECT 'webhook', 'gen', 'k' || i, '客户' || i, CASE i % 3 WHEN 0 THEN 'baidu' WHEN 1 THEN 'web-form' ELSE 'expo' END,
                           '上海市', '制造业', CASE WHEN i % 10 = 0 THEN 'qualified' WHEN i % 2 = 0 THEN 'contacted' ELSE 'new' END,
                           CASE i % 2 WHEN 0 THEN 'zhang.wei' ELSE 'li.na' END, 'east-china',
                           \(Int64(t0.timeIntervalSince1970)) + i * 60, \(Int64(t0.timeIntervalSince1970)) + i * 60, \(Int64(t0.timeIntervalSince1970)) + i * 60 FROM n;
                    INSERT INTO assignments (lead_id, rep_id, team_id, rule, assigned_at) SELECT id, owner_rep_id, team_id, 'gen', created_at FROM leads;
                    INSERT INTO activities (lead_id, kind, rep_id, at) SELECT id, 'call', owner_rep_id, created_at + 3600 + id % 7200 FROM leads WHERE status <> 'new';
                    INSERT INTO status_history (lead_id, from_status, to_status, at, role) SELECT id, 'new', 'contacted', created_at + 3600, 'owner' FROM leads WHERE status <> 'new';
                    INSERT INTO status_history (lead_id, from_status, to_status, at, role) SELECT id, 'contacted', 'qualified', created_at + 86400, 'owner' FROM leads WHERE status = 'qualified';
                    INSERT INTO deadlines (lead_id, clock, due_at, state, created_at, policy, level, cycle)
                      SELECT id, 'first_contact', created_at + 7200, CASE WHEN status = 'new' THEN 'pending' ELSE 'met' END, created_at, 'std', 0, 1 FROM leads;
                    """)
            }
            print("generated 100,000 leads in \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
            let plan = SLAPlan(policies: [SLAPolicy(name: "std", criteria: [], clock: .wall, calendar: "", firstContactSeconds: 7_200)], calendars: [])
            let now = t0 + 100_000 * 60 + 86_400
            let reports: [(String, () async throws -> Report)] = [
                ("response", { try await store.responseReport(ReportQuery(by: .rep), plan: plan, at: now) }),
                ("sla", { try await store.slaReport(ReportQuery(), at: now) }),
                ("follow-ups", { try await store.followUpsReport(ReportQuery(by: .source), at: now) }),
                ("funnel", { try await store.funnelReport(ReportQuery(by: .source), lifecycle: .standard, at: now) }),
                ("dwell", { try await store.dwellReport(ReportQuery(), lifecycle: .standard, at: now) }),
                ("distribution", { try await store.distributionReport(ReportQuery(), at: now) }),
                ("sources", { try await store.sourcesReport(ReportQuery(), at: now) }),
            ]
            for (name, run) in reports {
                let started = Date()
                let report = try await run()
                let seconds = Date().timeIntervalSince(started)
                print("report \(name): \(report.rows.count) rows in \(String(format: "%.2f", seconds)) s")
                #expect(!report.rows.isEmpty)
            }
            let funnel = try await store.funnelReport(ReportQuery(), lifecycle: .standard, at: now)
            #expect(funnel.rows.first?[1] == .count(100_000) && funnel.rows.first?[2] == .count(50_000) && funnel.rows.first?[3] == .count(10_000))
        }
    }
}
