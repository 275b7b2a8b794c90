"""A round's figures are cached (selectors.round_figures), and every change they are counted from
shows on the dashboard and the recommendation page at once: the cache never serves a stale figure."""

import datetime
import re

import pytest
from django.utils import timezone

from recommendations.analysis import answer_coding_set
from recommendations.models import NotablePractice, Theme
from recommendations.services import status_update_save
from tests.factories import RecommendationFactory, RoundFactory, ThemeFactory, UserFactory

pytestmark = pytest.mark.django_db


def save(round, force, user, reference, status, *, version, submit=True):
    return status_update_save(
        round=round,
        force=force,
        recommendation=round.recommendations.get(reference=reference),
        user=user,
        expected_version=version,
        status=status,
        narrative=f"{force.name} says {status}.",
        submit=submit,
    )


def dashboard(client, round) -> str:
    return client.get(f"/dashboard/?round={round.slug}&matrix=show").content.decode()


def status_count(page: str, reference: str, label: str) -> str:
    table = page.split(f"Forces by status, recommendation {reference}</caption>")[1].split("</table>")[0]
    row = table.split(f'<th scope="row" class="govuk-table__header">{label}</th>')[1]
    return row.split('numeric">')[1].split("</td>")[0]


def theme_count(page: str, caption: str, name: str) -> str | None:
    if caption not in page:
        return None
    # A theme's name is text staff typed, so it is isolated in <bdi>.
    table = page.split(caption)[1].split("</table>")[0].replace(f'<bdi dir="auto">{name}</bdi>', name)
    if f">{name}</th>" not in table:
        return None
    return table.split(f">{name}</th>")[1].split('numeric">')[1].split("</td>")[0]


def test_a_submitted_answer_shows_on_the_dashboard_at_once(client, portfolio, open_round, force_a, lead_a):
    client.force_login(portfolio)
    assert "0 out of 2 forces responded" in dashboard(client, open_round)
    assert "0 out of 2 forces responded" in dashboard(client, open_round)  # now from the cache

    save(open_round, force_a, lead_a, "1", "complete", version=0)
    page = dashboard(client, open_round)
    assert "1 out of 2 forces responded" in page
    assert status_count(page, "1", "Complete") == "1"
    assert "Forces that have not responded (1)" in page
    matrix = page.split('id="matrix"')[1]
    assert '<strong class="govuk-tag govuk-tag--green">Complete</strong>' in matrix


def test_a_draft_changes_no_figure_and_a_resubmission_changes_them_at_once(
    client, portfolio, open_round, force_a, lead_a
):
    client.force_login(portfolio)
    save(open_round, force_a, lead_a, "1", "complete", version=0)
    assert status_count(dashboard(client, open_round), "1", "Complete") == "1"

    save(open_round, force_a, lead_a, "1", "planned", version=1, submit=False)
    page = dashboard(client, open_round)
    assert status_count(page, "1", "Complete") == "1"  # a draft is not counted
    assert status_count(page, "1", "Planned") == "0"

    save(open_round, force_a, lead_a, "1", "in_progress", version=2)
    page = dashboard(client, open_round)
    assert status_count(page, "1", "Complete") == "0"
    assert status_count(page, "1", "In progress") == "1"
    assert "1 out of 2 forces responded" in page


def test_recoding_an_answer_changes_the_theme_counts_at_once(client, portfolio, open_round, force_a, lead_a):
    client.force_login(portfolio)
    recommendation = open_round.recommendations.get(reference="1")
    policy = ThemeFactory(recommendation=recommendation, name="Specific HBA policy or SOP")
    training = ThemeFactory(recommendation=recommendation, name="Karma Nirvana training")
    save(open_round, force_a, lead_a, "1", "complete", version=0)
    caption = "Themes found in the answers, recommendation 1</caption>"

    def code(themes):
        answer_coding_set(round=open_round, force=force_a, recommendation=recommendation, themes=themes, user=portfolio)

    code([policy])
    page = dashboard(client, open_round)
    assert (theme_count(page, caption, policy.name), theme_count(page, caption, training.name)) == ("1", "0")
    # One coding removed and one added: as many codings as before.
    code([training])
    page = dashboard(client, open_round)
    assert (theme_count(page, caption, policy.name), theme_count(page, caption, training.name)) == ("0", "1")
    code([])
    page = dashboard(client, open_round)
    assert (theme_count(page, caption, policy.name), theme_count(page, caption, training.name)) == ("0", "0")


