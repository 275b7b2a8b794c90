"""Writes. Each service checks the rules it needs, runs in one transaction and leaves nothing half-done."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from forces.models import Force

from .models import Recommendation, Round, StatusUpdate


class RoundClosed(Exception):
    """The round no longer accepts changes from forces."""


class StaleAnswer(Exception):
    """Someone saved this answer after the version the person started from."""

    def __init__(self, latest: StatusUpdate | None):
        super().__init__("This answer was changed by someone else after you opened it.")
        self.latest = latest


def _ensure_round_open(round: Round) -> None:
    if not round.is_open:
        raise RoundClosed(f"{round} is closed: answers can no longer be changed.")


def _ensure_in_scope(round: Round, force: Force, recommendation: Recommendation) -> None:
    if not round.recommendations.filter(pk=recommendation.pk).exists():
        raise ValidationError(f"Recommendation {recommendation.reference} is not part of {round}.")
    if not round.forces_asked.filter(pk=force.pk).exists():
        raise ValidationError(f"{force} was not asked for updates in {round}.")


@transaction.atomic
def status_update_save(
    *,
    round: Round,
    force: Force,
    recommendation: Recommendation,
    user,
    expected_version: int,
    status: str,
    narrative: str,
    evidence: str = "",
    not_applicable_reason: str = "",
    submit: bool = False,
    carried_forward: bool = False,
    created_at=None,
) -> StatusUpdate:
    """Add a new version of a force's answer; earlier versions stay as they were.

    `expected_version` is the version the person started from (0 for a first answer). If anyone
    saved since, StaleAnswer is raised carrying what they saved, and nothing is written: the
    version number is unique per answer in the database, so two saves racing from the same
    version cannot both succeed.
    """
    _ensure_round_open(round)
    _ensure_in_scope(round, force, recommendation)
    answer = StatusUpdate.objects.filter(round=round, force=force, recommendation=recommendation)
    current = answer.select_for_update().filter(is_current=True).first()
    current_version = current.version if current else 0
    if expected_version != current_version:
        raise StaleAnswer(current)

    version = StatusUpdate(
        round=round,
        force=force,
        recommendation=recommendation,
        version=current_version + 1,
        state=StatusUpdate.State.SUBMITTED if submit else StatusUpdate.State.DRAFT,
        status=status,
        narrative=narrative,
        evidence=evidence,
        not_applicable_reason=not_applicable_reason if status == "not_applicable" else "",
        carried_forward=carried_forward,
        is_current=True,
        is_latest_submitted=submit,
        created_by=user,
        created_at=created_at or timezone.now(),
    )
    version.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            if current:
                answer.filter(pk=current.pk).update(is_current=False)
            if submit:
                answer.filter(is_latest_submitted=True).update(is_latest_submitted=False)
            version.save()
    except IntegrityError:
        raise StaleAnswer(answer.filter(is_current=True).first()) from None
    return version


@transaction.atomic
def return_submit(*, round: Round, force: Force, user) -> list[StatusUpdate]:
    """Submit every answer the force has in draft for the round, each as a new submitted version."""
    _ensure_round_open(round)
    drafts = list(
        StatusUpdate.objects.select_for_update()
        .filter(round=round, force=force, is_current=True, state=StatusUpdate.State.DRAFT)
        .select_related("recommendation")
    )
    return [
        status_update_save(
            round=round,
            force=force,
            recommendation=draft.recommendation,
            user=user,
            expected_version=draft.version,
            status=draft.status,
            narrative=draft.narrative,
            evidence=draft.evidence,
            not_applicable_reason=draft.not_applicable_reason,
            submit=True,
        )
        for draft in drafts
    ]


PORTFOLIO_PERMISSIONS = [
    "view_all_forces",
    "add_theme",
    "change_theme",
    "add_themecoding",
    "delete_themecoding",
    "add_snapshot",
    "change_snapshot",
    "change_snapshotsection",
]


@transaction.atomic
def portfolio_group_ensure():
    """The "Portfolio staff" group with its permissions (also made by migration 0002)."""
    from django.contrib.auth.models import Group, Permission

    from .access import PORTFOLIO_GROUP

    group, _ = Group.objects.get_or_create(name=PORTFOLIO_GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="recommendations", codename__in=PORTFOLIO_PERMISSIONS)
    )
    return group
