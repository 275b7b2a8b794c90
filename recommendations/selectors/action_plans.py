"""Action plans: a force's milestones for a recommendation, their moves, and which are overdue
(rules.milestone_overdue; the same rule as a filter, rules.milestones_overdue, for the counts)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from django.db.models import Count, Prefetch

from forces.models import Force

from .. import rules
from ..models import Milestone, MilestoneMove, Recommendation, Round

if TYPE_CHECKING:
    from .figures import RoundFigures


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


class OpenMilestone(NamedTuple):
    """A milestone not yet done, of a force asked in a round, for one of its recommendations."""

    force_name: str
    force_slug: str
    recommendation_id: int
    target_on: datetime.date
    done_on: datetime.date | None


def round_open_milestones(round: Round) -> list[OpenMilestone]:
    """The milestones not yet done of the forces asked in the round, for its recommendations in scope, by
    force name (one query). Read with the round's figures and cached with them (a milestone's write
    raises every round's revision): only a milestone not done can fall due, and which of these are
    overdue on a given day is round_overdue_milestones' to say."""
    return [
        OpenMilestone(*row)
        for row in Milestone.objects.filter(
            done_on__isnull=True,
            recommendation__in=round.recommendations.values("pk"),
            force__in=round.forces_asked.values("pk"),
        )
        .order_by("force__name", "pk")
        .values_list("force__name", "force__slug", "recommendation_id", "target_on", "done_on")
    ]


def round_overdue_milestones(figures: RoundFigures, today: datetime.date) -> list[OverdueMilestones]:
    """The forces with milestones overdue on `today` for the recommendations of the figures (a round's,
    or one report's: report_figures narrows its open milestones), each with how many, by name. No
    query: the open milestones come with the cached figures."""
    counts: dict[tuple[str, str], int] = {}
    for item in figures.open_milestones:
        if rules.milestone_overdue(target_on=item.target_on, done_on=item.done_on, today=today):
            counts[item.force_name, item.force_slug] = counts.get((item.force_name, item.force_slug), 0) + 1
    return [OverdueMilestones(name, slug, count) for (name, slug), count in counts.items()]
