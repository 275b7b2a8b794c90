"""Profile a signed-in page with pyinstrument: where a warm request spends its time.

Run against a database that holds the demo (or the scale data), with pyinstrument installed
(`.venv/bin/pip install pyinstrument`; it is not part of the app):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker DEBUG=0 SECRET_KEY=x ALLOWED_HOSTS=testserver \
        .venv/bin/python bench/profile_pages.py dashboard lead [--requests 200] [--time]

Each page is asked for a few times first (the figures' cache and the database's own caches warm up),
then REQUESTS times inside the profiler, through the whole middleware stack (Django's test client,
as gunicorn's worker would call the WSGI handler). It prints the profile, the queries one request
makes (and whether any of them writes), and the size of the HTML.

`first-dashboard` is the dashboard of the lead's open round right after a save (bench/run.py's
"first dashboard after a save"): before each request, outside the profile, the round's figures
revision is raised as a save's trigger raises it, so every profiled request computes the figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
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
    "first-dashboard": ("portfolio", "/dashboard/?round={open_round}"),
    # The recommendation probe.py measures: the first of the dashboard's default round.
    "timeline": ("portfolio", None),
    "staff force": ("portfolio", "/dashboard/forces/west-midlands/"),
    "search": ("portfolio", "/dashboard/search/?q=honour"),
    # The staff answer page `make bench` measures (bench/probe.py), found when the profile starts.
    "answer": ("portfolio", None),
}
# The pages asked for right after a save in this round (their figures never cached).
COLD = {"first-dashboard"}
LEAD_FORCE = "west-midlands"  # bench/probe.py's FORCE


def open_round():
    """The lead's open round, as bench/probe.py chooses it."""
    from forces.models import Force
    from recommendations.models import Round

    return Round.objects.open().for_force(Force.objects.get(slug=LEAD_FORCE)).order_by("-opens_on").first()


def raise_revision(round) -> None:
    """What a save's trigger does to the round's figures revision (figures_triggers.py)."""
    from django.db.models import F

    from recommendations.models import FiguresRevision

    FiguresRevision.objects.filter(scope=round.pk).update(number=F("number") + 1)


def timeline_url() -> str:
    """The timeline bench/probe.py measures: the first recommendation of the dashboard's default round."""
    from recommendations import selectors

    recommendation = selectors.round_recommendations(selectors.default_dashboard_round()).first()
    return f"/register/{recommendation.report.slug}/{recommendation.reference}/"


def staff_answer_url() -> str:
    from recommendations import selectors

    round = selectors.default_dashboard_round()
    return selectors.bench_answer_url(round, selectors.round_recommendations(round).first())


def main() -> None:
    from pyinstrument import Profiler

    parser = argparse.ArgumentParser()
    parser.add_argument("pages", nargs="+", choices=sorted(PAGES))
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--timing", action="store_true", help="time the requests without the profiler (median)")
    options = parser.parse_args()
    User = get_user_model()
    for name in options.pages:
        username, url = PAGES[name]
        cold = open_round() if name in COLD else None
        url = url.format(open_round=cold.slug if cold else "") if url else {"timeline": timeline_url, "answer": staff_answer_url}[name]()
        client = Client()
        client.force_login(User.objects.get(username=username))
        for _ in range(5):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        queries: list[str] = []

        def logged(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        if cold:
            raise_revision(cold)
        with connection.execute_wrapper(logged):
            response = client.get(url)
        profiler = None if options.timing else Profiler(interval=0.0005)
        walls, cpus = [], []
        for _ in range(options.requests):
            if cold:
                raise_revision(cold)
            clock, cpu = time.perf_counter(), time.process_time()
            if profiler:
                profiler.start()
            client.get(url)
            if profiler:
                profiler.stop()
            walls.append(time.perf_counter() - clock)
            cpus.append(time.process_time() - cpu)
        print(
            f"== {name} {url}: {options.requests} requests, median {statistics.median(walls) * 1000:.1f} ms each"
            f" ({statistics.median(cpus) * 1000:.1f} ms CPU{', profiled' if profiler else ''})"
        )
        print(f"HTML {len(response.content) / 1024:.1f} KB, {len(queries)} queries:")
        for sql in queries:
            write = sql.lstrip().split(" ", 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}
            print(f"  {'WRITE ' if write else ''}{sql[:150]}")
        if profiler:
            print(profiler.output_text(unicode=True, color=False, show_all=False, timeline=False))


if __name__ == "__main__":
    main()
