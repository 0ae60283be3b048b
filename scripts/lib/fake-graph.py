#!/usr/bin/env python3
"""A local stand-in for Meta's Graph API lead endpoint (GET /{version}/{leadgen-id}), for tests.

    fake-graph.py CONTROL_DIR

Listens on 127.0.0.1 (a free port, written to CONTROL_DIR/port when ready). Each lead's answers
are scripted in CONTROL_DIR/<leadgen-id>.json: a list of responses given in order (the last one
repeats), each {"status": 200, "body": {...}} and optionally "hold": "NAME" (answer only once the
file CONTROL_DIR/NAME exists: a slow Graph API under the test's control). A request without the
expected token (CONTROL_DIR/token) gets Meta's expired-token error (code 190). Every request is
appended to CONTROL_DIR/requests.log as "<leadgen-id> <token-ok>".
"""
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse, parse_qs

CONTROL = sys.argv[1]
counts = {}
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        url = urlparse(self.path)
        lead = url.path.rstrip("/").split("/")[-1]
        token = parse_qs(url.query).get("access_token", [""])[0]
        with open(os.path.join(CONTROL, "token")) as f:
            ok = token == f.read().strip()
        with lock:
            with open(os.path.join(CONTROL, "requests.log"), "a") as log:
                log.write(f"{lead} {'ok' if ok else 'bad-token'}\n")
            n = counts.get(lead, 0)
            counts[lead] = n + 1
        if not ok:
            return self.answer(400, {"error": {"message": "Error validating access token: Session has expired.",
                                               "type": "OAuthException", "code": 190, "error_subcode": 463,
                                               "fbtrace_id": "AbCdEf"}})
        script = os.path.join(CONTROL, f"{lead}.json")
        if not os.path.exists(script):
            return self.answer(400, {"error": {"message": f"Unsupported get request. Object with ID '{lead}' does not exist",
                                               "type": "GraphMethodException", "code": 100, "error_subcode": 33}})
        with open(script) as f:
            responses = json.load(f)
        response = responses[min(n, len(responses) - 1)]
        if "hold" in response:
            while not os.path.exists(os.path.join(CONTROL, response["hold"])):
                time.sleep(0.05)
        self.answer(response.get("status", 200), response.get("body", {}))

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(os.path.join(CONTROL, "port.tmp"), "w") as f:
    f.write(str(server.server_address[1]))
os.rename(os.path.join(CONTROL, "port.tmp"), os.path.join(CONTROL, "port"))
server.serve_forever()
