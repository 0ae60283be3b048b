#!/usr/bin/env python3
"""The web console in a real browser: Debian's Chromium driven by Selenium (never a downloaded browser).

  console-browser-test.py BIN_DIR

Starts leadrouterd (SQLite, [ui] enabled, a 1 s first-contact clock) on a temporary folder, posts
signed webhooks (one lead named <script>alert(1)</script>), then in headless Chromium: a supervisor
logs in with the keyboard, sees the overdue leads in Chinese, opens one and reassigns it with the
keyboard only, then opens the reps page and her to-do; the script-named lead shows as text and no alert fires; axe-core (bundled by the
axe-core-python package) finds no serious or critical violation on any page; every page is
screenshotted at 1280 px and 390 px into .build/ui-screenshots/ and checked non-blank. Exit status 1
on any failure, with what failed.
"""
import base64, hashlib, hmac, http.client, json, os, shutil, signal, socket, subprocess, sys, tempfile, time, urllib.request

import axe_core_python
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

bin_dir = sys.argv[1]
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
shots = os.path.join(root, ".build", "ui-screenshots")
failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what, flush=True)
    if not condition:
        failures.append(what)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


work = tempfile.mkdtemp(prefix="lr-browser.")
port = free_port()
secret = "whsec_" + base64.b64encode(os.urandom(24)).decode()
for name, text in [("site.secret", secret), ("admin.token", "admin-token-0123456789"), ("boss.token", "boss-token-0123456789abcd")]:
    with open(os.path.join(work, name), "w") as f:
        f.write(text + "\n")
with open(os.path.join(work, "leadrouter.toml"), "w") as f:
    f.write("""
[state]
directory = "state"
[http]
listen = "127.0.0.1:%d"
admin_token_file = "admin.token"
[log]
target = "stderr"
[intake]
duplicate_match = "off"
[ui]
enabled = true
[[webhook]]
name = "site"
format = "json"
secret_file = "site.secret"
[[rep]]
id = "zhang.wei"
name = "张伟"
email = "zhang.wei@example.com"
[[rep]]
id = "li.na"
name = "李娜"
email = "li.na@example.com"
token_file = "boss.token"
[[team]]
id = "east-china"
name = "华东"
members = ["zhang.wei"]
supervisor = "li.na"
[routing]
default = "east-china"
[[sla]]
name = "fast"
clock = "wall"
first_contact = "1s"
""" % port)
log = open(os.path.join(work, "daemon.log"), "w")
daemon = subprocess.Popen([os.path.join(bin_dir, "leadrouterd"), "--config", os.path.join(work, "leadrouter.toml")], stdout=log,
                          stderr=log, cwd=work)
