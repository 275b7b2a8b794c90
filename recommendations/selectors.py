"""Reads: the querysets and figures views and exports show. Writes live in services.py."""

from __future__ import annotations

import datetime
import difflib
import re
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from forces.models import Force, ForceMembership

from .models import (
    NotablePractice,
    Recommendation,
    Reminder,
    Round,
    Snapshot,
    Status,
    StatusUpdate,
    Theme,
    ThemeCoding,
)
from .rollup import (
    AnswerRecord,
    CodingRecord,
    ForceRecord,
    RecommendationFigures,
    RecommendationMovements,
    RecommendationRecord,
    RoundRollup,
    ThemeRecord,
    compute_movements,
    compute_rollup,
)


def round_recommendations(round: Round) -> QuerySet[Recommendation]:
    return round.recommendations.select_related("parent").order_by("order", "reference")


def submitted_answer_records(rounds: list[Round]) -> dict[int, list[AnswerRecord]]:
    """Each round's last submitted answers as plain records, by round id (one query for all rounds).

    Unordered: the default ordering would join rounds, forces and recommendations only to sort.
    """
    records: dict[int, list[AnswerRecord]] = {round.pk: [] for round in rounds}
    for round_id, *row in (
        StatusUpdate.objects.filter(round__in=rounds)
        .submitted()
        .order_by()
        .values_list("round_id", "force_id", "recommendation_id", "status")
    ):
        records[round_id].append(AnswerRecord(*row))
    return records


def round_rollup(round: Round, *, answers: list[AnswerRecord] | None = None) -> RoundRollup:
    """The round's figures, counted from each force's last submitted answer (five queries, four
    when the caller already holds the round's `answers`).

    Always read afresh: publishing a snapshot freezes what this returns. Pages read the cached
    `round_figures` instead.
    """
    recommendations = list(round_recommendations(round))
    return _compute_rollup(
        round,
        [RecommendationRecord(item.id, item.reference, item.title, item.text) for item in recommendations],
        [ForceRecord(*row) for row in round.forces_asked.values_list("id", "name", "slug")],
        submitted_answer_records([round])[round.pk] if answers is None else answers,
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


def rounds_for_force(force: Force) -> QuerySet[Round]:
    return Round.objects.for_force(force).order_by("closed", "-due_on")


@dataclass(frozen=True)
class AnswerRow:
    """A recommendation in a round as one force sees it.

    `current` is the version the lead is working on, `submitted` the last one the force
    submitted, and `carried` the force's last submitted answer from an earlier round, offered
    when there is no answer yet in this one.
    """

    recommendation: Recommendation
    current: StatusUpdate | None
    submitted: StatusUpdate | None
    carried: StatusUpdate | None = None

    @property
    def state(self) -> str:
        current = self.current
        if current is None:
            return "Carried forward" if self.carried else "Not started"
        if current.state == StatusUpdate.State.WITHDRAWN:
            return "Withdrawn"
        if current.state == StatusUpdate.State.DRAFT:
            if self.submitted and self.submitted.review == StatusUpdate.Review.RETURNED:
                return "Returned for more information"
            return "Draft"
        if current.review == StatusUpdate.Review.RETURNED:
            return "Returned for more information"
        if current.review == StatusUpdate.Review.ACCEPTED:
            return "Accepted"
        return "Resubmitted" if current.is_resubmission else "Submitted"

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
            "Resubmitted": "govuk-tag--turquoise",
            "Withdrawn": "govuk-tag--purple",
        }[self.state]

    @property
    def withdrawable(self) -> bool:
        """The force's submitted answer, not changed since, can be withdrawn."""
        return self.current is not None and self.current.state == StatusUpdate.State.SUBMITTED

    @property
    def shared_with_staff(self) -> bool:
        """Staff can read versions of this answer: something was submitted, even if later withdrawn."""
        return self.submitted is not None or (
            self.current is not None and self.current.state == StatusUpdate.State.WITHDRAWN
        )

    @property
    def working(self) -> StatusUpdate | None:
        """What the lead's form starts from: their current version, else the carried-forward one."""
        return self.current or self.carried

    @property
    def needs_submitting(self) -> bool:
        """A draft, or an answer carried forward and not yet submitted in this round."""
        if self.current is None:
            return self.carried is not None
        return self.current.state == StatusUpdate.State.DRAFT


def force_answer_rows(force: Force, round: Round) -> list[AnswerRow]:
    """Every recommendation in the round with the force's versions (three queries)."""
    return force_answer_rows_by_round(force, [round])[round.pk]


