#!/usr/bin/env python3
"""scripts/bench {intake,deadlines} --store postgresql: the PostgreSQL store beside SQLite, same run.

  bench-postgres.py intake BIN_DIR SOCKET JSON_OUT
      signed JSON webhooks for SECONDS_RUN (10) s at 64 connections in all: one daemon on SQLite,
      one on PostgreSQL, three on one PostgreSQL (each its share of the connections, wrk each).
  bench-postgres.py deadlines BIN_DIR SOCKET JSON_OUT
      HOT (10,000) leads whose clocks fall due at one instant (20,000 rows): one daemon on SQLite,
      three on one PostgreSQL; the time until every row is decided, and that each was decided once.
"""
import base64, http.client, json, os, re, shutil, sqlite3, subprocess, sys, tempfile, time

mode, bin_dir, socket, json_out = sys.argv[1:5]
socket_dir, pg_port = os.path.dirname(socket), socket.rsplit(".", 1)[-1]
seconds = int(os.environ.get("SECONDS_RUN", "10"))
hot = int(os.environ.get("HOT", "10000"))
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def psql(sql, db="postgres"):
    out = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-h", socket_dir, "-p", pg_port, "-U", "leadrouter", "-d", db, "-c", sql],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


from lrhelpers import free_port, wait_ready


STORE = {
    "sqlite": '[store]\nsynchronous = "full"\n',
    "postgresql": '[store]\nbackend = "postgresql"\nsocket = "%(socket)s"\ndatabase = "%(database)s"\nuser = "leadrouter"\npool = %(pool)d\n',
}
BASE = """
[state]
directory = "state%(index)d"
%(store)s
[http]
listen = "127.0.0.1:%(port)d"
[log]
level = "warning"
target = "stderr"
[intake]
duplicate_match = "off"
[[webhook]]
name = "bench"
format = "json"
secret_file = "hook.secret"
"""
DIRECTORY = "".join('[[rep]]\nid = "r%d"\nname = "销售%d"\nemail = "r%d@example.com"\n' % (i, i, i) for i in range(1, 21)) + """
[[team]]
id = "t"
members = [%s]
supervisor = "boss@example.com"
[routing]
default = "t"
[[sla]]
name = "hot"
source = "hot"
clock = "wall"
first_contact = "60s"
[[sla.escalation]]
clock = "first_contact"
at = "0s"
actions = ["notify_supervisor"]
""" % ", ".join('"r%d"' % i for i in range(1, 21))


