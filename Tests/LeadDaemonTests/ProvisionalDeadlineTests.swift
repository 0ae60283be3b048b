import Foundation
import LeadCore
@testable import LeadDaemon
import LeadStoreSQLite
import LeadTestSupport
import Testing

/// Issue 15: a deadline computed across provisional (statutory fallback) holidays is recomputed
/// when a reload adds that year's holiday file; the change is logged, and a level already decided
/// is never decided again.
@Suite struct ProvisionalDeadlineTests {
    static func config(withFile: Bool) -> String {
        """
        [[calendar]]
        id = "office"
        zone = "Asia/Shanghai"
        hours = { "mon-fri" = ["09:00-12:00", "13:00-18:00"] }
        holidays = ["2026-12-25"]
        covers = "2026-01-01..2026-12-31"
        fallback = "cn-statutory"
        \(withFile ? "holiday_files = [\"cn-2027.toml\"]" : "")
        [[sla]]
        name = "standard"
        calendar = "office"
        first_contact = "2h"
        [[sla.escalation]]
        clock = "first_contact"
        at = "-1h"
        actions = ["remind_owner"]
        """
    }

    @Test func aReloadWithNextYearsFileMovesProvisionalDeadlinesOnce() async throws {
        let fixture = try await InProcessFixture(extra: Self.config(withFile: false))
        let store = fixture.store
        let assignedAt = try #require(RFC3339Text.date("2026-12-31T17:00:00+08:00"))
        fixture.clock.set(assignedAt)
        let draft = LeadDraft(name: "周一", email: "zhou@example.cn", origin: LeadOrigin(channel: .webhook, name: "w", key: "1"),
                              receivedAt: assignedAt)
        let routing = try #require(fixture.context.state.snapshot.routing)
        _ = try await store.commitIntakes([IntakeItem(draft: draft, raw: RawCapture(body: []))],
                                          duplicates: DuplicatePolicy(match: .off), routing: routing, at: assignedAt)
        // One hour on Dec 31, then 元旦 (provisional), the weekend: due Monday Jan 4 10:00, warning at 09:00.
        let first = try #require(try await store.deadlines(of: LeadID(1)).first { $0.clock == "first_contact" })
        #expect(first.dueAt == RFC3339Text.date("2027-01-04T10:00:00+08:00"))
        #expect(try await store.provisionalClocks(of: LeadID(1)) == ["first_contact"])

        // The warning (level 1, one business hour before) is decided on Jan 4 at 09:00.
        let warnAt = try #require(RFC3339Text.date("2027-01-04T09:00:00+08:00"))
        let decided = try await store.decideDue(at: warnAt, engine: routing, limit: 100, digestThreshold: 100)
        #expect(decided.map(\.level) == [1])

        // The 2027 notice is out: Jan 1–4 off (a bridge), so first contact is due Jan 5 10:00.
        try fixture.folder.write("cn-2027.toml", "year = 2027\nholidays = [\"2027-01-01..2027-01-04\"]\nworkdays = [\"2027-01-09\"]\n")
        try fixture.folder.write("leadrouter.toml", DaemonHarness.config(reps: 2, port: 8080) + "\n" + Self.config(withFile: true))
        fixture.clock.set(warnAt.addingTimeInterval(60))
        let outcome = await fixture.reloader.reload()
        guard case .applied = outcome else { Issue.record("reload: \(outcome)"); return }
        let moved = try #require(try await store.deadlines(of: LeadID(1)).first { $0.clock == "first_contact" && $0.state == .pending })
        #expect(moved.dueAt == RFC3339Text.date("2027-01-05T10:00:00+08:00"))
        #expect(try await store.provisionalClocks(of: LeadID(1)).isEmpty)
        let logged = try #require(fixture.logs.entries.first { $0.message == "sla deadline recomputed" })
        #expect(logged.metadata["due.from"] == "2027-01-04T02:00:00Z")
        #expect(logged.metadata["due.at"] == "2027-01-05T02:00:00Z")

        // Through the new deadline: the breach is decided once, the warning never again.
        let later = try #require(RFC3339Text.date("2027-01-05T12:00:00+08:00"))
        let after = try await store.decideDue(at: later, engine: try #require(fixture.context.state.snapshot.routing),
                                              limit: 100, digestThreshold: 100)
        #expect(after.map(\.level) == [0])
        #expect(try await store.escalations(of: LeadID(1)).filter { $0.level == 1 }.count == 1)
    }
}
