"""Reads for staff's review and coding: a recommendation's answers in a round as staff work through
them (each force's last submitted answer, or its withdrawal), filtered by review state, coded or
not, theme, status and words, in the order the staff member chose, and the answer after this one.

The review states are rules.answer_review_state, applied in SQL by rules.answers_in_review_state.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When, Window
from django.db.models.functions import Lead, RowNumber

from forces.models import Force

from .. import rules
from ..models import Recommendation, Round, StatusUpdate, Theme, ThemeCoding

ORDER_BY_FORCE = "force"
ORDER_UNCODED_FIRST = "uncoded"
ORDER_NEEDS_REVIEW_FIRST = "needs_review"
ORDER_CHOICES = [
    (ORDER_BY_FORCE, "By force"),
    (ORDER_NEEDS_REVIEW_FIRST, "Needs review first"),
    (ORDER_UNCODED_FIRST, "Not coded first"),
]


@dataclass(frozen=True)
class QueueFilters:
    """What a staff member chose to work through; empty values mean "any"."""

    review: str = ""  # a rules.ReviewState, or NEEDS_REVIEW
    coded: str = ""  # "yes", "no"
    theme: int | None = None
    status: str = ""
    query: str = ""
    order: str = ORDER_BY_FORCE


def staff_visible() -> Q:
    """The version of each answer staff read: the last one the force submitted, or its withdrawal."""
    return Q(is_latest_submitted=True) | Q(is_current=True, state=StatusUpdate.State.WITHDRAWN)


def answer_review_state(answer: StatusUpdate) -> str:
    return rules.answer_review_state(state=answer.state, review=answer.review, is_resubmission=answer.is_resubmission)


def recommendation_queue(
    round: Round, recommendation: Recommendation, filters: QueueFilters = QueueFilters()
) -> QuerySet[StatusUpdate]:
    """Every force's answer to one recommendation in the round as staff review and code them,
    filtered and ordered as chosen; each with `coded` (whether any theme is coded on it)."""
    coded = Exists(
        ThemeCoding.objects.filter(round=round, force=OuterRef("force_id"), theme__recommendation=recommendation)
    )
    answers = (
        StatusUpdate.objects.filter(staff_visible(), round=round, recommendation=recommendation)
        .annotate(coded=coded)
        .select_related("force", "created_by", "reviewed_by")
    )
    if filters.review:
        answers = answers.filter(rules.answers_in_review_state(filters.review))
    if filters.coded:
        answers = answers.filter(coded=filters.coded == "yes")
    if filters.theme:
        answers = answers.filter(
            Exists(ThemeCoding.objects.filter(round=round, force=OuterRef("force_id"), theme_id=filters.theme))
        )
    if filters.status:
        answers = answers.filter(status=filters.status)
    if filters.query:
        answers = answers.filter(Q(narrative__icontains=filters.query) | Q(force__name__icontains=filters.query))
    if filters.order == ORDER_UNCODED_FIRST:
        return answers.order_by("coded", "force__name")
    if filters.order == ORDER_NEEDS_REVIEW_FIRST:
        needs_review = Case(
            When(rules.answers_in_review_state(rules.ReviewState.NEEDS_REVIEW), then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        return answers.annotate(needs_review_first=needs_review).order_by("needs_review_first", "force__name")
    return answers.order_by("force__name")


@dataclass(frozen=True)
class QueuePlace:
    page: int  # the page of the list (per_page to a page) that shows the force's answer
    next_slug: str | None  # the force whose answer comes next, the first if this one is not listed


def queue_place(queue: QuerySet[StatusUpdate], force: Force, per_page: int) -> QueuePlace:
    """Where the force's answer sits in the list staff are working through, and what comes after it
    (one query, of at most two rows: the force's with its position and the next force, and the first).

    The database numbers the list in its order, so the page costs the same at 43 forces and at 430."""
    order = [F(name[1:]).desc() if name.startswith("-") else F(name).asc() for name in queue.query.order_by]
    rows = list(
        queue.annotate(
            position=Window(RowNumber(), order_by=order),
            next_slug=Window(Lead("force__slug"), order_by=order),
        )
        .filter(Q(force=force) | Q(position=1))
        .values_list("force_id", "position", "force__slug", "next_slug")
    )
    mine = next((row for row in rows if row[0] == force.pk), None)
    if mine is None:
        first = next((row for row in rows if row[1] == 1), None)
        return QueuePlace(1, first[2] if first else None)
    return QueuePlace((mine[1] - 1) // per_page + 1, mine[3])


def staff_answer(round: Round, force: Force, recommendation: Recommendation) -> StatusUpdate | None:
    """The answer staff read for one force: its last submitted version, or its withdrawal (with the
    round, force and recommendation the caller holds: the query joins only who wrote and reviewed it,
    and what it reused)."""
    answer = (
        StatusUpdate.objects.filter(staff_visible(), round=round, force=force, recommendation=recommendation)
        .select_related("created_by", "reviewed_by", "reused_from__recommendation__report")
        .first()
    )
    if answer is not None:
        answer.round, answer.force, answer.recommendation = round, force, recommendation
    return answer


def answers_for_bulk_accept(round: Round, recommendation: Recommendation, force_slugs: list[str]):
    """The chosen forces' answers that can still be accepted (needs review), locked by the service."""
    return list(
        StatusUpdate.objects.filter(
            rules.answers_in_review_state(rules.ReviewState.NEEDS_REVIEW),
            round=round,
            recommendation=recommendation,
            is_latest_submitted=True,
            force__slug__in=force_slugs,
        ).select_related("round", "force", "recommendation")
    )


def recommendation_themes(recommendation: Recommendation) -> list[Theme]:
    """The recommendation's themes by name, for the filters (one query)."""
    return list(Theme.objects.filter(recommendation=recommendation).order_by("name"))


def bench_answer_url(round: Round, recommendation: Recommendation) -> str:
    """The staff page of the first force's answer to a recommendation (what `make bench` measures)."""
    from django.urls import reverse

    answer = StatusUpdate.objects.submitted().filter(round=round, recommendation=recommendation)
    force_slug = answer.order_by("force__name").values_list("force__slug", flat=True).first()
    return reverse("recommendations:staff_answer", args=[round.slug, *recommendation.address.values(), force_slug])