def force_answer_rows_by_round(force: Force, rounds: list[Round]) -> dict[int, list[AnswerRow]]:
    """force_answer_rows for several rounds at once, by round id: three queries however many rounds
    (the recommendations in scope, the force's current and last submitted versions, and its
    earlier answers to carry forward), and however many answers there are."""
    if not rounds:
        return {}
    in_scope: dict[int, list[Recommendation]] = {round.pk: [] for round in rounds}
    for link in (
        Round.recommendations.through.objects.filter(round__in=rounds)
        .select_related("recommendation__parent")
        .order_by("recommendation__order", "recommendation__reference")
    ):
        in_scope[link.round_id].append(link.recommendation)
    current: dict[tuple[int, int], StatusUpdate] = {}
    submitted: dict[tuple[int, int], StatusUpdate] = {}
    versions = StatusUpdate.objects.filter(round__in=rounds, force=force).filter(
        Q(is_current=True) | Q(is_latest_submitted=True)
    )
    for version in versions.select_related("created_by", "reviewed_by"):
        key = (version.round_id, version.recommendation_id)
        if version.is_current:
            current[key] = version
        if version.is_latest_submitted:
            submitted[key] = version
    # Always one query (not skipped when every answer has a current version), so the count is the same.
    earlier = list(
        StatusUpdate.objects.filter(
            force=force,
            recommendation_id__in={item.pk for items in in_scope.values() for item in items},
            is_latest_submitted=True,
            round__opens_on__lt=max(round.opens_on for round in rounds),
        )
        .select_related("round")
        .order_by("recommendation_id", "-round__opens_on")
    )
    result = {}
    for round in rounds:
        carried: dict[int, StatusUpdate] = {}
        for answer in earlier:
            if answer.round_id != round.pk and answer.round.opens_on < round.opens_on:
                carried.setdefault(answer.recommendation_id, answer)
        result[round.pk] = [
            AnswerRow(
                item,
                current.get((round.pk, item.pk)),
                submitted.get((round.pk, item.pk)),
                None if (round.pk, item.pk) in current else carried.get(item.pk),
            )
            for item in in_scope[round.pk]
        ]
    return result


def answer_row(force: Force, round: Round, recommendation: Recommendation) -> AnswerRow:
    """One recommendation's row (the answer form's starting point), found as the force page finds it."""
    return next(row for row in force_answer_rows(force, round) if row.recommendation.pk == recommendation.pk)


def answer_history(round: Round, force: Force, recommendation: Recommendation) -> QuerySet[StatusUpdate]:
    return (
        StatusUpdate.objects.filter(round=round, force=force, recommendation=recommendation)
        .select_related("created_by", "reviewed_by")
        .order_by("-version")
    )


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str
    segments: list[tuple[str, str]]  # ("same" | "added" | "removed", text)

    @property
    def changed(self) -> bool:
        return self.old != self.new


def _word_diff(old: str, new: str) -> list[tuple[str, str]]:
    old_words, new_words = re.split(r"(\s+)", old), re.split(r"(\s+)", new)
    segments: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False).get_opcodes():
        if tag == "equal":
            segments.append(("same", "".join(old_words[i1:i2])))
            continue
        if i2 > i1:
            segments.append(("removed", "".join(old_words[i1:i2])))
        if j2 > j1:
            segments.append(("added", "".join(new_words[j1:j2])))
    return segments


def version_comparison(older: StatusUpdate, newer: StatusUpdate) -> list[Change]:
    """What changed between two versions of an answer, field by field, the narrative word by word."""
    fields = [
        ("Status", older.get_status_display(), newer.get_status_display()),
        ("Reason it does not apply", older.not_applicable_reason, newer.not_applicable_reason),
        ("Progress update", older.narrative, newer.narrative),
        ("Evidence links", older.evidence, newer.evidence),
    ]
    return [Change(label, old, new, _word_diff(old, new)) for label, old, new in fields if old or new]


# Portfolio staff: the dashboard, the recommendation and force pages, snapshots and exports.
# Figures come from the roll-up; these only fetch what the pages list beside them.


def previous_round(round: Round) -> Round | None:
    """The round before this one (by opening date) that asked about any of the same recommendations.

    A join rather than EXISTS: quicker for the ORM to build, and a round sharing several
    recommendations appearing once for each does not matter to the first.
    """
    return (
        Round.objects.filter(opens_on__lt=round.opens_on, recommendations__rounds=round)
        .order_by("-opens_on", "title")
        .first()
    )


class ChaseForce(NamedTuple):
    """A force that has not responded, as the chase list shows it."""

    name: str
    slug: str
    leads: tuple[tuple[str, str], ...]  # (username, email), by username
    last_activity: datetime.datetime | None  # its newest version of any answer in the round
    reminders_sent: int


