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
from recommendations.models import Round, Snapshot, StatusUpdate

pytestmark = pytest.mark.django_db
User = get_user_model()


def main_pages() -> dict[str, tuple[str, str]]:
    """The pages the benchmark measures, found the same way in either data set."""
    round = selectors.default_dashboard_round()
    first = selectors.round_recommendations(round).first()
    reference, report = first.reference, first.report.slug
    snapshot = Snapshot.objects.filter(state=Snapshot.State.PUBLISHED).order_by("-round__opens_on").first()
    open_round = Round.objects.open().for_force(Force.objects.get(slug="west-midlands")).order_by("-opens_on").first()
    answered = (
        StatusUpdate.objects.submitted().filter(round=round, recommendation=first).order_by("force__name")
    ).first()
    return {
        "staff answer": (
            "portfolio",
            f"/dashboard/rounds/{round.slug}/recommendations/{report}/{reference}/forces/{answered.force.slug}/"
            "?review=needs_review&order=uncoded",
        ),
        "search": ("portfolio", "/dashboard/search/?q=honour"),
        "dashboard": ("portfolio", "/dashboard/"),
        "recommendation": (
            "portfolio",
            f"/dashboard/rounds/{round.slug}/recommendations/{report}/{reference}/",
        ),
        "staff force": ("portfolio", "/dashboard/forces/west-midlands/"),
        "snapshot": ("portfolio", f"/dashboard/snapshots/{snapshot.pk}/"),
        "lead force": ("lead-west-midlands", "/forces/west-midlands/"),
        "round CSV": ("portfolio", f"/dashboard/rounds/{round.slug}/answers.csv"),
        "snapshot DOCX": ("portfolio", f"/dashboard/snapshots/{snapshot.pk}/snapshot.docx"),
        "snapshot ODS": ("portfolio", f"/dashboard/snapshots/{snapshot.pk}/snapshot.ods"),
        "return XLSX": ("lead-west-midlands", f"/forces/west-midlands/rounds/{open_round.slug}/return.xlsx"),
        "register": ("portfolio", "/register/?status=complete&q=the"),
        "register page 2": ("portfolio", "/register/?page=2"),
        "lead register": ("lead-west-midlands", "/register/?status=complete"),
        "register recommendation": ("portfolio", f"/register/{report}/{reference}/?force={answered.force.slug}"),
        "lead register recommendation": ("lead-west-midlands", f"/register/{report}/{reference}/"),
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


def test_the_lead_force_page_reads_two_open_rounds_in_the_same_queries_as_one(client, demo):
    client.force_login(User.objects.get(username="lead-west-midlands"))
    client.get("/forces/west-midlands/")
    with CaptureQueriesContext(connection) as one_round:
        client.get("/forces/west-midlands/")
    call_command("generate_scale_data", forces=3, recommendations=6, rounds=2)
    assert Round.objects.open().for_force(Force.objects.get(slug="west-midlands")).count() == 2
    with CaptureQueriesContext(connection) as two_rounds:
        response = client.get("/forces/west-midlands/")
    assert len(two_rounds) == len(one_round)
    assert response.content.decode().count("Check answers and submit") == 2


# Each main page's queries, pinned and named (on the demo; the test above shows the same numbers at
# ten times the data). Every page signed in makes these two first: 1 the session, 2 the user with
# the force they lead (membership and force joined) and every permission they hold, their own and
# their groups', in one column (tracker/backends.py). STAFF below counts them. None writes: the
# session's expiry is refreshed at most once a minute (tracker/sessions.py), not saved on every request.
STAFF = 2


@pytest.fixture
def staff_client(client, demo):
    client.force_login(User.objects.get(username="portfolio"))
    return client


@pytest.fixture
def lead_client(client, demo):
    client.force_login(User.objects.get(username="lead-west-midlands"))
    return client


def get(client, url):
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return response


def test_the_dashboard_makes_one_query_of_its_own_once_its_figures_are_cached(staff_client, django_assert_num_queries):
    # 3 the figures' revision numbers (the key of the rounds, each marked answered or not, with the
    # round before each, and of the round's figures); on the first visit they are not cached, and
    # 4 every round, 5 every round's scope, 6 the recommendations in scope (with their reports),
    # 7 the forces asked, 8 the submitted answers, 9 the themes, 10 the codings, 11 the withdrawn
    # answers, 12 the chase list's forces (last activity, reminders, and a granted or waiting request
    # for more time as subqueries), 13 their leads, 14 the round's snapshots, 15 the milestones not
    # yet done (which of them are overdue today is worked out from the cached list) and 16 who
    # follows the round are read.
    with django_assert_num_queries(STAFF + 14):
        get(staff_client, "/dashboard/")
    with django_assert_num_queries(STAFF + 1):
        get(staff_client, "/dashboard/")


def test_the_recommendation_page_makes_five_queries_of_its_own_once_its_answers_are_cached(
    staff_client, django_assert_num_queries
):
    url = "/dashboard/rounds/progress-update-march-2024/recommendations/tvip-super-complaint/1/"
    # 3 the round, 4 the recommendation in its scope, 5 the recommendation's themes (the filters),
    # 6 the figures' revision numbers; on the first visit 7-8 the rounds and 9-19 the figures (as on
    # the dashboard), then 20 the number of answers, 21 the page of answers (last submitted or
    # withdrawn) with their forces, authors and reviewers, 22 their codings, 23 the practice quoted
    # from them; 24 (or 7, once the answers are cached) the recommendation's links to other reports'.
    with django_assert_num_queries(STAFF + 22):
        get(staff_client, url)
    with django_assert_num_queries(STAFF + 5):
        get(staff_client, url)


def test_the_staff_force_page_makes_seven_queries_of_its_own(staff_client, django_assert_num_queries):
    # 3 the force, 4 the rounds it is in with how many answers each shows, then in the round shown:
    # 5 the force's codings, 6 the practice quoted from its answers, 7 its last submitted (or
    # withdrawn) answers with their recommendations and authors; 8 the force's action plans'
    # milestones (and, when it has any, 9 their moves), 9 the force's leads.
    for url in (
        "/dashboard/forces/west-midlands/",
        "/dashboard/forces/west-midlands/?round=progress-update-march-2024",
    ):
        with django_assert_num_queries(STAFF + 7):
            get(staff_client, url)


def test_the_snapshot_page_makes_four_queries_of_its_own(staff_client, django_assert_num_queries):
    snapshot = Snapshot.objects.get(state=Snapshot.State.PUBLISHED)
    # 3 the snapshot with its round and the snapshot it corrects, 4 its sections, 5 its
    # recommendations with their parents (the introduction's wording), 6 the published corrections of it.
    with django_assert_num_queries(STAFF + 4):
        get(staff_client, f"/dashboard/snapshots/{snapshot.pk}/")


def test_a_published_snapshots_downloads_make_the_same_queries_built_or_cached(staff_client, django_assert_num_queries):
    snapshot = Snapshot.objects.get(state=Snapshot.State.PUBLISHED)
    for _ in range(2):  # built, then from the cache
        # Each is rendered from the document model, which is the cache key: 3 the snapshot with its
        # round and the snapshot it corrects, 4 its sections, 5 its recommendations with their parents.
        for download in ("snapshot.docx", "snapshot.ods", "figures.csv", "govuk-pack.zip"):
            with django_assert_num_queries(STAFF + 3):
                get(staff_client, f"/dashboard/snapshots/{snapshot.pk}/{download}")


def test_the_round_csv_makes_four_queries_of_its_own(staff_client, django_assert_num_queries):
    # 4 the round, then (while streaming) 5 the codings' theme names, 6 the submitted answers' evidence
    # documents and 7 the submitted answers with their forces, recommendations and authors, in chunks.
    with django_assert_num_queries(STAFF + 4):
        get(staff_client, "/dashboard/rounds/progress-update-march-2024/answers.csv")


def test_the_lead_force_page_makes_nine_queries_in_all(lead_client, django_assert_num_queries):
    # 1 session, 2 the user with the force they lead (so the force is not read again) and their
    # permissions (the navigation), 3 the force's rounds, 4 the open rounds' recommendations, 5 the
    # force's current and submitted versions in them, 6 its earlier answers to carry forward, 7 the
    # links between the recommendations in scope (answer once), 8 its requests for more time in the
    # open rounds (its own due dates), 9 its overdue milestones by recommendation.
    with django_assert_num_queries(9):
        get(lead_client, "/forces/west-midlands/")


def test_the_return_spreadsheet_makes_eight_queries_in_all(lead_client, django_assert_num_queries):
    open_round = Round.objects.open().for_force(Force.objects.get(slug="west-midlands")).get()
    # 1 session, 2 the user with the force they lead, 3 the round, 4 its recommendations, 5 the
    # force's current and submitted versions, 6 its earlier answers to carry forward, 7 the links
    # between the recommendations in scope, 8 the force's milestones for them (the Milestones sheet).
    with django_assert_num_queries(8):
        get(lead_client, f"/forces/west-midlands/rounds/{open_round.slug}/return.xlsx")


def test_saving_an_answer_makes_three_more_queries_once_it_has_a_version(lead_client, django_assert_num_queries):
    open_round = Round.objects.open().for_force(Force.objects.get(slug="west-midlands")).get()
    url = f"/forces/west-midlands/rounds/{open_round.slug}/answers/tvip-super-complaint/1/"
    form = {"status": "in_progress", "narrative": "Saved.", "evidence": "", "not_applicable_reason": ""}
    # 1 session, 2 the user with the force they lead, 3 the round, 4 the recommendation, 5 the
    # recommendations in scope, 6 the force's versions, 7 its earlier answers (the form's starting
    # point), 8 the links between the recommendations in scope, [the current version's evidence
    # documents, the form's choices to remove,] 9 savepoint, 10-11 the recommendation and the force in
    # the round's scope, 12 the current version, locked, [its evidence documents, which the new version
    # keeps,] 13-16 the round, force, recommendation and user exist (validation), 17 savepoint, [the
    # current version no longer current,] 18 the new version, [the documents it keeps, copied,] 19
    # release, 20 the audit event, 21 release. The session is not saved: its expiry is less than a
    # minute old. (No documents: nothing is copied.)
    with django_assert_num_queries(21):
        assert lead_client.post(url, {**form, "version": 0, "save_draft": "1"}).status_code == 302
    with django_assert_num_queries(24):
        assert lead_client.post(url, {**form, "version": 1, "save_draft": "1"}).status_code == 302


def test_the_staff_answer_page_makes_fifteen_queries_of_its_own(staff_client, django_assert_num_queries):
    url = "/dashboard/rounds/progress-update-march-2024/recommendations/tvip-super-complaint/1/forces/west-midlands/?review=needs_review"
    get(staff_client, url)
    # 3 the round, 4 the recommendation in its scope, 5 the force, 6 the answer (last submitted or
    # withdrawn), 7 the recommendation's themes (the filters), 8 the codings and 9 the practice on the
    # answer; 10 the answer's place in the list the staff member works through (its position and the
    # next answer, numbered by the database), 11 every version; 12 the figures' revision numbers, under
    # which the suggestions (the recommendation's coded answers) and the round's answers for the similar
    # ones are cached; 13 the answer's evidence documents, 14 the force's milestones for the
    # recommendation (and, when it has any, their moves); 15 the similar answers shown (when there are
    # any); 16 the themes counted for the coding form, 17 its checkboxes.
    with django_assert_num_queries(STAFF + 15):
        get(staff_client, url)


def test_search_makes_five_queries_of_its_own(staff_client, django_assert_num_queries):
    get(staff_client, "/dashboard/search/?q=honour")
    # 3 the number of answers found, 4 the page of them with their rounds, forces, recommendations and
    # reports (the columns shown); then the filters' choices: 5 rounds, 6 reports, 7 forces (a report's
    # recommendations and a recommendation's themes are listed once one is chosen).
    with django_assert_num_queries(STAFF + 5):
        get(staff_client, "/dashboard/search/?q=honour")


def test_search_lists_the_chosen_reports_recommendations_and_their_themes_in_one_query_each(
    staff_client, django_assert_num_queries
):
    from recommendations.models import Recommendation

    first = Recommendation.objects.get(report__slug="tvip-super-complaint", reference="1")
    url = f"/dashboard/search/?q=honour&report={first.report_id}&recommendation={first.pk}"
    get(staff_client, url)
    # As above, and 8 the report's recommendations, 9 the recommendation's themes.
    with django_assert_num_queries(STAFF + 7):
        get(staff_client, url)


def test_the_register_makes_six_queries_of_its_own_once_its_counts_are_cached(staff_client, django_assert_num_queries):
    # The filters' choices: 4 the reports, 5 the distinct publishers, 6 the distinct theme names (each
    # of the recommendations the reader sees); 7 the number of recommendations that match, 8 the page
    # of them with their reports, parents and newest round answered, 9 the figures' revision numbers
    # (the key of the counts by status in those rounds); on the first visit 10 the counts themselves.
    with django_assert_num_queries(STAFF + 7):
        get(staff_client, "/register/?status=complete&q=honour")
    with django_assert_num_queries(STAFF + 6):
        get(staff_client, "/register/?status=complete&q=honour")


def test_a_leads_register_makes_eight_queries_in_all(lead_client, django_assert_num_queries):
    # 1 the session, 2 the user with the force they lead and their permissions (are they staff?);
    # 3-5 the filters' choices, 6 the number of recommendations, 7 the page of them, 8 the force's
    # latest submitted answers to them.
    with django_assert_num_queries(8):
        get(lead_client, "/register/?status=in_progress")


def test_a_recommendations_register_page_makes_seven_queries_of_its_own(staff_client, django_assert_num_queries):
    # 4 the recommendation with its report and parent, 5 the rounds that asked about it; the table:
    # 6 the forces asked, 7 their answers' statuses and dates; 8 its parts, 9 its links to other
    # reports' recommendations, 10 the chosen force's answers round by round with their reviewers.
    with django_assert_num_queries(STAFF + 7):
        get(staff_client, "/register/tvip-super-complaint/1/?force=kent")


def test_a_leads_recommendation_register_page_makes_seven_queries_in_all(lead_client, django_assert_num_queries):
    # 1-2 as above; 3 the recommendation, 4 the rounds that asked the force about it, 5 its parts,
    # 6 its links to other reports' recommendations, 7 the force's answers round by round.
    with django_assert_num_queries(7):
        get(lead_client, "/register/tvip-super-complaint/1/")


# Commissioners' offices and staff's list of bodies.


@pytest.fixture
def office_client(client, demo):
    client.force_login(User.objects.get(username="pcc-west-midlands"))
    return client


def _wm_response_id():
    from recommendations.models import StatutoryResponse

    return StatutoryResponse.objects.get(body__slug="west-midlands").pk


def test_the_office_page_makes_twelve_queries_in_all(office_client, django_assert_num_queries):
    # 1 session, 2 user with their permissions, 3 the body with its force, 4 the body the user works
    # for, 5 the force's rounds, 6 the open rounds' recommendations to commissioners, 7 the office's
    # current and submitted versions, 8 earlier answers to carry forward, 9 the links between them,
    # 10 the reports to comment on, 11 the body's responses to them, 12 the force's submitted answers
    # in every round.
    with django_assert_num_queries(12):
        get(office_client, "/offices/west-midlands/")


def test_the_response_page_makes_seven_queries_in_all(office_client, django_assert_num_queries):
    response_id = _wm_response_id()
    # 1 session, 2 user with their permissions, 3 the body, 4 the body the user works for, 5 the
    # response with its body, report and the version it updates, 6 its published versions, 7 its
    # sections with their recommendations.
    with django_assert_num_queries(7):
        get(office_client, f"/offices/west-midlands/responses/{response_id}/")


def test_the_response_docx_makes_six_queries_in_all(office_client, django_assert_num_queries):
    response_id = _wm_response_id()
    # As the response page, less its published versions.
    with django_assert_num_queries(6):
        get(office_client, f"/offices/west-midlands/responses/{response_id}/response.docx")


def test_staffs_list_of_bodies_makes_three_queries_of_its_own(staff_client, django_assert_num_queries):
    # 3 the reports bodies must comment on, 4 every body with its force, 5 their published responses
    # to the report.
    with django_assert_num_queries(STAFF + 3):
        get(staff_client, "/dashboard/bodies/")
