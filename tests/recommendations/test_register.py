"""The register of recommendations across reports, and each recommendation's timeline: what each role
sees and never sees, the filters and the search, two reports that both have a "1", paging, and input
no page should choke on."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from recommendations.models import Recommendation, Round
from recommendations.services import answer_withdraw
from tests.factories import (
    ForceFactory,
    RecommendationFactory,
    ReportFactory,
    RoundFactory,
    ThemeFactory,
    UserFactory,
    make_answer,
    make_lead,
)

pytestmark = pytest.mark.django_db
User = get_user_model()

TODAY = timezone.localdate()


@pytest.fixture
def register(force_a, force_b, lead_a, lead_b):
    """Two reports that both have a "1"; an old round (closed) and an open one, both asking West
    Midlands and Kent; answers from each force, one of them withdrawn."""
    tvip = ReportFactory(
        slug="tvip-super-complaint",
        short_title="TVIP super-complaint",
        publishers="HMICFRS",
        url="https://example.org/tvip",
    )
    second = ReportFactory(
        slug="second-report",
        short_title="Second report",
        publishers="College of Policing",
        published_on=datetime.date(2023, 6, 1),
    )
    recommendations = {
        "tvip-1": RecommendationFactory(
            report=tvip,
            reference="1",
            title="The risk of honour-based abuse",
            text="Update sexual abuse policies.",
            order=1,
        ),
        "tvip-2": RecommendationFactory(report=tvip, reference="2", title="Cultural awareness", order=2),
        "second-1": RecommendationFactory(
            report=second,
            reference="1",
            title="Stalking protection orders",
            sentence="Forces use stalking protection orders.",
            text="Use stalking protection orders more often.",
            addressee=Recommendation.Addressee.NATIONAL_BODIES,
            order=1,
        ),
        "second-p1": RecommendationFactory(
            report=second,
            reference="P1",
            title="Commissioned services",
            addressee=Recommendation.Addressee.PCCS,
            order=2,
        ),
        "second-3": RecommendationFactory(report=second, reference="3", title="Never asked", order=3),
    }
    recommendations["tvip-2a"] = RecommendationFactory(
        report=tvip, parent=recommendations["tvip-2"], reference="2a", title="Community demographics", order=3
    )
    old = RoundFactory(
        title="Progress update, March 2024",
        slug="march-2024",
        opens_on=TODAY - datetime.timedelta(days=400),
        due_on=TODAY - datetime.timedelta(days=370),
        recommendations=[recommendations["tvip-1"], recommendations["second-1"]],
        forces_asked=[force_a, force_b],
    )
    new = RoundFactory(
        title="Progress update, now",
        slug="now",
        recommendations=[
            recommendations["tvip-1"],
            recommendations["tvip-2a"],
            recommendations["second-1"],
            recommendations["second-p1"],
        ],
        forces_asked=[force_a, force_b],
    )
    make_answer(
        old, force_a, recommendations["tvip-1"], status="complete", narrative="West Midlands said this in March."
    )
    make_answer(old, force_b, recommendations["tvip-1"], status="planned", narrative="Kent's private plan for March.")
    Round.objects.filter(pk=old.pk).update(closed=True)
    make_answer(new, force_a, recommendations["tvip-1"], status="in_progress", narrative="West Midlands, now.")
    make_answer(new, force_b, recommendations["second-1"], status="will_not_implement", narrative="Kent declines.")
    first = make_answer(new, force_a, recommendations["second-1"], status="complete", narrative="Sent too soon.")
    answer_withdraw(
        round=new,
        force=force_a,
        recommendation=recommendations["second-1"],
        user=lead_a,
        expected_version=first.version,
        reason="Submitted by mistake",
    )
    ThemeFactory(recommendation=recommendations["tvip-1"], name="IAG in place")
    return {"old": old, "new": new, **recommendations}


def listed(page: str) -> list[str]:
    """The register's rows as "<report short title> <reference>", in order."""
    return re.findall(r'<a class="govuk-link" href="/register/[^"]+/">([^<]+)<span', page)


def get(client, user, url, status=200):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


# What each role sees


