import Foundation
import LeadCore
import Testing

/// The outbox as every store must keep it: claims lease a row to one sender, a lease that runs out
/// makes it claimable again, and only the latest claim may finish it (fencing).
@Suite struct OutboxConformanceTests {
    let t0 = Fixture.t0

    @Test(arguments: StoreFactories.all)
    func aClaimLeasesTheRowAndASentFinishIsFinal(_ factory: any StoreFactory) async throws {
        try await withStore(factory) { store in
            _ = try await Fixture.routedLeads(1, in: store)
            let message = try #require(try await store.claimOutbox(at: t0, lease: 60, retry: false))
            #expect(message.kind == "lead.assigned" && message.attempts == 1 && message.state == .sending)
            #expect(try await store.claimOutbox(at: t0, lease: 60, retry: false) == nil, "leased to one sender")
            #expect(try await store.nextOutboxAttempt() == t0.addingTimeInterval(60), "due again when the lease ends")
            #expect(try await store.finishOutbox(message, .sent(reply: "250 OK"), at: t0.addingTimeInterval(1)))
            let sent = try #require(try await store.outboxMessage(message.id))
            #expect(sent.state == .sent && sent.reply == "250 OK" && sent.sentAt == t0.addingTimeInterval(1))
            #expect(try await store.claimOutbox(at: t0.addingTimeInterval(3_600), lease: 60, retry: false) == nil)
            #expect(try await store.nextOutboxAttempt() == nil)
        }
    }

    @Test(arguments: StoreFactories.all)
    func anExpiredLeaseIsClaimedAgainAndTheStaleFinishLoses(_ factory: any StoreFactory) async throws {
        try await withStore(factory) { store in
            _ = try await Fixture.routedLeads(1, in: store)
            let first = try #require(try await store.claimOutbox(at: t0, lease: 60, retry: false))
            // The first sender stalls past its lease; a second claims the row.
            let second = try #require(try await store.claimOutbox(at: t0.addingTimeInterval(61), lease: 60, retry: true))
            #expect(second.id == first.id && second.attempts == 2 && second.leaseToken != first.leaseToken)
            #expect(try await store.finishOutbox(second, .sent(reply: "250 second"), at: t0.addingTimeInterval(62)))
            // The first sender's late result is dropped: it cannot turn a sent message into a retry.
            #expect(try await store.finishOutbox(first, .retry(at: t0.addingTimeInterval(600), error: "421 late"),
                                                 at: t0.addingTimeInterval(63)) == false)
            let row = try #require(try await store.outboxMessage(first.id))
            #expect(row.state == .sent && row.reply == "250 second" && row.lastError == nil)
        }
    }

    @Test(arguments: StoreFactories.all)
    func aStaleClaimCannotFinishARowThatIsStillSending(_ factory: any StoreFactory) async throws {
        try await withStore(factory) { store in
            _ = try await Fixture.routedLeads(1, in: store)
            let first = try #require(try await store.claimOutbox(at: t0, lease: 60, retry: false))
            let second = try #require(try await store.claimOutbox(at: t0.addingTimeInterval(61), lease: 60, retry: true))
            #expect(try await store.finishOutbox(first, .dead(error: "550 from a stale sender"), at: t0.addingTimeInterval(62)) == false)
            #expect(try await store.outboxMessage(first.id)?.state == .sending)
            #expect(try await store.finishOutbox(second, .dead(error: "550 no such user"), at: t0.addingTimeInterval(63)))
            #expect(try await store.outboxMessage(first.id)?.state == .dead)
        }
    }

    @Test(arguments: StoreFactories.all)
    func aRetryWaitsItsTimeAndADeadMessageWaitsForAnAdmin(_ factory: any StoreFactory) async throws {
        try await withStore(factory) { store in
            _ = try await Fixture.routedLeads(1, in: store)
            let message = try #require(try await store.claimOutbox(at: t0, lease: 60, retry: false))
            let later = t0.addingTimeInterval(300)
            #expect(try await store.finishOutbox(message, .retry(at: later, error: "451 try later"), at: t0.addingTimeInterval(1)))
            #expect(try await store.outboxMessage(message.id)?.state == .pending)
            #expect(try await store.claimOutbox(at: later.addingTimeInterval(-1), lease: 60, retry: true) == nil, "not before its time")
            #expect(try await store.nextOutboxAttempt() == later)
            let again = try #require(try await store.claimOutbox(at: later, lease: 60, retry: true))
            #expect(again.attempts == 2 && again.lastError == "451 try later")
            #expect(try await store.finishOutbox(again, .dead(error: "550 no such user"), at: later.addingTimeInterval(1)))
            #expect(try await store.claimOutbox(at: later.addingTimeInterval(86_400), lease: 60, retry: true) == nil, "dead stays dead")
            #expect(try await store.outboxMessages(state: .dead, limit: 10).map(\.id) == [message.id])
            // `leadctl outbox retry`: due now with fresh attempts, and a new claim fences the old ones.
            #expect(try await store.retryOutbox(message.id, at: later.addingTimeInterval(100)))
            let revived = try #require(try await store.claimOutbox(at: later.addingTimeInterval(100), lease: 60, retry: false))
            #expect(revived.attempts == 1 && revived.leaseToken != message.leaseToken && revived.leaseToken != again.leaseToken)
            #expect(try await store.finishOutbox(message, .sent(reply: "250 ancient"), at: later.addingTimeInterval(101)) == false)
        }
    }

    @Test(arguments: StoreFactories.all)
    func newAndRetriedMessagesTakeTurns(_ factory: any StoreFactory) async throws {
        try await withStore(factory) { store in
            _ = try await Fixture.routedLeads(3, in: store)
            let first = try #require(try await store.claimOutbox(at: t0, lease: 60, retry: false))
            #expect(try await store.finishOutbox(first, .retry(at: t0, error: "421 busy"), at: t0))
            // Asked for a retried message, the store gives the retried one; asked for new, a new one.
            #expect(try await store.claimOutbox(at: t0, lease: 60, retry: true)?.id == first.id)
            let fresh = try #require(try await store.claimOutbox(at: t0, lease: 60, retry: true))
            #expect(fresh.id != first.id && fresh.attempts == 1, "no retried one left: a new one instead of nothing")
        }
    }
}

