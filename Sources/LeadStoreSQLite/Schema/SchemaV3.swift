/// Routing: each team's rotation state, every decision's audit, and the held queue. Never edit.
enum SchemaV3 {
    static let sql = """
    CREATE TABLE routing_state (
        team_id        TEXT PRIMARY KEY,
        sequence       INTEGER NOT NULL,
        last_assigned  TEXT NOT NULL DEFAULT '{}',
        credits        TEXT NOT NULL DEFAULT '{}'
    );
    CREATE TABLE routing_decisions (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        lead_id      INTEGER NOT NULL REFERENCES leads(id),
        at           INTEGER NOT NULL,
        rule         TEXT NOT NULL,
        team_id      TEXT,
        strategy     TEXT,
        rep_id       TEXT,
        hold_reason  TEXT,
        considered   TEXT NOT NULL DEFAULT '[]',
        rules_tried  TEXT NOT NULL DEFAULT '[]',
        manual       INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX routing_decisions_by_lead ON routing_decisions(lead_id);
    CREATE TABLE held_leads (
        lead_id  INTEGER PRIMARY KEY REFERENCES leads(id),
        team_id  TEXT,
        reason   TEXT NOT NULL,
        since    INTEGER NOT NULL
    );
    CREATE INDEX assignments_by_rep ON assignments(rep_id, assigned_at);
    -- Owner matching by company: the name without spaces, punctuation and legal-form suffixes.
    ALTER TABLE leads ADD COLUMN company_key TEXT;
    CREATE INDEX leads_by_company_key ON leads(company_key) WHERE company_key IS NOT NULL;
    -- The SLA policy a deadline belongs to.
    ALTER TABLE deadlines ADD COLUMN policy TEXT;
    """
}
