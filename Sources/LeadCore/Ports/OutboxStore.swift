import Foundation

/// One message in the outbox, as the sender and `leadctl outbox` see it.
public struct OutboxMessage: Hashable, Sendable {
    /// Where a message stands. `pending` (due at `nextAttemptAt`) → `sending` (claimed under a
    /// lease with a new token) → `sent`, or back to `pending` with a later attempt (a temporary
    /// failure), or `dead` (a permanent failure, or temporary ones past `smtp.give_up_after`). A
    /// `sending` row whose lease ran out is claimed again; only the newest claim may finish it.
    /// `leadctl outbox retry` moves `dead` back to `pending`. The schema's CHECK lists exactly these.
    public enum State: String, Hashable, Sendable, CaseIterable { case pending, sending, sent, dead }

    public var id: Int64
    public var kind: String
    public var lead: LeadID?
    public var recipient: String
    public var cc: [String]
    public var subject: String
    public var body: String
    public var state: State
    /// Attempts started, this one included once claimed.
    public var attempts: Int
    public var nextAttemptAt: Date
    public var createdAt: Date
    public var sentAt: Date?
    public var lastError: String?
    public var reply: String?
    /// Where the give-up age counts from (`createdAt` unless retried by hand).
    public var ageFrom: Date
    /// What a template renders (empty for rows written before templates).
    public var variables: [String: TemplateValue]
    public var language: String?
    /// The claim this copy was read under: finishing needs it (a later claim fences it off).
    public var leaseToken: Int64
    /// A channel message (`[[channel]]` name); nil: mail.
    public var channel: String?
    /// Mobile numbers (E.164) a robot message @-mentions.
    public var mentions: [String] = []

    public init(id: Int64, kind: String, lead: LeadID?, recipient: String, cc: [String], subject: String, body: String,
                state: State, attempts: Int, nextAttemptAt: Date, createdAt: Date, sentAt: Date? = nil,
                lastError: String? = nil, reply: String? = nil, ageFrom: Date? = nil,
                variables: [String: TemplateValue] = [:], language: String? = nil, leaseToken: Int64 = 0, channel: String? = nil,
                mentions: [String] = []) {
        self.id = id; self.kind = kind; self.lead = lead; self.recipient = recipient; self.cc = cc; self.subject = subject
        self.body = body; self.state = state; self.attempts = attempts; self.nextAttemptAt = nextAttemptAt
        self.createdAt = createdAt; self.sentAt = sentAt; self.lastError = lastError; self.reply = reply
        self.ageFrom = ageFrom ?? createdAt
        self.variables = variables; self.language = language; self.leaseToken = leaseToken
        self.channel = channel; self.mentions = mentions
    }
}

/// How one attempt ended.
public enum OutboxDelivery: Hashable, Sendable {
    case sent(reply: String)
    case retry(at: Date, error: String)
    case dead(error: String)
}

/// The outbox as the sender uses it: rows move `pending → sending (lease) → sent | dead`, or back
/// to `pending` with a later attempt time. A `sending` row whose lease expired (the daemon died
/// mid-send) is claimable again.
/// Which messages a sender takes: mail, or the messages of some channels (those whose rate
/// limit has room now).
public enum OutboxLane: Hashable, Sendable {
    case mail
    case channels(Set<String>)
}

public protocol OutboxStore: Sendable {
    /// Claims the next due message of `lane` for one attempt, leasing it until `now + lease`. With
    /// `retry`, a message tried before is preferred, else a new one (the other kind when none).
    func claimOutbox(at now: Date, lease: TimeInterval, retry: Bool, lane: OutboxLane) async throws -> OutboxMessage?
    /// Records how the attempt under `message`'s claim ended. False (and nothing written) when the
    /// claim is stale: its lease expired and the row was claimed again, so that claim decides.
    @discardableResult
    func finishOutbox(_ message: OutboxMessage, _ delivery: OutboxDelivery, at now: Date) async throws -> Bool
    /// When the next message of `lane` falls due (a pending attempt or an expiring lease).
    func nextOutboxAttempt(lane: OutboxLane) async throws -> Date?
    /// Messages, newest first (`leadctl outbox list`); all states when `state` is nil.
    func outboxMessages(state: OutboxMessage.State?, limit: Int) async throws -> [OutboxMessage]
    func outboxMessage(_ id: Int64) async throws -> OutboxMessage?
    /// A dead (or waiting) message is due again at `now`, with fresh attempts; false when there is none.
    func retryOutbox(_ id: Int64, at now: Date) async throws -> Bool
    /// Channel messages whose channel is not in `configured` (it was removed from the
    /// configuration) and that have waited since before `waitingSince` go dead, naming why; a
    /// message under a live lease is left to its sender. The wait spares the rows of a channel
    /// that another daemon of a cluster already has while this one still runs the older
    /// configuration. How many went dead, with their leads.
    func abandonUnconfiguredChannels(_ configured: Set<String>, waitingSince: Date, at now: Date) async throws -> [(id: Int64, lead: LeadID?)]
}

extension OutboxStore {
    /// Mail.
    public func claimOutbox(at now: Date, lease: TimeInterval, retry: Bool) async throws -> OutboxMessage? {
        try await claimOutbox(at: now, lease: lease, retry: retry, lane: .mail)
    }

    public func nextOutboxAttempt() async throws -> Date? { try await nextOutboxAttempt(lane: .mail) }
}
