"""A round's figures, computed in one place: read the round's records, call the pure roll-up
(rollup.py), and cache the result under a key that changes with every write to what it was counted
from (round_figures_key). The dashboard, the recommendation page, the reminders, snapshots and
exports all read these.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from forces.models import Force, ForceMembership

from .. import rules
from ..models import (
    Extension,
    FiguresRevision,
    Reminder,
    Round,
    RoundFollow,
    Snapshot,
    Status,
    StatusUpdate,
    Theme,
    ThemeCoding,
)
from ..rollup import (
    AnswerRecord,
    CodingRecord,
    ForceRecord,
    PreviousAnswerRecord,
    RecommendationFigures,
    RecommendationMovements,
    RecommendationRecord,
    RoundRollup,
    ThemeRecord,
    compute_movements,
    compute_rollup,
)
from ..rules import NO_RESPONSE, NO_RESPONSE_LABEL, REVIEW_STATE_LABELS, ReviewState, answer_review_state
from .action_plans import OpenMilestone, round_open_milestones
from .answers import round_recommendations
from .extensions import granted_due_on
from .kept import kept_or_computed
from .staff import round_snapshots


def submitted_answer_records(
    round: Round, previous: Round | None = None
) -> tuple[list[AnswerRecord], list[PreviousAnswerRecord]]:
    """The round's last submitted answers as plain records (one query) and, given the `previous`
    round, each force's last submitted status there for the same recommendation, where it has one:
    what the movements compare. The previous status is a subquery on the unique index of last
    submitted answers, so the round before is never read whole.

    Unordered: the default ordering would join rounds, forces and recommendations only to sort.
    """
    answers = StatusUpdate.objects.filter(round=round).submitted().order_by()
    columns = ["force_id", "recommendation_id", "status", "review", "is_resubmission"]
    if previous is not None:
        answers = answers.annotate(
            previous_status=Subquery(
                StatusUpdate.objects.filter(
                    round=previous, force=OuterRef("force_id"), recommendation=OuterRef("recommendation_id")
                )
                .submitted()
                .values("status")[:1]
            )
        )
        columns.append("previous_status")
    # A handful of (review, resubmission) pairs among thousands of answers: each pair's state is
    # worked out once.
    review_state = functools.cache(
        lambda review, is_resubmission: answer_review_state(
            state=StatusUpdate.State.SUBMITTED, review=review, is_resubmission=is_resubmission
        )
    )
    records, previous_records = [], []
    for force_id, recommendation_id, status, review, is_resubmission, *earlier in answers.values_list(*columns):
        records.append(AnswerRecord(force_id, recommendation_id, status, review_state(review, is_resubmission)))
        if earlier and earlier[0] is not None:
            previous_records.append(PreviousAnswerRecord(force_id, recommendation_id, earlier[0]))
    return records, previous_records


def round_rollup(round: Round, *, answers: list[AnswerRecord] | None = None) -> RoundRollup:
    """The round's figures, counted from each force's last submitted answer (five queries, four
    when the caller already holds the round's `answers`).

    Always read afresh: publishing a snapshot freezes what this returns. Pages read the cached
    `round_figures` instead.
    """
    recommendations = list(round_recommendations(round))
    return _compute_rollup(
        round,
        [
            RecommendationRecord(
                item.id, item.reference, item.title, item.text, item.sentence, item.report.slug, item.report.short_title
            )
            for item in recommendations
        ],
        [ForceRecord(*row) for row in round.forces_asked.values_list("id", "name", "slug")],
        submitted_answer_records(round)[0] if answers is None else answers,
    )


def _compute_rollup(
    round: Round,
    recommendations: list[RecommendationRecord],
    forces: list[ForceRecord],
    answers: list[AnswerRecord],
) -> RoundRollup:
    """compute_rollup fed with the round's themes and codings (two queries)."""
    return compute_rollup(
        forces_asked=forces,
        recommendations=recommendations,
        themes=[
            ThemeRecord(*row)
            for row in Theme.objects.filter(
                recommendation_id__in=[recommendation.id for recommendation in recommendations]
            ).values_list("id", "recommendation_id", "name")
        ],
        answers=answers,
        codings=[
            CodingRecord(*row)
            for row in ThemeCoding.objects.filter(round=round).order_by().values_list("force_id", "theme_id")
        ],
        low_coverage_share=settings.LOW_COVERAGE_SHARE,
    )


def dashboard_rounds() -> QuerySet[Round]:
    """Every round, newest first, each with `answered`: whether any force has submitted an answer.

    EXISTS probes each round's submitted answers by index and stops at the first; a join would
    read every submitted answer of every round.
    """
    return Round.objects.annotate(
        answered=Exists(StatusUpdate.objects.filter(round=OuterRef("pk"), is_latest_submitted=True))
    ).order_by("-opens_on", "title")


def default_dashboard_round(rounds: list[Round] | None = None) -> Round | None:
    """The newest round any force has answered, or else the newest round (of `rounds`, from
    dashboard_rounds, if the caller already holds them; one query if not)."""
    if rounds is None:
        rounds = list(dashboard_rounds())
    return next((round for round in rounds if round.answered), rounds[0] if rounds else None)


def previous_round(round: Round, index: RoundIndex | None = None) -> Round | None:
    """The round before this one (by opening date) that asked about any of the same recommendations
    (from `index`, the rounds_index the caller holds; one query when the index is cached, if not)."""
    return (index or rounds_index()).previous_of(round)


@dataclass(frozen=True)
class RoundIndex:
    """Every round (newest first, each with `answered`), the round before each that shared
    recommendations with it, and the figures' revision numbers they were read at: what the dashboard
    and the recommendation page need before they read a round's figures, kept under those numbers."""

    revisions: dict[int, int]  # FiguresRevision scope -> number, as read by this request
    rounds: list[Round]
    previous_ids: dict[int, int]  # round id -> the previous round's id, where there is one

    def previous_of(self, round: Round) -> Round | None:
        previous_id = self.previous_ids.get(round.pk)
        return next((item for item in self.rounds if item.pk == previous_id), None)


def figures_revisions() -> dict[int, int]:
    """Every revision number of the figures (one query; a row per round and one for every round)."""
    return dict(FiguresRevision.objects.values_list("scope", "number"))


def rounds_index() -> RoundIndex:
    """The rounds and the round before each, from the cache while no revision has moved (one query;
    three when they are not cached: the rounds, then every round's scope).

    Rounds and their scope raise the revision of every round, and answers their own round's, so the
    key (every number) moves with whatever the index is read from.
    """
    revisions = figures_revisions()
    numbers = ",".join(f"{scope}:{number}" for scope, number in sorted(revisions.items()))
    key = "rounds-index:" + hashlib.sha256(numbers.encode()).hexdigest()
    cached = cache.get(key)
    if cached is None:
        rounds = list(dashboard_rounds())
        scope: dict[int, set[int]] = defaultdict(set)
        for round_id, recommendation_id in Round.recommendations.through.objects.values_list(
            "round_id", "recommendation_id"
        ):
            scope[round_id].add(recommendation_id)
        # The newest earlier round sharing a recommendation; rounds are newest first, by title on a tie.
        previous_ids = {
            round.pk: earlier.pk
            for round in rounds
            if (
                earlier := next(
                    (item for item in rounds if item.opens_on < round.opens_on and scope[item.pk] & scope[round.pk]),
                    None,
                )
            )
        }
        cached = (rounds, previous_ids)
        cache.set(key, cached, FIGURES_CACHE_SECONDS)
    return RoundIndex(revisions, *cached)


class ChaseForce(NamedTuple):
    """A force that has not responded, as the chase list shows it."""

    name: str
    slug: str
    leads: tuple[tuple[str, str], ...]  # (username, email), by username
    last_activity: datetime.datetime | None  # its newest version of any answer in the round
    reminders_sent: int
    due_on: datetime.date | None = None  # its own due date (rules.force_due_on: a granted extension's, or the round's)
    extension_waiting: int | None = None  # the id of its request for more time waiting for a decision

    def late(self, today: datetime.date) -> bool:
        """Past its own due date (the chase list holds only forces that have not responded)."""
        return self.due_on is not None and rules.force_is_late(due_on=self.due_on, today=today, responded=False)


def chase_list(round: Round, force_ids: list[int]) -> list[ChaseForce]:
    """The forces the roll-up found had not responded (by id), with their leads, last activity,
    reminders and own due date, by name.

    Two queries: the forces (last activity, reminders and extensions granted or waiting, as subqueries) and
    their leads; none when every force has responded. Only the values shown are read, as tuples: this
    runs on the first request after every change to the round.
    """
    if not force_ids:
        return []
    last_activity = (
        StatusUpdate.objects.filter(round=round, force=OuterRef("pk")).order_by("-created_at").values("created_at")[:1]
    )
    reminders = (
        Reminder.objects.filter(round=round, force=OuterRef("pk"))
        .order_by()
        .values("force")
        .annotate(sent=Count("pk"))
        .values("sent")
    )
    forces = (
        Force.objects.filter(pk__in=force_ids)
        .annotate(
            last_activity=Subquery(last_activity),
            reminders_sent=Coalesce(Subquery(reminders), 0),
            granted_on=granted_due_on(round),
            extension_waiting=Subquery(
                Extension.objects.filter(round=round, force=OuterRef("pk"), state=Extension.State.WAITING).values("pk")[
                    :1
                ]
            ),
        )
        .order_by("name")
        .values_list("pk", "name", "slug", "last_activity", "reminders_sent", "granted_on", "extension_waiting")
    )
    leads: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for force_id, username, email in (
        ForceMembership.objects.filter(force_id__in=force_ids)
        .order_by("user__username")
        .values_list("force_id", f"user__{get_user_model().USERNAME_FIELD}", "user__email")
    ):
        leads[force_id].append((username, email))
    return [
        ChaseForce(
            name,
            slug,
            tuple(leads[pk]),
            last_activity,
            reminders_sent,
            rules.force_due_on(round_due_on=round.due_on, granted_on=granted_on),
            extension_waiting,
        )
        for pk, name, slug, last_activity, reminders_sent, granted_on, extension_waiting in forces
    ]


@dataclass(frozen=True)
class MatrixCell:
    reference: str
    status: str  # a Status value, or NO_RESPONSE
    review: str = ""  # rules.answer_review_state, "" where no answer
    anchor: str = ""  # the recommendation's id on a page (RecommendationRecord.anchor): where its link lands

    @property
    def review_label(self) -> str:
        return REVIEW_STATE_LABELS.get(self.review, "")

    @property
    def label(self) -> str:
        return NO_RESPONSE_LABEL if self.status == NO_RESPONSE else Status(self.status).label

    @property
    def answered(self) -> bool:
        return self.status != NO_RESPONSE

    @property
    def linked(self) -> bool:
        """Shown as a link to the force's answers: an answer, or a withdrawn one."""
        return self.answered or self.review == ReviewState.WITHDRAWN


class ForceStatuses(NamedTuple):
    """A force asked in a round, with its status for each recommendation in scope (in order)."""

    id: int
    name: str
    slug: str
    country: str
    statuses: tuple[str, ...]  # Status values, or NO_RESPONSE
    reviews: tuple[str, ...] = ()  # rules.answer_review_state of each answer, "" where none


@dataclass(frozen=True)
class MatrixRow:
    force: ForceStatuses
    cells: list[MatrixCell]


class PreviousRound(NamedTuple):
    id: int
    title: str


class RoundReport(NamedTuple):
    """A report whose recommendations a round asks about, with how many (in the round's order)."""

    slug: str
    short_title: str
    title: str
    recommendations: int


class RoundFollowing(NamedTuple):
    digest: bool


@dataclass(frozen=True)
class RoundFigures:
    """A round's roll-up and what the dashboard shows beside it, computed together and cached
    together (round_figures): the recommendations in scope, every force asked with its statuses
    (the matrix), the movements since the previous round that shared recommendations, and the
    forces to chase."""

    key: str  # round_figures_key: what they were counted from
    rollup: RoundRollup
    recommendations: list[RecommendationRecord]
    forces: list[ForceStatuses]  # by name
    previous: PreviousRound | None
    movements: list[RecommendationMovements] | None
    chase: list[ChaseForce]  # the forces the roll-up counts as not responded
    reports: list[RoundReport] = field(default_factory=list)  # in the round's order
    # The round's snapshots, newest first: a snapshot's write raises the round's revision too, so the
    # dashboard's list of them is read with the figures rather than on every request.
    snapshots: list[Snapshot] = field(default_factory=list)
    # The milestones not yet done for the recommendations in scope (a milestone's write raises every
    # round's revision): which are overdue depends on the day, so round_overdue_milestones says that
    # on each request, without a query.
    open_milestones: list[OpenMilestone] = field(default_factory=list)
    # Who follows the round (user id: with the daily digest or not). A follow's write raises the
    # round's revision, so the dashboard says whether the person follows it without a query.
    followers: dict[int, bool] = field(default_factory=dict)

    def follow_of(self, user) -> RoundFollowing | None:
        """Whether the person follows the round, and with the digest or not."""
        digest = self.followers.get(user.pk)
        return None if digest is None else RoundFollowing(digest)

    def figures_for(self, recommendation_id: int) -> RecommendationFigures:
        return next(item for item in self.rollup.recommendations if item.recommendation_id == recommendation_id)


def report_figures(figures: RoundFigures, report_slug: str) -> RoundFigures:
    """The round's figures for one report's recommendations: its rows of the roll-up, its columns of
    the matrix, its movements. Narrowed from the cached figures, never counted again; the round's
    headline (forces asked and responded, answers needing review) and the chase list stay the
    whole round's. The same figures when the round asks about one report only."""
    if len(figures.reports) < 2:
        return figures
    keep = [index for index, item in enumerate(figures.recommendations) if item.report_slug == report_slug]
    ids = {figures.recommendations[index].id for index in keep}
    return replace(
        figures,
        rollup=replace(
            figures.rollup,
            recommendations=[item for item in figures.rollup.recommendations if item.recommendation_id in ids],
        ),
        recommendations=[figures.recommendations[index] for index in keep],
        forces=[
            force._replace(
                statuses=tuple(force.statuses[index] for index in keep),
                reviews=tuple(force.reviews[index] for index in keep) if force.reviews else (),
            )
            for force in figures.forces
        ],
        movements=(
            [item for item in figures.movements if item.recommendation_id in ids]
            if figures.movements is not None
            else None
        ),
        open_milestones=[item for item in figures.open_milestones if item.recommendation_id in ids],
    )


def round_matrix(figures: RoundFigures, *, country: str = "", status: str = "") -> list[ForceStatuses]:
    """The forces asked (optionally of one country) with their statuses, by name.

    `status` keeps the forces that gave that status (or NO_RESPONSE) to any recommendation.
    """
    return [
        force
        for force in figures.forces
        if (not country or force.country == country) and (not status or status in force.statuses)
    ]


def matrix_rows(forces: list[ForceStatuses], recommendations: list[RecommendationRecord]) -> list[MatrixRow]:
    """The matrix's rows for the forces on one page: cells are made only for the forces shown."""
    return [
        MatrixRow(
            force,
            [
                MatrixCell(item.reference, status, review, item.anchor)
                for item, status, review in zip(
                    recommendations, force.statuses, force.reviews or ("",) * len(force.statuses), strict=True
                )
            ],
        )
        for force in forces
    ]


# How long a round's figures (and the page fragments rendered from them) are kept once cached. Their
# key changes with every write to what they are counted from, so this only bounds the memory they take.
FIGURES_CACHE_SECONDS = 600


def round_figures_key(round: Round, previous: Round | None, revisions: dict[int, int] | None = None) -> str:
    """A cache key for the round's figures, and the staff pages rendered from them, that changes with
    every write to anything they are counted from (one query, none given the `revisions` a
    rounds_index read).

    The database raises a revision number in the same transaction as every such write: a trigger
    on each table the figures read (migration 0008), whether the write comes from a service, the
    admin, a management command or SQL. The key holds the revisions of this round, of the round its
    movements are counted from, and of what every round reads (forces, leads, recommendations,
    themes, rounds). tests/recommendations/test_figures_cache.py fails if the figures read a table
    without such a trigger.
    """
    scopes = [FiguresRevision.ALL_ROUNDS, round.pk] + ([previous.pk] if previous else [])
    if revisions is None:
        revisions = dict(FiguresRevision.objects.filter(scope__in=scopes).values_list("scope", "number"))
    numbers = ":".join(str(revisions.get(scope, 0)) for scope in scopes)
    return f"round-figures:{round.pk}:{previous.pk if previous else None}:{numbers}:{settings.LOW_COVERAGE_SHARE}"


def round_figures(round: Round, index: RoundIndex | None = None) -> RoundFigures:
    """The round's figures, from the cache while nothing they are counted from has changed.

    One query when they are cached (the revisions, by rounds_index; none if the caller gives the
    `index` it holds); when they are not, then the recommendations in scope, the forces asked, the
    submitted answers of this round and the previous one, the themes, the codings, the withdrawn
    answers, the chase list's forces and their leads, and the round's snapshots. A process keeps the
    figures it unpickled while the cache holds the same value (selectors.kept), so a warm request
    does not unpickle them again.
    """
    index = index or rounds_index()
    previous = index.previous_of(round)
    key = round_figures_key(round, previous, index.revisions)
    return kept_or_computed(key, lambda: _round_figures(round, previous, key), FIGURES_CACHE_SECONDS)


def _round_figures(round: Round, previous: Round | None, key: str) -> RoundFigures:
    rows = list(
        round_recommendations(round).values_list(
            "id", "reference", "title", "text", "sentence", "report__slug", "report__short_title", "report__title"
        )
    )
    recommendations = [RecommendationRecord(*row[:7]) for row in rows]
    reports: dict[str, RoundReport] = {}
    for *_, slug, short_title, title in rows:
        counted = reports.get(slug)
        reports[slug] = RoundReport(slug, short_title, title, counted.recommendations + 1 if counted else 1)
    forces = list(round.forces_asked.order_by("name").values_list("id", "name", "slug", "country"))
    answers, previous_answers = submitted_answer_records(round, previous)
    rollup = _compute_rollup(round, recommendations, [ForceRecord(*force[:3]) for force in forces], answers)
    # The matrix: each force's status and review state for each recommendation, in the round's order,
    # filled in from the answers (forces with no answer share the blank rows).
    position = {item.id: index for index, item in enumerate(recommendations)}
    no_statuses, no_reviews = (NO_RESPONSE,) * len(recommendations), ("",) * len(recommendations)
    statuses: dict[int, list[str]] = {}
    reviews: dict[int, list[str]] = {}
    for answer in answers:
        index = position.get(answer.recommendation_id)
        if index is not None:
            statuses.setdefault(answer.force_id, list(no_statuses))[index] = answer.status
            reviews.setdefault(answer.force_id, list(no_reviews))[index] = answer.review_state
    # Withdrawn answers count as no response, and the matrix says they were withdrawn (their reason is
    # on the force's page and the answer's).
    for force_id, recommendation_id in (
        StatusUpdate.objects.filter(round=round, is_current=True, state=StatusUpdate.State.WITHDRAWN)
        .order_by()
        .values_list("force_id", "recommendation_id")
    ):
        index = position.get(recommendation_id)
        if index is not None:
            reviews.setdefault(force_id, list(no_reviews))[index] = ReviewState.WITHDRAWN
    return RoundFigures(
        key=key,
        rollup=rollup,
        recommendations=recommendations,
        forces=[
            ForceStatuses(*force, tuple(statuses.get(force[0], no_statuses)), tuple(reviews.get(force[0], no_reviews)))
            for force in forces
        ],
        previous=PreviousRound(previous.pk, previous.title) if previous else None,
        movements=(
            compute_movements(recommendations=recommendations, previous_answers=previous_answers, answers=answers)
            if previous
            else None
        ),
        chase=chase_list(round, rollup.not_responded_force_ids),
        reports=list(reports.values()),
        snapshots=list(round_snapshots(round)),
        open_milestones=round_open_milestones(round),
        followers=dict(RoundFollow.objects.filter(round=round).order_by().values_list("user_id", "digest")),
    )
