/// Outbox counts by state, kept by triggers in the writing transaction like `lead_counts` (v5):
/// the status line every 5 s counted the waiting rows, a million when mail is off, which was most
/// of the daemon's idle CPU at 1,000,000 leads (`scripts/bench deadlines`). Never edit.
enum SchemaV11 {
    static let sql = """
    CREATE TABLE outbox_counts (
        state  TEXT PRIMARY KEY,
        n      INTEGER NOT NULL
    ) WITHOUT ROWID;
    INSERT INTO outbox_counts (state, n) SELECT state, COUNT(*) FROM outbox GROUP BY state;
    CREATE TRIGGER outbox_counts_insert AFTER INSERT ON outbox BEGIN
        INSERT INTO outbox_counts (state, n) VALUES (NEW.state, 1) ON CONFLICT (state) DO UPDATE SET n = n + 1;
    END;
    CREATE TRIGGER outbox_counts_update AFTER UPDATE OF state ON outbox WHEN OLD.state IS NOT NEW.state BEGIN
        UPDATE outbox_counts SET n = n - 1 WHERE state = OLD.state;
        INSERT INTO outbox_counts (state, n) VALUES (NEW.state, 1) ON CONFLICT (state) DO UPDATE SET n = n + 1;
    END;
    CREATE TRIGGER outbox_counts_delete AFTER DELETE ON outbox BEGIN
        UPDATE outbox_counts SET n = n - 1 WHERE state = OLD.state;
    END;
    """
}
