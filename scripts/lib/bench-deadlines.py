#!/usr/bin/env python3
"""scripts/bench deadlines: a release leadrouterd over a database of OPEN open leads with pending
SLA clocks (seeded by `leadbench seed-open` through the store's own intake transaction).

Measures, on this machine, in one run:
  * start to READY=1 (a real NOTIFY_SOCKET), twice: the first start and a restart after SIGTERM;
  * resident memory (VmRSS) after start, and idle CPU over IDLE_SECONDS with nothing due;
  * webhook intake at 8 connections with nothing due (the baseline: p50/p99, leads/s);
  * HOT leads whose first-contact deadline falls due at one instant: the time until every one is
    decided, while wrk keeps posting signed webhooks at 8 connections (intake p50/p99 in that window);
  * a daemon killed with SIGKILL while wrk posts webhooks: the WAL it leaves, and the next start to
    READY=1.
PERF_OUT=FILE records `perf record -g` of the daemon during the storm (for looking, not a figure).
Writes the figures as JSON to the path given and prints them as a table.
usage: bench-deadlines.py BIN_DIR WORK_DIR OPEN HOT JSON_OUT
"""
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time

bin_dir, work, open_count, hot_count, json_out = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
config = os.path.join(work, "leadrouter.toml")
database = os.path.join(work, "state", "leadrouter.sqlite")
port = int(open(os.path.join(work, "port")).read())
idle_seconds = int(os.environ.get("IDLE_SECONDS", "10"))
clock_ticks = os.sysconf("SC_CLK_TCK")


def log(text):
    print(text, flush=True)


def run(*args, **kwargs):
    return subprocess.run(args, check=True, **kwargs)


def start_daemon():
    """Starts leadrouterd with a NOTIFY_SOCKET; returns (process, seconds until READY=1)."""
    path = os.path.join(work, "notify.sock")
    if os.path.exists(path):
        os.unlink(path)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.bind(path)
    listener.settimeout(0.2)
    env = dict(os.environ, NOTIFY_SOCKET=path)
    begin = time.monotonic()
    daemon = subprocess.Popen([os.path.join(bin_dir, "leadrouterd"), "--config", config], env=env,
                              stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "daemon.log"), "ab"))
    while True:
        if daemon.poll() is not None:
            sys.exit("leadrouterd exited with %d before READY=1 (see %s/daemon.log)" % (daemon.returncode, work))
        if time.monotonic() - begin > 120:
            daemon.kill()
            sys.exit("no READY=1 within 120 s")
        try:
            message = listener.recv(4096).decode()
        except socket.timeout:
            continue
        if "READY=1" in message.split("\n"):
            ready = time.monotonic() - begin
            # Keep reading (systemd does), so the daemon's later notifications never block it.
            import threading
            threading.Thread(target=drain, args=(listener,), daemon=True).start()
            return daemon, ready


def drain(listener):
    listener.settimeout(None)
    while True:
        try:
            listener.recv(4096)
        except OSError:
            return


def stop(daemon):
    daemon.terminate()
    daemon.wait(timeout=60)


def rss_mib(pid):
    for line in open("/proc/%d/status" % pid):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid):
    fields = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / clock_ticks


def db():
    connection = sqlite3.connect("file:%s?mode=ro" % database, uri=True, timeout=30)
    return connection


results = {"date": time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime()), "cores": os.cpu_count(),
           "open_leads": open_count, "hot_leads": hot_count,
           "target_rss_mib": 150, "target_restart_to_ready_s": 3, "target_intake_storm_p99_ms": 50,
           "target_storm_over_baseline_p99": 2}
cursor = db()
pending = cursor.execute("SELECT COUNT(*) FROM deadlines WHERE state = 'pending'").fetchone()[0]
size = os.path.getsize(database) / (1 << 20)
cursor.close()
results["pending_deadlines"] = pending
results["database_mib"] = round(size, 1)
log("database: %d open leads, %d pending deadline rows, %.0f MiB" % (open_count, pending, size))

# 1. First start: READY, memory, idle CPU.
daemon, ready = start_daemon()
results["start_to_ready_s"] = round(ready, 3)
time.sleep(3)
results["rss_after_start_mib"] = round(rss_mib(daemon.pid), 1)
before = cpu_seconds(daemon.pid)
time.sleep(idle_seconds)
idle = (cpu_seconds(daemon.pid) - before) / idle_seconds
results["idle_cpu_percent"] = round(idle * 100, 2)
results["rss_after_idle_mib"] = round(rss_mib(daemon.pid), 1)
log("start to READY=1: %.2f s; RSS %.0f MiB after start, %.0f MiB after %d s idle; idle CPU %.2f%%" % (
    ready, results["rss_after_start_mib"], results["rss_after_idle_mib"], idle_seconds, idle * 100))

# 2. Restart (SIGTERM, then start again).
begin = time.monotonic()
stop(daemon)
results["stop_s"] = round(time.monotonic() - begin, 3)
daemon, ready = start_daemon()
results["restart_to_ready_s"] = round(ready, 3)
log("restart: stopped in %.2f s, READY=1 %.2f s after the new start" % (results["stop_s"], ready))

