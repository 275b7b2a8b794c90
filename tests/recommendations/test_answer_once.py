"""Answer once: staff link recommendations of different reports that ask the same thing, and a lead
who has answered one reuses that answer for the other in one step, as a new version that says where
it came from. The roll-up counts it for both; staff and the CSV see where it came from."""

import csv
import io
import re

import pytest
from django.contrib.auth import get_user_model

from recommendations import rules, selectors
from recommendations.models import AuditEvent, Recommendation, RecommendationLink, Round, StatusUpdate
from recommendations.services import return_submit
from tests.factories import RecommendationFactory, ReportFactory, make_answer

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def linked(demo):
    """The demo's open round: TVIP 1 is the same as Illustrative follow-up 1; TVIP 2a partly covers
    Illustrative follow-up 2a."""
    round = Round.objects.get(closed=False)
    named = {f"{item.report.slug}/{item.reference}": item for item in round.recommendations.select_related("report")}
    return {
        "round": round,
        "tvip_1": named["tvip-super-complaint/1"],
        "other_1": named["illustrative-follow-up/1"],
        "tvip_2a": named["tvip-super-complaint/2a"],
        "other_2a": named["illustrative-follow-up/2a"],
        "force": round.forces_asked.get(slug="west-midlands"),
    }


def answer_path(round, recommendation, suffix=""):
    return f"/forces/west-midlands/rounds/{round.slug}/answers/{recommendation.report.slug}/{recommendation.reference}/{suffix}"


def lead(client):
    client.force_login(User.objects.get(username="lead-west-midlands"))
    return client


# The rules


def test_a_link_joins_two_answerable_recommendations_of_different_reports_once(linked):
    tvip_1, other_1, tvip_2a = linked["tvip_1"], linked["other_1"], linked["tvip_2a"]
    assert rules.link_problem(source=tvip_1, target=tvip_1).startswith("Choose two different recommendations")
    assert rules.link_problem(source=tvip_1, target=tvip_2a) == (
        "Choose recommendations in different reports: both are in TVIP super-complaint"
    )
    parent = Recommendation.objects.get(report__slug="tvip-super-complaint", reference="2")
    assert rules.link_problem(source=parent, target=other_1) == (
        "TVIP super-complaint 2 has parts: link one of its parts instead"
    )
    # Already linked, whichever way round it is asked.
    assert rules.link_problem(source=other_1, target=tvip_1) == (
        "Illustrative follow-up 1 and TVIP super-complaint 1 are already linked"
    )
    link = RecommendationLink.objects.get(source=tvip_1, target=other_1)
    assert rules.link_problem(source=tvip_1, target=other_1, link_id=link.pk) is None  # the link itself, changed
    assert rules.link_problem(source=tvip_2a, target=linked["other_1"]) is None


def test_the_source_answers_its_target_and_same_as_works_both_ways():
    assert rules.link_answers_from(kind="covers", source_id=1, target_id=2, recommendation_id=2) == 1
    assert rules.link_answers_from(kind="covers", source_id=1, target_id=2, recommendation_id=1) is None
    assert rules.link_answers_from(kind="partly_covers", source_id=1, target_id=2, recommendation_id=1) is None
    assert rules.link_answers_from(kind="same_as", source_id=1, target_id=2, recommendation_id=1) == 2
    assert rules.answered_through_sentence(kind="same_as", through_name="A 1") == "Answered through A 1"
    assert rules.answered_through_sentence(kind="partly_covers", through_name="A 1") == "Partly answered through A 1"


# Staff make the links


def test_staff_link_two_recommendations_and_unlink_them(client, demo):
    client.force_login(User.objects.get(username="portfolio"))
    tvip_3 = Recommendation.objects.get(report__slug="tvip-super-complaint", reference="3")
    other_2b = Recommendation.objects.get(report__slug="illustrative-follow-up", reference="2b")
    page = client.get("/dashboard/links/").content.decode()
    assert "TVIP super-complaint 1" in page and "is the same as" in page
    assert "Illustrative follow-up 2b: Feedback from victims&#x27; groups" in page  # the picker names the report
    response = client.post(
        "/dashboard/links/",
        {"source": tvip_3.pk, "kind": "covers", "target": other_2b.pk, "note": "Both ask for\x07 feedback."},
        follow=True,
    )
    assert "TVIP super-complaint 3 covers Illustrative follow-up 2b: linked." in response.content.decode()
    link = RecommendationLink.objects.get(source=tvip_3, target=other_2b)
    assert (link.kind, link.note, link.created_by.username) == ("covers", "Both ask for feedback.", "portfolio")
    assert AuditEvent.objects.filter(
        action="recommendations_linked", summary__startswith="TVIP super-complaint 3"
    ).exists()

    response = client.post(f"/dashboard/links/{link.pk}/remove/", follow=True)
    assert "are no longer linked" in response.content.decode()
    assert not RecommendationLink.objects.filter(pk=link.pk).exists()
    assert AuditEvent.objects.filter(action="recommendations_unlinked").exists()


