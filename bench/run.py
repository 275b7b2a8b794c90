"""`make bench`: every main page measured against two references in the same run.

The references: the anchor (bench/anchor.py), a one-file plain Django app with only the sessions and
auth middleware and its own database, rendering a 43 x 6 status matrix from one query; and the
project's own baseline page (/bench/baseline/), which carries every cost a signed-in page of the
project has. The anchor says how close a page is to what Django can do; the baseline, how much a
page costs beyond the project's own overhead.

For the demo data, then for the demo plus the scale data (generate_scale_data), each in a fresh
PostgreSQL database: migrate, load, count each page's queries (bench/probe.py), start gunicorn
(2 workers, DEBUG off, persistent connections), sign in as portfolio staff and as West Midlands'
lead, and load each page with wrk for a few seconds (BENCH_SECONDS, default 3) at 1 and at 16
connections. Just before each page, the baseline (fresh workers) and the anchor are measured the
same way, and the page's median and p99 are printed as ratios to each (other processes on a shared
machine make the load drift over minutes). Workers are restarted before each page so their peak RSS
(VmHWM) belongs to that page. Then the dashboard of the lead's open round is asked for right after
each of 20 saves (the first request after a change, not cached) beside the anchor, the dashboard's
HTML is weighed, plain and gzipped, and the scale run downloads a 300,000-row CSV and prints how much
a worker's peak memory grew. Everything started is stopped, and the databases dropped, at the end;
the figures are saved as JSON (`bench/run.py --report FILE` prints the tables again).

BENCH_DATASETS chooses the data sets (default "demo,scale"; "portfolio" is the demo plus
`generate_scale_data --portfolio`: 50 reports, 1,000 recommendations, 20 rounds of 198, about a million
answer versions, where the dashboard, the register, a recommendation's timeline and the lead's page are
also reported as multiples of the baseline page). Without "demo", the demo is still loaded and probed,
so that every data set's query counts are compared with the demo's.

The last line is `dashboard/anchor median ratio: <number>` (16 connections, demo data; the first data
set measured otherwise).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
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
SECONDS = int(os.environ.get("BENCH_SECONDS", "3"))
# The databases are <prefix>_demo and <prefix>_scale, dropped and created afresh: give another prefix to
# run beside someone else's benchmark on the same PostgreSQL.
DATABASE_PREFIX = os.environ.get("BENCH_DATABASE_PREFIX", "tracker_bench")
CONNECTION_COUNTS = (1, 16)  # one request at a time, and eight queued per worker
FIRST_REQUESTS = int(os.environ.get("BENCH_FIRST_REQUESTS", "20"))
ANCHOR_PAGE = "/matrix/"
PASSWORD = "tracker-demo"
SCALE_ARGS = ["--forces", "430", "--recommendations", "60", "--rounds", "12", "--large-round", "700"]
# The data sets to measure, in order: "demo", "scale" (10x forces) and "portfolio" (the demo plus 50
# reports, 1,000 recommendations, 20 rounds of 198, about a million answer versions). `make bench`
# runs the first two; BENCH_DATASETS=portfolio (or demo,scale,portfolio) adds the portfolio's.
DATASETS = [name for name in os.environ.get("BENCH_DATASETS", "demo,scale").split(",") if name]
LOADERS = {
    "demo": [],
    "scale": ["generate_scale_data", *SCALE_ARGS],
    "portfolio": ["generate_scale_data", "--portfolio"],
}
# At portfolio scale these pages should stay within this multiple of the project's baseline page.
PORTFOLIO_PAGES = ("dashboard", "register", "timeline", "lead force")
PORTFOLIO_TARGET = 2.0
# Goals, as ratios of the median to the anchor's in the same run, at 1 and at 16 connections, on both data sets.
TARGETS = {"dashboard": 2.0, "*": 3.0}
FIRST_DASHBOARD_TARGET = 4.0
HTML_TARGET_BYTES = 60 * 1024

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


# Ports the servers may use, e.g. "8190-8199" on a machine shared with others; any free port if unset.
PORTS = os.environ.get("BENCH_PORTS", "")


def free_port() -> int:
    first, _, last = PORTS.partition("-")
    candidates = range(int(first), int(last or first) + 1) if first else [0]
    for port in candidates:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise RuntimeError(f"no free port in BENCH_PORTS={PORTS}")


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
    def __init__(self, env: dict, app: str = "tracker.wsgi", extra: list[str] | None = None):
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                GUNICORN,
                app,
                *(extra or []),
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


def load(
    wrk: str,
    server: Server,
    path: str,
    jar: dict,
    connections: int,
    *,
    warm: bool = False,
    script: str | None = None,
    env: dict | None = None,
) -> dict:
    """wrk on one page for SECONDS; `warm` first loads it for a second, discarded (fresh workers)."""
    url = f"http://127.0.0.1:{server.port}{path}"
    # A script keeps state per thread (the answer it saves): one thread per connection then.
    threads = connections if script else min(connections, 2)
    options = ["-t", str(threads), "-c", str(connections), "--latency", "--timeout", "60s"]
    options += ["-H", f"Cookie: {cookie_header(jar)}"]
    if script:
        options += ["-s", script]
    if warm and not script:  # a save would move the versions the script counts
        subprocess.run([wrk, *options, "-d", "1s", url], capture_output=True, text=True, env=env)
    result = subprocess.run(
        [wrk, *options, "-d", f"{SECONDS}s", url], capture_output=True, text=True, env=env, check=True
    )
    return parse_wrk(result.stdout)


def load_each(wrk: str, server: Server, path: str, jar: dict, *, warm: bool = True) -> dict:
    """The page at each number of connections (1, then 16), the first load warming it."""
    figures = {}
    for index, connections in enumerate(CONNECTION_COUNTS):
        figures[connections] = load(wrk, server, path, jar, connections, warm=warm and index == 0)
    return figures


# --- the anchor: plain Django, outside the project ------------------------------------------------


def start_anchor(static_root: str) -> tuple[Server, dict]:
    """bench/anchor.py in its own database, served like the project, and signed in."""
    database = f"{DATABASE_PREFIX}_anchor"
    subprocess.run(["dropdb", *PG_ARGS, "--if-exists", database], check=True, stderr=subprocess.DEVNULL)
    subprocess.run(["createdb", *PG_ARGS, database], check=True)
    databases.append(database)
    env = {**os.environ, "ANCHOR_DATABASE_URL": f"{PG}/{database}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    run([PYTHON, "bench/anchor.py", "seed"], env, stdout=subprocess.DEVNULL)
    run(["vacuumdb", *PG_ARGS, "-q", "-z", database], env)
    server = Server(env, app="anchor:application", extra=["--pythonpath", "bench"])
    jar = sign_in(server, "anchor")
    load_each(ensure_wrk(), server, ANCHOR_PAGE, jar)  # warm
    return server, jar


def answer_version(database: str, round_slug: str, address: str) -> int:
    """The lead's current version of the answer at `address` ("<report slug>/<reference>")."""
    report_slug, reference = address.split("/")
    return int(
        psql(
            database,
            "select coalesce(max(u.version), 0) from recommendations_statusupdate u "
            "join recommendations_round r on r.id = u.round_id "
            "join recommendations_recommendation c on c.id = u.recommendation_id "
            "join recommendations_report p on p.id = c.report_id "
            "join forces_force f on f.id = u.force_id "
            f"where r.slug = '{round_slug}' and f.slug = 'west-midlands' and c.reference = '{reference}' "
            f"and p.slug = '{report_slug}'",
        )
    )


