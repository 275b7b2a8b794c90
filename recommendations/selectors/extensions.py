"""Extensions: each force's own due date in a round (rules.force_due_on: the latest date granted to
it, or the round's), a force's requests for more time, and the requests staff have to decide."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import OuterRef, QuerySet, Subquery

from forces.models import Force

from .. import rules
from ..models import Extension, Round


def granted_due_on(round: Round, force_ref: str = "pk") -> Subquery:
    """The latest date granted in the round to the force an outer query names (None when none was):
    the granted half of rules.force_due_on, as a subquery."""
    return Subquery(
        Extension.objects.filter(round=round, force=OuterRef(force_ref), state=Extension.State.GRANTED)
        .order_by("-decided_at", "-pk")
        .values("due_on")[:1]
    )


def force_due_dates(round: Round) -> dict[int, datetime.date]:
    """Every force asked in the round (by id) with its own due date. One query."""
    forces = round.forces_asked.annotate(granted_on=granted_due_on(round)).values_list("pk", "granted_on")
    return {pk: rules.force_due_on(round_due_on=round.due_on, granted_on=granted) for pk, granted in forces}


@dataclass(frozen=True)
class ForceDeadline:
    """A force's own due date in a round, and its requests for more time (newest first)."""

    round: Round
    due_on: datetime.date
    requests: list[Extension] = field(default_factory=list)

    @property
    def extended(self) -> bool:
        return self.due_on != self.round.due_on

    @property
    def waiting(self) -> Extension | None:
        return next((item for item in self.requests if item.state == Extension.State.WAITING), None)

    @property
    def latest(self) -> Extension | None:
        return self.requests[0] if self.requests else None

    def days_left(self, today: datetime.date) -> int:
        return (self.due_on - today).days


def _deadline(round: Round, requests: list[Extension]) -> ForceDeadline:
    # The grant that counts is the latest decided, as granted_due_on orders it in SQL.
    granted = [item for item in requests if item.state == Extension.State.GRANTED]
    latest = max(granted, key=lambda item: (item.decided_at, item.pk)) if granted else None
    return ForceDeadline(
        round, rules.force_due_on(round_due_on=round.due_on, granted_on=latest.due_on if latest else None), requests
    )


def force_deadlines(force: Force, rounds: Iterable[Round]) -> dict[int, ForceDeadline]:
    """The force's own due date and requests in each of the rounds, by round id. One query (none
    for no rounds)."""
    rounds = list(rounds)
    if not rounds:
        return {}
    requests: dict[int, list[Extension]] = {round.pk: [] for round in rounds}
    for item in Extension.objects.filter(force=force, round__in=rounds):
        requests[item.round_id].append(item)
    return {round.pk: _deadline(round, requests[round.pk]) for round in rounds}


def force_deadline(force: Force, round: Round) -> ForceDeadline:
    return force_deadlines(force, [round])[round.pk]


def extensions_waiting() -> QuerySet[Extension]:
    """The requests staff have to decide, oldest first."""
    return (
        Extension.objects.filter(state=Extension.State.WAITING)
        .select_related("round", "force", "asked_by")
        .order_by("asked_at", "pk")
    )


def extensions_decided(limit: int = 20) -> QuerySet[Extension]:
    """The latest decisions, newest first."""
    return (
        Extension.objects.exclude(state=Extension.State.WAITING)
        .select_related("round", "force", "asked_by", "decided_by")
        .order_by("-decided_at", "-pk")[:limit]
    )
