"""Action plans: the milestones a force sets itself for a recommendation (services; the reads are in
selectors/action_plans.py).

Every write is checked first (rules.milestone_problems; a bad input is a ValidationError naming the
field), runs in one transaction and writes the audit trail in it. A milestone is never deleted and
its target date never moves without a MilestoneMove saying from when, to when and why.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from forces.models import Force

from . import rules
from .audit import audit_record
from .models import AuditEvent, Milestone, MilestoneMove, Recommendation, Round
from .services import _ensure_in_scope, _ensure_round_open


class StaleMilestone(Exception):
    """Someone changed the milestone after this person opened it; `latest` is it as they left it."""

    def __init__(self, latest: Milestone):
        super().__init__("The milestone was changed by someone else.")
        self.latest = latest


def _ensure_answerer(round: Round, force: Force, recommendation: Recommendation, party: str) -> None:
    if rules.answering_party(recommendation.addressee) != party:
        raise ValidationError(f"{recommendation.name} is not answered by the {party}.")
    _ensure_round_open(round)
    _ensure_in_scope(round, force, recommendation)


def _date(value: datetime.date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else "not yet"


@transaction.atomic
def milestone_add(
    *,
    round: Round,
    force: Force,
    recommendation: Recommendation,
    user,
    party: str,
    description: str,
    target_on: datetime.date | None,
    done_on: datetime.date | None = None,
) -> Milestone:
    """Add a milestone to the force's action plan for the recommendation, from a round it answers in."""
    problems = rules.milestone_problems(
        description=description, target_on=target_on, done_on=done_on, today=timezone.localdate()
    )
    if problems:
        raise ValidationError(problems)
    _ensure_answerer(round, force, recommendation, party)
    milestone = Milestone.objects.create(
        force=force,
        recommendation=recommendation,
        description=description.strip(),
        target_on=target_on,
        done_on=done_on,
        created_by=user,
    )
    audit_record(
        action=AuditEvent.Action.MILESTONE_ADDED,
        summary=f"Milestone added to the action plan for {recommendation.name}: {milestone.description[:200]} "
        f"(target {_date(target_on)}{', done ' + _date(done_on) if done_on else ''})",
        actor=user,
        force=force,
        round=round,
    )
    return milestone


@transaction.atomic
def milestone_change(
    *,
    round: Round,
    milestone: Milestone,
    user,
    party: str,
    expected_revision: int,
    description: str,
    target_on: datetime.date | None,
    done_on: datetime.date | None,
    moved_reason: str = "",
) -> Milestone:
    """Change a milestone. A new target date needs a reason and is kept as a MilestoneMove, so every
    earlier date stays on record. If anyone changed the milestone since `expected_revision`,
    StaleMilestone is raised with it as it is now, and nothing is written."""
    locked = Milestone.objects.select_for_update().select_related("force", "recommendation").get(pk=milestone.pk)
    if locked.revision != expected_revision:
        raise StaleMilestone(locked)
    problems = rules.milestone_problems(
        description=description,
        target_on=target_on,
        done_on=done_on,
        today=timezone.localdate(),
        previous_target_on=locked.target_on,
        moved_reason=moved_reason,
    )
    if problems:
        raise ValidationError(problems)
    _ensure_answerer(round, locked.force, locked.recommendation, party)
    moved = rules.target_moved(locked.target_on, target_on)
    name = locked.recommendation.name
    if moved:
        MilestoneMove.objects.create(
            milestone=locked,
            moved_from=locked.target_on,
            moved_to=target_on,
            reason=moved_reason.strip(),
            moved_by=user,
        )
        audit_record(
            action=AuditEvent.Action.MILESTONE_MOVED,
            summary=f"Milestone's target date moved from {_date(locked.target_on)} to {_date(target_on)} in the action "
            f"plan for {name}: {moved_reason.strip()[:200]}",
            actor=user,
            force=locked.force,
            round=round,
        )
    changed = [
        label
        for label, before, after in (
            ("description", locked.description, description.strip()),
            ("date done", locked.done_on, done_on),
        )
        if before != after
    ]
    if changed:
        audit_record(
            action=AuditEvent.Action.MILESTONE_CHANGED,
            summary=f"Milestone changed ({' and '.join(changed)}) in the action plan for {name}: "
            f"{description.strip()[:200]} (done {_date(done_on)})",
            actor=user,
            force=locked.force,
            round=round,
        )
    if moved or changed:
        locked.description = description.strip()
        locked.target_on = target_on
        locked.done_on = done_on
        locked.revision += 1
        locked.save(update_fields=["description", "target_on", "done_on", "revision"])
    return locked


def milestones_import(*, round: Round, force: Force, user, rows) -> int:
    """The milestones of a checked spreadsheet return (spreadsheet.MilestoneRow): new ones added,
    the force's own changed where the row differs (a moved target with its reason). Runs inside the
    return's transaction; returns how many milestones were added or changed."""
    recommendations = {
        item.pk: item for item in round.recommendations.filter(pk__in={row.recommendation_id for row in rows})
    }
    party = rules.Party.FORCE
    changed = 0
    for row in rows:
        recommendation = recommendations[row.recommendation_id]
        if row.milestone_id is None:
            milestone_add(
                round=round,
                force=force,
                recommendation=recommendation,
                user=user,
                party=party,
                description=row.description,
                target_on=row.target_on,
                done_on=row.done_on,
            )
            changed += 1
            continue
        current = Milestone.objects.get(pk=row.milestone_id, force=force, recommendation=recommendation)
        if (current.description, current.target_on, current.done_on) == (row.description, row.target_on, row.done_on):
            continue
        milestone_change(
            round=round,
            milestone=current,
            user=user,
            party=party,
            expected_revision=current.revision,
            description=row.description,
            target_on=row.target_on,
            done_on=row.done_on,
            moved_reason=row.moved_reason,
        )
        changed += 1
    return changed
