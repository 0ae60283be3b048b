/// Indexes for the periodic sweeps, so each reads what it changes and not the whole table:
/// channel messages waiting to be sent, by channel (the minute's removed-channel sweep reads
/// only them, not every waiting mail — a million when mail is off), and raw captures not yet
/// purged, by arrival (the hourly purge). Never edit.
enum SchemaV10 {
    static let sql = """
    CREATE INDEX outbox_channel_waiting ON outbox(channel, next_attempt_at) WHERE channel IS NOT NULL AND state IN ('pending', 'sending');
    CREATE INDEX captures_unpurged ON captures(received_at) WHERE length(body) > 0;
    """
}
