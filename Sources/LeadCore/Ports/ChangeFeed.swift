import Foundation

/// Where the store's history stands: the newest audit event and the newest escalation (both
/// append-only, numbered rows). The console's live pages follow it; as text it is an SSE event id.
public struct ChangeCursor: Hashable, Sendable, CustomStringConvertible {
    public var events: Int64
    public var escalations: Int64

    public init(events: Int64, escalations: Int64) { self.events = events; self.escalations = escalations }

    /// `EVENTS.ESCALATIONS`.
    public var description: String { "\(events).\(escalations)" }

    public init?(text: String) {
        let parts = text.split(separator: ".")
        guard parts.count == 2, let events = Int64(parts[0]), let escalations = Int64(parts[1]), events >= 0, escalations >= 0 else {
            return nil
        }
        self.init(events: events, escalations: escalations)
    }
}

/// Stores that tell which leads changed since a cursor (the console's live updates).
public protocol ChangeFeed: Sendable {
    func changeCursor() async throws -> ChangeCursor
    /// The leads touched by events and escalations after `cursor` (at most `limit` rows of each),
    /// and the cursor after them. Rows that concern no lead (configuration) move the cursor only.
    func changes(after cursor: ChangeCursor, limit: Int) async throws -> (cursor: ChangeCursor, leads: [LeadID])
}