def webhooks(seconds, wrk_env=None):
    """Starts wrk posting signed webhooks at 8 connections for `seconds`; returns the process."""
    return subprocess.Popen(["wrk", "-t2", "-c8", "-d%ds" % seconds, "--latency", "-s", "scripts/lib/webhooks.lua",
                             "http://127.0.0.1:%d/webhooks/bench" % port, "--", os.path.join(work, "requests.tsv"), "2"],
                            stdout=subprocess.PIPE, text=True,
                            env=dict(os.environ, PREPARED=os.environ.get("PREPARED", "200000"), CONNECTIONS="8"))


def intake_figures(wrk, prefix):
    out, _ = wrk.communicate()
    line = next((line for line in out.splitlines() if line.startswith("webhooks:")), "webhooks: (no figures)")
    for part in line.split(","):
        part = part.strip()
        for label in ("p50", "p99"):
            if part.startswith(label + " "):
                results["%s_%s_ms" % (prefix, label)] = float(part.split()[1])
        if part.endswith("leads/s"):
            results["%s_leads_per_s" % prefix] = float(part.split()[-2])
    return line


wrk_seconds = int(os.environ.get("WRK_SECONDS", "12"))

# 3. The baseline: the same webhook load with nothing due (after 3 s of it to warm the caches,
# as the storm's run is warmed by everything before it).
webhooks(3).communicate()
line = intake_figures(webhooks(wrk_seconds), "intake_baseline")
log("baseline, nothing due: " + line)

# 4. HOT leads due at one instant, under webhook load.
run(os.path.join(bin_dir, "leadbench"), "seed-open", config, str(hot_count), "hot",
    stdout=subprocess.DEVNULL)
cursor = db()
due_at = cursor.execute(
    "SELECT MIN(d.due_at) FROM deadlines d JOIN leads l ON l.id = d.lead_id "
    "WHERE l.source = 'hot' AND d.state = 'pending'").fetchone()[0]
hot_pending = cursor.execute(
    "SELECT COUNT(*) FROM deadlines d JOIN leads l ON l.id = d.lead_id "
    "WHERE l.source = 'hot' AND d.state = 'pending' AND d.due_at = ?", (due_at,)).fetchone()[0]
cursor.close()
if not hot_pending:
    sys.exit("the hot leads have no pending deadlines: check hot.toml")
wait = due_at - time.time()
log("%d hot leads seeded: %d deadline rows fall due at one instant, in %.0f s" % (hot_count, hot_pending, wait))
time.sleep(max(0, wait - 2))
wrk = webhooks(wrk_seconds)
perf = None
if os.environ.get("PERF_OUT"):
    perf = subprocess.Popen(["perf", "record", "-g", "-p", str(daemon.pid), "-o", os.environ["PERF_OUT"], "--", "sleep", "8"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
while time.time() < due_at:
    time.sleep(0.005)
cursor = db()
worked_off = None
while time.time() < due_at + 120:
    left = cursor.execute(
        "SELECT COUNT(*) FROM deadlines d JOIN leads l ON l.id = d.lead_id "
        "WHERE l.source = 'hot' AND d.state = 'pending' AND d.due_at <= ?", (due_at,)).fetchone()[0]
    if left == 0:
        worked_off = time.time() - due_at
        break
    time.sleep(0.05)
decided = cursor.execute(
    "SELECT COUNT(*), MAX(late_ms) FROM escalations e JOIN leads l ON l.id = e.lead_id WHERE l.source = 'hot'").fetchone()
cursor.close()
log("during the storm: " + intake_figures(wrk, "intake_storm"))
if perf:
    perf.wait()
results["hot_worked_off_s"] = round(worked_off, 2) if worked_off is not None else None
results["hot_escalations"] = decided[0]
results["hot_max_late_ms"] = decided[1]
log("%d deadline rows due at one instant: all decided %.2f s after it (latest %.2f s late); %d escalations recorded" % (
    hot_pending, worked_off if worked_off is not None else float("nan"), (decided[1] or 0) / 1000, decided[0]))
if results.get("intake_baseline_p99_ms") and results.get("intake_storm_p99_ms"):
    results["storm_over_baseline_p99"] = round(results["intake_storm_p99_ms"] / results["intake_baseline_p99_ms"], 2)
    log("intake p99 during the storm: %.2f× the baseline's" % results["storm_over_baseline_p99"])

# 5. SIGKILL under write load, then a start: the WAL left behind, and the time to READY=1.
wrk = webhooks(wrk_seconds)
time.sleep(wrk_seconds / 2)
daemon.kill()
daemon.wait()
wrk.kill()
wrk.communicate()
wal = database + "-wal"
results["wal_after_kill_mib"] = round(os.path.getsize(wal) / (1 << 20), 1) if os.path.exists(wal) else 0
daemon, ready = start_daemon()
results["start_after_kill_to_ready_s"] = round(ready, 3)
log("SIGKILL under webhook load: WAL left %.1f MiB; the next start READY=1 after %.2f s" % (results["wal_after_kill_mib"], ready))
stop(daemon)
with open(json_out, "w") as f:
    json.dump(results, f, indent=2)
