"""Run inside Django by bench/run.py: find the pages to measure in this database and count each one's
SQL queries with the test client (CaptureQueriesContext). Prints one JSON object on stdout.

The pages are the same kind in every database: the dashboard's default round (the newest answered),
its first recommendation, West Midlands (staff and lead pages), the newest snapshot of the round
(the newest published one), and the lead's newest open round for the downloads and the save.
"""

import json
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
from django.test.utils import CaptureQueriesContext  # noqa: E402

from forces.models import Force  # noqa: E402
from recommendations import selectors  # noqa: E402
from recommendations.models import Round, Snapshot, StatusUpdate  # noqa: E402

FORCE = "west-midlands"
BASELINE_ROUND = "progress-update-march-2024"  # the demo's closed round: 40 forces x 6 recommendations


def main() -> None:
    User = get_user_model()
    staff, lead = User.objects.get(username="portfolio"), User.objects.get(username=f"lead-{FORCE}")
    force = Force.objects.get(slug=FORCE)
    round = selectors.default_dashboard_round()
    recommendation = selectors.round_recommendations(round).first()
    # The newest published snapshot: the demo's of March 2024, or the scale data's last closed round's.
    snapshot = Snapshot.objects.filter(state=Snapshot.State.PUBLISHED).order_by("-round__opens_on").first()
    open_round = Round.objects.open().for_force(force).order_by("-opens_on").first()
    # Every answer of the round (up to 16), so that each of wrk's connections saves its own.
    # Each is named by its address under the answers: "<report slug>/<reference>".
    answerable = list(selectors.round_recommendations(open_round))[:16]
    references = [f"{item.report.slug}/{item.reference}" for item in answerable]
    versions = {
        f"{item.report.slug}/{item.reference}": (
            StatusUpdate.objects.filter(round=open_round, force=force, recommendation=item, is_current=True)
            .values_list("version", flat=True)
            .first()
            or 0
        )
        for item in answerable
    }
    answer_base = f"/forces/{FORCE}/rounds/{open_round.slug}/answers/"
    pages = {
        "baseline": ("staff", f"/bench/baseline/?round={BASELINE_ROUND}"),
        "dashboard": ("staff", "/dashboard/"),
        "recommendation": (
            "staff",
            f"/dashboard/rounds/{round.slug}/recommendations/{recommendation.report.slug}/{recommendation.reference}/",
        ),
        "staff force": ("staff", f"/dashboard/forces/{FORCE}/"),
        "snapshot": ("staff", f"/dashboard/snapshots/{snapshot.pk}/"),
        "lead force": ("lead", f"/forces/{FORCE}/"),
        "round CSV": ("staff", f"/dashboard/rounds/{round.slug}/answers.csv"),
        "snapshot DOCX": ("staff", f"/dashboard/snapshots/{snapshot.pk}/snapshot.docx"),
        "snapshot ODS": ("staff", f"/dashboard/snapshots/{snapshot.pk}/snapshot.ods"),
        "return XLSX": ("lead", f"/forces/{FORCE}/rounds/{open_round.slug}/return.xlsx"),
        "staff answer": ("staff", selectors.bench_answer_url(round, recommendation)),
        "search": ("staff", "/dashboard/search/?q=honour"),
        "register": ("staff", "/register/"),
        "timeline": ("staff", f"/register/{recommendation.report.slug}/{recommendation.reference}/"),
    }
    clients = {"staff": Client(), "lead": Client()}
    clients["staff"].force_login(staff)
    clients["lead"].force_login(lead)
    queries = {}
    for name, (who, url) in pages.items():
        clients[who].get(url)  # warm: the first request after sign-in differs (last_login, session)
        with CaptureQueriesContext(connection) as captured:
            response = clients[who].get(url)
            if getattr(response, "streaming", False):
                for _ in response.streaming_content:
                    pass
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        queries[name] = len(captured)
    # A save, counted the same way: the second of two, so that on either data set it is a save of an
    # answer that already has a version (a first version makes one query fewer: no earlier version to
    # mark as no longer current). Both add versions the benchmark then starts from.
    reference = references[0]
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            response = clients["lead"].post(
                f"{answer_base}{reference}/",
                {
                    "status": "in_progress",
                    "narrative": "Benchmark save.",
                    "evidence": "",
                    "not_applicable_reason": "",
                    "version": versions[reference],
                    "save_draft": "1",
                },
            )
        if response.status_code != 302:
            raise SystemExit(f"saving an answer answered {response.status_code}")
        versions[reference] += 1
    queries["save answer"] = len(captured)
    print(
        json.dumps(
            {
                "pages": {name: url for name, (_, url) in pages.items()},
                "who": {name: who for name, (who, _) in pages.items()},
                "queries": queries,
                "save": {"base": answer_base, "references": references, "versions": versions},
                "round": round.slug,
                "open_round": open_round.slug,
            }
        )
    )


if __name__ == "__main__":
    main()
