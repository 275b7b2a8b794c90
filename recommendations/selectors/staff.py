"""Reads for portfolio staff's pages and exports beyond the figures: the answers a page lists, with
the themes coded on them and the practice quoted from them. Counts come from the figures, never here."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from forces.models import Force

from ..models import (
    EvidenceDocument,
    NotablePractice,
    Recommendation,
    RecommendationLink,
    Round,
    Snapshot,
    StatusUpdate,
    ThemeCoding,
)
from .answers import IN_REPORT_ORDER


def round_snapshots(round: Round) -> QuerySet[Snapshot]:
    return round.snapshots.select_related("updates_snapshot").order_by("-created_at")


@dataclass(frozen=True)
class CodedAnswer:
    """A force's submitted answer with the themes staff coded on it and the practice they picked."""

    answer: StatusUpdate
    theme_ids: list[int]
    theme_names: list[str]
    practice: list[NotablePractice]

    @property
    def force(self) -> Force:
        return self.answer.force


def recommendation_answers(round: Round, recommendation: Recommendation, *, query: str = "") -> QuerySet[StatusUpdate]:
    """Every force's submitted answer to one recommendation, by force name, optionally searched
    (for coded_answers, a page at a time)."""
    answers = (
        StatusUpdate.objects.filter(round=round, recommendation=recommendation)
        .submitted()
        .select_related("force", "created_by")
        .order_by("force__name")
    )
    if query:
        answers = answers.filter(Q(narrative__icontains=query) | Q(force__name__icontains=query))
    return answers


def recommendation_answers_page_of(round: Round, recommendation: Recommendation, force: Force, per_page: int) -> int:
    """The page of recommendation_answers, `per_page` to a page, that lists the force's answer (one query)."""
    return recommendation_answers(round, recommendation).filter(force__name__lt=force.name).count() // per_page + 1


def coded_answers(round: Round, recommendation: Recommendation, answers: list[StatusUpdate]) -> list[CodedAnswer]:
    """The answers (to one recommendation in the round) with the themes staff coded on them and the
    practice they picked (two queries)."""
    force_ids = [answer.force_id for answer in answers]
    codings: dict[int, list[tuple[int, str]]] = {}
    for force_id, theme_id, name in (
        ThemeCoding.objects.filter(round=round, theme__recommendation=recommendation, force_id__in=force_ids)
        .order_by("theme__name")
        .values_list("force_id", "theme_id", "theme__name")
    ):
        codings.setdefault(force_id, []).append((theme_id, name))
    practice: dict[int, list[NotablePractice]] = {}
    for item in (
        NotablePractice.objects.filter(round=round, recommendation=recommendation, force_id__in=force_ids)
        .select_related("force")
        .order_by("created_at")
    ):
        practice.setdefault(item.force_id, []).append(item)
    return [
        CodedAnswer(
            answer,
            [theme_id for theme_id, _ in codings.get(answer.force_id, [])],
            [name for _, name in codings.get(answer.force_id, [])],
            practice.get(answer.force_id, []),
        )
        for answer in answers
    ]


def _force_shown_answers(force: Force) -> QuerySet[StatusUpdate]:
    """The answers staff read on a force's page: its last submitted answer to each recommendation in
    each round, or the answer it withdrew."""
    return StatusUpdate.objects.filter(force=force).filter(
        Q(is_latest_submitted=True) | Q(is_current=True, state=StatusUpdate.State.WITHDRAWN)
    )


def force_rounds(force: Force) -> list[Round]:
    """The rounds that asked the force, or hold an answer from it, newest first, each with `answers`:
    how many of its answers the force's page shows in it (one query)."""
    asked = Round.forces_asked.through.objects.filter(round_id=OuterRef("pk"), force=force)
    shown = _force_shown_answers(force).filter(round_id=OuterRef("pk"))
    counted = shown.order_by().values("round_id").annotate(count=Count("pk")).values("count")
    return list(
        Round.objects.filter(Exists(asked) | Exists(shown))
        .annotate(answers=Coalesce(Subquery(counted), 0))
        .order_by("-opens_on", "title", "pk")
    )


