#!/usr/bin/env python3
"""scripts/cluster-test's driver: several leadrouterd on one PostgreSQL, killed with SIGKILL.

  cluster-test.py BIN_DIR SOCKET [--instances 3] [--seconds 180] [--kill-every 15] [--seed N]

One database on the PostgreSQL whose unix socket is SOCKET, one SMTP sink (scripts/lib/smtp-sink.py),
N daemons on their own ports and mail-drops with a fast wall-clock SLA. Signed webhooks are spread
over the nodes (a failed request is retried on another node with the same event id); files are
dropped into each node's mail-drop; every KILL_EVERY seconds a node (the leader at least twice) is
killed with SIGKILL and started again. After the run and quiescence, the invariants are checked in
the database and the sink. Prints the totals and each violation; exit status 1 when any.
"""
import argparse, base64, glob, hashlib, hmac, http.client, json, os, random, re, signal, subprocess, sys, tempfile, threading, time, uuid

parser = argparse.ArgumentParser()
parser.add_argument("bin_dir")
parser.add_argument("socket")
parser.add_argument("--instances", type=int, default=3)
parser.add_argument("--seconds", type=int, default=180)
parser.add_argument("--kill-every", type=float, default=15)
parser.add_argument("--seed", type=int, default=int(time.time()))
parser.add_argument("--keep", action="store_true", help="keep the work folder and database")
args = parser.parse_args()
rng = random.Random(args.seed)
socket_dir = os.path.dirname(args.socket)
here = os.path.dirname(os.path.abspath(__file__))
work = tempfile.mkdtemp(prefix="lr-cluster.")
database = "cluster_%d_%d" % (os.getpid(), args.seed % 100000)
started_at = time.time()
violations = []
lock = threading.Lock()


def log(text):
    print("[%6.1fs] %s" % (time.time() - started_at, text), flush=True)


def psql(sql, db=None):
    out = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-F", "\t", "-h", socket_dir, "-p", args.socket.rsplit(".", 1)[-1],
                          "-U", "leadrouter", "-d", db or database, "-c", sql], capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError("psql: %s: %s" % (sql[:80], out.stderr.strip()))
    return [line.split("\t") for line in out.stdout.splitlines() if line != ""]


from lrhelpers import free_port, post_signed, wait_ready


# ---- the parts -----------------------------------------------------------------------------------
psql("CREATE DATABASE %s" % database, db="postgres")
sink_dir = os.path.join(work, "sink")
os.makedirs(sink_dir)
sink_port = free_port()
sink = subprocess.Popen([sys.executable, os.path.join(here, "smtp-sink.py"), "--port", str(sink_port), "--dir", sink_dir],
                        stdout=subprocess.PIPE, text=True)
assert sink.stdout.readline().startswith("READY"), "the SMTP sink did not start"

secret = "whsec_" + base64.b64encode(os.urandom(24)).decode()
with open(os.path.join(work, "hook.secret"), "w") as f:
    f.write(secret + "\n")
