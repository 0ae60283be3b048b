#!/usr/bin/env python3
"""A local stand-in for a chat robot or a webhook receiver on 127.0.0.1, for leadrouter's tests and
`scripts/run --mail-sink`: it checks each request the way the vendor does, with its own code (not
leadrouter's), records it, and answers like the vendor.

  channel-sink.py --port P --kind wecom|dingtalk|feishu|webhook --dir DIR [--key K] [--secret S]
                  [--tls CERT KEY] [--answers success,throttled,...] [--schemas DIR] [--print]

Each request is written to DIR/NNNNNN.json: path, query, headers, body (text), json, verified
(the signature or key checked out) and why not. --answers is the sequence of answers to give, the
last repeating: success, throttled, badsign, error5xx. A request that fails the check gets the
vendor's answer for it whatever --answers says. With --schemas (a webhook), each event is also
checked against DIR/TYPE.schema.json (jsonschema, Draft 2020-12): schema_ok, schema_error.
Prints "READY <port>" once listening.
"""
import argparse, base64, hashlib, hmac, http.server, json, os, signal, ssl, sys, threading, time, urllib.parse

ANSWERS = {
    # (HTTP status, body, extra headers), as the vendors document them.
    "wecom": {"success": (200, {"errcode": 0, "errmsg": "ok"}, {}),
              "throttled": (200, {"errcode": 45009, "errmsg": "api freq out of limit"}, {}),
              "badsign": (200, {"errcode": 93000, "errmsg": "invalid webhook url"}, {}),
              "error5xx": (502, "Bad Gateway", {})},
    "dingtalk": {"success": (200, {"errcode": 0, "errmsg": "ok"}, {}),
                 "throttled": (200, {"errcode": 130101, "errmsg": "send too fast, exceed 20 times per minute"}, {}),
                 "badsign": (200, {"errcode": 310000, "errmsg": "sign not match"}, {}),
                 "error5xx": (503, "Service Unavailable", {})},
    "feishu": {"success": (200, {"code": 0, "data": {}, "msg": "success"}, {}),
               "throttled": (200, {"code": 11232, "data": {}, "msg": "frequency limited psm[lark.oapi.app_platform_runtime]appID[1]"}, {}),
               "badsign": (200, {"code": 19021, "data": {}, "msg": "sign match fail or timestamp is not within one hour from current time"}, {}),
               "error5xx": (500, "Internal Server Error", {})},
    "webhook": {"success": (204, None, {}),
                "throttled": (429, "slow down", {"Retry-After": "1"}),
                "badsign": (401, "bad signature", {}),
                "error5xx": (503, "busy", {"Retry-After": "1"})},
}


