import Foundation
import LeadCore
@testable import LeadDaemon
import LeadTestSupport
import Testing

/// A channel taken out of the configuration leaves its queued messages behind: after an hour's
/// wait they go dead with the reason (visible in `leadctl outbox`, counted), instead of staying
/// pending for ever; a younger one is left alone (another daemon of a cluster may have the channel).
@Suite struct RemovedChannelTests {
    @Test func messagesOfARemovedChannelGoDeadAfterTheirWait() async throws {
        let fixture = try await InProcessFixture()
        var engine = try #require(fixture.context.state.snapshot.routing)
        let team = try #require(engine.teams.keys.first)
        engine.teams[team]?.channel = "old-robot"
        let item = IntakeItem(draft: LeadDraft(name: "王伟", email: "wang@corp.example.cn",
                                               origin: LeadOrigin(channel: .webhook, name: "site", key: "evt-removed"),
                                               receivedAt: fixture.clock.now()),
                              raw: RawCapture(body: []))
        _ = try await fixture.store.commitIntakes([item], duplicates: DuplicatePolicy(match: .off), routing: engine, at: fixture.clock.now())
        let sender = ChannelSender(context: fixture.context, store: fixture.store)
        func robotRows() async throws -> [OutboxMessage] {
            try await fixture.store.outboxMessages(state: nil, limit: 50).filter { $0.channel == "old-robot" }
        }
        #expect(try await robotRows().map(\.state) == [.pending])

        fixture.clock.advance(by: ChannelSender.removedChannelWait - 1)
        #expect(try await sender.abandonRemovedChannels(now: fixture.clock.now()) == 0, "not yet: it has waited under an hour")
        fixture.clock.advance(by: 2)
        #expect(try await sender.abandonRemovedChannels(now: fixture.clock.now()) == 1)
        let dead = try #require(try await robotRows().first)
        #expect(dead.state == .dead && dead.lastError == "no channel old-robot in the configuration")
        #expect(try await fixture.store.outboxMessages(state: nil, limit: 50).contains { $0.channel == nil && $0.state == .pending },
                "the mail row is not a channel's")
        #expect(try await sender.abandonRemovedChannels(now: fixture.clock.now()) == 0, "once")
        let metrics = fixture.context.metrics.registry.emitToString()
        #expect(metrics.contains("leadrouter_channel_messages_total{kind=\"-\",outcome=\"dead\"} 1"), "\(metrics)")
    }
}
