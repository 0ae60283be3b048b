/// Counters for the work loop's status line and gauges, kept by triggers in the writing
/// transaction: with 1,000,000 leads the old summary scanned `leads` three times and the pending
/// deadlines once every few seconds (found by `scripts/bench deadlines`: idle CPU grew with the
/// lead count). And an index for counting dead-lettered mail. Never edit.
enum SchemaV5 {
    static let sql = """
    CREATE TABLE lead_counts (
        status  TEXT NOT NULL,
        owned   INTEGER NOT NULL,
        n       INTEGER NOT NULL,
        PRIMARY KEY (status, owned)
    ) WITHOUT ROWID;
    INSERT INTO lead_counts (status, owned, n)
        SELECT status, owner_rep_id IS NOT NULL, COUNT(*) FROM leads GROUP BY 1, 2;
    CREATE TRIGGER lead_counts_insert AFTER INSERT ON leads BEGIN
        INSERT INTO lead_counts (status, owned, n) VALUES (NEW.status, NEW.owner_rep_id IS NOT NULL, 1)
            ON CONFLICT (status, owned) DO UPDATE SET n = n + 1;
    END;
    CREATE TRIGGER lead_counts_update AFTER UPDATE OF status, owner_rep_id ON leads
    WHEN OLD.status IS NOT NEW.status OR (OLD.owner_rep_id IS NULL) <> (NEW.owner_rep_id IS NULL) BEGIN
        UPDATE lead_counts SET n = n - 1 WHERE status = OLD.status AND owned = (OLD.owner_rep_id IS NOT NULL);
        INSERT INTO lead_counts (status, owned, n) VALUES (NEW.status, NEW.owner_rep_id IS NOT NULL, 1)
            ON CONFLICT (status, owned) DO UPDATE SET n = n + 1;
    END;
    CREATE TRIGGER lead_counts_delete AFTER DELETE ON leads BEGIN
        UPDATE lead_counts SET n = n - 1 WHERE status = OLD.status AND owned = (OLD.owner_rep_id IS NOT NULL);
    END;

    -- Armed clocks: pending deadline rows at level 0 (the deadline itself, not its ladder rungs).
    CREATE TABLE deadline_counts (
        singleton  INTEGER PRIMARY KEY CHECK (singleton = 1),
        pending    INTEGER NOT NULL
    );
    INSERT INTO deadline_counts (singleton, pending)
        VALUES (1, (SELECT COUNT(*) FROM deadlines WHERE state = 'pending' AND level = 0));
    CREATE TRIGGER deadline_counts_insert AFTER INSERT ON deadlines
    WHEN NEW.level = 0 AND NEW.state = 'pending' BEGIN
        UPDATE deadline_counts SET pending = pending + 1;
    END;
    CREATE TRIGGER deadline_counts_update AFTER UPDATE OF state, level ON deadlines
    WHEN (OLD.level = 0 AND OLD.state = 'pending') <> (NEW.level = 0 AND NEW.state = 'pending') BEGIN
        UPDATE deadline_counts SET pending = pending + (CASE WHEN NEW.level = 0 AND NEW.state = 'pending' THEN 1 ELSE -1 END);
    END;
    CREATE TRIGGER deadline_counts_delete AFTER DELETE ON deadlines
    WHEN OLD.level = 0 AND OLD.state = 'pending' BEGIN
        UPDATE deadline_counts SET pending = pending - 1;
    END;

    CREATE INDEX outbox_dead ON outbox(id) WHERE state = 'dead';
    """
}