def first_dashboard_after_a_save(server: Server, jars: dict, probe: dict, database: str, anchor: tuple) -> dict:
    """The dashboard of the lead's open round, asked for right after the lead saves an answer in it
    (so its figures are never cached), one request at a time, beside the anchor's page asked for
    in the same loop."""
    anchor_server, anchor_jar = anchor
    save = probe["save"]
    address = save["references"][-1]  # "<report slug>/<reference>"
    path = f"{save['base']}{address}/"
    dashboard = f"/dashboard/?round={probe['open_round']}"
    timings: dict[str, list[float]] = {"dashboard": [], "anchor": []}
    for _ in range(FIRST_REQUESTS):
        version = answer_version(database, probe["open_round"], address)
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": jars["lead"]["csrftoken"],
                "status": "in_progress",
                "narrative": "Benchmark save before the dashboard.",
                "evidence": "",
                "not_applicable_reason": "",
                "save_draft": "1",
                "version": version,
            }
        )
        response, _ = server.request(
            "POST",
            path,
            body,
            {"Cookie": cookie_header(jars["lead"]), "Content-Type": "application/x-www-form-urlencoded"},
        )
        if response.status != 302:
            raise RuntimeError(f"saving before the dashboard answered {response.status}")
        for name, (target, jar, page) in {
            "dashboard": (server, jars["staff"], dashboard),
            "anchor": (anchor_server, anchor_jar, ANCHOR_PAGE),
        }.items():
            clock = time.perf_counter()
            response, _ = target.request("GET", page, headers={"Cookie": cookie_header(jar)})
            timings[name].append((time.perf_counter() - clock) * 1000)
            if response.status != 200:
                raise RuntimeError(f"{page} answered {response.status}")
    return {name: statistics.median(values) for name, values in timings.items()}