class Cluster:
    """N daemons on one store in a fresh folder (and a fresh database on PostgreSQL)."""

    def __init__(self, store, count):
        self.store, self.count = store, count
        self.work = tempfile.mkdtemp(prefix="lr-bench-pg.")
        self.database = "bench_%d_%d" % (os.getpid(), int(time.time() * 1000) % 10 ** 8)
        if store == "postgresql":
            psql("CREATE DATABASE %s" % self.database)
        with open(os.path.join(self.work, "hook.secret"), "w") as f:
            f.write("whsec_" + base64.b64encode(os.urandom(24)).decode() + "\n")
        self.ports, self.configs, self.processes = [], [], []
        for index in range(count):
            port = free_port()
            store_text = STORE[store] % {"socket": socket, "database": self.database, "pool": max(4, 16 // count)}
            # SQLite's state folder is shared by name (one daemon); on PostgreSQL each node its own.
            text = BASE % {"index": index, "store": store_text, "port": port} + DIRECTORY
            path = os.path.join(self.work, "node%d.toml" % index)
            with open(path, "w") as f:
                f.write(text)
            self.ports.append(port)
            self.configs.append(path)

    def seed(self, count, source):
        out = subprocess.run([os.path.join(bin_dir, "leadbench"), "seed-open", self.configs[0], str(count), source],
                             capture_output=True, text=True, check=True)
        return out.stdout.strip()

    def start(self):
        for path in self.configs:
            log = open(path + ".log", "w")
            self.processes.append(subprocess.Popen([os.path.join(bin_dir, "leadrouterd"), "--config", path], stdout=log, stderr=log,
                                                   cwd=self.work))
        for port in self.ports:
            if not wait_ready(port, 60):
                sys.exit("a daemon did not become ready: %s" % self.work)

    def stop(self):
        for p in self.processes:
            p.terminate()
        for p in self.processes:
            p.wait(timeout=30)
        if self.store == "postgresql":
            psql("DROP DATABASE %s WITH (FORCE)" % self.database)
        shutil.rmtree(self.work, ignore_errors=True)

    def scalar(self, sql):
        if self.store == "postgresql":
            return int(psql(sql, db=self.database) or 0)
        db = sqlite3.connect("file:%s?mode=ro" % os.path.join(self.work, "state0", "leadrouter.sqlite"), uri=True, timeout=30)
        try:
            return int(db.execute(sql).fetchone()[0] or 0)
        finally:
            db.close()


def wrk_run(cluster, connections, seconds):
    """wrk on every node at once (each its share of the connections); leads/s summed, worst p99."""
    runs = []
    per = max(2, connections // cluster.count)
    for index, port in enumerate(cluster.ports):
        requests = os.path.join(cluster.work, "requests%d.tsv" % index)
        subprocess.run([os.path.join(bin_dir, "leadbench"), "prepare", os.path.join(cluster.work, "hook.secret"), "300000", requests],
                       check=True)
        runs.append((port, requests))
    procs = [subprocess.Popen(["wrk", "-t1" if cluster.count > 1 else "-t2", "-c%d" % per, "-d%ds" % seconds, "--latency", "-s",
                               os.path.join(root, "scripts/lib/webhooks.lua"), "http://127.0.0.1:%d/webhooks/bench" % port, "--",
                               requests, "1" if cluster.count > 1 else "2"],
                              stdout=subprocess.PIPE, text=True, env=dict(os.environ, PREPARED="300000", CONNECTIONS=str(per)))
             for port, requests in runs]
    rate, p50, p99, errors = 0.0, 0.0, 0.0, 0
    for p in procs:
        out, _ = p.communicate()
        line = next((l for l in out.splitlines() if l.startswith("webhooks:")), "")
        m = re.search(r"([\d.]+) leads/s, p50 ([\d.]+) ms, p99 ([\d.]+) ms, (\d+) errors", line)
        if m:
            rate += float(m.group(1))
            p50 = max(p50, float(m.group(2)))
            p99 = max(p99, float(m.group(3)))
            errors += int(m.group(4))
    return {"leads_per_s": round(rate), "p50_ms": p50, "p99_ms": p99, "errors": errors}


results = {"date": time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime()), "cores": os.cpu_count(), "mode": mode}
if mode == "intake":
    for store, count in [("sqlite", 1), ("postgresql", 1), ("postgresql", 3)]:
        cluster = Cluster(store, count)
        try:
            cluster.start()
            wrk_run(cluster, 64, 2)   # warm-up
            figures = wrk_run(cluster, 64, seconds)
            figures["leads"] = cluster.scalar("SELECT COUNT(*) FROM leads")
        finally:
            cluster.stop()
        key = "%s_%d" % (store, count)
        results[key] = figures
        print("%-12s %d daemon(s): %6d leads/s, p50 %.1f ms, p99 %.1f ms, %d errors" % (
            store, count, figures["leads_per_s"], figures["p50_ms"], figures["p99_ms"], figures["errors"]), flush=True)
else:
    for store, count in [("sqlite", 1), ("postgresql", 3)]:
        cluster = Cluster(store, count)
        try:
            print(cluster.seed(hot, "hot"), flush=True)
            due = cluster.scalar("SELECT MIN(due_at) FROM deadlines WHERE state = 'pending'")
            rows = cluster.scalar("SELECT COUNT(*) FROM deadlines WHERE state = 'pending' AND due_at = %d" % due)
            cluster.start()
            while time.time() < due:
                time.sleep(0.01)
            finished = None
            while time.time() < due + 300:
                left = cluster.scalar("SELECT COUNT(*) FROM deadlines WHERE state = 'pending' AND due_at <= %d" % due)
                if left == 0:
                    finished = time.time() - due
                    break
                time.sleep(0.05)
            escalations = cluster.scalar("SELECT COUNT(*) FROM escalations")
            distinct = cluster.scalar("SELECT COUNT(*) FROM (SELECT DISTINCT lead_id, clock, cycle, level FROM escalations) e")
        finally:
            cluster.stop()
        results["%s_%d" % (store, count)] = {"rows_due": rows, "decided_after_s": round(finished, 2) if finished else None,
                                             "escalations": escalations, "distinct_levels": distinct}
        print("%-12s %d daemon(s): %d rows due at one instant, all decided %.2f s after it; %d escalations, %d distinct" % (
            store, count, rows, finished if finished else float("nan"), escalations, distinct), flush=True)
os.makedirs(os.path.dirname(json_out), exist_ok=True)
with open(json_out, "w") as f:
    json.dump(results, f, indent=2, ensure_ascii=False)
print("JSON: %s" % json_out)
