/// Intake fidelity: the form services' sender addresses (never a lead's e-mail), and the
/// vendor details still to fetch for a lead that arrived as ids only (Meta lead ads), claimed
/// like the outbox. Calendars: each deadline keeps where its clock started and whether it was
/// computed across provisional (fallback) holidays, so a new holiday file can recompute it.
/// Activities keep when they were recorded beside when they say they happened.
/// Never edit.
enum SchemaV6 {
    static let sql = """
    CREATE TABLE form_senders (
        address     TEXT PRIMARY KEY,
        forms       INTEGER NOT NULL,
        first_seen  INTEGER NOT NULL,
        last_seen   INTEGER NOT NULL
    ) WITHOUT ROWID;

    CREATE TABLE detail_fetches (
        lead_id          INTEGER PRIMARY KEY REFERENCES leads(id),
        vendor           TEXT NOT NULL,
        webhook          TEXT NOT NULL,
        object_id        TEXT NOT NULL,
        state            TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'fetching', 'done', 'dead')),
        attempts         INTEGER NOT NULL DEFAULT 0,
        next_attempt_at  INTEGER NOT NULL,
        lease_until      INTEGER,
        route_by         INTEGER NOT NULL,
        routed           INTEGER NOT NULL DEFAULT 0,
        last_error       TEXT,
        response         BLOB,
        created_at       INTEGER NOT NULL,
        finished_at      INTEGER
    );
    CREATE INDEX detail_fetches_due ON detail_fetches(next_attempt_at) WHERE state IN ('pending', 'fetching');
    CREATE INDEX detail_fetches_unrouted ON detail_fetches(route_by) WHERE routed = 0;

    ALTER TABLE deadlines ADD COLUMN started_at INTEGER;
    ALTER TABLE deadlines ADD COLUMN provisional INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX deadlines_provisional ON deadlines(lead_id) WHERE provisional = 1 AND state = 'pending';

    -- When an activity was recorded, beside when it says it happened (SLA evidence).
    ALTER TABLE activities ADD COLUMN recorded_at INTEGER;
    """
}
