"""How much a worker's memory grows when a lead uploads a 20 MB evidence document (part of `make bench`).

Serves the demo (SQLite and a document store in a temporary folder) from one gunicorn worker with
DEBUG off, signs in as West Midlands' lead, attaches a small PDF to warm the worker, reads its peak
resident memory (VmHWM in /proc, reset to the current RSS first), attaches a 20 MB PDF of random bytes, and reads the peak again.
The upload is spooled to a temporary file and digested in chunks, so the peak should grow by much
less than the file's size. Prints one line, and exits 1 if the target is missed.

    .venv/bin/python bench/upload_memory.py        (BENCH_UPLOAD_PORT, default 8204)
"""

from __future__ import annotations

import hashlib
import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PORT = int(os.environ.get("BENCH_UPLOAD_PORT", "8204"))
SIZE = 20 * 1024 * 1024
LEAD = "lead-west-midlands"


def request(method: str, path: str, body: bytes = b"", headers: dict | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
    connection.request(method, path, body=body or None, headers=headers or {})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response, data


def cookies(response, jar: dict) -> dict:
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        jar[name] = rest.split(";", 1)[0]
    return jar


def cookie_header(jar: dict) -> str:
    return "; ".join(f"{name}={value}" for name, value in jar.items())


def csrf_token(page: bytes) -> str:
    return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()


def sign_in() -> dict:
    response, page = request("GET", "/accounts/login/")
    jar = cookies(response, {})
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": csrf_token(page), "username": LEAD, "password": "tracker-demo"}
    ).encode()
    response, _ = request(
        "POST",
        "/accounts/login/",
        body,
        {"Cookie": cookie_header(jar), "Content-Type": "application/x-www-form-urlencoded"},
    )
    cookies(response, jar)
    if response.status != 302:
        raise RuntimeError(f"could not sign in as {LEAD}: {response.status}")
    return jar


def attach(jar: dict, path: str, name: str, data: bytes) -> int:
    response, page = request("GET", path, headers={"Cookie": cookie_header(jar)})
    version = re.search(rb'name="version" value="(\d+)"', page).group(1).decode()
    boundary = "----bench-upload-boundary"
    fields = {
        "csrfmiddlewaretoken": csrf_token(page),
        "status": "in_progress",
        "narrative": "Benchmark: attaching an evidence document.",
        "version": version,
        "document_marking": "internal",
        "attach": "",
    }
    head = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    )
    file_head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="document"; filename="{name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    body = head + file_head + data + f"\r\n--{boundary}--\r\n".encode()
    response, _ = request(
        "POST",
        path,
        body,
        {"Cookie": cookie_header(jar), "Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    return response.status


def worker_pid(master: int) -> int:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return int(children[0])


def peak_kb(pid: int, field: str = "VmHWM") -> int:
    return int(re.search(rf"{field}:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text()).group(1))


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="tracker-upload-bench-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder}/db.sqlite3",
        "MEDIA_ROOT": str(folder / "media"),
        "STATIC_ROOT": str(folder / "static"),
        "SECRET_KEY": "benchmark-only-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "ERROR",
        "AXES_FAILURE_LIMIT": "1000",
    }
    server = None
    try:
        for command in (["migrate", "--noinput"], ["load_demo_data"]):
            subprocess.run(
                [PYTHON, "manage.py", *command], cwd=ROOT, env={**env, "DEBUG": "1"}, check=True, capture_output=True
            )
        subprocess.run(
            [PYTHON, "manage.py", "collectstatic", "--noinput"],
            cwd=ROOT,
            env={**env, "DEBUG": "0"},
            check=True,
            capture_output=True,
        )
        server = subprocess.Popen(
            [GUNICORN, "tracker.wsgi", "--bind", f"127.0.0.1:{PORT}", "--workers", "1", "--timeout", "120"],
            cwd=ROOT,
            env={**env, "DEBUG": "0"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.time() + 60
        while True:
            try:
                request("GET", "/accounts/login/")
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.2)
        worker = worker_pid(server.pid)
        jar = sign_in()
        open_round = (
            re.search(
                rb"/rounds/([a-z0-9-]+)/answers/tvip-super-complaint/1/",
                request("GET", "/forces/west-midlands/", headers={"Cookie": cookie_header(jar)})[1],
            )
            .group(1)
            .decode()
        )
        path = f"/forces/west-midlands/rounds/{open_round}/answers/tvip-super-complaint/1/"
        if attach(jar, path, "warm-up.pdf", b"%PDF-1.4\n" + os.urandom(64 * 1024)) != 302:
            raise RuntimeError("the warm-up upload was refused")
        # Reset the worker's peak to what it holds now (Linux: "5" to clear_refs), so the peak read after
        # the upload is the upload's own, not an earlier request's.
        Path(f"/proc/{worker}/clear_refs").write_text("5")
        before = peak_kb(worker)
        data = b"%PDF-1.4\n" + os.urandom(SIZE - 9)
        started = time.time()
        status = attach(jar, path, "large.pdf", data)
        seconds = time.time() - started
        after = peak_kb(worker)
        digest = hashlib.sha256(data).hexdigest()
        stored = folder / "media" / "documents" / digest[:2] / digest
        if status != 302 or not stored.is_file() or hashlib.sha256(stored.read_bytes()).hexdigest() != digest:
            raise RuntimeError(f"the 20 MB upload was not stored (HTTP {status})")
        growth = (after - before) / 1024
        met = growth < SIZE / 1024 / 1024
        print(
            f"Evidence upload: a 20 MB PDF stored in {seconds:.1f}s; worker peak RSS {before / 1024:.0f} MB -> "
            f"{after / 1024:.0f} MB, grew {growth:.1f} MB (target < 20 MB: {'met' if met else 'MISSED'})"
        )
        return 0 if met else 1
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
