#!/usr/bin/env python
"""Load and fault run: 43 force leads saving and submitting answers while 20 portfolio staff load
the dashboard, for 60 seconds against gunicorn and PostgreSQL on 127.0.0.1; 20 seconds in,
PostgreSQL is stopped for 10 seconds and started again.

It then checks that every answer the server acknowledged is in the database with its exact text,
that no answer was half-written (versions contiguous, one current and at most one latest-submitted
per answer), and that requests failed only inside the fault window, with the service's error page.

Run: make loadtest  (or .venv/bin/python bench/load_fault.py). Loopback only; bounded in time;
stops everything it started and drops its database. Needs root (to stop and start PostgreSQL).
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PORT = int(os.environ.get("LOAD_PORT", "8877"))
BASE = f"http://127.0.0.1:{PORT}"
DB = "tracker_loadtest"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DB}"
DEMO_REPORT = "tvip-super-complaint"  # the demo report whose answers the leads save
DURATION, FAULT_AT, FAULT_FOR = 60.0, 20.0, 10.0
LEADS, STAFF = 43, 20
CLUSTER = subprocess.run(["bash", "-c", "ls /etc/postgresql | head -n1"], capture_output=True, text=True).stdout.strip()

ENV = {
    **os.environ,
    "DATABASE_URL": DATABASE_URL,
    "DEBUG": "0",
    "SECRET_KEY": "load-test-only-" + secrets.token_hex(24),
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "SECURE_HSTS_SECONDS": "0",
    "STATIC_ROOT": "/tmp/tracker-loadtest-static",
    "AXES_FAILURE_LIMIT": "1000",
}


def manage(*args, debug=False):
    env = {**ENV, "DEBUG": "1"} if debug else ENV
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def pg(action: str) -> None:
    subprocess.run(
        [
            "pg_ctlcluster",
            "--skip-systemctl-redirect",
            CLUSTER,
            "main",
            action,
            *(["-m", "fast"] if action == "stop" else []),
        ],
        check=True,
    )


class Session:
    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        headers = {"Referer": BASE + path}
        try:
            with self.opener.open(
                urllib.request.Request(BASE + path, data=body, headers=headers), timeout=30
            ) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode(errors="replace")

    def csrf(self):
        return next((cookie.value for cookie in self.jar if cookie.name == "csrftoken"), "")

    def sign_in(self, username):
        self.request("/accounts/login/")
        status, headers, _ = self.request(
            "/accounts/login/", {"username": username, "password": "tracker-demo", "csrfmiddlewaretoken": self.csrf()}
        )
        return status == 302


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

    def http_error_302(self, req, fp, code, msg, headers):
        return fp


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.statuses: Counter = Counter()
        self.errors_outside_window: list[str] = []
        self.errors_in_window = 0
        self.error_pages_ok = 0
        self.acknowledged: list[tuple[str, str, str]] = []  # (force slug, reference, narrative)
        self.ok_after_recovery = 0
        self.client_errors: list[str] = []

    def record(self, status, body, started, fault, path="", t0=None):
        finished = time.monotonic() - t0 if t0 is not None else started
        with self.lock:
            self.statuses[status] += 1
            if 400 <= status < 500 and status not in (404,):
                self.client_errors.append(f"{status} {path} at {started:.1f}s")
            if status >= 500:
                # In the window if the request was in flight at any moment PostgreSQL was down
                # (or in the few seconds its workers take to reconnect afterwards).
                if finished >= fault["start"] and started <= fault["end"] + 5:
                    self.errors_in_window += 1
                    self.error_pages_ok += "Sorry, there is a problem with the service" in body
                else:
                    self.errors_outside_window.append(f"{status} at {started:.1f}s")
            elif fault["end"] and fault["end"] != float("inf") and started > fault["end"]:
                self.ok_after_recovery += 1


def _signed_in(username, stop):
    """A session signed in as `username`, retried until it works or the run stops (None)."""
    session = Session()
    while not session.sign_in(username):
        if stop.is_set():
            return None
        time.sleep(0.5)
    return session


def lead_worker(username, slug, round_slug, references, results, fault, t0, stop):
    session = _signed_in(username, stop)
    if session is not None:
        lead_loop(session, slug, round_slug, references, results, fault, t0, stop, submit_every=6)


def staff_worker(results, fault, t0, stop):
    session = _signed_in("portfolio", stop)
    if session is not None:
        staff_loop(session, results, fault, t0, stop)


def lead_loop(session, slug, round_slug, references, results, fault, t0, halt, submit_every):
    """A signed-in lead until `halt`: open an answer, save it, and submit the return every
    `submit_every` saves (here and in bench/load_cluster.py)."""
    iteration = 0
    while not halt.is_set():
        reference = references[iteration % len(references)]
        path = f"/forces/{slug}/rounds/{round_slug}/answers/{DEMO_REPORT}/{reference}/"
        started = time.monotonic() - t0
        status, _, body = session.request(path)
        results.record(status or 599, body, started, fault, path, t0)
        match = re.search(r'name="version" value="(\d+)"', body)
        if status != 200 or not match:
            time.sleep(0.2)
            continue
        narrative = f"{slug} iteration {iteration} {os.urandom(6).hex()}: مرحبا 🚓 <b>kept as typed</b>"
        data = {
            "csrfmiddlewaretoken": session.csrf(),
            "status": "in_progress",
            "narrative": narrative,
            "evidence": "",
            "not_applicable_reason": "",
            "version": match.group(1),
            "continue": "1",
        }
        started = time.monotonic() - t0
        status, _, body = session.request(path, data)
        results.record(status or 599, body, started, fault, "POST " + path, t0)
        if status == 302:
            with results.lock:
                results.acknowledged.append((slug, reference, narrative))
        if iteration % submit_every == submit_every - 1:
            started = time.monotonic() - t0
            status, _, body = session.request(
                f"/forces/{slug}/rounds/{round_slug}/check/", {"csrfmiddlewaretoken": session.csrf()}
            )
            results.record(status or 599, body, started, fault, "POST check", t0)
        iteration += 1


def staff_loop(session, results, fault, t0, halt):
    while not halt.is_set():
        started = time.monotonic() - t0
        status, _, body = session.request("/dashboard/")
        results.record(status or 599, body, started, fault, "/dashboard/", t0)


def verify(acknowledged):
    """Run inside Django against the load-test database."""
    script = r"""
