import Foundation

/// Which webhook channels receive which events (`[[channel]] kind = "webhook"`, `events`).
public struct EventSubscriptions: Hashable, Sendable {
    public var channels: [(name: String, events: Set<String>)]

    public init(_ channels: [(name: String, events: Set<String>)] = []) { self.channels = channels }

    public static func == (a: Self, b: Self) -> Bool {
        a.channels.map(\.name) == b.channels.map(\.name) && a.channels.map(\.events) == b.channels.map(\.events)
    }

    public func hash(into hasher: inout Hasher) {
        for channel in channels { hasher.combine(channel.name); hasher.combine(channel.events) }
    }
}

/// A value in an event's `data` beside the lead.
public enum EventValue: Hashable, Sendable, ExpressibleByStringLiteral {
    case text(String)
    case number(Int)
    case flag(Bool)

    public init(stringLiteral value: String) { self = .text(value) }

    var json: String {
        switch self {
        case .text(let text): JSONText.quote(text)
        case .number(let number): String(number)
        case .flag(let flag): flag ? "true" : "false"
        }
    }
}

/// Outbound webhook events as outbox rows, one per subscribed channel, queued by the decision
/// that caused them (in its transaction). The row's body is the event's `data` object; the sender
/// wraps it as `{"type", "timestamp", "data"}` with `webhook-id` = `evt_` + the row's id, the same
/// on every retry, so a receiver can drop a copy. Schemas: `Config/schemas/events/TYPE.schema.json`.
public enum OutboundEvents {
    /// The rows' `recipient`: events go to channels, never by mail (`.invalid` cannot resolve).
    public static let recipient = EmailAddress(rawValue: "events@leadrouter.invalid")!

    /// `type`'s rows for every channel subscribed to it.
    /// `statusKnown`: false where the decision saw the lead's fields only (a reassignment), so its
    /// status is null rather than a guess.
    public static func notices(_ type: String, lead: Lead, extra: [String: EventValue] = [:], statusKnown: Bool = true,
                               engine: RoutingEngine) -> [QueuedNotice] {
        let channels = engine.events.channels.filter { $0.events.contains(type) }
        guard !channels.isEmpty else { return [] }
        let data = json(lead, extra: extra, statusKnown: statusKnown, engine: engine)
        return channels.map { channel in
            QueuedNotice(kind: type, recipient: recipient, lead: lead.id, subject: type, body: data, variables: [:], language: nil,
                         channel: channel.name)
        }
    }

    /// `{"lead": {…}, …extra}`, keys sorted; absent values are null.
    static func json(_ lead: Lead, extra: [String: EventValue], statusKnown: Bool = true, engine: RoutingEngine) -> String {
        let d = lead.draft
        func field(_ value: String?) -> String { value.map(JSONText.quote) ?? "null" }
        let fields: [(String, String)] = [
            ("city", field(d.city)), ("company", field(d.company)), ("email", field(d.email)), ("id", String(lead.id.rawValue)),
            ("industry", field(d.industry)), ("name", field(d.name)), ("owner", field(lead.owner?.rawValue)),
            ("owner_name", field(lead.owner.flatMap { engine.reps[$0]?.name })), ("phone", field(d.phone)), ("province", field(d.province)),
            ("received_at", JSONText.quote(RFC3339Text.string(d.receivedAt))), ("source", field(d.source)), ("status", statusKnown ? JSONText.quote(lead.status.rawValue) : "null"),
            ("team", field(lead.team?.rawValue)),
        ]
        let leadJSON = "{" + fields.map { "\(JSONText.quote($0.0)):\($0.1)" }.joined(separator: ",") + "}"
        var members = extra.map { ($0.key, $0.value.json) }
        members.append(("lead", leadJSON))
        return "{" + members.sorted { $0.0 < $1.0 }.map { "\(JSONText.quote($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }
}