def chase_list(round: Round, force_ids: list[int]) -> list[ChaseForce]:
    """The forces the roll-up found had not responded (by id), with their leads, last activity and
    reminders, by name.

    Two queries: the forces (last activity and reminders as subqueries) and their leads; none when
    every force has responded.
    """
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
        .annotate(last_activity=Subquery(last_activity), reminders_sent=Coalesce(Subquery(reminders), 0))
        .prefetch_related(
            Prefetch("memberships", queryset=ForceMembership.objects.select_related("user").order_by("user__username"))
        )
        .order_by("name")
    )
    return [
        ChaseForce(
            force.name,
            force.slug,
            tuple((membership.user.get_username(), membership.user.email) for membership in force.memberships.all()),
            force.last_activity,
            force.reminders_sent,
        )
        for force in forces
    ]


STATUS_TAGS = {
    Status.COMPLETE: "govuk-tag--green",
    Status.IN_PROGRESS: "govuk-tag--blue",
    Status.PLANNED: "govuk-tag--turquoise",
    Status.NOT_STARTED: "govuk-tag--yellow",
    Status.WILL_NOT_IMPLEMENT: "govuk-tag--red",
    Status.NOT_APPLICABLE: "govuk-tag--purple",
}
NO_RESPONSE = "no_response"


@dataclass(frozen=True)
class MatrixCell:
    reference: str
    status: str  # a Status value, or NO_RESPONSE

    @property
    def label(self) -> str:
        return "No response" if self.status == NO_RESPONSE else Status(self.status).label

    @property
    def tag(self) -> str:
        return STATUS_TAGS.get(self.status, "govuk-tag--grey")

    @property
    def answered(self) -> bool:
        return self.status != NO_RESPONSE


class ForceStatuses(NamedTuple):
    """A force asked in a round, with its status for each recommendation in scope (in order)."""

    id: int
    name: str
    slug: str
    country: str
    statuses: tuple[str, ...]  # Status values, or NO_RESPONSE


@dataclass(frozen=True)
class MatrixRow:
    force: ForceStatuses
    cells: list[MatrixCell]


class PreviousRound(NamedTuple):
    id: int
    title: str


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

    def figures_for(self, recommendation_id: int) -> RecommendationFigures:
        return next(item for item in self.rollup.recommendations if item.recommendation_id == recommendation_id)


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
            [MatrixCell(item.reference, status) for item, status in zip(recommendations, force.statuses, strict=True)],
        )
        for force in forces
    ]


# How long a round's figures (and the page fragments rendered from them) are kept once cached. Their
# key changes whenever they could, so this bounds the memory they take; only a change made outside the
# app and its admin (which the key cannot see) can show this late.
FIGURES_CACHE_SECONDS = 600