def html_size(server: Server, jar: dict, path: str) -> dict:
    """The page's HTML as sent, and as sent to a client that asks for gzip."""
    sizes = {}
    for encoding in ("identity", "gzip"):
        response, body = server.request(
            "GET", path, headers={"Cookie": cookie_header(jar), "Accept-Encoding": encoding}
        )
        sizes[encoding] = len(body)
        sizes[encoding + "_header"] = response.getheader("Content-Encoding") or "none"
    return sizes


# --- one data set -------------------------------------------------------------------------------


def prepare(name: str, static_root: str) -> tuple[str, dict, dict]:
    """A fresh database holding the data set `name`, and its probe (pages and query counts)."""
    database = f"{DATABASE_PREFIX}_{name}"
    subprocess.run(["dropdb", *PG_ARGS, "--if-exists", database], check=True, stderr=subprocess.DEVNULL)
    subprocess.run(["createdb", *PG_ARGS, database], check=True)
    databases.append(database)
    env = base_env(database, static_root)
    loader_env = {**env, "DEBUG": "1", "ALLOWED_HOSTS": "testserver"}
    clock = time.time()
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
    run([PYTHON, "manage.py", "load_demo_data"], loader_env, stdout=subprocess.DEVNULL)
    if LOADERS[name]:
        generate = time.time()
        run([PYTHON, "manage.py", *LOADERS[name]], loader_env)
        log(f"[{name}] {' '.join(LOADERS[name])}: {time.time() - generate:.0f}s")
    run(["vacuumdb", *PG_ARGS, "-q", "-z", database], env)  # fresh statistics, as autovacuum would give
    probe = json.loads(run([PYTHON, "bench/probe.py"], loader_env, stdout=subprocess.PIPE, text=True).stdout)
    log(f"[{name}] loaded and probed in {time.time() - clock:.0f}s; dashboard round: {probe['round']}")
    return database, env, probe


def measure(name: str, wrk: str, static_root: str, anchor: tuple) -> dict:
    database, env, probe = prepare(name, static_root)

    anchor_server, anchor_jar = anchor
    server = Server(env)
    try:
        jars = {"staff": sign_in(server, "portfolio"), "lead": sign_in(server, "lead-west-midlands")}
        results = {}
        backends_before = set(psql(database, f"select pid from pg_stat_activity where datname = '{database}'").split())
        baseline_path = probe["pages"]["baseline"]
        for page, path in [*probe["pages"].items(), ("save answer", None)]:
            # Both references again just before each page: on a shared machine the load from other
            # processes drifts, and a ratio to a measurement seconds away is the honest one.
            if page != "baseline":
                server.restart_workers()
                results[page + "/baseline"] = load_each(wrk, server, baseline_path, jars["staff"])
                results[page + "/baseline"]["rss_kb"] = server.peak_rss_kb()
            results[page + "/anchor"] = load_each(wrk, anchor_server, ANCHOR_PAGE, anchor_jar, warm=False)
            server.restart_workers()
            if page == "save answer":
                results[page] = save_answers(wrk, server, jars["lead"], probe, database)
            else:
                results[page] = load_each(wrk, server, path, jars[probe["who"][page]])
            results[page]["rss_kb"] = server.peak_rss_kb()
            log(
                f"[{name}] {page:15} "
                + ", ".join(
                    f"{connections} conn: {results[page][connections]['median']:7.1f} ms median "
                    f"(anchor {results[page + '/anchor'][connections]['median']:.1f})"
                    for connections in CONNECTION_COUNTS
                )
            )
        results["_first"] = first_dashboard_after_a_save(server, jars, probe, database, anchor)
        results["_html"] = html_size(server, jars["staff"], "/dashboard/")
        backends = psql(database, f"select count(*) from pg_stat_activity where datname = '{database}'")
        results["_connections"] = int(backends)
        results["_backends_before"] = len(backends_before)
        if name == "scale":
            results["_csv"] = csv_check(server, jars["staff"], database)
    finally:
        server.stop()
    return {"results": results, "queries": probe["queries"], "pages": probe["pages"]}


