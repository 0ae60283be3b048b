/// Every fixed log phrase that operators may need to look up, with a stable journald MESSAGE_ID
/// and the explanation shipped in `systemd/leadrouterd.catalog` (`journalctl -x` shows it).
/// Adding a log event with its own id means adding an entry here; a test keeps the catalog file
/// in step (`leadrouterd --print-catalog` writes it).
public struct LogCatalogEntry: Sendable, Hashable {
    public var message: String
    public var id: String
    public var explanation: String
}

public enum LogCatalog {
    public static let entries: [LogCatalogEntry] = [
        .init(message: "daemon starting", id: "329b5bb138eb4cdcb22deb2817366bf7",
              explanation: "leadrouterd started and is opening its database and listeners. READY=1 follows when it can take work."),
        .init(message: "daemon ready", id: "783de554ba2b4b11af4006c7d7b398ee",
              explanation: "Migrations ran, the HTTP listener is bound and leadrouterd takes work."),
        .init(message: "daemon stopping", id: "d13605e4a2af431e87dc73493588b43c",
              explanation: "A stop was requested (SIGTERM or SIGINT). leadrouterd stops accepting work and finishes what is in flight."),
        .init(message: "daemon stopped", id: "9680364ac08148b4935963ea6f3f62ea",
              explanation: "All services finished; leadrouterd exits with status 0."),
        .init(message: "configuration invalid", id: "ec8d47ec44364cf88c976c256e24b471",
              explanation: "The configuration file failed validation at start. Each problem is logged with its file, line and key (CONFIG_ISSUE). leadrouterd exits with status 78 (EX_CONFIG); run 'leadctl config check' after fixing it."),
        .init(message: "configuration reloaded", id: "4add639f1fc342ea9aa25cdf4370b99d",
              explanation: "SIGHUP (systemctl reload) loaded a valid configuration and swapped it in whole. CONFIG_GENERATION counts reloads."),
        .init(message: "configuration reload failed", id: "2f1b8e91da1548bca0bfcd218cae688b",
              explanation: "SIGHUP found an invalid configuration file. Nothing was changed: leadrouterd keeps running on the previous configuration. The problems are in CONFIG_ISSUES; fix them and reload again."),
        .init(message: "configuration change needs restart", id: "9687626f00c74661b9607ddf68164ad1",
              explanation: "A reload changed settings that only take effect at start (state directory, store, HTTP address, log target; listed in CONFIG_KEYS). The rest of the new configuration is in force; restart the service to apply these."),
        .init(message: "database opened", id: "3ee485181d0e49c9974cb5397369cddb",
              explanation: "The store was opened and migrated to the schema this version needs: the SQLite file in WAL mode, or the shared PostgreSQL database (DB_STORE names it; DB_BACKEND is sqlite or postgresql)."),
        .init(message: "leadership taken", id: "3fbe37614b7c4e7fbe5ed96f0f499766",
              explanation: "On a shared PostgreSQL database this node took the leader row: it now runs the periodic work (held-queue retries, daily and weekly mail, capture purges). NODE is host/pid. 'leadctl status' lists the nodes and the leader."),
        .init(message: "leadership lost", id: "df5f368359f84eb0879560105848ea95",
              explanation: "This node could not renew the leader row (the database is unreachable, or another node took it after it expired). It stops the periodic work; another node takes over within the row's 15 s time to live."),
        .init(message: "leadership given up", id: "089fda03bcc4415584c546caa577e94f",
              explanation: "A clean stop gave the leader row up at once, so another node takes the periodic work on its next renewal (within 5 s)."),
        .init(message: "host clock differs from the database", id: "6fb548312c9d46ae8b37420680b22fad",
              explanation: "This host's clock is more than 2 s away from the PostgreSQL server's (OFFSET_SECONDS). The daemon runs on the database's time, but fix NTP on this host: leadctl and logs show host times."),
        .init(message: "wake-up listener reconnecting", id: "8726005f59864bfca8388e2211baf873",
              explanation: "The PostgreSQL LISTEN connection that wakes this node's schedulers failed; it reconnects and re-reads due work once. Wake-ups sent meanwhile are lost, which costs at most the schedulers' periodic re-read."),
        .init(message: "console login refused", id: "4bacbadadb214838a2899778cfe84ae0",
              explanation: "A web console login gave a token that is neither the admin token nor a rep's token. Repeated refusals may be someone guessing tokens."),
        .init(message: "rep handed over", id: "5f0e6c1d2a7b4e93b8d4c61a0e2f9b57",
              explanation: "A supervisor or admin handed all of a rep's open leads over (ACTOR; the console, the admin API or leadctl). MOVED leads got new owners, each an audited reassignment whose new owner is told by mail; STAYED leads found nobody eligible and still belong to the rep."),
        .init(message: "console streams at limit", id: "8d3c1f6e0b5a4c27a9e1d4f7b2c86a30",
              explanation: "ui.max_streams live console pages (Server-Sent Events streams) are already open; another page got 503 and updates only when reloaded. Raise ui.max_streams if this many people really use the console at once."),
        .init(message: "console form refused", id: "c2a2b429f29a440e8a4a306bd9e348f7",
              explanation: "A web console form came without the session's CSRF token or from another origin (REASON), and changed nothing."),
        .init(message: "database unavailable", id: "833ea1f6f045495ea407381e64a12938",
              explanation: "A database operation failed (disk full, read-only state directory, lock held by another process). /readyz answers 503 until it works again; the daemon retries by itself."),
        .init(message: "http listening", id: "a238a61c87db42f9ad3dc31dbbe36719",
              explanation: "The HTTP server (health, metrics and later webhooks) is bound to HTTP_ADDRESS."),
        .init(message: "lead accepted", id: "fdfb5f76d25f402180d395ca6c7b6741",
              explanation: "A new lead was committed from a mail-drop file or a webhook. LEAD_ID is the lead, INTAKE_CHANNEL and INTAKE_ORIGIN where it came from; its raw input is kept (leadctl leads show ID --raw)."),
        .init(message: "lead re-inquiry", id: "d070d8b27b354af299cfbd15df58f932",
              explanation: "An input matched the e-mail or phone of an open lead within [intake] duplicate_window, so it was recorded as a re-inquiry activity on LEAD_ID instead of a new lead."),
        .init(message: "intake quarantined", id: "45c63857c30b439e96db13911bbf5371",
              explanation: "An input could not become a lead (INTAKE_REASON: too large, malformed beyond repair, no way to reach anyone, an automatic message). It is kept with its reason; see 'leadctl quarantine list', and re-feed it after fixing the configuration with 'leadctl quarantine retry QUARANTINE_ID'."),
        .init(message: "maildrop opened", id: "70f1c6afdc7642249e6e4b42f043eeb7",
              explanation: "A mail-drop folder (MAILDROP_PATH) is ready: tmp/, new/, cur/, done/ and quarantine/ exist and are watched."),
        .init(message: "maildrop scan failed", id: "eb03ede8b8c34df5b34da34210185207",
              explanation: "A mail-drop pass failed (ERROR), usually because the database could not take the write. The files stay in new/ and are taken on the next pass; nothing is lost."),
        .init(message: "maildrop recovered claimed files", id: "a69917c1dda740288207f708ee199c36",
              explanation: "At start-up, files left in cur/ by an interrupted run were finished: moved on when already committed, processed otherwise. COUNT says how many."),
        .init(message: "webhook rejected", id: "976918ecce414b2e9a894357fa029482",
              explanation: "A webhook request was refused: HTTP_STATUS 401 (missing, wrong or stale signature; replayed request), 400 (unreadable body) or 422 (no usable lead). INTAKE_REASON says which. Authenticated but unusable bodies are also kept in the quarantine."),
        .init(message: "webhook without authentication", id: "15afa2a217bf453087a56f9e2dbc60f1",
              explanation: "A [[webhook]] is configured with auth = \"none\": anyone who can reach the address can create leads. Use it only behind a proxy that authenticates."),
        .init(message: "lead assigned", id: "c5127f250bc34a2497ec0827551f65e5",
              explanation: "A lead got its owner: REP_ID in TEAM by RULE (or 'default'). The full decision, with every rep considered and why others were skipped, is in 'leadctl leads show LEAD_ID'."),
        .init(message: "lead held", id: "ab39612bfc0945d8a840667e99648af7",
              explanation: "Nobody in TEAM could take the lead (HOLD_REASON: everyone inactive, on leave, off shift or at a cap) and the team's overflow is 'hold'. It is assigned, oldest first, as soon as someone becomes eligible; 'leadctl leads list --held' shows the queue."),
        .init(message: "sla deadline set", id: "2c2e7c0f23b143e19c62512f2b0be349",
              explanation: "An SLA clock started for LEAD_ID under policy SLA: CLOCK (first_contact, follow_ups or stale) is due at DUE_AT (UTC). Its escalation levels are armed with it; 'leadctl leads show LEAD_ID' shows them in the calendar's zone."),
        .init(message: "sla warning", id: "74d73849b9824d738a23b95480c0a79d",
              explanation: "A warning level (an offset before the deadline) of CLOCK on LEAD_ID was decided: the owner is reminded before the deadline passes. LATE_SECONDS is how long after its time it was decided (non-zero after downtime)."),
        .init(message: "sla breach", id: "71fde1d253a44dbebf2824fceda93771",
              explanation: "CLOCK on LEAD_ID passed its deadline DUE_AT unmet under policy SLA. The breach stays open until a contact by the owner ends it; later escalation levels follow on their own times."),
        .init(message: "sla escalation decided", id: "22a2273613d1445a8d1e473b12ae71b0",
              explanation: "Escalation LEVEL of CLOCK on LEAD_ID was decided exactly once: its ACTIONS (remind the owner, notify the supervisor or fixed addresses, reassign) are recorded with their outbox messages in the same transaction. OUTCOME says where a reassignment went."),
        .init(message: "store write slow", id: "2af7ca2ef88541e0bb84dc03aade55c9",
              explanation: "One write transaction (DB_OPERATION) held the database's single writer for DB_HELD_MS milliseconds, its commit included (and any wait for another process's write lock, such as leadctl's); every other change waited behind it (this one itself waited DB_WAITED_MS first). Occasional ones follow a burst of work; frequent ones mean the disk or the database needs attention (leadrouter_store_write_seconds shows the spread)."),
        .init(message: "wal checkpoint failed", id: "f67016f101774529a848e9ec4447493b",
              explanation: "The background copy of the SQLite write-ahead log into the database file failed (ERROR), usually a full or failing disk. Nothing is lost: committed changes stay in the WAL and the copy is tried again every 250 ms; logged at most once a minute. A WAL that keeps growing (leadrouter_store_wal_pages) makes the next start slower."),
        .init(message: "sla scheduler failed", id: "18cd2001958e4b6c9a440e29b28af4e8",
              explanation: "A pass of the SLA timer failed (ERROR), usually because the database could not take the write. Nothing was decided in that pass; the timer retries within a second and decides every due row once."),
        .init(message: "activity mail recorded", id: "d87ca3abf94942eb85a8c6bca5fba134",
              explanation: "A rep's mail copied to an activity mail-drop (the BCC dropbox) was recorded as an e-mail contact by REP_ID on LEAD_ID. By the owner or the team's supervisor it stops the first-contact clock and counts toward follow-ups."),
        .init(message: "activity mail quarantined", id: "47f95499e5924ca891a0f00feec00686",
              explanation: "A file in an activity mail-drop could not be used (INTAKE_REASON: unreadable, no From, or From is not a configured rep). It was moved to the mail-drop's quarantine/ folder with a .reason file; nothing was recorded."),
        .init(message: "mail queued", id: "ebce04fb8a3844239ec28d84895863f9",
              explanation: "An SLA decision queued COUNT messages in the outbox in the same transaction (digests fold many notices for one recipient into one). The senders pick them up at once when [smtp] is configured."),
        .init(message: "channel message sent", id: "0c7e5b9a2f3d4e8b9a61c4d2e7f80a13",
              explanation: "A message reached a group robot (WeCom, DingTalk, Feishu) or a webhook, which accepted it (CHANNEL, CHANNEL_KIND, the vendor's REPLY)."),
        .init(message: "channel message retry scheduled", id: "6b1f2a8c4d9e4f07b3a5c8e2d1f6a947",
              explanation: "A channel message was not accepted for now (throttled, the vendor busy, a 5xx or no answer: ERROR) and waits in the outbox until RETRY_AT, the vendor's own wait when it named one."),
        .init(message: "channel message dead", id: "d94e3a1b7c2f4856a0b9e1c3f5d7a2b8",
              explanation: "A channel message was refused for good (a wrong key or signature, a missing keyword, another 4xx: ERROR) or kept failing past the channel's give_up_after. Fix the channel, then 'leadctl outbox retry ID'."),
        .init(message: "mail sent", id: "1356d144798a4bb3a082986f00f934d1",
              explanation: "Outbox message OUTBOX_ID was accepted by the relay on attempt ATTEMPT. SMTP_REPLY is the relay's answer, usually with its queue id, to follow the message in the relay's logs. Its Message-ID is derived from OUTBOX_ID, so a resend after a crash is recognisably the same message."),
        .init(message: "mail retry scheduled", id: "7ae6d8b0f7e544e1ac25197c960334fc",
              explanation: "Attempt ATTEMPT of outbox message OUTBOX_ID failed for now (SMTP_CODE 4xx, a connection or TLS failure, or AUTH refused). It is tried again at RETRY_AT (exponential backoff with jitter) until smtp.give_up_after; nothing is lost while the relay is down."),
        .init(message: "mail dead", id: "59ad7874b3d24a2988a1a5ce982a4bea",
              explanation: "Outbox message OUTBOX_ID will not be sent: the relay refused it for good (SMTP_CODE 5xx) or it kept failing past smtp.give_up_after. See 'leadctl outbox show OUTBOX_ID'; after fixing the cause, 'leadctl outbox retry OUTBOX_ID' queues it again."),
        .init(message: "mail sending off", id: "7dc318f3e4884828b075a05f635cae81",
              explanation: "The configuration has no [smtp] section, so nothing is sent: escalations and notices are kept in the outbox ('leadctl outbox list') and go out once [smtp] is configured and the service restarted."),
        .init(message: "lead status changed", id: "b7923081e66a40c39e2088b7614d2378",
              explanation: "LEAD_ID moved from STATUS_FROM to STATUS_TO through the HTTP API, by ROLE (owner, supervisor or admin), within the configured [lifecycle]. The change, its fields and its reason are in the lead's history ('leadctl leads show LEAD_ID')."),
        .init(message: "detail fetch finish stale", id: "c4e8a1f7b2d94e3c9a6f0d1b2c3e4f5a",
              explanation: "A vendor detail fetch (Meta lead ads) finished after its lease had run out and another attempt had claimed the lead's fetch. Its result was dropped; the later attempt's stands. Frequent ones mean the vendor's API answers slower than the fetch lease."),
        .init(message: "outbox finish stale", id: "b7d3e9f1a2c44d6e8f0a1b3c5d7e9f20",
              explanation: "A mail sender finished a message after its lease (smtp.lease) had run out and another attempt had claimed the row. Its result was dropped; the later attempt's stands. The message may have been sent twice (at-least-once delivery, same Message-ID). Frequent ones mean smtp.lease is shorter than a slow server's replies."),
        .init(message: "http connection limit reached", id: "5c0e7d2a9b3f4e61a8d4c2b7e9f01a36",
              explanation: "The HTTP listener had http.max_connections open connections when another arrived. The connection idle the longest was closed to make room, or, when every connection was busy with a request, the new one was closed at once. Logged at most once a minute; leadrouter_http_connections_total{outcome} counts each. Raise http.max_connections (and LimitNOFILE=) if real senders hit it, or find the client holding idle connections."),
        .init(message: "http connection cap lowered", id: "8e2f4a6c1d3b4c5e9a7f0b2d4c6e8a13",
              explanation: "http.max_connections plus a reserve of 128 descriptors is more than the process may open (RLIMIT_NOFILE, after raising the soft limit to the hard one). The cap in force is HTTP_EFFECTIVE_MAX_CONNECTIONS; raise LimitNOFILE= in the unit or lower http.max_connections."),
        .init(message: "published secret in use", id: "a1e5c2d3f4b54c16f8a9b0c1d2e3f4a5",
              explanation: "SECRET is one of the example secrets shipped in leadrouter's repository (Config/secrets/): anyone can read it, so anyone can sign requests to that webhook or use that token. Replace the file's content with a random secret (e.g. printf 'whsec_%s\\n' \"$(head -c 32 /dev/urandom | base64)\"), give the new one to the sender, and reload. scripts/install generates fresh secrets instead of copying the examples."),
        .init(message: "calendar coverage ending", id: "3b1d2b0c6e0a4f6f9a8c51f2d7e4c0a9",
              explanation: "The holiday data of CALENDAR ends on COVERAGE_END (DAYS_LEFT days from now; negative when already past). After that day, SLA clocks on this calendar count every weekday as working time, or, with fallback = \"cn-statutory\", China's statutory holidays, provisionally (they cannot know the year's 调休 weekends). What to do: when the State Council General Office publishes the next year's holiday notice (usually in November or December), write calendars/cn-YYYY.toml from it (copy the previous year's file, set year and fill in the notice's days; README \"Business calendars\"), add it to the calendar's holiday_files and run 'systemctl reload leadrouterd'. Deadlines computed across provisional days are then recomputed. This warning repeats daily until then."),
        .init(message: "sla deadline recomputed", id: "9d4c1b2e6a3f4c05e7b8f1a2c3d4e5f6",
              explanation: "A reload changed a calendar's holiday data (usually: next year's holiday file was added), and a pending deadline of LEAD_ID that had been computed across provisional (fallback) holidays now falls at DUE_AT instead of DUE_FROM. Levels already decided stay decided; nothing is escalated twice."),
        .init(message: "lead details fetched", id: "5f0e7d8a2c9b4e61a3d4b7c8e9f01a2b",
              explanation: "The answers of LEAD_ID, which arrived as ids only (a Meta lead-ads notification), were read from the vendor's API on attempt FETCH_ATTEMPTS; the lead's fields are filled and it is routed now if it was not yet."),
        .init(message: "lead details fetch failed", id: "6a1f8e9b3d0c4f72b4e5c8d9f0a1b2c3",
              explanation: "Reading the answers of LEAD_ID from the vendor's API failed (FETCH_ERROR) and is retried at FETCH_RETRY_AT. Graph API error 190 means the page access token expired: renew page_token_file and reload."),
        .init(message: "lead details fetch dead", id: "7b2a9f0c4e1d4a83c5f6d9e0a1b2c3d4",
              explanation: "Reading the answers of LEAD_ID was given up (FETCH_ERROR: a permanent error such as an unknown lead or a missing permission, or details_attempts failures). The lead is routed with what is known and custom field details says why; its raw notification is kept."),
        .init(message: "lead routed without details", id: "8c3b0a1d5f2e4b94d6a7e0f1b2c3d4e5",
              explanation: "LEAD_ID waited details_wait for its answers from the vendor's API and was routed with what is known (custom field details = missing). Its details still fill in if the fetch succeeds later."),
        .init(message: "daemon failed", id: "6ab694fdbd0b4309a4eb8b88d19b90c9",
              explanation: "A service of leadrouterd stopped with an error and the daemon exits with a failure status; systemd restarts it (Restart=on-failure). The error is in ERROR."),
    ]

    private static let idsByMessage: [String: String] =
        Dictionary(uniqueKeysWithValues: entries.map { ($0.message, $0.id) })

    public static func messageID(for message: String) -> String? { idsByMessage[message] }

    /// The text of `systemd/leadrouterd.catalog` (systemd's catalog format, `man journalctl --update-catalog`).
    public static func catalogText() -> String {
        var text = "# leadrouterd journal catalog: explanations shown by 'journalctl -x'.\n"
        text += "# Generated by 'leadrouterd --print-catalog'; do not edit by hand.\n"
        for entry in entries {
            text += "\n-- \(entry.id)\n"
            text += "Subject: leadrouterd: \(entry.message)\n"
            text += "Defined-By: leadrouter\n"
            text += "\n\(entry.explanation)\n"
        }
        return text
    }
}
