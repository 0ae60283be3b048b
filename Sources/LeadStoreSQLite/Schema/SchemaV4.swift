/// SLA clocks: deadline rows per ladder level and arming (cycle), escalations keyed by the
/// arming too (a reassigned lead's new owner gets the full ladder again), and a copy line on
/// outbox rows. Never edit.
enum SchemaV4 {
    static let sql = """
    ALTER TABLE deadlines ADD COLUMN level INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE deadlines ADD COLUMN cycle INTEGER NOT NULL DEFAULT 1;
    -- Follow-up contacts still needed (follow_ups clock, level 0).
    ALTER TABLE deadlines ADD COLUMN need INTEGER;
    CREATE UNIQUE INDEX deadlines_once ON deadlines(lead_id, clock, cycle, level);
    -- Breached and still open: state 'missed' with no resolved_at until a contact or a re-arm ends it.
    CREATE INDEX deadlines_breached ON deadlines(due_at) WHERE state = 'missed' AND resolved_at IS NULL;
    -- Nothing wrote escalations before this version: it is rebuilt with the arming in its key.
    DROP TABLE escalations;
    CREATE TABLE escalations (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        lead_id     INTEGER NOT NULL REFERENCES leads(id),
        clock       TEXT NOT NULL,
        cycle       INTEGER NOT NULL,
        level       INTEGER NOT NULL,
        policy      TEXT NOT NULL,
        actions     TEXT NOT NULL,
        due_at      INTEGER NOT NULL,
        decided_at  INTEGER NOT NULL,
        late_ms     INTEGER NOT NULL,
        owner_rep_id TEXT,
        outcome     TEXT NOT NULL DEFAULT '',
        -- An escalation is decided exactly once.
        UNIQUE (lead_id, clock, cycle, level)
    );
    CREATE INDEX escalations_by_time ON escalations(decided_at);
    ALTER TABLE outbox ADD COLUMN cc TEXT NOT NULL DEFAULT '';
    -- The relay's last reply: "250 2.0.0 Ok: queued as …" once sent, the refusal otherwise.
    ALTER TABLE outbox ADD COLUMN reply TEXT;
    -- Give-up age counts from here (NULL: created_at); `leadctl outbox retry` restarts it.
    ALTER TABLE outbox ADD COLUMN age_from INTEGER;
    -- Template variables (JSON) and the recipient's language: templates render them when sent.
    ALTER TABLE outbox ADD COLUMN data TEXT NOT NULL DEFAULT '{}';
    ALTER TABLE outbox ADD COLUMN language TEXT;
    -- Mail taken from an activity mail-drop (a rep's BCC), once per file and per Message-ID.
    CREATE TABLE mail_activities (
        maildrop      TEXT NOT NULL,
        file          TEXT NOT NULL,
        message_id    TEXT,
        rep_id        TEXT,
        leads         TEXT NOT NULL DEFAULT '',
        result        TEXT NOT NULL,
        processed_at  INTEGER NOT NULL,
        PRIMARY KEY (maildrop, file)
    );
    -- Every status change, for the funnel and dwell reports (a lead starts in 'new' at created_at).
    CREATE TABLE status_history (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        lead_id      INTEGER NOT NULL REFERENCES leads(id),
        from_status  TEXT NOT NULL,
        to_status    TEXT NOT NULL,
        at           INTEGER NOT NULL,
        rep_id       TEXT,
        role         TEXT NOT NULL,
        reason       TEXT
    );
    CREATE INDEX status_history_by_lead ON status_history(lead_id, at);
    CREATE INDEX status_history_by_time ON status_history(at);
    -- Reports look up a lead's first assignment.
    CREATE INDEX assignments_by_lead ON assignments(lead_id, assigned_at);
    -- The supervisors' weekly summary: once per team and week.
    CREATE TABLE weekly_summaries (
        team_id     TEXT NOT NULL,
        week        INTEGER NOT NULL,
        outbox_id   INTEGER,
        created_at  INTEGER NOT NULL,
        PRIMARY KEY (team_id, week)
    );
    -- The daily to-do mail: once per recipient and local day (outbox_id NULL: nothing to list).
    CREATE TABLE daily_digests (
        recipient   TEXT NOT NULL,
        day         INTEGER NOT NULL,
        outbox_id   INTEGER,
        created_at  INTEGER NOT NULL,
        PRIMARY KEY (recipient, day)
    );
    CREATE UNIQUE INDEX mail_activities_by_message ON mail_activities(maildrop, message_id) WHERE message_id IS NOT NULL;
    """
}