def force_submitted_answers(force: Force, round: Round) -> list[CodedAnswer]:
    """A force's last submitted answers in one round, and the answers it withdrew, in report order,
    each with the themes coded on it and the practice quoted from it (three queries)."""
    answers = (
        _force_shown_answers(force)
        .filter(round=round)
        .select_related("recommendation__report", "created_by")
        .order_by(*(f"recommendation__{field}" for field in IN_REPORT_ORDER))
    )
    codings: dict[int, list[tuple[int, str]]] = {}
    for recommendation_id, theme_id, name in (
        ThemeCoding.objects.filter(force=force, round=round)
        .order_by("theme__name")
        .values_list("theme__recommendation_id", "theme_id", "theme__name")
    ):
        codings.setdefault(recommendation_id, []).append((theme_id, name))
    practice: dict[int, list[NotablePractice]] = {}
    for item in NotablePractice.objects.filter(force=force, round=round).select_related("force").order_by("created_at"):
        practice.setdefault(item.recommendation_id, []).append(item)
    coded = []
    for answer in answers:
        answer.round = round  # the page's round: not read again for each answer
        themes = codings.get(answer.recommendation_id, [])
        coded.append(
            CodedAnswer(
                answer,
                [theme_id for theme_id, _ in themes],
                [name for _, name in themes],
                practice.get(answer.recommendation_id, []),
            )
        )
    return coded


def round_practice(round: Round) -> list[NotablePractice]:
    """The practice staff picked to quote from a round's answers (one query): only from answers the
    force still stands by, so nothing is quoted from an answer it withdrew."""
    still_submitted = StatusUpdate.objects.filter(
        round=OuterRef("round_id"),
        force=OuterRef("force_id"),
        recommendation=OuterRef("recommendation_id"),
        is_latest_submitted=True,
    )
    return list(
        NotablePractice.objects.filter(Exists(still_submitted), round=round)
        .select_related("force", "recommendation")
        .order_by("recommendation__order", "created_at")
    )


def round_answers_for_export(round: Round) -> QuerySet[StatusUpdate]:
    """The round's submitted answers, one row per force and recommendation, with what the CSV prints."""
    return (
        StatusUpdate.objects.filter(round=round)
        .submitted()
        .select_related("force", "recommendation__report", "created_by", "reused_from__recommendation__report")
        .order_by("force__name", *(f"recommendation__{field}" for field in IN_REPORT_ORDER))
    )


def round_theme_names(round: Round) -> dict[tuple[int, int], list[str]]:
    """(force id, recommendation id) -> the names of the themes coded on that answer (one query)."""
    names: dict[tuple[int, int], list[str]] = {}
    for force_id, recommendation_id, name in (
        ThemeCoding.objects.filter(round=round)
        .order_by("theme__name")
        .values_list("force_id", "theme__recommendation_id", "theme__name")
    ):
        names.setdefault((force_id, recommendation_id), []).append(name)
    return names


def round_document_names(round: Round) -> dict[tuple[int, int], list[str]]:
    """(force id, recommendation id) -> each evidence document of the force's submitted answer, as
    "name (internal or can be published, SHA-256 digest)" (one query)."""
    names: dict[tuple[int, int], list[str]] = {}
    for force_id, recommendation_id, name, publishable, sha256 in (
        EvidenceDocument.objects.filter(version__round=round, version__is_latest_submitted=True)
        .order_by("version_id", "attached_at", "pk")
        .values_list("version__force_id", "version__recommendation_id", "name", "publishable", "document__sha256")
    ):
        marking = "can be published" if publishable else "internal"
        names.setdefault((force_id, recommendation_id), []).append(f"{name} ({marking}, SHA-256 {sha256})")
    return names


def recommendation_links(recommendation: Recommendation | None = None) -> QuerySet[RecommendationLink]:
    """Links between recommendations of different reports, each end named with its report; only
    those of one recommendation (either end) when it is given."""
    links = RecommendationLink.objects.select_related("source__report", "target__report", "created_by")
    if recommendation is not None:
        links = links.filter(Q(source=recommendation) | Q(target=recommendation))
    return links
