import Foundation
import LeadConfig
import LeadCore
@testable import LeadDaemon
import LeadStoreSQLite
import LeadTestSupport
import Testing

/// The SLA timer in-process on a manual wall clock: it sleeps on the real monotonic clock but
/// compares deadlines with the injected wall clock, so clock steps can be made at will.
@Suite struct DeadlineSchedulerTests {
    static let sla = """
        [[sla]]
        name = "hour"
        clock = "wall"
        first_contact = "1h"
        [[sla.escalation]]
        clock = "first_contact"
        at = "0s"
        actions = ["notify_supervisor"]
        """

    /// Commits a lead at the manual clock's time; with `report`, the armed clocks are reported
    /// (and the timer woken) as the intake path does.
    func commitLead(_ fixture: InProcessFixture, key: String, report: Bool = true) async throws {
        let item = IntakeItem(draft: LeadDraft(email: "\(key)@corp.example.cn", origin: LeadOrigin(channel: .webhook, name: "w", key: key),
                                               receivedAt: fixture.clock.now()), raw: RawCapture(body: []))
        let commits = try await fixture.store.commitIntakes([item], duplicates: DuplicatePolicy(match: .off),
                                                            routing: fixture.context.state.snapshot.routing, at: fixture.clock.now())
        if report { SLAReporting.armed(commits.first?.decision?.clocks ?? [], lead: commits[0].outcome.leadID, context: fixture.context) }
    }

    func escalations(_ fixture: InProcessFixture, lead: Int64) async throws -> Int {
        try await fixture.store.escalations(of: LeadID(lead)).count
    }

    @Test func wallClockStepsForwardAreNoticedAndStepsBackFireNothingTwice() async throws {
        let fixture = try await InProcessFixture(extra: Self.sla, scheduler: "recheck = \"1s\"")
        try await commitLead(fixture, key: "a")
        let scheduler = Task { try await DeadlineScheduler(context: fixture.context).run() }
        defer { scheduler.cancel() }
        // NTP steps the clock an hour and a bit forward: the deadline is now past.
        fixture.clock.advance(by: 3_601)
        try await poll("the stepped-over deadline decided", timeout: 60) {
            try await escalations(fixture, lead: 1) == 1 ? true : nil
        }
        // The clock steps back two hours, then forward again past the first deadline: the decided
        // level stays decided once. A second lead shows the timer kept running through the steps.
        fixture.clock.advance(by: -7_200)
        try await commitLead(fixture, key: "b")
        fixture.clock.advance(by: 3_601)
        try await poll("the second lead decided", timeout: 60) {
            try await escalations(fixture, lead: 2) == 1 ? true : nil
        }
        #expect(try await escalations(fixture, lead: 1) == 1)
        #expect(try await fixture.store.deadlines(of: LeadID(1)).first?.isBreachedOpen == true, "still breached, never re-armed")
    }

    @Test func aNewNearerDeadlineWakesTheSleepingTimer() async throws {
        let fixture = try await InProcessFixture(extra: Self.sla, scheduler: "recheck = \"60s\"")
        // A first lead already due shows the timer has made its first pass; then, with nothing
        // pending, it sleeps a full recheck (60 s). A new lead already due on the manual clock
        // must wake it, or the second poll times out (30 s: generous on a loaded machine, half
        // the recheck).
        fixture.clock.advance(by: -3_601)
        try await commitLead(fixture, key: "c")
        fixture.clock.advance(by: 3_601)
        let scheduler = Task { try await DeadlineScheduler(context: fixture.context).run() }
        defer { scheduler.cancel() }
        try await poll("the first lead decided", timeout: 60) {
            try await escalations(fixture, lead: 1) == 1 ? true : nil
        }
        fixture.clock.advance(by: -3_601)
        try await commitLead(fixture, key: "d", report: false)
        fixture.clock.advance(by: 3_601)
        fixture.context.wakeup.notify()                 // what SLAReporting.armed does after a commit
        try await poll("decided after the wake-up", timeout: 30) {
            try await escalations(fixture, lead: 2) == 1 ? true : nil
        }
    }
}
