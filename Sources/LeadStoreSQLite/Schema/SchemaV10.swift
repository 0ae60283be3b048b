/// Channel messages waiting to be sent, by channel: the minute's removed-channel sweep and a
/// channel lane's claim read only them, not every waiting mail (a million of them when mail
/// is off). Never edit.
enum SchemaV10 {
    static let sql = """
    CREATE INDEX outbox_channel_waiting ON outbox(channel, next_attempt_at) WHERE channel IS NOT NULL AND state IN ('pending', 'sending');
    """
}