def test_staff_see_every_recommendation_of_every_report_with_counts_by_status(client, portfolio, register):
    page = get(client, portfolio, "/register/")
    assert listed(page) == [
        "Second report 1",
        "Second report P1",
        "Second report 3",
        "TVIP super-complaint 1",
        "TVIP super-complaint 2",
        "TVIP super-complaint 2a",
    ]
    assert "6 recommendations" in page
    row = page.split('id="recommendation-tvip-super-complaint-1"')[1].split("</tr>")[0]
    # The newest round with answers: West Midlands in progress (Kent's March answer is older).
    assert "In progress: 1" in row and "Progress update, now" in row and "Planned" not in row
    # Second report 1: Kent's answer counts, West Midlands' withdrawn one does not.
    row = page.split('id="recommendation-second-report-1"')[1].split("</tr>")[0]
    assert "Will not implement: 1" in row and "Complete" not in row


def test_a_lead_sees_the_recommendations_their_force_was_asked_to_answer_with_its_latest_status(
    client, lead_a, register
):
    page = get(client, lead_a, "/register/")
    # Not the one to commissioners (the office answers it), not one never asked, not a parent.
    assert listed(page) == ["Second report 1", "TVIP super-complaint 1", "TVIP super-complaint 2a"]
    row = page.split('id="recommendation-tvip-super-complaint-1"')[1].split("</tr>")[0]
    assert "In progress" in row and "Progress update, now" in row
    # Withdrawn in the open round: the latest submitted answer is none (it never answered before).
    row = page.split('id="recommendation-second-report-1"')[1].split("</tr>")[0]
    assert "No submitted answer" in row
    assert "Kent" not in page


def test_a_lead_reads_only_their_own_forces_timeline(client, lead_a, register):
    page = get(client, lead_a, "/register/tvip-super-complaint/1/")
    assert "West Midlands said this in March." in page and "West Midlands, now." in page
    assert "Kent" not in page and "private plan" not in page
    assert "Every force&#x27;s status" not in page
    # Asking for another force changes nothing.
    page = get(client, lead_a, "/register/tvip-super-complaint/1/?force=kent")
    assert "private plan" not in page and "Kent" not in page
    # Each round's answer links to its versions.
    assert "/forces/west-midlands/rounds/march-2024/answers/tvip-super-complaint/1/history/" in page


def test_kents_lead_never_sees_west_midlands_answers_or_withdrawal(client, lead_b, register):
    page = get(client, lead_b, "/register/second-report/1/")
    assert "Kent declines." in page
    assert "Sent too soon." not in page and "Submitted by mistake" not in page and "West Midlands" not in page
    page = get(client, lead_b, "/register/?status=complete")
    assert listed(page) == []


def test_a_lead_cannot_open_a_recommendation_their_force_does_not_answer(client, lead_a, register):
    get(client, lead_a, "/register/second-report/P1/", status=404)  # the commissioner's office answers it
    get(client, lead_a, "/register/second-report/3/", status=404)  # never asked
    get(client, lead_a, "/register/tvip-super-complaint/2/", status=404)  # a parent: only its parts are asked


def test_a_lead_of_a_force_never_asked_sees_an_empty_register(client, register):
    essex = make_lead(ForceFactory(name="Essex"))
    assert "0 recommendations" in get(client, essex, "/register/")
    get(client, essex, "/register/tvip-super-complaint/1/", status=404)


def test_staff_read_every_forces_status_round_by_round_and_one_forces_answers(client, portfolio, register):
    page = get(client, portfolio, "/register/tvip-super-complaint/1/")
    table = page.split('id="timeline-caption"')[1].split("</table>")[0]
    # Rounds oldest first; forces by name.
    assert table.index("Progress update, March 2024") < table.index("Progress update, now")
    kent = table.split('id="force-kent"')[1].split("</tr>")[0]
    assert re.findall(r">(Planned|No response|In progress|Complete)<", kent) == ["Planned", "No response"]
    wm = table.split('id="force-west-midlands"')[1].split("</tr>")[0]
    assert re.findall(r">(Planned|No response|In progress|Complete)<", wm) == ["Complete", "In progress"]
    assert table.index('id="force-kent"') < table.index('id="force-west-midlands"')
    assert 'href="?force=kent#force-timeline"' in table
    # No force chosen: no narrative on the page.
    assert "private plan" not in page
    page = get(client, portfolio, "/register/tvip-super-complaint/1/?force=kent")
    assert "Kent: answers round by round" in page and "Kent&#x27;s private plan for March." in page
    assert "West Midlands said this in March." not in page


