/// The first schema. Times are INTEGER Unix seconds (UTC). Never edit: add a migration.
enum SchemaV1 {
    static let sql = """
    CREATE TABLE reps (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        email       TEXT NOT NULL,
        active      INTEGER NOT NULL,
        retired     INTEGER NOT NULL DEFAULT 0,
        updated_at  INTEGER NOT NULL
    );
    CREATE TABLE teams (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        supervisor  TEXT NOT NULL,
        retired     INTEGER NOT NULL DEFAULT 0,
        updated_at  INTEGER NOT NULL
    );
    CREATE TABLE team_members (
        team_id   TEXT NOT NULL REFERENCES teams(id),
        rep_id    TEXT NOT NULL REFERENCES reps(id),
        position  INTEGER NOT NULL,
        PRIMARY KEY (team_id, rep_id)
    );
    CREATE TABLE leads (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        origin_channel  TEXT NOT NULL,
        origin_name     TEXT NOT NULL,
        origin_key      TEXT NOT NULL,
        name TEXT, company TEXT, email TEXT, phone TEXT, country TEXT, province TEXT, city TEXT,
        industry TEXT, source TEXT, campaign TEXT, message TEXT,
        custom_fields   TEXT NOT NULL DEFAULT '{}',
        status          TEXT NOT NULL DEFAULT 'new',
        owner_rep_id    TEXT REFERENCES reps(id),
        team_id         TEXT REFERENCES teams(id),
        received_at     INTEGER NOT NULL,
        created_at      INTEGER NOT NULL,
        updated_at      INTEGER NOT NULL,
        UNIQUE (origin_channel, origin_name, origin_key)
    );
    CREATE INDEX leads_by_status ON leads(status);
    CREATE INDEX leads_by_owner ON leads(owner_rep_id) WHERE owner_rep_id IS NOT NULL;
    CREATE TABLE assignments (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        lead_id      INTEGER NOT NULL REFERENCES leads(id),
        rep_id       TEXT NOT NULL REFERENCES reps(id),
        team_id      TEXT REFERENCES teams(id),
        rule         TEXT NOT NULL,
        assigned_at  INTEGER NOT NULL,
        ended_at     INTEGER
    );
    -- No lead has two current owners.
    CREATE UNIQUE INDEX assignments_current ON assignments(lead_id) WHERE ended_at IS NULL;
    CREATE TABLE activities (
        id       INTEGER PRIMARY KEY AUTOINCREMENT,
        lead_id  INTEGER NOT NULL REFERENCES leads(id),
        kind     TEXT NOT NULL,
        rep_id   TEXT REFERENCES reps(id),
        note     TEXT,
        at       INTEGER NOT NULL
    );
    CREATE INDEX activities_by_lead ON activities(lead_id, at);
    CREATE TABLE deadlines (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        lead_id      INTEGER NOT NULL REFERENCES leads(id),
        clock        TEXT NOT NULL,
        due_at       INTEGER NOT NULL,
        state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'met', 'missed', 'cancelled')),
        created_at   INTEGER NOT NULL,
        resolved_at  INTEGER
    );
    CREATE INDEX deadlines_due ON deadlines(due_at) WHERE state = 'pending';
    CREATE TABLE escalations (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        lead_id     INTEGER NOT NULL REFERENCES leads(id),
        clock       TEXT NOT NULL,
        level       INTEGER NOT NULL,
        action      TEXT NOT NULL,
        decided_at  INTEGER NOT NULL,
        -- An escalation is decided exactly once.
        UNIQUE (lead_id, clock, level)
    );
    CREATE TABLE outbox (
        id               INTEGER PRIMARY KEY AUTOINCREMENT,
        kind             TEXT NOT NULL,
        lead_id          INTEGER REFERENCES leads(id),
        recipient        TEXT NOT NULL,
        subject          TEXT NOT NULL,
        body             TEXT NOT NULL,
        state            TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent', 'dead')),
        attempts         INTEGER NOT NULL DEFAULT 0,
        next_attempt_at  INTEGER NOT NULL,
        lease_until      INTEGER,
        last_error       TEXT,
        created_at       INTEGER NOT NULL,
        sent_at          INTEGER
    );
    CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE state IN ('pending', 'sending');
    -- The audit and event log: append-only, enforced by the database.
    CREATE TABLE events (
        id       INTEGER PRIMARY KEY AUTOINCREMENT,
        at       INTEGER NOT NULL,
        kind     TEXT NOT NULL,
        lead_id  INTEGER,
        rep_id   TEXT,
        data     TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX events_by_lead ON events(lead_id) WHERE lead_id IS NOT NULL;
    CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
    CREATE TRIGGER events_are_append_only_delete BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
    CREATE TABLE daemon (
        singleton          INTEGER PRIMARY KEY CHECK (singleton = 1),
        pid                INTEGER NOT NULL,
        started_at         INTEGER NOT NULL,
        last_tick_at       INTEGER NOT NULL,
        config_generation  INTEGER NOT NULL,
        config_loaded_at   INTEGER NOT NULL,
        config_file        TEXT NOT NULL,
        version            TEXT NOT NULL
    );
    """
}
