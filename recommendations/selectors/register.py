"""Reads for the register: every recommendation across reports a reader may see (access.register_scope),
filtered and searched, with a compact count by status for staff; and one recommendation's timeline,
every force's status round by round, and one force's answers in detail.

A force's latest status is rules.latest_submitted_answers; the answer each round shows is the one
staff read (review.staff_visible: the last one submitted, or its withdrawal). Each read is one query,
whatever the number of reports, forces, rounds or versions.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from forces.models import Force

from .. import rules
from ..models import Recommendation, Report, Round, Status, StatusUpdate, Theme
from .figures import FIGURES_CACHE_SECONDS, figures_revisions
from .review import staff_visible


@dataclass(frozen=True)
class RegisterFilters:
    """What the reader chose; empty values mean "any"."""

    report: str = ""  # a report's slug
    publisher: str = ""
    addressee: str = ""
    theme: str = ""  # a theme's name (the same name may code several recommendations)
    status: str = ""  # a Status value: the latest status (the reader's force's, or any force's for staff)
    query: str = ""


@dataclass(frozen=True)
class RegisterChoices:
    """The values the filters offer, read from what the reader may see."""

    reports: list[tuple[str, str]]  # (slug, short title)
    publishers: list[str]
    themes: list[str]


def register_choices(scope: QuerySet[Recommendation]) -> RegisterChoices:
    """Three queries: the reports, the distinct publishers, and the distinct theme names."""
    reports = Report.objects.filter(Exists(scope.filter(report_id=OuterRef("pk"))))
    return RegisterChoices(
        reports=list(reports.order_by("short_title", "slug").values_list("slug", "short_title")),
        publishers=list(reports.order_by("publishers").values_list("publishers", flat=True).distinct()),
        themes=list(
            Theme.objects.filter(Exists(scope.filter(pk=OuterRef("recommendation_id"))))
            .order_by("name")
            .values_list("name", flat=True)
            .distinct()
        ),
    )


def latest_answers(force: Force | None = None) -> QuerySet[StatusUpdate]:
    """Each force's latest submitted answer to each recommendation (rules.latest_submitted_answers),
    or one force's."""
    answers = StatusUpdate.objects.filter(rules.latest_submitted_answers())
    return answers if force is None else answers.filter(force=force)


def _newest_answered_round(recommendation_id: str) -> QuerySet[Round]:
    """The newest round that asked about the recommendation (the outer query's `recommendation_id`
    field) and has a submitted answer to it: a round just opened would show nothing yet."""
    answered = StatusUpdate.objects.submitted().filter(
        round_id=OuterRef("pk"), recommendation_id=OuterRef(OuterRef(recommendation_id))
    )
    return Round.objects.filter(Exists(answered), recommendations=OuterRef(recommendation_id)).order_by(
        "-opens_on", "-pk"
    )


def register_recommendations(
    scope: QuerySet[Recommendation], filters: RegisterFilters, force: Force | None = None
) -> QuerySet[Recommendation]:
    """The recommendations in `scope` that match the filters, by report (newest first) and order,
    with their report and parent, and `newest_round_title` and `newest_round_id` (the newest round
    with answers to each).
    The status filter reads `force`'s latest status, or any force's if None (staff)."""
    newest = _newest_answered_round("pk")
    recommendations = scope.select_related("report", "parent").annotate(
        newest_round_title=Subquery(newest.values("title")[:1]),
        newest_round_id=Subquery(newest.values("pk")[:1]),
    )
    if filters.report:
        recommendations = recommendations.filter(report__slug=filters.report)
    if filters.publisher:
        recommendations = recommendations.filter(report__publishers=filters.publisher)
    if filters.addressee:
        recommendations = recommendations.filter(addressee=filters.addressee)
    if filters.theme:
        recommendations = recommendations.filter(
            Exists(Theme.objects.filter(recommendation_id=OuterRef("pk"), name=filters.theme))
        )
    if filters.status:
        recommendations = recommendations.filter(
            Exists(latest_answers(force).filter(recommendation_id=OuterRef("pk"), status=filters.status))
        )
    if filters.query:
        recommendations = recommendations.filter(
            Q(reference__icontains=filters.query)
            | Q(title__icontains=filters.query)
            | Q(sentence__icontains=filters.query)
            | Q(text__icontains=filters.query)
        )
    return recommendations.order_by("-report__published_on", "report__title", "report_id", "order", "reference")


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


def newest_round_status_counts(newest_rounds: dict[int, int | None]) -> dict[int, list[StatusCount]]:
    """For each recommendation (by id), how many forces' last submitted answers in the newest round
    with answers to it (`newest_rounds`: recommendation id to that round's id, as
    register_recommendations annotates it) have each status, in the order of the statuses.

    Kept in the cache under those rounds' figures revision numbers, which the database raises with
    every write to their answers (figures.py): one query while they are cached (the numbers), two
    when they are not (then the counts, reading only those rounds' answers through the partial index
    status_update_latest_by_rec)."""
    pairs = sorted((pk, round_id) for pk, round_id in newest_rounds.items() if round_id)
    if not pairs:
        return {}
    revisions = figures_revisions()
    numbers = ",".join(f"{pk}:{round_id}:{revisions.get(round_id, 0)}" for pk, round_id in pairs)
    key = "register-status-counts:" + hashlib.sha256(numbers.encode()).hexdigest()
    counts = cache.get(key)
    if counts is None:
        counts = _status_counts(pairs)
        cache.set(key, counts, FIGURES_CACHE_SECONDS)
    return counts