def test_a_new_theme_shows_at_once_in_every_round_that_asks_the_recommendation(
    client, portfolio, open_round, force_a, lead_a
):
    client.force_login(portfolio)
    recommendation = open_round.recommendations.get(reference="1")
    earlier = RoundFactory(
        title="Earlier",
        recommendations=[recommendation],
        forces_asked=[force_a],
        opens_on=timezone.localdate() - datetime.timedelta(days=100),
        due_on=timezone.localdate() - datetime.timedelta(days=80),
        closed=True,
    )
    caption = "Themes found in the answers, recommendation 1</caption>"
    assert theme_count(dashboard(client, earlier), caption, "Harmful practices lead") is None

    save(open_round, force_a, lead_a, "1", "complete", version=0)
    answer_coding_set(
        round=open_round,
        force=force_a,
        recommendation=recommendation,
        themes=[],
        new_theme_name="Harmful practices lead",
        user=portfolio,
    )
    assert theme_count(dashboard(client, earlier), caption, "Harmful practices lead") == "0"
    assert theme_count(dashboard(client, open_round), caption, "Harmful practices lead") == "1"


def test_the_previous_round_changing_changes_the_comparison_at_once(client, portfolio, open_round, force_a, lead_a):
    client.force_login(portfolio)
    assert "No earlier round asked about these recommendations." in dashboard(client, open_round)
    RoundFactory(
        title="Progress update, last year",
        recommendations=[open_round.recommendations.get(reference="2")],
        forces_asked=[force_a],
        opens_on=timezone.localdate() - datetime.timedelta(days=365),
        due_on=timezone.localdate() - datetime.timedelta(days=335),
        closed=True,
    )
    comparison = dashboard(client, open_round).split('id="comparison"')[1]
    assert "Progress update, last year" in comparison


def test_changes_made_in_the_admin_show_on_the_dashboard_at_once(
    client, portfolio, admin_user, open_round, force_a, force_b, lead_a
):
    save(open_round, force_a, lead_a, "1", "complete", version=0)
    client.force_login(portfolio)
    assert "1 out of 2 forces responded" in dashboard(client, open_round)
    theme = ThemeFactory(recommendation=open_round.recommendations.get(reference="1"), name="IAG in place")
    assert (
        theme_count(
            dashboard(client, open_round), "Themes found in the answers, recommendation 1</caption>", "IAG in place"
        )
        == "0"
    )

    client.force_login(admin_user)
    response = client.post(
        f"/admin/recommendations/theme/{theme.pk}/change/",
        {"recommendation": theme.recommendation_id, "name": "Independent advisory group in place", "description": ""},
    )
    assert response.status_code == 302
    response = client.post(
        f"/admin/recommendations/round/{open_round.pk}/change/",
        {
            "title": open_round.title,
            "slug": open_round.slug,
            "opens_on": open_round.opens_on.isoformat(),
            "due_on": open_round.due_on.isoformat(),
            "recommendations": [item.pk for item in open_round.recommendations.all()],
            "forces_asked": [force_a.pk],  # Kent is no longer asked
        },
    )
    assert response.status_code == 302

    client.force_login(portfolio)
    page = dashboard(client, open_round)
    assert "1 out of 1 forces responded" in page
    assert ">Kent</a></th>" not in page.split('id="matrix"')[1]
    assert (
        theme_count(
            page, "Themes found in the answers, recommendation 1</caption>", "Independent advisory group in place"
        )
        == "0"
    )
    assert not Theme.objects.filter(name="IAG in place").exists()


