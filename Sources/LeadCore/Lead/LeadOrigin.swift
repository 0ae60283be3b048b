/// Where a lead came from. The `key` is unique per accepted input (a Maildir file's unique name,
/// a webhook's event id), so the same input can never make two leads.
public struct LeadOrigin: Hashable, Sendable, Codable {
    public enum Channel: String, Sendable, Codable, CaseIterable {
        case maildrop, webhook, manual
    }

    public var channel: Channel
    /// The configured mail-drop or webhook name (`manual` for leads entered by an admin).
    public var name: String
    /// Unique within `channel` and `name`.
    public var key: String

    public init(channel: Channel, name: String, key: String) {
        self.channel = channel
        self.name = name
        self.key = key
    }

    /// The store's uniqueness key.
    public var uniqueKey: String { "\(channel.rawValue):\(name):\(key)" }
}