import json, sys
from collections import defaultdict
from recommendations.models import StatusUpdate
acknowledged = json.load(sys.stdin)
stored = set(StatusUpdate.objects.values_list("force__slug", "recommendation__reference", "narrative"))
missing = [a for a in acknowledged if tuple(a) not in stored]
chains = defaultdict(list)
problems = []
for row in StatusUpdate.objects.values("round_id", "force_id", "recommendation_id", "version", "is_current", "is_latest_submitted"):
    chains[(row["round_id"], row["force_id"], row["recommendation_id"])].append(row)
for key, rows in chains.items():
    versions = sorted(r["version"] for r in rows)
    if versions != list(range(1, len(versions) + 1)):
        problems.append(f"versions not contiguous for {key}: {versions}")
    if sum(r["is_current"] for r in rows) != 1:
        problems.append(f"not exactly one current version for {key}")
    if sum(r["is_latest_submitted"] for r in rows) > 1:
        problems.append(f"more than one latest submitted for {key}")
print(json.dumps({"acknowledged": len(acknowledged), "missing": len(missing), "stored_versions": StatusUpdate.objects.count(), "problems": problems[:10]}))
"""
    import json

    result = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=ENV,
        input=json.dumps(acknowledged),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    if os.geteuid() != 0:
        print("Needs root to stop and start PostgreSQL.", file=sys.stderr)
        return 2
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB], check=True)
    server = None
    try:
        manage("migrate", "--noinput")
        manage("load_demo_data", debug=True)
        manage("collectstatic", "--noinput")
        server = subprocess.Popen(
            [
                GUNICORN,
                "tracker.wsgi",
                "--bind",
                f"127.0.0.1:{PORT}",
                "--workers",
                "4",
                "--timeout",
                "30",
                "--graceful-timeout",
                "5",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=ENV,
            start_new_session=True,
        )
        for _ in range(50):
            try:
                urllib.request.urlopen(BASE + "/accounts/login/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        round_slug = (
            subprocess.run(
                [
                    PYTHON,
                    "manage.py",
                    "shell",
                    "-c",
                    "from recommendations.models import Round; print(Round.objects.get(closed=False).slug)",
                ],
                cwd=ROOT,
                env=ENV,
                capture_output=True,
                text=True,
                check=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        forces = (
            subprocess.run(
                [
                    PYTHON,
                    "manage.py",
                    "shell",
                    "-c",
                    "from forces.models import Force; print(' '.join(Force.objects.values_list('slug', flat=True)))",
                ],
                cwd=ROOT,
                env=ENV,
                capture_output=True,
                text=True,
                check=True,
            )
            .stdout.strip()
            .splitlines()[-1]
            .split()
        )
        references = ["1", "2a", "2b", "2c", "2d", "3"]  # the demo report's (DEMO_REPORT)
        results, stop, fault = Results(), threading.Event(), {"start": FAULT_AT, "end": 0.0}
        t0 = time.monotonic()
        threads = [
            threading.Thread(
                target=lead_worker, args=(f"lead-{slug}", slug, round_slug, references, results, fault, t0, stop)
            )
            for slug in forces[:LEADS]
        ]
        threads += [threading.Thread(target=staff_worker, args=(results, fault, t0, stop)) for _ in range(STAFF)]
        for thread in threads:
            thread.start()
        time.sleep(FAULT_AT)
        print(f"{time.monotonic() - t0:5.1f}s stopping PostgreSQL", flush=True)
        fault["end"] = float("inf")  # until PostgreSQL is back
        pg("stop")
        time.sleep(FAULT_FOR)
        pg("start")
        fault["end"] = time.monotonic() - t0
        print(f"{fault['end']:5.1f}s PostgreSQL started again", flush=True)
        time.sleep(max(0.0, DURATION - (time.monotonic() - t0)))
        stop.set()
        for thread in threads:
            thread.join(timeout=35)
        check = verify(results.acknowledged)
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", CLUSTER, "main", "start"], capture_output=True)
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB], capture_output=True)

    total = sum(results.statuses.values())
    print(
        f"requests: {total} in {DURATION:.0f} s ({LEADS} leads, {STAFF} staff); statuses: {dict(sorted(results.statuses.items()))}"
    )
    print(
        f"server errors outside the fault window: {len(results.errors_outside_window)} {results.errors_outside_window[:5]}"
    )
    print(
        f"server errors inside the fault window: {results.errors_in_window} (with the service's error page: {results.error_pages_ok})"
    )
    print(f"successful requests after PostgreSQL came back: {results.ok_after_recovery}")
    print(f"client errors (4xx other than 404): {len(results.client_errors)} {results.client_errors[:5]}")
    print(
        f"acknowledged saves: {check['acknowledged']}; stored with exact text: {check['acknowledged'] - check['missing']}; missing: {check['missing']}"
    )
    print(f"answer versions stored: {check['stored_versions']}; integrity problems: {check['problems'] or 'none'}")
    ok = (
        not results.errors_outside_window
        and check["missing"] == 0
        and not check["problems"]
        and results.ok_after_recovery > 0
        and results.error_pages_ok == results.errors_in_window
    )
    print("RESULT: " + ("pass" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