def _status_counts(pairs: list[tuple[int, int]]) -> dict[int, list[StatusCount]]:
    """The counts by status of each (recommendation, round) pair's last submitted answers (one query)."""
    rows = (
        StatusUpdate.objects.submitted()
        .filter(Q(*(Q(recommendation_id=pk, round_id=round_id) for pk, round_id in pairs), _connector=Q.OR))
        .order_by()
        .values_list("recommendation_id", "status")
        .annotate(count=Count("pk"))
    )
    # (One Q of many children: or-ing them one by one copies each time.)
    found: dict[int, dict[str, int]] = {}
    for recommendation_id, status, count in rows:
        found.setdefault(recommendation_id, {})[status] = count
    return {
        recommendation_id: [
            StatusCount(value, label, counts[value]) for value, label in Status.choices if counts.get(value)
        ]
        for recommendation_id, counts in found.items()
    }


def latest_statuses(force: Force, recommendation_ids: list[int]) -> dict[int, StatusUpdate]:
    """One force's latest submitted answer to each recommendation (by id), with its round. One query."""
    answers = (
        latest_answers(force)
        .filter(recommendation_id__in=recommendation_ids)
        .select_related("round")
        .only("recommendation_id", "status", "created_at", "round__title", "round__opens_on")
    )
    return {answer.recommendation_id: answer for answer in answers}


# One recommendation's page.


def recommendation_parts(recommendation: Recommendation) -> list[Recommendation]:
    return list(recommendation.parts.order_by("order", "reference"))


def recommendation_rounds(recommendation: Recommendation, force: Force | None = None) -> list[Round]:
    """The rounds that asked about the recommendation (those that asked `force`, if given), oldest first."""
    rounds = recommendation.rounds.all()
    if force is not None:
        rounds = rounds.filter(forces_asked=force)
    return list(rounds.order_by("opens_on", "pk"))


@dataclass(frozen=True)
class TimelineCell:
    """A force's answer in one round as the table shows it: its status, or its withdrawal, and when."""

    status: str
    status_label: str
    withdrawn: bool
    date: datetime.datetime


@dataclass
class TimelineRow:
    force: Force
    cells: list[TimelineCell | None] = field(default_factory=list)  # one per round, oldest first


def timeline_forces(rounds: list[Round]) -> list[Force]:
    """Every force asked in any of the rounds, by name (one query): the timeline's rows, a page at a time."""
    return list(
        Force.objects.filter(
            Exists(Round.forces_asked.through.objects.filter(force_id=OuterRef("pk"), round__in=rounds))
        )
        .order_by("name")
        .only("name", "slug")
    )


def timeline_table(recommendation: Recommendation, rounds: list[Round], forces: list[Force]) -> list[TimelineRow]:
    """The forces given (a page of timeline_forces), each with its answer in each round (None where it
    has none). One query, the answers' statuses and dates, whatever the number of forces asked."""
    answers = (
        StatusUpdate.objects.filter(
            staff_visible(), recommendation=recommendation, round__in=rounds, force__in=[force.pk for force in forces]
        )
        .order_by()
        .values_list("force_id", "round_id", "status", "state", "created_at")
    )
    labels = dict(Status.choices)
    cells = {
        (force_id, round_id): TimelineCell(
            status=status,
            status_label=labels.get(status, status),
            withdrawn=state == StatusUpdate.State.WITHDRAWN,
            date=created_at,
        )
        for force_id, round_id, status, state, created_at in answers
    }
    return [TimelineRow(force, [cells.get((force.pk, round.pk)) for round in rounds]) for force in forces]


def force_timeline(
    recommendation: Recommendation, force: Force, rounds: list[Round]
) -> list[tuple[Round, StatusUpdate | None]]:
    """One force's answer in each round, oldest first: the last it submitted, or its withdrawal with
    the reason, with the review; None where it has none. One query."""
    answers = {
        answer.round_id: answer
        for answer in StatusUpdate.objects.filter(
            staff_visible(), recommendation=recommendation, force=force, round__in=rounds
        ).select_related("reviewed_by")
    }
    return [(round, answers.get(round.pk)) for round in rounds]


@dataclass(frozen=True)
class RegisterRow:
    recommendation: Recommendation
    status_counts: list[StatusCount]  # staff: every force's, in the newest round that asked about it
    latest: StatusUpdate | None  # a force: its latest submitted answer


def register_rows(recommendations: list[Recommendation], force: Force | None) -> list[RegisterRow]:
    """One page of the register as rows: for staff the counts by status (one query), for a force its
    latest statuses (one query)."""
    ids = [recommendation.pk for recommendation in recommendations]
    counts = (
        newest_round_status_counts({item.pk: item.newest_round_id for item in recommendations}) if force is None else {}
    )
    latest = latest_statuses(force, ids) if force is not None else {}
    return [
        RegisterRow(recommendation, counts.get(recommendation.pk, []), latest.get(recommendation.pk))
        for recommendation in recommendations
    ]
