"""Every main page makes as many queries on ten times the data as on the demo (what `make bench`
checks on PostgreSQL at full size): more forces, more rounds, a previous round to compare with,
more versions of each answer, and a second open round for the lead."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forces.models import Force
from recommendations import selectors
from recommendations.models import Round, Snapshot

pytestmark = pytest.mark.django_db
User = get_user_model()


def main_pages() -> dict[str, tuple[str, str]]:
    """The pages the benchmark measures, found the same way in either data set."""
    round = selectors.default_dashboard_round()
    reference = selectors.round_recommendations(round).first().reference
    snapshot = Snapshot.objects.filter(state=Snapshot.State.PUBLISHED).order_by("-round__opens_on").first()
    open_round = Round.objects.open().for_force(Force.objects.get(slug="west-midlands")).order_by("-opens_on").first()
    return {
        "dashboard": ("portfolio", "/dashboard/"),
        "recommendation": ("portfolio", f"/dashboard/rounds/{round.slug}/recommendations/{reference}/"),
        "staff force": ("portfolio", "/dashboard/forces/west-midlands/"),
        "snapshot": ("portfolio", f"/dashboard/snapshots/{snapshot.pk}/"),
        "lead force": ("lead-west-midlands", "/forces/west-midlands/"),
        "round CSV": ("portfolio", f"/dashboard/rounds/{round.slug}/answers.csv"),
        "snapshot DOCX": ("portfolio", f"/dashboard/snapshots/{snapshot.pk}/snapshot.docx"),
        "snapshot ODS": ("portfolio", f"/dashboard/snapshots/{snapshot.pk}/snapshot.ods"),
        "return XLSX": ("lead-west-midlands", f"/forces/west-midlands/rounds/{open_round.slug}/return.xlsx"),
    }


def count_queries(client) -> dict[str, int]:
    counts = {}
    for name, (username, url) in main_pages().items():
        client.force_login(User.objects.get(username=username))
        client.get(url)  # the first request after signing in also records the sign-in
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code == 200, url
        counts[name] = len(queries)
    return counts


def test_every_main_page_makes_the_same_number_of_queries_on_ten_times_the_data(client, demo):
    on_demo = count_queries(client)
    call_command("generate_scale_data", forces=150, recommendations=12, rounds=3)
    assert Round.objects.open().for_force(Force.objects.get(slug="west-midlands")).count() == 2
    assert count_queries(client) == on_demo


def test_the_dashboard_shows_430_forces_fifty_at_a_time(client, portfolio):
    from tests.recommendations.test_dashboard import bulk_round

    client.force_login(portfolio)
    round = bulk_round(430)
    page = client.get(f"/dashboard/?round={round.slug}&page=2").content.decode()
    assert "Showing forces 51 to 100 of 430." in page
    matrix = page.split('id="matrix"')[1]
    assert matrix.count('<tr class="govuk-table__row">') == 51  # the header row and fifty forces
    assert 'rel="next"' in matrix and 'rel="prev"' in matrix


def test_the_lead_force_page_reads_two_open_rounds_in_the_same_queries_as_one(client, demo, django_assert_num_queries):
    client.force_login(User.objects.get(username="lead-west-midlands"))
    client.get("/forces/west-midlands/")
    call_command("generate_scale_data", forces=3, recommendations=6, rounds=2)
    assert Round.objects.open().for_force(Force.objects.get(slug="west-midlands")).count() == 2
    # 1 session, 2 user, 3 the force, 4 the user's force (membership), 5 the user's permissions,
    # 6 their groups' permissions, 7 the force's rounds, 8 the open rounds' recommendations,
    # 9 the force's current and submitted versions in them, 10 its earlier answers to carry forward,
    # 11-13 the session saved on every request (savepoint, update, release).
    with django_assert_num_queries(13):
        response = client.get("/forces/west-midlands/")
    assert response.content.decode().count("Check answers and submit") == 2