driver = None
try:
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/readyz")
            if c.getresponse().status == 200:
                break
        except OSError:
            time.sleep(0.1)
    key = base64.b64decode(secret[len("whsec_"):])
    for i, (name, company) in enumerate([("王小明", "杭州某某贸易有限公司"), ("陈静", "苏州某某电子"), ("<script>alert(1)</script>", "测试")]):
        body = json.dumps({"name": name, "email": "b%d@example.cn" % i, "company": company}, ensure_ascii=False)
        ts = str(int(time.time()))
        mac = hmac.new(key, ("evt-%d.%s.%s" % (i, ts, body)).encode(), hashlib.sha256).digest()
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        c.request("POST", "/webhooks/site", body=body.encode(), headers={
            "Content-Type": "application/json", "webhook-id": "evt-%d" % i, "webhook-timestamp": ts,
            "webhook-signature": "v1," + base64.b64encode(mac).decode()})
        check(200 <= c.getresponse().status < 300, "webhook %d accepted" % i)
    base = "http://127.0.0.1:%d" % port
    headers = urllib.request.urlopen(base + "/ui/login").headers
    check("default-src 'self'" in (headers.get("Content-Security-Policy") or ""), "Content-Security-Policy on the console")

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/lib/chromium/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900", "--lang=zh-CN"]:
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(30)
    axe_source = open(os.path.join(os.path.dirname(axe_core_python.__file__), "axe.min.js"), encoding="utf-8").read()
    os.makedirs(shots, exist_ok=True)
    blank_size = None

    def audit(page):
        """axe-core on the current page: no serious or critical violation. Screenshots at both widths."""
        driver.execute_script(axe_source)
        result = driver.execute_async_script("const done = arguments[arguments.length - 1]; axe.run().then(done);")
        serious = [v["id"] for v in result["violations"] if v.get("impact") in ("serious", "critical")]
        check(not serious, "%s: no serious or critical accessibility violation %s" % (page, serious or ""))
        for width in (1280, 390):
            driver.set_window_size(width, 900)
            path = os.path.join(shots, "%s-%d.png" % (page, width))
            driver.save_screenshot(path)
            check(os.path.getsize(path) > 2 * blank_size, "%s at %d px is not blank (%d bytes)" % (page, width, os.path.getsize(path)))
        driver.set_window_size(1280, 900)

    driver.get("about:blank")
    blank_size = len(driver.get_screenshot_as_png())

    # Log in with the keyboard: the token, then Enter.
    driver.get(base + "/ui/login")
    audit("login")
    field = driver.find_element(By.ID, "token")
    field.send_keys("boss-token-0123456789abcd")
    field.send_keys(Keys.ENTER)
    deadline = time.time() + 10
    while time.time() < deadline and not driver.current_url.endswith("/ui"):
        time.sleep(0.1)
    check(driver.current_url.endswith("/ui"), "Enter in the token field logs in")
    if not driver.current_url.endswith("/ui"):
        print(driver.current_url, driver.page_source[:1500])
    deadline = time.time() + 20
    while time.time() < deadline and driver.page_source.count("(overdue ") < 3:
        time.sleep(0.3)
        driver.get(base + "/ui")
    page = driver.page_source
    check("王小明" in page and "陈静" in page and "已逾期" in page, "the supervisor sees the overdue leads in Chinese")
    check("&lt;script&gt;alert(1)&lt;/script&gt;" in page, "a lead named <script> shows as text")
    try:
        driver.switch_to.alert
        check(False, "no alert fired")
    except NoAlertPresentException:
        check(True, "no alert fired")
    audit("overview")

    # Open the first overdue lead and reassign it with the keyboard only.
    driver.find_element(By.PARTIAL_LINK_TEXT, "王小明").send_keys(Keys.ENTER)
    deadline = time.time() + 10
    while time.time() < deadline and "/ui/leads/" not in driver.current_url:
        time.sleep(0.1)
    check("/ui/leads/" in driver.current_url, "Enter on the lead's link opens its page")
    audit("lead")
    rep = driver.find_element(By.ID, "rep")
    rep.send_keys(Keys.DOWN)       # the second rep, 李娜 (the keyboard, not a click)
    reason = driver.find_element(By.ID, "why")
    reason.send_keys("休假交接")
    reason.send_keys(Keys.ENTER)
    deadline = time.time() + 10
    while time.time() < deadline and "m=" not in driver.current_url:
        time.sleep(0.1)
    page = driver.page_source
    check("已改派给 li.na" in page, "the reassignment is done and said so")
    check("manual: 休假交接 (by rep:li.na in the console)" in page, "the routing history names the supervisor")
    # The reps page (she supervises the team) and her to-do (the lead she took over).
    driver.get(base + "/ui/reps")
    check("下一位 next" in driver.page_source and "张伟 (zhang.wei)" in driver.page_source, "the reps page shows the rotation")
    audit("reps")
    driver.get(base + "/ui/me")
    check("王小明" in driver.page_source, "her to-do lists the lead she took over")
    audit("me")
    driver.get(base + "/ui/reports?name=response&days=30&by=rep")
    check("<svg" in driver.page_source and "business_median" in driver.page_source, "the response report with its chart")
    audit("reports")
finally:
    if driver:
        driver.quit()
    daemon.send_signal(signal.SIGTERM)
    try:
        daemon.wait(timeout=20)
    except subprocess.TimeoutExpired:
        daemon.kill()
    if failures:
        print(open(os.path.join(work, "daemon.log")).read()[-3000:])
    shutil.rmtree(work, ignore_errors=True)
print("console browser test: %d failure(s); screenshots in %s" % (len(failures), shots))
sys.exit(1 if failures else 0)