@pytest.mark.parametrize(
    "form, field, message",
    [
        ({"kind": "covers"}, "source", "Choose the recommendation whose answer can be reused"),
        ({"source": "x", "kind": "covers", "target": "y"}, "source", "Choose a recommendation from the list"),
        ({"kind": "nonsense"}, "kind", "Choose how the two recommendations relate"),
        ({"kind": "covers", "note": "n" * 1001}, "note", "The note must be 1,000 characters or fewer"),
    ],
)
def test_a_link_refused_says_why_beside_the_field_and_saves_nothing(client, demo, form, field, message):
    client.force_login(User.objects.get(username="portfolio"))
    before = RecommendationLink.objects.count()
    response = client.post("/dashboard/links/", form)
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page and f'href="#id_{field}' in page and message in page
    assert RecommendationLink.objects.count() == before


def test_a_link_within_one_report_is_refused_beside_the_other_recommendation(client, linked):
    client.force_login(User.objects.get(username="portfolio"))
    response = client.post(
        "/dashboard/links/", {"source": linked["tvip_1"].pk, "kind": "same_as", "target": linked["tvip_2a"].pk}
    )
    assert response.status_code == 400
    assert "Choose recommendations in different reports: both are in TVIP super-complaint" in response.content.decode()
    assert RecommendationLink.objects.count() == 2


def test_only_staff_who_may_link_change_links(client, linked):
    client.force_login(User.objects.get(username="lead-west-midlands"))
    assert client.get("/dashboard/links/").status_code == 403
    link = RecommendationLink.objects.first()
    assert client.post(f"/dashboard/links/{link.pk}/remove/").status_code == 403
    reader = User.objects.create_user("reader", password="x")
    from django.contrib.auth.models import Permission

    reader.user_permissions.add(Permission.objects.get(codename="view_all_forces"))
    client.force_login(reader)
    page = client.get("/dashboard/links/")
    assert page.status_code == 200 and "Link them" not in page.content.decode()
    assert client.post("/dashboard/links/", {"kind": "covers"}).status_code == 403
    assert RecommendationLink.objects.filter(pk=link.pk).exists()


# A lead answers once