def round_figures_key(round: Round, previous: Round | None) -> str:
    """A cache key for the round's figures, and the staff pages rendered from the round's answers,
    that changes whenever anything they are made from can have changed (one query, written out:
    the ORM takes longer to build it than the database takes to answer it).

    - the number of versions of answers in the round and in `previous` (the round its movements
      are counted from): versions are only ever added (every save, submission or withdrawal is a
      new one), so each number only grows, and grows with every change (a draft too, which is
      the chase list's last activity);
    - the number and the highest id of the themes coded on the round's answers (staff add and
      remove codings; an added row always has a higher id than any before it, as ids are never
      reused), of the themes of its recommendations (a new theme is counted, as nought), and of
      the practice staff picked to quote from its answers;
    - the number of reminders sent for the round (they are never deleted);
    - the newest entry in the admin's log: forces, their leads, users, recommendations, themes,
      rounds and codings are otherwise changed only in the admin, which logs every addition,
      change and deletion;
    - the share of forces under which a recommendation is flagged as low coverage.
    Read before the figures it keys, so figures stored under a key are never older than the key.
    """
    answers, codings, themes = StatusUpdate._meta.db_table, ThemeCoding._meta.db_table, Theme._meta.db_table
    scope, reminders = Round.recommendations.through._meta.db_table, Reminder._meta.db_table
    practice, admin_log = NotablePractice._meta.db_table, LogEntry._meta.db_table
    previous_id = previous.pk if previous else None
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT answers.n, previous_answers.n, codings.n, codings.newest, themes.n, themes.newest, practice.n,
                   practice.newest, reminders.n, admin.newest
            FROM (SELECT COUNT(*) AS n FROM {answers} WHERE round_id = %s) AS answers,
                 (SELECT COUNT(*) AS n FROM {answers} WHERE round_id = %s) AS previous_answers,
                 (SELECT COUNT(*) AS n, MAX(id) AS newest FROM {codings} WHERE round_id = %s) AS codings,
                 (SELECT COUNT(*) AS n, MAX(id) AS newest FROM {themes}
                  WHERE recommendation_id IN (SELECT recommendation_id FROM {scope} WHERE round_id = %s)) AS themes,
                 (SELECT COUNT(*) AS n, MAX(id) AS newest FROM {practice} WHERE round_id = %s) AS practice,
                 (SELECT COUNT(*) AS n FROM {reminders} WHERE round_id = %s) AS reminders,
                 (SELECT MAX(id) AS newest FROM {admin_log}) AS admin
            """,
            [round.pk, previous_id, round.pk, round.pk, round.pk, round.pk],
        )
        values = cursor.fetchone()
    return f"round-figures:{round.pk}:{previous_id}:" + ":".join(map(str, values)) + f":{settings.LOW_COVERAGE_SHARE}"


def round_figures(round: Round) -> RoundFigures:
    """The round's figures, from the cache while nothing they are counted from has changed.

    Two queries when they are cached (the previous round, the key); nine when they are not: those
    two, then the recommendations in scope, the forces asked, the submitted answers of this round
    and the previous one, the themes, the codings, and the chase list's forces and their leads.
    """
    previous = previous_round(round)
    key = round_figures_key(round, previous)
    figures = cache.get(key)
    if figures is None:
        figures = _round_figures(round, previous, key)
        cache.set(key, figures, FIGURES_CACHE_SECONDS)
    return figures


def _round_figures(round: Round, previous: Round | None, key: str) -> RoundFigures:
    recommendations = [
        RecommendationRecord(*row)
        for row in round_recommendations(round).values_list("id", "reference", "title", "text")
    ]
    forces = list(round.forces_asked.order_by("name").values_list("id", "name", "slug", "country"))
    answers = submitted_answer_records([round, previous] if previous else [round])
    rollup = _compute_rollup(round, recommendations, [ForceRecord(*force[:3]) for force in forces], answers[round.pk])
    ids = {name: id for id, name, *_ in forces}
    statuses = {(answer.force_id, answer.recommendation_id): answer.status for answer in answers[round.pk]}
    return RoundFigures(
        key=key,
        rollup=rollup,
        recommendations=recommendations,
        forces=[
            ForceStatuses(*force, tuple(statuses.get((force[0], item.id), NO_RESPONSE) for item in recommendations))
            for force in forces
        ],
        previous=PreviousRound(previous.pk, previous.title) if previous else None,
        movements=(
            compute_movements(
                recommendations=recommendations, previous_answers=answers[previous.pk], answers=answers[round.pk]
            )
            if previous
            else None
        ),
        chase=chase_list(round, [ids[name] for name in rollup.not_responded_forces]),
    )


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

    @property
    def tag(self) -> str:
        return STATUS_TAGS.get(self.answer.status, "govuk-tag--grey")


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
    for item in NotablePractice.objects.filter(
        round=round, recommendation=recommendation, force_id__in=force_ids
    ).order_by("created_at"):
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


def submitted_answer(round: Round, force: Force, recommendation: Recommendation) -> StatusUpdate | None:
    return (
        StatusUpdate.objects.filter(round=round, force=force, recommendation=recommendation)
        .submitted()
        .select_related("created_by")
        .first()
    )


def force_submitted_answers(force: Force) -> list[CodedAnswer]:
    """A force's last submitted answers in every round, and the answers it withdrew, newest round
    first (three queries)."""
    answers = (
        StatusUpdate.objects.filter(force=force)
        .filter(Q(is_latest_submitted=True) | Q(is_current=True, state=StatusUpdate.State.WITHDRAWN))
        .select_related("round", "recommendation", "created_by")
        .order_by("-round__opens_on", "recommendation__order", "recommendation__reference")
    )
    codings: dict[tuple[int, int], list[tuple[int, str]]] = {}
    for round_id, recommendation_id, theme_id, name in (
        ThemeCoding.objects.filter(force=force)
        .order_by("theme__name")
        .values_list("round_id", "theme__recommendation_id", "theme_id", "theme__name")
    ):
        codings.setdefault((round_id, recommendation_id), []).append((theme_id, name))
    practice: dict[tuple[int, int], list[NotablePractice]] = {}
    for item in NotablePractice.objects.filter(force=force).order_by("created_at"):
        practice.setdefault((item.round_id, item.recommendation_id), []).append(item)
    return [
        CodedAnswer(
            answer,
            [theme_id for theme_id, _ in codings.get((answer.round_id, answer.recommendation_id), [])],
            [name for _, name in codings.get((answer.round_id, answer.recommendation_id), [])],
            practice.get((answer.round_id, answer.recommendation_id), []),
        )
        for answer in answers
    ]


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
        .select_related("force", "recommendation", "created_by")
        .order_by("force__name", "recommendation__order", "recommendation__reference")
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
