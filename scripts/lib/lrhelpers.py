"""What the Python test and benchmark drivers in scripts/lib share: a free port on 127.0.0.1, waiting
for a daemon's /readyz, and posting a lead signed the Standard Webhooks way."""
import base64, hashlib, hmac, http.client, socket, time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(port, timeout=60, alive=lambda: True):
    """True once GET /readyz answers 200; False after `timeout` seconds or when `alive()` turns false."""
    end = time.time() + timeout
    while time.time() < end:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/readyz")
            if c.getresponse().status == 200:
                return True
        except OSError:
            pass
        if not alive():
            return False
        time.sleep(0.1)
    return False


def post_signed(port, path, key, event, body, timeout=5):
    """POSTs `body` (str) to `path`, signed with `key` (bytes): webhook-id, -timestamp, -signature. Returns the status."""
    ts = str(int(time.time()))
    mac = hmac.new(key, ("%s.%s.%s" % (event, ts, body)).encode(), hashlib.sha256).digest()
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    c.request("POST", path, body=body.encode(), headers={
        "Content-Type": "application/json", "webhook-id": event, "webhook-timestamp": ts,
        "webhook-signature": "v1," + base64.b64encode(mac).decode()})
    return c.getresponse().status
