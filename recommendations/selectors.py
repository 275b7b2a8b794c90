"""Reads: the querysets and figures views and exports show. Writes live in services.py."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet

from forces.models import Force

from .models import Recommendation, Round, StatusUpdate, Theme, ThemeCoding
from .rollup import (
    AnswerRecord,
    CodingRecord,
    ForceRecord,
    RecommendationRecord,
    RoundRollup,
    ThemeRecord,
    compute_rollup,
)


def round_recommendations(round: Round) -> QuerySet[Recommendation]:
    return round.recommendations.select_related("parent").order_by("order", "reference")


def round_rollup(round: Round) -> RoundRollup:
    """The round's figures, counted from each force's last submitted answer (five queries)."""
    recommendations = list(round_recommendations(round))
    recommendation_ids = [recommendation.id for recommendation in recommendations]
    return compute_rollup(
        forces_asked=[ForceRecord(*row) for row in round.forces_asked.values_list("id", "name", "slug")],
        recommendations=[
            RecommendationRecord(item.id, item.reference, item.title, item.text) for item in recommendations
        ],
        themes=[
            ThemeRecord(*row)
            for row in Theme.objects.filter(recommendation_id__in=recommendation_ids).values_list(
                "id", "recommendation_id", "name"
            )
        ],
        answers=[
            AnswerRecord(*row)
            for row in StatusUpdate.objects.filter(round=round)
            .submitted()
            .values_list("force_id", "recommendation_id", "status")
        ],
        codings=[CodingRecord(*row) for row in ThemeCoding.objects.filter(round=round).values_list("force_id", "theme_id")],
        low_coverage_share=settings.LOW_COVERAGE_SHARE,
    )


def dashboard_rounds() -> QuerySet[Round]:
    return Round.objects.order_by("-opens_on", "title")


def default_dashboard_round() -> Round | None:
    """The newest round any force has answered, or else the newest round."""
    answered = Round.objects.filter(updates__is_latest_submitted=True).order_by("-opens_on").first()
    return answered or Round.objects.order_by("-opens_on").first()


def rounds_for_force(force: Force) -> QuerySet[Round]:
    return Round.objects.for_force(force).order_by("closed", "-due_on")


@dataclass(frozen=True)
class AnswerRow:
    """A recommendation in a round as one force sees it: its working version and its submitted one."""

    recommendation: Recommendation
    current: StatusUpdate | None
    submitted: StatusUpdate | None

    @property
    def state(self) -> str:
        current = self.current
        if current is None:
            return "Not started"
        if current.state == StatusUpdate.State.DRAFT:
            return "Carried forward" if current.carried_forward else "Draft"
        if current.review == StatusUpdate.Review.RETURNED:
            return "Returned for more information"
        if current.review == StatusUpdate.Review.ACCEPTED:
            return "Accepted"
        return "Submitted"

    @property
    def state_tag(self) -> str:
        """The GOV.UK tag colour modifier for the state."""
        return {
            "Not started": "govuk-tag--grey",
            "Draft": "govuk-tag--yellow",
            "Carried forward": "govuk-tag--orange",
            "Returned for more information": "govuk-tag--red",
            "Accepted": "govuk-tag--green",
            "Submitted": "govuk-tag--blue",
        }[self.state]


def force_answer_rows(force: Force, round: Round) -> list[AnswerRow]:
    """Every recommendation in the round with the force's working and submitted versions (two queries)."""
    current: dict[int, StatusUpdate] = {}
    submitted: dict[int, StatusUpdate] = {}
    versions = StatusUpdate.objects.filter(round=round, force=force).filter(
        Q(is_current=True) | Q(is_latest_submitted=True)
    )
    for version in versions.select_related("created_by"):
        if version.is_current:
            current[version.recommendation_id] = version
        if version.is_latest_submitted:
            submitted[version.recommendation_id] = version
    return [
        AnswerRow(recommendation, current.get(recommendation.id), submitted.get(recommendation.id))
        for recommendation in round_recommendations(round)
    ]


def answer_history(round: Round, force: Force, recommendation: Recommendation) -> QuerySet[StatusUpdate]:
    return (
        StatusUpdate.objects.filter(round=round, force=force, recommendation=recommendation)
        .select_related("created_by", "reviewed_by")
        .order_by("-version")
    )

