"""The benchmark's portfolio-scale data (generate_scale_data --portfolio), at a small size: its shape,
the model's rules, the answers' invariants and the figures' revision numbers."""

import pytest
from django.core.management import call_command
from django.db.models import Count, Max, Q

from recommendations.models import (
    FiguresRevision,
    Recommendation,
    RecommendationLink,
    Report,
    Round,
    StatusUpdate,
    ThemeCoding,
)
from recommendations.rules import link_problem, parent_problem, scope_problems

pytestmark = pytest.mark.django_db

SMALL = {
    "portfolio": True,
    "portfolio_reports": 6,
    "portfolio_per_report": 10,
    "portfolio_rounds": 3,
    "portfolio_reports_per_round": 2,
}


@pytest.fixture
def portfolio(demo, capsys):
    call_command("generate_scale_data", **SMALL)
    return capsys.readouterr().out


def test_it_generates_reports_with_parts_from_several_publishers(portfolio):
    assert "Portfolio data ready" in portfolio
    reports = Report.objects.filter(slug__startswith="portfolio-report-")
    assert reports.count() == 6
    assert reports.values("publishers").distinct().count() > 1
    assert all("generated" in report.title and "generated" in report.publishers for report in reports)
    recommendations = Recommendation.objects.filter(report__in=reports)
    assert recommendations.count() == 60
    # 1, 2, 3 with 3a-3c, 4, 5, 6, 7 with 7a-7b, 8 ...: ten rows, two parents, five parts
    assert list(recommendations.filter(report__slug="portfolio-report-01").values_list("reference", flat=True)) == [
        "1",
        "2",
        "3",
        "3a",
        "3b",
        "3c",
        "4",
        "5",
        "6",
        "7",
    ]
    for part in recommendations.filter(parent__isnull=False).select_related("parent"):
        assert parent_problem(recommendation=part, parent=part.parent) is None
        assert part.parent.report_id == part.report_id


def test_rounds_ask_every_force_about_answerable_recommendations(portfolio):
    rounds = Round.objects.filter(slug__startswith="portfolio-round-").order_by("opens_on")
    assert [round.closed for round in rounds] == [True, True, False]
    for round in rounds:
        assert round.forces_asked.count() == 43
        assert round.recommendations.count() == 2 * 9  # two reports, the parent "3" left out of each
        assert scope_problems(round.recommendations.all()) == []
        # Each generated round has its own figures revision, raised by the inserts' triggers.
        assert FiguresRevision.objects.filter(scope=round.pk, number__gt=0).exists()


def test_links_join_answerable_recommendations_of_different_reports_once(portfolio):
    links = RecommendationLink.objects.filter(source__report__slug__startswith="portfolio-").select_related(
        "source__report", "target__report"
    )
    assert links.exists()
    for link in links:
        link_id = link.pk
        assert link_problem(source=link.source, target=link.target, link_id=link_id) is None


def test_every_answer_has_versions_one_current_and_at_most_one_latest_submitted(portfolio):
    answers = (
        StatusUpdate.objects.filter(round__slug__startswith="portfolio-")
        .values("round", "force", "recommendation")
        .annotate(
            versions=Count("pk"),
            top=Max("version"),
            current=Count("pk", filter=Q(is_current=True)),
            latest_submitted=Count("pk", filter=Q(is_latest_submitted=True)),
        )
    )
    assert len(answers) > 3 * 40 * 18 * 0.8  # most forces answer most recommendations
    for answer in answers:
        assert 3 <= answer["versions"] == answer["top"] <= 10
        assert answer["current"] == 1
        assert answer["latest_submitted"] <= 1
    generated = StatusUpdate.objects.filter(round__slug__startswith="portfolio-")
    assert not generated.filter(is_latest_submitted=True).exclude(state="submitted").exists()
    assert not generated.filter(round__closed=True, is_current=True).exclude(is_latest_submitted=True).exists()
    assert ThemeCoding.objects.filter(round__slug__startswith="portfolio-").exists()


def test_it_refuses_to_run_twice(portfolio):
    with pytest.raises(Exception, match="already loaded"):
        call_command("generate_scale_data", **SMALL)