def test_the_recommendation_page_shows_a_new_coding_at_once(client, portfolio, open_round, force_a, lead_a):
    client.force_login(portfolio)
    recommendation = open_round.recommendations.get(reference="1")
    save(open_round, force_a, lead_a, "1", "complete", version=0)
    url = f"/dashboard/rounds/{open_round.slug}/recommendations/tvip-super-complaint/1/"
    assert "1 of 2 forces answered." in client.get(url).content.decode()

    response = client.post(f"{url}forces/{force_a.slug}/", {"new_theme": "Specific HBA policy or SOP"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert theme_count(page, "Themes found in the answers</caption>", "Specific HBA policy or SOP") == "1"
    assert recommendation.themes.count() == 1


def test_another_recommendation_in_another_round_does_not_share_the_figures(client, portfolio, force_a):
    client.force_login(portfolio)
    first = RoundFactory(title="First", recommendations=[RecommendationFactory(reference="1")], forces_asked=[force_a])
    second = RoundFactory(
        title="Second", recommendations=[RecommendationFactory(reference="7", title="Other")], forces_asked=[force_a]
    )
    assert "Recommendation 1:" in dashboard(client, first)
    page = dashboard(client, second)
    assert "Recommendation 7: Other" in page and "Recommendation 1:" not in page


def test_each_page_and_filter_of_the_matrix_shows_its_own_forces(client, portfolio):
    from tests.recommendations.test_dashboard import bulk_round

    client.force_login(portfolio)
    round = bulk_round(120)

    def matrix(query):
        page = client.get(f"/dashboard/?round={round.slug}&{query}").content.decode()
        return page.split('id="matrix"')[1]

    for _ in range(2):  # the second time from the cache
        assert ">Bulk force 0000</a></th>" in matrix("page=1")
        assert ">Bulk force 0000</a></th>" not in matrix("page=2")
        assert ">Bulk force 0050</a></th>" in matrix("page=2")
        assert "Showing forces 101 to 120 of 120." in matrix("page=3")
        wales = matrix("country=wales")
        assert ">Bulk force 0005</a></th>" in wales and ">Bulk force 0001</a></th>" not in wales
        assert "Showing 23 forces." in matrix("status=planned")  # forces 3, 8, 13 ... 113


def test_the_chase_list_shows_a_draft_a_reminder_and_a_new_lead_at_once(
    client, portfolio, admin_user, open_round, force_a, force_b, lead_a
):
    from recommendations.services import reminders_send

    client.force_login(portfolio)

    def chase_row(force):
        chase = dashboard(client, open_round).split('id="chase-list"')[1].split("</table>")[0]
        return chase.split(f">{force.name}</a></th>")[1].split("</tr>")[0]

    assert "None" in chase_row(force_b) and "No lead set up" in chase_row(force_b)
    reminders_send(today=open_round.due_on - datetime.timedelta(days=7))
    assert "No lead set up" in chase_row(force_b)  # no lead, so no reminder yet
    save(open_round, force_a, lead_a, "1", "planned", version=0, submit=False)
    assert "None" not in chase_row(force_a)  # a draft is activity, though not a response

    client.force_login(admin_user)
    kent_lead = UserFactory(username="lead-kent", email="lead-kent@example.invalid")
    response = client.post("/admin/forces/forcemembership/add/", {"user": kent_lead.pk, "force": force_b.pk})
    assert response.status_code == 302
    client.force_login(portfolio)
    assert "lead-kent@example.invalid" in chase_row(force_b)
    reminders_send(today=open_round.due_on - datetime.timedelta(days=1))
    assert chase_row(force_b).rstrip().endswith('numeric">1</td>')


def test_the_recommendation_page_shows_new_answers_and_quoted_practice_at_once(
    client, portfolio, open_round, force_a, force_b, lead_a, lead_b
):
    client.force_login(portfolio)
    url = f"/dashboard/rounds/{open_round.slug}/recommendations/tvip-super-complaint/1/"
    save(open_round, force_a, lead_a, "1", "complete", version=0)
    assert client.get(url).content.decode().count('class="govuk-summary-card"') == 1

    save(open_round, force_b, lead_b, "1", "planned", version=0)
    page = client.get(url).content.decode()
    assert page.count('class="govuk-summary-card"') == 2 and "Kent says planned." in page

    answer_url = f"{url}forces/{force_b.slug}/"
    response = client.post(answer_url, {"quote_practice": "1", "quote": "A named HBA champion in every team."})
    assert response.status_code == 302
    assert 'One force <bdi dir="auto">A named HBA champion in every team.</bdi>' in client.get(url).content.decode()
    practice = NotablePractice.objects.get()
    client.post(f"/dashboard/practice/{practice.pk}/delete/")
    assert "A named HBA champion" not in client.get(url).content.decode()


def test_a_withdrawn_answer_leaves_the_dashboard_at_once(client, portfolio, open_round, force_a, lead_a):
    from recommendations.services import answer_withdraw

    save(open_round, force_a, lead_a, "1", "complete", version=0)
    client.force_login(portfolio)
    page = dashboard(client, open_round)
    assert "1 out of 2 forces responded" in page and status_count(page, "1", "Complete") == "1"
    dashboard(client, open_round)  # cached

    answer_withdraw(
        round=open_round,
        force=force_a,
        recommendation=open_round.recommendations.get(reference="1"),
        user=lead_a,
        expected_version=1,
        reason="Submitted in error.",
    )
    page = dashboard(client, open_round)
    assert "0 out of 2 forces responded" in page
    assert status_count(page, "1", "Complete") == "0"


def tables_with_figures_triggers() -> set[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT DISTINCT event_object_table FROM information_schema.triggers "
                "WHERE trigger_name LIKE 'figures_revision%%'"
            )
        else:
            cursor.execute(
                "SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'figures_revision%'"
            )
        return {row[0] for row in cursor.fetchall()}


def test_every_table_the_figures_read_raises_their_revision_when_written(demo, client):
    """The figures' key cannot go stale by omission: computing a round's figures (and the previous
    round's, and the chase list) reads only tables whose every write raises the revision in the
    database. A new input to the figures without a trigger fails here."""
    import re

    from django.apps import apps
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from recommendations import selectors
    from recommendations.models import FiguresRevision, Round

    round = Round.objects.get(slug="progress-update-march-2024")
    with CaptureQueriesContext(connection) as queries:
        selectors.round_figures(round)
    tables = {model._meta.db_table for model in apps.get_models(include_auto_created=True)}
    read = {name for query in queries for name in re.findall(r'"(\w+)"', query["sql"]) if name in tables}
    read.discard(FiguresRevision._meta.db_table)  # the key itself
    assert {"recommendations_statusupdate", "recommendations_themecoding", "forces_forcemembership"} <= read
    assert read <= tables_with_figures_triggers(), read - tables_with_figures_triggers()


def test_a_write_outside_the_app_raises_the_revision_too(client, portfolio, open_round, force_a, lead_a):
    """Even SQL typed into a database session: the trigger raises the revision, so the figures move."""
    from django.db import connection

    from recommendations.models import StatusUpdate

    client.force_login(portfolio)
    save(open_round, force_a, lead_a, "1", "complete", version=0)
    assert status_count(dashboard(client, open_round), "1", "Complete") == "1"
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {StatusUpdate._meta.db_table} SET status = %s", ["planned"])
    page = dashboard(client, open_round)
    assert status_count(page, "1", "Complete") == "0"
    assert status_count(page, "1", "Planned") == "1"


def test_a_change_after_a_withdrawal_still_shows_at_once(
    client, portfolio, open_round, force_a, force_b, lead_a, lead_b
):
    """The figures' key stays the revision it was counted at when a withdrawn answer is among them
    (it was once replaced by the withdrawn answer's force and recommendation, so the dashboard's
    cached part outlived the next change)."""
    from recommendations.services import answer_withdraw

    save(open_round, force_a, lead_a, "1", "complete", version=0)
    answer_withdraw(
        round=open_round,
        force=force_a,
        recommendation=open_round.recommendations.get(reference="1"),
        user=lead_a,
        expected_version=1,
        reason="Submitted in error.",
    )
    client.force_login(portfolio)
    assert "0 out of 2 forces responded" in dashboard(client, open_round)
    save(open_round, force_b, lead_b, "2", "planned", version=0)
    page = dashboard(client, open_round)
    assert "1 out of 2 forces responded" in page
    assert status_count(page, "2", "Planned") == "1"


def test_a_drafted_snapshot_shows_on_the_dashboard_at_once(client, portfolio, open_round):
    """The dashboard lists the round's snapshots from its cached figures: drafting one raises the
    round's revision (figures_triggers.PER_ROUND), so the list is never stale."""
    from recommendations.snapshots import snapshot_draft

    client.force_login(portfolio)
    assert "Snapshots of this round" not in dashboard(client, open_round)
    dashboard(client, open_round)  # cached
    snapshot = snapshot_draft(round=open_round, user=portfolio, title="Snapshot for the board")
    page = dashboard(client, open_round)
    assert "Snapshots of this round" in page and "Snapshot for the board" in page
    snapshot.title = "Snapshot for the chief constables"
    snapshot.save(update_fields=["title"])
    assert "Snapshot for the chief constables" in dashboard(client, open_round)


def test_a_process_keeps_the_figures_it_read_only_while_the_cache_holds_them(
    client, portfolio, open_round, force_a, lead_a
):
    """Each process keeps the figures it unpickled (selectors.kept): the same object while the cache
    hands back what it stored, read afresh when the cache is cleared or another process stores them
    again, and never the figures of an older revision."""
    from django.core.cache import cache

    from recommendations import selectors

    first = selectors.round_figures(open_round)
    assert selectors.round_figures(open_round) is first  # kept: the cache still holds the same value

    cache.clear()  # an evicted or cleared cache: counted again, not kept
    again = selectors.round_figures(open_round)
    assert again is not first and again.key == first.key

    token, data = cache.get(again.key)
    cache.set(again.key, ("another process", data))  # stored again elsewhere: unpickled afresh
    elsewhere = selectors.round_figures(open_round)
    assert elsewhere is not again and elsewhere.rollup == again.rollup

    save(open_round, force_a, lead_a, "1", "complete", version=0)
    after = selectors.round_figures(open_round)
    assert after.key != first.key and after.rollup.responded == first.rollup.responded + 1
    client.force_login(portfolio)
    assert "1 out of 2 forces responded" in dashboard(client, open_round)


def test_the_registers_counts_by_status_show_a_new_answer_at_once(
    client, portfolio, open_round, force_a, force_b, lead_a, lead_b
):
    """The register keeps its counts under the rounds' revision numbers: a save moves them."""
    from django.apps import apps
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from recommendations.models import FiguresRevision
    from recommendations.selectors.register import _status_counts

    client.force_login(portfolio)
    save(open_round, force_a, lead_a, "1", "complete", version=0)
    assert "Complete: 1</li>" in client.get("/register/").content.decode()
    save(open_round, force_b, lead_b, "1", "complete", version=0)
    page = client.get("/register/").content.decode()
    assert "Complete: 2</li>" in page and "Complete: 1</li>" not in page
    # What the cached counts are read from raises their round's revision when written.
    recommendation = open_round.recommendations.get(reference="1")
    with CaptureQueriesContext(connection) as queries:
        _status_counts([(recommendation.pk, open_round.pk)])
    tables = {model._meta.db_table for model in apps.get_models(include_auto_created=True)}
    read = {name for query in queries for name in re.findall(r'"(\w+)"', query["sql"]) if name in tables}
    assert read == {"recommendations_statusupdate"} and read <= tables_with_figures_triggers()
    assert FiguresRevision._meta.db_table not in read
