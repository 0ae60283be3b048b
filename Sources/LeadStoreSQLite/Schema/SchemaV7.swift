/// Lease fencing for the outbox and the detail fetches: each claim of a row takes the next token,
/// and only the holder of the current token may finish it, so a worker whose lease expired cannot
/// overwrite the result of the one that claimed the row after it. Never edit.
enum SchemaV7 {
    static let sql = """
    ALTER TABLE outbox ADD COLUMN lease_token INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE detail_fetches ADD COLUMN lease_token INTEGER NOT NULL DEFAULT 0;
    """
}
