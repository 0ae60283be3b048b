/// Intake: the capture log, the quarantine, and indexes for duplicate matching. Never edit.
enum SchemaV2 {
    static let sql = """
    CREATE TABLE captures (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        lead_id         INTEGER NOT NULL REFERENCES leads(id),
        activity_id     INTEGER REFERENCES activities(id),
        origin_channel  TEXT NOT NULL,
        origin_name     TEXT NOT NULL,
        origin_key      TEXT NOT NULL,
        headers         TEXT NOT NULL DEFAULT '',
        body            BLOB NOT NULL,
        warnings        TEXT NOT NULL DEFAULT '[]',
        received_at     INTEGER NOT NULL,
        UNIQUE (origin_channel, origin_name, origin_key)
    );
    CREATE INDEX captures_by_lead ON captures(lead_id);
    CREATE TABLE quarantine (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        origin_channel  TEXT NOT NULL,
        origin_name     TEXT NOT NULL,
        origin_key      TEXT NOT NULL,
        reason          TEXT NOT NULL,
        headers         TEXT NOT NULL DEFAULT '',
        body            BLOB NOT NULL,
        state           TEXT NOT NULL DEFAULT 'held' CHECK (state IN ('held', 'retried')),
        received_at     INTEGER NOT NULL,
        created_at      INTEGER NOT NULL,
        retried_at      INTEGER,
        UNIQUE (origin_channel, origin_name, origin_key)
    );
    CREATE INDEX leads_by_email ON leads(email, created_at) WHERE email IS NOT NULL;
    CREATE INDEX leads_by_phone ON leads(phone, created_at) WHERE phone IS NOT NULL;
    """
}