/// Channel messages share the outbox with mail but not its senders: the mail lane never takes
/// them, a channel lane takes only the channels it names (those with room in their minute).
@Suite struct ChannelOutboxConformanceTests {
    let t0 = Fixture.t0

    @Test(arguments: StoreFactories.all)
    func mailAndChannelLanesTakeOnlyTheirOwnRows(_ factory: any StoreFactory) async throws {
        try await withStore(factory) { store in
            var engine = Fixture.engine
            engine.teams[Fixture.east.id]?.channel = "east-wecom"
            engine.reps[Fixture.zhang.id]?.mobile = "+8613800138000"
            engine.reps[Fixture.li.id]?.mobile = "+8613900139000"
            let commit = try #require(try await Fixture.routed(["c1"], engine: engine, in: store).first)
            let owner = try #require(commit.decision?.rep)
            let mobile = try #require(engine.reps[owner]?.mobile)

            let mail = try #require(try await store.claimOutbox(at: t0, lease: 60, retry: false, lane: .mail))
            #expect(mail.channel == nil && mail.kind == "lead.assigned")
            #expect(try await store.claimOutbox(at: t0, lease: 60, retry: false, lane: .mail) == nil, "the channel row is not mail")
            #expect(try await store.claimOutbox(at: t0, lease: 60, retry: false, lane: .channels(["south-dingtalk"])) == nil)
            #expect(try await store.claimOutbox(at: t0, lease: 60, retry: false, lane: .channels([])) == nil)
            #expect(try await store.nextOutboxAttempt(lane: .channels(["east-wecom"])) == t0)
            let robot = try #require(try await store.claimOutbox(at: t0, lease: 60, retry: false, lane: .channels(["east-wecom", "x"])))
            #expect(robot.channel == "east-wecom" && robot.mentions == [mobile] && robot.kind == "lead.assigned")
            #expect(robot.body.contains("负责人 owner:") && robot.lead == mail.lead)
            #expect(try await store.finishOutbox(robot, .retry(at: t0 + 30, error: "wecom error 45009"), at: t0 + 1))
            #expect(try await store.nextOutboxAttempt(lane: .channels(["east-wecom"])) == t0 + 30)
            #expect(try await store.nextOutboxAttempt(lane: .mail) == t0 + 60, "mail's own lease, not the channel's retry")
            #expect(try await store.outboxMessage(robot.id)?.mentions == [mobile])
        }
    }

