"""The consolidated dashboard, the staff recommendation and force pages: figures, queries, access."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forces.models import Force, ForceMembership, normalise_force_name, slugify_force_name
from recommendations.models import NotablePractice, Reminder, Round, StatusUpdate, Theme, ThemeCoding
from tests.factories import RecommendationFactory, ReportFactory, RoundFactory, ThemeFactory

pytestmark = pytest.mark.django_db
User = get_user_model()

STATUS_CYCLE = ["complete", "complete", "in_progress", "planned", "not_started"]


def bulk_round(
    forces: int,
    *,
    responders: int | None = None,
    title: str = "Progress update, bulk",
    prefix: str = "Bulk force",
    report_slug: str = "tvip-super-complaint",
):
    """A round asking `forces` forces about two recommendations, built with bulk_create so 430 is quick.

    Every force but the last three answers recommendation 1; every other force answers 2.
    """
    responders = forces - 3 if responders is None else responders
    Force.objects.bulk_create(
        [
            Force(
                name=f"{prefix} {n:04d}",
                slug=slugify_force_name(f"{prefix} {n:04d}"),
                match_key=normalise_force_name(f"{prefix} {n:04d}"),
                country=Force.Country.WALES if n % 5 == 0 else Force.Country.ENGLAND,
            )
            for n in range(forces)
        ]
    )
    made = list(Force.objects.filter(name__startswith=prefix).order_by("name"))
    User.objects.bulk_create(
        [User(username=f"lead-{force.slug}", email=f"lead-{force.slug}@example.invalid") for force in made]
    )
    users = list(User.objects.filter(username__startswith=f"lead-{slugify_force_name(prefix)}").order_by("username"))
    ForceMembership.objects.bulk_create(
        [ForceMembership(user=user, force=force) for user, force in zip(users, made, strict=True)]
    )
    first = RecommendationFactory(
        report=ReportFactory(slug=report_slug),
        reference="1",
        title="The risk of honour-based abuse",
        order=1,
    )
    second = RecommendationFactory(report=first.report, reference="2a", title="Awareness", order=2)
    theme = ThemeFactory(recommendation=first, name="Specific HBA policy or SOP")
    round = RoundFactory(title=title, recommendations=[first, second], forces_asked=made, closed=True)
    answered_at = timezone.now() - datetime.timedelta(days=3)
    updates = []
    for index, force in enumerate(made[:responders]):
        updates.append(_submitted(round, force, first, STATUS_CYCLE[index % len(STATUS_CYCLE)], answered_at))
        if index % 2 == 0:
            updates.append(_submitted(round, force, second, "in_progress", answered_at))
    StatusUpdate.objects.bulk_create(updates)
    ThemeCoding.objects.bulk_create(
        [ThemeCoding(round=round, force=force, theme=theme) for force in made[:responders:4]]
    )
    Reminder.objects.bulk_create([Reminder(round=round, force=force, days_before=7) for force in made[responders:]])
    return round


def _submitted(round, force, recommendation, status, at):
    return StatusUpdate(
        round=round,
        force=force,
        recommendation=recommendation,
        version=1,
        state="submitted",
        status=status,
        narrative=f"Answer from {force.name}",
        is_current=True,
        is_latest_submitted=True,
        created_at=at,
    )


def dashboard_queries(client, round) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/dashboard/?round={round.slug}")
    assert response.status_code == 200
    return len(queries)


def test_the_dashboard_makes_the_same_number_of_queries_for_43_forces_and_for_430(client, portfolio):
    client.force_login(portfolio)
    small = bulk_round(43, prefix="Small force")
    big = bulk_round(430, prefix="Big force", title="Progress update, 430 forces", report_slug="big-report")
    # Each the first visit after a change (the list of rounds read again as well as the figures), then warm.
    cache.clear()
    first = dashboard_queries(client, small)
    cache.clear()
    assert dashboard_queries(client, big) == first
    dashboard_queries(client, small)
    assert dashboard_queries(client, small) == dashboard_queries(client, big)


def test_the_dashboard_of_430_forces_names_the_three_to_chase_from_its_cached_figures(client, portfolio):
    """The queries are pinned and named once, in test_query_counts; here, what 430 forces look like."""
    client.force_login(portfolio)
    round = bulk_round(430)
    first = dashboard_queries(client, round)
    response = client.get(f"/dashboard/?round={round.slug}")
    page = response.content.decode()
    assert dashboard_queries(client, round) < first  # the figures come from the cache
    assert "427 out of 430 forces responded" in page
    assert "Forces that have not responded (3)" in page and "lead-big-force-0429@example.invalid" not in page


def test_the_dashboard_shows_hand_counted_figures(client, portfolio):
    client.force_login(portfolio)
    round = bulk_round(10, responders=7)
    page = client.get(f"/dashboard/?round={round.slug}").content.decode()
    # Forces 0-6 answer recommendation 1 with complete, complete, in progress, planned, not started,
    # complete, complete; forces 0, 2, 4, 6 answer 2a "in progress"; forces 0 and 4 are coded.
    assert "7 out of 10 forces responded" in page
    assert "app-progress__bar--70" in page
    assert "Forces that have not responded (3)" in page
    assert "7 of 10 forces answered." in page
    assert "4 of 10 forces answered." in page
    status_table = page.split("Forces by status, recommendation 1</caption>")[1].split("</table>")[0]
    assert _row(status_table, "Complete") == "4"
    assert _row(status_table, "In progress") == "1"
    assert _row(status_table, "Planned") == "1"
    assert _row(status_table, "Not started") == "1"
    assert _row(status_table, "Will not implement") == "0"
    theme_table = page.split("Themes found in the answers, recommendation 1</caption>")[1].split("</table>")[0]
    assert _row(theme_table, "Specific HBA policy or SOP") == "2"
    assert "app-bar--40" in page  # 4 of 10 complete, as a width class rather than a style attribute
    assert 'style="' not in page
    assert "Low coverage" in page  # 2a: 4 of 10 is below half


def _row(table_html: str, label: str) -> str:
    # A theme's name is text staff typed, so it is isolated in <bdi>; a status label is not.
    table_html = table_html.replace(f'<bdi dir="auto">{label}</bdi>', label)
    row = table_html.split(f'<th scope="row" class="govuk-table__header">{label}</th>')[1]
    return row.split('numeric">')[1].split("</td>")[0]


def test_the_chase_list_names_each_lead_last_activity_and_reminders(client, portfolio):
    client.force_login(portfolio)
    round = bulk_round(6, responders=4)
    late = Force.objects.get(name="Bulk force 0004")
    StatusUpdate.objects.create(
        round=round,
        force=late,
        recommendation=round.recommendations.first(),
        version=1,
        state="draft",
        status="planned",
        created_at=timezone.make_aware(datetime.datetime(2024, 2, 1, 9, 30)),
    )
    Reminder.objects.create(round=round, force=late, days_before=1)
    page = client.get(f"/dashboard/?round={round.slug}").content.decode()
    chase = page.split('id="chase-list"')[1].split("</table>")[0]
    assert "Bulk force 0004" in chase and "Bulk force 0005" in chase and "Bulk force 0003" not in chase
    assert "lead-bulk-force-0004@example.invalid" in chase
    assert "1 Feb 2024, 09:30" in chase  # a draft counts as activity
    assert chase.count('numeric">2</td>') == 1  # two reminders for 0004, one for 0005
    assert chase.count('numeric">1</td>') == 1


def test_the_matrix_shows_each_status_as_text_and_links_to_the_answer(client, portfolio):
    client.force_login(portfolio)
    round = bulk_round(5, responders=3)
    page = client.get(f"/dashboard/?round={round.slug}&matrix=show").content.decode()
    matrix = page.split('id="matrix"')[1]
    # Each answer links to the force's page, at that round, at its answer to the recommendation.
    anchor = f"{round.slug}-{round.recommendations.get(reference='1').anchor}"
    assert f'href="/dashboard/forces/bulk-force-0000/?round={round.slug}#{anchor}"' in matrix
    assert f'id="{anchor}"' in client.get(f"/dashboard/forces/bulk-force-0000/?round={round.slug}").content.decode()
    assert '<strong class="govuk-tag govuk-tag--green">Complete</strong>' in matrix
    assert '<strong class="govuk-tag govuk-tag--grey">No response</strong>' in matrix


def test_the_matrix_is_shown_when_asked_for_and_the_dashboard_stays_under_60_kb(client, portfolio, demo):
    client.force_login(portfolio)
    page = client.get("/dashboard/")
    html = page.content.decode()
    assert len(page.content) <= 60 * 1024
    matrix = html.split('id="matrix"')[1]
    assert "43 forces." in matrix and "govuk-tag" not in matrix
    assert "?round=progress-update-march-2024&amp;matrix=show#matrix" in matrix
    shown = client.get("/dashboard/?round=progress-update-march-2024&matrix=show").content.decode()
    assert "Showing 43 forces." in shown and ">West Midlands</a></th>" in shown.split('id="matrix"')[1]


def test_the_dashboard_is_gzipped_when_the_browser_asks(client, portfolio, demo):
    import gzip

    client.force_login(portfolio)
    plain = client.get("/dashboard/")
    packed = client.get("/dashboard/", headers={"accept-encoding": "gzip"})
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert len(packed.content) < len(plain.content) / 4
    assert b"out of 43 forces responded" in gzip.decompress(packed.content)


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("country=wales", ["Bulk force 0000", "Bulk force 0005"], ["Bulk force 0001"]),
        ("status=planned", ["Bulk force 0003"], ["Bulk force 0000", "Bulk force 0001"]),
        ("status=no_response", ["Bulk force 0008", "Bulk force 0001"], ["Bulk force 0000"]),
        ("country=wales&status=not_started", [], ["Bulk force 0000", "Bulk force 0005"]),
        ("country=atlantis&status=nonsense", ["Bulk force 0000", "Bulk force 0009"], []),
    ],
)
def test_the_matrix_filters_by_country_and_status(client, portfolio, query, shown, hidden):
    client.force_login(portfolio)
    round = bulk_round(10, responders=8)
    page = client.get(f"/dashboard/?round={round.slug}&{query}").content.decode()
    matrix = page.split('id="matrix"')[1]
    for name in shown:
        assert f">{name}</a></th>" in matrix
    for name in hidden:
        assert f">{name}</a></th>" not in matrix


def test_the_dashboard_compares_with_the_previous_round_that_shares_recommendations(
    client, portfolio, force_a, force_b
):
    client.force_login(portfolio)
    recommendation = RecommendationFactory(reference="1", title="Policy")
    other = RecommendationFactory(reference="9", title="Unrelated")
    today = timezone.localdate()
    earlier = RoundFactory(
        title="Earlier",
        recommendations=[recommendation],
        forces_asked=[force_a, force_b],
        opens_on=today - datetime.timedelta(days=200),
        due_on=today - datetime.timedelta(days=150),
    )
    RoundFactory(
        title="Unrelated round",
        recommendations=[other],
        forces_asked=[force_a],
        opens_on=today - datetime.timedelta(days=100),
        due_on=today - datetime.timedelta(days=90),
    )
    later = RoundFactory(
        title="Later",
        recommendations=[recommendation],
        forces_asked=[force_a, force_b],
        opens_on=today - datetime.timedelta(days=10),
        due_on=today + datetime.timedelta(days=10),
    )
    now = timezone.now()
    StatusUpdate.objects.bulk_create(
        [
            _submitted(earlier, force_a, recommendation, "planned", now),
            _submitted(earlier, force_b, recommendation, "in_progress", now),
            _submitted(later, force_a, recommendation, "complete", now),
            _submitted(later, force_b, recommendation, "in_progress", now),
        ]
    )
    page = client.get(f"/dashboard/?round={later.slug}").content.decode()
    comparison = page.split('id="comparison"')[1].split("</table>")[0]
    assert "Earlier" in comparison and "Unrelated round" not in comparison
    assert "1 from planned to complete" in comparison
    cells = [cell.split("</td>")[0] for cell in comparison.split('cell--numeric">')[1:]]
    assert cells == ["2", "1", "1"]  # answered both, same status, moved


def test_a_lead_is_refused_the_dashboard_and_its_pages(client, lead_b, demo):
    client.force_login(lead_b)
    for path in [
        "/dashboard/",
        "/dashboard/rounds/progress-update-march-2024/recommendations/tvip-super-complaint/1/",
        "/dashboard/rounds/progress-update-march-2024/recommendations/tvip-super-complaint/1/forces/west-midlands/",
        "/dashboard/forces/west-midlands/",
        "/dashboard/forces/kent/",
    ]:
        assert client.get(path).status_code == 403, path


def test_anonymous_people_are_sent_to_sign_in(client, demo):
    for path in [
        "/dashboard/",
        "/dashboard/rounds/progress-update-march-2024/recommendations/tvip-super-complaint/1/",
        "/dashboard/forces/kent/",
    ]:
        assert client.get(path)["Location"].startswith("/accounts/login/"), path


def test_the_recommendation_page_shows_every_forces_answer_and_searches_them(client, portfolio, demo):
    client.force_login(portfolio)
    url = "/dashboard/rounds/progress-update-march-2024/recommendations/tvip-super-complaint/3/"
    page = client.get(url).content.decode()
    assert "15 of 43 forces answered." in page
    assert page.count('class="govuk-summary-card"') == 15
    page = client.get(url, {"q": "third of crime reports"}).content.decode()
    assert page.count('class="govuk-summary-card"') == 1
    assert "West Midlands" in page
    page = client.get(url, {"q": "cheshire"}).content.decode()
    assert page.count('class="govuk-summary-card"') == 1
    assert (
        client.get("/dashboard/rounds/progress-update-march-2024/recommendations/tvip-super-complaint/4/").status_code
        == 404
    )


def test_the_recommendation_page_lists_answers_fifty_to_a_page(client, portfolio):
    client.force_login(portfolio)
    round = bulk_round(120)  # 117 forces answered recommendation 1
    url = f"/dashboard/rounds/{round.slug}/recommendations/tvip-super-complaint/1/"
    page = client.get(url, {"page": 2}).content.decode()
    assert "117 of 120 forces answered." in page
    assert "117 answers. Showing 51 to 100." in page
    assert page.count('class="govuk-summary-card"') == 50
    assert 'id="answer-bulk-force-0050"' in page and 'id="answer-bulk-force-0049"' not in page
    assert 'href="?page=1" rel="prev"' in page and 'href="?page=3" rel="next"' in page
    page = client.get(url, {"q": "Bulk force 01", "page": 2}).content.decode()
    assert "17 answers containing “Bulk force 01”." in page  # forces 0100 to 0116, on one page
    assert page.count('class="govuk-summary-card"') == 17


def test_coding_an_answer_returns_to_the_page_that_lists_it(client, portfolio):
    client.force_login(portfolio)
    round = bulk_round(120)
    theme = Theme.objects.get(recommendation__reference="1", recommendation__rounds=round)
    url = f"/dashboard/rounds/{round.slug}/recommendations/tvip-super-complaint/1/forces/bulk-force-0060/"
    listed = f"/dashboard/rounds/{round.slug}/recommendations/tvip-super-complaint/1/?page=2#answer-bulk-force-0060"
    assert f'href="{listed.replace("&", "&amp;")}" class="govuk-back-link"' in client.get(url).content.decode()
    response = client.post(url, {"themes": [theme.pk]})
    assert response.status_code == 302 and response.url == listed


def test_staff_code_an_answer_with_existing_and_new_themes(client, portfolio, demo):
    client.force_login(portfolio)
    url = "/dashboard/rounds/progress-update-march-2024/recommendations/tvip-super-complaint/1/forces/essex/"
    assert client.get(url).status_code == 404  # Essex did not respond
    url = "/dashboard/rounds/progress-update-march-2024/recommendations/tvip-super-complaint/1/forces/dorset/"
    karma = Theme.objects.get(recommendation__reference="1", name="Karma Nirvana training")
    response = client.post(url, {"themes": [karma.pk], "new_theme": "Harmful practices lead"})
    assert response.status_code == 302
    codings = dict(
        ThemeCoding.objects.filter(force__name="Dorset", theme__recommendation__reference="1").values_list(
            "theme__name", "coded_by__username"
        )
    )
    # A coding kept keeps who made it; the new theme is stamped with the person who coded it.
    assert set(codings) == {"Karma Nirvana training", "Harmful practices lead"}
    assert codings["Harmful practices lead"] == "portfolio"
    page = client.get("/dashboard/?round=progress-update-march-2024").content.decode()
    theme_table = page.split("Themes found in the answers, recommendation 1</caption>")[1].split("</table>")[0]
    assert _row(theme_table, "Harmful practices lead") == "1"


def test_a_new_theme_that_already_exists_is_refused_with_an_error_summary(client, portfolio, demo):
    client.force_login(portfolio)
    url = "/dashboard/rounds/progress-update-march-2024/recommendations/tvip-super-complaint/1/forces/dorset/"
    before = ThemeCoding.objects.count()
    response = client.post(url, {"new_theme": "karma nirvana training"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in page and "already exists" in page
    assert ThemeCoding.objects.count() == before


def test_staff_quote_practice_anonymously_by_default(client, portfolio, demo):
    client.force_login(portfolio)
    url = "/dashboard/rounds/progress-update-march-2024/recommendations/tvip-super-complaint/2d/forces/dorset/"
    response = client.post(url, {"quote_practice": "1", "quote": "has 54 dedicated HBA Champions."})
    assert response.status_code == 302
    practice = NotablePractice.objects.get(created_by=portfolio)  # the demo quotes practice of its own
    assert (practice.force.name, practice.name_force, practice.created_by.username) == ("Dorset", False, "portfolio")
    page = client.get(
        "/dashboard/rounds/progress-update-march-2024/recommendations/tvip-super-complaint/2d/"
    ).content.decode()
    assert 'One force <bdi dir="auto">has 54 dedicated HBA Champions.</bdi>' in page
    page = client.post(url, {"quote_practice": "1", "quote": ""}).content.decode()
    assert "Enter the passage to quote" in page and "govuk-error-summary" in page


def test_the_staff_force_page_shows_one_round_at_a_time_and_links_the_others(client, portfolio, demo):
    client.force_login(portfolio)
    newest = Round.objects.filter(forces_asked__slug="west-midlands").order_by("-opens_on").first()
    page = client.get("/dashboard/forces/west-midlands/").content.decode()
    assert f'<strong aria-current="page">{newest.title}</strong>' in page
    assert 'id="progress-update-march-2024-recommendation-tvip-super-complaint-1"' not in page
    link = '<a class="govuk-link" href="?round=progress-update-march-2024#round-progress-update-march-2024">'
    assert link in page
    page = client.get("/dashboard/forces/west-midlands/?round=progress-update-march-2024").content.decode()
    assert 'id="progress-update-march-2024-recommendation-tvip-super-complaint-1"' in page
    assert 'id="progress-update-march-2024-recommendation-tvip-super-complaint-3"' in page
    assert "third of crime reports" in page
    assert "Specific HBA policy or SOP" in page
    assert f'href="?round={newest.slug}#round-{newest.slug}"' in page
    page = client.get("/dashboard/forces/kent/").content.decode()
    assert "Kent has not submitted an answer in any round." in page


@pytest.mark.parametrize("chosen", ["nonsense", "%3Cb%3E", "9" * 40, ""])
def test_the_staff_force_page_shows_the_newest_round_for_a_round_it_does_not_know(client, portfolio, demo, chosen):
    client.force_login(portfolio)
    newest = Round.objects.filter(forces_asked__slug="west-midlands").order_by("-opens_on").first()
    response = client.get(f"/dashboard/forces/west-midlands/?round={chosen}")
    page = response.content.decode()
    assert response.status_code == 200
    assert f'<strong aria-current="page">{newest.title}</strong>' in page
    assert ("is not in a round" in page) == bool(chosen)
    assert "<b>" not in page.split('id="unknown-round"')[-1].split("</div>")[0]