def save_answers(wrk: str, server: Server, jar: dict, probe: dict, database: str) -> dict:
    """Saving an answer: each wrk connection saves its own answer (one thread each), counting versions
    as they are saved; at 16 connections, as many as the lead's open round has answers."""
    save = probe["save"]
    figures = {}
    for connections in CONNECTION_COUNTS:
        references = save["references"][:connections]
        before = int(psql(database, "select count(*) from recommendations_statusupdate"))
        targets = ",".join(f"{ref}:{save['versions'][ref]}" for ref in references)
        save_env = {**os.environ, "BENCH_SAVE": f"{save['base']}|{targets}", "BENCH_CSRF": jar["csrftoken"]}
        figures[connections] = load(
            wrk, server, save["base"], jar, len(references), script="bench/save_answer.lua", env=save_env
        )
        figures[connections]["connections"] = len(references)
        figures[connections]["saved"] = (
            int(psql(database, "select count(*) from recommendations_statusupdate")) - before
        )
        for reference in references:  # where the next run starts from
            save["versions"][reference] = answer_version(database, probe["open_round"], reference)
    return figures


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


def ratio(value: float, reference: float) -> float:
    """value / reference; NaN when wrk finished no request of one of them in the time given."""
    return value / reference if value and reference else float("nan")


def ratio_line(page: str, connections: int, figures: dict, anchor: dict, baseline: dict | None, queries) -> str:
    limit = TARGETS.get(page, TARGETS["*"]) if page != "baseline" else None
    to_anchor = ratio(figures["median"], anchor["median"])
    verdict = "" if limit is None else f"<= {limit:g}x {'met' if to_anchor <= limit else 'MISSED'}"
    if not figures["requests"]:
        verdict += " (no request finished in the time)"
    if figures["bad"] or figures["socket_errors"]:
        verdict += f" ({figures['bad']} bad responses {figures['socket_errors']})"
    to_baseline = (
        f"{ratio(figures['median'], baseline['median']):9.2f}{ratio(figures['p99'], baseline['p99']):7.2f}"
        if baseline
        else f"{'':9}{'':7}"
    )
    shown = f"{connections}" + (
        f" ({figures['connections']})" if figures.get("connections", connections) != connections else ""
    )
    return (
        f"{page:16}{shown:>7}{figures['median']:9.1f}{figures['p99']:8.1f}{figures['rps']:8.1f}"
        f"{to_anchor:9.2f}{ratio(figures['p99'], anchor['p99']):7.2f}{to_baseline}{queries:>8}   {verdict}"
    )