def test_a_lead_reuses_an_answer_through_a_link_and_staff_see_both_counted_with_where_it_came_from(client, linked):
    round, tvip_1, other_1, force = linked["round"], linked["tvip_1"], linked["other_1"], linked["force"]
    lead(client)
    other_rows = f"/forces/west-midlands/?round={round.slug}&report={other_1.report.slug}"
    assert "Answered through" not in client.get(other_rows).content.decode()
    make_answer(round, force, tvip_1, narrative="Our sexual abuse policy names honour-based abuse.", submit=False)

    # The round shows one report at a time: the illustrative report's rows are at its own address.
    force_page = client.get(other_rows).content.decode()
    assert "Answered through TVIP super-complaint 1: open it to use that answer." in force_page
    page = client.get(answer_path(round, other_1)).content.decode()
    assert "Answered through TVIP super-complaint 1" in page
    assert "Our sexual abuse policy names honour-based abuse." in page
    assert "Both ask forces to name the risk of honour-based abuse" in page  # the link's note

    response = client.post(answer_path(round, other_1, "reuse/"), {"version": 0}, follow=True)
    assert (
        "Illustrative follow-up 1 now has your answer to TVIP super-complaint 1, saved as a draft."
        in response.content.decode()
    )
    reused = StatusUpdate.objects.get(round=round, force=force, recommendation=other_1, is_current=True)
    source = StatusUpdate.objects.get(round=round, force=force, recommendation=tvip_1, is_current=True)
    assert (reused.state, reused.reused_from, reused.narrative) == ("draft", source, source.narrative)
    assert AuditEvent.objects.filter(
        action="answer_reused", summary__contains="reused for Illustrative follow-up 1"
    ).exists()
    assert "Reused from your answer to TVIP super-complaint 1." in client.get(other_rows).content.decode()
    assert (
        "This answer is reused from your answer to TVIP super-complaint 1"
        in client.get(answer_path(round, other_1)).content.decode()
    )

    # Submitting the return sends both; the submitted copy still says where it came from.
    return_submit(round=round, force=force, user=User.objects.get(username="lead-west-midlands"))
    submitted = StatusUpdate.objects.get(round=round, force=force, recommendation=other_1, is_latest_submitted=True)
    assert submitted.reused_from_id == source.pk

    # Staff: counted for both; the answer page and the CSV say where it came from.
    client.force_login(User.objects.get(username="portfolio"))
    figures = selectors.round_figures(round)
    assert figures.figures_for(tvip_1.pk).answered == 1
    assert figures.figures_for(other_1.pk).answered == 1
    staff_page = client.get(
        f"/dashboard/rounds/{round.slug}/recommendations/illustrative-follow-up/1/forces/west-midlands/"
    ).content.decode()
    assert "Reused from" in staff_page and "TVIP super-complaint 1: The risk of honour-based abuse" in staff_page
    rows = list(
        csv.DictReader(
            io.StringIO(
                b"".join(client.get(f"/dashboard/rounds/{round.slug}/answers.csv").streaming_content).decode(
                    "utf-8-sig"
                )
            )
        )
    )
    by_report = {(row["Report"], row["Recommendation"]): row for row in rows if row["Force"] == "West Midlands"}
    assert by_report[("Illustrative follow-up", "1")]["Reused from"] == "TVIP super-complaint 1"
    assert by_report[("TVIP super-complaint", "1")]["Reused from"] == ""


def test_same_as_works_both_ways_and_partly_covers_only_one_way(linked):
    round, force = linked["round"], linked["force"]
    make_answer(round, force, linked["other_1"], narrative="Answered on the illustrative report.", submit=False)
    make_answer(round, force, linked["other_2a"], narrative="Briefings.", submit=False)
    rows = {row.recommendation.pk: row for row in selectors.force_answer_rows(force, round)}
    assert rows[linked["tvip_1"].pk].through.sentence == "Answered through Illustrative follow-up 1"
    # TVIP 2a partly covers the illustrative 2a, not the other way round.
    assert rows[linked["tvip_2a"].pk].through is None
    make_answer(round, force, linked["tvip_2a"], narrative="Awareness.", submit=False)
    rows = {row.recommendation.pk: row for row in selectors.force_answer_rows(force, round)}
    assert rows[linked["other_2a"].pk].through is None  # it has an answer of its own


def test_a_partial_link_says_so_and_asks_the_lead_to_add_what_it_does_not_cover(client, linked):
    round, force = linked["round"], linked["force"]
    make_answer(round, force, linked["tvip_2a"], narrative="Awareness of demographics.", submit=False)
    page = lead(client).get(answer_path(round, linked["other_2a"])).content.decode()
    assert "Partly answered through TVIP super-complaint 2a" in page
    assert "It only partly answers this recommendation: add what it does not cover" in page


def test_a_reused_answer_changed_by_the_lead_is_their_own_and_unchanged_it_keeps_its_source(client, linked):
    round, force, other_1 = linked["round"], linked["force"], linked["other_1"]
    source = make_answer(round, force, linked["tvip_1"], narrative="Policy updated.", submit=False)
    lead(client).post(answer_path(round, other_1, "reuse/"), {"version": 0})
    form = {"status": source.status, "narrative": "Policy updated.", "evidence": "", "not_applicable_reason": ""}
    client.post(answer_path(round, other_1), {**form, "version": 1, "save_draft": "1"})
    current = StatusUpdate.objects.get(round=round, force=force, recommendation=other_1, is_current=True)
    assert (current.version, current.reused_from_id) == (2, source.pk)
    client.post(
        answer_path(round, other_1), {**form, "narrative": "Policy updated, and more.", "version": 2, "save_draft": "1"}
    )
    current = StatusUpdate.objects.get(round=round, force=force, recommendation=other_1, is_current=True)
    assert (current.version, current.reused_from_id) == (3, None)
    history = client.get(answer_path(round, other_1, "history/")).content.decode()
    assert "(reused from the answer to TVIP super-complaint 1)" in history