def test_a_withdrawn_answer_shows_as_withdrawn_with_its_reason(client, portfolio, register):
    page = get(client, portfolio, "/register/second-report/1/")
    wm = page.split('id="force-west-midlands"')[1].split("</tr>")[0]
    assert "Withdrawn" in wm
    page = get(client, portfolio, "/register/second-report/1/?force=west-midlands")
    detail = page.split('id="force-timeline"')[1]
    assert "Withdrawn" in detail and "Submitted by mistake" in detail and "Why it was withdrawn" in detail


def test_the_page_says_what_the_recommendation_is_and_where_it_sits(client, portfolio, register):
    page = get(client, portfolio, "/register/tvip-super-complaint/2a/")
    assert 'href="/register/tvip-super-complaint/2/"' in page  # its parent
    assert (
        "Progress update, now" in page
        and "Progress update, March 2024" not in page.split('id="about"')[1].split("</dl>")[0]
    )
    page = get(client, portfolio, "/register/tvip-super-complaint/2/")
    assert 'href="/register/tvip-super-complaint/2a/"' in page  # its parts
    assert 'href="https://example.org/tvip"' in page
    assert "HMICFRS" in page and "Chief constables" in page
    assert "Linked recommendations" not in page  # the place is kept for them, empty


def test_two_reports_that_both_have_a_1_are_kept_apart(client, portfolio, lead_a, register):
    tvip = get(client, portfolio, "/register/tvip-super-complaint/1/")
    second = get(client, portfolio, "/register/second-report/1/")
    assert "The risk of honour-based abuse" in tvip and "Stalking protection orders" not in tvip
    assert "Stalking protection orders" in second and "The risk of honour-based abuse" not in second
    tvip = get(client, lead_a, "/register/tvip-super-complaint/1/")
    assert "West Midlands, now." in tvip and "Sent too soon." not in tvip


def test_a_commissioners_office_reads_its_forces_register_and_its_own_recommendations(client, demo):
    office = User.objects.get(username="pcc-west-midlands")
    page = get(client, office, "/register/")
    assert "TVIP super-complaint 4" in listed(page)  # the recommendation to commissioners
    page = get(client, office, "/register/tvip-super-complaint/1/?force=kent")
    assert "West Midlands: answers round by round" in page and "Kent" not in page
    # It reads; it does not open the force's version histories (the lead's pages).
    assert "/history/" not in page
    kent_lead = User.objects.get(username="lead-kent")
    get(client, kent_lead, "/register/tvip-super-complaint/4/", status=404)


def test_someone_without_a_role_is_refused_and_anonymous_asked_to_sign_in(client, register):
    get(client, UserFactory(username="nobody"), "/register/", status=403)
    get(client, User.objects.get(username="nobody"), "/register/tvip-super-complaint/1/", status=403)
    client.logout()
    assert client.get("/register/")["Location"].startswith("/accounts/login/")


def test_the_register_is_in_the_navigation_and_linked_from_answer_pages(client, portfolio, lead_a, register):
    assert 'href="/register/"' in get(client, portfolio, "/dashboard/")
    staff_page = get(client, portfolio, "/dashboard/rounds/now/recommendations/tvip-super-complaint/1/")
    assert 'href="/register/tvip-super-complaint/1/" id="register-link"' in staff_page
    answer_page = get(client, lead_a, "/forces/west-midlands/rounds/now/answers/second-report/1/")
    assert 'href="/register/second-report/1/" id="register-link"' in answer_page
    assert 'href="/register/"' in answer_page


# Filters and search


@pytest.mark.parametrize(
    "query, expected",
    [
        ("report=second-report", ["Second report 1", "Second report P1", "Second report 3"]),
        ("publisher=HMICFRS", ["TVIP super-complaint 1", "TVIP super-complaint 2", "TVIP super-complaint 2a"]),
        ("addressee=pccs", ["Second report P1"]),
        ("addressee=national_bodies", ["Second report 1"]),
        ("theme=IAG+in+place", ["TVIP super-complaint 1"]),
        # Any force's latest: Kent's March "planned" is still its latest on TVIP 1.
        ("status=planned", ["TVIP super-complaint 1"]),
        ("status=in_progress", ["TVIP super-complaint 1"]),
        ("status=will_not_implement", ["Second report 1"]),
        # West Midlands' March "complete" is no longer its latest; the withdrawn one is not submitted.
        ("status=complete", []),
        ("q=STALKING", ["Second report 1"]),  # the title, any case
        ("q=protection+orders+more", ["Second report 1"]),  # the full text
        ("q=forces+use", ["Second report 1"]),  # the sentence
        ("q=P1", ["Second report P1"]),  # the reference
        ("q=sexual+abuse&report=tvip-super-complaint", ["TVIP super-complaint 1"]),
        ("q=sexual+abuse&report=second-report", []),
    ],
)
def test_staff_filter_and_search_the_register(client, portfolio, register, query, expected):
    assert listed(get(client, portfolio, f"/register/?{query}")) == expected