key = base64.b64decode(secret[len("whsec_"):])
# The daily to-do mail at the first whole minute at least 15 s away (Asia/Shanghai), so one goes
# out while the nodes run (quiescence waits for it).
digest_epoch = (int(time.time() + 15) // 60 + 1) * 60
digest_at = time.strftime("%H:%M", time.gmtime(digest_epoch + 8 * 3600))


class Node:
    def __init__(self, index):
        self.index = index
        self.port = free_port()
        self.folder = os.path.join(work, "node%d" % index)
        self.drop = os.path.join(self.folder, "drop")
        os.makedirs(self.folder)
        self.config = os.path.join(self.folder, "leadrouter.toml")
        with open(self.config, "w") as f:
            f.write(CONFIG % {"socket": args.socket, "database": database, "port": self.port, "sink": sink_port,
                              "secret": os.path.join(work, "hook.secret"), "digest_at": digest_at})
        self.process = None
        self.log = open(os.path.join(self.folder, "daemon.log"), "a")

    def start(self):
        self.process = subprocess.Popen([os.path.join(args.bin_dir, "leadrouterd"), "--config", self.config],
                                        stdout=self.log, stderr=self.log, cwd=self.folder)

    @property
    def alive(self):
        return self.process is not None and self.process.poll() is None

    @property
    def name(self):
        return "%s/%d" % (os.uname().nodename, self.process.pid) if self.process else "-"

    def wait_ready(self, deadline=60):
        return wait_ready(self.port, deadline, alive=lambda: self.alive)


CONFIG = """
[state]
directory = "state"
[store]
backend = "postgresql"
socket = "%(socket)s"
database = "%(database)s"
user = "leadrouter"
pool = 6
[http]
listen = "127.0.0.1:%(port)d"
[log]
level = "info"
target = "stderr"
[scheduler]
max_sleep = "2s"
[smtp]
url = "smtp://127.0.0.1:%(sink)d"
from = "leadrouter@example.com"
starttls = "off"
lease = "15s"
retry_base = "2s"
[intake]
duplicate_match = "off"
[[maildrop]]
name = "drop"
path = "drop"
[[webhook]]
name = "site"
format = "json"
secret_file = "%(secret)s"
[[rep]]
id = "r1"
name = "王一"
email = "r1@example.com"
[[rep]]
id = "r2"
name = "李二"
email = "r2@example.com"
[[rep]]
id = "r3"
name = "张三"
email = "r3@example.com"
[[team]]
id = "t"
members = ["r1", "r2", "r3"]
supervisor = "boss@example.com"
[routing]
default = "t"
[[calendar]]
id = "always"
zone = "Asia/Shanghai"
always = true
[digest]
at = "%(digest_at)s"
calendar = "always"
[[sla]]
name = "fast"
clock = "wall"
first_contact = "20s"
[[sla.escalation]]
clock = "first_contact"
at = "-10s"
actions = ["remind_owner"]
[[sla.escalation]]
clock = "first_contact"
at = "5s"
actions = ["notify_supervisor"]
"""

nodes = [Node(i) for i in range(args.instances)]
for node in nodes:
    node.start()
for node in nodes:
    if not node.wait_ready():
        sys.exit("node %d did not become ready: see %s" % (node.index, node.log.name))
log("%d nodes ready on one database; SMTP sink on %d; seed %d; digest at %s Asia/Shanghai" % (len(nodes), sink_port, args.seed, digest_at))

# ---- load ------------------------------------------------------------------------------------------
acked = set()          # webhook event ids a node answered 2xx
dropped = set()        # mail-drop file names
stop_load = threading.Event()
requests_sent = [0]


def post(node, event, body):
    return post_signed(node.port, "/webhooks/site", key, event, body)


def webhooks(worker):
    local = random.Random(args.seed * 1000 + worker)
    while not stop_load.is_set():
        event = "evt-%s" % uuid.UUID(int=local.getrandbits(128))
        n = local.randrange(10 ** 8)
        body = json.dumps({"name": "客户%d" % n, "email": "c%d@example.cn" % n, "phone": "139%08d" % n, "province": "浙江"},
                          ensure_ascii=False)
        order = local.sample(nodes, len(nodes))
        for attempt in range(12):   # another node on failure, same event id
            node = order[attempt % len(order)]
            try:
                status = post(node, event, body)
                if 200 <= status < 300:
                    with lock:
                        acked.add(event)
                    break
            except OSError:
                pass
            time.sleep(0.2)
        with lock:
            requests_sent[0] += 1
        time.sleep(local.uniform(0.05, 0.25))


def maildrops():
    local = random.Random(args.seed * 7)
    n = 0
    while not stop_load.is_set():
        node = local.choice(nodes)
        n += 1
        name = "%d.M%dP%dQ%d.cluster-test" % (int(time.time()), n, os.getpid(), local.randrange(10 ** 6))
        tmp = os.path.join(node.drop, "tmp", name)
        os.makedirs(os.path.dirname(tmp), exist_ok=True)
        os.makedirs(os.path.join(node.drop, "new"), exist_ok=True)
        with open(tmp, "wb") as f:
            f.write(("From: 客户 <mail%d@example.cn>\r\nTo: sales@example.com\r\nSubject: =?UTF-8?B?%s?=\r\n"
                     "Message-ID: <m%d.%d@example.cn>\r\nDate: Tue, 01 Dec 2026 10:00:00 +0800\r\n"
                     "Content-Type: text/plain; charset=utf-8\r\n\r\n我想了解产品价格。电话 13800138%03d\r\n"
                     % (n, base64.b64encode(("询价 %d" % n).encode()).decode(), n, args.seed, n % 1000)).encode())
            f.flush()
            os.fsync(f.fileno())
        os.rename(tmp, os.path.join(node.drop, "new", name))
        with lock:
            dropped.add(name)
        time.sleep(local.uniform(0.3, 0.8))


# ---- the leader, watched ---------------------------------------------------------------------------
leader_log = []   # (time, node or None)
stop_watch = threading.Event()


def watch_leader():
    while not stop_watch.is_set():
        try:
            rows = psql("SELECT node FROM leader WHERE role = 'periodic' AND expires_at > EXTRACT(EPOCH FROM now())")
            current = rows[0][0] if rows else None
            if not leader_log or leader_log[-1][1] != current:
                leader_log.append((time.time(), current))
        except RuntimeError:
            pass
        # Never two nodes believing they lead at once: their /metrics gauges, sampled together.
        leading = []
        for node in nodes:
            if not node.alive:
                continue
            try:
                c = http.client.HTTPConnection("127.0.0.1", node.port, timeout=1)
                c.request("GET", "/metrics")
                text = c.getresponse().read().decode()
                if re.search(r"^leadrouter_leader 1(\.0)?$", text, re.M):
                    leading.append(node.index)
            except OSError:
                pass
        if len(leading) > 1:
            leader_log.append((time.time(), "TWO:%s" % leading))
        time.sleep(0.5)


threads = [threading.Thread(target=webhooks, args=(w,), daemon=True) for w in range(4)]
threads.append(threading.Thread(target=maildrops, daemon=True))
watcher = threading.Thread(target=watch_leader, daemon=True)
for t in threads + [watcher]:
    t.start()

# ---- kills -----------------------------------------------------------------------------------------
kills = []        # (time, node index, was leader)
leader_kills = 0
next_kill = time.time() + args.kill_every
end = started_at + args.seconds
while time.time() < end:
    time.sleep(0.2)
    if time.time() < next_kill:
        continue
    next_kill = time.time() + args.kill_every
    current = leader_log[-1][1] if leader_log else None
    # The leader on the first and every third kill (at least twice in any run of 4+ kills).
    target = None
    if len(kills) % 3 == 0 and current:
        target = next((n for n in nodes if n.alive and n.name == current), None)
    target = target or rng.choice([n for n in nodes if n.alive])
    was_leader = target.name == current
    leader_kills += was_leader
    os.kill(target.process.pid, signal.SIGKILL)
    target.process.wait()
    kills.append((time.time(), target.index, was_leader, target.name))
    log("SIGKILL node %d (%s)%s" % (target.index, target.name, ", the leader" if was_leader else ""))
    time.sleep(rng.uniform(0.5, 2.0))
    target.start()
    if not target.wait_ready():
        violations.append("node %d did not come back after a kill" % target.index)

stop_load.set()
for t in threads:
    t.join(timeout=15)
log("load stopped: %d webhooks acknowledged (of %d sent), %d files dropped, %d kills (%d of the leader)"
    % (len(acked), requests_sent[0], len(dropped), len(kills), leader_kills))

# ---- quiescence --------------------------------------------------------------------------------------
for node in nodes:
    if not node.alive:
        node.start()
        node.wait_ready()
quiet_deadline = time.time() + 120
while time.time() < quiet_deadline:
    left = sum(len(os.listdir(os.path.join(n.drop, "new"))) for n in nodes if os.path.isdir(os.path.join(n.drop, "new")))
    busy = psql("""SELECT
        (SELECT COUNT(*) FROM deadlines WHERE state = 'pending' AND due_at <= EXTRACT(EPOCH FROM now())::BIGINT - 2),
        (SELECT COUNT(*) FROM outbox WHERE state = 'sending' OR (state = 'pending' AND next_attempt_at <= EXTRACT(EPOCH FROM now())::BIGINT)),
        (SELECT COUNT(*) FROM deadlines WHERE state = 'pending')""")[0]
    if left == 0 and busy[0] == "0" and busy[1] == "0" and busy[2] == "0" and time.time() > digest_epoch + 10:
        break
    time.sleep(1)
log("quiet after %.0f s" % (time.time() - (quiet_deadline - 120)))

# Before stopping: nothing left pending past lease + tick, nothing sending past its lease.
late = psql("SELECT COUNT(*) FROM deadlines WHERE state = 'pending' AND due_at < EXTRACT(EPOCH FROM now())::BIGINT - 30")[0][0]
if late != "0":
    violations.append("%s deadline rows still pending 30 s past due" % late)
stuck = psql("SELECT COUNT(*) FROM outbox WHERE state = 'sending' AND lease_until < EXTRACT(EPOCH FROM now())::BIGINT")[0][0]
if stuck != "0":
    violations.append("%s outbox rows sending past their lease" % stuck)
left = sum(len(os.listdir(os.path.join(n.drop, "new"))) for n in nodes if os.path.isdir(os.path.join(n.drop, "new")))
if left:
    violations.append("%d mail-drop files never taken" % left)

stop_watch.set()
watcher.join(timeout=5)
for node in nodes:
    node.process.send_signal(signal.SIGTERM)
for node in nodes:
    try:
        node.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        violations.append("node %d did not stop on SIGTERM" % node.index)
        node.process.kill()
sink.send_signal(signal.SIGTERM)
sink.wait(timeout=10)

# ---- invariants ----------------------------------------------------------------------------------------
webhook_keys = {r[0] for r in psql("SELECT origin_key FROM captures WHERE origin_channel = 'webhook' AND activity_id IS NULL")}
webhook_keys |= {r[0] for r in psql("SELECT origin_key FROM quarantine WHERE origin_channel = 'webhook'")}
missing = acked - webhook_keys
if missing:
    violations.append("%d acknowledged webhooks are no lead or quarantine entry (e.g. %s)" % (len(missing), sorted(missing)[:3]))
file_keys = {r[0] for r in psql("SELECT origin_key FROM captures WHERE origin_channel = 'maildrop' AND activity_id IS NULL")}
file_keys |= {r[0] for r in psql("SELECT origin_key FROM quarantine WHERE origin_channel = 'maildrop'")}
missing_files = dropped - file_keys
if missing_files:
    violations.append("%d dropped files are no lead or quarantine entry (e.g. %s)" % (len(missing_files), sorted(missing_files)[:3]))
twice = psql("SELECT origin_channel, origin_key, COUNT(*) FROM leads GROUP BY 1, 2 HAVING COUNT(*) > 1")
if twice:
    violations.append("%d inputs made two leads" % len(twice))
two_owners = psql("SELECT lead_id FROM assignments WHERE ended_at IS NULL GROUP BY lead_id HAVING COUNT(*) > 1")
if two_owners:
    violations.append("%d leads with two current owners" % len(two_owners))
owned_and_held = psql("SELECT l.id FROM leads l JOIN held_leads h ON h.lead_id = l.id WHERE l.owner_rep_id IS NOT NULL")
if owned_and_held:
    violations.append("%d leads both owned and held" % len(owned_and_held))
spread = {r[0]: int(r[1]) for r in psql("""
    SELECT rep_id, COUNT(*) FROM routing_decisions WHERE team_id = 't' AND rep_id IS NOT NULL AND NOT manual GROUP BY rep_id""")}
if spread and max(spread.values()) - min(spread.values()) > 1:
    violations.append("round-robin spread %s > 1: %s" % (max(spread.values()) - min(spread.values()), spread))
decided_twice = psql("""
    SELECT lead_id, data::jsonb->>'clock', data::jsonb->>'cycle', data::jsonb->>'level', COUNT(*) FROM events
    WHERE kind IN ('sla.breach', 'sla.warning', 'sla.escalation', 'sla.cancelled') GROUP BY 1, 2, 3, 4 HAVING COUNT(*) > 1""")
if decided_twice:
    violations.append("%d deadline levels decided twice" % len(decided_twice))

# Mail: copies per Message-ID ≤ attempts; extra copies ≤ kills × senders.
outbox = {int(r[0]): (r[1], int(r[2]), r[3], r[4]) for r in psql("SELECT id, kind, attempts, recipient, state FROM outbox")}
copies = {}
for path in glob.glob(os.path.join(sink_dir, "*.eml")):
    with open(path, "rb") as f:
        head = f.read(8192).decode("utf-8", "replace")
    match = re.search(r"^Message-ID: <leadrouter\.outbox-(\d+)\.", head, re.M | re.I)
    if match:
        copies[int(match.group(1))] = copies.get(int(match.group(1)), 0) + 1
senders = 2
for outbox_id, count in copies.items():
    attempts = outbox.get(outbox_id, ("?", 0, "", ""))[1]
    if count > max(attempts, 1):
        violations.append("outbox %d: %d copies with %d attempts" % (outbox_id, count, attempts))
extra = sum(c - 1 for c in copies.values())
if extra > len(kills) * senders:
    violations.append("%d extra mail copies > %d kills × %d senders" % (extra, len(kills), senders))
sent = sum(1 for v in outbox.values() if v[3] == "sent")
unsent = [i for i, v in outbox.items() if v[3] == "sent" and i not in copies]
if unsent:
    violations.append("%d messages marked sent never reached the SMTP server" % len(unsent))
digests = psql("SELECT recipient, day, COUNT(*) FROM daily_digests GROUP BY 1, 2 HAVING COUNT(*) > 1")
if digests:
    violations.append("%d recipients got two daily digests for one day" % len(digests))
digest_mail = {}
for outbox_id, count in copies.items():
    kind, _, recipient, _ = outbox.get(outbox_id, ("", 0, "", ""))
    if kind.startswith("digest.daily"):
        digest_mail[recipient] = digest_mail.get(recipient, 0) + 1
digest_rows = int(psql("SELECT COUNT(*) FROM daily_digests")[0][0])
if digest_rows == 0:
    violations.append("no daily digest went out at %s" % digest_at)
for recipient, count in digest_mail.items():
    if count > 1:
        violations.append("%s received %d daily digests" % (recipient, count))

# Leaders: never two at once; a new one within about 20 s of the old one's death.
if any(str(node).startswith("TWO:") for _, node in leader_log):
    violations.append("two nodes reported leading at once: %s" % [n for _, n in leader_log if str(n).startswith("TWO:")])
takeovers = []
for at, index, was_leader, name in kills:
    if not was_leader:
        continue
    after = next((t for t, n in leader_log if t > at and n and n != name and not str(n).startswith("TWO:")), None)
    if after is None:
        violations.append("no new leader after the leader (node %d) was killed" % index)
    else:
        takeovers.append(after - at)
        if after - at > 25:
            violations.append("a new leader %.1f s after the leader's death (> 25 s)" % (after - at))

totals = psql("""SELECT (SELECT COUNT(*) FROM leads), (SELECT COUNT(*) FROM quarantine), (SELECT COUNT(*) FROM escalations),
                        (SELECT COUNT(*) FROM outbox WHERE state = 'sent'), (SELECT COUNT(*) FROM outbox WHERE state = 'dead')""")[0]
summary = {
    "seconds": args.seconds, "instances": args.instances, "seed": args.seed, "kills": len(kills), "leader_kills": leader_kills,
    "webhooks_acknowledged": len(acked), "files_dropped": len(dropped), "leads": int(totals[0]), "quarantined": int(totals[1]),
    "escalations": int(totals[2]), "mail_sent": int(totals[3]), "mail_dead": int(totals[4]), "mail_received": sum(copies.values()),
    "extra_copies": extra, "round_robin": spread, "daily_digests": digest_rows, "digest_mail": len(digest_mail),
    "takeover_seconds": [round(t, 1) for t in takeovers], "violations": len(violations),
}
log("totals: " + json.dumps(summary, ensure_ascii=False))
for v in violations:
    log("VIOLATION: " + v)
if not args.keep:
    subprocess.run(["rm", "-rf", work])
    psql("DROP DATABASE %s WITH (FORCE)" % database, db="postgres")
else:
    log("kept %s and database %s" % (work, database))
sys.exit(1 if violations else 0)
