/// The PostgreSQL schema, as append-only migrations (never edit one that shipped: add the next).
/// Times are BIGINT Unix seconds (UTC), as in the SQLite store, so the core and the reports see
/// the same values. Counters are counted on read (trigger-kept counter rows would be a hot spot
/// with several daemons writing).
enum PostgresSchema {
    static let migrations: [(name: String, sql: String)] = [("pg1-foundation", v1), ("pg2-leader", v2), ("pg3-console-links", v3), ("pg4-channels", v4)]

    static let v1 = """
    CREATE TABLE reps (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        email       TEXT NOT NULL,
        active      BOOLEAN NOT NULL,
        retired     BOOLEAN NOT NULL DEFAULT false,
        updated_at  BIGINT NOT NULL
    );
    CREATE TABLE teams (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        supervisor  TEXT NOT NULL,
        retired     BOOLEAN NOT NULL DEFAULT false,
        updated_at  BIGINT NOT NULL
    );
    CREATE TABLE team_members (
        team_id   TEXT NOT NULL REFERENCES teams(id),
        rep_id    TEXT NOT NULL REFERENCES reps(id),
        position  INTEGER NOT NULL,
        PRIMARY KEY (team_id, rep_id)
    );
    CREATE TABLE leads (
        id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        origin_channel  TEXT NOT NULL,
        origin_name     TEXT NOT NULL,
        origin_key      TEXT NOT NULL,
        name TEXT, company TEXT, email TEXT, phone TEXT, country TEXT, province TEXT, city TEXT,
        industry TEXT, source TEXT, campaign TEXT, message TEXT,
        custom_fields   TEXT NOT NULL DEFAULT '{}',
        status          TEXT NOT NULL DEFAULT 'new',
        owner_rep_id    TEXT REFERENCES reps(id),
        team_id         TEXT REFERENCES teams(id),
        received_at     BIGINT NOT NULL,
        created_at      BIGINT NOT NULL,
        updated_at      BIGINT NOT NULL,
        company_key     TEXT,
        UNIQUE (origin_channel, origin_name, origin_key)
    );
    CREATE INDEX leads_by_status ON leads(status);
    CREATE INDEX leads_by_owner ON leads(owner_rep_id) WHERE owner_rep_id IS NOT NULL;
    CREATE INDEX leads_by_email ON leads(email, created_at) WHERE email IS NOT NULL;
    CREATE INDEX leads_by_phone ON leads(phone, created_at) WHERE phone IS NOT NULL;
    CREATE INDEX leads_by_company_key ON leads(company_key) WHERE company_key IS NOT NULL;
    CREATE TABLE assignments (
        id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        lead_id      BIGINT NOT NULL REFERENCES leads(id),
        rep_id       TEXT NOT NULL REFERENCES reps(id),
        team_id      TEXT REFERENCES teams(id),
        rule         TEXT NOT NULL,
        assigned_at  BIGINT NOT NULL,
        ended_at     BIGINT
    );
    -- No lead has two current owners.
    CREATE UNIQUE INDEX assignments_current ON assignments(lead_id) WHERE ended_at IS NULL;
    CREATE INDEX assignments_by_rep ON assignments(rep_id, assigned_at);
    CREATE INDEX assignments_by_lead ON assignments(lead_id, assigned_at);
    CREATE TABLE activities (
        id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        lead_id      BIGINT NOT NULL REFERENCES leads(id),
        kind         TEXT NOT NULL,
        rep_id       TEXT REFERENCES reps(id),
        note         TEXT,
        at           BIGINT NOT NULL,
        recorded_at  BIGINT
    );
    CREATE INDEX activities_by_lead ON activities(lead_id, at);
    CREATE TABLE deadlines (
        id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        lead_id      BIGINT NOT NULL REFERENCES leads(id),
        clock        TEXT NOT NULL,
        due_at       BIGINT NOT NULL,
        state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'met', 'missed', 'cancelled')),
        created_at   BIGINT NOT NULL,
        resolved_at  BIGINT,
        policy       TEXT,
        level        INTEGER NOT NULL DEFAULT 0,
        cycle        INTEGER NOT NULL DEFAULT 1,
        need         INTEGER,
        started_at   DOUBLE PRECISION,
        provisional  BOOLEAN NOT NULL DEFAULT false,
        UNIQUE (lead_id, clock, cycle, level)
    );
    CREATE INDEX deadlines_due ON deadlines(due_at) WHERE state = 'pending';
    CREATE INDEX deadlines_breached ON deadlines(due_at) WHERE state = 'missed' AND resolved_at IS NULL;
    CREATE INDEX deadlines_provisional ON deadlines(lead_id) WHERE provisional AND state = 'pending';
    CREATE TABLE escalations (
        id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        lead_id       BIGINT NOT NULL REFERENCES leads(id),
        clock         TEXT NOT NULL,
        cycle         INTEGER NOT NULL,
        level         INTEGER NOT NULL,
        policy        TEXT NOT NULL,
        actions       TEXT NOT NULL,
        due_at        BIGINT NOT NULL,
        decided_at    BIGINT NOT NULL,
        late_ms       BIGINT NOT NULL,
        owner_rep_id  TEXT,
        outcome       TEXT NOT NULL DEFAULT '',
        -- An escalation is decided exactly once.
        UNIQUE (lead_id, clock, cycle, level)
    );
    CREATE INDEX escalations_by_time ON escalations(decided_at);
    CREATE TABLE outbox (
        id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind             TEXT NOT NULL,
        lead_id          BIGINT REFERENCES leads(id),
        recipient        TEXT NOT NULL,
        cc               TEXT NOT NULL DEFAULT '',
        subject          TEXT NOT NULL,
        body             TEXT NOT NULL,
        state            TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent', 'dead')),
        attempts         INTEGER NOT NULL DEFAULT 0,
        next_attempt_at  BIGINT NOT NULL,
        lease_until      BIGINT,
        lease_token      BIGINT NOT NULL DEFAULT 0,
        last_error       TEXT,
        reply            TEXT,
        age_from         BIGINT,
        data             TEXT NOT NULL DEFAULT '{}',
        language         TEXT,
        created_at       BIGINT NOT NULL,
        sent_at          BIGINT
    );
    CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE state IN ('pending', 'sending');
    CREATE INDEX outbox_dead ON outbox(id) WHERE state = 'dead';
    -- The audit and event log: append-only, enforced by the database.
    CREATE TABLE events (
        id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at       BIGINT NOT NULL,
        kind     TEXT NOT NULL,
        lead_id  BIGINT,
        rep_id   TEXT,
        data     TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX events_by_lead ON events(lead_id) WHERE lead_id IS NOT NULL;
    CREATE FUNCTION events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'events are append-only'; END $$;
    CREATE TRIGGER events_are_append_only BEFORE UPDATE OR DELETE ON events
        FOR EACH ROW EXECUTE FUNCTION events_are_append_only();
    CREATE TABLE captures (
        id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        lead_id         BIGINT NOT NULL REFERENCES leads(id),
        activity_id     BIGINT REFERENCES activities(id),
        origin_channel  TEXT NOT NULL,
        origin_name     TEXT NOT NULL,
        origin_key      TEXT NOT NULL,
        headers         TEXT NOT NULL DEFAULT '',
        body            BYTEA NOT NULL,
        warnings        TEXT NOT NULL DEFAULT '[]',
        received_at     BIGINT NOT NULL,
        UNIQUE (origin_channel, origin_name, origin_key)
    );
    CREATE INDEX captures_by_lead ON captures(lead_id);
    CREATE TABLE quarantine (
        id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        origin_channel  TEXT NOT NULL,
        origin_name     TEXT NOT NULL,
        origin_key      TEXT NOT NULL,
        reason          TEXT NOT NULL,
        headers         TEXT NOT NULL DEFAULT '',
        body            BYTEA NOT NULL,
        state           TEXT NOT NULL DEFAULT 'held' CHECK (state IN ('held', 'retried')),
        received_at     BIGINT NOT NULL,
        created_at      BIGINT NOT NULL,
        retried_at      BIGINT,
        UNIQUE (origin_channel, origin_name, origin_key)
    );
    CREATE TABLE routing_state (
        team_id        TEXT PRIMARY KEY,
        sequence       BIGINT NOT NULL,
        last_assigned  TEXT NOT NULL DEFAULT '{}',
        credits        TEXT NOT NULL DEFAULT '{}'
    );
    CREATE TABLE routing_decisions (
        id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        lead_id      BIGINT NOT NULL REFERENCES leads(id),
        at           BIGINT NOT NULL,
        rule         TEXT NOT NULL,
        team_id      TEXT,
        strategy     TEXT,
        rep_id       TEXT,
        hold_reason  TEXT,
        considered   TEXT NOT NULL DEFAULT '[]',
        rules_tried  TEXT NOT NULL DEFAULT '[]',
        manual       BOOLEAN NOT NULL DEFAULT false
    );
    CREATE INDEX routing_decisions_by_lead ON routing_decisions(lead_id);
    CREATE TABLE held_leads (
        lead_id  BIGINT PRIMARY KEY REFERENCES leads(id),
        team_id  TEXT,
        reason   TEXT NOT NULL,
        since    BIGINT NOT NULL
    );
    CREATE TABLE mail_activities (
        maildrop      TEXT NOT NULL,
        file          TEXT NOT NULL,
        message_id    TEXT,
        rep_id        TEXT,
        leads         TEXT NOT NULL DEFAULT '',
        result        TEXT NOT NULL,
        processed_at  BIGINT NOT NULL,
        PRIMARY KEY (maildrop, file)
    );
    CREATE UNIQUE INDEX mail_activities_by_message ON mail_activities(maildrop, message_id) WHERE message_id IS NOT NULL;
    CREATE TABLE status_history (
        id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        lead_id      BIGINT NOT NULL REFERENCES leads(id),
        from_status  TEXT NOT NULL,
        to_status    TEXT NOT NULL,
        at           BIGINT NOT NULL,
        rep_id       TEXT,
        role         TEXT NOT NULL,
        reason       TEXT
    );
    CREATE INDEX status_history_by_lead ON status_history(lead_id, at);
    CREATE INDEX status_history_by_time ON status_history(at);
    CREATE TABLE weekly_summaries (
        team_id     TEXT NOT NULL,
        week        BIGINT NOT NULL,
        outbox_id   BIGINT,
        created_at  BIGINT NOT NULL,
        PRIMARY KEY (team_id, week)
    );
    CREATE TABLE daily_digests (
        recipient   TEXT NOT NULL,
        day         BIGINT NOT NULL,
        outbox_id   BIGINT,
        created_at  BIGINT NOT NULL,
        PRIMARY KEY (recipient, day)
    );
    CREATE TABLE form_senders (
        address     TEXT PRIMARY KEY,
        forms       INTEGER NOT NULL,
        first_seen  BIGINT NOT NULL,
        last_seen   BIGINT NOT NULL
    );
    CREATE TABLE detail_fetches (
        lead_id          BIGINT PRIMARY KEY REFERENCES leads(id),
        vendor           TEXT NOT NULL,
        webhook          TEXT NOT NULL,
        object_id        TEXT NOT NULL,
        state            TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'fetching', 'done', 'dead')),
        attempts         INTEGER NOT NULL DEFAULT 0,
        next_attempt_at  BIGINT NOT NULL,
        lease_until      BIGINT,
        lease_token      BIGINT NOT NULL DEFAULT 0,
        route_by         BIGINT NOT NULL,
        routed           BOOLEAN NOT NULL DEFAULT false,
        last_error       TEXT,
        response         BYTEA,
        created_at       BIGINT NOT NULL,
        finished_at      BIGINT
    );
    CREATE INDEX detail_fetches_due ON detail_fetches(next_attempt_at) WHERE state IN ('pending', 'fetching');
    CREATE INDEX detail_fetches_unrouted ON detail_fetches(route_by) WHERE NOT routed;
    -- Every daemon sharing the database: one row per host and process, renewed by its heartbeat.
    CREATE TABLE nodes (
        node               TEXT PRIMARY KEY,
        host               TEXT NOT NULL,
        pid                INTEGER NOT NULL,
        version            TEXT NOT NULL,
        config_generation  INTEGER NOT NULL,
        config_file        TEXT NOT NULL,
        started_at         BIGINT NOT NULL,
        last_tick_at       BIGINT NOT NULL
    );
    """

    /// The leader row (periodic work on one node at a time, re-elected when its TTL runs out) and
    /// when each node loaded its configuration.
    static let v2 = """
    CREATE TABLE leader (
        role        TEXT PRIMARY KEY,
        node        TEXT NOT NULL,
        elected_at  BIGINT NOT NULL,
        expires_at  BIGINT NOT NULL
    );
    ALTER TABLE nodes ADD COLUMN config_loaded_at BIGINT NOT NULL DEFAULT 0;
    """

    /// The web console's used one-time login links (each logs in once, on any node).
    static let v3 = """
    CREATE TABLE console_links (
        nonce       TEXT PRIMARY KEY,
        actor       TEXT NOT NULL,
        used_at     BIGINT NOT NULL,
        expires_at  BIGINT NOT NULL
    );
    """

    /// Channel messages in the outbox: the `[[channel]]` a row goes to (NULL: mail) and the mobile
    /// numbers a robot message @-mentions.
    static let v4 = """
    ALTER TABLE outbox ADD COLUMN channel TEXT;
    ALTER TABLE outbox ADD COLUMN mentions TEXT NOT NULL DEFAULT '';
    """
}