@pytest.mark.parametrize(
    "query, expected",
    [
        ("status=in_progress", ["TVIP super-complaint 1"]),
        ("status=planned", []),  # Kent's, not West Midlands'
        ("status=complete", []),  # its March answer is not its latest
        ("status=will_not_implement", []),
    ],
)
def test_a_leads_status_filter_reads_their_own_forces_latest_status(client, lead_a, register, query, expected):
    assert listed(get(client, lead_a, f"/register/?{query}")) == expected


def test_the_filters_offer_the_reports_publishers_and_themes_there_are(client, portfolio, register):
    page = get(client, portfolio, "/register/")
    assert '<option value="second-report">Second report</option>' in page
    assert '<option value="College of Policing">College of Policing</option>' in page
    assert page.count('<option value="HMICFRS">') == 1  # distinct
    assert '<option value="IAG in place">IAG in place</option>' in page
    assert "csrfmiddlewaretoken" not in page.split('aria-label="Filter the register"')[1].split("</form>")[0]


# Paging and input no page should choke on


def test_the_register_shows_fifty_recommendations_a_page(client, portfolio, db):
    report = ReportFactory(short_title="Big report")
    RecommendationFactory.create_batch(120, report=report)
    page = get(client, portfolio, "/register/")
    assert "120 recommendations" in page and "Showing 1 to 50." in page
    assert len(listed(page)) == 50
    assert 'rel="next"' in page and 'aria-current="page"' in page
    page = get(client, portfolio, "/register/?page=3&report=" + report.slug)
    assert len(listed(page)) == 20 and "Showing 101 to 120." in page and 'rel="prev"' in page
    assert f'href="?report={report.slug}&amp;page=2"' in page
    for page_number in ["999", "abc", "-1", "0"]:
        assert len(listed(get(client, portfolio, f"/register/?page={page_number}"))) in (20, 50)


@pytest.mark.parametrize(
    "query",
    [
        "report=no-such-report",
        "publisher=Nobody",
        "addressee=aliens",
        "theme=" + "x" * 5000,
        "status=sideways",
        "report[]=1&status=1&status=2",
        "q=%27%22%3E%3Cscript%3E",
        "q=%25_%5C",
        "q=%E2%80%AEreversed",
    ],
)
def test_unknown_or_strange_filter_values_are_ignored(client, portfolio, register, query):
    page = get(client, portfolio, f"/register/?{query}")
    assert "<script>" not in page


def test_words_too_long_are_refused_with_a_message_and_the_register_still_shown(client, portfolio, register):
    page = get(client, portfolio, "/register/?q=" + "a" * 201)
    assert "Enter 200 characters or fewer to search for" in page and "govuk-error-summary" in page
    assert "6 recommendations" in page


@pytest.mark.parametrize(
    "url",
    [
        "/register/?q=%00",
        "/register/?report=%00",
        "/register/tvip-super-complaint/1/?force=%00",
        "/register/tvip-super-complaint/%00/",
        "/register/tvip-super-complaint/1%00/",
    ],
)
def test_a_nul_anywhere_never_reaches_the_database(client, portfolio, lead_a, register, url):
    for user in (portfolio, lead_a):
        client.force_login(user)
        assert client.get(url).status_code in (400, 404)


@pytest.mark.parametrize(
    "url",
    [
        "/register/tvip-super-complaint/99/",
        "/register/no-such-report/1/",
        "/register/tvip-super-complaint/" + "9" * 3000 + "/",
        "/register/tvip-super-complaint/%E2%80%AE1/",
    ],
)
def test_a_recommendation_that_is_not_there_is_not_found(client, portfolio, register, url):
    client.force_login(portfolio)
    assert client.get(url).status_code == 404


