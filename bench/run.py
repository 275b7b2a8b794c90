"""`make bench`: every main page measured against a minimal baseline page in the same run.

For the demo data, then for the demo plus the scale data (generate_scale_data), each in a fresh
PostgreSQL database: migrate, load, count each page's queries (bench/probe.py), start gunicorn
(2 workers, DEBUG off, persistent connections), sign in as portfolio staff and as West Midlands'
lead, and load each page with wrk for a few seconds (BENCH_SECONDS, default 5). Workers are
restarted before each page so their peak RSS (VmHWM) belongs to that page. The baseline is measured
again just before each page, and each page's figures are printed as ratios to that measurement
(other processes on a shared machine make the load drift over minutes); the scale run also downloads a 300,000-row CSV and prints how much a
worker's peak memory grew. Everything started is stopped, and the databases dropped, at the end.

The last line is `dashboard/baseline median ratio: <number>` for the demo data.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PG_ARGS = ["-h", "127.0.0.1", "-p", "5432", "-U", "postgres"]
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
# The databases are <prefix>_demo and <prefix>_scale, dropped and created afresh: give another prefix to
# run beside someone else's benchmark on the same PostgreSQL.
DATABASE_PREFIX = os.environ.get("BENCH_DATABASE_PREFIX", "tracker_bench")
CONNECTIONS = 2  # one per worker: latency without queueing
PASSWORD = "tracker-demo"
SCALE_ARGS = ["--forces", "430", "--recommendations", "60", "--rounds", "12", "--large-round", "700"]
TARGETS = {"demo": {"dashboard": 2.0, "*": 3.0}, "scale": {"dashboard": 4.0}}

started: list[subprocess.Popen] = []
databases: list[str] = []


def log(message: str) -> None:
    print(message, flush=True)


def run(args: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, env=env, cwd=ROOT, check=True, **kwargs)


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    log("wrk not found: installing it from Debian (apt-get install -y wrk)")
    subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=False, stdout=subprocess.DEVNULL)
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "update", "-q"], check=True, stdout=subprocess.DEVNULL)
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, stdout=subprocess.DEVNULL)
    return shutil.which("wrk")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def base_env(database: str, static_root: str) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL"}}
    env.update(
        DATABASE_URL=f"{PG}/{database}",
        DEBUG="0",
        SECRET_KEY="benchmark-only-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
        BENCHMARK_VIEWS="1",
        STATIC_ROOT=static_root,
        LOG_LEVEL="ERROR",
        AXES_FAILURE_LIMIT="1000",
    )
    return env


def psql(database: str, sql: str) -> str:
    return subprocess.run(
        ["psql", *PG_ARGS, "-d", database, "-tAc", sql], check=True, capture_output=True, text=True
    ).stdout.strip()


# --- gunicorn -----------------------------------------------------------------------------------


class Server:
    def __init__(self, env: dict):
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                GUNICORN,
                "tracker.wsgi",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "300",
                "--log-level",
                "critical",
            ],
            env=env,
            cwd=ROOT,
        )
        started.append(self.process)
        self.wait_ready(previous=set())

    def workers(self) -> set[int]:
        children = set()
        for task in Path(f"/proc/{self.process.pid}/task").iterdir():
            text = (task / "children").read_text().split()
            children.update(int(pid) for pid in text)
        return children

    def wait_ready(self, previous: set[int]) -> None:
        deadline = time.time() + 60
        while time.time() < deadline:
            workers = self.workers()
            if len(workers) == 2 and not workers & previous:
                try:
                    self.request("GET", "/accounts/login/")
                    return
                except OSError:
                    pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def restart_workers(self) -> None:
        """New workers (SIGHUP), so a page's peak RSS is its own; each is warmed by one request."""
        previous = self.workers()
        os.kill(self.process.pid, signal.SIGHUP)
        self.wait_ready(previous)

    def peak_rss_kb(self) -> int:
        peaks = []
        for pid in self.workers():
            status = Path(f"/proc/{pid}/status").read_text()
            peaks.append(int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)))
        return max(peaks)

    def peaks_by_worker(self) -> dict[int, int]:
        return {
            pid: int(re.search(r"VmHWM:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text()).group(1))
            for pid in self.workers()
        }

    def request(self, method: str, path: str, body: str = "", headers: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        connection.request(method, path, body=body or None, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
        connection.close()
        return response, data

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        started.remove(self.process)


def cookies_from(response, jar: dict) -> dict:
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            jar[name] = rest.split(";", 1)[0]
    return jar


def sign_in(server: Server, username: str) -> dict:
    response, page = server.request("GET", "/accounts/login/")
    jar = cookies_from(response, {})
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD})
    response, _ = server.request(
        "POST",
        "/accounts/login/",
        body,
        {"Cookie": f"csrftoken={jar['csrftoken']}", "Content-Type": "application/x-www-form-urlencoded"},
    )
    cookies_from(response, jar)
    if response.status != 302 or "sessionid" not in jar:
        raise RuntimeError(f"could not sign in as {username}: {response.status}")
    return jar


def cookie_header(jar: dict) -> str:
    return "; ".join(f"{name}={value}" for name, value in jar.items() if name in {"sessionid", "csrftoken"})


# --- wrk ----------------------------------------------------------------------------------------

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def parse_wrk(output: str) -> dict:
    def latency(label: str) -> float:
        value, unit = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M).groups()
        return float(value) * UNITS[unit]

    requests = int(re.search(r"(\d+) requests in", output).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: .*", output)
    return {
        "median": latency("50"),
        "p99": latency("99"),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "requests": requests,
        "bad": int(bad.group(1)) if bad else 0,
        "socket_errors": errors.group(0) if errors else "",
    }


def load(wrk: str, server: Server, path: str, jar: dict, *, script: str | None = None, env: dict | None = None) -> dict:
    url = f"http://127.0.0.1:{server.port}{path}"
    args = [
        wrk,
        "-t",
        str(CONNECTIONS),
        "-c",
        str(CONNECTIONS),
        "-d",
        f"{SECONDS}s",
        "--latency",
        "--timeout",
        "60s",
        "-H",
        f"Cookie: {cookie_header(jar)}",
    ]
    if script:
        args += ["-s", script]
    if not script:  # one second of warm-up, discarded (a save would move the versions the script counts)
        subprocess.run([*args[:5], "-d", "1s", *args[7:], url], capture_output=True, text=True, env=env)
    result = subprocess.run([*args, url], capture_output=True, text=True, env=env, check=True)
    return parse_wrk(result.stdout)


# --- one data set -------------------------------------------------------------------------------


def measure(name: str, wrk: str, static_root: str) -> dict:
    database = f"{DATABASE_PREFIX}_{name}"
    subprocess.run(["dropdb", *PG_ARGS, "--if-exists", database], check=True, stderr=subprocess.DEVNULL)
    subprocess.run(["createdb", *PG_ARGS, database], check=True)
    databases.append(database)
    env = base_env(database, static_root)
    loader_env = {**env, "DEBUG": "1", "ALLOWED_HOSTS": "testserver"}
    clock = time.time()
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
    run([PYTHON, "manage.py", "load_demo_data"], loader_env, stdout=subprocess.DEVNULL)
    if name == "scale":
        run([PYTHON, "manage.py", "generate_scale_data", *SCALE_ARGS], loader_env)
    run(["vacuumdb", *PG_ARGS, "-q", "-z", database], env)  # fresh statistics, as autovacuum would give
    probe = json.loads(run([PYTHON, "bench/probe.py"], loader_env, stdout=subprocess.PIPE, text=True).stdout)
    log(f"[{name}] loaded and probed in {time.time() - clock:.0f}s; dashboard round: {probe['round']}")

    server = Server(env)
    try:
        jars = {"staff": sign_in(server, "portfolio"), "lead": sign_in(server, "lead-west-midlands")}
        results = {}
        backends_before = set(psql(database, f"select pid from pg_stat_activity where datname = '{database}'").split())
        baseline_path = probe["pages"]["baseline"]
        for page, path in probe["pages"].items():
            if page != "baseline":
                # The baseline again just before each page: on a shared machine the load from other
                # processes drifts, and a ratio to a measurement seconds away is the honest one.
                server.restart_workers()
                results[page + "/baseline"] = load(wrk, server, baseline_path, jars["staff"])
                results[page + "/baseline"]["rss_kb"] = server.peak_rss_kb()
            server.restart_workers()
            results[page] = load(wrk, server, path, jars[probe["who"][page]])
            results[page]["rss_kb"] = server.peak_rss_kb()
            log(f"[{name}] {page:15} {results[page]['median']:8.1f} ms median, {results[page]['rps']:7.1f} req/s")
        # Saving an answer: each wrk thread saves its own answer, counting versions as they are saved.
        server.restart_workers()
        results["save answer/baseline"] = load(wrk, server, baseline_path, jars["staff"])
        results["save answer/baseline"]["rss_kb"] = server.peak_rss_kb()
        server.restart_workers()
        before = int(psql(database, "select count(*) from recommendations_statusupdate"))
        save = probe["save"]
        targets = ",".join(f"{ref}:{save['versions'][ref]}" for ref in save["references"])
        save_env = {**os.environ, "BENCH_SAVE": f"{save['base']}|{targets}", "BENCH_CSRF": jars["lead"]["csrftoken"]}
        results["save answer"] = load(
            wrk, server, save["base"], jars["lead"], script="bench/save_answer.lua", env=save_env
        )
        results["save answer"]["rss_kb"] = server.peak_rss_kb()
        saved = int(psql(database, "select count(*) from recommendations_statusupdate")) - before
        log(
            f"[{name}] save answer     {results['save answer']['median']:8.1f} ms median, "
            f"{results['save answer']['rps']:7.1f} req/s, {saved} versions saved"
        )
        backends = psql(database, f"select count(*) from pg_stat_activity where datname = '{database}'")
        results["_connections"] = int(backends)
        results["_backends_before"] = len(backends_before)
        if name == "scale":
            results["_csv"] = csv_check(server, jars["staff"], database)
    finally:
        server.stop()
    return {"results": results, "queries": probe["queries"], "pages": probe["pages"]}


def csv_check(server: Server, jar: dict, database: str) -> dict:
    """Download the large round's CSV (every answer, over 300,000 rows) and see how much a worker's
    peak RSS grows while it streams."""
    server.restart_workers()
    for _ in range(6):  # both workers serve a few pages first, so their peak is a working one
        server.request("GET", "/dashboard/", headers={"Cookie": cookie_header(jar)})
    before = server.peaks_by_worker()
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)
    clock = time.time()
    connection.request("GET", "/dashboard/rounds/scale-large-round/answers.csv", headers={"Cookie": cookie_header(jar)})
    response = connection.getresponse()
    size = rows = 0
    while chunk := response.read(1 << 16):
        size += len(chunk)
        rows += chunk.count(b"\r\n")
    connection.close()
    seconds = time.time() - clock
    after = server.peaks_by_worker()
    growth = max(after[pid] - before.get(pid, after[pid]) for pid in after)
    return {"rows": rows - 1, "bytes": size, "seconds": seconds, "growth_kb": growth, "status": response.status}


# --- report -------------------------------------------------------------------------------------


def report(data: dict) -> float:
    lines = []
    for name in ("demo", "scale"):
        results = data[name]["results"]
        base = results["baseline"]
        baselines = [figures["median"] for page, figures in results.items() if page.endswith("baseline")]
        lines.append("")
        lines.append(
            f"{name} data: baseline {base['median']:.1f} ms median, {base['p99']:.1f} ms p99, "
            f"{base['rps']:.0f} req/s, worker peak RSS {base['rss_kb'] / 1024:.0f} MB "
            f"(wrk, {CONNECTIONS} connections, {SECONDS}s per page, gunicorn 2 workers); each page's ratios are to "
            f"the baseline measured just before it (its medians ranged {min(baselines):.1f}-{max(baselines):.1f} ms)"
        )
        lines.append(
            f"{'page':16}{'median ms':>10}{'median x':>10}{'p99 x':>8}{'req/s x':>9}{'RSS x':>7}{'queries':>9}   target"
        )
        for page, figures in results.items():
            if page.startswith("_") or page.endswith("/baseline"):
                continue
            base = results.get(page + "/baseline", results["baseline"])
            limit = TARGETS[name].get(page, TARGETS[name].get("*"))
            ratio = figures["median"] / base["median"]
            verdict = (
                ""
                if limit is None or page == "baseline"
                else (f"<= {limit:g}x {'met' if ratio <= limit else 'MISSED'}")
            )
            if figures["bad"] or figures["socket_errors"]:
                verdict += f" ({figures['bad']} bad responses {figures['socket_errors']})"
            lines.append(
                f"{page:16}{figures['median']:10.1f}{ratio:10.2f}{figures['p99'] / base['p99']:8.2f}"
                f"{figures['rps'] / base['rps']:9.2f}{figures['rss_kb'] / base['rss_kb']:7.2f}"
                f"{data[name]['queries'].get(page, 0):9}   {verdict}"
            )
        lines.append(
            f"PostgreSQL connections held open after the run: {results['_connections']} "
            f"(2 workers; persistent, CONN_MAX_AGE)"
        )
    lines.append("")
    lines.append("SQL queries per page (test client, CaptureQueriesContext): demo vs scale")
    for page, count in data["demo"]["queries"].items():
        other = data["scale"]["queries"][page]
        lines.append(f"  {page:16}{count:5} {other:5}   {'same' if count == other else 'DIFFERENT'}")
    csv = data["scale"]["results"]["_csv"]
    lines.append("")
    lines.append(
        f"Streaming CSV: {csv['rows']} rows ({csv['bytes'] / 1e6:.0f} MB) in {csv['seconds']:.1f}s, "
        f"HTTP {csv['status']}; "
        f"worker peak RSS grew {csv['growth_kb'] / 1024:.1f} MB (target < 50 MB: "
        f"{'met' if csv['growth_kb'] < 50 * 1024 else 'MISSED'})"
    )
    for line in lines:
        log(line)
    demo = data["demo"]["results"]
    return demo["dashboard"]["median"] / demo["dashboard/baseline"]["median"]


def main() -> None:
    clock = time.time()
    wrk = ensure_wrk()
    data = {}
    with tempfile.TemporaryDirectory(prefix="tracker-bench-static-") as static_root:
        env = base_env("postgres", static_root)
        run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env)
        try:
            for name in ("demo", "scale"):
                data[name] = measure(name, wrk, static_root)
        finally:
            for process in list(started):
                process.kill()
            for database in databases:
                subprocess.run(["dropdb", *PG_ARGS, "--if-exists", "--force", database], check=False)
    ratio = report(data)
    log(f"\nwhole run: {time.time() - clock:.0f}s")
    log(f"dashboard/baseline median ratio: {ratio:.2f}")


if __name__ == "__main__":
    sys.exit(main())
