#!/usr/bin/env python
"""Two-server run: 43 force leads saving and submitting and 20 portfolio staff on the dashboard for
60 seconds, through HAProxy to two gunicorn app servers on loopback that share PostgreSQL and a Redis
cache (CACHE_URL). 20 seconds in, one app server is killed (SIGKILL, no goodbye); it is started again
at 30 s. At 35 s Redis is stopped for 10 seconds.

Afterwards it checks that every save the service acknowledged is stored word for word, that no
request failed outside the moments of the server's death, and that both servers show the same
figures. It uses its own Redis (port 8163) and its own database, so it disturbs nobody else's.

Run: make loadtest-cluster (root: installs Debian's haproxy if it is missing). Loopback only, bounded
in time, stops everything it started and drops its database. The leads' and staff's behaviour, the
acknowledgement rule and the stored-answer check are bench/load_fault.py's.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

HAPROXY_PORT, SERVER_PORTS, REDIS_PORT = 8160, (8161, 8162), 8163
os.environ["LOAD_PORT"] = str(HAPROXY_PORT)  # load_fault's clients talk to the load balancer

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load_fault as lf  # noqa: E402

DB = os.environ.get("LOAD_CLUSTER_DATABASE", "tracker_loadcluster")
KILL_AT, RESTART_AT, REDIS_STOP_AT, REDIS_STOP_FOR = 20.0, 30.0, 35.0, 10.0
lf.ENV.update(
    {
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}",
        "CACHE_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
)

HAPROXY_CONFIG = f"""
global
    maxconn 2000
defaults
    mode http
    timeout connect 2s
    timeout client 40s
    timeout server 40s
    retries 2
    option redispatch
frontend tracker
    bind 127.0.0.1:{HAPROXY_PORT}
    default_backend app_servers
backend app_servers
    balance roundrobin
    # A connection check: a dead server (connection refused) is out within 2 s; a busy one, whose
    # pages queue behind 63 people's, is not taken out for being slow.
    server a 127.0.0.1:{SERVER_PORTS[0]} check inter 1s fall 2 rise 1
    server b 127.0.0.1:{SERVER_PORTS[1]} check inter 1s fall 2 rise 1
