"""Extensions: a force's lead asks for more time on a round; national staff grant a new due date for
that force, or refuse with a note (services; the reads are in selectors/extensions.py).

Every write is checked first (rules.extension_request_problems, rules.extension_decision_problems;
a bad input is a ValidationError naming the field), runs in one transaction and writes the audit
trail in it. A request is never deleted or decided twice.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from forces.models import Force

from . import rules
from .audit import audit_record
from .models import AuditEvent, Extension, Round
from .notifications import extension_decided_notify
from .selectors.extensions import force_deadline
from .services import _ensure_round_open


class ExtensionAlreadyDecided(Exception):
    """Someone decided the request after this person opened it; `latest` is it as they left it."""

    def __init__(self, latest: Extension):
        super().__init__("The request was decided by someone else.")
        self.latest = latest


@transaction.atomic
def extension_ask(*, round: Round, force: Force, user, asked_for: datetime.date | None, reason: str) -> Extension:
    """The force's lead asks for more time on an open round that asked the force."""
    _ensure_round_open(round)
    if not round.forces_asked.filter(pk=force.pk).exists():
        raise ValidationError(f"{force} was not asked for updates in {round}.")
    deadline = force_deadline(force, round)
    problems = rules.extension_request_problems(
        asked_for=asked_for, reason=reason, due_on=deadline.due_on, waiting=deadline.waiting is not None
    )
    if problems:
        raise ValidationError(problems)
    try:
        with transaction.atomic():
            extension = Extension.objects.create(
                round=round, force=force, asked_for=asked_for, reason=reason.strip(), asked_by=user
            )
    except IntegrityError:  # a second request saved at the same moment (extension_one_waiting)
        raise ValidationError(rules.EXTENSION_MESSAGES["waiting"]) from None
    audit_record(
        action=AuditEvent.Action.EXTENSION_ASKED,
        summary=f"More time asked for on {round}, until {rules.day_text(asked_for)} (due {rules.day_text(deadline.due_on)}): "
        f"{extension.reason[:300]}",
        actor=user,
        force=force,
        round=round,
    )
    return extension


@transaction.atomic
def extension_decide(
    *, extension: Extension, user, decision: str, due_on: datetime.date | None, note: str
) -> Extension:
    """Staff grant the force a new due date, or refuse with a note; the force's leads are emailed.
    If someone decided it already, ExtensionAlreadyDecided is raised with it as it is now, and
    nothing is written."""
    locked = Extension.objects.select_for_update(of=("self",)).select_related("round", "force").get(pk=extension.pk)
    if locked.state != Extension.State.WAITING:
        raise ExtensionAlreadyDecided(locked)
    problems = rules.extension_decision_problems(
        decision=decision, due_on=due_on, note=note, round_due_on=locked.round.due_on
    )
    if problems:
        raise ValidationError(problems)
    granted = decision == rules.ExtensionDecision.GRANT
    locked.state = Extension.State.GRANTED if granted else Extension.State.REFUSED
    locked.due_on = due_on if granted else None
    locked.note = note.strip()
    locked.decided_by = user
    locked.decided_at = timezone.now()
    locked.save(update_fields=["state", "due_on", "note", "decided_by", "decided_at"])
    audit_record(
        action=AuditEvent.Action.EXTENSION_GRANTED if granted else AuditEvent.Action.EXTENSION_REFUSED,
        summary=(
            f"More time granted on {locked.round}: due {rules.day_text(due_on)} (asked for {rules.day_text(locked.asked_for)})"
            if granted
            else f"More time refused on {locked.round}: {locked.note[:300]}"
        ),
        actor=user,
        force=locked.force,
        round=locked.round,
    )
    extension_decided_notify(extension=locked)
    return locked
