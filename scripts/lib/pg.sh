# A throwaway PostgreSQL 15 for tests and benchmarks: initdb in a short temp dir, a unix socket
# only (no TCP), fsync off for tests (PG_FSYNC=on for benchmarks). Sourced, not run; needs
# postgresql-15 (Debian).
#   pg_start      sets PG_DIR (socket directory), PG_SOCKET (socket path) and PG_PID; exports
#                 LEADROUTER_TEST_PG_SOCKET for the tests
#   pg_stop       stops it by its postmaster PID and removes its files
PG_BIN=/usr/lib/postgresql/15/bin
PG_PACKAGES=(postgresql-15)

pg_as_owner() {   # runs a command as the data directory's owner (initdb refuses root)
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_start() {
    # Tests: fsync off (test data only). Benchmarks: PG_FSYNC=on, as durable as SQLite's "full".
    local durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    [ "${PG_FSYNC:-off}" = "on" ] && durability="-c fsync=on -c synchronous_commit=on"
    PG_DIR=$(mktemp -d /tmp/lrpg.XXXXXX)   # short: a socket path must fit in 107 bytes
    chmod 755 "$PG_DIR"
    [ "$(id -u)" -eq 0 ] && chown postgres "$PG_DIR"
    pg_as_owner "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U leadrouter -E UTF8 --locale=C.UTF-8 --no-sync >"$PG_DIR/initdb.log" 2>&1 \
        || { cat "$PG_DIR/initdb.log" >&2; return 1; }
    pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
        -o "-k $PG_DIR -c listen_addresses='' $durability -c max_connections=200" \
        start >/dev/null || { cat "$PG_DIR/server.log" >&2; return 1; }
    PG_PID=$(head -1 "$PG_DIR/data/postmaster.pid")
    PG_SOCKET="$PG_DIR/.s.PGSQL.5432"
    export LEADROUTER_TEST_PG_SOCKET="$PG_SOCKET"
    echo "==> PostgreSQL 15 (pid $PG_PID) on $PG_SOCKET"
}

pg_stop() {
    [ -n "${PG_PID:-}" ] || return 0
    kill -INT "$PG_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$PG_PID" 2>/dev/null || break; sleep 0.1; done
    rm -rf "$PG_DIR"
    PG_PID=""
}