"""


def haproxy_ensure() -> str:
    found = shutil.which("haproxy") or (os.path.exists("/usr/sbin/haproxy") and "/usr/sbin/haproxy")
    if found:
        return found
    print("installing Debian's haproxy", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-q"], check=True, env=env, stdout=subprocess.DEVNULL)
    subprocess.run(
        ["apt-get", "install", "-y", "-q", "-o", "DPkg::Lock::Timeout=300", "--no-install-recommends", "haproxy"],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    # Debian starts its own service on install; this run uses its own configuration only.
    subprocess.run(["service", "haproxy", "stop"], capture_output=True)
    return shutil.which("haproxy") or "/usr/sbin/haproxy"


def app_server(port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [lf.GUNICORN, "tracker.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "3", "--timeout", "30"]
        + ["--graceful-timeout", "5", "--log-level", "warning"],
        cwd=lf.ROOT,
        env=lf.ENV,
        start_new_session=True,
    )


def redis_server() -> subprocess.Popen:
    return subprocess.Popen(
        ["redis-server", "--bind", "127.0.0.1", "--port", str(REDIS_PORT), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )


def wait_for(url: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def stop(process: subprocess.Popen | None, sig=signal.SIGTERM) -> None:
    if process is not None and process.poll() is None:
        os.killpg(process.pid, sig)
        process.wait(timeout=20)


def guarded(session: lf.Session):
    """A request that cannot reach the load balancer at all, or times out, is a failure too (status 0)."""
    plain = session.request

    def request(path, data=None):
        try:
            return plain(path, data)
        except OSError as error:
            return 0, {}, f"no answer: {error}"

    session.request = request
    return session


def signed_in(username: str) -> lf.Session:
    session = guarded(lf.Session())
    while not session.sign_in(username):
        time.sleep(0.5)
    return session


def shell(code: str) -> str:
    result = subprocess.run(
        [lf.PYTHON, "manage.py", "shell", "-c", code],
        cwd=lf.ROOT,
        env=lf.ENV,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


def figures_on(port: int, round_slug: str) -> str:
    """The dashboard's figures for the open round as one server shows them (forms' tokens removed)."""
    lf.BASE = f"http://127.0.0.1:{port}"
    session = lf.Session()
    assert session.sign_in("portfolio"), f"could not sign in on port {port}"
    status, _, body = session.request(f"/dashboard/?round={round_slug}")
    lf.BASE = f"http://127.0.0.1:{HAPROXY_PORT}"
    assert status == 200, f"dashboard on port {port}: {status}"
    main = re.search(r"<main.*?</main>", body, re.S).group(0)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", main)


def main() -> int:
    if os.geteuid() != 0:
        print("Needs root (to install haproxy if it is missing).", file=sys.stderr)
        return 2
    haproxy = haproxy_ensure()
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB], check=True)
    workdir = Path(tempfile.mkdtemp(prefix="tracker-cluster-"))
    (workdir / "haproxy.cfg").write_text(HAPROXY_CONFIG)
    servers: list[subprocess.Popen | None] = [None, None]
    balancer = cache = None
    try:
        lf.manage("migrate", "--noinput")
        lf.manage("load_demo_data", debug=True)
        lf.manage("collectstatic", "--noinput")
        cache = redis_server()
        servers = [app_server(port) for port in SERVER_PORTS]
        for port in SERVER_PORTS:
            wait_for(f"http://127.0.0.1:{port}/accounts/login/")
        balancer = subprocess.Popen([haproxy, "-db", "-f", str(workdir / "haproxy.cfg")], start_new_session=True)
        wait_for(f"http://127.0.0.1:{HAPROXY_PORT}/accounts/login/")
        round_slug = shell("from recommendations.models import Round; print(Round.objects.get(closed=False).slug)")
        forces = shell(
            "from forces.models import Force; print(' '.join(Force.objects.values_list('slug', flat=True)))"
        ).split()
        references = ["1", "2a", "2b", "2c", "2d", "3"]  # the demo report's (DEMO_REPORT)
        # Requests in flight when the server dies, and until the load balancer has seen it go
        # (two failed checks a second apart), are the fault's moment; any other failure counts.
        results, halt, fault = lf.Results(), threading.Event(), {"start": KILL_AT, "end": KILL_AT + 3.0}
        # Everyone signs in first (Argon2 is slow on purpose), then the 60 seconds start.
        leads, staff = list(forces[: lf.LEADS]), [None] * lf.STAFF
        sessions: dict = {}

        def sign_in(key, username):
            sessions[key] = signed_in(username)

        signing = [threading.Thread(target=sign_in, args=(slug, f"lead-{slug}")) for slug in leads]
        signing += [threading.Thread(target=sign_in, args=(n, "portfolio")) for n in range(len(staff))]
        for thread in signing:
            thread.start()
        for thread in signing:
            thread.join()
        t0 = time.monotonic()
        threads = [
            threading.Thread(
                target=lf.lead_loop,
                args=(sessions[slug], slug, round_slug, references, results, fault, t0, halt, 3),
            )
            for slug in leads
        ]
        threads += [
            threading.Thread(target=lf.staff_loop, args=(sessions[n], results, fault, t0, halt))
            for n in range(len(staff))
        ]
        for thread in threads:
            thread.start()

        def at(moment: float) -> None:
            time.sleep(max(0.0, moment - (time.monotonic() - t0)))

        at(KILL_AT)
        print(f"{time.monotonic() - t0:5.1f}s killing app server a (SIGKILL)", flush=True)
        stop(servers[0], signal.SIGKILL)
        at(RESTART_AT)
        print(f"{time.monotonic() - t0:5.1f}s starting app server a again", flush=True)
        servers[0] = app_server(SERVER_PORTS[0])
        at(REDIS_STOP_AT)
        print(f"{time.monotonic() - t0:5.1f}s stopping Redis", flush=True)
        stop(cache)
        at(REDIS_STOP_AT + REDIS_STOP_FOR)
        cache = redis_server()
        print(f"{time.monotonic() - t0:5.1f}s Redis started again", flush=True)
        at(lf.DURATION)
        halt.set()
        for thread in threads:
            thread.join(timeout=35)
        check = lf.verify(results.acknowledged)
        figures = [figures_on(port, round_slug) for port in SERVER_PORTS]
        responded = re.findall(r"\d+ out of \d+ forces responded", figures[0])
        submitted = shell(
            "from recommendations.models import StatusUpdate; print(StatusUpdate.objects.filter("
            "round__closed=False, is_latest_submitted=True).values('force').distinct().count())"
        )
    finally:
        stop(balancer)
        for server in servers:
            stop(server)
        stop(cache)
        shutil.rmtree(workdir, ignore_errors=True)
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB], capture_output=True)

    total = sum(results.statuses.values())
    print(
        f"requests: {total} in {lf.DURATION:.0f} s ({lf.LEADS} leads, {lf.STAFF} staff) through HAProxy to 2 servers;"
        f" statuses: {dict(sorted(results.statuses.items()))}"
    )
    print(
        f"failed requests outside the server's death ({KILL_AT:.0f}-{KILL_AT + 8:.0f} s), Redis stop included:"
        f" {len(results.errors_outside_window)} {results.errors_outside_window[:5]}"
    )
    print(f"failed requests while the server died: {results.errors_in_window}")
    print(f"client errors (4xx other than 404): {len(results.client_errors)} {results.client_errors[:5]}")
    print(
        f"acknowledged saves: {check['acknowledged']}; stored with exact text: {check['acknowledged'] - check['missing']};"
        f" missing: {check['missing']}"
    )
    print(f"answer versions stored: {check['stored_versions']}; integrity problems: {check['problems'] or 'none'}")
    same = figures[0] == figures[1]
    print(
        f"figures on both servers afterwards: {'the same' if same else 'DIFFERENT'} ({', '.join(responded)};"
        f" forces with a submitted answer in the database: {submitted})"
    )
    ok = not results.errors_outside_window and check["missing"] == 0 and not check["problems"] and same
    print("RESULT: " + ("pass" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
