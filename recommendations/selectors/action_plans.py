"""Action plans: a force's milestones for a recommendation, their moves, and which are overdue
(rules.milestone_overdue; the same rule as a filter, rules.milestones_overdue, for the counts)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Count, Prefetch, Q

from forces.models import Force

from .. import rules
from ..models import Milestone, MilestoneMove, Recommendation, Round


@dataclass(frozen=True)
class MilestoneRow:
    milestone: Milestone
    moves: list[MilestoneMove]
    overdue: bool

    @property
    def moved_sentence(self) -> str:
        return rules.target_moved_sentence(self.moves)


def action_plan(force: Force, recommendation: Recommendation, today: datetime.date) -> list[MilestoneRow]:
    """The force's milestones for the recommendation by target date, each with its moves (two queries)."""
    milestones = Milestone.objects.filter(force=force, recommendation=recommendation).prefetch_related(
        Prefetch("moves", queryset=MilestoneMove.objects.select_related("moved_by"))
    )
    return [_row(milestone, today) for milestone in milestones]


def force_action_plans(force: Force, today: datetime.date) -> list[tuple[Recommendation, list[MilestoneRow]]]:
    """Every action plan of the force: each recommendation it has milestones for (in report order)
    with them, by target date (two queries)."""
    from .answers import IN_REPORT_ORDER

    milestones = (
        Milestone.objects.filter(force=force)
        .select_related("recommendation__report")
        .prefetch_related(Prefetch("moves", queryset=MilestoneMove.objects.select_related("moved_by")))
        .order_by(*(f"recommendation__{field}" for field in IN_REPORT_ORDER), "target_on", "pk")
    )
    plans: dict[int, tuple[Recommendation, list[MilestoneRow]]] = {}
    for milestone in milestones:
        plans.setdefault(milestone.recommendation_id, (milestone.recommendation, []))[1].append(_row(milestone, today))
    return list(plans.values())


def _row(milestone: Milestone, today: datetime.date) -> MilestoneRow:
    return MilestoneRow(
        milestone=milestone,
        moves=list(milestone.moves.all()),
        overdue=rules.milestone_overdue(target_on=milestone.target_on, done_on=milestone.done_on, today=today),
    )


def overdue_milestone_counts(force: Force, today: datetime.date) -> dict[int, int]:
    """How many of the force's milestones are overdue, by recommendation id (one query)."""
    return dict(
        Milestone.objects.filter(rules.milestones_overdue(today), force=force)
        .order_by()
        .values_list("recommendation")
        .annotate(count=Count("pk"))
    )


class OverdueMilestones(NamedTuple):
    force_name: str
    force_slug: str
    milestones: int


def round_overdue_milestones(
    round: Round, today: datetime.date, recommendation_ids: Iterable[int] | None = None
) -> list[OverdueMilestones]:
    """The forces asked in the round with milestones overdue for its recommendations in scope (or those
    named: one report's), each with how many, by name (one query)."""
    in_scope = Q(recommendation__in=round.recommendations.values("pk"))
    if recommendation_ids is not None:
        in_scope = Q(recommendation__in=list(recommendation_ids))
    return [
        OverdueMilestones(*row)
        for row in Milestone.objects.filter(
            rules.milestones_overdue(today), in_scope, force__in=round.forces_asked.values("pk")
        )
        .order_by("force__name")
        .values_list("force__name", "force__slug")
        .annotate(count=Count("pk"))
    ]
