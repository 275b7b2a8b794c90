"""Profile a signed-in page with pyinstrument: where a warm request spends its time.

Run against a database that holds the demo (or the scale data), with pyinstrument installed
(`.venv/bin/pip install pyinstrument`; it is not part of the app):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker DEBUG=0 SECRET_KEY=x ALLOWED_HOSTS=testserver \
        .venv/bin/python bench/profile_pages.py dashboard lead [--requests 200]

Each page is asked for a few times first (the figures' cache and the database's own caches warm up),
then REQUESTS times inside the profiler, through the whole middleware stack (Django's test client,
as gunicorn's worker would call the WSGI handler). It prints the profile, the queries one request
makes (and whether any of them writes), and the size of the HTML.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

PAGES = {
    "dashboard": ("portfolio", "/dashboard/"),
    "lead": ("lead-west-midlands", "/forces/west-midlands/"),
    "baseline": ("portfolio", "/bench/baseline/?round=progress-update-march-2024"),
    "register": ("portfolio", "/register/"),
    "search": ("portfolio", "/dashboard/search/?q=honour"),
    # The staff answer page `make bench` measures (bench/probe.py), found when the profile starts.
    "answer": ("portfolio", None),
}


def staff_answer_url() -> str:
    from recommendations import selectors

    round = selectors.default_dashboard_round()
    return selectors.bench_answer_url(round, selectors.round_recommendations(round).first())


def main() -> None:
    from pyinstrument import Profiler

    parser = argparse.ArgumentParser()
    parser.add_argument("pages", nargs="+", choices=sorted(PAGES))
    parser.add_argument("--requests", type=int, default=200)
    options = parser.parse_args()
    User = get_user_model()
    for name in options.pages:
        username, url = PAGES[name]
        url = url or staff_answer_url()
        client = Client()
        client.force_login(User.objects.get(username=username))
        for _ in range(5):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        queries: list[str] = []

        def logged(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(logged):
            response = client.get(url)
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for _ in range(options.requests):
            client.get(url)
        profiler.stop()
        session = profiler.last_session
        print(
            f"== {name} {url}: {options.requests} requests, {session.duration * 1000 / options.requests:.1f} ms each, "
            f"{session.cpu_time * 1000 / options.requests:.1f} ms of CPU"
        )
        print(f"HTML {len(response.content) / 1024:.1f} KB, {len(queries)} queries:")
        for sql in queries:
            write = sql.lstrip().split(" ", 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}
            print(f"  {'WRITE ' if write else ''}{sql[:150]}")
        print(profiler.output_text(unicode=True, color=False, show_all=False, timeline=False))


if __name__ == "__main__":
    main()