def report(data: dict) -> float:
    lines = []
    measured = [name for name in ("demo", "scale", "portfolio") if "results" in data.get(name, {})]
    for name in measured:
        results = data[name]["results"]
        anchors = [figures[16]["median"] for page, figures in results.items() if page.endswith("/anchor")]
        lines.append("")
        lines.append(
            f"{name} data (wrk {SECONDS}s per page and connection count, gunicorn 2 workers, PostgreSQL). Each page's "
            f"ratios are to the anchor (bench/anchor.py, plain Django) and to the project's baseline page measured "
            f"just before it; the anchor's median at 16 connections ranged {min(anchors):.1f}-{max(anchors):.1f} ms."
        )
        lines.append(f"{'':48}{'x anchor':>16}{'x baseline':>16}")
        lines.append(
            f"{'page':16}{'conns':>7}{'med ms':>9}{'p99 ms':>8}{'req/s':>8}{'median':>9}{'p99':>7}"
            f"{'median':>9}{'p99':>7}{'queries':>8}   target (median x anchor)"
        )
        for page, figures in results.items():
            if page.startswith("_") or page.endswith("/anchor") or page.endswith("/baseline"):
                continue
            for connections in CONNECTION_COUNTS:
                baseline = results.get(page + "/baseline", {}).get(connections)
                lines.append(
                    ratio_line(
                        page,
                        connections,
                        figures[connections],
                        results[page + "/anchor"][connections],
                        baseline,
                        data[name]["queries"].get(page, 0),
                    )
                )
        rss = ratio(results["dashboard"]["rss_kb"], results["dashboard/baseline"]["rss_kb"])
        lines.append(f"Dashboard worker peak RSS x baseline: {rss:.2f}")
        first = results["_first"]
        first_ratio = ratio(first["dashboard"], first["anchor"])
        lines.append(
            f"First dashboard request after a save (its round's figures not cached; {FIRST_REQUESTS} requests, one at a "
            f"time): {first['dashboard']:.1f} ms median, anchor {first['anchor']:.1f} ms: {first_ratio:.2f}x "
            f"(target <= {FIRST_DASHBOARD_TARGET:g}x {'met' if first_ratio <= FIRST_DASHBOARD_TARGET else 'MISSED'})"
        )
        html = results["_html"]
        lines.append(
            f"Dashboard HTML: {html['identity'] / 1024:.1f} KB (target <= {HTML_TARGET_BYTES // 1024} KB "
            f"{'met' if html['identity'] <= HTML_TARGET_BYTES else 'MISSED'}); "
            f"{html['gzip'] / 1024:.1f} KB to a client that asks for gzip (Content-Encoding: {html['gzip_header']})"
        )
        lines.append(
            f"PostgreSQL connections held open after the run: {results['_connections']} "
            f"(2 workers; persistent, CONN_MAX_AGE)"
        )
        if name == "portfolio":
            lines.append(
                f"Portfolio targets (median x the baseline page measured just before; <= {PORTFOLIO_TARGET:g}x):"
            )
            for page in PORTFOLIO_PAGES:
                for connections in CONNECTION_COUNTS:
                    figures = results[page][connections]
                    to_baseline = ratio(figures["median"], results[page + "/baseline"][connections]["median"])
                    to_anchor = ratio(figures["median"], results[page + "/anchor"][connections]["median"])
                    verdict = "met" if to_baseline <= PORTFOLIO_TARGET else "MISSED"
                    lines.append(
                        f"  {page:12}{connections:3} conn: {to_baseline:5.2f}x baseline {verdict}, "
                        f"{to_anchor:5.2f}x anchor ({figures['median']:.1f} ms)"
                    )
    names = [name for name in ("demo", "scale", "portfolio") if name in data]
    lines.append("")
    lines.append(f"SQL queries per page (test client, CaptureQueriesContext): {' vs '.join(names)}")
    for page, count in data["demo"]["queries"].items():
        others = [data[name]["queries"].get(page, 0) for name in names[1:]]
        same = all(other == count for other in others)
        lines.append(
            f"  {page:16}{count:5} "
            + " ".join(f"{other:5}" for other in others)
            + f"   {'same' if same else 'DIFFERENT'}"
        )
    if "scale" not in measured:
        for line in lines:
            log(line)
        first = measured[0]
        return ratio(
            data[first]["results"]["dashboard"][16]["median"], data[first]["results"]["dashboard/anchor"][16]["median"]
        )
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
    if "demo" not in measured:
        return ratio(
            data["scale"]["results"]["dashboard"][16]["median"],
            data["scale"]["results"]["dashboard/anchor"][16]["median"],
        )
    demo = data["demo"]["results"]
    log(
        f"dashboard/baseline median ratio: {ratio(demo['dashboard'][16]['median'], demo['dashboard/baseline'][16]['median']):.2f}"
        " (16 connections, demo data)"
    )
    return ratio(demo["dashboard"][16]["median"], demo["dashboard/anchor"][16]["median"])


def reread(path: str) -> dict:
    """Figures saved by an earlier run (JSON turns the connection counts into strings)."""

    def numbers(value):
        if isinstance(value, dict):
            return {int(key) if key.isdigit() else key: numbers(item) for key, item in value.items()}
        return value

    return numbers(json.loads(Path(path).read_text()))


def main() -> None:
    if sys.argv[1:2] == ["--report"]:  # print the tables again from a run's saved figures
        ratio = report(reread(sys.argv[2]))
        log(f"dashboard/anchor median ratio: {ratio:.2f}")
        return
    clock = time.time()
    wrk = ensure_wrk()
    data = {}
    with tempfile.TemporaryDirectory(prefix="tracker-bench-static-") as static_root:
        env = base_env("postgres", static_root)
        run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env)
        try:
            if "demo" not in DATASETS:  # the demo's query counts, which every data set's must equal
                _, _, probe = prepare("demo", static_root)
                data["demo"] = {"queries": probe["queries"], "pages": probe["pages"]}
            anchor = start_anchor(static_root)
            for name in DATASETS:
                data[name] = measure(name, wrk, static_root, anchor)
        finally:
            for process in list(started):
                process.kill()
            for database in databases:
                subprocess.run(["dropdb", *PG_ARGS, "--if-exists", "--force", database], check=False)
    saved = Path(os.environ.get("BENCH_RESULTS", tempfile.gettempdir() + "/tracker-bench-results.json"))
    saved.write_text(json.dumps(data))
    log(f"figures saved in {saved} (`bench/run.py --report {saved}` prints these tables again)")
    ratio = report(data)
    log(f"\nwhole run: {time.time() - clock:.0f}s")
    log(f"dashboard/anchor median ratio: {ratio:.2f}")


if __name__ == "__main__":
    sys.exit(main())