def test_an_unknown_force_is_ignored_on_a_recommendations_page(client, portfolio, register):
    page = get(client, portfolio, "/register/tvip-super-complaint/1/?force=atlantis")
    assert 'id="timeline-caption"' in page and 'id="force-timeline"' not in page


# The same queries whatever the size of the register


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_register_pages_make_the_same_queries_as_the_data_grows(client, portfolio, lead_a, force_a, register):
    urls = [
        (portfolio, "/register/?status=planned&q=the"),
        (portfolio, "/register/?page=2"),
        (portfolio, "/register/tvip-super-complaint/1/?force=west-midlands"),
        (lead_a, "/register/?status=in_progress"),
        (lead_a, "/register/tvip-super-complaint/1/"),
    ]
    before = []
    for user, url in urls:
        client.force_login(user)
        before.append(_queries(client, url))
    # Three more reports of 40 recommendations, three more rounds, twelve more forces answering.
    forces = [force_a, *(ForceFactory() for _ in range(12))]
    for force in forces[1:]:
        make_lead(force)
    for number in range(3):
        report = ReportFactory()
        recommendations = RecommendationFactory.create_batch(40, report=report)
        for recommendation in recommendations[:5]:
            ThemeFactory(recommendation=recommendation)
        round = RoundFactory(
            opens_on=TODAY - datetime.timedelta(days=30 * (number + 1)),
            recommendations=[register["tvip-1"], *recommendations[:10]],
            forces_asked=forces,
        )
        for force in forces:
            for recommendation in [register["tvip-1"], *recommendations[:3]]:
                make_answer(round, force, recommendation, status="planned", narrative="More to come.")
    after = []
    for user, url in urls:
        client.force_login(user)
        after.append(_queries(client, url))
    assert after == before


def test_the_timeline_shows_fifty_forces_a_page_each_reachable_by_a_link(client, portfolio):
    from tests.recommendations.test_dashboard import bulk_round

    round = bulk_round(60, responders=55)
    recommendation = round.recommendations.get(reference="1")
    url = f"/register/{recommendation.report.slug}/1/"
    client.force_login(portfolio)
    page = client.get(url).content.decode()
    assert "Showing forces 1 to 50 of 60." in page
    assert 'id="force-bulk-force-0049"' in page and 'id="force-bulk-force-0050"' not in page
    assert 'href="?page=2" rel="next"' in page
    second = client.get(f"{url}?page=2").content.decode()
    assert 'id="force-bulk-force-0050"' in second and 'id="force-bulk-force-0059"' in second
    assert 'id="force-bulk-force-0049"' not in second
    # Bulk force 0054 answered, 0057 did not; choosing a force keeps its page.
    row = second.split('id="force-bulk-force-0054"')[1].split("</tr>")[0]
    assert 'href="?page=2&amp;force=bulk-force-0054#force-timeline"' in row
    assert "govuk-tag" in row and "No response" in second.split('id="force-bulk-force-0057"')[1].split("</tr>")[0]
    chosen = client.get(f"{url}?page=2&force=bulk-force-0054").content.decode()
    assert "Bulk force 0054: answers round by round" in chosen
    assert 'href="?force=bulk-force-0054&amp;page=1" rel="prev"' in chosen


@pytest.mark.parametrize("page", ["-1", "0", "nonsense", "9" * 30])
def test_the_timeline_shows_a_page_of_forces_for_any_page_asked_for(client, portfolio, demo, page):
    client.force_login(portfolio)
    response = client.get(f"/register/tvip-super-complaint/1/?page={page}")
    assert response.status_code == 200
    assert 'id="force-west-midlands"' in response.content.decode()


def test_the_filters_lists_are_written_as_djangos_own_select_would_write_them():
    from django import forms

    from recommendations.widgets import Select

    choices = [("", "Any report"), ("a&b", 'The "A" <report>'), ("c", "C")]
    for value in ("", "a&b", None):
        attrs = {"id": "id_report", "class": "govuk-select", "aria-describedby": "hint", "disabled": True}
        ours = Select(choices=choices).render("report", value, attrs)
        django = forms.Select(choices=choices).render("report", value, attrs)
        assert ours.split() == django.split()  # the same markup, but for the blank lines between options
        if value:
            assert f'value="{value.replace("&", "&amp;")}" selected' in ours