def test_nothing_is_reused_without_an_answer_to_reuse_or_after_someone_else_saved(client, linked):
    round, force, other_1 = linked["round"], linked["force"], linked["other_1"]
    lead(client)
    response = client.post(answer_path(round, other_1, "reuse/"), {"version": 0}, follow=True)
    assert "There is no answer to a linked recommendation to reuse for Illustrative follow-up 1." in (
        response.content.decode()
    )
    assert not StatusUpdate.objects.filter(recommendation=other_1).exists()
    make_answer(round, force, linked["tvip_1"], submit=False)
    for version in ("1", "-1", "x", "99999999999", ""):
        response = client.post(answer_path(round, other_1, "reuse/"), {"version": version}, follow=True)
        assert response.status_code == 200
        assert not StatusUpdate.objects.filter(recommendation=other_1).exists()
    assert (
        "was answered after you opened it, so nothing was reused"
        in client.post(answer_path(round, other_1, "reuse/"), {"version": 1}, follow=True).content.decode()
    )


def test_another_forces_lead_cannot_reuse_and_a_linked_answer_never_crosses_forces(client, linked):
    round = linked["round"]
    make_answer(round, linked["force"], linked["tvip_1"], submit=False)
    client.force_login(User.objects.get(username="lead-kent"))
    assert (
        client.post(
            f"/forces/west-midlands/rounds/{round.slug}/answers/illustrative-follow-up/1/reuse/", {"version": 0}
        ).status_code
        == 404
    )
    kent = round.forces_asked.get(slug="kent")
    rows = {row.recommendation.pk: row for row in selectors.force_answer_rows(kent, round)}
    assert rows[linked["other_1"].pk].through is None


def test_a_withdrawn_answer_is_not_offered(linked):
    round, force = linked["round"], linked["force"]
    make_answer(round, force, linked["tvip_1"], submit=True)
    from recommendations.services import answer_withdraw

    answer_withdraw(
        round=round,
        force=force,
        recommendation=linked["tvip_1"],
        user=User.objects.get(username="lead-west-midlands"),
        expected_version=1,
        reason="Sent too early.",
    )
    rows = {row.recommendation.pk: row for row in selectors.force_answer_rows(force, round)}
    assert rows[linked["other_1"].pk].through is None


def test_a_link_made_in_the_admin_follows_the_same_rules(client, demo):
    client.force_login(User.objects.get(username="admin"))
    one = Recommendation.objects.get(report__slug="tvip-super-complaint", reference="1")
    three = Recommendation.objects.get(report__slug="tvip-super-complaint", reference="3")
    response = client.post(
        "/admin/recommendations/recommendationlink/add/", {"source": one.pk, "kind": "covers", "target": three.pk}
    )
    assert response.status_code == 200
    assert "Choose recommendations in different reports" in response.content.decode()
    assert RecommendationLink.objects.count() == 2


def test_links_between_reports_outside_the_round_offer_nothing(open_round, force_a, lead_a):
    elsewhere = RecommendationFactory(report=ReportFactory(slug="elsewhere"), reference="1")
    RecommendationLink.objects.create(
        source=open_round.recommendations.get(reference="1"), kind="same_as", target=elsewhere
    )
    make_answer(open_round, force_a, "1", submit=False)
    rows = selectors.force_answer_rows(force_a, open_round)
    assert [row.through for row in rows] == [None, None]


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", response.content.decode()))


def test_the_register_and_the_staff_recommendation_page_list_a_recommendations_links(client, linked):
    client.force_login(User.objects.get(username="portfolio"))
    page = text_of(client.get("/register/illustrative-follow-up/1/"))
    assert "Linked recommendations" in page
    assert "TVIP super-complaint 1: The risk of honour-based abuse is the same as this recommendation" in page
    page = client.get(
        f"/dashboard/rounds/{linked['round'].slug}/recommendations/tvip-super-complaint/2a/"
    ).content.decode()
    assert "This recommendation partly covers" in page and "Every linked recommendation" in page
    lead(client)
    page = text_of(client.get("/register/illustrative-follow-up/1/"))
    assert "TVIP super-complaint 1 (The risk of honour-based abuse) is the same as this recommendation" in page
    assert "Every linked recommendation" not in page
