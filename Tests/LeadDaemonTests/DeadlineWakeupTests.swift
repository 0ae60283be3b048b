import Foundation
@testable import LeadDaemon
import LeadTestSupport
import Testing

/// The SLA timer's wake-up: a new row due before the timer's planned wake wakes it; one due no
/// earlier does not (at 1,000 leads a second each arming clocks days ahead, waking for each
/// would put a write transaction per commit in the writer's queue).
@Suite struct DeadlineWakeupTests {
    let now = Date()

    @Test func aRowDueBeforeThePlannedWakeWakesTheTimer() async throws {
        let wakeup = DeadlineWakeup()
        let began = ContinuousClock.now
        async let waited: Void = wakeup.wait(upTo: .seconds(60), plannedWake: now.addingTimeInterval(60))
        try await Self.untilWaiting(wakeup)
        wakeup.notify(earliest: now.addingTimeInterval(30))
        await waited
        #expect(ContinuousClock.now - began < .seconds(60))
    }

    @Test func aRowDueAfterThePlannedWakeLetsItSleep() async throws {
        let wakeup = DeadlineWakeup()
        let began = ContinuousClock.now
        async let waited: Void = wakeup.wait(upTo: .milliseconds(400), plannedWake: now.addingTimeInterval(0.4))
        try await Self.untilWaiting(wakeup)
        wakeup.notify(earliest: now.addingTimeInterval(30 * 86_400))
        await waited
        #expect(ContinuousClock.now - began >= .milliseconds(400), "woken by a row due in 30 days")
    }

    @Test func aNotifyWithoutATimeAlwaysWakes() async throws {
        let wakeup = DeadlineWakeup()
        let began = ContinuousClock.now
        async let waited: Void = wakeup.wait(upTo: .seconds(60), plannedWake: now.addingTimeInterval(60))
        try await Self.untilWaiting(wakeup)
        wakeup.notify()
        await waited
        #expect(ContinuousClock.now - began < .seconds(60))
    }

    /// Notified while nobody waits (the timer is deciding): the next wait returns at once, unless
    /// every such row is due no earlier than that wait's end.
    @Test func aNotifyBetweenWaitsCountsForTheNextWait() async throws {
        let early = DeadlineWakeup()
        early.notify(earliest: now.addingTimeInterval(86_400))
        early.notify(earliest: now.addingTimeInterval(5))
        let began = ContinuousClock.now
        await early.wait(upTo: .seconds(60), plannedWake: now.addingTimeInterval(60))
        #expect(ContinuousClock.now - began < .seconds(60))

        let late = DeadlineWakeup()
        late.notify(earliest: now.addingTimeInterval(86_400))
        let sleptFrom = ContinuousClock.now
        await late.wait(upTo: .milliseconds(300), plannedWake: now.addingTimeInterval(0.3))
        #expect(ContinuousClock.now - sleptFrom >= .milliseconds(300))
    }

    /// Polls (with a deadline) until the timer is parked in `wait`.
    static func untilWaiting(_ wakeup: DeadlineWakeup) async throws {
        try await poll("the timer waits", timeout: 30, every: .milliseconds(5)) { wakeup.isWaiting ? true : nil }
    }
}
