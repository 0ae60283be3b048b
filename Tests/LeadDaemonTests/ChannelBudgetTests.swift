import Foundation
import Testing
@testable import LeadDaemon

/// A channel's minute: full after `rate_limit` sends, room again exactly a minute after the
/// oldest of them; other channels unaffected.
@Suite struct ChannelBudgetTests {
    @Test func aFullMinuteWaitsForItsOldestSend() {
        let budget = ChannelBudget()
        let t0 = Date(timeIntervalSince1970: 1_796_000_000)
        let limits = ["ding": 2, "feishu": 100]
        #expect(budget.ready(limits, now: t0) == ["ding", "feishu"] && budget.nextRoom(limits, now: t0) == nil)
        budget.spend("ding", at: t0)
        budget.spend("ding", at: t0 + 10)
        #expect(budget.ready(limits, now: t0 + 11) == ["feishu"], "ding has sent its 2 this minute")
        #expect(budget.nextRoom(limits, now: t0 + 11) == t0 + 60)
        #expect(budget.ready(limits, now: t0 + 60) == ["ding", "feishu"])
        budget.spend("ding", at: t0 + 60)
        #expect(budget.nextRoom(limits, now: t0 + 61) == t0 + 70, "then the second send's minute")
    }
}
