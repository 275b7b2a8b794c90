"""The rules of a report's recommendations and a round's scope (rules.parent_problem,
rules.scope_problems), each refused in the admin with its message next to the field, nothing saved."""

import datetime
import re

import pytest

from recommendations import rules
from recommendations.models import Recommendation, Round
from tests.factories import ForceFactory, RecommendationFactory, ReportFactory, RoundFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_reports():
    """Two reports that both number a recommendation "1"; the first has "2" with parts 2a and 2b."""
    first, second = ReportFactory(short_title="TVIP"), ReportFactory(short_title="Stalking")
    one = RecommendationFactory(report=first, reference="1", title="Honour-based abuse")
    two = RecommendationFactory(report=first, reference="2", title="Awareness")
    parts = [RecommendationFactory(report=first, reference=ref, parent=two) for ref in ("2a", "2b")]
    other_one = RecommendationFactory(report=second, reference="1", title="Stalking protection orders")
    return {"one": one, "two": two, "parts": parts, "other_one": other_one}


def _errors(page: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", error).strip()
        for error in re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', page, re.S)
    ]


def test_a_parent_must_be_in_the_same_report_and_not_itself_a_part(two_reports):
    part = two_reports["parts"][0]
    problem = rules.parent_problem(recommendation=two_reports["one"], parent=two_reports["other_one"])
    assert problem == "Choose a parent from the same report: 1 is in Stalking"
    problem = rules.parent_problem(recommendation=two_reports["one"], parent=part)
    assert problem == "2a is itself a part: choose the recommendation it is a part of"
    assert rules.parent_problem(recommendation=part, parent=part) == "A recommendation cannot be a part of itself"
    problem = rules.parent_problem(recommendation=two_reports["two"], parent=two_reports["one"])
    assert problem == "2 has parts of its own, so it cannot be a part"
    assert rules.parent_problem(recommendation=part, parent=two_reports["two"]) is None
    assert rules.parent_problem(recommendation=part, parent=None) is None


def test_a_recommendation_asked_for_in_a_round_cannot_be_given_parts(two_reports):
    round = RoundFactory(title="Spring round", recommendations=[two_reports["one"]])
    new_part = Recommendation(report=two_reports["one"].report, reference="1a", title="t", text="t")
    assert rules.parent_problem(recommendation=new_part, parent=two_reports["one"]) == (
        f"1 is asked for in {round.title}: take it out of that round's scope (and put its parts in) before "
        "giving it parts"
    )


def test_a_round_cannot_ask_for_a_recommendation_that_has_parts(two_reports):
    chosen = Recommendation.objects.filter(reference__in=["1", "2", "2a"])
    assert rules.scope_problems(chosen) == [
        "TVIP 2: Awareness has parts: put its parts in the round, not the recommendation itself"
    ]
    assert rules.scope_problems(Recommendation.objects.filter(reference__in=["1", "2a", "2b"])) == []


def test_the_admin_refuses_a_parent_from_another_report_next_to_the_field(client, admin_user, two_reports):
    client.force_login(admin_user)
    one = two_reports["one"]
    form = {
        "report": one.report_id,
        "reference": one.reference,
        "order": one.order,
        "parent": two_reports["other_one"].pk,
        "addressee": one.addressee,
        "title": one.title,
        "sentence": "",
        "text": one.text,
        "parts-TOTAL_FORMS": "0",
        "parts-INITIAL_FORMS": "0",
    }
    response = client.post(f"/admin/recommendations/recommendation/{one.pk}/change/", form)
    assert response.status_code == 200
    assert "Choose a parent from the same report: 1 is in Stalking" in _errors(response.content.decode())
    one.refresh_from_db()
    assert one.parent is None


def test_the_admin_names_the_report_in_every_recommendation_picker(client, admin_user, two_reports):
    client.force_login(admin_user)
    for url in ("/admin/recommendations/recommendation/add/", "/admin/recommendations/round/add/"):
        page = client.get(url).content.decode()
        assert ">TVIP 1: Honour-based abuse</option>" in page, url
        assert ">Stalking 1: Stalking protection orders</option>" in page, url


def test_the_admin_refuses_a_round_that_asks_for_a_recommendation_with_parts(client, admin_user, two_reports):
    client.force_login(admin_user)
    today = datetime.date.today()
    form = {
        "title": "Spring round",
        "slug": "spring-round",
        "recommendations": [two_reports["one"].pk, two_reports["two"].pk],
        "forces_asked": [ForceFactory().pk],
        "opens_on": today.isoformat(),
        "due_on": (today + datetime.timedelta(days=30)).isoformat(),
    }
    response = client.post("/admin/recommendations/round/add/", form)
    assert response.status_code == 200
    assert "TVIP 2: Awareness has parts: put its parts in the round, not the recommendation itself" in _errors(
        response.content.decode()
    )
    assert not Round.objects.filter(slug="spring-round").exists()
    form["recommendations"] = [two_reports["one"].pk, *(part.pk for part in two_reports["parts"])]
    assert client.post("/admin/recommendations/round/add/", form).status_code == 302


def test_a_part_added_in_the_admin_is_in_its_parents_report(client, admin_user, two_reports):
    client.force_login(admin_user)
    two = two_reports["two"]
    page = client.get(f"/admin/recommendations/recommendation/{two.pk}/change/").content.decode()
    assert "A part is in the report of the recommendation it is a part of." in page
    form = {
        "report": two.report_id,
        "reference": two.reference,
        "order": two.order,
        "parent": "",
        "addressee": two.addressee,
        "title": two.title,
        "sentence": "",
        "text": two.text,
        "parts-TOTAL_FORMS": "3",
        "parts-INITIAL_FORMS": "2",
    }
    for index, part in enumerate([*two_reports["parts"], None]):
        form |= {
            f"parts-{index}-id": part.pk if part else "",
            f"parts-{index}-parent": two.pk,
            f"parts-{index}-reference": part.reference if part else "2c",
            f"parts-{index}-order": index,
            f"parts-{index}-addressee": "chief_constables",
            f"parts-{index}-report": two_reports["other_one"].report_id,  # ignored: the field is not chosen
            f"parts-{index}-title": "A part",
            f"parts-{index}-sentence": "",
            f"parts-{index}-text": "Text.",
        }
    assert client.post(f"/admin/recommendations/recommendation/{two.pk}/change/", form).status_code == 302
    assert Recommendation.objects.get(reference="2c").report == two.report