def check(kind, args, path, query, headers, body):
    """(verified, why not): the vendor's own check, written from its documentation."""
    now = time.time()
    if kind == "wecom":
        if path != "/cgi-bin/webhook/send":
            return False, "wrong path %s" % path
        if query.get("key") != args.key:
            return False, "wrong key"
        return True, ""
    if kind == "dingtalk":
        if path != "/robot/send" or not query.get("access_token"):
            return False, "no access_token"
        if args.secret:
            ts, sign = query.get("timestamp"), query.get("sign")
            if not ts or not sign:
                return False, "unsigned"
            if abs(now * 1000 - int(ts)) > 3600 * 1000:
                return False, "timestamp more than an hour off"
            expected = base64.b64encode(hmac.new(args.secret.encode(), ("%s\n%s" % (ts, args.secret)).encode(), hashlib.sha256).digest()).decode()
            if not hmac.compare_digest(sign, expected):   # parse_qs already URL-decoded it
                return False, "sign mismatch"
        return True, ""
    if kind == "feishu":
        if not path.startswith("/open-apis/bot/v2/hook/"):
            return False, "wrong path %s" % path
        if args.secret:
            data = json.loads(body)
            ts, sign = data.get("timestamp"), data.get("sign")
            if not ts or not sign:
                return False, "unsigned"
            if abs(now - int(ts)) > 3600:
                return False, "timestamp more than an hour off"
            expected = base64.b64encode(hmac.new(("%s\n%s" % (ts, args.secret)).encode(), b"", hashlib.sha256).digest()).decode()
            if not hmac.compare_digest(sign, expected):
                return False, "sign mismatch"
        return True, ""
    # Standard Webhooks: v1,base64(HMAC-SHA256(key, "id.timestamp.body")), the key the base64 after whsec_.
    wid, wts, wsig = headers.get("webhook-id"), headers.get("webhook-timestamp"), headers.get("webhook-signature")
    if not wid or not wts or not wsig:
        return False, "missing webhook-id, webhook-timestamp or webhook-signature"
    if abs(now - int(wts)) > 300:
        return False, "timestamp more than five minutes off"
    secret = args.secret or ""
    key = base64.b64decode(secret[6:]) if secret.startswith("whsec_") else secret.encode()
    expected = base64.b64encode(hmac.new(key, ("%s.%s.%s" % (wid, wts, body)).encode(), hashlib.sha256).digest()).decode()
    if not any(hmac.compare_digest(part[3:], expected) for part in wsig.split(" ") if part.startswith("v1,")):
        return False, "signature mismatch"
    return True, ""


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--kind", required=True, choices=sorted(ANSWERS))
    p.add_argument("--dir", required=True)
    p.add_argument("--key")
    p.add_argument("--secret")
    p.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    p.add_argument("--answers", default="success")
    p.add_argument("--schemas")
    p.add_argument("--print", action="store_true")
    args = p.parse_args()

    def schema_check(parsed):
        """(ok, error) for an event against its type's schema."""
        import jsonschema
        if not isinstance(parsed, dict) or "type" not in parsed:
            return False, "not an event"
        path = os.path.join(args.schemas, "%s.schema.json" % parsed["type"])
        if not os.path.exists(path):
            return False, "no schema for %s" % parsed["type"]
        with open(path) as f:
            schema = json.load(f)
        try:
            jsonschema.validate(parsed, schema, format_checker=jsonschema.FormatChecker())
            return True, ""
        except jsonschema.ValidationError as error:
            return False, error.message
    os.makedirs(args.dir, exist_ok=True)
    answers = args.answers.split(",")
    lock = threading.Lock()
    state = {"count": 0}

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            body = raw.decode("utf-8", "replace")
            url = urllib.parse.urlsplit(self.path)
            query = {k: v[0] for k, v in urllib.parse.parse_qs(url.query, keep_blank_values=True).items()}
            headers = {k.lower(): v for k, v in self.headers.items()}
            try:
                verified, why = check(args.kind, args, url.path, query, headers, body)
                parsed = json.loads(body)
            except Exception as error:
                verified, why, parsed = False, "unreadable: %s" % error, None
            with lock:
                state["count"] += 1
                n = state["count"]
                answer = answers[min(n, len(answers)) - 1] if verified else "badsign"
            record = {"path": url.path, "query": query, "headers": headers, "body": body, "json": parsed, "verified": verified,
                      "why": why, "answer": answer}
            if args.schemas:
                record["schema_ok"], record["schema_error"] = schema_check(parsed)
            with open(os.path.join(args.dir, "%06d.tmp" % n), "w") as f:
                json.dump(record, f, ensure_ascii=False)
            os.rename(os.path.join(args.dir, "%06d.tmp" % n), os.path.join(args.dir, "%06d.json" % n))
            if args.print:
                shown = parsed.get("text", parsed.get("markdown", parsed)) if isinstance(parsed, dict) else body
                print("---- %s robot message %d (%s): %s" % (args.kind, n, "signature ok" if verified else why,
                                                          json.dumps(shown, ensure_ascii=False)), flush=True)
            status, payload, extra = ANSWERS[args.kind][answer]
            data = b"" if payload is None else (json.dumps(payload).encode() if isinstance(payload, dict) else payload.encode())
            self.send_response(status)
            for name, value in extra.items():
                self.send_header(name, value)
            if data:
                self.send_header("Content-Type", "application/json" if isinstance(payload, dict) else "text/plain")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *a):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    if args.tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*args.tls)
        # The handshake happens in each connection's thread, not in the accepting main thread, so
        # the main thread never blocks on a client and SIGTERM is handled at once.
        server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    # Never outlive the test that started it: exit when the parent process is gone.
    parent = os.getppid()

    def watch_parent():
        while True:
            if os.getppid() != parent:
                os._exit(0)
            time.sleep(0.5)
    threading.Thread(target=watch_parent, daemon=True).start()
    # Every record is written whole (a temporary file renamed), so a stop may be immediate: no
    # waiting for a handshake or a keep-alive connection to end.
    signal.signal(signal.SIGTERM, lambda *a: os._exit(0))
    print("READY %d" % args.port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