    /// Lifecycle events are outbox rows written with the change: an activity by the owner queues
    /// `activity.logged` and (new → contacted) `lead.status_changed`; a refused change queues nothing.
    @Test(arguments: StoreFactories.all)
    func lifecycleChangesQueueTheirEventsInTheirTransaction(_ factory: any StoreFactory) async throws {
        try await withStore(factory) { store in
            var engine = Fixture.engine
            engine.events = EventSubscriptions([(name: "crm", events: ["lead.status_changed", "activity.logged"])])
            let commit = try #require(try await Fixture.routedLeads(1, in: store).first)
            guard case .created(let lead) = commit.outcome else { throw CancellationError() }
            let owner = try #require(commit.decision?.rep)
            func events() async throws -> [OutboxMessage] {
                try await store.outboxMessages(state: nil, limit: 100).filter { $0.channel == "crm" }.sorted { $0.id < $1.id }
            }
            #expect(try await events().isEmpty, "the intake's engine subscribes nobody")
            let clocks = ClockDecider(engine: engine)
            _ = try await store.recordActivity(ActivityDraft(lead: lead, kind: .call, rep: owner, note: "首次电话"), at: t0 + 60, clocks: clocks,
                                               ownedBy: nil, bounds: nil, now: t0 + 61)
            let afterCall = try await events()
            #expect(afterCall.map(\.kind) == ["activity.logged", "lead.status_changed"])
            #expect(afterCall.allSatisfy { $0.lead == lead && $0.state == .pending })
            #expect(afterCall.first?.body.contains("\"note\":\"首次电话\"") == true)
            #expect(afterCall.last?.body.contains("\"from\":\"new\"") == true && afterCall.last?.body.contains("\"to\":\"contacted\"") == true)

            await #expect(throws: LifecycleError.self) {
                try await store.changeStatus(lead, to: "disqualified", fields: [:], reason: nil, actor: .admin, lifecycle: .standard,
                                             clocks: clocks, normaliser: LeadNormaliser(), at: t0 + 120)
            }
            #expect(try await events().count == 2, "a refused change queues no event")
            _ = try await store.changeStatus(lead, to: "disqualified", fields: [:], reason: "无预算", actor: .admin, lifecycle: .standard,
                                             clocks: clocks, normaliser: LeadNormaliser(), at: t0 + 180)
            let closed = try #require(try await events().last)
            #expect(closed.kind == "lead.status_changed" && closed.body.contains("\"reason\":\"无预算\"") && closed.body.contains("\"role\":\"admin\""))
        }
    }
}


/// Rows of a channel that is no longer configured go dead once they have waited long enough.
@Suite struct RemovedChannelConformanceTests {
    let t0 = Fixture.t0

    @Test(arguments: StoreFactories.all)
    func onlyUnconfiguredChannelsOldEnoughAndNotLeasedGoDead(_ factory: any StoreFactory) async throws {
        try await withStore(factory) { store in
            var engine = Fixture.engine
            engine.teams[Fixture.east.id]?.channel = "gone"
            _ = try await Fixture.routed(["r1"], engine: engine, in: store)
            engine.teams[Fixture.east.id]?.channel = "kept"
            _ = try await Fixture.routed(["r2"], engine: engine, in: store)
            #expect(try await store.abandonUnconfiguredChannels(["kept"], waitingSince: t0, at: t0 + 10).isEmpty, "waited too little")
            // A sender holds a `gone` row under a live lease: left to it.
            let leased = try #require(try await store.claimOutbox(at: t0 + 10, lease: 60, retry: false, lane: .channels(["gone"])))
            #expect(try await store.abandonUnconfiguredChannels(["kept"], waitingSince: t0 + 1, at: t0 + 20).isEmpty, "under a live lease")
            let dead = try await store.abandonUnconfiguredChannels(["kept"], waitingSince: t0 + 1, at: t0 + 71)
            #expect(dead.map(\.id) == [leased.id] && dead.first?.lead == leased.lead)
            let rows = try await store.outboxMessages(state: nil, limit: 50)
            #expect(rows.first { $0.id == leased.id }?.lastError == "no channel gone in the configuration")
            #expect(rows.filter { $0.channel == "kept" }.map(\.state) == [.pending], "a configured channel's row stays")
            #expect(rows.filter { $0.channel == nil }.allSatisfy { $0.state == .pending }, "mail rows stay")
        }
    }
}
