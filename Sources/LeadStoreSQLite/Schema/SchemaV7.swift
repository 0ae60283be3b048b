/// Outbox lease fencing: each claim of a row takes the next token, and only the holder of the
/// current token may finish it, so a sender whose lease expired cannot overwrite the result of the
/// sender that claimed the row after it. Never edit.
enum SchemaV7 {
    static let sql = """
    ALTER TABLE outbox ADD COLUMN lease_token INTEGER NOT NULL DEFAULT 0;
    """
}
